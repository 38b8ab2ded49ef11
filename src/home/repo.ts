import type { AssessmentType } from '../assessments/repo.js';
import type { DbOrTransaction } from '../db/knex.js';
import type { PersonClientGroup } from '../people/client-groups.js';
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

/** A person allocated to a worker, with the due date of their next scheduled review. */
export type AllocatedPerson = { person: ListedPerson; nextReviewDue: string | null };

export async function peopleAllocatedTo(db: DbOrTransaction, workerId: number): Promise<AllocatedPerson[]> {
  const rows = (await db('people as p')
    .where('p.allocated_worker_id', workerId)
    .select(
      ...personColumns,
      db.raw(`(select min(r.due_date) from reviews r where r.person_id = p.id and r.status = 'scheduled') as next_review_due`),
    )
    .orderByRaw('lower(p.family_name), lower(p.given_name), p.id')) as (PersonColumns & { next_review_due: string | null })[];
  return rows.map((row) => ({ person: toListedPerson(row), nextReviewDue: row.next_review_due }));
}

/** How many people each worker in a team holds. */
export async function allocationCounts(db: DbOrTransaction, teamId: number): Promise<Map<number, number>> {
  const rows = (await db('people')
    .where({ team_id: teamId })
    .whereNotNull('allocated_worker_id')
    .groupBy('allocated_worker_id')
    .select('allocated_worker_id')
    .count({ count: '*' })) as { allocated_worker_id: number; count: string | number }[];
  return new Map(rows.map((row) => [row.allocated_worker_id, Number(row.count)]));
}

/** A person in a team with no worker yet, and when they were added. */
export type UnallocatedPerson = { person: ListedPerson; referralDate: string | null; addedAt: Date };

export async function unallocatedPeople(db: DbOrTransaction, teamId: number): Promise<UnallocatedPerson[]> {
  const rows = (await db('people as p')
    .where('p.team_id', teamId)
    .whereNull('p.allocated_worker_id')
    .select(...personColumns, 'p.referral_date', 'p.created_at')
    .orderBy('p.created_at', 'asc')
    .orderBy('p.id', 'asc')) as (PersonColumns & { referral_date: string | null; created_at: Date })[];
  return rows.map((row) => ({ person: toListedPerson(row), referralDate: row.referral_date, addedAt: row.created_at }));
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

/** Draft assessments and plans, started by one worker or anywhere in a team, the oldest first. */
export async function drafts(db: DbOrTransaction, who: Who): Promise<Draft[]> {
  const assessments = db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .leftJoin('users as u', 'u.id', 'a.started_by')
    .where('a.status', 'draft')
    .select(
      db.raw(`'assessment' as kind`),
      'a.id',
      ...personColumns,
      'a.started_at',
      'a.started_by',
      'u.display_name as started_by_name',
      'a.assessment_type',
    );
  const plans = db('support_plans as s')
    .join('people as p', 'p.id', 's.person_id')
    .leftJoin('users as u', 'u.id', 's.created_by')
    .where('s.status', 'draft')
    .select(
      db.raw(`'plan' as kind`),
      's.id',
      ...personColumns,
      's.created_at as started_at',
      's.created_by as started_by',
      'u.display_name as started_by_name',
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
  const rows = [...((await assessments) as DraftRow[]), ...((await plans) as DraftRow[])];
  rows.sort((a, b) => new Date(a.started_at).getTime() - new Date(b.started_at).getTime() || a.id - b.id);
  return rows.map(toDraft);
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
export async function returnedPlans(db: DbOrTransaction, who: Who): Promise<ReturnedPlan[]> {
  const query = db('support_plans as s')
    .join('people as p', 'p.id', 's.person_id')
    .leftJoin('users as r', 'r.id', 's.returned_by')
    .leftJoin('users as w', 'w.id', db.raw('coalesce(s.submitted_by, s.created_by)'))
    .where('s.status', 'returned');
  if (who.userId !== undefined) {
    const userId = who.userId;
    query.where((q) => q.where('s.created_by', userId).orWhere('s.submitted_by', userId));
  }
  if (who.teamId !== undefined) query.where('p.team_id', who.teamId);
  const rows = (await query
    .select(
      's.id',
      ...personColumns,
      's.returned_at',
      's.return_reason',
      'r.display_name as returned_by_name',
      's.created_by',
      's.submitted_by',
      'w.display_name as worker_name',
    )
    .orderBy('s.returned_at', 'asc')
    .orderBy('s.id', 'asc')) as ReturnedPlanRow[];
  return rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    returnedAt: row.returned_at,
    returnReason: row.return_reason,
    returnedByName: row.returned_by_name,
    createdBy: row.created_by,
    submittedBy: row.submitted_by,
    workerName: row.worker_name,
  }));
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
export async function budgetsStartingBetween(db: DbOrTransaction, from: string, to: string): Promise<StartingBudget[]> {
  const rows = (await db('personal_budgets as b')
    .join('people as p', 'p.id', 'b.person_id')
    .join('teams as t', 't.id', 'p.team_id')
    .whereBetween('b.start_date', [from, to])
    .select('b.id', ...personColumns, 'b.start_date', 'b.weekly_pence', 'b.direct_payment_weekly_pence', 't.name as team_name')
    .orderBy('b.start_date', 'asc')
    .orderBy('b.id', 'asc')) as (PersonColumns & {
    id: number;
    start_date: string;
    weekly_pence: number;
    direct_payment_weekly_pence: number;
    team_name: string;
  })[];
  return rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    startDate: row.start_date,
    weeklyPence: row.weekly_pence,
    directPaymentWeeklyPence: row.direct_payment_weekly_pence,
    teamName: row.team_name,
  }));
}

/** A budget being paid with no financial assessment in force. */
export type UnassessedBudget = { id: number; person: ListedPerson; startDate: string; weeklyPence: number; teamName: string };

/**
 * Budgets in payment today with no financial assessment in force: until one is recorded nobody
 * knows what the person should pay, so the council may be paying what they owe.
 */
export async function activeBudgetsWithoutFinancialAssessment(db: DbOrTransaction, today: string): Promise<UnassessedBudget[]> {
  const rows = (await db('personal_budgets as b')
    .join('people as p', 'p.id', 'b.person_id')
    .join('teams as t', 't.id', 'p.team_id')
    .where('b.start_date', '<=', today)
    .where((q) => q.whereNull('b.end_date').orWhere('b.end_date', '>=', today))
    .whereNotExists(
      db('financial_assessments as f').whereRaw('f.person_id = b.person_id').where('f.effective_from', '<=', today).select(db.raw('1')),
    )
    .select('b.id', ...personColumns, 'b.start_date', 'b.weekly_pence', 't.name as team_name')
    .orderBy('b.start_date', 'asc')
    .orderBy('b.id', 'asc')) as (PersonColumns & { id: number; start_date: string; weekly_pence: number; team_name: string })[];
  return rows.map((row) => ({
    id: row.id,
    person: toListedPerson(row),
    startDate: row.start_date,
    weeklyPence: row.weekly_pence,
    teamName: row.team_name,
  }));
}
