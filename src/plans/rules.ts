import type { ErrorSummaryItem } from '../web/validation.js';
import type { PlanWithParts } from './repo.js';
import type { PlanTotals } from './totals.js';

const WEEKS_A_YEAR = 52;

/** Above the indicative budget, the plan must say why (guidance 11.24: transparent and challengeable). */
export function isAboveIndicative(plan: Pick<PlanWithParts, 'indicative_weekly_pence'>, totals: PlanTotals): boolean {
  return totals.personalBudgetWeeklyPence > plan.indicative_weekly_pence;
}

/** The ceiling is a yearly figure; a panel must agree any plan costing more than it in a year. */
export function isAboveCeiling(plan: Pick<PlanWithParts, 'ceiling_pence'>, totals: PlanTotals): boolean {
  return totals.personalBudgetWeeklyPence * WEEKS_A_YEAR > plan.ceiling_pence;
}

export function needsPanel(
  plan: Pick<PlanWithParts, 'ceiling_pence' | 'indicative_weekly_pence'>,
  totals: PlanTotals,
  settings: { over_indicative_needs_panel: boolean },
): boolean {
  return isAboveCeiling(plan, totals) || (settings.over_indicative_needs_panel && isAboveIndicative(plan, totals));
}

/** Reviews (issue 5): where a plan stands against the budget it would replace, when it came from a review. */
export type ReviewContext = { fromReview: boolean; currentBudgetWeeklyPence: number | null };
export const notFromReview: ReviewContext = { fromReview: false, currentBudgetWeeklyPence: null };

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

/** Everything that stops a plan going to sign-off, each linking to where it is fixed. */
export function submissionProblems(plan: PlanWithParts, totals: PlanTotals, review: ReviewContext = notFromReview): ErrorSummaryItem[] {
  const problems: ErrorSummaryItem[] = [];
  if (plan.outcomes.length === 0) problems.push({ text: 'Add at least one outcome in the person’s own words', href: '#outcomes' });
  if (plan.items.length === 0) problems.push({ text: 'Add at least one support item', href: '#support' });
  const detailsMissing = [
    [plan.people_involved, 'who was involved in writing the plan'],
    [plan.contact_arrangements, 'how the person wants to be contacted'],
    [plan.eligible_needs, 'the eligible needs'],
    [plan.needs_council_will_meet, 'which needs the council will meet and how'],
    [plan.wellbeing, 'the wellbeing matters'],
    [plan.prevention_advice, 'the advice on reducing or preventing needs'],
  ].filter(([value]) => !value?.trim());
  for (const [, label] of detailsMissing) problems.push({ text: `Add ${label}`, href: '#details' });
  if (totals.byManagementOption.direct_payment.weeklyPence > 0) {
    if (!plan.direct_payment_needs.trim()) problems.push({ text: 'Add which needs the direct payment meets', href: '#details' });
    if (!plan.direct_payment_frequency) problems.push({ text: 'Add how often the direct payment is paid', href: '#details' });
    if (!plan.direct_payment_basis)
      problems.push({ text: 'Add whether the direct payment is paid gross or net of the person’s contribution', href: '#details' });
  }
  if (isAboveIndicative(plan, totals) && !plan.over_indicative_reason.trim()) {
    problems.push({ text: 'Give the reason the personal budget is above the indicative budget', href: '#details' });
  }
  if (lowersBudgetAfterReview(review, totals) && !plan.needs_changed.trim()) {
    problems.push({
      text: 'Record what has changed in the person’s needs: this plan from a review would lower their personal budget',
      href: '#details',
    });
  }
  return problems;
}
