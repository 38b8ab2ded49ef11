import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices } from '../../src/services.js';
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
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { aScheduledReview, anApprovedBudget } from '../support/review-builders.js';

// The app's clock stands on Monday 15 June 2026.
let h: BrowserHarness;
let careManager: TestUser;
let teamManager: TestUser;
let financeOfficer: TestUser;
let admin: TestUser;
let grace: PersonRow;

beforeAll(async () => {
  h = await startBrowserHarness();
  const services = createServices(h.t.db, h.t.clock);
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Sam Patel' });
  teamManager = await aUser(h.t.db, { role: 'team_manager', teamId: team.id, displayName: 'Helen Marsh' });
  financeOfficer = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  admin = await aUser(h.t.db, { role: 'admin', displayName: 'Ada Admin' });

  grace = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-04001',
    allocatedWorkerId: careManager.id,
  });
  // From 1 April, so the first review fell due on 27 May: 19 days overdue.
  await anApprovedBudget(services, h.t.db, h.t.clock, {
    person: grace,
    careManager,
    financeOfficer,
    startDate: '2026-04-01',
    items: [
      { weeklyPence: 12_000, managementOption: 'direct_payment', description: 'Personal assistant every morning' },
      { weeklyPence: 8_000, description: 'Day centre twice a week' },
    ],
  });
  const arthur = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Arthur',
    familyName: 'Bennett',
    reference: 'SD-04002',
    allocatedWorkerId: careManager.id,
  });
  await aScheduledReview(h.t.db, { person: arthur, dueDate: '2026-06-25', assignedTo: careManager.id });
  const ruth = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Ruth',
    familyName: 'Adeyemi',
    reference: 'SD-04003',
    allocatedWorkerId: careManager.id,
  });
  await aScheduledReview(h.t.db, { person: ruth, dueDate: '2026-07-10', assignedTo: careManager.id });
  await aPerson(h.t.db, { teamId: team.id, givenName: 'Nia', familyName: 'Evans', reference: 'SD-04004' });
  const dev = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Dev',
    familyName: 'Kapoor',
    reference: 'SD-04005',
    clientGroup: 'learning_disability',
    allocatedWorkerId: careManager.id,
  });
  await aSubmittedPlan(h.t.db, {
    person: dev,
    createdBy: careManager.id,
    items: [{ weeklyPence: 65_000 }],
    panelStatus: 'awaiting',
    submittedAt: '2026-06-08T09:00:00Z',
  });
  const olive = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Olive',
    familyName: 'Grant',
    reference: 'SD-04006',
    allocatedWorkerId: careManager.id,
  });
  await aSubmittedAssessment(h.t.db, { person: olive, submittedBy: careManager.id });
  await aSubmittedPlan(h.t.db, {
    person: olive,
    createdBy: careManager.id,
    items: [{ weeklyPence: 9_000 }],
    submittedAt: '2026-06-01T09:00:00Z',
  });
});
afterAll(() => h?.close());

describeInBrowser('home pages, the dashboard and reviews in a browser', () => {
  it('shows each role its own home page, sortable without JavaScript, and the dashboard', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    expect(new URL(page.url()).pathname).toBe('/');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your work');
    await expect(page.locator('#overdue').innerText()).resolves.toContain('overdue by 19 days');
    await expect(page.locator('#due-soon-table tbody tr').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Arthur Bennett'),
      expect.stringContaining('Ruth Adeyemi'),
    ]);
    await expectNoAxeViolations(page, 'care manager home');
    await screenshot(page, 'home-care-manager');

    await page
      .locator('#due-soon')
      .getByRole('link', { name: /^Person/ })
      .click();
    await page.waitForURL(/table=due-soon&sort=person&dir=asc/);
    await expect(page.locator('#due-soon-table th[aria-sort="ascending"]').innerText()).resolves.toContain('Person');
    await expect(page.locator('#due-soon-table tbody tr').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Ruth Adeyemi'),
      expect.stringContaining('Arthur Bennett'),
    ]);
    await expectNoAxeViolations(page, 'care manager home sorted');
    await signOut(page);

    const noScript = await h.newPage({ javaScriptEnabled: false });
    await signInAs(noScript, teamManager.email, teamManager.password);
    await expect(noScript.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your team');
    await expect(noScript.locator('#workers-table').innerText()).resolves.toContain('Priya Shah');
    await expect(noScript.locator('#panel').innerText()).resolves.toContain('Dev Kapoor');
    await expect(noScript.locator('#unallocated').innerText()).resolves.toContain('Nia Evans');
    await noScript
      .locator('#workers')
      .getByRole('link', { name: /^Reviews overdue/ })
      .click();
    await noScript.waitForURL(/table=workers&sort=overdue&dir=desc/);
    await expect(noScript.locator('#workers-table tbody tr').first().innerText()).resolves.toContain('Priya Shah');

    const manager = await h.newPage();
    await signInAs(manager, teamManager.email, teamManager.password);
    await expectNoAxeViolations(manager, 'team manager home');
    await screenshot(manager, 'home-team-manager');
    await manager.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await manager.waitForURL('**/reports/dashboard');
    await expect(manager.locator('svg#uptake-by-client-group').count()).resolves.toBe(1);
    await expectNoAxeViolations(manager, 'dashboard');
    await screenshot(manager, 'dashboard');
    await signOut(manager);

    const finance = await h.newPage();
    await signInAs(finance, financeOfficer.email, financeOfficer.password);
    await expect(finance.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Finance');
    await expect(finance.locator('#sign-off').innerText()).resolves.toContain('Olive Grant');
    await expect(finance.locator('#unassessed').innerText()).resolves.toContain('Grace Okafor');
    await expectNoAxeViolations(finance, 'finance home');
    await screenshot(finance, 'home-finance');
    await signOut(finance);

    const administrator = await h.newPage();
    await signInAs(administrator, admin.email, admin.password);
    await expect(administrator.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Administration');
    await expect(administrator.locator('#users').innerText()).resolves.toContain('Priya Shah');
    await expectNoAxeViolations(administrator, 'admin home');
    await screenshot(administrator, 'home-admin');
    await administrator.goto('/reports/dashboard');
    await expectNoAxeViolations(administrator, 'dashboard for all teams');
    await signOut(administrator);
  });

  it('a care manager completes a review after correcting a mistake, then adds an unplanned one', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    await page.locator('#overdue').getByRole('link', { name: 'First review for Grace Okafor' }).click();
    await page.waitForURL(/\/reviews\/\d+$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('First review');
    await expectNoAxeViolations(page, 'review page');
    await screenshot(page, 'review-form');

    await page.getByLabel('Carry on with the current plan').check();

    await page
      .getByRole('group', { name: /^Outcome 1:/ })
      .getByLabel('Not met', { exact: true })
      .check();
    await page
      .getByLabel('How has the personal budget been used?')
      .fill('The personal assistant comes every morning; the day centre place is used twice a week.');
    await page.getByLabel('Underspent').check();
    await page.getByLabel('What does Grace think about their support?').fill('I like my PA. I would like to go out more at weekends.');
    await page.locator('#reviewDate-day').fill('10');
    await page.locator('#reviewDate-month').fill('6');
    await page.locator('#reviewDate-year').fill('2026');
    await page.getByRole('button', { name: 'Complete review' }).click();

    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual(['Say why outcome 1 is not met']);
    await expect(page.getByLabel('How has the personal budget been used?').inputValue()).resolves.toContain('day centre place');
    await expectNoAxeViolations(page, 'review page with an error');
    await screenshot(page, 'review-form-error');

    await summary.getByRole('link', { name: 'Say why outcome 1 is not met' }).click();
    await expectFocused(page, '[name$="-comment"]');
    await page.keyboard.type('Evenings are still lonely; she has not been out at weekends.');
    await page.getByRole('button', { name: 'Complete review' }).click();

    await page.waitForURL(/\/reviews\/\d+\?completed=yes$/);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Review completed');
    await expect(page.locator('main').innerText()).resolves.toContain('Evenings are still lonely');
    await expectNoAxeViolations(page, 'completed review');
    await screenshot(page, 'review-completed');

    await page.getByRole('link', { name: 'Grace Okafor' }).first().click();
    await page.waitForURL(/\/people\/\d+$/);
    const reviews = page.locator('#reviews');
    await expect(reviews.innerText()).resolves.toContain('10 June 2027');
    await expectNoAxeViolations(page, 'person page with reviews');

    await reviews.getByRole('link', { name: 'Add an unplanned review' }).click();
    await page.waitForURL(/\/reviews\/new$/);
    await expectNoAxeViolations(page, 'unplanned review form');
    await page.getByLabel('Why is the review needed?').fill('Her daughter rang: Grace had a fall at home');
    await page.locator('#dueDate-day').fill('22');
    await page.locator('#dueDate-month').fill('6');
    await page.locator('#dueDate-year').fill('2026');
    await page.getByRole('button', { name: 'Add review' }).click();
    await page.waitForURL((url) => /^\/people\/\d+$/.test(url.pathname) && url.hash === '#reviews');
    await expect(reviews.innerText()).resolves.toContain('due in 7 days');

    await reviews.getByRole('link', { name: /Unplanned review/ }).click();
    await page.getByRole('link', { name: /Reassign/ }).click();
    await expectNoAxeViolations(page, 'reassign a review');
    await page.getByLabel('Sam Patel').check();
    await page.getByRole('button', { name: 'Reassign review' }).click();
    await page.waitForURL(/\/reviews\/\d+$/);
    await expect(page.locator('main').innerText()).resolves.toContain('Sam Patel');
    await signOut(page);
  });
});
