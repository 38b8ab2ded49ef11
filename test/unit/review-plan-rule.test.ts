import { describe, expect, it } from 'vitest';
import type { PlanWithParts } from '../../src/plans/repo.js';
import { lowersBudgetAfterReview, submissionProblems } from '../../src/plans/rules.js';
import { planTotals } from '../../src/plans/totals.js';

const rule = 'Record what has changed in the person’s needs: this plan from a review would lower their personal budget';

function aCompletePlan(weeklyPence: number, needsChanged = ''): PlanWithParts {
  return {
    indicativeWeeklyPence: 20_000,
    ceilingPence: 3_000_000,
    peopleInvolved: 'Grace and her daughter',
    contactArrangements: 'Phone',
    eligibleNeeds: 'Nutrition',
    needsCouncilWillMeet: 'Meals',
    wellbeing: 'Independence',
    preventionAdvice: 'Falls advice',
    directPaymentNeeds: '',
    directPaymentFrequency: null,
    directPaymentBasis: null,
    overIndicativeReason: '',
    needsChanged,
    outcomes: [{ id: 1, planId: 1, description: 'Cook my own meals', eligibilityOutcomes: ['nutrition'], position: 0 }],
    items: [
      {
        id: 1,
        planId: 1,
        outcomeId: 1,
        description: 'Meals',
        provider: '',
        fundingStream: 'social_care',
        managementOption: 'council_managed',
        costType: 'weekly',
        unitCostPence: null,
        unitsPerWeekHundredths: null,
        weeklyPence,
        position: 0,
      },
    ],
    risks: [],
  } as unknown as PlanWithParts;
}

const totalsOf = (plan: PlanWithParts) => planTotals(plan.items);

describe('a plan from a review that would lower the budget (Care Act guidance ch. 13)', () => {
  it('needs what changed in the person’s needs only when it came from a review and costs less than the current budget', () => {
    const lower = aCompletePlan(8_000);
    expect(lowersBudgetAfterReview({ fromReview: true, currentBudgetWeeklyPence: 10_000 }, totalsOf(lower))).toBe(true);
    expect(submissionProblems(lower, totalsOf(lower), { fromReview: true, currentBudgetWeeklyPence: 10_000 }).map((p) => p.text)).toEqual([
      rule,
    ]);
    // The same cost, no current budget, or not from a review: nothing to explain.
    expect(lowersBudgetAfterReview({ fromReview: true, currentBudgetWeeklyPence: 8_000 }, totalsOf(lower))).toBe(false);
    expect(lowersBudgetAfterReview({ fromReview: true, currentBudgetWeeklyPence: null }, totalsOf(lower))).toBe(false);
    expect(lowersBudgetAfterReview({ fromReview: false, currentBudgetWeeklyPence: 10_000 }, totalsOf(lower))).toBe(false);
    expect(submissionProblems(lower, totalsOf(lower))).toEqual([]);
  });

  it('is satisfied once it is written down, and not by spaces', () => {
    const context = { fromReview: true, currentBudgetWeeklyPence: 10_000 };
    const blank = aCompletePlan(8_000, '   ');
    expect(submissionProblems(blank, totalsOf(blank), context).map((p) => p.text)).toEqual([rule]);
    const written = aCompletePlan(8_000, 'Her daughter now cooks in the evenings');
    expect(submissionProblems(written, totalsOf(written), context)).toEqual([]);
  });
});
