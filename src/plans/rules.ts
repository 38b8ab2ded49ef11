import { formatPence } from '../money.js';
import type { CouncilSettings } from '../settings/repo.js';
import { notFromReview, type PlanWithParts, type ReviewContext, type SupportPlan } from './repo.js';
import type { PlanTotals } from './totals.js';

/** A budget amount in both the terms it is written in: a week and a year (yearly and one-off items make them differ from x 52). */
export type Amount = { weeklyPence: number; annualPence: number };

/** The plan's personal budget as an amount. */
export const plannedAmount = (totals: PlanTotals): Amount => ({
  weeklyPence: totals.personalBudgetWeeklyPence,
  annualPence: totals.personalBudgetAnnualPence,
});

/**
 * Above the indicative budget by more than `tolerancePercent`, in both its weekly and its yearly
 * terms: each is rounded on its own (a carer's £250 a year is £4.81 a week, £250.12 over 52
 * weeks), so an amount equal to the indicative budget in either is not above it.
 */
function isAboveIndicativeBy(
  plan: Pick<SupportPlan, 'indicativeWeeklyPence' | 'indicativeAnnualPence'>,
  amount: Amount,
  tolerancePercent: number,
) {
  const factor = 100 + tolerancePercent;
  return amount.weeklyPence * 100 > plan.indicativeWeeklyPence * factor && amount.annualPence * 100 > plan.indicativeAnnualPence * factor;
}

/** Above the indicative budget, the plan must say why (guidance 11.24: transparent and challengeable). */
export function isAboveIndicative(plan: Pick<SupportPlan, 'indicativeWeeklyPence' | 'indicativeAnnualPence'>, totals: PlanTotals): boolean {
  return isAboveIndicativeBy(plan, plannedAmount(totals), 0);
}

/** The ceiling is a yearly figure. */
export function isAboveCeiling(plan: Pick<SupportPlan, 'ceilingPence'>, totals: PlanTotals): boolean {
  return totals.personalBudgetAnnualPence > plan.ceilingPence;
}

/** Why an amount needs a team manager's panel to agree it before finance may approve it. */
export type PanelReason = 'above_plan' | 'above_tolerance' | 'above_ceiling';

/**
 * Nobody approves a budget alone above what the plan and the RAS support (DOMAIN, "Money rules at
 * sign-off"): an amount above the planned one, above the indicative budget by more than the
 * council's tolerance, or whose yearly value is above the RAS ceiling when the council uses it.
 */
export function panelReasons(
  plan: Pick<SupportPlan, 'ceilingPence' | 'indicativeWeeklyPence' | 'indicativeAnnualPence'>,
  planned: Amount,
  amount: Amount,
  settings: Pick<CouncilSettings, 'overIndicativeTolerancePercent' | 'ceilingBehaviour'>,
): PanelReason[] {
  const reasons: PanelReason[] = [];
  if (amount.weeklyPence > planned.weeklyPence || amount.annualPence > planned.annualPence) reasons.push('above_plan');
  if (isAboveIndicativeBy(plan, amount, settings.overIndicativeTolerancePercent)) reasons.push('above_tolerance');
  if (settings.ceilingBehaviour === 'panel' && amount.annualPence > plan.ceilingPence) reasons.push('above_ceiling');
  return reasons;
}

/** Each reason an amount needs a panel, as the end of a sentence about the amount. */
export function panelReasonTexts(
  reasons: PanelReason[],
  plan: Pick<SupportPlan, 'indicativeWeeklyPence' | 'ceilingPence'>,
  planned: Amount,
  settings: Pick<CouncilSettings, 'overIndicativeTolerancePercent'>,
): string[] {
  const texts: Record<PanelReason, string> = {
    above_plan: `is more than the planned ${formatPence(planned.weeklyPence)} a week`,
    above_tolerance: `is more than ${settings.overIndicativeTolerancePercent}% above the indicative budget of ${formatPence(plan.indicativeWeeklyPence)} a week`,
    above_ceiling: `comes to more than the RAS ceiling of ${formatPence(plan.ceilingPence)} a year`,
  };
  return reasons.map((reason) => texts[reason]);
}

/** "a, b and c". */
export function listInWords(parts: string[]): string {
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join('');
}

/** Whether a plan goes to a panel when it is submitted: its planned amount needs one. */
export function needsPanel(
  plan: Pick<SupportPlan, 'ceilingPence' | 'indicativeWeeklyPence' | 'indicativeAnnualPence'>,
  totals: PlanTotals,
  settings: Pick<CouncilSettings, 'overIndicativeTolerancePercent' | 'ceilingBehaviour'>,
): boolean {
  return panelReasons(plan, plannedAmount(totals), plannedAmount(totals), settings).length > 0;
}

/**
 * A review is not a way to cut a budget (Care Act statutory guidance ch. 13): a plan that came
 * from a review, directly or through a reassessment, and costs less than the person's current
 * budget must say what changed in their needs.
 */
export function lowersBudgetAfterReview(context: ReviewContext, totals: PlanTotals): boolean {
  return (
    context.fromReview && context.currentBudgetWeeklyPence !== null && totals.personalBudgetWeeklyPence < context.currentBudgetWeeklyPence
  );
}

/** Something that stops a plan going to sign-off: the part of the plan it is about, and what to do. */
export type PlanProblem = { field: 'outcomes' | 'items' | keyof SupportPlan; text: string };

/** Everything that stops a plan going to sign-off. */
export function submissionProblems(plan: PlanWithParts, totals: PlanTotals, review: ReviewContext = notFromReview): PlanProblem[] {
  const problems: PlanProblem[] = [];
  if (plan.outcomes.length === 0) problems.push({ field: 'outcomes', text: 'Add at least one outcome in the person’s own words' });
  if (plan.items.length === 0) problems.push({ field: 'items', text: 'Add at least one support item' });
  const careActFields: [keyof SupportPlan, string][] = [
    ['peopleInvolved', 'who was involved in writing the plan'],
    ['contactArrangements', 'how the person wants to be contacted'],
    ['eligibleNeeds', 'the eligible needs'],
    ['needsCouncilWillMeet', 'which needs the council will meet and how'],
    ['wellbeing', 'the wellbeing matters'],
    ['preventionAdvice', 'the advice on reducing or preventing needs'],
  ];
  for (const [field, what] of careActFields) {
    if (!String(plan[field] ?? '').trim()) problems.push({ field, text: `Add ${what}` });
  }
  if (totals.byManagementOption.direct_payment.weeklyPence > 0) {
    if (!plan.directPaymentNeeds.trim()) problems.push({ field: 'directPaymentNeeds', text: 'Add which needs the direct payment meets' });
    if (!plan.directPaymentFrequency) problems.push({ field: 'directPaymentFrequency', text: 'Add how often the direct payment is paid' });
    if (!plan.directPaymentBasis) {
      problems.push({
        field: 'directPaymentBasis',
        text: 'Add whether the direct payment is paid gross or net of the person’s contribution',
      });
    }
  }
  if (isAboveIndicative(plan, totals) && !plan.overIndicativeReason.trim()) {
    problems.push({ field: 'overIndicativeReason', text: 'Give the reason the personal budget is above the indicative budget' });
  }
  if (lowersBudgetAfterReview(review, totals) && !plan.needsChanged.trim()) {
    problems.push({
      field: 'needsChanged',
      text: 'Record what has changed in the person’s needs: this plan from a review would lower their personal budget',
    });
  }
  return problems;
}
