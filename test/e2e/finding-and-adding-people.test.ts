import { afterAll, beforeAll, expect, it } from 'vitest';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let careManager: TestUser;

describeInBrowser('finding a person from any page, and adding one who may already have a record', () => {
  beforeAll(async () => {
    h = await startBrowserHarness();
    const team = await aTeam(h.t.db, 'Wakefield Older People');
    careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
    await aPerson(h.t.db, {
      teamId: team.id,
      givenName: 'Doris',
      familyName: 'Whitfield',
      dateOfBirth: '1938-03-14',
      postcode: 'WF1 2EB',
      reference: 'SD-07001',
    });
  });
  afterAll(() => h?.close());

  it('finds Doris from the header, then asks before adding her again, keeping what was typed', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);

    // From the home page: the box in the header, by its label, without going to the People page first.
    await page.getByRole('searchbox', { name: 'Find a person', exact: true }).fill('14 March 1938');
    await Promise.all([page.waitForURL(/\/people\?q=14\+March\+1938/), page.getByRole('button', { name: 'Find', exact: true }).click()]);
    await expect(page.locator('table tbody tr').allInnerTexts()).resolves.toEqual([expect.stringContaining('Wakefield Older People')]);
    await expectNoAxeViolations(page, 'header search results');
    await screenshot(page, 'header-search-results');

    await page.goto('/people/new');
    await page.getByLabel('Given name', { exact: true }).fill('Doris');
    await page.getByLabel('Family name', { exact: true }).fill('Whitfield');
    await page.locator('#dateOfBirth-day').fill('14');
    await page.locator('#dateOfBirth-month').fill('3');
    await page.locator('#dateOfBirth-year').fill('1938');
    await page.getByLabel('Older people').check();
    await page.locator('#referralDate-day').fill('2');
    await page.locator('#referralDate-month').fill('6');
    await page.locator('#referralDate-year').fill('2026');
    await page.getByLabel('Community or other route').check();
    await page.getByLabel('Email', { exact: true }).check();
    await page.getByLabel('Postcode', { exact: true }).fill('wf12eb');
    await page.getByLabel('Email address', { exact: true }).fill('doris@example.com');
    await page.getByRole('button', { name: 'Add person' }).click();

    await page.getByRole('heading', { name: 'This person may already have a record' }).waitFor();
    await expect(page.locator('table').innerText()).resolves.toContain('SD-07001');
    await expectNoAxeViolations(page, 'duplicate question');
    await screenshot(page, 'duplicate-question');

    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expectNoAxeViolations(page, 'duplicate question unanswered');
    await page.getByRole('link', { name: 'Select yes if this is a different person' }).click();
    await expectFocused(page, '#differentPerson');

    await page.getByRole('button', { name: 'Change the details' }).click();
    await page.getByRole('heading', { name: 'Add a person' }).waitFor();
    await expect(page.getByLabel('Email address', { exact: true }).inputValue()).resolves.toBe('doris@example.com');
    await page.getByLabel('Given name', { exact: true }).fill('Dora');
    await page.getByRole('button', { name: 'Add person' }).click();

    // Still the same date of birth and postcode: asked again, and this time she is someone else.
    await page.getByRole('heading', { name: 'This person may already have a record' }).waitFor();
    await page.getByLabel('Yes, add them as a new person').check();
    await Promise.all([page.waitForURL(/\/people\/\d+$/), page.getByRole('button', { name: 'Continue' }).click()]);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Dora Whitfield');
    await expect(page.locator('.govuk-caption-l, .govuk-caption-m').first().innerText()).resolves.toMatch(/^SD-\d{5}$/);
  });
});
