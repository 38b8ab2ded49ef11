import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices } from '../../src/services.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { describeInBrowser, expectNoAxeViolations, signInAs, startBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { aSubmittedPlan } from '../support/plan-builders.js';
import { actorOf } from '../support/review-builders.js';

// The app's clock stands on Monday 15 June 2026 at 11:00 in London.
let h: BrowserHarness;
let careManager: TestUser;
let doris: PersonRow;
let planId: number;

beforeAll(async () => {
  h = await startBrowserHarness();
  const services = createServices(h.t.db, h.t.clock);
  const team = await aTeam(h.t.db, 'North');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  const financeOfficer = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  doris = await aPerson(h.t.db, { teamId: team.id, givenName: 'Doris', familyName: 'Whitfield', allocatedWorkerId: careManager.id });
  const plan = await aSubmittedPlan(h.t.db, { person: doris, createdBy: careManager.id, items: [{ weeklyPence: 9_000 }] });
  await services.finance.returnPlan(actorOf(financeOfficer), plan.id, { returnReason: 'Add the evening calls', version: plan.version });
  planId = plan.id;
});
afterAll(() => h?.close());

describeInBrowser('case notes and home-page notices in a browser', () => {
  it('shows a notice on the home page, records a note after its errors, and filters the timeline to notes', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    const notices = page.locator('#notices');
    await expect(notices.getByRole('link').allInnerTexts()).resolves.toEqual(['Support plan for Doris Whitfield returned by finance']);
    await expect(notices.innerText()).resolves.toContain('Reason: Add the evening calls');
    await expectNoAxeViolations(page, 'home page with a notice');
    await expect(notices.getByRole('link').getAttribute('href')).resolves.toBe(`/plans/${planId}`);

    await page.goto(`/people/${doris.id}`);
    await page.getByRole('link', { name: 'Record a note or contact' }).click();
    await page.getByRole('button', { name: 'Save note' }).click();
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual([
      'Select what kind of contact or note this is',
      'Enter the date of the contact',
      'Enter the time of the contact',
      'Enter what happened',
    ]);
    await expectNoAxeViolations(page, 'note form with errors');

    await page.getByLabel('Visit').check();
    await page.getByLabel('Day').fill('15');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('Time of the contact').fill('10:30');
    await page.getByLabel('Who was involved').fill('Doris and her daughter');
    await page.getByLabel('What happened').fill('Talked through the evening calls.');
    await Promise.all([
      page.waitForURL((url) => url.pathname === `/people/${doris.id}`),
      page.getByRole('button', { name: 'Save note' }).click(),
    ]);
    await expect(page.locator('.app-timeline').first().innerText()).resolves.toContain('Talked through the evening calls.');

    await page.getByRole('link', { name: /See everything that has happened/ }).click();
    await page.getByLabel('Show').selectOption('notes');
    await Promise.all([page.waitForURL('**/timeline?kind=notes'), page.getByRole('button', { name: 'Show these' }).click()]);
    await expect(page.locator('.app-timeline li').allInnerTexts()).resolves.toEqual([
      expect.stringContaining('Visit With Doris and her daughter'),
    ]);
    await expectNoAxeViolations(page, 'timeline of notes');
  });
});
