/**
 * The indicative budget as every later step must read it: the assessments repo puts it on every
 * assessment it reads (Assessment.indicativeBudget), because an ineligible person's row still
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
  type: 'person' | 'carer';
  /** null for carers: the eligibility determination recorded here is the one for adults needing care. */
  eligible: boolean | null;
  annualPence: number | null;
  weeklyPence: number | null;
  belowThreshold: boolean | null;
  exceedsCeiling: boolean | null;
};

/** undefined for a draft: nothing has been worked out yet. */
export function indicativeBudgetOf(assessment: ScoredAssessment): IndicativeBudget | undefined {
  if (assessment.status === 'draft' || assessment.annualPence === null) return undefined;
  if (assessment.eligible === false) return { kind: 'none', reason: 'not_eligible' };
  if (assessment.belowThreshold) return { kind: 'none', reason: 'below_threshold' };
  // A carer between two bands scores above the threshold, yet no band gives an amount.
  if (assessment.annualPence === 0) return { kind: 'none', reason: 'no_amount' };
  return {
    kind: 'amount',
    annualPence: assessment.annualPence,
    weeklyPence: assessment.weeklyPence ?? 0,
    exceedsCeiling: assessment.exceedsCeiling === true,
  };
}
