import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  signInThroughTheForms,
  signOut,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let careManager: TestUser;
let admin: TestUser;
let graceId: number;

async function fillPersonForm(page: Page, person: { givenName: string; familyName: string; postcode: string }) {
  await page.getByLabel('Given name', { exact: true }).fill(person.givenName);
  await page.getByLabel('Family name', { exact: true }).fill(person.familyName);
  await page.locator('#dateOfBirth-day').fill('27');
  await page.locator('#dateOfBirth-month').fill('3');
  await page.locator('#dateOfBirth-year').fill('1948');
  await page.getByLabel('Physical disability').check();
  await page.locator('#referralDate-day').fill('2');
  await page.locator('#referralDate-month').fill('6');
  await page.locator('#referralDate-year').fill('2026');
  await page.getByLabel('Community or other route').check();
  await page.getByLabel('Phone', { exact: true }).check();
  await page.getByLabel('Address', { exact: true }).fill('14 Chapel Street\nLeeds');
  await page.getByLabel('Postcode', { exact: true }).fill(person.postcode);
  await page.getByLabel('Phone number', { exact: true }).fill('0113 496 0123');
}

/** WCAG 1.4.10: at 320 CSS pixels wide nothing but a data table may need sideways scrolling. */
async function expectNoSidewaysScrolling(page: Page, label: string) {
  const overflow = (await page.evaluate(
    `[...document.querySelectorAll('body *')]
      .filter((el) => !el.closest('.app-table-scroll') && el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))`,
  )) as string[];
  expect(overflow, `${label}: elements wider than the screen`).toEqual([]);
}

describeInBrowser('the foundation in a browser', () => {
  beforeAll(async () => {
    h = await startBrowserHarness();
    const team = await aTeam(h.t.db, 'North Leeds Community Team');
    careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
    admin = await aUser(h.t.db, { role: 'admin', displayName: 'Sam Admin' });
    const grace = await aPerson(h.t.db, {
      teamId: team.id,
      givenName: 'Grace',
      familyName: 'Okafor',
      reference: 'SD-01001',
      allocatedWorkerId: careManager.id,
    });
    graceId = grace.id;
    await aPerson(h.t.db, {
      teamId: team.id,
      givenName: 'Arthur',
      familyName: 'Bennett',
      reference: 'SD-01002',
      clientGroup: 'learning_disability',
    });
    await aPerson(h.t.db, {
      teamId: team.id,
      givenName: 'Margaret',
      familyName: 'Williamson-Richardson',
      reference: 'SD-01003',
      clientGroup: 'mental_health',
    });
  });
  afterAll(() => h?.close());

  it('a care manager signs in, finds a person, and adds one after correcting a mistake', async () => {
    const page = await h.newPage();

    await page.goto('/sign-in');
    await expect(page.title()).resolves.toBe('Sign in – Selfdirect – Example Council');
    await expectNoAxeViolations(page, 'sign-in');
    await screenshot(page, 'sign-in');

    await page.getByLabel('Email address').fill(careManager.email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expect(page.title()).resolves.toMatch(/^Error: Sign in/);
    await expectFocused(page, '.govuk-error-summary');
    await expectNoAxeViolations(page, 'sign-in with error');
    await screenshot(page, 'sign-in-error');
    await page.getByRole('link', { name: 'Enter your password' }).click();
    await expectFocused(page, '#password');

    await signInThroughTheForms(page, careManager.email, careManager.password);
    // Signing in lands on the care manager's home page; the people list is one link away.
    expect(new URL(page.url()).pathname).toBe('/');
    await Promise.all([page.waitForURL('**/people'), page.getByRole('link', { name: 'People', exact: true }).click()]);
    await expect(page.locator('.govuk-generic-header').innerText()).resolves.toContain('Example Council');
    await expect(page.locator('.govuk-generic-header svg').count(), 'no crown or GOV.UK logo').resolves.toBe(0);
    await expect(page.evaluate('getComputedStyle(document.querySelector("h1")).fontFamily')).resolves.toMatch(/^arial/i);
    await expect(page.locator('.govuk-service-navigation').innerText()).resolves.toContain('Signed in as Priya Shah');
    await expectNoAxeViolations(page, 'people list');
    await screenshot(page, 'people-list');

    await page.getByLabel('Name, council reference, NHS number, postcode or date of birth').fill('okafor');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/people\?q=okafor/);
    await expect(page.locator('#result-count').innerText()).resolves.toContain('1 person matching “okafor”');
    await expect(page.locator('table tbody tr').count()).resolves.toBe(1);
    await expectNoAxeViolations(page, 'people list search results');

    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.waitForURL('**/people/new');
    await expectNoAxeViolations(page, 'person form');
    await fillPersonForm(page, { givenName: 'Doreen', familyName: 'Castle', postcode: 'LS99 ZZZ' });
    await page.getByRole('button', { name: 'Add person' }).click();

    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual(['Enter a real UK postcode, like LS1 4AP']);
    // What a screen reader hears: the visually hidden prefix, then the message.
    const inlineError = await page.locator('#postcode-error').textContent();
    expect(inlineError?.replace(/\s+/g, ' ').trim()).toBe('Error: Enter a real UK postcode, like LS1 4AP');
    await expect(page.getByLabel('Postcode', { exact: true }).getAttribute('aria-describedby')).resolves.toBe('postcode-error');
    await expect(page.getByLabel('Given name', { exact: true }).inputValue()).resolves.toBe('Doreen');
    await expectNoAxeViolations(page, 'person form with errors');
    await screenshot(page, 'person-form-errors');

    await summary.getByRole('link', { name: 'Enter a real UK postcode' }).click();
    await expectFocused(page, '#postcode');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('ls1 4ap');
    await page.getByRole('button', { name: 'Add person' }).click();

    await page.waitForURL(/\/people\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Doreen Castle');
    await expect(page.locator('.govuk-summary-list').first().innerText()).resolves.toContain('LS1 4AP');
    await expectNoAxeViolations(page, 'person page');
    await screenshot(page, 'person-page');

    await page.emulateMedia({ media: 'print' });
    for (const chrome of [
      '.govuk-generic-header',
      '.govuk-service-navigation',
      '.govuk-footer',
      '.govuk-phase-banner',
      '.govuk-breadcrumbs',
    ]) {
      await expect(page.locator(chrome).isVisible(), `${chrome} in print`).resolves.toBe(false);
    }
    await expect(page.getByRole('heading', { level: 1 }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'person-page-print');
    await page.emulateMedia({ media: 'screen' });

    await signOut(page);
  });

  it('an administrator sees users, the add-user form with errors, teams and the audit trail', async () => {
    const page = await h.newPage();
    await signInAs(page, admin.email, admin.password);
    expect(new URL(page.url()).pathname).toBe('/');
    await Promise.all([page.waitForURL('**/admin/users'), page.getByRole('link', { name: 'Users', exact: true }).click()]);
    await expect(page.locator('table').innerText()).resolves.toContain('Priya Shah');
    await expectNoAxeViolations(page, 'admin users');
    await screenshot(page, 'admin-users');

    await page.getByRole('button', { name: 'Add a user' }).click();
    await page.waitForURL('**/admin/users/new');
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Add user' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expectNoAxeViolations(page, 'add user with errors');
    await screenshot(page, 'admin-add-user-errors');

    await page.getByRole('link', { name: 'Teams' }).click();
    await page.waitForURL('**/admin/teams');
    await expectNoAxeViolations(page, 'teams');
    await screenshot(page, 'admin-teams');

    await page.getByRole('link', { name: 'Audit trail' }).click();
    await page.waitForURL('**/admin/audit');
    await expectNoAxeViolations(page, 'audit trail search');
    await page.getByLabel('User’s email address').fill(careManager.email);
    await page.getByRole('button', { name: 'Search the audit trail' }).click();
    await page.waitForURL(/\/admin\/audit\?/);
    await expect(page.locator('table').innerText()).resolves.toContain('Priya Shah');
    await expectNoAxeViolations(page, 'audit trail results');
    await screenshot(page, 'admin-audit');
  });

  it('shows accessible 404 and 403 pages', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);

    const missing = await page.goto('/people/999999');
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Page not found');
    await expectNoAxeViolations(page, '404');
    await screenshot(page, 'not-found');

    const forbidden = await page.goto('/admin/users');
    expect(forbidden?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('You cannot do this');
    await expectNoAxeViolations(page, '403');
    await screenshot(page, 'forbidden');
  });

  it('fits a 320px-wide screen, with wide tables scrolling in their own box', async () => {
    const page = await h.newPage({ viewport: { width: 320, height: 640 } });
    await page.goto('/sign-in');
    await expectNoSidewaysScrolling(page, 'sign-in');
    await signInAs(page, careManager.email, careManager.password);
    await expectNoSidewaysScrolling(page, 'home page');
    await page.goto('/people');

    await expectNoSidewaysScrolling(page, 'people list');
    const tableBox = page.locator('.app-table-scroll');
    await expect(tableBox.getAttribute('tabindex')).resolves.toBe('0');
    await expect(tableBox.getAttribute('aria-label')).resolves.toBe('People (scrolls sideways)');
    await expectNoAxeViolations(page, 'people list at 320px');
    await screenshot(page, 'people-list-320');

    await page.goto('/people/new');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoSidewaysScrolling(page, 'person form with errors');
    await expectNoAxeViolations(page, 'person form with errors at 320px');
    await screenshot(page, 'person-form-errors-320');

    await page.goto(`/people/${graceId}`);
    await expectNoSidewaysScrolling(page, 'person page');
    await screenshot(page, 'person-page-320');

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto('/people');
    await expect(page.locator('.app-table-scroll').getAttribute('tabindex')).resolves.toBeNull();
  });

  it('signs in and adds a person with JavaScript turned off', async () => {
    const page = await h.newPage({ javaScriptEnabled: false });
    await signInAs(page, careManager.email, careManager.password);
    expect(new URL(page.url()).pathname).toBe('/');

    await page.goto('/people/new');
    await fillPersonForm(page, { givenName: 'Norman', familyName: 'Hale', postcode: 'nowhere' });
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expect(page.locator('body').getAttribute('class')).resolves.not.toContain('govuk-frontend-supported');
    await page.getByLabel('Postcode', { exact: true }).fill('LS2 7EW');
    await page.getByRole('button', { name: 'Add person' }).click();
    await page.waitForURL(/\/people\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Norman Hale');
    await screenshot(page, 'person-page-no-js');

    await signOut(page);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
