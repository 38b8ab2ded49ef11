import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let admin: TestUser;
let manager: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  const db = h.t.db;
  const north = await aTeam(db, 'North Leeds Community Team');
  const south = await aTeam(db, 'South Leeds Community Team');
  admin = await aUser(db, { role: 'admin', displayName: 'Sam Admin' });
  manager = await aUser(db, { role: 'team_manager', teamId: north.id, displayName: 'Helen Marsh' });
  const worker = await aUser(db, { role: 'care_manager', teamId: north.id });
  await ensureDefaultRas(db, h.t.clock);
  const ras = (await db('ras_versions').where({ status: 'published' }).first('id')) as { id: number };
  // Today is 15 June 2026 (the test clock): a few people referred this spring and assessed since.
  for (const [index, [teamId, receivedOn, submittedOn]] of (
    [
      [north.id, '2026-04-01', '2026-04-20'],
      [north.id, '2026-04-10', '2026-05-02'],
      [south.id, '2026-02-02', '2026-03-10'],
      [south.id, '2026-05-01', '2026-06-01'],
    ] as const
  ).entries()) {
    const person = await aPerson(db, { teamId, familyName: `Referred${index}` });
    await db('support_requests').insert({ person_id: person.id, received_on: receivedOn, route_of_access: 'community_other' });
    await db('assessments').insert({
      person_id: person.id,
      assessment_type: 'person',
      client_group: person.client_group,
      ras_version_id: ras.id,
      status: 'submitted',
      started_by: worker.id,
      started_at: `${receivedOn}T12:00:00Z`,
      submitted_by: worker.id,
      submitted_at: `${submittedOn}T10:00:00Z`,
      eligible: true,
      raw_points: 40,
      modifier_percent: 0,
      annual_pence: 520_000,
      weekly_pence: 10_000,
      below_threshold: false,
      exceeds_ceiling: false,
    });
  }
});
afterAll(() => h?.close());

describeInBrowser('the reports in a browser', () => {
  it('an administrator opens the timeliness report from the reports page, and the dashboard with the national targets', async () => {
    const page = await h.newPage();
    await signInAs(page, admin.email, admin.password);
    await page.goto('/reports');
    await page.getByRole('link', { name: 'Timeliness: from referral to review' }).click();
    await page.waitForURL('**/reports/timeliness');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Timeliness: from referral to review');
    await expect(page.getByRole('img', { name: 'Referral to assessment submitted: all teams' }).count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'Referral to assessment submitted, as a table' }).count()).resolves.toBe(1);
    await expectNoAxeViolations(page, 'timeliness report');
    await screenshot(page, 'timeliness-report');

    await page.goto('/reports/dashboard');
    await expect(page.getByRole('table', { name: 'Personal budget uptake against the national targets' }).count()).resolves.toBe(1);
    await expectNoAxeViolations(page, 'dashboard with the national targets');
  });

  it('a team manager sees their own team charted and marked', async () => {
    const page = await h.newPage();
    await signInAs(page, manager.email, manager.password);
    await page.goto('/reports/timeliness');
    await expect(page.getByRole('img', { name: 'Referral to assessment submitted: North Leeds Community Team' }).count()).resolves.toBe(1);
    await expect(page.getByText('Your team').count()).resolves.toBeGreaterThan(0);
    await expectNoAxeViolations(page, 'timeliness report for a team manager');
  });
});
