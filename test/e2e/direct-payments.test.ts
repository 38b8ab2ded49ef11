import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../src/services.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { aDirectPaymentBudget } from '../support/direct-payment-builders.js';
import {
  describeInBrowser,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

// The app's clock stands on Monday 15 June 2026, the first day of a 4-weekly payment period.
let h: BrowserHarness;
let finance: TestUser;
let secondFinance: TestUser;
let personId: number;
let manager: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  const services = createServices(h.t.db, h.t.clock);
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  const careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  finance = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  secondFinance = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Nia Evans' });
  manager = await aUser(h.t.db, { role: 'team_manager', teamId: team.id, displayName: 'Helen Marsh' });
  const grace = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-05001',
    allocatedWorkerId: careManager.id,
  });
  await aDirectPaymentBudget(services, h.t.db, h.t.clock, {
    person: grace,
    careManager,
    financeOfficer: finance,
    weeklyPence: 100_00,
    startDate: '2026-06-03',
    bankDetails: null,
  });
  personId = grace.id;
});
afterAll(() => h?.close());

describeInBrowser('paying a direct payment in a browser', () => {
  it('finance adds bank details, creates a run that another finance officer approves, and every page has no axe violations', async () => {
    const page = await h.newPage();
    await signInAs(page, finance.email, finance.password);

    await page.goto(`/people/${personId}`);
    await page.getByRole('link', { name: 'Payment schedule, payments made and bank details' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Direct payments');
    await expect(page.locator('main').innerText()).resolves.toContain('3 June 2026 to 14 June 2026 (part period)');
    await expectNoAxeViolations(page, 'person direct payments page');
    await screenshot(page, 'direct-payments-person');

    await page.getByRole('link', { name: 'Add bank details' }).click();
    await page.getByRole('button', { name: 'Save bank details' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'bank details page with errors');
    await page.getByLabel('The person').check();
    await page.getByLabel('Name on the account').fill('Grace Okafor');
    await page.getByLabel('Sort code').fill('30-99-50');
    await page.getByLabel('Account number').fill('00733445');
    await Promise.all([
      page.waitForURL(`**/people/${personId}/direct-payments`),
      page.getByRole('button', { name: 'Save bank details' }).click(),
    ]);
    await expect(page.locator('#bank-details + dl').innerText()).resolves.toContain('****3445');

    await page.goto('/direct-payments/runs');
    await expectNoAxeViolations(page, 'payment runs page');
    await page.getByRole('button', { name: 'Create payment run' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'payment runs page with errors');
    await page.locator('#paymentDate-day').fill('15');
    await page.locator('#paymentDate-month').fill('6');
    await page.locator('#paymentDate-year').fill('2026');
    await Promise.all([page.waitForURL(/\/direct-payments\/runs\/\d+$/), page.getByRole('button', { name: 'Create payment run' }).click()]);
    const runUrl = page.url();
    await expect(page.locator('main').innerText()).resolves.toContain('You created this run, so another finance officer must approve it.');
    await expect(page.locator('#payments').innerText()).resolves.toContain('£171.43');
    await expectNoAxeViolations(page, 'payment run page');
    await screenshot(page, 'direct-payments-run');

    const second = await h.newPage();
    await signInAs(second, secondFinance.email, secondFinance.password);
    await second.goto(runUrl);
    await second.getByRole('button', { name: 'Approve this payment run' }).click();
    await second.getByText('Payment run approved').waitFor();
    await expect(second.getByRole('link', { name: 'Download the payment file (CSV)' }).isVisible()).resolves.toBe(true);
    await expectNoAxeViolations(second, 'approved payment run page');
  });

  it('finance records an account return that is a surplus and a recovery, and those pages have no axe violations', async () => {
    const page = await h.newPage();
    await signInAs(page, finance.email, finance.password);
    await page.goto(`/people/${personId}/direct-payments`);
    await page.getByRole('link', { name: 'Record an account return' }).click();
    await page.getByRole('button', { name: 'Record the return' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'account return page with errors');
    for (const [name, day, month] of [
      ['periodFrom', '3', '6'],
      ['periodTo', '14', '6'],
    ] as const) {
      await page.locator(`#${name}-day`).fill(day);
      await page.locator(`#${name}-month`).fill(month);
      await page.locator(`#${name}-year`).fill('2026');
    }
    await page.getByLabel('Opening balance').fill('0');
    await page.getByLabel('Money paid in').fill('971.43');
    await page.getByLabel('Money paid out').fill('100');
    await page.getByLabel('Closing balance').fill('871.43');
    await Promise.all([page.waitForURL(/direct-payments#monitoring$/), page.getByRole('button', { name: 'Record the return' }).click()]);
    await expect(page.locator('#monitoring').innerText()).resolves.toContain('is at or above £800.00, 8 weeks of payments');
    await expectNoAxeViolations(page, 'person direct payments page with a surplus');
    await screenshot(page, 'direct-payments-surplus');

    await page.getByRole('link', { name: 'Record a recovery' }).click();
    await expectNoAxeViolations(page, 'recovery page');
    await page.getByLabel('Amount to recover').fill('71.43');
    await page.getByLabel('Why it is being recovered').fill('Surplus above 8 weeks found at the review');
    await page.getByLabel('Take it from the next payments').check();
    await page.getByLabel('Most to take from each payment (optional)').fill('50');
    await Promise.all([page.waitForURL(/direct-payments#monitoring$/), page.getByRole('button', { name: 'Record the recovery' }).click()]);
    await expect(page.locator('#monitoring').innerText()).resolves.toContain('£71.43');
    await expect(page.locator('#monitoring').innerText()).resolves.toContain('Taken from the next payments, at most £50.00 from each');
    await expectNoAxeViolations(page, 'person direct payments page with a recovery taken from payments');
  });

  it('a team manager follows the dashboard’s figures to the people behind them and reads the returns in the review, with no axe violations', async () => {
    const page = await h.newPage();
    await signInAs(page, manager.email, manager.password);
    await page.goto('/reports/dashboard');
    await expectNoAxeViolations(page, 'dashboard with direct payment figures');
    await page.locator('a[href="/direct-payments/people/on-direct-payments"]').click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('People on direct payments');
    await expect(page.locator('main').innerText()).resolves.toContain('Grace Okafor');
    await expectNoAxeViolations(page, 'people on direct payments list');

    await page.goto('/reports/dashboard');
    await page.locator('a[href="/reports/dashboard/people/waits"]').click();
    await expect(page.locator('main').innerText()).resolves.toContain('Grace Okafor');
    await expectNoAxeViolations(page, 'budgets in the wait for sign-off list');

    await page.goto(`/people/${personId}`);
    await page
      .getByRole('link', { name: /Direct payment review/ })
      .first()
      .click();
    await expect(page.locator('#monitoring').innerText()).resolves.toContain('is at or above £800.00, 8 weeks of payments');
    await expectNoAxeViolations(page, 'direct payment review with the account returns');
  });
});
