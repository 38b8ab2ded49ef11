import { WEEKS_A_YEAR } from '../money.js';
import { notFromReview, type CouncilSettings, type PlanWithParts, type ReviewContext, type SupportPlan } from './repo.js';
import type { PlanTotals } from './totals.js';

/** Above the indicative budget, the plan must say why (guidance 11.24: transparent and challengeable). */
export function isAboveIndicative(plan: Pick<SupportPlan, 'indicativeWeeklyPence'>, totals: PlanTotals): boolean {
  return totals.personalBudgetWeeklyPence > plan.indicativeWeeklyPence;
}

/** The ceiling is a yearly figure; a panel must agree any plan costing more than it in a year. */
export function isAboveCeiling(plan: Pick<SupportPlan, 'ceilingPence'>, totals: PlanTotals): boolean {
  return totals.personalBudgetWeeklyPence * WEEKS_A_YEAR > plan.ceilingPence;
}

export function needsPanel(
  plan: Pick<SupportPlan, 'ceilingPence' | 'indicativeWeeklyPence'>,
  totals: PlanTotals,
  settings: Pick<CouncilSettings, 'overIndicativeNeedsPanel'>,
): boolean {
  return isAboveCeiling(plan, totals) || (settings.overIndicativeNeedsPanel && isAboveIndicative(plan, totals));
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
