import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../src/services.js';
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
import { anApprovedBudget } from '../support/review-builders.js';

// The app's clock stands on Monday 15 June 2026.
let h: BrowserHarness;
let teamManager: TestUser;
let personId: number;
let budgetId: number;

beforeAll(async () => {
  h = await startBrowserHarness();
  const services = createServices(h.t.db, h.t.clock);
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  const careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  teamManager = await aUser(h.t.db, { role: 'team_manager', teamId: team.id, displayName: 'Helen Marsh' });
  const financeOfficer = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  const grace = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-05001',
    allocatedWorkerId: careManager.id,
  });
  const { budget } = await anApprovedBudget(services, h.t.db, h.t.clock, {
    person: grace,
    careManager,
    financeOfficer,
    startDate: '2026-04-01',
    items: [
      { weeklyPence: 10_000, managementOption: 'direct_payment', description: 'Personal assistant every morning' },
      { weeklyPence: 5_000, description: 'Day centre twice a week' },
    ],
  });
  personId = grace.id;
  budgetId = (budget as { id: number }).id;
});
afterAll(() => h?.close());

describeInBrowser('ending a personal budget in a browser', () => {
  it('a team manager is told what is missing, then ends the budget and sees the confirmation on the person page', async () => {
    const page = await h.newPage();
    await signInAs(page, teamManager.email, teamManager.password);

    await page.goto(`/budgets/${budgetId}/end`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('End this personal budget');
    await expect(page.locator('#budget').innerText()).resolves.toContain('£150.00 a week');
    await expectNoAxeViolations(page, 'end budget page');
    await screenshot(page, 'budget-ending');

    await page.getByRole('button', { name: 'End the personal budget' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual([
      'Enter the date the budget ends',
      'Select why the personal budget is ending',
    ]);
    await expectNoAxeViolations(page, 'end budget page with errors');
    await screenshot(page, 'budget-ending-errors');

    await summary.getByRole('link', { name: 'Enter the date the budget ends' }).click();
    await expectFocused(page, '#endDate-day');
    await page.locator('#endDate-day').fill('31');
    await page.locator('#endDate-month').fill('7');
    await page.locator('#endDate-year').fill('2026');
    await page.getByLabel('Moved into residential or nursing care').check();
    await page.getByLabel('Anything else about why it is ending (optional)').fill('Oakfield House from 1 August');
    await Promise.all([
      page.waitForURL(`**/people/${personId}#personal-budget`),
      page.getByRole('button', { name: 'End the personal budget' }).click(),
    ]);

    const banner = page.locator('.govuk-notification-banner--success');
    await expect(banner.innerText()).resolves.toContain('Personal budget ended');
    await expect(banner.innerText()).resolves.toContain('Its last day is 31 July 2026.');
    await expect(page.locator('.app-timeline').innerText()).resolves.toContain(
      'Personal budget ended (last day 31 July 2026): moved into residential or nursing care',
    );
    await expectNoAxeViolations(page, 'person page after ending the budget');
    await screenshot(page, 'budget-ending-done');
  });
});
