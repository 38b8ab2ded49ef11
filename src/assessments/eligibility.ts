/**
 * The eligibility determination of the Care and Support (Eligibility Criteria) Regulations 2015,
 * reg. 2: pure, so the decision can only ever follow from the facts recorded.
 */

export const eligibilityOutcomes = [
  { key: 'nutrition', label: 'Managing and maintaining nutrition' },
  { key: 'personal_hygiene', label: 'Maintaining personal hygiene' },
  { key: 'toilet_needs', label: 'Managing toilet needs' },
  { key: 'clothing', label: 'Being appropriately clothed' },
  { key: 'home_safety', label: 'Being able to make use of the home safely' },
  { key: 'habitable_home', label: 'Maintaining a habitable home environment' },
  { key: 'relationships', label: 'Developing and maintaining family or other personal relationships' },
  { key: 'work_training_education', label: 'Accessing and engaging in work, training, education or volunteering' },
  {
    key: 'community_facilities',
    label: 'Making use of necessary facilities or services in the local community, including public transport and recreational facilities',
  },
  {
    key: 'caring_for_child',
    label: 'Carrying out any caring responsibilities for a child',
    // Someone with no child to care for cannot be unable to do it; the regulation counts it as not unmet.
    doesNotApply: 'Does not apply: they have no caring responsibilities for a child',
  },
] as const satisfies readonly { key: string; label: string; doesNotApply?: string }[];
export type EligibilityOutcomeKey = (typeof eligibilityOutcomes)[number]['key'];

/** The four ways reg. 2(3) says a person is "unable" to achieve an outcome. */
export const unableReasons = [
  { key: 'without_assistance', label: 'Cannot achieve it without help' },
  { key: 'significant_pain', label: 'Can, but only with significant pain, distress or anxiety' },
  { key: 'endangers', label: 'Can, but it endangers or is likely to endanger their health or safety, or others’' },
  { key: 'significantly_longer', label: 'Can, but it takes significantly longer than would normally be expected' },
] as const;
export type UnableReason = (typeof unableReasons)[number]['key'];

export type OutcomeFinding = { achieved: true } | { achieved: false; reasons: UnableReason[] };

export type EligibilityFacts = {
  arisesFromImpairment: boolean;
  outcomes: Record<EligibilityOutcomeKey, OutcomeFinding>;
  significantImpactOnWellbeing: boolean;
};

export type EligibilityDecision = {
  eligible: boolean;
  unmetOutcomes: EligibilityOutcomeKey[];
  /** Why, in plain English, in the order of the regulation's three conditions. */
  reasons: string[];
};

export function determineEligibility(facts: EligibilityFacts): EligibilityDecision {
  // An outcome only counts as unmet when at least one of the four reasons is recorded for it.
  const unmetOutcomes = eligibilityOutcomes
    .map((outcome) => outcome.key)
    .filter((key) => {
      const finding = facts.outcomes[key];
      return finding.achieved === false && finding.reasons.length > 0;
    });
  const reasons: string[] = [];
  reasons.push(
    facts.arisesFromImpairment
      ? 'Their needs arise from a physical or mental impairment or illness.'
      : 'Their needs do not arise from a physical or mental impairment or illness.',
  );
  reasons.push(
    unmetOutcomes.length >= 2
      ? `They are unable to achieve ${unmetOutcomes.length} of the 10 outcomes (2 or more are needed).`
      : `They are unable to achieve ${unmetOutcomes.length} of the 10 outcomes; 2 or more are needed.`,
  );
  reasons.push(
    facts.significantImpactOnWellbeing
      ? 'As a result there is, or is likely to be, a significant impact on their wellbeing.'
      : 'There is not, and is not likely to be, a significant impact on their wellbeing.',
  );
  return {
    eligible: facts.arisesFromImpairment && unmetOutcomes.length >= 2 && facts.significantImpactOnWellbeing,
    unmetOutcomes,
    reasons,
  };
}
