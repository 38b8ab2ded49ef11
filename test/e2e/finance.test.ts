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
import { aSubmittedPlan } from '../support/plan-builders.js';

let h: BrowserHarness;
let teamManager: TestUser;
let financeOfficer: TestUser;
let grace: PersonRow;
let arthur: PersonRow;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  const careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  teamManager = await aUser(h.t.db, { role: 'team_manager', teamId: team.id, displayName: 'Helen Marsh' });
  financeOfficer = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  grace = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-03001',
    allocatedWorkerId: careManager.id,
  });
  arthur = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Arthur',
    familyName: 'Bennett',
    reference: 'SD-03002',
    clientGroup: 'learning_disability',
  });
  await aSubmittedPlan(h.t.db, {
    person: grace,
    createdBy: careManager.id,
    items: [
      { weeklyPence: 11_000, managementOption: 'direct_payment', description: 'Personal assistant every morning' },
      { weeklyPence: 8_000, managementOption: 'council_managed', description: 'Day centre twice a week' },
      { weeklyPence: 2_500, fundingStream: 'health', description: 'District nurse visits' },
    ],
    submittedAt: '2026-06-08T09:30:00Z',
  });
  // £650 a week is £33,800 a year, above the £30,000 ceiling: it needs panel first.
  await aSubmittedPlan(h.t.db, {
    person: arthur,
    createdBy: careManager.id,
    items: [{ weeklyPence: 65_000, description: 'Supported living' }],
    panelStatus: 'awaiting',
  });
});
afterAll(() => h?.close());

describeInBrowser('finance sign-off in a browser', () => {
  it('a finance officer opens the queue, corrects a missing start date, approves, and records a financial assessment', async () => {
    const page = await h.newPage();
    await signInAs(page, financeOfficer.email, financeOfficer.password);

    await page.getByRole('link', { name: 'Sign-off queue' }).click();
    await page.waitForURL('**/finance/queue');
    await expect(page.locator('#queue-count').innerText()).resolves.toBe('1 plan waiting');
    await expect(page.locator('#sign-off-queue').innerText()).resolves.toContain('7 days');
    await expectNoAxeViolations(page, 'sign-off queue');
    await screenshot(page, 'finance-queue');

    await page.getByRole('link', { name: 'Grace Okafor' }).click();
    await page.waitForURL(/\/plans\/\d+\/sign-off$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Sign off the personal budget for Grace Okafor');
    await expectNoAxeViolations(page, 'sign-off page');
    await screenshot(page, 'finance-sign-off');

    await page.getByRole('button', { name: 'Approve personal budget' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual(['Enter the start date']);
    await expectNoAxeViolations(page, 'sign-off page with errors');
    await screenshot(page, 'finance-sign-off-errors');

    await summary.getByRole('link', { name: 'Enter the start date' }).click();
    await expectFocused(page, '#startDate-day');
    await page.locator('#startDate-day').fill('3');
    await page.locator('#startDate-month').fill('8');
    await page.locator('#startDate-year').fill('2026');
    await page.getByRole('button', { name: 'Approve personal budget' }).click();

    await page.waitForURL(/\/people\/\d+$/);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Personal budget approved');
    const budget = page.locator('#personal-budget');
    await expect(budget.innerText()).resolves.toContain('£190.00 a week (£9,880.00 a year)');
    await expect(budget.innerText()).resolves.toContain('Not yet assessed');
    await expect(budget.innerText()).resolves.toContain('28 September 2026');
    await expectNoAxeViolations(page, 'person page with a budget');
    await screenshot(page, 'finance-person-with-budget');

    await page.getByRole('link', { name: 'Decision letter for this budget' }).click();
    await page.waitForURL(/\/plans\/\d+\/decision-letter$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your personal budget has been agreed');
    await expectNoAxeViolations(page, 'decision letter');
    await screenshot(page, 'finance-decision-letter');
    await page.goto(page.url().replace(/decision-letter$/, 'print'));
    await expect(page.locator('main').innerText()).resolves.toMatch(/Agreed personal budget\s+£190\.00 a week/);
    await expectNoAxeViolations(page, 'printable plan once signed off');
    await screenshot(page, 'finance-printable-plan-signed-off');
    await page.goBack();
    await page.goBack();

    await page.getByRole('link', { name: 'Record a financial assessment' }).click();
    await page.waitForURL(/\/people\/\d+\/financial-assessment$/);
    await expectNoAxeViolations(page, 'financial assessment form');
    await page.getByLabel('Weekly income', { exact: true }).fill('245.6O');
    await page.getByLabel('Weekly allowances and disregards', { exact: true }).fill('214.35');
    await page.getByLabel('Capital', { exact: true }).fill('£14,500.01');
    await page.getByRole('button', { name: 'Save financial assessment' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.locator('.govuk-error-summary').getByRole('link').allInnerTexts()).resolves.toEqual([
      'Enter the weekly income in pounds and pence, like 21.50 or £21.50',
      'Enter the date it takes effect',
    ]);
    await expect(page.getByLabel('Capital', { exact: true }).inputValue()).resolves.toBe('£14,500.01');
    await expectNoAxeViolations(page, 'financial assessment form with errors');
    await screenshot(page, 'finance-assessment-errors');

    await page.getByLabel('Weekly income', { exact: true }).fill('245.60');
    await page.locator('#effectiveFrom-day').fill('1');
    await page.locator('#effectiveFrom-month').fill('6');
    await page.locator('#effectiveFrom-year').fill('2026');
    await page.getByRole('button', { name: 'Save financial assessment' }).click();
    await page.waitForURL((url) => /^\/people\/\d+$/.test(url.pathname) && url.hash === '#personal-budget');
    // £245.60 - £214.35 + £2 tariff income = £33.25 a week.
    await expect(budget.innerText()).resolves.toMatch(/What the person pays\s+£33\.25/);
    await expect(budget.innerText()).resolves.toMatch(/What the council pays\s+£156\.75/);
    await expectNoAxeViolations(page, 'person page with a budget and a financial assessment');
    await screenshot(page, 'finance-person-with-contribution');

    await signOut(page);
  });

  it('a team manager agrees a budget above the ceiling at panel, sending it to finance', async () => {
    const page = await h.newPage();
    await signInAs(page, teamManager.email, teamManager.password);

    await page.getByRole('link', { name: 'Panel', exact: true }).click();
    await page.waitForURL('**/finance/panel');
    await expectNoAxeViolations(page, 'panel list');
    await page.getByRole('link', { name: 'Arthur Bennett' }).click();
    await page.waitForURL(/\/plans\/\d+\/panel$/);
    await expect(page.locator('.govuk-warning-text').innerText()).resolves.toContain('more than the RAS ceiling');
    await expectNoAxeViolations(page, 'panel page');
    await screenshot(page, 'finance-panel');

    await page.getByRole('button', { name: 'Agree and send to finance' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'panel page with errors');
    await page.getByLabel('Amount the panel agrees a week (optional)').fill('six hundred');
    await page.getByLabel('The panel’s reasons for agreeing').fill('Two staff needed for every transfer; no cheaper safe option.');
    await page.getByRole('button', { name: 'Agree and send to finance' }).click();
    await page.locator('#agreedAmount-error').waitFor();
    await expectNoAxeViolations(page, 'panel page with a wrong amount');
    await page.getByLabel('Amount the panel agrees a week (optional)').fill('640.00');
    await page.getByRole('button', { name: 'Agree and send to finance' }).click();
    await page.waitForURL('**/finance/panel');
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('£640.00 a week for Arthur Bennett');
    await expectNoAxeViolations(page, 'panel list with the confirmation');
    await expect(page.locator('#panel-count').innerText()).resolves.toBe('0 plans waiting for panel');
    await signOut(page);

    const financePage = await h.newPage();
    await signInAs(financePage, financeOfficer.email, financeOfficer.password);
    await financePage.goto('/finance/queue');
    await expect(financePage.locator('#sign-off-queue').innerText()).resolves.toContain('Arthur Bennett');
  });

  it('a finance officer returns a plan with a reason, and the person’s letter says why', async () => {
    const [careManager] = (await h.t.db('users').where({ display_name: 'Priya Shah' }).pluck('id')) as number[];
    const mary = await aPerson(h.t.db, { teamId: grace.team_id, givenName: 'Mary', familyName: 'Lowe', reference: 'SD-03003' });
    const returnedPlanId = (
      await aSubmittedPlan(h.t.db, { person: mary, createdBy: careManager as number, items: [{ weeklyPence: 9_000 }] })
    ).id;
    const page = await h.newPage();
    await signInAs(page, financeOfficer.email, financeOfficer.password);
    await page.goto(`/plans/${returnedPlanId}/sign-off`);
    await page.getByLabel('Why are you returning it?').fill('Please cost the day centre at its 2026 price.');
    await page.getByRole('button', { name: 'Return plan' }).click();
    await page.waitForURL('**/finance/queue');
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Plan returned to the care manager');
    await expectNoAxeViolations(page, 'sign-off queue with the confirmation');

    await page.goto(`/plans/${returnedPlanId}/decision-letter`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'Your support plan needs changing before it can be agreed',
    );
    await expect(page.locator('.govuk-inset-text').innerText()).resolves.toContain('Please cost the day centre at its 2026 price.');
    await expectNoAxeViolations(page, 'decision letter for a returned plan');
    await screenshot(page, 'finance-decision-letter-returned');
    await signOut(page);
  });
});
