import type { DbOrTransaction } from '../db/knex.js';
import { orderBySql, readPage, type ListSort, type Paged, type PageRequest } from '../db/paging.js';
import type { ChosenEndReason } from '../finance/ending-reasons.js';
import type { PersonalBudgetRow } from '../finance/repo.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import { joinedPersonOf } from '../people/repo.js';

export type ReviewKind = 'first' | 'annual' | 'direct_payment' | 'unplanned';
export type OutcomeResult = 'met' | 'partly_met' | 'not_met';
export type BudgetVariance = 'underspend' | 'overspend' | 'as_planned';
export type ReviewDecision = 'continue' | 'change_plan' | 'reassess' | 'end_budget';
export type ReviewStatus = 'scheduled' | 'completed' | 'cancelled';

/** One outcome of the plan as the review found it; the outcome's words are kept, so the record reads alone. */
export type OutcomeFinding = { outcomeId: number; description: string; result: OutcomeResult; comment: string };

/** The whole review row, with what 030_review_records and 052_budget_end_reasons added. */
export type ReviewRecordRow = {
  id: number;
  person_id: number;
  budget_id: number | null;
  plan_id: number | null;
  kind: ReviewKind;
  due_date: string;
  status: ReviewStatus;
  assigned_to: number | null;
  reason: string;
  created_by: number | null;
  created_at: Date;
  completed_at: Date | null;
  completed_by: number | null;
  review_date: string | null;
  outcome_findings: OutcomeFinding[];
  budget_use: string;
  budget_variance: BudgetVariance | null;
  person_view: string;
  decision: ReviewDecision | null;
  decision_end_date: string | null;
  decision_end_reason: ChosenEndReason | '';
  decision_end_note: string;
  version: number;
};

/** A review as the rest of the app sees it; the row's columns stay in this file. */
export type Review = {
  id: number;
  personId: number;
  budgetId: number | null;
  planId: number | null;
  kind: ReviewKind;
  dueDate: string;
  status: ReviewStatus;
  assignedTo: number | null;
  /** Why an unplanned review is needed, or why a review was cancelled. */
  reason: string;
  createdBy: number | null;
  createdAt: Date;
  completedAt: Date | null;
  completedBy: number | null;
  reviewDate: string | null;
  outcomeFindings: OutcomeFinding[];
  budgetUse: string;
  budgetVariance: BudgetVariance | null;
  personView: string;
  decision: ReviewDecision | null;
  decisionEndDate: string | null;
  /** Empty unless the review ended the budget, and on reviews recorded before reasons were chosen: their words are the note. */
  decisionEndReason: ChosenEndReason | '';
  decisionEndNote: string;
  version: number;
};

export function toReview(row: ReviewRecordRow): Review {
  return {
    id: row.id,
    personId: row.person_id,
    budgetId: row.budget_id,
    planId: row.plan_id,
    kind: row.kind,
    dueDate: row.due_date,
    status: row.status,
    assignedTo: row.assigned_to,
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    reviewDate: row.review_date,
    outcomeFindings: row.outcome_findings,
    budgetUse: row.budget_use,
    budgetVariance: row.budget_variance,
    personView: row.person_view,
    decision: row.decision,
    decisionEndDate: row.decision_end_date,
    decisionEndReason: row.decision_end_reason,
    decisionEndNote: row.decision_end_note,
    version: row.version,
  };
}

/** What recording or reassigning a review may change. */
export type ReviewChanges = Partial<
  Pick<
    Review,
    | 'status'
    | 'assignedTo'
    | 'completedAt'
    | 'completedBy'
    | 'reviewDate'
    | 'outcomeFindings'
    | 'budgetUse'
    | 'budgetVariance'
    | 'personView'
    | 'decision'
    | 'decisionEndDate'
    | 'decisionEndReason'
    | 'decisionEndNote'
  >
>;

function columnsOf(changes: ReviewChanges): Record<string, unknown> {
  const columns = {
    status: changes.status,
    assigned_to: changes.assignedTo,
    completed_at: changes.completedAt,
    completed_by: changes.completedBy,
    review_date: changes.reviewDate,
    outcome_findings: changes.outcomeFindings === undefined ? undefined : JSON.stringify(changes.outcomeFindings),
    budget_use: changes.budgetUse,
    budget_variance: changes.budgetVariance,
    person_view: changes.personView,
    decision: changes.decision,
    decision_end_date: changes.decisionEndDate,
    decision_end_reason: changes.decisionEndReason,
    decision_end_note: changes.decisionEndNote,
  };
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

/** The review as the audit trail records it: the row's own columns, as every earlier event has them. */
export function reviewRecord(review: Review): ReviewRecordRow {
  return {
    id: review.id,
    person_id: review.personId,
    budget_id: review.budgetId,
    plan_id: review.planId,
    kind: review.kind,
    due_date: review.dueDate,
    status: review.status,
    assigned_to: review.assignedTo,
    reason: review.reason,
    created_by: review.createdBy,
    created_at: review.createdAt,
    completed_at: review.completedAt,
    completed_by: review.completedBy,
    review_date: review.reviewDate,
    outcome_findings: review.outcomeFindings,
    budget_use: review.budgetUse,
    budget_variance: review.budgetVariance,
    person_view: review.personView,
    decision: review.decision,
    decision_end_date: review.decisionEndDate,
    decision_end_reason: review.decisionEndReason,
    decision_end_note: review.decisionEndNote,
    version: review.version,
  };
}

export async function findReview(db: DbOrTransaction, id: number, lock = false): Promise<Review | undefined> {
  const query = db<ReviewRecordRow>('reviews').where({ id }).first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toReview(row);
}

/** Changes a review only at the version the user saw; undefined means someone else got there first. */
export async function updateReview(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: ReviewChanges,
): Promise<Review | undefined> {
  const [row] = (await db('reviews')
    .where({ id, version: expectedVersion })
    .update({ ...columnsOf(changes), version: db.raw('version + 1') })
    .returning('*')) as ReviewRecordRow[];
  return row && toReview(row);
}

/** Cancels the scheduled reviews of a budget of the given kinds, returning what they were. */
export async function cancelScheduledReviewsOfKinds(
  db: DbOrTransaction,
  budgetId: number,
  kinds: ReviewKind[],
  reason: string,
): Promise<Review[]> {
  const rows = (await db('reviews')
    .where({ budget_id: budgetId, status: 'scheduled' })
    .whereIn('kind', kinds)
    .update({ status: 'cancelled', reason, version: db.raw('version + 1') })
    .returning('*')) as ReviewRecordRow[];
  return rows.map(toReview);
}

/** The personal budget a review belongs to; locked while a review is recorded, so its end is decided once. */
export async function budgetOfReview(db: DbOrTransaction, budgetId: number | null, lock = false): Promise<PersonalBudgetRow | undefined> {
  if (budgetId === null) return undefined;
  const query = db<PersonalBudgetRow>('personal_budgets').where({ id: budgetId }).first();
  if (lock) query.forUpdate();
  return query;
}

/** The plan or assessment a completed review opened, so a repeated "Complete review" lands where the first did. */
export async function openedFromReview(
  db: DbOrTransaction,
  reviewId: number,
): Promise<{ planId: number | null; assessmentId: number | null }> {
  const plan = (await db('support_plans').where({ from_review_id: reviewId }).orderBy('id').first('id')) as { id: number } | undefined;
  const assessment = (await db('assessments').where({ from_review_id: reviewId }).orderBy('id').first('id')) as { id: number } | undefined;
  return { planId: plan?.id ?? null, assessmentId: assessment?.id ?? null };
}

/** An unplanned review already scheduled with these details: a double-clicked "Add" finds it. */
export async function findMatchingUnplannedReview(
  db: DbOrTransaction,
  personId: number,
  dueDate: string,
  reason: string,
): Promise<Review | undefined> {
  const row = await db<ReviewRecordRow>('reviews')
    .where({ person_id: personId, kind: 'unplanned', status: 'scheduled', due_date: dueDate, reason })
    .first();
  return row && toReview(row);
}

/** One of a person's reviews, with the names of who has it and who recorded it. */
export type PersonReview = Review & { assignedToName: string | null; completedByName: string | null };

export type PersonReviewRow = ReviewRecordRow & { assigned_to_name: string | null; completed_by_name: string | null };

/** A person's reviews: the scheduled ones by due date first, then the rest, the latest first. */
export function reviewsOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('reviews as r')
    .leftJoin('users as a', 'a.id', 'r.assigned_to')
    .leftJoin('users as c', 'c.id', 'r.completed_by')
    .where('r.person_id', personId)
    .select('r.*', 'a.display_name as assigned_to_name', 'c.display_name as completed_by_name')
    .orderByRaw(`case when r.status = 'scheduled' then 0 else 1 end`)
    .orderByRaw(`case when r.status = 'scheduled' then r.due_date end asc`)
    .orderByRaw('coalesce(r.review_date, r.due_date) desc')
    .orderBy('r.id', 'desc');
}

export function toPersonReview(row: PersonReviewRow): PersonReview {
  return Object.assign(toReview(row), { assignedToName: row.assigned_to_name, completedByName: row.completed_by_name });
}

export async function reviewsOfPerson(db: DbOrTransaction, personId: number): Promise<PersonReview[]> {
  const rows = (await reviewsOfPersonQuery(db, personId)) as PersonReviewRow[];
  return rows.map(toPersonReview);
}

/** A scheduled review as the home pages list it: who it is for, and who has it. */
export type DueReview = {
  id: number;
  kind: ReviewKind;
  dueDate: string;
  assignedTo: number | null;
  assignedToName: string | null;
  person: { id: number; givenName: string; familyName: string; reference: string; clientGroup: PersonClientGroup };
};

type DueReviewRow = {
  id: number;
  kind: ReviewKind;
  due_date: string;
  assigned_to: number | null;
  assigned_to_name: string | null;
  person_id: number;
  given_name: string;
  family_name: string;
  reference: string;
  client_group: PersonClientGroup;
};

function toDueReview(row: DueReviewRow): DueReview {
  return {
    id: row.id,
    kind: row.kind,
    dueDate: row.due_date,
    assignedTo: row.assigned_to,
    assignedToName: row.assigned_to_name,
    person: joinedPersonOf(row),
  };
}

/**
 * A page of the scheduled reviews due in a window of days (either end optional), for one worker or
 * a team: the overdue and due-soon lists.
 */
export async function scheduledReviewsDue(
  db: DbOrTransaction,
  filter: { dueBefore?: string; dueFrom?: string; dueBy?: string; assignedTo?: number; teamId?: number },
  list: { sort: ListSort; request: PageRequest },
): Promise<Paged<DueReview>> {
  const base = db('reviews as r').join('people as p', 'p.id', 'r.person_id').whereRaw("r.status = 'scheduled'");
  if (filter.dueBefore !== undefined) base.where('r.due_date', '<', filter.dueBefore);
  if (filter.dueFrom !== undefined) base.where('r.due_date', '>=', filter.dueFrom);
  if (filter.dueBy !== undefined) base.where('r.due_date', '<=', filter.dueBy);
  if (filter.assignedTo !== undefined) base.where('r.assigned_to', filter.assignedTo);
  if (filter.teamId !== undefined) base.where('p.team_id', filter.teamId);
  const { rows, page } = await readPage<DueReviewRow>(base, {
    select: (query) =>
      query
        .leftJoin('users as u', 'u.id', 'r.assigned_to')
        .select(
          'r.id',
          'r.kind',
          'r.due_date',
          'r.assigned_to',
          'u.display_name as assigned_to_name',
          'r.person_id',
          'p.given_name',
          'p.family_name',
          'p.reference',
          'p.client_group',
        ),
    orderBy: orderBySql(
      {
        person: ['lower(p.family_name)', 'lower(p.given_name)'],
        // The codes sort as their labels do: annual, direct payment, first, unplanned.
        review: ['r.kind'],
        due: ['r.due_date'],
        worker: ['lower(u.display_name)'],
      },
      list.sort,
      ['r.id'],
    ),
    request: list.request,
  });
  return { rows: rows.map(toDueReview), page };
}

/** Cancels the reviews still scheduled for a budget, returning their rows as the audit trail keeps them. */
export async function cancelScheduledReviews(db: DbOrTransaction, budgetId: number, reason: string): Promise<ReviewRecordRow[]> {
  return (await db('reviews')
    .where({ budget_id: budgetId, status: 'scheduled' })
    .update({ status: 'cancelled', reason, version: db.raw('version + 1') })
    .returning('*')) as ReviewRecordRow[];
}

export type NewReview = {
  personId: number;
  budgetId: number | null;
  planId: number;
  kind: ReviewKind;
  dueDate: string;
  assignedTo: number | null;
  /** Why an unplanned review was asked for; empty for the scheduled ones. */
  reason: string;
  createdBy: number;
};

/** Schedules a review, returning its row as the audit trail keeps it. */
export async function insertReview(db: DbOrTransaction, review: NewReview): Promise<ReviewRecordRow> {
  const [row] = (await db('reviews')
    .insert({
      person_id: review.personId,
      budget_id: review.budgetId,
      plan_id: review.planId,
      kind: review.kind,
      due_date: review.dueDate,
      assigned_to: review.assignedTo,
      reason: review.reason,
      created_by: review.createdBy,
    })
    .returning('*')) as ReviewRecordRow[];
  return row as ReviewRecordRow;
}
