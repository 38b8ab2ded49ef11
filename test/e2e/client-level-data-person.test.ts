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

// The app's clock stands on Monday 15 June 2026.
let h: BrowserHarness;
let careManager: TestUser;
let personId: number;
let carerId: number;
let caredForReference: string;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  const grace = await aPerson(h.t.db, { teamId: team.id, givenName: 'Grace', familyName: 'Okafor', reference: 'SD-06001' });
  const carer = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Samuel',
    familyName: 'Okafor',
    reference: 'SD-06002',
    clientGroup: 'carer',
  });
  await h.t.db('support_requests').insert({ person_id: grace.id, received_on: '2026-05-04', route_of_access: 'community_other' });
  personId = grace.id;
  carerId = carer.id;
  caredForReference = grace.reference;
});
afterAll(() => h?.close());

describeInBrowser('the statutory return’s details in a browser', () => {
  it('a care manager fills in the statutory details, is told what is wrong, and sees them on the person page', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);

    await page.goto(`/people/${personId}/edit#primarySupportReason`);
    await expect(page.getByRole('heading', { name: 'For the statutory return' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Female', { exact: true }).check();
    await page.getByLabel('Ethnicity (optional)').selectOption('M');
    await page.getByLabel('Primary support reason (optional)').selectOption('physical_personal_care');
    await page.getByLabel('Accommodation (optional)').selectOption('owner_occupier');
    await page.getByLabel('Employment (optional)').selectOption('not_seeking_work');
    await page.getByLabel('Yes', { exact: true }).check();
    await page.locator('#dateOfDeath-day').fill('31');
    await page.locator('#dateOfDeath-month').fill('2');
    await page.locator('#dateOfDeath-year').fill('2026');
    await page.getByRole('button', { name: 'Save changes' }).click();

    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual(['Date of death must be a real date']);
    await expectNoAxeViolations(page, 'person form with a statutory detail wrong');
    await screenshot(page, 'person-form-statutory-errors');
    await summary.getByRole('link', { name: 'Date of death must be a real date' }).click();
    await expectFocused(page, '#dateOfDeath-day');
    await page.locator('#dateOfDeath-day').fill('');
    await page.locator('#dateOfDeath-month').fill('');
    await page.locator('#dateOfDeath-year').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.waitForURL(new RegExp(`/people/${personId}$`));
    const details = page.locator('#statutory-return + .govuk-summary-list');
    await expect(details.innerText()).resolves.toContain('Black or Black British: Caribbean');
    await expect(details.innerText()).resolves.toContain('Physical support: personal care support');
    await expectNoAxeViolations(page, 'person page with statutory details and requests');
    await screenshot(page, 'person-page-statutory');
  });

  it('records a request’s outcome and cancels another recorded in error', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    await page.goto(`/people/${personId}`);
    await page.getByRole('link', { name: 'Record a new request' }).click();
    await expectNoAxeViolations(page, 'new request form');
    await page.getByRole('button', { name: 'Record request' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'new request form with errors');
    await page.locator('#receivedOn-day').fill('10');
    await page.locator('#receivedOn-month').fill('6');
    await page.locator('#receivedOn-year').fill('2026');
    await page.getByLabel('Discharge from hospital').check();
    await page.getByRole('button', { name: 'Record request' }).click();
    await page.waitForURL(new RegExp(`/people/${personId}#requests$`));

    await page.getByRole('link', { name: 'Record outcome for the request received on 4 May 2026' }).click();
    await expectNoAxeViolations(page, 'request outcome form');
    await page.getByLabel('Went on to a needs assessment').check();
    await page.locator('#decidedOn-day').fill('1');
    await page.locator('#decidedOn-month').fill('5');
    await page.locator('#decidedOn-year').fill('2026');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'request outcome form with errors');
    await page.locator('#decidedOn-day').fill('6');
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.waitForURL(new RegExp(`/people/${personId}#requests$`));

    await page.getByRole('link', { name: 'Cancel for the request received on 10 June 2026' }).click();
    await expectNoAxeViolations(page, 'cancel request page');
    await page.getByRole('button', { name: 'Cancel the request' }).click();
    await page.waitForURL(new RegExp(`/people/${personId}#requests$`));
    const requests = page.locator('#requests + * table');
    await expect(requests.innerText()).resolves.toContain('Cancelled: recorded in error');
    await expect(requests.innerText()).resolves.toContain('Went on to a needs assessment');
    await expectNoAxeViolations(page, 'person page with a cancelled request');
  });

  it('links a carer to the person they care for, is told when the reference is wrong', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    await page.goto(`/people/${carerId}`);
    await page.getByRole('link', { name: 'Change who they care for' }).click();
    await expectNoAxeViolations(page, 'cares-for page');
    await page.getByLabel('Council reference of someone they care for').fill('SD-99999');
    await page.getByRole('button', { name: 'Link' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'cares-for page with errors');
    await page.getByLabel('Council reference of someone they care for').fill(caredForReference);
    await page.getByRole('button', { name: 'Link' }).click();
    await page.waitForURL(new RegExp(`/people/${carerId}/cares-for$`));
    await expect(page.locator('.govuk-summary-list').innerText()).resolves.toContain('Grace Okafor');
    await expectNoAxeViolations(page, 'cares-for page with a link');
    await screenshot(page, 'cares-for');

    await page.goto(`/people/${personId}`);
    await expect(page.locator('#unpaid-carers + ul').innerText()).resolves.toContain('Samuel Okafor');
  });
});
