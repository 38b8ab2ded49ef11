import { describe, expect, it } from 'vitest';
import {
  determineEligibility,
  eligibilityOutcomes,
  unableReasons,
  type EligibilityFacts,
  type EligibilityOutcomeKey,
  type OutcomeFinding,
  type UnableReason,
} from '../../src/assessments/eligibility.js';

/** Everyone achieves every outcome unless the test says otherwise. */
function facts(options: {
  unmet?: Partial<Record<EligibilityOutcomeKey, UnableReason[]>>;
  arisesFromImpairment?: boolean;
  significantImpactOnWellbeing?: boolean;
}): EligibilityFacts {
  const outcomes = Object.fromEntries(
    eligibilityOutcomes.map(({ key }): [EligibilityOutcomeKey, OutcomeFinding] => {
      const reasons = options.unmet?.[key];
      return [key, reasons === undefined ? { achieved: true } : { achieved: false, reasons }];
    }),
  ) as Record<EligibilityOutcomeKey, OutcomeFinding>;
  return {
    arisesFromImpairment: options.arisesFromImpairment ?? true,
    outcomes,
    significantImpactOnWellbeing: options.significantImpactOnWellbeing ?? true,
  };
}

describe('the eligibility determination (Eligibility Criteria Regulations 2015, reg. 2)', () => {
  it('is not eligible when only one outcome is unmet', () => {
    const decision = determineEligibility(facts({ unmet: { nutrition: ['without_assistance'] } }));
    expect(decision.eligible).toBe(false);
    expect(decision.unmetOutcomes).toEqual(['nutrition']);
  });

  it('is not eligible with two outcomes unmet but no significant impact on wellbeing', () => {
    const decision = determineEligibility(
      facts({ unmet: { nutrition: ['without_assistance'], clothing: ['significant_pain'] }, significantImpactOnWellbeing: false }),
    );
    expect(decision.eligible).toBe(false);
    expect(decision.reasons).toContain('There is not, and is not likely to be, a significant impact on their wellbeing.');
  });

  it('is eligible with two outcomes unmet, a significant impact and an impairment or illness', () => {
    const decision = determineEligibility(facts({ unmet: { nutrition: ['without_assistance'], clothing: ['significant_pain'] } }));
    expect(decision).toEqual({
      eligible: true,
      unmetOutcomes: ['nutrition', 'clothing'],
      reasons: [
        'Their needs arise from a physical or mental impairment or illness.',
        'They are unable to achieve 2 of the 10 outcomes (2 or more are needed).',
        'As a result there is, or is likely to be, a significant impact on their wellbeing.',
      ],
    });
  });

  it('is not eligible when the needs do not arise from an impairment or illness, however many outcomes are unmet', () => {
    const allUnmet = Object.fromEntries(eligibilityOutcomes.map(({ key }) => [key, ['without_assistance']])) as Record<
      EligibilityOutcomeKey,
      UnableReason[]
    >;
    const decision = determineEligibility(facts({ unmet: allUnmet, arisesFromImpairment: false }));
    expect(decision.eligible).toBe(false);
    expect(decision.unmetOutcomes).toHaveLength(10);
    expect(decision.reasons[0]).toBe('Their needs do not arise from a physical or mental impairment or illness.');
  });

  it.each(unableReasons.map((reason) => reason.key))('counts an outcome as unmet for the reason "%s" on its own', (reason) => {
    const decision = determineEligibility(facts({ unmet: { toilet_needs: [reason], home_safety: [reason] } }));
    expect(decision.unmetOutcomes).toEqual(['toilet_needs', 'home_safety']);
    expect(decision.eligible).toBe(true);
  });

  it('does not count "not achieved" with no reason recorded: "unable" needs one of the four reasons', () => {
    const decision = determineEligibility(facts({ unmet: { nutrition: ['without_assistance'], clothing: [] } }));
    expect(decision.unmetOutcomes).toEqual(['nutrition']);
    expect(decision.eligible).toBe(false);
  });

  it('counts an outcome once however many reasons apply to it', () => {
    const decision = determineEligibility(
      facts({ unmet: { relationships: ['without_assistance', 'significant_pain', 'endangers', 'significantly_longer'] } }),
    );
    expect(decision.unmetOutcomes).toEqual(['relationships']);
    expect(decision.eligible).toBe(false);
  });
});
