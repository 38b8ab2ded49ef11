import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import {
  pricedClientGroups,
  validateDefinition,
  type AssessmentType,
  type CarerBand,
  type PricedClientGroup,
  type RasAdjustment,
  type RasAnswers,
  type RasDefinition,
} from '../../src/ras/definition.js';
import {
  compileDefinition,
  RasScoringError,
  roundHalfUp,
  roundHalfUpSafe,
  scoreAnswerVector,
  scoreAssessment,
} from '../../src/ras/engine.js';

function everyGroupAt(pence: number): Record<PricedClientGroup, number> {
  return {
    older_people: pence,
    learning_disability: pence,
    physical_disability: pence,
    mental_health: pence,
    sensory_impairment: pence,
  };
}

function optionKeyFor(points: number): string {
  return `p${points}`;
}

function percentKeyFor(percent: number): string {
  return percent < 0 ? `minus_${-percent}` : `plus_${percent}`;
}

/** One domain, one question "daily_living" whose options are named for their points: p0, p9 ... */
function aRas(optionPoints: number[], overrides: Partial<RasDefinition> = {}): RasDefinition {
  return {
    name: 'Test RAS',
    minimumPoints: 10,
    floorPence: 0,
    ceilingPence: 10_000_000,
    pricePoints: everyGroupAt(100),
    domains: [
      {
        key: 'daily_living',
        title: 'Daily living',
        questions: [
          {
            key: 'daily_living',
            text: 'How much help do you need with daily living?',
            options: optionPoints.map((points) => ({ key: optionKeyFor(points), label: `${points} points`, points })),
          },
        ],
      },
    ],
    adjustments: [],
    carerBands: [],
    ...overrides,
  };
}

function anAdjustment(key: string, percents: number[]): RasAdjustment {
  return {
    key,
    text: `Support from ${key.replace('_', ' ')}`,
    options: percents.map((percent) => ({ key: percentKeyFor(percent), label: `${percent}%`, percent })),
  };
}

function aPerson(answers: Record<string, string>, clientGroup: string = 'older_people'): RasAnswers {
  return { assessmentType: 'person', clientGroup, answers };
}

function aCarer(answers: Record<string, string>, clientGroup: string = 'carer'): RasAnswers {
  return { assessmentType: 'carer', clientGroup, answers };
}

function scoring(points: number): Record<string, string> {
  return { daily_living: optionKeyFor(points) };
}

const lowestDefaultAnswers: Record<string, string> = Object.fromEntries(
  defaultRasDefinition.domains.flatMap((domain) => domain.questions.map((question) => [question.key, question.options[0]?.key ?? ''])),
);

function defaultPersonAnswers(overrides: Record<string, string> = {}): Record<string, string> {
  return { ...lowestDefaultAnswers, informal_support: 'none', ...overrides };
}

const workedExampleAnswers = {
  nutrition: 'every_day',
  personal_hygiene: 'every_day',
  toilet_needs: 'every_day',
  clothing: 'every_day',
  home_safety: 'every_day',
  habitable_home: 'some_days',
  relationships: 'some_days',
  work_training_education: 'some_days',
  staying_safe: 'some_risk',
};

function errorFrom(action: () => unknown): RasScoringError {
  try {
    action();
  } catch (error) {
    if (error instanceof RasScoringError) return error;
    throw error;
  }
  throw new Error('expected a RasScoringError');
}

describe('the DOMAIN.md worked examples on the default RAS', () => {
  it('prices an older person with 83 points at £9,130 a year, about £176 a week', () => {
    const result = scoreAssessment(defaultRasDefinition, aPerson(defaultPersonAnswers(workedExampleAnswers)));
    expect(result).toEqual({
      rawPoints: 83,
      domainPoints: {
        nutrition: 12,
        personal_hygiene: 12,
        toilet_needs: 12,
        clothing: 12,
        home_safety: 12,
        habitable_home: 6,
        relationships: 6,
        work_training_education: 6,
        community_facilities: 0,
        caring_for_child: 0,
        staying_safe: 5,
        night_time: 0,
        complexity: 0,
      },
      modifierPercent: 0,
      annualPence: 913_000,
      weeklyPence: 17_558,
      belowThreshold: false,
      exceedsCeiling: false,
      explanation: [
        'You scored 83 points across 13 areas of need.',
        'Each point is worth £110.00 a year for older people.',
        '83 points x £110.00 = £9,130.00 a year.',
        'That is about £175.58 a week.',
        'This is an indicative amount to plan your support with; it is not yet final.',
      ],
    });
  });

  it('prices the highest learning disability score, 255 points, at £36,975 and sends it to panel', () => {
    const highest = Object.fromEntries(
      defaultRasDefinition.domains.flatMap((domain) =>
        domain.questions.map((question) => [question.key, question.options[question.options.length - 1]?.key ?? '']),
      ),
    );
    const result = scoreAssessment(defaultRasDefinition, aPerson(defaultPersonAnswers(highest), 'learning_disability'));
    expect(result.rawPoints).toBe(255);
    expect(result.annualPence).toBe(3_697_500);
    expect(result.weeklyPence).toBe(71_106);
    expect(result.exceedsCeiling).toBe(true);
    expect(result.explanation).toContain(
      "This is above the council's RAS ceiling of £30,000.00, so a panel will look at your support plan.",
    );
  });
});

describe('the threshold for a person', () => {
  it('gives nothing one point under minimumPoints and says so', () => {
    const result = scoreAssessment(aRas([9, 10]), aPerson(scoring(9)));
    expect(result).toMatchObject({ rawPoints: 9, annualPence: 0, weeklyPence: 0, belowThreshold: true, exceedsCeiling: false });
    expect(result.explanation).toEqual([
      'You scored 9 points across 1 area of need.',
      'The RAS gives an indicative budget from 10 points, so it does not give you one (£0.00 a year).',
    ]);
  });

  it('prices a score exactly at minimumPoints', () => {
    const result = scoreAssessment(aRas([9, 10]), aPerson(scoring(10)));
    expect(result).toMatchObject({ rawPoints: 10, annualPence: 1_000, belowThreshold: false });
  });

  it('prices a score of 0 when minimumPoints is 0, at nothing but not below the threshold', () => {
    const result = scoreAssessment(aRas([0], { minimumPoints: 0 }), aPerson(scoring(0)));
    expect(result).toMatchObject({ annualPence: 0, belowThreshold: false });
  });

  it('gives nothing below the threshold even when there is a floor', () => {
    const result = scoreAssessment(aRas([9], { floorPence: 50_000 }), aPerson(scoring(9)));
    expect(result).toMatchObject({ annualPence: 0, belowThreshold: true });
  });

  it('still reports the modifier below the threshold, though it changes nothing', () => {
    const ras = aRas([9], { adjustments: [anAdjustment('family', [-10])] });
    const result = scoreAssessment(ras, aPerson({ ...scoring(9), family: 'minus_10' }));
    expect(result).toMatchObject({ modifierPercent: -10, annualPence: 0, belowThreshold: true });
  });
});

describe('rounding halves up', () => {
  it('rounds an annual amount of exactly x.5 pence up', () => {
    // 1 point x (100 - 50) x 3 pence / 100 = 1.5
    const ras = aRas([1], { minimumPoints: 1, pricePoints: everyGroupAt(3), adjustments: [anAdjustment('family', [-50])] });
    expect(scoreAssessment(ras, aPerson({ ...scoring(1), family: 'minus_50' })).annualPence).toBe(2);
  });

  it('rounds an annual amount just below x.5 pence down', () => {
    // 1 point x (100 - 99) x 149 pence / 100 = 1.49
    const ras = aRas([1], { minimumPoints: 1, pricePoints: everyGroupAt(149), adjustments: [anAdjustment('family', [-99])] });
    expect(scoreAssessment(ras, aPerson({ ...scoring(1), family: 'minus_99' })).annualPence).toBe(1);
  });

  it('rounds an annual amount just above x.5 pence up', () => {
    const ras = aRas([1], { minimumPoints: 1, pricePoints: everyGroupAt(151), adjustments: [anAdjustment('family', [-99])] });
    expect(scoreAssessment(ras, aPerson({ ...scoring(1), family: 'minus_99' })).annualPence).toBe(2);
  });

  it('rounds a weekly amount of exactly x.5 pence up (5,226 / 52 = 100.5)', () => {
    const ras = aRas([1], { minimumPoints: 1, pricePoints: everyGroupAt(5_226) });
    expect(scoreAssessment(ras, aPerson(scoring(1)))).toMatchObject({ annualPence: 5_226, weeklyPence: 101 });
  });

  it('rounds a weekly amount just below x.5 pence down (5,225 / 52 = 100.48)', () => {
    const ras = aRas([1], { minimumPoints: 1, pricePoints: everyGroupAt(5_225) });
    expect(scoreAssessment(ras, aPerson(scoring(1)))).toMatchObject({ annualPence: 5_225, weeklyPence: 100 });
  });

  it('rounds both halves in one assessment: 7 x 50 x 1,493 / 100 = 5,225.5, then 5,226 / 52 = 100.5', () => {
    const ras = aRas([7], { minimumPoints: 1, pricePoints: everyGroupAt(1_493), adjustments: [anAdjustment('family', [-50])] });
    const result = scoreAssessment(ras, aPerson({ ...scoring(7), family: 'minus_50' }));
    expect(result).toMatchObject({ annualPence: 5_226, weeklyPence: 101 });
    expect(result.explanation).toContain('7 points x £14.93 x 50% = £52.26 a year, to the nearest penny.');
  });
});

describe('the floor', () => {
  it('lifts a priced amount below the floor up to it and explains why', () => {
    const result = scoreAssessment(aRas([10], { floorPence: 50_000 }), aPerson(scoring(10)));
    expect(result).toMatchObject({ annualPence: 50_000, weeklyPence: 962, belowThreshold: false });
    expect(result.explanation).toContain(
      "This is less than the council's smallest indicative budget of £500.00 a year, so your indicative budget is £500.00 a year.",
    );
  });

  it('leaves an amount at or above the floor alone', () => {
    expect(scoreAssessment(aRas([500], { floorPence: 50_000 }), aPerson(scoring(500))).annualPence).toBe(50_000);
    expect(scoreAssessment(aRas([600], { floorPence: 50_000 }), aPerson(scoring(600))).annualPence).toBe(60_000);
  });

  it('does nothing when the floor is 0, even for an amount of 0', () => {
    const ras = aRas([20], { adjustments: [anAdjustment('family', [-100])] });
    const result = scoreAssessment(ras, aPerson({ ...scoring(20), family: 'minus_100' }));
    expect(result).toMatchObject({ annualPence: 0, belowThreshold: false });
  });

  it('lifts an amount taken to 0 by adjustments up to the floor', () => {
    const ras = aRas([20], { floorPence: 1_000, adjustments: [anAdjustment('family', [-100])] });
    expect(scoreAssessment(ras, aPerson({ ...scoring(20), family: 'minus_100' })).annualPence).toBe(1_000);
  });
});

describe('the ceiling', () => {
  it('does not flag an amount exactly at the ceiling', () => {
    const result = scoreAssessment(aRas([50], { ceilingPence: 5_000 }), aPerson(scoring(50)));
    expect(result).toMatchObject({ annualPence: 5_000, exceedsCeiling: false });
  });

  it('flags an amount one penny over the ceiling without capping it', () => {
    const result = scoreAssessment(aRas([50], { ceilingPence: 4_999 }), aPerson(scoring(50)));
    expect(result).toMatchObject({ annualPence: 5_000, exceedsCeiling: true });
  });

  it('flags a floor that is above the ceiling', () => {
    const result = scoreAssessment(aRas([10], { floorPence: 9_000, ceilingPence: 5_000 }), aPerson(scoring(10)));
    expect(result).toMatchObject({ annualPence: 9_000, exceedsCeiling: true });
  });
});

describe('adjustments', () => {
  const twoAdjustments = [anAdjustment('family', [0, -60, 60]), anAdjustment('community', [0, -70, 70, -25])];

  it('adds the chosen percents and explains each one', () => {
    const ras = aRas([100], { adjustments: twoAdjustments });
    const result = scoreAssessment(ras, aPerson({ ...scoring(100), family: 'minus_60', community: 'minus_25' }));
    expect(result).toMatchObject({ modifierPercent: -85, annualPence: 1_500 });
    expect(result.explanation).toEqual([
      'You scored 100 points across 1 area of need.',
      'You answered "-60%" to "Support from family", which changes the amount by -60%.',
      'You answered "-25%" to "Support from community", which changes the amount by -25%.',
      'Together these change the amount by -85%.',
      'Each point is worth £1.00 a year for older people.',
      '100 points x £1.00 x 15% = £15.00 a year.',
      'That is about £0.29 a week.',
      'This is an indicative amount to plan your support with; it is not yet final.',
    ]);
  });

  it('clamps percents adding up below -100 to -100, giving 0 without being below the threshold', () => {
    const ras = aRas([100], { adjustments: twoAdjustments });
    const result = scoreAssessment(ras, aPerson({ ...scoring(100), family: 'minus_60', community: 'minus_70' }));
    expect(result).toMatchObject({ modifierPercent: -100, annualPence: 0, weeklyPence: 0, belowThreshold: false });
    expect(result.explanation).toContain('Together these changes come to -130%, but the RAS limits them to -100%.');
  });

  it('clamps percents adding up above 100 to 100, doubling the amount', () => {
    const ras = aRas([100], { adjustments: twoAdjustments });
    const result = scoreAssessment(ras, aPerson({ ...scoring(100), family: 'plus_60', community: 'plus_70' }));
    expect(result).toMatchObject({ modifierPercent: 100, annualPence: 20_000 });
    expect(result.explanation).toContain('Together these changes come to +130%, but the RAS limits them to +100%.');
  });

  it('leaves percents of exactly -100 and 100 as they are', () => {
    const ras = aRas([100], { adjustments: twoAdjustments });
    expect(scoreAssessment(ras, aPerson({ ...scoring(100), family: 'minus_60', community: 'plus_70' })).modifierPercent).toBe(10);
    const edges = aRas([100], { adjustments: [anAdjustment('family', [-100, 100])] });
    expect(scoreAssessment(edges, aPerson({ ...scoring(100), family: 'minus_100' })).modifierPercent).toBe(-100);
    expect(scoreAssessment(edges, aPerson({ ...scoring(100), family: 'plus_100' })).annualPence).toBe(20_000);
  });

  it('explains informal support on the default RAS', () => {
    const result = scoreAssessment(
      defaultRasDefinition,
      aPerson(defaultPersonAnswers({ ...workedExampleAnswers, informal_support: 'some' })),
    );
    expect(result.annualPence).toBe(821_700);
    expect(result.explanation).toContain(
      'You answered "Some" to "Support from family or friends that they are willing and able to keep giving", which changes the amount by -10%.',
    );
    expect(result.explanation).toContain('83 points x £110.00 x 90% = £8,217.00 a year.');
  });
});

describe('price points for each client group', () => {
  const expectedPence: Record<PricedClientGroup, number> = {
    older_people: 913_000,
    physical_disability: 1_079_000,
    learning_disability: 1_203_500,
    mental_health: 996_000,
    sensory_impairment: 1_037_500,
  };
  it.each(pricedClientGroups)('prices 83 points with the %s price point', (clientGroup) => {
    const result = scoreAssessment(defaultRasDefinition, aPerson(defaultPersonAnswers(workedExampleAnswers), clientGroup));
    expect(result.annualPence).toBe(expectedPence[clientGroup]);
  });
});

describe("carers' assessments", () => {
  const ras = defaultRasDefinition;
  const carerAnswers: Record<number, Record<string, string>> = {
    7: { nutrition: 'occasional_prompting', staying_safe: 'some_risk' },
    8: { nutrition: 'some_days', clothing: 'occasional_prompting' },
    24: { nutrition: 'every_day', personal_hygiene: 'every_day' },
    25: { nutrition: 'two_people', staying_safe: 'some_risk' },
    44: { nutrition: 'two_people', personal_hygiene: 'two_people', toilet_needs: 'occasional_prompting', clothing: 'occasional_prompting' },
    45: { nutrition: 'two_people', personal_hygiene: 'two_people', staying_safe: 'some_risk' },
    64: {
      night_time: 'every_night',
      complexity: 'highly_complex',
      nutrition: 'two_people',
      toilet_needs: 'occasional_prompting',
      clothing: 'occasional_prompting',
    },
    65: { nutrition: 'two_people', personal_hygiene: 'two_people', toilet_needs: 'two_people', staying_safe: 'some_risk' },
  };
  const carerScoring = (points: number): Record<string, string> => ({ ...lowestDefaultAnswers, ...carerAnswers[points] });

  it.each([
    [7, 0, true],
    [8, 25_000, false],
    [24, 25_000, false],
    [25, 50_000, false],
    [44, 50_000, false],
    [45, 100_000, false],
    [64, 100_000, false],
    [65, 150_000, false],
  ])('gives %i points the band amount %i (below every band: %s)', (points, annualPence, belowThreshold) => {
    const result = scoreAssessment(ras, aCarer(carerScoring(points)));
    expect(result).toMatchObject({ rawPoints: points, annualPence, belowThreshold, modifierPercent: 0 });
  });

  it('prices the highest score with the open-ended top band and names it as "or more"', () => {
    const highest = Object.fromEntries(
      ras.domains.flatMap((domain) => domain.questions.map((q) => [q.key, q.options[q.options.length - 1]?.key ?? ''])),
    );
    const result = scoreAssessment(ras, aCarer(highest));
    expect(result).toMatchObject({ rawPoints: 255, annualPence: 150_000, weeklyPence: 2_885 });
    expect(result.explanation).toContain('Carers with 65 points or more get £1,500.00 a year.');
  });

  const gappy: CarerBand[] = [
    { minPoints: 10, maxPoints: 20, annualPence: 10_000 },
    { minPoints: 30, maxPoints: 40, annualPence: 20_000 },
  ];
  const gappyRas = aRas([0, 9, 10, 20, 21, 29, 30, 40, 41], { carerBands: gappy });

  it.each([
    [9, 0, true],
    [10, 10_000, false],
    [20, 10_000, false],
    [21, 0, false],
    [29, 0, false],
    [30, 20_000, false],
    [40, 20_000, false],
    [41, 0, false],
  ])('with bands 10-20 and 30-40, gives %i points %i (below every band: %s)', (points, annualPence, belowThreshold) => {
    expect(scoreAssessment(gappyRas, aCarer(scoring(points)))).toMatchObject({ annualPence, belowThreshold });
  });

  it('explains a band, a gap and being below every band', () => {
    expect(scoreAssessment(gappyRas, aCarer(scoring(10))).explanation).toEqual([
      'You scored 10 points across 1 area of need.',
      'Carers with 10 to 20 points get £100.00 a year.',
      'That is about £1.92 a week.',
      'This is an indicative amount to plan your support with; it is not yet final.',
    ]);
    expect(scoreAssessment(gappyRas, aCarer(scoring(21))).explanation).toEqual([
      'You scored 21 points across 1 area of need.',
      'No carer band covers 21 points, so the RAS does not give you an amount.',
    ]);
    expect(scoreAssessment(gappyRas, aCarer(scoring(9))).explanation).toEqual([
      'You scored 9 points across 1 area of need.',
      'The RAS gives carers an amount from 10 points, so it does not give you one.',
    ]);
  });

  it('gives nothing, below the threshold, when the RAS has no carer bands', () => {
    const result = scoreAssessment(aRas([30]), aCarer(scoring(30)));
    expect(result).toMatchObject({ annualPence: 0, belowThreshold: true });
    expect(result.explanation).toContain('This RAS has no carer bands, so it does not give carers an amount.');
  });

  it('ignores price points, minimumPoints and the floor', () => {
    const result = scoreAssessment(aRas([15], { minimumPoints: 100, floorPence: 99_999, carerBands: gappy }), aCarer(scoring(15)));
    expect(result).toMatchObject({ annualPence: 10_000, belowThreshold: false, modifierPercent: 0 });
  });

  it('sets aside a carer’s answers to the adjustments, whatever they are', () => {
    const ras = aRas([15], { carerBands: gappy, adjustments: [anAdjustment('family', [0, -50])] });
    const without = scoreAssessment(ras, aCarer(scoring(15)));
    expect(scoreAssessment(ras, aCarer({ ...scoring(15), family: 'minus_50' }))).toEqual(without);
    expect(scoreAssessment(ras, aCarer({ ...scoring(15), family: 'no_such_option' }))).toEqual(without);
    expect(without).toMatchObject({ annualPence: 10_000, modifierPercent: 0 });
  });

  it('flags a band amount over the ceiling for panel', () => {
    const result = scoreAssessment(aRas([15], { ceilingPence: 9_999, carerBands: gappy }), aCarer(scoring(15)));
    expect(result).toMatchObject({ annualPence: 10_000, exceedsCeiling: true });
  });

  it.each(['carer', ...pricedClientGroups])('accepts the client group %s', (clientGroup) => {
    expect(scoreAssessment(gappyRas, aCarer(scoring(30), clientGroup)).annualPence).toBe(20_000);
  });
});

describe('errors name the problem', () => {
  const ras = aRas([0, 10], { adjustments: [anAdjustment('family', [0, -10])] });
  const complete = { ...scoring(10), family: 'plus_0' };

  it.each<[string, RasAnswers, string]>([
    ['a missing answer', aPerson({ family: 'plus_0' }), "Missing answer to question 'daily_living'"],
    ['a missing adjustment answer', aPerson(scoring(10)), "Missing answer to adjustment 'family'"],
    ['an unknown question', aPerson({ ...complete, eating: 'p10' }), "Unknown question 'eating'"],
    ['an unknown option', aPerson({ ...complete, daily_living: 'sometimes' }), "Unknown option 'sometimes' for question 'daily_living'"],
    ['an unknown adjustment option', aPerson({ ...complete, family: 'lots' }), "Unknown option 'lots' for adjustment 'family'"],
    ['an unknown client group', aPerson(complete, 'children'), "Unknown client group 'children'"],
    [
      'a carer client group for a person',
      aPerson(complete, 'carer'),
      "Client group 'carer' has no price point: it is only for carers' assessments",
    ],
    ['an unknown client group for a carer', aCarer(scoring(10), 'xyz'), "Unknown client group 'xyz'"],
    ['a missing answer for a carer', aCarer({}), "Missing answer to question 'daily_living'"],
    [
      'an unknown assessment type',
      { assessmentType: 'child' as AssessmentType, clientGroup: 'older_people', answers: complete },
      "Unknown assessment type 'child'",
    ],
  ])('throws a RasScoringError for %s', (_, answers, message) => {
    const error = errorFrom(() => scoreAssessment(ras, answers));
    expect(error.message).toBe(message);
    expect(error.name).toBe('RasScoringError');
  });

  it('does not mistake inherited object properties for answers', () => {
    const error = errorFrom(() =>
      scoreAssessment(
        aRas([0], {
          domains: [
            {
              key: 'constructor',
              title: 'C',
              questions: [{ key: 'constructor', text: 'T', options: [{ key: 'p0', label: 'None', points: 0 }] }],
            },
          ],
        }),
        aPerson({}),
      ),
    );
    expect(error.message).toBe("Missing answer to question 'constructor'");
  });

  it('names the same unknown question whatever order the answers come in', () => {
    const forwards = errorFrom(() => scoreAssessment(ras, aPerson({ ...complete, zebra: 'x', apple: 'y' })));
    const backwards = errorFrom(() => scoreAssessment(ras, aPerson({ apple: 'y', zebra: 'x', ...complete })));
    expect(forwards.message).toBe("Unknown question 'apple'");
    expect(backwards.message).toBe(forwards.message);
  });
});

describe('exact arithmetic with large numbers', () => {
  it('prices past 2^53 exactly where floating point would be a penny short', () => {
    // 1,000,003 x 93 x 4,400,000,850 = 409,201,306,650,237,150 > 2^53; / 100 = ...371.5 -> ...372
    const ras = aRas([1_000_003], {
      pricePoints: everyGroupAt(4_400_000_850),
      adjustments: [anAdjustment('family', [-7])],
    });
    expect(validateDefinition(ras).ok).toBe(true);
    const result = scoreAssessment(ras, aPerson({ ...scoring(1_000_003), family: 'minus_7' }));
    expect(Math.round((1_000_003 * 93 * 4_400_000_850) / 100)).toBe(4_092_013_066_502_371);
    expect(result.annualPence).toBe(4_092_013_066_502_372);
    expect(result.weeklyPence).toBe(78_692_558_971_199);
    expect(result.explanation).toContain('1,000,003 points x £44,000,008.50 x 93% = £40,920,130,665,023.72 a year, to the nearest penny.');
  });

  it('refuses a budget too large for a number rather than give an inexact one', () => {
    // Not a valid definition (its highest budget is too large); the engine still refuses to round.
    const ras = aRas([1_000_000], { pricePoints: everyGroupAt(9_000_000_000_000) });
    expect(errorFrom(() => scoreAssessment(ras, aPerson(scoring(1_000_000)))).message).toMatch(/too large to calculate exactly/);
  });
});

describe('roundHalfUp', () => {
  it.each([
    [0n, 7n, 0n],
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [149n, 100n, 1n],
    [150n, 100n, 2n],
    [26n, 52n, 1n],
    [25n, 52n, 0n],
  ])('rounds %i / %i to %i', (numerator, denominator, expected) => {
    expect(roundHalfUp(numerator, denominator)).toBe(expected);
    expect(roundHalfUpSafe(Number(numerator), Number(denominator))).toBe(Number(expected));
  });

  it('refuses negative numerators and denominators below 1', () => {
    expect(() => roundHalfUp(-1n, 2n)).toThrow(RangeError);
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => roundHalfUpSafe(-1, 2)).toThrow(RangeError);
    expect(() => roundHalfUpSafe(1.5, 2)).toThrow(RangeError);
    expect(() => roundHalfUpSafe(2 ** 53, 2)).toThrow(RangeError);
  });

  it('is the nearest whole number, halves up, for any size', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 1n, max: 2n ** 40n }), (n, d) => {
        const rounded = roundHalfUp(n, d);
        // n/d - 1/2 < rounded <= n/d + 1/2, i.e. (2 rounded - 1) d <= 2n < (2 rounded + 1) d
        expect((2n * rounded - 1n) * d <= 2n * n).toBe(true);
        expect(2n * n < (2n * rounded + 1n) * d).toBe(true);
      }),
    );
  });

  it('gives the same answer without BigInt for safe integers, including near 2^53', () => {
    const safe = fc.oneof(fc.maxSafeNat(), fc.integer({ min: Number.MAX_SAFE_INTEGER - 1_000, max: Number.MAX_SAFE_INTEGER }));
    fc.assert(
      fc.property(
        safe,
        fc.oneof(
          fc.integer({ min: 1, max: 1_000 }),
          fc.maxSafeNat().map((d) => d + 1),
        ),
        (n, d) => {
          fc.pre(Number.isSafeInteger(d));
          expect(roundHalfUpSafe(n, d)).toBe(Number(roundHalfUp(BigInt(n), BigInt(d))));
        },
      ),
    );
  });
});

describe('options and compiling', () => {
  it('leaves the explanation empty when asked not to explain', () => {
    const result = scoreAssessment(defaultRasDefinition, aPerson(defaultPersonAnswers(workedExampleAnswers)), { explain: false });
    expect(result.explanation).toEqual([]);
    expect(result.annualPence).toBe(913_000);
  });

  it('scores the same with a compiled definition as with the plain one', () => {
    const compiled = compileDefinition(defaultRasDefinition);
    const answers = aPerson(defaultPersonAnswers(workedExampleAnswers), 'mental_health');
    expect(scoreAssessment(compiled, answers)).toEqual(scoreAssessment(defaultRasDefinition, answers));
  });
});

interface Scenario {
  definition: RasDefinition;
  choices: number[];
  adjustmentChoices: number[];
  clientGroup: PricedClientGroup;
}

function answersFor(definition: RasDefinition, choices: number[], adjustmentChoices: number[] | undefined): Record<string, string> {
  const answers: Record<string, string> = {};
  definition.domains
    .flatMap((domain) => domain.questions)
    .forEach((question, index) => {
      answers[question.key] = question.options[choices[index] ?? 0]?.key ?? '';
    });
  definition.adjustments.forEach((adjustment, index) => {
    if (adjustmentChoices !== undefined) answers[adjustment.key] = adjustment.options[adjustmentChoices[index] ?? 0]?.key ?? '';
  });
  return answers;
}

function choicesFor(definition: RasDefinition) {
  const questions = definition.domains.flatMap((domain) => domain.questions);
  return fc.record({
    choices: fc.tuple(...questions.map((q) => fc.nat({ max: q.options.length - 1 }))),
    adjustmentChoices: fc.tuple(...definition.adjustments.map((a) => fc.nat({ max: a.options.length - 1 }))),
    clientGroup: fc.constantFrom(...pricedClientGroups),
  });
}

const sortedBands = fc
  .uniqueArray(fc.nat({ max: 3_000 }), { maxLength: 8 })
  .map((edges) => [...edges].sort((a, b) => a - b))
  .chain((edges) =>
    fc
      .tuple(...Array.from({ length: Math.floor(edges.length / 2) }, () => fc.nat({ max: 1_000_000 })))
      .map((amounts) =>
        amounts.map((annualPence, index) => ({ minPoints: edges[2 * index] ?? 0, maxPoints: edges[2 * index + 1] ?? 0, annualPence })),
      ),
  );

const pricePoint = fc.integer({ min: 1, max: 500_000_000 });

/**
 * Random valid definitions, with price points up to 5 x 10^8 so that products pass 2^53 and the
 * BigInt path is exercised, while the highest budget stays within what validation allows.
 */
const randomDefinition: fc.Arbitrary<RasDefinition> = fc
  .record({
    questionPoints: fc.array(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
    adjustmentPercents: fc.array(fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
    minimumPoints: fc.nat({ max: 2_000_000 }),
    floorPence: fc.oneof(fc.constant(0), fc.nat({ max: 1_000_000_000 })),
    ceilingPence: fc.nat({ max: 1_000_000_000_000 }),
    pricePoints: fc.record({
      older_people: pricePoint,
      learning_disability: pricePoint,
      physical_disability: pricePoint,
      mental_health: pricePoint,
      sensory_impairment: pricePoint,
    }),
    carerBands: sortedBands,
  })
  .map(({ questionPoints, adjustmentPercents, minimumPoints, floorPence, ceilingPence, pricePoints, carerBands }) => ({
    name: 'Random RAS',
    minimumPoints,
    floorPence,
    ceilingPence,
    pricePoints,
    domains: questionPoints.map((points, domainIndex) => ({
      key: `domain_${domainIndex}`,
      title: `Domain ${domainIndex}`,
      questions: [
        {
          key: `question_${domainIndex}`,
          text: `Question ${domainIndex}`,
          options: points.map((optionPoints, optionIndex) => ({
            key: `option_${optionIndex}`,
            label: `Option ${optionIndex}`,
            points: optionPoints,
          })),
        },
      ],
    })),
    adjustments: adjustmentPercents.map((percents, adjustmentIndex) => ({
      key: `adjustment_${adjustmentIndex}`,
      text: `Adjustment ${adjustmentIndex}`,
      options: percents.map((percent, optionIndex) => ({ key: `option_${optionIndex}`, label: `Option ${optionIndex}`, percent })),
    })),
    carerBands,
  }));

const randomScenario: fc.Arbitrary<Scenario> = fc
  .oneof(fc.constant(defaultRasDefinition), randomDefinition)
  .chain((definition) => choicesFor(definition).map((choices) => ({ definition, ...choices })));

/** DOMAIN.md's rules written out again, in BigInt throughout, as the oracle for the fast path. */
function expectedByTheRules(definition: RasDefinition, scenario: Scenario, assessmentType: AssessmentType) {
  const questions = definition.domains.flatMap((domain) => domain.questions);
  const rawPoints = questions.reduce((total, question, index) => total + (question.options[scenario.choices[index] ?? 0]?.points ?? 0), 0);
  const half = (n: bigint, d: bigint): bigint => (2n * n + d) / (2n * d);
  if (assessmentType === 'carer') {
    const band = definition.carerBands.find((b) => b.minPoints <= rawPoints && rawPoints <= b.maxPoints);
    const annual = BigInt(band?.annualPence ?? 0);
    return { rawPoints, annual, weekly: half(annual, 52n) };
  }
  if (rawPoints < definition.minimumPoints) return { rawPoints, annual: 0n, weekly: 0n };
  const percents = definition.adjustments.reduce(
    (total, adjustment, index) => total + (adjustment.options[scenario.adjustmentChoices[index] ?? 0]?.percent ?? 0),
    0,
  );
  const modifier = BigInt(Math.min(100, Math.max(-100, percents)));
  let annual = half(BigInt(rawPoints) * (100n + modifier) * BigInt(definition.pricePoints[scenario.clientGroup]), 100n);
  if (definition.floorPence > 0 && annual < BigInt(definition.floorPence)) annual = BigInt(definition.floorPence);
  return { rawPoints, annual, weekly: half(annual, 52n) };
}

describe('properties', () => {
  it('generates only valid random definitions', () => {
    fc.assert(fc.property(randomDefinition, (definition) => validateDefinition(definition).ok));
  });

  it.each<AssessmentType>(['person', 'carer'])('matches the rules computed in BigInt for a %s', (assessmentType) => {
    fc.assert(
      fc.property(randomScenario, (scenario) => {
        const { definition } = scenario;
        const clientGroup = scenario.clientGroup;
        const adjustments = assessmentType === 'person' ? scenario.adjustmentChoices : undefined;
        const result = scoreAssessment(definition, {
          assessmentType,
          clientGroup,
          answers: answersFor(definition, scenario.choices, adjustments),
        });
        const expected = expectedByTheRules(definition, scenario, assessmentType);
        expect(result.rawPoints).toBe(expected.rawPoints);
        expect(BigInt(result.annualPence)).toBe(expected.annual);
        expect(BigInt(result.weeklyPence)).toBe(expected.weekly);
        expect(result.exceedsCeiling).toBe(expected.annual > BigInt(definition.ceilingPence));
        expect(Object.values(result.domainPoints).reduce((a, b) => a + b, 0)).toBe(result.rawPoints);
      }),
    );
  });

  it("never lowers a person's budget when one answer moves to an option worth more points", () => {
    fc.assert(
      fc.property(randomScenario, fc.nat(), fc.nat(), (scenario, questionPick, optionPick) => {
        const { definition } = scenario;
        const questions = definition.domains.flatMap((domain) => domain.questions);
        const index = questionPick % questions.length;
        const question = questions[index];
        const current = question?.options[scenario.choices[index] ?? 0];
        const richer = question?.options
          .map((option, optionIndex) => ({ option, optionIndex }))
          .filter(({ option }) => current !== undefined && option.points > current.points);
        fc.pre(richer !== undefined && richer.length > 0);
        const moved = richer?.[optionPick % (richer?.length ?? 1)];
        const movedChoices = scenario.choices.map((choice, i) => (i === index ? (moved?.optionIndex ?? choice) : choice));
        const score = (choices: number[]) =>
          scoreAssessment(definition, aPerson(answersFor(definition, choices, scenario.adjustmentChoices), scenario.clientGroup), {
            explain: false,
          }).annualPence;
        expect(score(movedChoices)).toBeGreaterThanOrEqual(score(scenario.choices));
      }),
    );
  });

  it("never lowers a carer's amount on the default RAS when one answer moves to an option worth more points", () => {
    fc.assert(
      fc.property(choicesFor(defaultRasDefinition), fc.nat(), (scenario, questionPick) => {
        const questions = defaultRasDefinition.domains.flatMap((domain) => domain.questions);
        const index = questionPick % questions.length;
        const chosen = scenario.choices[index] ?? 0;
        fc.pre(chosen < (questions[index]?.options.length ?? 0) - 1);
        const raised = scenario.choices.map((choice, i) => (i === index ? choice + 1 : choice));
        const score = (choices: number[]) =>
          scoreAssessment(defaultRasDefinition, aCarer(answersFor(defaultRasDefinition, choices, undefined))).annualPence;
        expect(score(raised)).toBeGreaterThanOrEqual(score(scenario.choices));
      }),
    );
  });

  it('gives the same result whatever order the answers are in', () => {
    fc.assert(
      fc.property(
        randomScenario.chain((scenario) => {
          const answers = answersFor(scenario.definition, scenario.choices, scenario.adjustmentChoices);
          const entries = Object.entries(answers);
          return fc
            .shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })
            .map((shuffled) => ({ scenario, answers, shuffled: Object.fromEntries(shuffled) }));
        }),
        ({ scenario, answers, shuffled }) => {
          const score = (given: Record<string, string>) =>
            JSON.stringify(scoreAssessment(scenario.definition, aPerson(given, scenario.clientGroup)));
          expect(score(shuffled)).toBe(score(answers));
        },
      ),
    );
  });

  it('gives a person £0 exactly when below the threshold, on the default RAS', () => {
    // Holds because the default RAS has floor 0, minimumPoints >= 1, every price point > 0 and no
    // adjustment reaching -100%; with a -100% modifier a priced score would also come to £0.
    fc.assert(
      fc.property(choicesFor(defaultRasDefinition), (scenario) => {
        const result = scoreAssessment(
          defaultRasDefinition,
          aPerson(answersFor(defaultRasDefinition, scenario.choices, scenario.adjustmentChoices), scenario.clientGroup),
        );
        expect(result.annualPence === 0).toBe(result.belowThreshold);
      }),
    );
  });
});

/** A result's points and budget, or the engine's error, so two ways of scoring can be compared whole. */
function outcomeOf(score: () => { rawPoints: number; annualPence: number }) {
  try {
    const { rawPoints, annualPence } = score();
    return { rawPoints, annualPence };
  } catch (error) {
    if (error instanceof RasScoringError) return { error: error.message };
    throw error;
  }
}

/**
 * Mostly real options, sometimes no answer or an option the RAS does not have, and sometimes an
 * assessment type or client group it does not know, so the refusals are compared too.
 */
const randomBulkCase = fc.oneof(fc.constant(defaultRasDefinition), randomDefinition).chain((definition) => {
  const asked = [...definition.domains.flatMap((domain) => domain.questions), ...definition.adjustments];
  const answer = (optionKeys: string[]) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...optionKeys) },
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom('no_such_option', 'toString', '__proto__') },
    );
  return fc.record({
    definition: fc.constant(definition),
    vector: fc.tuple(...asked.map((question) => answer(question.options.map((option) => option.key)))),
    extra: fc.array(fc.string(), { maxLength: 2 }),
    assessmentType: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('person', 'carer') }, { weight: 1, arbitrary: fc.constant('review') }),
    clientGroup: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom<string>(...pricedClientGroups, 'carer') },
      { weight: 1, arbitrary: fc.constantFrom('no_such_group', 'constructor') },
    ),
  });
});

describe('bulk scoring of answer vectors', () => {
  it("gives exactly the engine's points, budget or error on random definitions and answers", () => {
    fc.assert(
      fc.property(randomBulkCase, ({ definition, vector, extra, assessmentType, clientGroup }) => {
        const compiled = compileDefinition(definition);
        const answers: Record<string, string> = {};
        compiled.answerKeys.forEach((answerKey, index) => {
          const option = vector[index];
          if (option !== undefined) answers[answerKey] = option;
        });
        const fromEngine = outcomeOf(() =>
          scoreAssessment(compiled, { assessmentType: assessmentType as AssessmentType, clientGroup, answers }, { explain: false }),
        );
        const inBulk = outcomeOf(() => scoreAnswerVector(compiled, assessmentType, clientGroup, [...vector, ...extra]));
        expect(inBulk).toEqual(fromEngine);
      }),
      { numRuns: 1_000 },
    );
  });

  it('reads the answers in the order of answerKeys: questions domain by domain, then adjustments', () => {
    const compiled = compileDefinition(defaultRasDefinition);
    const keys = [
      ...defaultRasDefinition.domains.flatMap((domain) => domain.questions.map((question) => question.key)),
      ...defaultRasDefinition.adjustments.map((adjustment) => adjustment.key),
    ];
    expect(compiled.answerKeys).toEqual(keys);
    const answers = defaultPersonAnswers(workedExampleAnswers);
    const vector = keys.map((key) => answers[key]);
    expect(scoreAnswerVector(compiled, 'person', 'older_people', vector)).toEqual({ rawPoints: 83, annualPence: 913_000 });
  });
});
