import { afterAll, beforeAll, expect, it } from 'vitest';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectNoAxeViolations,
  signInAs,
  signOut,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let careManager: TestUser;
let teamManager: TestUser;
let financeOfficer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'Paging Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Carol Pages' });
  teamManager = await aUser(h.t.db, { role: 'team_manager', teamId: team.id });
  financeOfficer = await aUser(h.t.db, { role: 'finance_officer' });
  admin = await aUser(h.t.db, { role: 'admin' });
  // Enough for three pages of a care manager's people and two of the team's unallocated.
  for (let i = 0; i < 120; i++) {
    await aPerson(h.t.db, { teamId: team.id, familyName: `Paged${String(i).padStart(3, '0')}`, allocatedWorkerId: careManager.id });
  }
  for (let i = 0; i < 60; i++) await aPerson(h.t.db, { teamId: team.id, familyName: `Waiting${String(i).padStart(3, '0')}` });
  for (let i = 0; i < 55; i++) await aUser(h.t.db, { role: 'care_manager', teamId: team.id });
}, 120_000);
afterAll(() => h?.close());

describeInBrowser('lists a page at a time in a browser', () => {
  it('a care manager goes from their home page to all of their people, a page at a time, with no accessibility faults', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);

    await page.getByRole('link', { name: 'See all 120 people allocated to you' }).click();
    await page.waitForURL('**/home/my-people');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('People allocated to you');
    await expect(page.locator('tbody tr').count()).resolves.toBe(50);
    await expectNoAxeViolations(page, 'all of a care manager’s people');

    await page.getByRole('link', { name: 'Next page' }).click();
    await page.waitForURL('**/home/my-people?page=2');
    await expect(page.locator('tbody tr').first().innerText()).resolves.toContain('Paged050');
    await expect(page.getByRole('link', { name: 'Page 2' }).getAttribute('aria-current')).resolves.toBe('page');
    await expectNoAxeViolations(page, 'the second page of a care manager’s people');

    for (const list of ['overdue', 'due-soon', 'returned', 'drafts']) {
      await page.goto(`/home/${list}`);
      await expectNoAxeViolations(page, `/home/${list} for a care manager`);
    }
    await signOut(page);
  });

  it('a team manager, a finance officer and an administrator see their lists without accessibility faults', async () => {
    const page = await h.newPage();
    await signInAs(page, teamManager.email, teamManager.password);
    await page.getByRole('link', { name: 'See all 60 people not allocated' }).click();
    await page.waitForURL('**/home/unallocated');
    await expect(page.locator('tbody tr').count()).resolves.toBe(50);
    await expectNoAxeViolations(page, 'people not allocated');
    await page.goto('/finance/panel');
    await expectNoAxeViolations(page, 'the panel queue');
    await signOut(page);

    await signInAs(page, financeOfficer.email, financeOfficer.password);
    for (const path of ['/home/starting', '/home/unassessed', '/finance/queue']) {
      await page.goto(path);
      await expectNoAxeViolations(page, path);
    }
    await signOut(page);

    await signInAs(page, admin.email, admin.password);
    await page.goto('/admin/users?page=2');
    await expect(page.getByRole('link', { name: 'Page 2' }).getAttribute('aria-current')).resolves.toBe('page');
    await expectNoAxeViolations(page, 'the second page of users');
  });
});
