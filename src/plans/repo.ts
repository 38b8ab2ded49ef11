import type { Assessment } from '../assessments/repo.js';
import type { AuditAction } from '../audit/actions.js';
import { runQueries, type DbOrTransaction } from '../db/knex.js';
import type { DirectPaymentBasis, DirectPaymentFrequency, FundingStream, ItemCostType, ManagementOption } from './options.js';
import type { CostedItem } from './totals.js';

export type PlanStatus = 'draft' | 'submitted' | 'returned' | 'approved' | 'replaced' | 'cancelled' | 'withdrawn' | 'superseded';
export type PanelStatus = 'not_needed' | 'awaiting' | 'approved';

/** The support_plans columns; the rest of the app reads a SupportPlan (tests read the table itself). */
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
  direct_payment_frequency: DirectPaymentFrequency | null;
  direct_payment_basis: DirectPaymentBasis | null;
  over_indicative_reason: string;
  panel_status: PanelStatus;
  panel_decided_by: number | null;
  panel_decided_at: Date | null;
  panel_note: string;
  panel_agreed_weekly_pence: number | null;
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
  needs_changed: string;
  withdrawn_reason: string;
  withdrawn_by: number | null;
  withdrawn_at: Date | null;
  superseded_by_assessment_id: number | null;
  superseded_at: Date | null;
  version: number;
};

/** A support plan as the rest of the app sees it. */
export type SupportPlan = {
  id: number;
  personId: number;
  assessmentId: number;
  status: PlanStatus;
  indicativeAnnualPence: number;
  indicativeWeeklyPence: number;
  /** The RAS ceiling a year, as it was when the plan started. */
  ceilingPence: number;
  peopleInvolved: string;
  contactArrangements: string;
  eligibleNeeds: string;
  needsCouncilWillMeet: string;
  wellbeing: string;
  preventionAdvice: string;
  directPaymentNeeds: string;
  directPaymentFrequency: DirectPaymentFrequency | null;
  directPaymentBasis: DirectPaymentBasis | null;
  overIndicativeReason: string;
  panelStatus: PanelStatus;
  panelDecidedBy: number | null;
  panelDecidedAt: Date | null;
  panelNote: string;
  /** The weekly amount a panel agreed: finance may approve up to it. */
  panelAgreedWeeklyPence: number | null;
  submittedBy: number | null;
  submittedAt: Date | null;
  returnedBy: number | null;
  returnedAt: Date | null;
  returnReason: string;
  approvedBy: number | null;
  approvedAt: Date | null;
  createdBy: number;
  createdAt: Date;
  updatedAt: Date;
  fromReviewId: number | null;
  /** What changed in the person's needs: required when a plan from a review would lower their budget (rules.ts). */
  needsChanged: string;
  /** Why the person's team withdrew the plan while it was a draft or returned. */
  withdrawnReason: string;
  withdrawnBy: number | null;
  withdrawnAt: Date | null;
  /** The newer submitted assessment that superseded a plan started from an older one. */
  supersededByAssessmentId: number | null;
  supersededAt: Date | null;
  version: number;
};

/** Each field of a plan and its column: both directions of the mapping read this one table. */
const planColumns = {
  id: 'id',
  personId: 'person_id',
  assessmentId: 'assessment_id',
  status: 'status',
  indicativeAnnualPence: 'indicative_annual_pence',
  indicativeWeeklyPence: 'indicative_weekly_pence',
  ceilingPence: 'ceiling_pence',
  peopleInvolved: 'people_involved',
  contactArrangements: 'contact_arrangements',
  eligibleNeeds: 'eligible_needs',
  needsCouncilWillMeet: 'needs_council_will_meet',
  wellbeing: 'wellbeing',
  preventionAdvice: 'prevention_advice',
  directPaymentNeeds: 'direct_payment_needs',
  directPaymentFrequency: 'direct_payment_frequency',
  directPaymentBasis: 'direct_payment_basis',
  overIndicativeReason: 'over_indicative_reason',
  panelStatus: 'panel_status',
  panelDecidedBy: 'panel_decided_by',
  panelDecidedAt: 'panel_decided_at',
  panelNote: 'panel_note',
  panelAgreedWeeklyPence: 'panel_agreed_weekly_pence',
  submittedBy: 'submitted_by',
  submittedAt: 'submitted_at',
  returnedBy: 'returned_by',
  returnedAt: 'returned_at',
  returnReason: 'return_reason',
  approvedBy: 'approved_by',
  approvedAt: 'approved_at',
  createdBy: 'created_by',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  fromReviewId: 'from_review_id',
  needsChanged: 'needs_changed',
  withdrawnReason: 'withdrawn_reason',
  withdrawnBy: 'withdrawn_by',
  withdrawnAt: 'withdrawn_at',
  supersededByAssessmentId: 'superseded_by_assessment_id',
  supersededAt: 'superseded_at',
  version: 'version',
} as const satisfies { [Field in keyof SupportPlan]: keyof SupportPlanRow };

export function toSupportPlan(row: SupportPlanRow): SupportPlan {
  return Object.fromEntries(Object.entries(planColumns).map(([field, column]) => [field, row[column]])) as SupportPlan;
}

/** A plan's fields as their columns: what is written, and what the audit trail keeps. */
export function planRecord(plan: Partial<SupportPlan>): Partial<SupportPlanRow> {
  return Object.fromEntries(
    Object.entries(plan)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [planColumns[field as keyof SupportPlan], value]),
  );
}

type PlanOutcomeRow = { id: number; plan_id: number; description: string; eligibility_outcomes: string[]; position: number };
export type PlanOutcome = { id: number; planId: number; description: string; eligibilityOutcomes: string[]; position: number };

const toPlanOutcome = (row: PlanOutcomeRow): PlanOutcome => ({
  id: row.id,
  planId: row.plan_id,
  description: row.description,
  eligibilityOutcomes: row.eligibility_outcomes,
  position: row.position,
});

type PlanItemRow = {
  id: number;
  plan_id: number;
  outcome_id: number;
  description: string;
  provider: string;
  funding_stream: FundingStream;
  management_option: ManagementOption | null;
  cost_type: ItemCostType;
  unit_cost_pence: number | null;
  units_per_week_hundredths: number | null;
  weekly_pence: number | null;
  yearly_pence: number | null;
  one_off_pence: number | null;
  position: number;
};

export type PlanItem = {
  id: number;
  planId: number;
  outcomeId: number;
  description: string;
  provider: string;
  fundingStream: FundingStream;
  /** Social care money only: support the NHS or another body funds is theirs to manage. */
  managementOption: ManagementOption | null;
  costType: ItemCostType;
  unitCostPence: number | null;
  /** Units a week in hundredths: 7.5 hours is 750, so no float is stored. */
  unitsPerWeekHundredths: number | null;
  /** Weekly and unit items: the cost a week (a unit item's worked out once, when it is saved). */
  weeklyPence: number | null;
  /** The amount a year, or once, as typed: never turned into a rounded weekly figure. */
  yearlyPence: number | null;
  oneOffPence: number | null;
  position: number;
};

/** What a support item says, without where it sits in the plan. */
export type PlanItemDetails = Omit<PlanItem, 'id' | 'planId' | 'position'>;

const toPlanItem = (row: PlanItemRow): PlanItem => ({
  id: row.id,
  planId: row.plan_id,
  outcomeId: row.outcome_id,
  description: row.description,
  provider: row.provider,
  fundingStream: row.funding_stream,
  managementOption: row.management_option,
  costType: row.cost_type,
  unitCostPence: row.unit_cost_pence,
  unitsPerWeekHundredths: row.units_per_week_hundredths,
  weeklyPence: row.weekly_pence,
  yearlyPence: row.yearly_pence,
  oneOffPence: row.one_off_pence,
  position: row.position,
});

/** A support item as its columns: what is written, and what the audit trail keeps. */
export const itemRecord = (item: PlanItemDetails) => ({
  outcome_id: item.outcomeId,
  description: item.description,
  provider: item.provider,
  funding_stream: item.fundingStream,
  management_option: item.managementOption,
  cost_type: item.costType,
  unit_cost_pence: item.unitCostPence,
  units_per_week_hundredths: item.unitsPerWeekHundredths,
  weekly_pence: item.weeklyPence,
  yearly_pence: item.yearlyPence,
  one_off_pence: item.oneOffPence,
});

type PlanRiskRow = { id: number; plan_id: number; risk: string; how_managed: string; position: number };
export type PlanRisk = { id: number; planId: number; risk: string; howManaged: string; position: number };

const toPlanRisk = (row: PlanRiskRow): PlanRisk => ({
  id: row.id,
  planId: row.plan_id,
  risk: row.risk,
  howManaged: row.how_managed,
  position: row.position,
});

export type PlanWithParts = SupportPlan & { outcomes: PlanOutcome[]; items: PlanItem[]; risks: PlanRisk[] };

/** What a plan records in words for the Care Act (s.25): who was involved, the needs, how they are met. */
export function careActContents(plan: SupportPlan) {
  return {
    peopleInvolved: plan.peopleInvolved,
    contactArrangements: plan.contactArrangements,
    eligibleNeeds: plan.eligibleNeeds,
    needsCouncilWillMeet: plan.needsCouncilWillMeet,
    wellbeing: plan.wellbeing,
    preventionAdvice: plan.preventionAdvice,
    directPaymentNeeds: plan.directPaymentNeeds,
  };
}

export async function findPlan(db: DbOrTransaction, id: number, lock = false): Promise<SupportPlan | undefined> {
  const query = db<SupportPlanRow>('support_plans').where({ id }).first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toSupportPlan(row);
}

export async function findPlanWithParts(db: DbOrTransaction, id: number): Promise<PlanWithParts | undefined> {
  const plan = await findPlan(db, id);
  if (!plan) return undefined;
  const [outcomes, items, risks] = await runQueries<[PlanOutcomeRow[], PlanItemRow[], PlanRiskRow[]]>(db, [
    () => db<PlanOutcomeRow>('plan_outcomes').where({ plan_id: id }).orderBy('position'),
    () => db<PlanItemRow>('plan_items').where({ plan_id: id }).orderBy('position'),
    () => db<PlanRiskRow>('plan_risks').where({ plan_id: id }).orderBy('position'),
  ]);
  return { ...plan, outcomes: outcomes.map(toPlanOutcome), items: items.map(toPlanItem), risks: risks.map(toPlanRisk) };
}

export async function findOpenPlanForPerson(db: DbOrTransaction, personId: number): Promise<SupportPlan | undefined> {
  const row = await db<SupportPlanRow>('support_plans')
    .where({ person_id: personId })
    .whereIn('status', ['draft', 'submitted', 'returned'])
    .first();
  return row && toSupportPlan(row);
}

/**
 * The person's open plans started from another assessment of this type than `assessmentId`,
 * locked: once that assessment is submitted, they were started from an older one.
 */
export async function openPlansFromOtherAssessments(
  db: DbOrTransaction,
  assessment: Pick<Assessment, 'id' | 'personId' | 'type'>,
): Promise<SupportPlan[]> {
  const rows = (await db('support_plans as s')
    .join('assessments as a', 'a.id', 's.assessment_id')
    .where({ 's.person_id': assessment.personId, 'a.assessment_type': assessment.type })
    .whereNot('s.assessment_id', assessment.id)
    .whereIn('s.status', ['draft', 'submitted', 'returned'])
    .orderBy('s.id')
    .forUpdate('s')
    .select('s.*')) as SupportPlanRow[];
  return rows.map(toSupportPlan);
}

/** Why a plan stopped before sign-off: who withdrew it and why, or the assessments it was started from and superseded by. */
export type PlanStop =
  | { kind: 'withdrawn'; byName: string | null; at: Date; reason: string }
  | { kind: 'superseded'; startedFromAssessmentOn: Date | null; newerAssessmentOn: Date | null };

export async function planStopOf(db: DbOrTransaction, plan: SupportPlan): Promise<PlanStop | null> {
  if (plan.status === 'withdrawn' && plan.withdrawnAt) {
    const user = (await db('users').where({ id: plan.withdrawnBy }).first('display_name')) as { display_name: string } | undefined;
    return { kind: 'withdrawn', byName: user?.display_name ?? null, at: plan.withdrawnAt, reason: plan.withdrawnReason };
  }
  if (plan.status === 'superseded') {
    const rows = (await db('assessments')
      .whereIn('id', [plan.assessmentId, plan.supersededByAssessmentId ?? plan.assessmentId])
      .select('id', 'submitted_at')) as { id: number; submitted_at: Date | null }[];
    const submittedOn = (id: number | null) => rows.find((row) => row.id === id)?.submitted_at ?? null;
    return {
      kind: 'superseded',
      startedFromAssessmentOn: submittedOn(plan.assessmentId),
      newerAssessmentOn: submittedOn(plan.supersededByAssessmentId),
    };
  }
  return null;
}

/** A person's plans, the newest first. */
export function plansOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('support_plans').where({ person_id: personId }).orderBy('created_at', 'desc').orderBy('id', 'desc');
}

export async function plansOfPerson(db: DbOrTransaction, personId: number): Promise<SupportPlan[]> {
  const rows = (await plansOfPersonQuery(db, personId)) as SupportPlanRow[];
  return rows.map(toSupportPlan);
}

/** What a new plan starts with; the Care Act fields may be left for the care manager to fill in. */
export type NewPlan = Pick<
  SupportPlan,
  'personId' | 'assessmentId' | 'indicativeAnnualPence' | 'indicativeWeeklyPence' | 'ceilingPence' | 'createdBy'
> &
  Partial<SupportPlan>;

export async function insertPlan(db: DbOrTransaction, plan: NewPlan): Promise<SupportPlan> {
  const [row] = (await db('support_plans').insert(planRecord(plan)).returning('*')) as SupportPlanRow[];
  return toSupportPlan(row as SupportPlanRow);
}

/** Changes a plan only at the version the user saw; undefined means someone else got there first. */
export async function updatePlan(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: Partial<SupportPlan>,
): Promise<SupportPlan | undefined> {
  const [row] = (await db('support_plans')
    .where({ id, version: expectedVersion })
    .update({ ...planRecord(changes), version: db.raw('version + 1'), updated_at: db.fn.now() })
    .returning('*')) as SupportPlanRow[];
  return row && toSupportPlan(row);
}

export type OutcomeDetails = Pick<PlanOutcome, 'description' | 'eligibilityOutcomes'>;

/** A new part goes after the plan's others. */
const nextPosition = (db: DbOrTransaction, table: 'plan_outcomes' | 'plan_items' | 'plan_risks', planId: number) =>
  db.raw(`(select coalesce(max(position), -1) + 1 from ${table} where plan_id = ?)`, [planId]);

export async function insertOutcome(db: DbOrTransaction, planId: number, outcome: OutcomeDetails): Promise<void> {
  await db('plan_outcomes').insert({
    plan_id: planId,
    description: outcome.description,
    eligibility_outcomes: outcome.eligibilityOutcomes,
    position: nextPosition(db, 'plan_outcomes', planId),
  });
}

export async function updateOutcome(db: DbOrTransaction, planId: number, id: number, outcome: OutcomeDetails): Promise<number> {
  return db('plan_outcomes')
    .where({ plan_id: planId, id })
    .update({ description: outcome.description, eligibility_outcomes: outcome.eligibilityOutcomes });
}

/** A part of a plan as it is stored, for the audit trail's record of what a change replaced. */
export async function findPlanPartRow(
  db: DbOrTransaction,
  table: 'plan_outcomes' | 'plan_items' | 'plan_risks',
  planId: number,
  id: number,
): Promise<Record<string, unknown> | undefined> {
  return (await db(table).where({ plan_id: planId, id }).first()) as Record<string, unknown> | undefined;
}

export async function deleteOutcome(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_outcomes').where({ plan_id: planId, id }).delete();
}

export async function outcomeBelongsToPlan(db: DbOrTransaction, planId: number, outcomeId: number): Promise<boolean> {
  return (await db('plan_outcomes').where({ plan_id: planId, id: outcomeId }).first('id')) !== undefined;
}

export async function itemsServingOutcome(db: DbOrTransaction, outcomeId: number): Promise<number> {
  const [{ count }] = (await db('plan_items').where({ outcome_id: outcomeId }).count({ count: '*' })) as [{ count: string | number }];
  return Number(count);
}

export async function insertItem(db: DbOrTransaction, planId: number, item: PlanItemDetails): Promise<void> {
  await db('plan_items').insert({ plan_id: planId, ...itemRecord(item), position: nextPosition(db, 'plan_items', planId) });
}

export async function updateItem(db: DbOrTransaction, planId: number, id: number, item: PlanItemDetails): Promise<number> {
  return db('plan_items').where({ plan_id: planId, id }).update(itemRecord(item));
}

export async function deleteItem(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_items').where({ plan_id: planId, id }).delete();
}

export async function insertRisk(db: DbOrTransaction, planId: number, risk: Pick<PlanRisk, 'risk' | 'howManaged'>): Promise<void> {
  await db('plan_risks').insert({
    plan_id: planId,
    risk: risk.risk,
    how_managed: risk.howManaged,
    position: nextPosition(db, 'plan_risks', planId),
  });
}

export async function deleteRisk(db: DbOrTransaction, planId: number, id: number): Promise<number> {
  return db('plan_risks').where({ plan_id: planId, id }).delete();
}

/** Costed items of several plans at once, for the queues' totals. */
export async function costedItemsOfPlans(db: DbOrTransaction, planIds: number[]): Promise<(CostedItem & Pick<PlanItem, 'planId'>)[]> {
  if (planIds.length === 0) return [];
  const rows = (await db('plan_items')
    .whereIn('plan_id', planIds)
    .select(
      'plan_id',
      'funding_stream',
      'management_option',
      'cost_type',
      'weekly_pence',
      'yearly_pence',
      'one_off_pence',
    )) as PlanItemRow[];
  return rows.map((row) => ({
    planId: row.plan_id,
    fundingStream: row.funding_stream,
    managementOption: row.management_option,
    costType: row.cost_type,
    weeklyPence: row.weekly_pence,
    yearlyPence: row.yearly_pence,
    oneOffPence: row.one_off_pence,
  }));
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

/** The actions that make someone an author of a plan, for the four-eyes rule at sign-off. */
export const planAuthorActions: readonly AuditAction[] = ['plan_started', 'plan_changed', 'plan_submitted'];

/** Everyone who wrote or changed a plan, read from the audit trail, for the four-eyes rule. */
export async function planAuthors(db: DbOrTransaction, planId: number): Promise<number[]> {
  const rows = (await db('audit_events')
    .where({ entity_type: 'support_plan', entity_id: String(planId) })
    .whereIn('action', planAuthorActions)
    .whereNotNull('user_id')
    .distinct('user_id')) as { user_id: number }[];
  return rows.map((row) => row.user_id);
}

/** The assessment a plan is built on, as planning reads it. */
export type AssessmentForPlanning = {
  id: number;
  eligible: boolean | null;
  annualPence: number;
  weeklyPence: number;
  ceilingPence: number;
  /** The eligibility outcomes the person cannot achieve: the plan's eligible needs start from them. */
  unmetOutcomeKeys: string[];
};

type PlanningAssessmentRow = {
  id: number;
  eligible: boolean | null;
  annual_pence: number;
  weekly_pence: number;
  ceiling_pence: number;
  eligibility: { outcomes?: Record<string, { achieved: boolean }> };
};

function toAssessmentForPlanning(row: PlanningAssessmentRow): AssessmentForPlanning {
  return {
    id: row.id,
    eligible: row.eligible,
    annualPence: row.annual_pence,
    weeklyPence: row.weekly_pence,
    ceilingPence: row.ceiling_pence,
    unmetOutcomeKeys: Object.entries(row.eligibility.outcomes ?? {})
      .filter(([, outcome]) => outcome.achieved === false)
      .map(([key]) => key),
  };
}

/** The person's current (submitted, not superseded) assessment that a plan would be built on; the newest first. */
export async function currentAssessmentForPlanning(db: DbOrTransaction, personId: number): Promise<AssessmentForPlanning | undefined> {
  const row = (await db('assessments as a')
    .join('ras_versions as v', 'v.id', 'a.ras_version_id')
    .where({ 'a.person_id': personId, 'a.status': 'submitted' })
    .select('a.id', 'a.eligible', 'a.annual_pence', 'a.weekly_pence', 'a.eligibility', 'v.ceiling_pence')
    .orderBy('a.submitted_at', 'desc')
    .first()) as PlanningAssessmentRow | undefined;
  return row && toAssessmentForPlanning(row);
}

/** A row of the person's assessments as the person page reads them (drafts not yet scored among them). */
type ListedAssessmentRow = Omit<PlanningAssessmentRow, 'annual_pence' | 'weekly_pence' | 'eligibility'> & {
  status: string;
  submitted_at: Date | null;
  annual_pence: number | null;
  weekly_pence: number | null;
  eligibility: unknown;
};

/** currentAssessmentForPlanning's assessment picked from all of the person's, read with their RAS's ceiling. */
export function assessmentForPlanningAmong(rows: ListedAssessmentRow[]): AssessmentForPlanning | undefined {
  const latest = rows
    .filter((row) => row.status === 'submitted' && row.submitted_at !== null)
    .reduce<ListedAssessmentRow | undefined>(
      (found, row) => (!found || (row.submitted_at as Date) > (found.submitted_at as Date) ? row : found),
      undefined,
    );
  // Submitting scores an assessment, so a submitted one has its amounts and its eligibility.
  return latest && toAssessmentForPlanning(latest as PlanningAssessmentRow);
}

/**
 * Reviews (issue 5): whether a plan came from a review, itself (a changed plan) or through its
 * assessment (a reassessment), and the weekly amount of the budget it would replace.
 */
export type ReviewContext = { fromReview: boolean; currentBudgetWeeklyPence: number | null };
export const notFromReview: ReviewContext = { fromReview: false, currentBudgetWeeklyPence: null };

export async function reviewContextOf(
  db: DbOrTransaction,
  plan: Pick<SupportPlan, 'personId' | 'assessmentId' | 'fromReviewId'>,
): Promise<ReviewContext> {
  // One after the other: inside a transaction both would share one connection.
  const assessment = (await db('assessments').where({ id: plan.assessmentId }).first('from_review_id')) as
    { from_review_id: number | null } | undefined;
  const budget = (await db('personal_budgets').where({ person_id: plan.personId }).whereNull('end_date').first('weekly_pence')) as
    { weekly_pence: number } | undefined;
  return {
    fromReview: plan.fromReviewId !== null || (assessment?.from_review_id ?? null) !== null,
    currentBudgetWeeklyPence: budget?.weekly_pence ?? null,
  };
}
