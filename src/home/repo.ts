import type { AssessmentType } from '../assessments/repo.js';
import { assessmentTypeLabels } from '../assessments/questionnaire.js';
import type { DbOrTransaction } from '../db/knex.js';
import { byLabel, orderBySql, readPage, type ListSort, type Paged, type PageRequest } from '../db/paging.js';
import { prepared } from '../db/prepared.js';
import { clientGroupLabels, type PersonClientGroup } from '../people/client-groups.js';
import type { Person } from '../people/repo.js';

/** A person as every home-page list shows them. */
export type ListedPerson = Pick<Person, 'id' | 'givenName' | 'familyName' | 'reference' | 'clientGroup'>;

type PersonColumns = { person_id: number; given_name: string; family_name: string; reference: string; client_group: PersonClientGroup };

const personColumns = ['p.id as person_id', 'p.given_name', 'p.family_name', 'p.reference', 'p.client_group'];

const toListedPerson = (row: PersonColumns): ListedPerson => ({
  id: row.person_id,
  givenName: row.given_name,
  familyName: row.family_name,
  reference: row.reference,
  clientGroup: row.client_group,
});

/** Which page of a list to read, sorted by one of the keys its function knows. */
export type ListRead = { sort: ListSort; request: PageRequest };

const byName = ['lower(p.family_name)', 'lower(p.given_name)'];
const byClientGroup = byLabel('p.client_group', clientGroupLabels);
const byDraftKind = byLabel(`coalesce(d.assessment_type, 'plan')`, { ...assessmentTypeLabels, plan: 'Support plan' });

/** A person allocated to a worker, with the due date of their next scheduled review. */
export type AllocatedPerson = { person: ListedPerson; nextReviewDue: string | null };

export async function peopleAllocatedTo(db: DbOrTransaction, workerId: number, list: ListRead): Promise<Paged<AllocatedPerson>> {
  const { rows, page } = await readPage<PersonColumns & { next_review_due: string | null }>(
    db('people as p').where('p.allocated_worker_id', workerId),
    {
      // The next review is found for the page's people only when sorting by name, each one step down an index.
      select: (query) =>
        query
          .joinRaw(
            `left join lateral (select r.due_date from reviews r where r.person_id = p.id and r.status = 'scheduled'
              order by r.due_date limit 1) as next_review on true`,
          )
          .select(...personColumns, 'next_review.due_date as next_review_due'),
      orderBy: orderBySql({ person: byName, group: [byClientGroup], 'next-review': ['next_review.due_date'] }, list.sort, ['p.id']),
      request: list.request,
    },
  );
  return { rows: rows.map((row) => ({ person: toListedPerson(row), nextReviewDue: row.next_review_due })), page };
}

/** What one worker in a team holds; the worker is null for the reviews nobody is assigned to. */
export type WorkerCounts = { people: number; drafts: number; returned: number; overdue: number; dueSoon: number };

/**
 * Each worker's share of a team's work, counted in one pass by the database: people allocated,
 * drafts started, plans returned to them, and reviews overdue (before `today`) or due by `dueBy`.
 */
export async function workerCounts(
  db: DbOrTransaction,
  teamId: number,
  today: string,
  dueBy: string,
): Promise<Map<number | null, WorkerCounts>> {
  // Prepared: planning it took longer than counting a large team's people.
  const result = await prepared(
    db.raw(
      `select worker_id, sum(people)::int as people, sum(drafts)::int as drafts, sum(returned)::int as returned,
            sum(overdue)::int as overdue, sum(due_soon)::int as due_soon
       from (
         -- A large team's thousands of people are counted from an index (people_team_worker), a
         -- row a worker, before they meet the few drafts, returns and reviews.
         select allocated_worker_id as worker_id, count(*) as people, 0 as drafts, 0 as returned, 0 as overdue, 0 as due_soon
           from people where team_id = :teamId and allocated_worker_id is not null
          group by allocated_worker_id
         union all
         select a.started_by, 0, 1, 0, 0, 0
           from assessments a join people p on p.id = a.person_id where a.status = 'draft' and p.team_id = :teamId
         union all
         select s.created_by, 0, 1, 0, 0, 0
           from support_plans s join people p on p.id = s.person_id where s.status = 'draft' and p.team_id = :teamId
         union all
         select coalesce(s.submitted_by, s.created_by), 0, 0, 1, 0, 0
           from support_plans s join people p on p.id = s.person_id where s.status = 'returned' and p.team_id = :teamId
         union all
         select r.assigned_to, 0, 0, 0, (r.due_date < :today)::int, (r.due_date >= :today)::int
           from reviews r join people p on p.id = r.person_id
          where r.status = 'scheduled' and r.due_date <= :dueBy and p.team_id = :teamId
       ) as work
      group by worker_id`,
      { teamId, today, dueBy },
    ),
  );
  const rows = result.rows as {
    worker_id: number | null;
    people: number;
    drafts: number;
    returned: number;
    overdue: number;
    due_soon: number;
  }[];
  return new Map(
    rows.map((row) => [
      row.worker_id,
      { people: row.people, drafts: row.drafts, returned: row.returned, overdue: row.overdue, dueSoon: row.due_soon },
    ]),
  );
}

/** A person in a team with no worker yet, and when they were added. */
export type UnallocatedPerson = { person: ListedPerson; referralDate: string | null; addedAt: Date };

export async function unallocatedPeople(db: DbOrTransaction, teamId: number, list: ListRead): Promise<Paged<UnallocatedPerson>> {
  const { rows, page } = await readPage<PersonColumns & { referral_date: string | null; created_at: Date }>(
    db('people as p').where('p.team_id', teamId).whereNull('p.allocated_worker_id'),
    {
      select: (query) => query.select(...personColumns, 'p.referral_date', 'p.created_at'),
      orderBy: orderBySql({ person: byName, group: [byClientGroup], waiting: ['-p.created_at'] }, list.sort, ['p.id']),
      request: list.request,
    },
  );
  return {
    rows: rows.map((row) => ({ person: toListedPerson(row), referralDate: row.referral_date, addedAt: row.created_at })),
    page,
  };
}

/** An assessment or a support plan started and not yet submitted. */
export type Draft = {
  kind: 'assessment' | 'plan';
  id: number;
  person: ListedPerson;
  startedAt: Date;
  startedBy: number;
  startedByName: string | null;
  assessmentType: AssessmentType | null;
};

type DraftRow = PersonColumns & {
  kind: 'assessment' | 'plan';
  id: number;
  started_at: Date;
  started_by: number;
  started_by_name: string | null;
  assessment_type: AssessmentType | null;
};

const toDraft = (row: DraftRow): Draft => ({
  kind: row.kind,
  id: row.id,
  person: toListedPerson(row),
  startedAt: row.started_at,
  startedBy: row.started_by,
  startedByName: row.started_by_name,
  assessmentType: row.assessment_type,
});

type Who = { userId?: number; teamId?: number };

/** Draft assessments and plans, started by one worker or anywhere in a team. */
export async function drafts(db: DbOrTransaction, who: Who, list: ListRead): Promise<Paged<Draft>> {
  const assessments = db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .whereRaw("a.status = 'draft'")
    .select(db.raw(`'assessment' as kind`), 'a.id', ...personColumns, 'a.started_at', 'a.started_by', 'a.assessment_type');
  const plans = db('support_plans as s')
    .join('people as p', 'p.id', 's.person_id')
    .whereRaw("s.status = 'draft'")
    .select(
      db.raw(`'plan' as kind`),
      's.id',
      ...personColumns,
      's.created_at as started_at',
      's.created_by as started_by',
      db.raw('null as assessment_type'),
    );
  if (who.userId !== undefined) {
    assessments.where('a.started_by', who.userId);
    plans.where('s.created_by', who.userId);
  }
  if (who.teamId !== undefined) {
    assessments.where('p.team_id', who.teamId);
    plans.where('p.team_id', who.teamId);
  }
  const { rows, page } = await readPage<DraftRow>(db.from(assessments.unionAll(plans, true).as('d')), {
    select: (query) => query.leftJoin('users as u', 'u.id', 'd.started_by').select('d.*', 'u.display_name as started_by_name'),
    orderBy: orderBySql(
      {
        person: ['lower(d.family_name)', 'lower(d.given_name)'],
        what: [byDraftKind],
        age: ['-d.started_at'],
        worker: ['lower(u.display_name)'],
      },
      list.sort,
      ['d.kind', 'd.id'],
    ),
    request: list.request,
  });
  return { rows: rows.map(toDraft), page };
}

/** A support plan sent back by finance or a panel, and who has to put it right. */
export type ReturnedPlan = {
  id: number;
  person: ListedPerson;
  returnedAt: Date;
  returnReason: string;
  returnedByName: string | null;
  createdBy: number;
  submittedBy: number | null;
  workerName: string | null;
};

type ReturnedPlanRow = PersonColumns & {
  id: number;
  returned_at: Date;
  return_reason: string;
  returned_by_name: string | null;
  created_by: number;
  submitted_by: number | null;
  worker_name: string | null;
};

/**
 * Plans sent back by finance or a panel. "Returned to me" is a plan the worker wrote or sent:
 * either of them has to put it right.
 */
export async function returnedPlans(db: DbOrTransaction, who: Who, list: ListRead): Promise<Paged<ReturnedPlan>> {
  const base = db('support_plans as s').join('people as p', 'p.id', 's.person_id').whereRaw("s.status = 'returned'");
  if (who.userId !== undefined) {
    const userId = who.userId;
    base.where((q) => q.where('s.created_by', userId).orWhere('s.submitted_by', userId));
  }
  if (who.teamId !== undefined) base.where('p.team_id', who.teamId);
  const { rows, page } = await readPage<ReturnedPlanRow>(base, {
    select: (query) =>
      query
        .leftJoin('users as r', 'r.id', 's.returned_by')
        .leftJoin('users as w', 'w.id', db.raw('coalesce(s.submitted_by, s.created_by)'))
        .select(
          's.id',
          ...personColumns,
          's.returned_at',
          's.return_reason',
          'r.display_name as returned_by_name',
          's.created_by',
          's.submitted_by',
          'w.display_name as worker_name',
        ),
    orderBy: orderBySql(
      { person: byName, returned: ['s.returned_at'], reason: ['lower(s.return_reason)'], worker: ['lower(w.display_name)'] },
      list.sort,
      ['s.id'],
    ),
    request: list.request,
  });
  const plans = rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    returnedAt: row.returned_at,
    returnReason: row.return_reason,
    returnedByName: row.returned_by_name,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    workerName: row.worker_name,
  }));
  return { rows: plans, page };
}

/** A personal budget about to start: a payment finance has to set up. */
export type StartingBudget = {
  id: number;
  person: ListedPerson;
  startDate: string;
  weeklyPence: number;
  directPaymentWeeklyPence: number;
  teamName: string;
};

/** Budgets starting between two dates (inclusive): payments finance has to set up. */
export async function budgetsStartingBetween(
  db: DbOrTransaction,
  from: string,
  to: string,
  list: ListRead,
): Promise<Paged<StartingBudget>> {
  const { rows, page } = await readPage<
    PersonColumns & { id: number; start_date: string; weekly_pence: number; direct_payment_weekly_pence: number; team_name: string }
  >(
    db('personal_budgets as b')
      .join('people as p', 'p.id', 'b.person_id')
      .join('teams as t', 't.id', 'p.team_id')
      .whereBetween('b.start_date', [from, to]),
    {
      select: (query) =>
        query.select('b.id', ...personColumns, 'b.start_date', 'b.weekly_pence', 'b.direct_payment_weekly_pence', 't.name as team_name'),
      orderBy: orderBySql(
        {
          person: byName,
          team: ['lower(t.name)'],
          starts: ['b.start_date'],
          weekly: ['b.weekly_pence'],
          'direct-payment': ['b.direct_payment_weekly_pence'],
        },
        list.sort,
        ['b.id'],
      ),
      request: list.request,
    },
  );
  const budgets = rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    startDate: row.start_date,
    weeklyPence: row.weekly_pence,
    directPaymentWeeklyPence: row.direct_payment_weekly_pence,
    teamName: row.team_name,
  }));
  return { rows: budgets, page };
}

/** A budget being paid with no financial assessment in force. */
export type UnassessedBudget = { id: number; person: ListedPerson; startDate: string; weeklyPence: number; teamName: string };

/**
 * Budgets in payment today with no financial assessment in force: until one is recorded nobody
 * knows what the person should pay, so the council may be paying what they owe.
 */
export async function activeBudgetsWithoutFinancialAssessment(
  db: DbOrTransaction,
  today: string,
  list: ListRead,
): Promise<Paged<UnassessedBudget>> {
  const { rows, page } = await readPage<PersonColumns & { id: number; start_date: string; weekly_pence: number; team_name: string }>(
    db('personal_budgets as b')
      .join('people as p', 'p.id', 'b.person_id')
      .join('teams as t', 't.id', 'p.team_id')
      .where('b.start_date', '<=', today)
      .where((q) => q.whereNull('b.end_date').orWhere('b.end_date', '>=', today))
      .whereNotExists(
        db('financial_assessments as f').whereRaw('f.person_id = b.person_id').where('f.effective_from', '<=', today).select(db.raw('1')),
      ),
    {
      select: (query) => query.select('b.id', ...personColumns, 'b.start_date', 'b.weekly_pence', 't.name as team_name'),
      orderBy: orderBySql(
        { person: byName, team: ['lower(t.name)'], started: ['b.start_date'], without: ['-b.start_date'], weekly: ['b.weekly_pence'] },
        list.sort,
        ['b.id'],
      ),
      request: list.request,
    },
  );
  const budgets = rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    startDate: row.start_date,
    weeklyPence: row.weekly_pence,
    teamName: row.team_name,
  }));
  return { rows: budgets, page };
}
