import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { timelinessService } from '../../src/reports/timeliness-service.js';
import type { TimelinessFigures } from '../../src/reports/timeliness-repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn } from '../support/http.js';

/*
 * Waits from referral worked out by hand. Today is Monday 15 June 2026 (the test clock), so the
 * report covers July to September 2025 up to April to June 2026. Days are London calendar days
 * from the day the request was received to the day the step was reached.
 *
 * Assessment submitted, April to June 2026
 *   North
 *     N1 requests 1 Mar (kept), and 1 Apr (cancelled); assessment started 5 Apr, submitted 11 Apr:
 *        from 1 Mar (the cancelled one does not count): 31 days of March + 10 = 41
 *     N2 request 1 Apr, submitted 4 Apr: 3
 *     N3 request 1 May, submitted 11 May: 10
 *     N4 request 20 May, submitted 3 Jun: 11 days of May + 3 = 14
 *     N5 request 5 May, submitted 25 May: 20
 *     sorted 3, 10, 14, 20, 41 (n = 5). percentile_disc(p) is the first value whose cumulative
 *     share (1/5, 2/5, 3/5, 4/5, 5/5) reaches p: median, 3/5 = 0.6 >= 0.5, is 14;
 *     90th percentile, 5/5 >= 0.9, is 41.
 *   South
 *     S1 request 2 Apr; first submission 9 Apr (7), superseded by one on 20 Apr: the first counts, 7
 *     S2 request 2 May, submitted 23:30 UTC on 9 May = 00:30 on 10 May in London: 8 (not 7)
 *     S3 request 10 Apr, submitted 10 May: 20 days of April + 10 = 30
 *     S4 request 12 Mar, assessment started 20 Mar, submitted 11 May; a second request on 1 May
 *        came after the assessment started, so it is not the one answered:
 *        19 days of March + 30 of April + 11 = 60
 *     sorted 7, 8, 30, 60 (n = 4): median, 2/4 = 0.5 >= 0.5, is 8 (an interpolated median would
 *     be (8 + 30) / 2 = 19, a wait nobody had); 90th percentile, 4/4, is 60.
 *   All teams: 3, 7, 8, 10, 14, 20, 30, 41, 60 (n = 9): median the 5th (5/9 = 0.56 >= 0.5), 14;
 *   90th percentile the 9th (8/9 = 0.89 < 0.9, 9/9 = 1), 60.
 * Assessment submitted, January to March 2026: N6 request 5 Jan, submitted 30 Jan: 25 (median and 90th).
 * Left out: N7 submitted 20 June 2025, before the report's first quarter; N8 has no referral at all.
 *
 * Later steps, North, April to June 2026
 *   plan submitted:  N1 20 Apr = 31 + 19 = 50;  N2 15 Apr = 14.      median 14 (1/2 = 0.5), 90th 50
 *   budget approved: N1 1 May = 31 + 30 + 0 = 61; N2 30 Apr = 29.    median 29, 90th 61
 *   first review:    N1 10 Jun = 31 + 30 + 31 + 9 = 101; N2 12 Jun = 30 + 31 + 11 = 72.  median 72, 90th 101
 */

let t: TestApp;
let north: { id: number; name: string };
let south: { id: number; name: string };
let admin: TestUser;
let manager: TestUser;
let worker: TestUser;
let financeOfficer: TestUser;
let rasVersionId: number;

async function request(person: PersonRow, receivedOn: string, options: { cancelled?: boolean } = {}) {
  await t.db('support_requests').insert({
    person_id: person.id,
    received_on: receivedOn,
    route_of_access: 'community_other',
    cancelled_at: options.cancelled ? `${receivedOn}T12:00:00Z` : null,
  });
}

async function assessment(person: PersonRow, startedAt: string, submittedAt: string, status: 'submitted' | 'superseded' = 'submitted') {
  const [row] = (await t
    .db('assessments')
    .insert({
      person_id: person.id,
      assessment_type: 'person',
      client_group: person.client_group,
      ras_version_id: rasVersionId,
      status,
      started_by: worker.id,
      started_at: startedAt,
      submitted_by: worker.id,
      submitted_at: submittedAt,
      superseded_at: status === 'superseded' ? submittedAt : null,
      eligible: true,
      raw_points: 40,
      modifier_percent: 0,
      annual_pence: 520_000,
      weekly_pence: 10_000,
      below_threshold: false,
      exceeds_ceiling: false,
    })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}

/** A plan submitted and approved, its budget, and its first review completed, each on the day given. */
async function journeyOnwards(
  person: PersonRow,
  assessmentId: number,
  days: { planSubmitted: string; approved: string; reviewed: string },
) {
  const [plan] = (await t
    .db('support_plans')
    .insert({
      person_id: person.id,
      assessment_id: assessmentId,
      status: 'approved',
      indicative_annual_pence: 520_000,
      indicative_weekly_pence: 10_000,
      ceiling_pence: 10_000_000,
      submitted_by: worker.id,
      submitted_at: days.planSubmitted,
      approved_by: financeOfficer.id,
      approved_at: days.approved,
      created_by: worker.id,
    })
    .returning('id')) as { id: number }[];
  const [budget] = (await t
    .db('personal_budgets')
    .insert({
      person_id: person.id,
      plan_id: (plan as { id: number }).id,
      assessment_id: assessmentId,
      start_date: days.approved.slice(0, 10),
      weekly_pence: 10_000,
      annual_pence: 520_000,
      planned_weekly_pence: 10_000,
      planned_annual_pence: 520_000,
      individual_budget_weekly_pence: 10_000,
      council_managed_weekly_pence: 10_000,
      approved_by: financeOfficer.id,
      approved_at: days.approved,
    })
    .returning('id')) as { id: number }[];
  await t.db('reviews').insert({
    person_id: person.id,
    budget_id: (budget as { id: number }).id,
    kind: 'first',
    due_date: days.reviewed.slice(0, 10),
    status: 'completed',
    completed_at: days.reviewed,
    completed_by: worker.id,
    decision: 'continue',
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  south = await aTeam(t.db, 'South');
  admin = await aUser(t.db, { role: 'admin' });
  manager = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Helen Marsh' });
  worker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  financeOfficer = await aUser(t.db, { role: 'finance_officer' });
  await ensureDefaultRas(t.db, t.clock);
  rasVersionId = ((await t.db('ras_versions').where({ status: 'published' }).first('id')) as { id: number }).id;
  const person = (teamId: number) => aPerson(t.db, { teamId });

  const n1 = await person(north.id);
  await request(n1, '2026-03-01');
  await request(n1, '2026-04-01', { cancelled: true });
  const n1Assessment = await assessment(n1, '2026-04-05T09:00:00Z', '2026-04-11T10:00:00Z');
  await journeyOnwards(n1, n1Assessment, {
    planSubmitted: '2026-04-20T10:00:00Z',
    approved: '2026-05-01T10:00:00Z',
    reviewed: '2026-06-10T10:00:00Z',
  });

  const n2 = await person(north.id);
  await request(n2, '2026-04-01');
  const n2Assessment = await assessment(n2, '2026-04-02T09:00:00Z', '2026-04-04T10:00:00Z');
  await journeyOnwards(n2, n2Assessment, {
    planSubmitted: '2026-04-15T10:00:00Z',
    approved: '2026-04-30T10:00:00Z',
    reviewed: '2026-06-12T10:00:00Z',
  });

  for (const [receivedOn, submittedAt] of [
    ['2026-05-01', '2026-05-11T10:00:00Z'],
    ['2026-05-20', '2026-06-03T10:00:00Z'],
    ['2026-05-05', '2026-05-25T10:00:00Z'],
  ] as const) {
    const someone = await person(north.id);
    await request(someone, receivedOn);
    await assessment(someone, `${receivedOn}T12:00:00Z`, submittedAt);
  }

  const s1 = await person(south.id);
  await request(s1, '2026-04-02');
  await assessment(s1, '2026-04-03T09:00:00Z', '2026-04-09T10:00:00Z', 'superseded');
  await assessment(s1, '2026-04-15T09:00:00Z', '2026-04-20T10:00:00Z');

  const s2 = await person(south.id);
  await request(s2, '2026-05-02');
  await assessment(s2, '2026-05-03T09:00:00Z', '2026-05-09T23:30:00Z');

  const s3 = await person(south.id);
  await request(s3, '2026-04-10');
  await assessment(s3, '2026-04-11T09:00:00Z', '2026-05-10T10:00:00Z');

  const s4 = await person(south.id);
  await request(s4, '2026-03-12');
  await request(s4, '2026-05-01');
  await assessment(s4, '2026-03-20T09:00:00Z', '2026-05-11T10:00:00Z');

  const n6 = await person(north.id);
  await request(n6, '2026-01-05');
  await assessment(n6, '2026-01-06T09:00:00Z', '2026-01-30T10:00:00Z');

  const n7 = await person(north.id);
  await request(n7, '2025-06-01');
  await assessment(n7, '2025-06-02T09:00:00Z', '2025-06-20T10:00:00Z');

  const n8 = await person(north.id);
  await assessment(n8, '2026-05-02T09:00:00Z', '2026-05-12T10:00:00Z');
});
afterAll(() => t.drop());

const asAdmin = () => ({ id: admin.id, email: admin.email, displayName: admin.displayName, role: admin.role, teamId: null });

async function lastEventId(): Promise<number> {
  const [row] = (await t.db('audit_events').max('id as id')) as [{ id: number | null }];
  return Number(row.id ?? 0);
}

function figure(figures: TimelinessFigures[], stage: string, quarter: string, teamId: number | null) {
  const line = figures.find((candidate) => candidate.stage === stage && candidate.quarter === quarter && candidate.teamId === teamId);
  return line && [line.journeys, line.medianDays, line.ninetiethPercentileDays];
}

describe('timeliness from referral', () => {
  it('gives the medians and 90th percentiles worked out by hand, per team and for every team', async () => {
    const report = await timelinessService(t.db, t.clock).timeliness(asAdmin());
    expect(report.quarters).toEqual(['2025-07-01', '2025-10-01', '2026-01-01', '2026-04-01']);
    const { figures } = report;
    //                                                              [people, median, 90th]
    expect(figure(figures, 'assessment', '2026-04-01', north.id)).toEqual([5, 14, 41]);
    expect(figure(figures, 'assessment', '2026-04-01', south.id)).toEqual([4, 8, 60]);
    expect(figure(figures, 'assessment', '2026-04-01', null)).toEqual([9, 14, 60]);
    expect(figure(figures, 'assessment', '2026-01-01', north.id)).toEqual([1, 25, 25]);
    expect(figure(figures, 'assessment', '2026-01-01', null)).toEqual([1, 25, 25]);
    expect(figure(figures, 'plan', '2026-04-01', north.id)).toEqual([2, 14, 50]);
    expect(figure(figures, 'sign_off', '2026-04-01', north.id)).toEqual([2, 29, 61]);
    expect(figure(figures, 'first_review', '2026-04-01', north.id)).toEqual([2, 72, 101]);
    expect(figure(figures, 'plan', '2026-04-01', south.id)).toBeUndefined();
    // Nothing before the first quarter, and nobody without a referral.
    expect(figures.filter((line) => line.quarter < '2025-07-01')).toEqual([]);
    expect(figures.reduce((sum, line) => sum + (line.stage === 'assessment' && line.teamId === null ? line.journeys : 0), 0)).toBe(10);
  });

  it('shows an administrator a chart and a table for each step, every team in the tables', async () => {
    const agent = await signIn(t.app, admin.email, admin.password);
    const response = await agent.get('/reports/timeliness');
    expect(response.status).toBe(200);
    const text = response.text;
    expect(text).toContain('role="img" aria-labelledby="timeliness-assessment-title timeliness-assessment-desc"');
    expect(text).toContain('Referral to assessment submitted: all teams');
    expect(text).toContain('April to June 2026, median: 14 days; April to June 2026, 90th percentile: 60 days');
    expect(text).toContain('Referral to first review completed, as a table');
    expect(text).toMatch(
      /April to June 2026<\/th>\s*<td class="govuk-table__cell">South<\/td>\s*<td[^>]*>4<\/td>\s*<td[^>]*>8 days<\/td>\s*<td[^>]*>60 days<\/td>/,
    );
    expect(text).toContain('percentile');
    expect(text).not.toContain('Your team');
  });

  it('charts a team manager’s own team and marks it in the tables', async () => {
    const agent = await signIn(t.app, manager.email, manager.password);
    const response = await agent.get('/reports/timeliness');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Referral to assessment submitted: North');
    expect(response.text).toContain('April to June 2026, median: 14 days; April to June 2026, 90th percentile: 41 days');
    expect(response.text).toContain('Your team');
  });

  it('downloads the figures as CSV with ISO quarters, not cached, and records the download', async () => {
    const agent = await signIn(t.app, admin.email, admin.password);
    const since = await lastEventId();
    const response = await agent.get('/reports/timeliness.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-disposition']).toBe('attachment; filename=timeliness-2026-06-15.csv');
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('Stage,Quarter from,Quarter to,Team,People,Median days,90th percentile days');
    expect(lines).toContain('Referral to assessment submitted,2026-04-01,2026-06-30,All teams,9,14,60');
    expect(lines).toContain('Referral to assessment submitted,2026-04-01,2026-06-30,South,4,8,60');
    expect(lines).toContain('Referral to assessment submitted,2025-07-01,2025-09-30,All teams,0,,');
    expect(lines).toContain('Referral to first review completed,2026-04-01,2026-06-30,North,2,72,101');
    expect(await t.db('audit_events').where('id', '>', since).select('action', 'user_id', 'entity_type', 'entity_id')).toEqual([
      { action: 'report_downloaded', user_id: admin.id, entity_type: 'report', entity_id: 'timeliness' },
    ]);
  });
});
