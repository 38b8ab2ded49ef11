import type { AuditAction } from '../audit/actions.js';
import { runQueries, type DbOrTransaction } from '../db/knex.js';
import type { FundingStream, ManagementOption } from './options.js';
import type { ReviewContext } from './rules.js';

export type PlanStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'replaced' | 'cancelled';
export type PanelStatus = 'not_needed' | 'awaiting' | 'approved';

export type SupportPlanRow = {
  id: number;
  person_id: number;
  assessment_id: number;
  status: PlanStatus;
  indicative_annual_pence: number;
  indicative_weekly_pence: number;
  ceiling_pence: number;
  people_involved: string;
  contact_arrangements: string;
  eligible_needs: string;
  needs_council_will_meet: string;
  wellbeing: string;
  prevention_advice: string;
  direct_payment_needs: string;
  direct_payment_frequency: 'weekly' | 'four_weekly' | 'monthly' | null;
  direct_payment_basis: 'gross' | 'net' | null;
  over_indicative_reason: string;
  panel_status: PanelStatus;
  panel_decided_by: number | null;
  panel_decided_at: Date | null;
  panel_note: string;
  submitted_by: number | null;
  submitted_at: Date | null;
  returned_by: number | null;
  returned_at: Date | null;
  return_reason: string;
  approved_by: number | null;
  approved_at: Date | null;
  created_by: number;
  created_at: Date;
  updated_at: Date;
  from_review_id: number | null;
  /** What changed in the person's needs: required when a plan from a review would lower their budget (rules.ts). */
  needs_changed: string;
  version: number;
};

export type PlanOutcomeRow = { id: number; plan_id: number; description: string; eligibility_outcomes: string[]; position: number };

export type PlanItemRow = {
  id: number;
  plan_id: number;
  outcome_id: number;
  description: string;
  provider: string;
  funding_stream: FundingStream;
  management_option: ManagementOption;
  cost_type: 'weekly' | 'unit';
  unit_cost_pence: number | null;
  units_per_week_hundredths: number | null;
  weekly_pence: number;
  position: number;
};

export type PlanRiskRow = { id: number; plan_id: number; risk: string; how_managed: string; position: number };

export type PlanWithParts = SupportPlanRow & { outcomes: PlanOutcomeRow[]; items: PlanItemRow[]; risks: PlanRiskRow[] };

export async function findPlan(db: DbOrTransaction, id: number, lock = false): Promise<SupportPlanRow | undefined> {
  const query = db<SupportPlanRow>('support_plans').where({ id }).first();
  if (lock) query.forUpdate();
  return query;
}

export async function findPlanWithParts(db: DbOrTransaction, id: number): Promise<PlanWithParts | undefined> {
  const plan = await findPlan(db, id);
  if (!plan) return undefined;
  const [outcomes, items, risks] = await runQueries<[PlanOutcomeRow[], PlanItemRow[], PlanRiskRow[]]>(db, [
    () => db<PlanOutcomeRow>('plan_outcomes').where({ plan_id: id }).orderBy('position'),
    () => db<PlanItemRow>('plan_items').where({ plan_id: id }).orderBy('position'),
    () => db<PlanRiskRow>('plan_risks').where({ plan_id: id }).orderBy('position'),
  ]);
  return { ...plan, outcomes, items, risks };
}

export async function findOpenPlanForPerson(db: DbOrTransaction, personId: number): Promise<SupportPlanRow | undefined> {
  return db<SupportPlanRow>('support_plans').where({ person_id: personId }).whereIn('status', ['draft', 'submitted', 'returned']).first();
}

export async function plansOfPerson(db: DbOrTransaction, personId: number) {
  return (await db('support_plans as p')
    .leftJoin('users as c', 'c.id', 'p.created_by')
    .where('p.person_id', personId)
    .select('p.*', 'c.display_name as created_by_name')
    .orderBy('p.created_at', 'desc')
    .orderBy('p.id', 'desc')) as (SupportPlanRow & { created_by_name: string | null })[];
}

export async function insertPlan(db: DbOrTransaction, plan: Partial<SupportPlanRow>): Promise<SupportPlanRow> {
  const [row] = (await db('support_plans').insert(plan).returning('*')) as SupportPlanRow[];
  return row as SupportPlanRow;
}

/** Changes a plan only at the version the user saw; undefined means someone else got there first. */
export async function updatePlan(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: Partial<SupportPlanRow>,
): Promise<SupportPlanRow | undefined> {
  const [row] = (await db('support_plans')
    .where({ id, version: expectedVersion })
    .update({ ...changes, version: db.raw('version + 1'), updated_at: db.fn.now() })
    .returning('*')) as SupportPlanRow[];
  return row;
}

export async function insertOutcome(db: DbOrTransaction, outcome: Omit<PlanOutcomeRow, 'id' | 'position'>): Promise<void> {
  await db('plan_outcomes').insert({
    ...outcome,
    position: db.raw('(select coalesce(max(position), -1) + 1 from plan_outcomes where plan_id = ?)', [outcome.plan_id]),
  });
}

export async function updateOutcome(
  db: DbOrTransaction,
  planId: number,
  id: number,
  changes: Pick<PlanOutcomeRow, 'description' | 'eligibility_outcomes'>,
) {
  return db('plan_outcomes').where({ plan_id: planId, id }).update(changes);
}

export async function deleteOutcome(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_outcomes').where({ plan_id: planId, id }).delete();
}

export async function itemsServingOutcome(db: DbOrTransaction, outcomeId: number): Promise<number> {
  const [{ count }] = (await db('plan_items').where({ outcome_id: outcomeId }).count({ count: '*' })) as [{ count: string | number }];
  return Number(count);
}

export async function insertItem(db: DbOrTransaction, item: Omit<PlanItemRow, 'id' | 'position'>): Promise<void> {
  await db('plan_items').insert({
    ...item,
    position: db.raw('(select coalesce(max(position), -1) + 1 from plan_items where plan_id = ?)', [item.plan_id]),
  });
}

export async function updateItem(
  db: DbOrTransaction,
  planId: number,
  id: number,
  changes: Omit<PlanItemRow, 'id' | 'plan_id' | 'position'>,
) {
  return db('plan_items').where({ plan_id: planId, id }).update(changes);
}

export async function deleteItem(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_items').where({ plan_id: planId, id }).delete();
}

export async function insertRisk(db: DbOrTransaction, risk: Omit<PlanRiskRow, 'id' | 'position'>): Promise<void> {
  await db('plan_risks').insert({
    ...risk,
    position: db.raw('(select coalesce(max(position), -1) + 1 from plan_risks where plan_id = ?)', [risk.plan_id]),
  });
}

export async function deleteRisk(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_risks').where({ plan_id: planId, id }).delete();
}

/** Copies a plan's outcomes, items and risks to another plan (a review that changes the plan starts from it). */
export async function copyPlanParts(db: DbOrTransaction, fromPlanId: number, toPlanId: number): Promise<void> {
  const outcomes = await db<PlanOutcomeRow>('plan_outcomes').where({ plan_id: fromPlanId }).orderBy('position');
  const newOutcomeIds = new Map<number, number>();
  for (const outcome of outcomes) {
    const [row] = (await db('plan_outcomes')
      .insert({
        plan_id: toPlanId,
        description: outcome.description,
        eligibility_outcomes: outcome.eligibility_outcomes,
        position: outcome.position,
      })
      .returning('id')) as { id: number }[];
    newOutcomeIds.set(outcome.id, (row as { id: number }).id);
  }
  const items = await db<PlanItemRow>('plan_items').where({ plan_id: fromPlanId }).orderBy('position');
  if (items.length > 0) {
    await db('plan_items').insert(
      items.map(({ id: _id, plan_id: _planId, ...item }) => ({
        ...item,
        plan_id: toPlanId,
        outcome_id: newOutcomeIds.get(item.outcome_id),
      })),
    );
  }
  const risks = await db<PlanRiskRow>('plan_risks').where({ plan_id: fromPlanId }).orderBy('position');
  if (risks.length > 0) {
    await db('plan_risks').insert(risks.map(({ id: _id, plan_id: _planId, ...risk }) => ({ ...risk, plan_id: toPlanId })));
  }
}

/** Everyone who wrote or changed a plan, read from the audit trail, for the four-eyes rule. */
/** The actions that make someone an author of a plan, for the four-eyes rule at sign-off. */
export const planAuthorActions: readonly AuditAction[] = ['plan_started', 'plan_changed', 'plan_submitted'];

export async function planAuthors(db: DbOrTransaction, planId: number): Promise<number[]> {
  const rows = (await db('audit_events')
    .where({ entity_type: 'support_plan', entity_id: String(planId) })
    .whereIn('action', planAuthorActions)
    .whereNotNull('user_id')
    .distinct('user_id')) as { user_id: number }[];
  return rows.map((row) => row.user_id);
}

export async function councilSettings(db: DbOrTransaction) {
  return (await db('council_settings').where({ id: 1 }).first()) as {
    over_indicative_needs_panel: boolean;
    pb_uptake_target_percent: number;
    version: number;
  };
}

export type AssessmentForPlanning = {
  id: number;
  assessment_type: 'person' | 'carer';
  eligible: boolean | null;
  below_threshold: boolean;
  exceeds_ceiling: boolean;
  annual_pence: number;
  weekly_pence: number;
  raw_points: number;
  submitted_at: Date;
  ceiling_pence: number;
  eligibility: { outcomes?: Record<string, { achieved: boolean }> };
};

/** The person's current (submitted, not superseded) assessment that a plan would be built on; the newest first. */
export async function currentAssessmentForPlanning(db: DbOrTransaction, personId: number): Promise<AssessmentForPlanning | undefined> {
  return (await db('assessments as a')
    .join('ras_versions as v', 'v.id', 'a.ras_version_id')
    .where({ 'a.person_id': personId, 'a.status': 'submitted' })
    .select(
      'a.id',
      'a.assessment_type',
      'a.eligible',
      'a.below_threshold',
      'a.exceeds_ceiling',
      'a.annual_pence',
      'a.weekly_pence',
      'a.raw_points',
      'a.submitted_at',
      'a.eligibility',
      'v.ceiling_pence',
    )
    .orderBy('a.submitted_at', 'desc')
    .first()) as AssessmentForPlanning | undefined;
}

/**
 * Reviews (issue 5): whether a plan came from a review, itself (a changed plan) or through its
 * assessment (a reassessment), and the weekly amount of the budget it would replace.
 */
export async function reviewContextOf(
  db: DbOrTransaction,
  plan: Pick<SupportPlanRow, 'person_id' | 'assessment_id' | 'from_review_id'>,
): Promise<ReviewContext> {
  // One after the other: inside a transaction both would share one connection.
  const assessment = (await db('assessments').where({ id: plan.assessment_id }).first('from_review_id')) as
    { from_review_id: number | null } | undefined;
  const budget = (await db('personal_budgets').where({ person_id: plan.person_id }).whereNull('end_date').first('weekly_pence')) as
    { weekly_pence: number } | undefined;
  return {
    fromReview: plan.from_review_id !== null || (assessment?.from_review_id ?? null) !== null,
    currentBudgetWeeklyPence: budget?.weekly_pence ?? null,
  };
}

/** The personal budget finance made from a plan, if it was signed off. */
export async function budgetOfPlan(db: DbOrTransaction, planId: number) {
  return (await db('personal_budgets as b')
    .leftJoin('users as u', 'u.id', 'b.approved_by')
    .where('b.plan_id', planId)
    .first('b.weekly_pence', 'b.annual_pence', 'b.start_date', 'b.end_date', 'b.approval_reason', 'u.display_name as approved_by_name')) as
    | {
        weekly_pence: number;
        annual_pence: number;
        start_date: string;
        end_date: string | null;
        approval_reason: string;
        approved_by_name: string | null;
      }
    | undefined;
}
