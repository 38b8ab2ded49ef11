import type { DbOrTransaction } from '../db/knex.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import type { FundingStream, ManagementOption } from '../plans/options.js';
import type { PanelStatus } from '../plans/repo.js';

export type PersonalBudgetRow = {
  id: number;
  person_id: number;
  plan_id: number;
  assessment_id: number;
  start_date: string;
  end_date: string | null;
  end_reason: string;
  weekly_pence: number;
  annual_pence: number;
  planned_weekly_pence: number;
  individual_budget_weekly_pence: number;
  direct_payment_weekly_pence: number;
  council_managed_weekly_pence: number;
  individual_service_fund_weekly_pence: number;
  prepaid_card_weekly_pence: number;
  approval_reason: string;
  approved_by: number;
  approved_at: Date;
  replaced_by_id: number | null;
};

export type ReviewKind = 'first' | 'annual' | 'direct_payment' | 'unplanned';

export type ReviewRow = {
  id: number;
  person_id: number;
  budget_id: number | null;
  kind: ReviewKind;
  due_date: string;
  status: 'scheduled' | 'completed' | 'cancelled';
  assigned_to: number | null;
  reason: string;
  /** The plan the review looks at, and who scheduled it (the finance officer whose approval did). */
  plan_id: number | null;
  created_by: number | null;
  created_at: Date;
  version: number;
};

export type FinancialAssessmentRow = {
  id: number;
  person_id: number;
  effective_from: string;
  weekly_income_pence: number;
  weekly_allowances_pence: number;
  capital_pence: number;
  tariff_income_pence: number;
  pays_full_cost: boolean;
  calculated_weekly_contribution_pence: number;
  weekly_contribution_pence: number;
  adjustment_reason: string;
  recorded_by: number;
  recorded_at: Date;
};

/** A plan waiting for a decision, with what a queue shows about it. */
export type WaitingPlanRow = {
  id: number;
  person_id: number;
  version: number;
  panel_status: PanelStatus;
  indicative_weekly_pence: number;
  submitted_at: Date;
  days_waiting: number;
  given_name: string;
  family_name: string;
  reference: string;
  client_group: PersonClientGroup;
  team_id: number;
  team_name: string;
  submitted_by_name: string | null;
};

export type WaitingFilter = { today: string; panelStatuses: PanelStatus[]; teamId?: number; clientGroup?: PersonClientGroup };

/** Submitted plans at the given panel stages, oldest submission first: the order they should be dealt with. */
export async function waitingPlans(db: DbOrTransaction, filter: WaitingFilter): Promise<WaitingPlanRow[]> {
  const query = db('support_plans as p')
    .join('people as pe', 'pe.id', 'p.person_id')
    .join('teams as t', 't.id', 'pe.team_id')
    .leftJoin('users as s', 's.id', 'p.submitted_by')
    .where('p.status', 'submitted')
    .whereIn('p.panel_status', filter.panelStatuses);
  if (filter.teamId) query.where('pe.team_id', filter.teamId);
  if (filter.clientGroup) query.where('pe.client_group', filter.clientGroup);
  const rows = (await query
    .select(
      'p.id',
      'p.person_id',
      'p.version',
      'p.panel_status',
      'p.indicative_weekly_pence',
      'p.submitted_at',
      // Whole London calendar days, so a plan sent at 11pm is "1 day" the next morning, as staff count it.
      db.raw(`(?::date - (p.submitted_at at time zone 'Europe/London')::date) as days_waiting`, [filter.today]),
      'pe.given_name',
      'pe.family_name',
      'pe.reference',
      'pe.client_group',
      'pe.team_id',
      't.name as team_name',
      's.display_name as submitted_by_name',
    )
    .orderBy('p.submitted_at', 'asc')
    .orderBy('p.id', 'asc')) as WaitingPlanRow[];
  return rows.map((row) => ({ ...row, days_waiting: Number(row.days_waiting) }));
}

export type CostedItemRow = { plan_id: number; funding_stream: FundingStream; management_option: ManagementOption; weekly_pence: number };

export async function costedItemsOfPlans(db: DbOrTransaction, planIds: number[]): Promise<CostedItemRow[]> {
  if (planIds.length === 0) return [];
  return (await db('plan_items')
    .whereIn('plan_id', planIds)
    .select('plan_id', 'funding_stream', 'management_option', 'weekly_pence')) as CostedItemRow[];
}

export async function openBudgetOfPerson(db: DbOrTransaction, personId: number, lock = false): Promise<PersonalBudgetRow | undefined> {
  const query = db<PersonalBudgetRow>('personal_budgets').where({ person_id: personId }).whereNull('end_date').first();
  if (lock) query.forUpdate();
  return query;
}

export async function insertBudget(
  db: DbOrTransaction,
  budget: Omit<PersonalBudgetRow, 'id' | 'end_date' | 'end_reason' | 'replaced_by_id'>,
) {
  const [row] = (await db('personal_budgets').insert(budget).returning('*')) as PersonalBudgetRow[];
  return row as PersonalBudgetRow;
}

export async function endBudget(
  db: DbOrTransaction,
  id: number,
  changes: Pick<PersonalBudgetRow, 'end_date' | 'end_reason'>,
): Promise<PersonalBudgetRow> {
  const [row] = (await db('personal_budgets').where({ id }).update(changes).returning('*')) as PersonalBudgetRow[];
  return row as PersonalBudgetRow;
}

export async function setReplacedBy(db: DbOrTransaction, id: number, replacedById: number): Promise<void> {
  await db('personal_budgets').where({ id }).update({ replaced_by_id: replacedById });
}

export async function budgetsOfPerson(db: DbOrTransaction, personId: number) {
  return (await db('personal_budgets as b')
    .leftJoin('users as a', 'a.id', 'b.approved_by')
    .where('b.person_id', personId)
    .select('b.*', 'a.display_name as approved_by_name')
    .orderBy('b.start_date', 'desc')
    .orderBy('b.id', 'desc')) as (PersonalBudgetRow & { approved_by_name: string | null })[];
}

/** Cancels the reviews still scheduled for a budget, returning what they were. */
export async function cancelScheduledReviews(db: DbOrTransaction, budgetId: number, reason: string): Promise<ReviewRow[]> {
  return (await db('reviews')
    .where({ budget_id: budgetId, status: 'scheduled' })
    .update({ status: 'cancelled', reason, version: db.raw('version + 1') })
    .returning('*')) as ReviewRow[];
}

export async function insertReview(
  db: DbOrTransaction,
  review: Pick<ReviewRow, 'person_id' | 'budget_id' | 'plan_id' | 'kind' | 'due_date' | 'assigned_to' | 'reason' | 'created_by'>,
) {
  const [row] = (await db('reviews').insert(review).returning('*')) as ReviewRow[];
  return row as ReviewRow;
}

export async function nextScheduledReview(db: DbOrTransaction, personId: number) {
  return (await db('reviews as r')
    .leftJoin('users as u', 'u.id', 'r.assigned_to')
    .where({ 'r.person_id': personId, 'r.status': 'scheduled' })
    .select('r.*', 'u.display_name as assigned_to_name')
    .orderBy('r.due_date', 'asc')
    .orderBy('r.id', 'asc')
    .first()) as (ReviewRow & { assigned_to_name: string | null }) | undefined;
}

export async function insertFinancialAssessment(db: DbOrTransaction, row: Omit<FinancialAssessmentRow, 'id' | 'recorded_at'>) {
  const [inserted] = (await db('financial_assessments').insert(row).returning('*')) as FinancialAssessmentRow[];
  return inserted as FinancialAssessmentRow;
}

export async function financialAssessmentsOfPerson(db: DbOrTransaction, personId: number) {
  return (await db('financial_assessments as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .where('f.person_id', personId)
    .select('f.*', 'u.display_name as recorded_by_name')
    .orderBy('f.effective_from', 'desc')
    .orderBy('f.id', 'desc')) as (FinancialAssessmentRow & { recorded_by_name: string | null })[];
}

/** The assessment that applies on a date: the latest to take effect on or before it; a later one recorded for the same date wins. */
export async function financialAssessmentInForce(
  db: DbOrTransaction,
  personId: number,
  date: string,
): Promise<FinancialAssessmentRow | undefined> {
  return db<FinancialAssessmentRow>('financial_assessments')
    .where({ person_id: personId })
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .first();
}

export async function displayNames(db: DbOrTransaction, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = (await db('users').whereIn('id', wanted).select('id', 'display_name')) as { id: number; display_name: string }[];
  return new Map(rows.map((row) => [row.id, row.display_name]));
}
