import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listForPerson } from '../../src/assessments/repo.js';
import {
  budgetsOfPerson,
  chargesOfBudgets,
  financialAssessmentInForce,
  financialAssessmentsOfPerson,
  nextScheduledReview,
  openBudgetOfPerson,
} from '../../src/finance/repo.js';
import { timelinePage } from '../../src/notes/repo.js';
import { findPerson, type PersonRow } from '../../src/people/repo.js';
import { currentAssessmentForPlanning, plansOfPerson } from '../../src/plans/repo.js';
import { reviewsOfPerson } from '../../src/reviews/repo.js';
import { readTogetherById } from '../../src/db/read-together.js';
import { createServices, personRecordQueries, personRecordsFrom, personSections } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';
import { anApprovedBudget, aScheduledReview } from '../support/review-builders.js';

// The test clock stands on Monday 15 June 2026.
let t: TestApp;
let careManager: TestUser;
let person: PersonRow;
let agent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  const services = createServices(t.db, t.clock);
  const team = await aTeam(t.db, 'North');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Carol Manning' });
  const financeOfficer = await aUser(t.db, { role: 'finance_officer' });
  person = await aPerson(t.db, { teamId: team.id, allocatedWorkerId: careManager.id, givenName: 'Rita', familyName: 'Record' });
  // A person a year into their care: assessed twice, a plan signed off, charged after a financial assessment, reviews due.
  const first = await aSubmittedAssessment(t.db, {
    person,
    submittedBy: careManager.id,
    submittedAt: '2026-03-01T10:00:00Z',
    annualPence: 800_000,
  });
  await t.db('assessments').where({ id: first.id }).update({ status: 'superseded', superseded_at: '2026-03-20T10:00:00Z' });
  const assessment = await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id, submittedAt: '2026-03-20T10:00:00Z' });
  await t.db('financial_assessments').insert(
    [
      { effective_from: '2026-03-01', weekly_contribution_pence: 1_500, calculated_weekly_contribution_pence: 1_500 },
      { effective_from: '2026-04-01', weekly_contribution_pence: 1_000, calculated_weekly_contribution_pence: 1_000 },
      { effective_from: '2026-09-01', weekly_contribution_pence: 2_000, calculated_weekly_contribution_pence: 2_000 },
    ].map((figures) => ({
      ...figures,
      person_id: person.id,
      weekly_income_pence: 20_000,
      weekly_allowances_pence: 19_000,
      capital_pence: 0,
      tariff_income_pence: 0,
      pays_full_cost: false,
      recorded_by: financeOfficer.id,
    })),
  );
  await anApprovedBudget(services, t.db, t.clock, {
    person,
    careManager,
    financeOfficer,
    assessment,
    items: [{ weeklyPence: 9_000 }, { weeklyPence: 3_000, managementOption: 'direct_payment' }],
    startDate: '2026-04-01',
    approvedAt: '2026-03-25T10:00:00Z',
  });
  await aScheduledReview(t.db, { person, dueDate: '2026-07-01', assignedTo: careManager.id, kind: 'unplanned' });
  agent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

/** Every statement the app runs while counting: through its Knex, and through the session store's own pool. */
function countStatements(): { statements: string[]; stop: () => void } {
  const statements: string[] = [];
  const onQuery = (query: { sql: string }) => statements.push(query.sql);
  t.appDb.on('query', onQuery);
  const pool = t.sessionPool;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const [text] = args;
    statements.push(typeof text === 'string' ? text : (text as pg.QueryConfig).text);
    return query(...args);
  }) as typeof pool.query;
  return {
    statements,
    stop: () => {
      t.appDb.off('query', onQuery);
      pool.query = query as typeof pool.query;
    },
  };
}

describe('a person’s page', () => {
  it('is read in two statements, the session with its user and then the page, counting the session store’s', async () => {
    expect((await agent.get(`/people/${person.id}`)).status).toBe(200);

    const counting = countStatements();
    const page = await agent.get(`/people/${person.id}`);
    // The session is saved after the page is sent; a write it made would come in now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    counting.stop();

    expect(page.status).toBe(200);
    for (const shown of ['Rita Record', 'North', 'Carol Manning', '£120.00', '£10.00', '1 July 2026']) expect(page.text).toContain(shown);
    expect(counting.statements.length, counting.statements.join('\n')).toBeLessThanOrEqual(2);
    expect(new Set(counting.statements).size, counting.statements.join('\n')).toBe(counting.statements.length);
    expect(counting.statements.some((statement) => /update|insert/i.test(statement))).toBe(false);
    // The signed-in user comes with the session, not in a statement of their own.
    expect(counting.statements.filter((statement) => statement.includes('from "users" where "id"'))).toEqual([]);
    expect(counting.statements.filter((statement) => /from session s\s+left join users u/.test(statement))).toHaveLength(1);
  });

  it('reads each section’s records as each area’s own queries would', async () => {
    const found = (await findPerson(t.appDb, person.id))!;
    const records = personRecordsFrom(await readTogetherById(t.appDb, (id) => personRecordQueries(t.appDb, id))(person.id));
    const budgets = await budgetsOfPerson(t.appDb, person.id);
    const financialAssessments = await financialAssessmentsOfPerson(t.appDb, person.id);

    expect(records.assessments).toEqual(await listForPerson(t.appDb, person.id));
    expect(records.assessments).toHaveLength(2);
    expect(records.assessmentForPlanning).toEqual(await currentAssessmentForPlanning(t.appDb, person.id));
    expect(records.plans).toEqual(await plansOfPerson(t.appDb, person.id));
    expect(records.budgets).toEqual(budgets);
    expect(records.budgets.find((budget) => budget.endDate === null)).toMatchObject((await openBudgetOfPerson(t.appDb, person.id))!);
    expect(records.charges).toEqual(
      await chargesOfBudgets(
        t.appDb,
        budgets.map((budget) => budget.id),
      ),
    );
    expect(records.charges.length).toBeGreaterThan(0);
    expect(records.financialAssessments).toEqual(financialAssessments);
    expect(records.reviews).toEqual(await reviewsOfPerson(t.appDb, person.id));
    expect(records.reviews.length).toBeGreaterThan(1);
    const finance = createServices(t.appDb, t.clock).finance.personSection(careManager, found, {
      budgets,
      assessments: financialAssessments,
      charges: records.charges,
      reviews: records.reviews,
    });
    expect(finance?.inForce).toMatchObject((await financialAssessmentInForce(t.appDb, person.id, '2026-06-15'))!);
    expect(finance?.inForce?.weeklyContributionPence).toBe(1_000);
    expect(finance?.nextReview).toEqual(await nextScheduledReview(t.appDb, person.id));
    expect(records.assessments[0]?.startedAt).toBeInstanceOf(Date);
  });

  it('reads the person and their timeline in its one statement as their own queries would', async () => {
    await t.db('case_notes').insert({
      person_id: person.id,
      kind: 'phone_call',
      contact_at: '2026-06-14T09:30:00Z',
      involved: 'Rita',
      body: 'Rang about the review date.',
      written_by: careManager.id,
      written_at: '2026-06-14T09:45:00Z',
    });
    const services = createServices(t.appDb, t.clock);
    const page = await services.people.personPage(careManager, person.id, personSections(services, t.appDb));
    const { rows: timeline } = await timelinePage(t.appDb, person.id, 'all', { page: 1, size: 20 });

    expect(page.person).toEqual(await findPerson(t.appDb, person.id));
    expect(page.teamName).toBe('North');
    expect(page.timeline).toEqual(timeline);
    expect(page.timeline.some((entry) => entry.source === 'note')).toBe(true);
    expect(page.timeline[0]?.at).toBeInstanceOf(Date);
  });

  it('shows each person their own records though the statement is built once for everyone', async () => {
    const other = await aPerson(t.db, {
      teamId: person.team_id,
      allocatedWorkerId: careManager.id,
      givenName: 'Olive',
      familyName: 'Other',
    });
    await t.db('case_notes').insert({
      person_id: other.id,
      kind: 'visit',
      contact_at: '2026-06-12T11:00:00Z',
      involved: 'Olive',
      body: 'Olive showed us her garden.',
      written_by: careManager.id,
      written_at: '2026-06-12T12:00:00Z',
    });
    const rita = await agent.get(`/people/${person.id}`);
    const olive = await agent.get(`/people/${other.id}`);
    const ritaAgain = await agent.get(`/people/${person.id}`);

    expect(olive.text).toContain('Olive Other');
    expect(olive.text).toContain('Olive showed us her garden.');
    expect(olive.text).not.toContain('Rita Record');
    expect(olive.text).not.toContain('£120.00');
    for (const page of [rita, ritaAgain]) {
      expect(page.text).toContain('Rita Record');
      expect(page.text).toContain('£120.00');
      expect(page.text).not.toContain('Olive showed us her garden.');
    }
  });

  it('still answers after a migration adds a column to a table its prepared statement reads', async () => {
    for (let view = 0; view < 3; view += 1) expect((await agent.get(`/people/${person.id}`)).status).toBe(200);
    await t.db.raw('alter table people add column read_after_a_migration text');
    try {
      for (let view = 0; view < 3; view += 1) expect((await agent.get(`/people/${person.id}`)).status).toBe(200);
    } finally {
      await t.db.raw('alter table people drop column read_after_a_migration');
    }
  });

  it('holds to the rule the one-statement read relies on: a column of a case record is a timestamp exactly when its name ends in _at', async () => {
    // Sign-in throttling, migrations and sessions are never read as JSON.
    const columns = (await t
      .db('information_schema.columns')
      .where({ table_schema: 'public' })
      .whereNotIn('table_name', ['sign_in_throttles', 'knex_migrations', 'knex_migrations_lock', 'session'])
      .select('table_name', 'column_name', 'data_type')) as { table_name: string; column_name: string; data_type: string }[];
    const mismatched = columns.filter((column) => column.column_name.endsWith('_at') !== column.data_type.startsWith('timestamp'));
    expect(mismatched).toEqual([]);
  });
});
