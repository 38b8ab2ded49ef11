import type { DbOrTransaction } from '../db/knex.js';
import type { ReviewKind } from '../finance/repo.js';
import type { PersonClientGroup } from '../people/client-groups.js';

export type OutcomeResult = 'met' | 'partly_met' | 'not_met';
export type BudgetVariance = 'underspend' | 'overspend' | 'as_planned';
export type ReviewDecision = 'continue' | 'change_plan' | 'reassess' | 'end_budget';
export type ReviewStatus = 'scheduled' | 'completed' | 'cancelled';

/** One outcome of the plan as the review found it; the outcome's words are kept, so the record reads alone. */
export type OutcomeFinding = { outcomeId: number; description: string; result: OutcomeResult; comment: string };

/** The whole review row, with what 030_review_records added. */
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
  decision_end_reason: string;
  version: number;
};

export async function findReview(db: DbOrTransaction, id: number, lock = false): Promise<ReviewRecordRow | undefined> {
  const query = db<ReviewRecordRow>('reviews').where({ id }).first();
  if (lock) query.forUpdate();
  return query;
}

export type ReviewCompletion = Pick<
  ReviewRecordRow,
  | 'completed_at'
  | 'completed_by'
  | 'review_date'
  | 'budget_use'
  | 'budget_variance'
  | 'person_view'
  | 'decision'
  | 'decision_end_date'
  | 'decision_end_reason'
> & { outcome_findings: OutcomeFinding[] };

/** Changes a review only at the version the user saw; undefined means someone else got there first. */
export async function updateReview(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<ReviewCompletion, 'outcome_findings'>> & {
    status?: ReviewStatus;
    assigned_to?: number | null;
    outcome_findings?: OutcomeFinding[];
  },
): Promise<ReviewRecordRow | undefined> {
  const { outcome_findings: findings, ...rest } = changes;
  const [row] = (await db('reviews')
    .where({ id, version: expectedVersion })
    .update({
      ...rest,
      ...(findings === undefined ? {} : { outcome_findings: JSON.stringify(findings) }),
      version: db.raw('version + 1'),
    })
    .returning('*')) as ReviewRecordRow[];
  return row;
}

/** Cancels the scheduled reviews of a budget of the given kinds, returning what they were. */
export async function cancelScheduledReviewsOfKinds(
  db: DbOrTransaction,
  budgetId: number,
  kinds: ReviewKind[],
  reason: string,
): Promise<ReviewRecordRow[]> {
  return (await db('reviews')
    .where({ budget_id: budgetId, status: 'scheduled' })
    .whereIn('kind', kinds)
    .update({ status: 'cancelled', reason, version: db.raw('version + 1') })
    .returning('*')) as ReviewRecordRow[];
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
export async function findMatchingUnplannedReview(db: DbOrTransaction, personId: number, dueDate: string, reason: string) {
  return db<ReviewRecordRow>('reviews')
    .where({ person_id: personId, kind: 'unplanned', status: 'scheduled', due_date: dueDate, reason })
    .first();
}

export type PersonReviewRow = ReviewRecordRow & { assigned_to_name: string | null; completed_by_name: string | null };

/** A person's reviews: the scheduled ones by due date first, then the rest, the latest first. */
export async function reviewsOfPerson(db: DbOrTransaction, personId: number): Promise<PersonReviewRow[]> {
  return (await db('reviews as r')
    .leftJoin('users as a', 'a.id', 'r.assigned_to')
    .leftJoin('users as c', 'c.id', 'r.completed_by')
    .where('r.person_id', personId)
    .select('r.*', 'a.display_name as assigned_to_name', 'c.display_name as completed_by_name')
    .orderByRaw(`case when r.status = 'scheduled' then 0 else 1 end`)
    .orderByRaw(`case when r.status = 'scheduled' then r.due_date end asc`)
    .orderByRaw('coalesce(r.review_date, r.due_date) desc')
    .orderBy('r.id', 'desc')) as PersonReviewRow[];
}

/** A scheduled review as the home page lists it. */
export type DueReviewRow = {
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

/** Scheduled reviews due on or before a date (overdue ones included), for one worker or a whole team. */
export async function scheduledReviewsDueBy(
  db: DbOrTransaction,
  filter: { dueBy: string; assignedTo?: number; teamId?: number },
): Promise<DueReviewRow[]> {
  const query = db('reviews as r')
    .join('people as p', 'p.id', 'r.person_id')
    .leftJoin('users as u', 'u.id', 'r.assigned_to')
    .where('r.status', 'scheduled')
    .where('r.due_date', '<=', filter.dueBy);
  if (filter.assignedTo !== undefined) query.where('r.assigned_to', filter.assignedTo);
  if (filter.teamId !== undefined) query.where('p.team_id', filter.teamId);
  return (await query
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
    )
    .orderBy('r.due_date', 'asc')
    .orderBy('r.id', 'asc')) as DueReviewRow[];
}
