import { describe, expect, it } from 'vitest';
import { indicativeBudgetOf, type ScoredAssessment } from '../../src/assessments/budget.js';
import { eligibilityOutcomes } from '../../src/assessments/eligibility.js';
import {
  answersForScoring,
  completeFacts,
  eligibilityStatus,
  missingAnswerMessage,
  nextPathAfter,
  readEligibility,
  sectionsOf,
  storedEligibility,
  type RecordedEligibility,
} from '../../src/assessments/questionnaire.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';

const allAchieved: RecordedEligibility['outcomes'] = Object.fromEntries(
  eligibilityOutcomes.map(({ key }) => [key, { achieved: true, reasons: [] }]),
);

describe('the indicative budget later steps read', () => {
  const scored: ScoredAssessment = {
    status: 'submitted',
    type: 'person',
    eligible: true,
    annualPence: 913_000,
    weeklyPence: 17_558,
    belowThreshold: false,
    exceedsCeiling: false,
  };

  it('is the RAS amount for an eligible person', () => {
    expect(indicativeBudgetOf(scored)).toEqual({ kind: 'amount', annualPence: 913_000, weeklyPence: 17_558, exceedsCeiling: false });
  });

  it('is none for an ineligible person, although the RAS amount is kept on the row', () => {
    expect(indicativeBudgetOf({ ...scored, eligible: false })).toEqual({ kind: 'none', reason: 'not_eligible' });
  });

  it('is none below the threshold, and none for a carer no band covers', () => {
    expect(indicativeBudgetOf({ ...scored, annualPence: 0, weeklyPence: 0, belowThreshold: true })).toEqual({
      kind: 'none',
      reason: 'below_threshold',
    });
    expect(indicativeBudgetOf({ ...scored, type: 'carer', eligible: null, annualPence: 0, weeklyPence: 0 })).toEqual({
      kind: 'none',
      reason: 'no_amount',
    });
  });

  it('is nothing yet for a draft', () => {
    expect(indicativeBudgetOf({ ...scored, status: 'draft', annualPence: null })).toBeUndefined();
  });
});

describe('recorded eligibility facts', () => {
  it('are complete only when every outcome has an answer and every unmet one a reason', () => {
    const facts: RecordedEligibility = { arisesFromImpairment: true, outcomes: { ...allAchieved }, significantImpactOnWellbeing: false };
    expect(completeFacts(facts)).toBeDefined();
    expect(eligibilityStatus(facts)).toBe('completed');
    const noReason = { ...facts, outcomes: { ...allAchieved, clothing: { achieved: false, reasons: [] } } };
    expect(completeFacts(noReason)).toBeUndefined();
    expect(eligibilityStatus(noReason)).toBe('in_progress');
    expect(eligibilityStatus({ outcomes: {} })).toBe('not_started');
    expect(eligibilityStatus({ outcomes: { nutrition: { achieved: false, reasons: [] } } })).toBe('in_progress');
  });

  it('are stored flat with the decision beside them, and read back the same', () => {
    const facts: RecordedEligibility = { arisesFromImpairment: true, outcomes: { ...allAchieved }, significantImpactOnWellbeing: true };
    const decision = { eligible: false, unmetOutcomes: [], reasons: ['a reason'] };
    const stored = storedEligibility({ facts, decision });
    expect(stored).toMatchObject({ arisesFromImpairment: true, outcomes: { nutrition: { achieved: true } }, decision });
    expect(readEligibility(JSON.parse(JSON.stringify(stored)))).toEqual({ facts, decision });
  });

  it('reads an empty or damaged column as nothing recorded', () => {
    expect(readEligibility({})).toEqual({ facts: { outcomes: {} } });
    expect(readEligibility(null)).toEqual({ facts: { outcomes: {} } });
    expect(readEligibility({ outcomes: 'nonsense', arisesFromImpairment: 'perhaps' })).toEqual({ facts: { outcomes: {} } });
  });
});

describe('the sections of an assessment', () => {
  it('gives a person eligibility, every domain and the adjustments; a carer the domains only', () => {
    const person = sectionsOf({ id: 7, type: 'person' }, defaultRasDefinition);
    expect(person.map((section) => section.kind)).toEqual([
      'eligibility',
      ...defaultRasDefinition.domains.map(() => 'domain'),
      'adjustments',
    ]);
    const carer = sectionsOf({ id: 7, type: 'carer' }, defaultRasDefinition);
    expect(carer).toHaveLength(defaultRasDefinition.domains.length);
    expect(carer[0]?.path).toBe('/assessments/7/domains/nutrition');
  });

  it('continues to the next section, then to check answers only when everything is done', () => {
    const sections = sectionsOf({ id: 7, type: 'carer' }, defaultRasDefinition);
    const last = sections.at(-1);
    if (!last) throw new Error('no sections');
    expect(nextPathAfter(sections, sections[0] as (typeof sections)[number], {}, { outcomes: {} }, 7)).toBe(
      '/assessments/7/domains/personal_hygiene',
    );
    expect(nextPathAfter(sections, last, {}, { outcomes: {} }, 7)).toBe('/assessments/7');
    const everything = Object.fromEntries(
      defaultRasDefinition.domains.map((domain) => [domain.key, domain.questions[0]?.options[0]?.key as string]),
    );
    expect(nextPathAfter(sections, last, everything, { outcomes: {} }, 7)).toBe('/assessments/7/check-answers');
  });

  it('scores a carer on the domains alone, whatever else the row holds', () => {
    const sections = sectionsOf({ id: 7, type: 'carer' }, defaultRasDefinition);
    expect(answersForScoring(sections, { nutrition: 'no_help', informal_support: 'some', stray: 'x' })).toEqual({ nutrition: 'no_help' });
  });

  it('words the missing-answer error from the question', () => {
    const nutrition = defaultRasDefinition.domains[0]?.questions[0];
    if (!nutrition) throw new Error('no question');
    expect(missingAnswerMessage(nutrition)).toBe('Select how much help you need to manage and maintain nutrition');
    expect(missingAnswerMessage({ key: 'complexity', text: 'How complex are your needs?', options: [] })).toBe(
      'Select an answer to ‘How complex are your needs?’',
    );
  });
});
