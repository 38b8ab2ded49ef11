import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  signOut,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';

let h: BrowserHarness;
let careManager: TestUser;
let grace: PersonRow;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  grace = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-05001',
    allocatedWorkerId: careManager.id,
  });
  // £9,130 a year is £175.58 a week.
  await aSubmittedAssessment(h.t.db, { person: grace, submittedBy: careManager.id });
});
afterAll(() => h?.close());

describeInBrowser('writing a support plan in a browser', () => {
  it('a care manager starts a plan, adds an outcome and support, is told what is missing, fills it in, submits and prints it', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);

    await page.goto(`/people/${grace.id}`);
    await page.getByRole('button', { name: 'Start a support plan' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Support plan');
    await expect(page.locator('main').innerText()).resolves.toContain('No outcomes yet.');
    await expectNoAxeViolations(page, 'new support plan');
    await screenshot(page, 'plan-new');

    await page.getByRole('link', { name: 'Add an outcome' }).click();
    await page.waitForURL(/\/plans\/\d+\/outcomes\/new$/);
    await expectNoAxeViolations(page, 'outcome form');
    await page.getByLabel('What does Grace want to achieve?').fill('I want to get to the day centre on Tuesdays to see my friends');
    await page.getByLabel('Developing and maintaining family or other personal relationships').check();
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    await expect(page.locator('#outcomes + *').innerText()).resolves.toContain('day centre on Tuesdays');

    await page.getByRole('link', { name: 'Add a support item' }).click();
    await page.waitForURL(/\/plans\/\d+\/items\/new$/);
    await page.getByLabel('What is the support?').fill('Personal assistant to the day centre');
    await page.getByLabel('I want to get to the day centre on Tuesdays to see my friends').check();
    await page.getByLabel('Direct payment').check();
    await page.getByLabel('A rate times hours (or other units) a week').check();
    await page.getByLabel('Rate', { exact: true }).fill('21.5O');
    await page.getByLabel('Hours (or units) a week', { exact: true }).fill('7.5');
    await page.getByRole('button', { name: 'Save support item' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.locator('.govuk-error-summary').getByRole('link').allInnerTexts()).resolves.toEqual([
      'Enter the rate (the cost of one hour or unit) in pounds and pence, like 21.50 or £21.50',
    ]);
    await expect(page.getByLabel('Hours (or units) a week', { exact: true }).inputValue()).resolves.toBe('7.5');
    await expectNoAxeViolations(page, 'support item form with an error');
    await screenshot(page, 'plan-item-errors');
    await page.getByLabel('Rate', { exact: true }).fill('21.50');
    await page.getByRole('button', { name: 'Save support item' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    // £21.50 an hour for 7.5 hours, as typed, is £161.25 a week and £8,385 a year.
    await expect(page.locator('#support + *').innerText()).resolves.toMatch(/£21\.50 × 7\.5 units a week\s+£8,385\.00/);
    await expect(page.locator('table').first().innerText()).resolves.toMatch(
      /Planned personal budget \(social care\)\s+£161\.25\s+£8,385\.00/,
    );

    await page.getByRole('button', { name: 'Submit for sign-off' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toContain('Add who was involved in writing the plan');
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toContain('Add how often the direct payment is paid');
    await expectNoAxeViolations(page, 'support plan submitted too early');
    await screenshot(page, 'plan-submit-errors');

    await page.getByRole('link', { name: 'Change what the plan records' }).click();
    await page.waitForURL(/\/plans\/\d+\/details$/);
    await expectNoAxeViolations(page, 'what the plan records');
    await page.getByLabel('Who was involved in writing the plan?').fill('Grace and her daughter Ada');
    await page.getByLabel('How do they want to be contacted about the plan?').fill('Phone Ada in the mornings');
    await page.getByLabel('Which needs are eligible?').fill('Making use of the community, keeping up friendships');
    await page.getByLabel('Which needs will the council meet, and how?').fill('Both, through a personal assistant on Tuesdays');
    await page.getByLabel('Which wellbeing matters does the plan relate to?').fill('Social wellbeing');
    await page.getByLabel('What advice was given on reducing or preventing needs?').fill('Falls prevention leaflet');
    await page.getByLabel('Which needs does the direct payment meet?').fill('Getting to the day centre');
    await page.getByLabel('Every 4 weeks').check();
    await page.getByLabel('Net', { exact: true }).check();
    await screenshot(page, 'plan-details');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Grace and her daughter Ada');
    await expectNoAxeViolations(page, 'support plan ready to submit');
    await screenshot(page, 'plan-ready');

    await page.getByRole('button', { name: 'Submit for sign-off' }).click();
    await page.waitForURL(/\/people\/\d+$|\/plans\/\d+$/);
    await page.goto(page.url().replace(/#.*$/, ''));
    await expect(page.locator('main').innerText()).resolves.not.toContain('Submit for sign-off');
    await expect(page.locator('main').innerText()).resolves.toContain('Waiting for finance sign-off');
    await expectNoAxeViolations(page, 'submitted support plan');
    await screenshot(page, 'plan-submitted');

    await page.getByRole('link', { name: 'Printable plan for Grace' }).click();
    await page.waitForURL(/\/plans\/\d+\/print$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your support plan, Grace Okafor');
    await expect(page.locator('main').innerText()).resolves.toContain('Personal assistant to the day centre');
    await expectNoAxeViolations(page, 'printable support plan');
    await screenshot(page, 'plan-print');

    await page.goto(`/people/${grace.id}`);
    await expect(page.locator('#support-plans + *').innerText()).resolves.toContain('Waiting for finance sign-off');
    await screenshot(page, 'plan-on-person-page');
    await signOut(page);
  });
});
