/**
 * The indicative budget as every later step must read it: the result page, support plans and
 * reports call this rather than reading annual_pence, because an ineligible person's row still
 * holds the RAS amount.
 *
 * Why keep that amount at all: the RAS result is part of the record of what was assessed (the
 * points explain the needs found, and the database keeps submitted rows unchanged), so it is
 * stored in full with eligible = false. But the council only meets eligible needs (Care Act
 * 2014 s.13, s.18), so an ineligible person has no indicative budget: they are given
 * information, advice and prevention instead.
 */
export type NoBudgetReason = 'not_eligible' | 'below_threshold' | 'no_amount';

export type IndicativeBudget =
  { kind: 'amount'; annualPence: number; weeklyPence: number; exceedsCeiling: boolean } | { kind: 'none'; reason: NoBudgetReason };

export type ScoredAssessment = {
  status: 'draft' | 'submitted' | 'superseded';
  assessment_type: 'person' | 'carer';
  /** null for carers: the eligibility determination recorded here is the one for adults needing care. */
  eligible: boolean | null;
  annual_pence: number | null;
  weekly_pence: number | null;
  below_threshold: boolean | null;
  exceeds_ceiling: boolean | null;
};

/** undefined for a draft: nothing has been worked out yet. */
export function indicativeBudgetOf(assessment: ScoredAssessment): IndicativeBudget | undefined {
  if (assessment.status === 'draft' || assessment.annual_pence === null) return undefined;
  if (assessment.eligible === false) return { kind: 'none', reason: 'not_eligible' };
  if (assessment.below_threshold) return { kind: 'none', reason: 'below_threshold' };
  // A carer between two bands scores above the threshold, yet no band gives an amount.
  if (assessment.annual_pence === 0) return { kind: 'none', reason: 'no_amount' };
  return {
    kind: 'amount',
    annualPence: assessment.annual_pence,
    weeklyPence: assessment.weekly_pence ?? 0,
    exceedsCeiling: assessment.exceeds_ceiling === true,
  };
}
