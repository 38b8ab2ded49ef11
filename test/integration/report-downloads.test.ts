import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { aScheduledReview, anApprovedBudget } from '../support/review-builders.js';

/*
 * Two teams, one older person each; today is 15 June 2026 (the test clock). The second team's
 * name is a spreadsheet formula, as a hostile or careless name could be.
 *   North: A assessed 1 May 10am, budget of £100 a week council-managed approved 1 June, from 1 June.
 *   "=HYPERLINK(...)": B assessed, eligible, no plan yet.
 * Uptake: 1 of 2 = 50%. The council's target is 60% from 1 January 2026: ceil(0.6 x 2) = 2 needed, 1 short.
 * National targets: 30% needs ceil(0.6) = 1, met (0 short); 40% needs ceil(0.8) = 1, met; 100% needs 2, 1 short.
 * North alone: 1 of 1 = 100%, nothing short; the other team 0 of 1, 1 short of 30% (ceil 0.3 = 1), 40% and 100%.
 * Wait for sign-off: 1 May to 1 June = 31 days, one budget, over 18 March to 15 June.
 * Lists: B's plan (£120 a week against an indicative £175.58) waits for sign-off since 10 June: 5 days.
 * A's annual review was due on 1 June: 14 days overdue, with North's care manager.
 */

const hostileTeam = '=HYPERLINK("http://evil.example","Click me")';

let t: TestApp;
let admin: TestUser;
let administrator: Agent;
let finance: TestUser;
let manager: TestUser;
let references: { a: string; b: string };

beforeAll(async () => {
  t = await buildTestApp();
  const services = createServices(t.db, t.clock);
  const north = await aTeam(t.db, 'North');
  const other = await aTeam(t.db, hostileTeam);
  admin = await aUser(t.db, { role: 'admin' });
  const worker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  const financeOfficer = await aUser(t.db, { role: 'finance_officer' });
  finance = financeOfficer;
  manager = await aUser(t.db, { role: 'team_manager', teamId: north.id });
  await t.db('uptake_targets').del();
  await t.db('uptake_targets').insert({ in_force_from: '2026-01-01', target_percent: 60 });

  const a = await aPerson(t.db, { teamId: north.id, clientGroup: 'older_people' });
  await anApprovedBudget(services, t.db, t.clock, {
    person: a,
    careManager: worker,
    financeOfficer,
    items: [{ weeklyPence: 10_000 }],
    startDate: '2026-06-01',
    approvedAt: '2026-06-01T10:00:00Z',
    assessment: await aSubmittedAssessment(t.db, { person: a, submittedBy: worker.id, submittedAt: '2026-05-01T10:00:00Z' }),
  });
  const b = await aPerson(t.db, { teamId: other.id, clientGroup: 'older_people' });
  const assessment = await aSubmittedAssessment(t.db, { person: b, submittedBy: worker.id });
  await aSubmittedPlan(t.db, {
    person: b,
    createdBy: worker.id,
    items: [{ weeklyPence: 12_000 }],
    assessment,
    submittedAt: '2026-06-10T09:00:00Z',
  });
  await aScheduledReview(t.db, { person: a, dueDate: '2026-06-01', assignedTo: worker.id });
  references = { a: a.reference, b: b.reference };
  administrator = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

async function csvLines(path: string, agent?: Agent): Promise<string[]> {
  const response = await (agent ?? administrator).get(path);
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.text.startsWith('\uFEFF')).toBe(true);
  return response.text.slice(1).trimEnd().split('\r\n');
}

const nationalHeadings =
  'Short of the national target of 30% by 1 April 2011,Short of the national target of 40% by 1 April 2012,Short of the national target of 100% by 1 April 2013';

describe('report tables as CSV downloads', () => {
  it('writes uptake by client group against the council’s and the national targets', async () => {
    expect(await csvLines('/reports/dashboard/uptake-by-client-group.csv')).toEqual([
      `Client group,People with eligible needs,With an active personal budget,Share (%),Council target (%),Council target from,Short of the council target,${nationalHeadings}`,
      'Older people,2,1,50,60,2026-01-01,1,0,0,1',
      'All,2,1,50,60,2026-01-01,1,0,0,1',
    ]);
  });

  it('writes a team named like a formula as text, so it cannot run in a spreadsheet', async () => {
    const lines = await csvLines('/reports/dashboard/uptake-by-team.csv');
    // The cell starts with an apostrophe (text) inside the CSV quotes its own quotes and comma need.
    expect(lines).toContain(`"'=HYPERLINK(""http://evil.example"",""Click me"")",1,0,0,60,2026-01-01,1,1,1,1`);
    expect(lines).toContain('North,1,1,100,60,2026-01-01,0,0,0,0');
    expect(lines.some((line) => line.startsWith('=') || line.startsWith('"='))).toBe(false);
  });

  it('writes the management options with pounds to two decimals', async () => {
    expect(await csvLines('/reports/dashboard/management-options.csv')).toEqual([
      'Management option,Budgets using it,Amount a week (£),Share of the total (%)',
      'Direct payment,0,0.00,0',
      'Council-managed budget,1,100.00,100',
      'Individual service fund (held by a provider),0,0.00,0',
      'Prepaid card,0,0.00,0',
    ]);
  });

  it('writes the wait for sign-off with ISO dates', async () => {
    expect(await csvLines('/reports/dashboard/sign-off-waits.csv')).toEqual([
      'From,To,Budgets approved,Median days from assessment to sign-off',
      '2026-03-18,2026-06-15,1,31',
    ]);
  });

  it('writes indicative against approved by client group, empty where a group has no budgets', async () => {
    const lines = await csvLines('/reports/calibration.csv');
    expect(lines[0]).toBe(
      'Client group,Budgets,Mean indicative a year (£),Mean approved a year (£),Approved ÷ indicative,Current price a point (£),Matching price: total approved ÷ total points (£),Matching price: least squares (£)',
    );
    expect(lines.find((line) => line.startsWith('Older people,'))).toMatch(
      /^Older people,1,9130\.00,\d+\.\d\d,\d\.\d\d,\d+\.\d\d,\d+\.\d\d,\d+\.\d\d$/,
    );
    expect(lines.find((line) => line.startsWith('Learning disability,'))).toMatch(/^Learning disability,0,,,,\d+\.\d\d,,$/);
  });

  it('writes the sign-off queue for finance, one line a plan, with the filter on the page', async () => {
    const officer = await signIn(t.app, finance.email, finance.password);
    const lines = await csvLines('/finance/queue.csv', officer);
    expect(lines).toEqual([
      'Reference,Given name,Family name,Team,Client group,Submitted,Days waiting,Indicative a week (£),Planned a week (£),Above the indicative budget by (£),Agreed at panel',
      expect.stringMatching(
        new RegExp(
          `^${references.b},Test,Person\\d+,"'=HYPERLINK\\(""http://evil.example"",""Click me""\\)",Older people,2026-06-10,5,175\\.58,120\\.00,0\\.00,No$`,
        ),
      ),
    ]);
    const north = (await t.db('teams').where({ name: 'North' }).first('id')) as { id: number };
    expect(await csvLines(`/finance/queue.csv?team=${north.id}`, officer)).toHaveLength(1);
  });

  it('writes a team’s overdue reviews for its team manager', async () => {
    const teamManager = await signIn(t.app, manager.email, manager.password);
    const lines = await csvLines('/home/overdue.csv', teamManager);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('Reference,Given name,Family name,Client group,Review,Due,Days overdue,Assigned to');
    expect(lines[1]).toMatch(new RegExp(`^${references.a},Test,Person\\d+,Older people,[^,]+,2026-06-01,14,care_manager \\d+$`));
  });

  it('records each download in the audit trail with the table taken', async () => {
    const [last] = (await t.db('audit_events').max('id as id')) as [{ id: number }];
    await csvLines('/reports/dashboard/management-options.csv');
    expect(await t.db('audit_events').where('id', '>', last.id).select('action', 'user_id', 'entity_type', 'entity_id')).toEqual([
      { action: 'report_downloaded', user_id: admin.id, entity_type: 'report', entity_id: 'management-options' },
    ]);
  });

  it('shows uptake against the national targets on the dashboard, with a download link under each table', async () => {
    const response = await administrator.get('/reports/dashboard');
    expect(response.status).toBe(200);
    const text = response.text;
    expect(text).toContain('Personal budget uptake against the national targets');
    expect(text).toMatch(/<th scope="col" class="govuk-table__header">100% by 1 April 2013<\/th>/);
    expect(text).toMatch(
      /<th scope="row" class="govuk-table__header">All<\/th>\s*<td[^>]*>50%<\/td>\s*<td[^>]*><strong class="govuk-tag govuk-tag--green">\s*Met\s*<\/strong>\s*<\/td>\s*<td[^>]*><strong class="govuk-tag govuk-tag--green">\s*Met\s*<\/strong>\s*<\/td>\s*<td[^>]*><strong class="govuk-tag govuk-tag--orange">\s*1 short\s*<\/strong>\s*<\/td>/,
    );
    for (const table of ['uptake-by-client-group', 'uptake-by-team', 'management-options', 'sign-off-waits']) {
      expect(text).toContain(`href="/reports/dashboard/${table}.csv"`);
    }
  });
});
