import type { Knex } from 'knex';
import type { DbOrTransaction } from '../db/knex.js';
import { orderBySql, readPage, type ListSort, type Paged, type PageRequest } from '../db/paging.js';
import { WEEKS_A_YEAR } from '../money.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import { joinedPersonOf, type Person } from '../people/repo.js';
import type { DirectPaymentBasis, DirectPaymentFrequency } from '../plans/options.js';
import type { PanelStatus } from '../plans/repo.js';
import type { ReviewKind } from '../reviews/repo.js';
import type { ManagementSplit } from './budget.js';
import type { BudgetEnd, BudgetEndReason } from './ending-reasons.js';

/** The personal_budgets columns; the rest of the app reads a PersonalBudget (tests read the table itself). */
export type PersonalBudgetRow = {
  id: number;
  person_id: number;
  plan_id: number;
  assessment_id: number;
  start_date: string;
  end_date: string | null;
  end_reason: BudgetEndReason | '';
  end_note: string;
  ended_by: number | null;
  ended_at: Date | null;
  version: number;
  weekly_pence: number;
  annual_pence: number;
  planned_weekly_pence: number;
  planned_annual_pence: number;
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

/** A personal budget finance approved from a plan: what it pays a week, from when, and how it is managed. */
export type PersonalBudget = {
  id: number;
  personId: number;
  planId: number;
  assessmentId: number;
  startDate: string;
  endDate: string | null;
  /** Empty while the budget is open, and on a budget ended before reasons were codes: its words are the note. */
  endReason: BudgetEndReason | '';
  endNote: string;
  endedBy: number | null;
  endedAt: Date | null;
  version: number;
  weeklyPence: number;
  annualPence: number;
  /** What the plan asked for; finance may approve a different amount, with a reason. */
  plannedWeeklyPence: number;
  /** The plan's exact yearly cost: with yearly and one-off items it differs from 52 weeks of the weekly amount. */
  plannedAnnualPence: number;
  individualBudgetWeeklyPence: number;
  /** The weekly amount by how it is managed. */
  split: ManagementSplit;
  approvalReason: string;
  approvedBy: number;
  approvedAt: Date;
  replacedById: number | null;
};

export function toPersonalBudget(row: PersonalBudgetRow): PersonalBudget {
  return {
    id: row.id,
    personId: row.person_id,
    planId: row.plan_id,
    assessmentId: row.assessment_id,
    startDate: row.start_date,
    endDate: row.end_date,
    endReason: row.end_reason,
    endNote: row.end_note,
    endedBy: row.ended_by,
    endedAt: row.ended_at,
    version: row.version,
    weeklyPence: row.weekly_pence,
    annualPence: row.annual_pence,
    plannedWeeklyPence: row.planned_weekly_pence,
    plannedAnnualPence: row.planned_annual_pence,
    individualBudgetWeeklyPence: row.individual_budget_weekly_pence,
    split: {
      direct_payment: row.direct_payment_weekly_pence,
      council_managed: row.council_managed_weekly_pence,
      individual_service_fund: row.individual_service_fund_weekly_pence,
      prepaid_card: row.prepaid_card_weekly_pence,
    },
    approvalReason: row.approval_reason,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    replacedById: row.replaced_by_id,
  };
}

export type NewBudget = Omit<
  PersonalBudget,
  'id' | 'endDate' | 'endReason' | 'endNote' | 'endedBy' | 'endedAt' | 'version' | 'replacedById'
>;

function budgetColumnsOf(budget: NewBudget) {
  return {
    person_id: budget.personId,
    plan_id: budget.planId,
    assessment_id: budget.assessmentId,
    start_date: budget.startDate,
    weekly_pence: budget.weeklyPence,
    annual_pence: budget.annualPence,
    planned_weekly_pence: budget.plannedWeeklyPence,
    planned_annual_pence: budget.plannedAnnualPence,
    individual_budget_weekly_pence: budget.individualBudgetWeeklyPence,
    direct_payment_weekly_pence: budget.split.direct_payment,
    council_managed_weekly_pence: budget.split.council_managed,
    individual_service_fund_weekly_pence: budget.split.individual_service_fund,
    prepaid_card_weekly_pence: budget.split.prepaid_card,
    approval_reason: budget.approvalReason,
    approved_by: budget.approvedBy,
    approved_at: budget.approvedAt,
  };
}

/** The budget as its row, which the audit trail keeps, as every earlier event has it. */
export function budgetRecord(budget: PersonalBudget): PersonalBudgetRow {
  return {
    id: budget.id,
    ...budgetColumnsOf(budget),
    end_date: budget.endDate,
    end_reason: budget.endReason,
    end_note: budget.endNote,
    ended_by: budget.endedBy,
    ended_at: budget.endedAt,
    version: budget.version,
    replaced_by_id: budget.replacedById,
  };
}

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

/** What a person pays towards their care from a date, and the figures it was worked out from. */
export type FinancialAssessment = {
  id: number;
  personId: number;
  effectiveFrom: string;
  weeklyIncomePence: number;
  weeklyAllowancesPence: number;
  capitalPence: number;
  tariffIncomePence: number;
  /** The decision in force: above the upper capital limit, unless an officer adjusted it. */
  paysFullCost: boolean;
  calculatedWeeklyContributionPence: number;
  weeklyContributionPence: number;
  adjustmentReason: string;
  recordedBy: number;
  recordedAt: Date;
};

export function toFinancialAssessment(row: FinancialAssessmentRow): FinancialAssessment {
  return {
    id: row.id,
    personId: row.person_id,
    effectiveFrom: row.effective_from,
    weeklyIncomePence: row.weekly_income_pence,
    weeklyAllowancesPence: row.weekly_allowances_pence,
    capitalPence: row.capital_pence,
    tariffIncomePence: row.tariff_income_pence,
    paysFullCost: row.pays_full_cost,
    calculatedWeeklyContributionPence: row.calculated_weekly_contribution_pence,
    weeklyContributionPence: row.weekly_contribution_pence,
    adjustmentReason: row.adjustment_reason,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}

export type NewFinancialAssessment = Omit<FinancialAssessment, 'id' | 'recordedAt'>;

/** The assessment as its row: what is written, and what the audit trail keeps. */
export function financialAssessmentRecord(assessment: NewFinancialAssessment): Omit<FinancialAssessmentRow, 'id' | 'recorded_at'> {
  return {
    person_id: assessment.personId,
    effective_from: assessment.effectiveFrom,
    weekly_income_pence: assessment.weeklyIncomePence,
    weekly_allowances_pence: assessment.weeklyAllowancesPence,
    capital_pence: assessment.capitalPence,
    tariff_income_pence: assessment.tariffIncomePence,
    pays_full_cost: assessment.paysFullCost,
    calculated_weekly_contribution_pence: assessment.calculatedWeeklyContributionPence,
    weekly_contribution_pence: assessment.weeklyContributionPence,
    adjustment_reason: assessment.adjustmentReason,
    recorded_by: assessment.recordedBy,
  };
}

/** A plan waiting for a decision, with what a queue shows about it. */
export type WaitingPlanListing = {
  id: number;
  version: number;
  panelStatus: PanelStatus;
  indicativeWeeklyPence: number;
  indicativeAnnualPence: number;
  submittedAt: Date;
  /** Whole London calendar days since it was submitted. */
  daysWaiting: number;
  person: Pick<Person, 'id' | 'givenName' | 'familyName' | 'reference' | 'clientGroup' | 'teamId'>;
  teamName: string;
  submittedByName: string | null;
};

type WaitingPlanRow = {
  id: number;
  person_id: number;
  version: number;
  panel_status: PanelStatus;
  indicative_weekly_pence: number;
  indicative_annual_pence: number;
  submitted_at: Date;
  days_waiting: number | string;
  given_name: string;
  family_name: string;
  reference: string;
  client_group: PersonClientGroup;
  team_id: number;
  team_name: string;
  submitted_by_name: string | null;
};

export type WaitingFilter = { today: string; panelStatuses: PanelStatus[]; teamId?: number; clientGroup?: PersonClientGroup };

/**
 * How a queue can be sorted. "Planned a week" sorts by the plan's social care items a year, the
 * figure its weekly personal budget is worked out from (src/plans/totals.ts), so the order is the
 * same as the weekly figures the queue shows.
 */
const waitingOrderings = {
  person: ['lower(pe.family_name)', 'lower(pe.given_name)'],
  team: ['lower(t.name)'],
  submitted: ['p.submitted_at'],
  waiting: ['-p.submitted_at'],
  planned: [
    `(select coalesce(sum(case i.cost_type when 'yearly' then i.yearly_pence when 'one_off' then i.one_off_pence
        else i.weekly_pence * ${WEEKS_A_YEAR} end), 0)
       from plan_items i where i.plan_id = p.id and i.funding_stream = 'social_care')`,
  ],
};

/** A page of the submitted plans at the given panel stages; the longest waiting first is the order they should be dealt with. */
export async function waitingPlans(
  db: DbOrTransaction,
  filter: WaitingFilter,
  list: { sort: ListSort; request: PageRequest },
): Promise<Paged<WaitingPlanListing>> {
  const base = db('support_plans as p').whereRaw("p.status = 'submitted'").whereIn('p.panel_status', filter.panelStatuses);
  // The people are joined to count a filtered queue only: the whole queue is counted from its plans.
  const filtered = Boolean(filter.teamId || filter.clientGroup);
  const withPeople = (query: Knex.QueryBuilder) => query.join('people as pe', 'pe.id', 'p.person_id');
  if (filtered) withPeople(base);
  if (filter.teamId) base.where('pe.team_id', filter.teamId);
  if (filter.clientGroup) base.where('pe.client_group', filter.clientGroup);
  const { rows, page } = await readPage<WaitingPlanRow>(base, {
    orderBy: orderBySql(waitingOrderings, list.sort, ['p.id']),
    request: list.request,
    select: (query) =>
      (filtered ? query : withPeople(query))
        .join('teams as t', 't.id', 'pe.team_id')
        .leftJoin('users as s', 's.id', 'p.submitted_by')
        .select(
          'p.id',
          'p.person_id',
          'p.version',
          'p.panel_status',
          'p.indicative_weekly_pence',
          'p.indicative_annual_pence',
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
        ),
  });
  const listings = rows.map((row) => ({
    id: row.id,
    version: row.version,
    panelStatus: row.panel_status,
    indicativeWeeklyPence: row.indicative_weekly_pence,
    indicativeAnnualPence: row.indicative_annual_pence,
    submittedAt: row.submitted_at,
    daysWaiting: Number(row.days_waiting),
    person: Object.assign(joinedPersonOf(row), { teamId: row.team_id }),
    teamName: row.team_name,
    submittedByName: row.submitted_by_name,
  }));
  return { rows: listings, page };
}

export async function openBudgetOfPerson(db: DbOrTransaction, personId: number, lock = false): Promise<PersonalBudget | undefined> {
  const query = db<PersonalBudgetRow>('personal_budgets').where({ person_id: personId }).whereNull('end_date').first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toPersonalBudget(row);
}

export async function insertBudget(db: DbOrTransaction, budget: NewBudget): Promise<PersonalBudget> {
  const [row] = (await db('personal_budgets').insert(budgetColumnsOf(budget)).returning('*')) as PersonalBudgetRow[];
  return toPersonalBudget(row as PersonalBudgetRow);
}

export async function endBudget(db: DbOrTransaction, id: number, end: BudgetEnd, endedBy: number): Promise<PersonalBudget> {
  const [row] = (await db('personal_budgets')
    .where({ id })
    .update({
      end_date: end.endDate,
      end_reason: end.endReason,
      end_note: end.endNote ?? '',
      ended_by: endedBy,
      // The transaction's time, the same instant as the audit event written with it.
      ended_at: db.fn.now(),
      version: db.raw('version + 1'),
    })
    .returning('*')) as PersonalBudgetRow[];
  return toPersonalBudget(row as PersonalBudgetRow);
}

export async function setReplacedBy(db: DbOrTransaction, id: number, replacedById: number): Promise<void> {
  await db('personal_budgets').where({ id }).update({ replaced_by_id: replacedById });
}

/** A person's budgets, the latest first, with who approved each. */
export type PersonBudgetRow = PersonalBudgetRow & { approved_by_name: string | null };

/** A person's budgets, the latest to start first, with who approved each. */
export function budgetsOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('personal_budgets as b')
    .leftJoin('users as a', 'a.id', 'b.approved_by')
    .where('b.person_id', personId)
    .select('b.*', 'a.display_name as approved_by_name')
    .orderBy('b.start_date', 'desc')
    .orderBy('b.id', 'desc');
}

export function toPersonBudget(row: PersonBudgetRow): PersonalBudget & { approvedByName: string | null } {
  return Object.assign(toPersonalBudget(row), { approvedByName: row.approved_by_name });
}

export async function budgetsOfPerson(
  db: DbOrTransaction,
  personId: number,
): Promise<(PersonalBudget & { approvedByName: string | null })[]> {
  const rows = (await budgetsOfPersonQuery(db, personId)) as PersonBudgetRow[];
  return rows.map(toPersonBudget);
}

export type NextReview = { kind: ReviewKind; dueDate: string; assignedToName: string | null };

export async function nextScheduledReview(db: DbOrTransaction, personId: number): Promise<NextReview | undefined> {
  const row = (await db('reviews as r')
    .leftJoin('users as u', 'u.id', 'r.assigned_to')
    .where({ 'r.person_id': personId, 'r.status': 'scheduled' })
    .select('r.kind', 'r.due_date', 'u.display_name as assigned_to_name')
    .orderBy('r.due_date', 'asc')
    .orderBy('r.id', 'asc')
    .first()) as { kind: ReviewKind; due_date: string; assigned_to_name: string | null } | undefined;
  return row && { kind: row.kind, dueDate: row.due_date, assignedToName: row.assigned_to_name };
}

export async function insertFinancialAssessment(db: DbOrTransaction, assessment: NewFinancialAssessment): Promise<FinancialAssessment> {
  const [inserted] = (await db('financial_assessments')
    .insert(financialAssessmentRecord(assessment))
    .returning('*')) as FinancialAssessmentRow[];
  return toFinancialAssessment(inserted as FinancialAssessmentRow);
}

export type PersonFinancialAssessmentRow = FinancialAssessmentRow & { recorded_by_name: string | null };

/** A person's financial assessments, the latest to take effect first, with who recorded each. */
export function financialAssessmentsOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('financial_assessments as f')
    .leftJoin('users as u', 'u.id', 'f.recorded_by')
    .where('f.person_id', personId)
    .select('f.*', 'u.display_name as recorded_by_name')
    .orderBy('f.effective_from', 'desc')
    .orderBy('f.id', 'desc');
}

export function toPersonFinancialAssessment(row: PersonFinancialAssessmentRow): FinancialAssessment & { recordedByName: string | null } {
  return Object.assign(toFinancialAssessment(row), { recordedByName: row.recorded_by_name });
}

export async function financialAssessmentsOfPerson(
  db: DbOrTransaction,
  personId: number,
): Promise<(FinancialAssessment & { recordedByName: string | null })[]> {
  const rows = (await financialAssessmentsOfPersonQuery(db, personId)) as PersonFinancialAssessmentRow[];
  return rows.map(toPersonFinancialAssessment);
}

/** The assessment that applies on a date: the latest to take effect on or before it; a later one recorded for the same date wins. */
export async function financialAssessmentInForce(
  db: DbOrTransaction,
  personId: number,
  date: string,
): Promise<FinancialAssessment | undefined> {
  const row = await db<FinancialAssessmentRow>('financial_assessments')
    .where({ person_id: personId })
    .where('effective_from', '<=', date)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .first();
  return row && toFinancialAssessment(row);
}

export async function displayNames(db: DbOrTransaction, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = (await db('users').whereIn('id', wanted).select('id', 'display_name')) as { id: number; display_name: string }[];
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** The Care Act s.26 figures of a budget from a date: what meeting the needs costs, and who pays what. */
export type BudgetCharge = {
  id: number;
  budgetId: number;
  effectiveFrom: string;
  /** Null when no financial assessment was in force: what the person pays is not yet known. */
  financialAssessmentId: number | null;
  costWeeklyPence: number;
  personPaysWeeklyPence: number | null;
  councilPaysWeeklyPence: number | null;
  directPayment: { basis: DirectPaymentBasis | null; frequency: DirectPaymentFrequency | null; perPaymentPence: number } | null;
  recordedBy: number;
  recordedAt: Date;
};

export type BudgetChargeRow = {
  id: number;
  budget_id: number;
  effective_from: string;
  financial_assessment_id: number | null;
  cost_weekly_pence: number;
  person_pays_weekly_pence: number | null;
  council_pays_weekly_pence: number | null;
  direct_payment_basis: DirectPaymentBasis | null;
  direct_payment_frequency: DirectPaymentFrequency | null;
  direct_payment_per_payment_pence: number | null;
  recorded_by: number;
  recorded_at: Date;
};

export const toBudgetCharge = (row: BudgetChargeRow): BudgetCharge => ({
  id: row.id,
  budgetId: row.budget_id,
  effectiveFrom: row.effective_from,
  financialAssessmentId: row.financial_assessment_id,
  costWeeklyPence: row.cost_weekly_pence,
  personPaysWeeklyPence: row.person_pays_weekly_pence,
  councilPaysWeeklyPence: row.council_pays_weekly_pence,
  directPayment:
    row.direct_payment_per_payment_pence === null
      ? null
      : { basis: row.direct_payment_basis, frequency: row.direct_payment_frequency, perPaymentPence: row.direct_payment_per_payment_pence },
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

export type NewBudgetCharge = Omit<BudgetCharge, 'id' | 'recordedAt'>;

/** The charge as its row: what is written, and what the audit trail keeps. */
export function budgetChargeRecord(charge: NewBudgetCharge): Omit<BudgetChargeRow, 'id' | 'recorded_at'> {
  return {
    budget_id: charge.budgetId,
    effective_from: charge.effectiveFrom,
    financial_assessment_id: charge.financialAssessmentId,
    cost_weekly_pence: charge.costWeeklyPence,
    person_pays_weekly_pence: charge.personPaysWeeklyPence,
    council_pays_weekly_pence: charge.councilPaysWeeklyPence,
    direct_payment_basis: charge.directPayment?.basis ?? null,
    direct_payment_frequency: charge.directPayment?.frequency ?? null,
    direct_payment_per_payment_pence: charge.directPayment?.perPaymentPence ?? null,
    recorded_by: charge.recordedBy,
  };
}

export async function insertBudgetCharge(db: DbOrTransaction, charge: NewBudgetCharge): Promise<BudgetCharge> {
  const [row] = (await db('personal_budget_charges').insert(budgetChargeRecord(charge)).returning('*')) as BudgetChargeRow[];
  return toBudgetCharge(row as BudgetChargeRow);
}

/** The figures in force on a date, from one budget's charges (latest first, as chargesOfBudgets gives them). */
export const chargeOn = (charges: readonly BudgetCharge[], date: string): BudgetCharge | undefined =>
  charges.find((charge) => charge.effectiveFrom <= date);

/** Every charge of the given budgets, each budget's latest first: the newest row for a date wins. */
export async function chargesOfBudgets(db: DbOrTransaction, budgetIds: number[]): Promise<BudgetCharge[]> {
  if (budgetIds.length === 0) return [];
  const rows = (await db('personal_budget_charges')
    .whereIn('budget_id', budgetIds)
    .orderBy('budget_id', 'asc')
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')) as BudgetChargeRow[];
  return rows.map(toBudgetCharge);
}

/** The figures of all of a person's budgets, in the order chargesOfBudgets gives them. */
export function chargesOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('personal_budget_charges as c')
    .join('personal_budgets as b', 'b.id', 'c.budget_id')
    .where('b.person_id', personId)
    .select('c.*')
    .orderBy('c.budget_id', 'asc')
    .orderBy('c.effective_from', 'desc')
    .orderBy('c.id', 'desc');
}

/** A person's budgets still running on or after a date: the ones a financial assessment from that date changes. */
export async function budgetsRunningFrom(db: DbOrTransaction, personId: number, date: string): Promise<PersonalBudget[]> {
  const rows = (await db<PersonalBudgetRow>('personal_budgets')
    .where({ person_id: personId })
    .where((query) => query.whereNull('end_date').orWhere('end_date', '>=', date))
    .orderBy('start_date', 'asc')) as PersonalBudgetRow[];
  return rows.map(toPersonalBudget);
}

/** A plan's signed-off budget with the s.26 figures it started with and its first review, for the letters the person keeps. */
export type SignedOffBudget = {
  budget: PersonalBudget;
  approvedByName: string | null;
  /** The figures in force on the start date. */
  chargeAtStart: BudgetCharge | null;
  firstReviewDue: string | null;
  /** The first review, for the way on from a signed-off plan to it. */
  firstReviewId: number | null;
};

export async function signedOffBudgetOfPlan(db: DbOrTransaction, planId: number): Promise<SignedOffBudget | undefined> {
  const row = (await db('personal_budgets as b')
    .leftJoin('users as u', 'u.id', 'b.approved_by')
    .where('b.plan_id', planId)
    .first('b.*', 'u.display_name as approved_by_name')) as (PersonalBudgetRow & { approved_by_name: string | null }) | undefined;
  if (!row) return undefined;
  const budget = toPersonalBudget(row);
  const charges = await chargesOfBudgets(db, [budget.id]);
  const firstReview = (await db('reviews')
    .where({ budget_id: budget.id, kind: 'first' })
    .whereNot({ status: 'cancelled' })
    .orderBy('id')
    .first('id', 'due_date')) as { id: number; due_date: string } | undefined;
  return {
    budget,
    approvedByName: row.approved_by_name,
    chargeAtStart: chargeOn(charges, budget.startDate) ?? null,
    firstReviewDue: firstReview?.due_date ?? null,
    firstReviewId: firstReview?.id ?? null,
  };
}
