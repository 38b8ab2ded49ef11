import { describe, expect, it } from 'vitest';
import { defaultEligibilityOutcomeKeys, defaultRasDefinition } from '../../src/ras/default-ras.js';
import { validateDefinition, type Problem, type RasDefinition } from '../../src/ras/definition.js';

/** A JSON copy of the default RAS, as an admin would import it, that a test may break freely. */
function importedRas(): Record<string, unknown> & RasDefinition {
  return JSON.parse(JSON.stringify(defaultRasDefinition)) as Record<string, unknown> & RasDefinition;
}

function problemsOf(input: unknown): Problem[] {
  const validation = validateDefinition(input);
  if (validation.ok) throw new Error('expected the definition to be invalid');
  return validation.problems;
}

/** Changes one thing in a copy of the default RAS and returns its problems. */
function problemsAfter(change: (ras: Record<string, unknown> & RasDefinition) => void): Problem[] {
  const ras = importedRas();
  change(ras);
  return problemsOf(ras);
}

function setField(target: object, field: string, value: unknown): void {
  Reflect.set(target, field, value);
}

function nutritionQuestion(ras: RasDefinition) {
  const question = ras.domains[0]?.questions[0];
  if (question === undefined) throw new Error('the default RAS has a nutrition question');
  return question;
}

function informalSupport(ras: RasDefinition) {
  const adjustment = ras.adjustments[0];
  if (adjustment === undefined) throw new Error('the default RAS has an informal support adjustment');
  return adjustment;
}

describe('the default RAS', () => {
  it('is valid and comes back unchanged, hints included', () => {
    const validation = validateDefinition(importedRas());
    expect(validation).toEqual({ ok: true, definition: defaultRasDefinition });
  });

  it('has the ten eligibility outcomes as its first ten domains', () => {
    expect(defaultRasDefinition.domains.slice(0, 10).map((domain) => domain.key)).toEqual([...defaultEligibilityOutcomeKeys]);
    expect(defaultRasDefinition.domains).toHaveLength(13);
  });

  it('has a hint for every question', () => {
    const questions = defaultRasDefinition.domains.flatMap((domain) => domain.questions);
    expect(questions.every((question) => (question.hint ?? '').length > 0)).toBe(true);
  });
});

describe('validateDefinition names the place of each problem', () => {
  it.each<[string, (ras: Record<string, unknown> & RasDefinition) => void, Problem]>([
    [
      'a question with no options',
      (ras) => (nutritionQuestion(ras).options = []),
      { path: 'domains[0].questions[0].options', message: "Question 'nutrition' has no options" },
    ],
    [
      'an adjustment with no options',
      (ras) => (informalSupport(ras).options = []),
      { path: 'adjustments[0].options', message: "Adjustment 'informal_support' has no options" },
    ],
    [
      'a domain with no questions',
      (ras) => {
        const clothing = ras.domains[3];
        if (clothing) clothing.questions = [];
      },
      { path: 'domains[3].questions', message: "Domain 'clothing' has no questions" },
    ],
    ['no domains at all', (ras) => (ras.domains = []), { path: 'domains', message: 'The RAS has no domains, so there is nothing to ask' }],
    [
      'a NUL in the wording of a question, which PostgreSQL cannot store',
      (ras) => (nutritionQuestion(ras).text = 'Eating\u0000 and drinking'),
      { path: 'domains[0].questions[0].text', message: "The text of question 'nutrition' must not include control characters" },
    ],
    [
      'a control character in a hint',
      (ras) => (informalSupport(ras).hint = 'Family\u001b help'),
      { path: 'adjustments[0].hint', message: "The hint of adjustment 'informal_support' must not include control characters" },
    ],
    [
      'a line break in the RAS name',
      (ras) => (ras.name = 'RAS\n2026'),
      { path: 'name', message: 'The RAS name must not include control characters' },
    ],
    [
      'negative points',
      (ras) => setField(nutritionQuestion(ras).options[1] ?? {}, 'points', -2),
      {
        path: 'domains[0].questions[0].options[1].points',
        message: "The points for option 'occasional_prompting' of question 'nutrition' must be 0 or more",
      },
    ],
    [
      'points that are not whole numbers',
      (ras) => setField(nutritionQuestion(ras).options[2] ?? {}, 'points', 6.5),
      {
        path: 'domains[0].questions[0].options[2].points',
        message: "The points for option 'some_days' of question 'nutrition' must be a whole number",
      },
    ],
    [
      'points given as text',
      (ras) => setField(nutritionQuestion(ras).options[2] ?? {}, 'points', '6'),
      {
        path: 'domains[0].questions[0].options[2].points',
        message: "The points for option 'some_days' of question 'nutrition' must be a number",
      },
    ],
    [
      'a percent above 100',
      (ras) => setField(informalSupport(ras).options[1] ?? {}, 'percent', 101),
      {
        path: 'adjustments[0].options[1].percent',
        message: "The percent for option 'some' of adjustment 'informal_support' must be 100 or less",
      },
    ],
    [
      'a percent below -100',
      (ras) => setField(informalSupport(ras).options[2] ?? {}, 'percent', -101),
      {
        path: 'adjustments[0].options[2].percent',
        message: "The percent for option 'a_lot' of adjustment 'informal_support' must be -100 or more",
      },
    ],
    [
      'a percent that is not a whole number',
      (ras) => setField(informalSupport(ras).options[1] ?? {}, 'percent', -12.5),
      {
        path: 'adjustments[0].options[1].percent',
        message: "The percent for option 'some' of adjustment 'informal_support' must be a whole number",
      },
    ],
    [
      'a client group without a price point',
      (ras) => Reflect.deleteProperty(ras.pricePoints, 'mental_health'),
      { path: 'pricePoints.mental_health', message: 'There is no price point for mental health' },
    ],
    [
      'an unknown client group',
      (ras) => setField(ras.pricePoints, 'children', 9_000),
      {
        path: 'pricePoints.children',
        message:
          "Unknown client group 'children' in the price points; the client groups are older_people, learning_disability, physical_disability, mental_health, sensory_impairment",
      },
    ],
    [
      'a price point of 0',
      (ras) => (ras.pricePoints.older_people = 0),
      { path: 'pricePoints.older_people', message: 'The price point for older people must be more than 0' },
    ],
    [
      'a negative price point',
      (ras) => (ras.pricePoints.sensory_impairment = -1),
      { path: 'pricePoints.sensory_impairment', message: 'The price point for sensory impairment must be more than 0' },
    ],
    [
      'a price point in part pence',
      (ras) => (ras.pricePoints.learning_disability = 145.5),
      { path: 'pricePoints.learning_disability', message: 'The price point for learning disability must be a whole number' },
    ],
    [
      'negative minimum points',
      (ras) => (ras.minimumPoints = -1),
      { path: 'minimumPoints', message: 'The minimum number of points must be 0 or more' },
    ],
    ['a negative floor', (ras) => (ras.floorPence = -100), { path: 'floorPence', message: 'The floor must be 0 or more' }],
    ['a negative ceiling', (ras) => (ras.ceilingPence = -1), { path: 'ceilingPence', message: 'The ceiling must be 0 or more' }],
    ['a floor in part pence', (ras) => (ras.floorPence = 0.5), { path: 'floorPence', message: 'The floor must be a whole number' }],
    [
      'a carer band amount below 0',
      (ras) => setField(ras.carerBands[0] ?? {}, 'annualPence', -1),
      { path: 'carerBands[0].annualPence', message: 'The yearly amount of carer band 1 must be 0 or more' },
    ],
    [
      'a carer band whose lowest points are above its highest',
      (ras) => (ras.carerBands = [{ minPoints: 30, maxPoints: 20, annualPence: 100 }]),
      {
        path: 'carerBands[0]',
        message: 'Carer band 1 starts at 30 points but ends at 20 points; its lowest points must not be more than its highest',
      },
    ],
    [
      'overlapping carer bands',
      (ras) => setField(ras.carerBands[1] ?? {}, 'minPoints', 24),
      { path: 'carerBands[1]', message: 'Carer band 2 (24 to 44 points) overlaps carer band 1 (8 to 24 points)' },
    ],
    [
      'carer bands out of order',
      (ras) => (ras.carerBands = [...ras.carerBands].reverse().slice(2)),
      {
        path: 'carerBands[1]',
        message:
          'Carer bands must be listed from the lowest points up, but carer band 2 (8 to 24 points) comes after carer band 1 (25 to 44 points)',
      },
    ],
    [
      'two domains with the same key',
      (ras) => setField(ras.domains[2] ?? {}, 'key', 'nutrition'),
      { path: 'domains[2].key', message: "More than one domain has the key 'nutrition'" },
    ],
    [
      'two questions with the same key in different domains',
      (ras) => setField(ras.domains[4]?.questions[0] ?? {}, 'key', 'nutrition'),
      {
        path: 'domains[4].questions[0].key',
        message:
          "The key 'nutrition' is used by question 'nutrition' in domain 'nutrition' and again by question 'nutrition' in domain 'home_safety'; questions and adjustments share one set of answers, so each needs its own key",
      },
    ],
    [
      'an adjustment with the same key as a question',
      (ras) => (informalSupport(ras).key = 'clothing'),
      {
        path: 'adjustments[0].key',
        message:
          "The key 'clothing' is used by question 'clothing' in domain 'clothing' and again by adjustment 'clothing'; questions and adjustments share one set of answers, so each needs its own key",
      },
    ],
    [
      'two adjustments with the same key',
      (ras) => ras.adjustments.push({ ...informalSupport(ras) }),
      {
        path: 'adjustments[1].key',
        message:
          "The key 'informal_support' is used by adjustment 'informal_support' and again by adjustment 'informal_support'; questions and adjustments share one set of answers, so each needs its own key",
      },
    ],
    [
      'two options with the same key in a question',
      (ras) => setField(nutritionQuestion(ras).options[4] ?? {}, 'key', 'every_day'),
      { path: 'domains[0].questions[0].options[4].key', message: "Question 'nutrition' has more than one option with the key 'every_day'" },
    ],
    [
      'two options with the same key in an adjustment',
      (ras) => setField(informalSupport(ras).options[2] ?? {}, 'key', 'some'),
      { path: 'adjustments[0].options[2].key', message: "Adjustment 'informal_support' has more than one option with the key 'some'" },
    ],
    [
      'a key that cannot be used as an answer name',
      (ras) => (nutritionQuestion(ras).key = 'eating well'),
      {
        path: 'domains[0].questions[0].key',
        message: "The key of question 'eating well' must start with a letter and contain only letters, digits, hyphens and underscores",
      },
    ],
    [
      'a blank option label',
      (ras) => setField(nutritionQuestion(ras).options[0] ?? {}, 'label', '  '),
      {
        path: 'domains[0].questions[0].options[0].label',
        message: "The label of option 'no_help' of question 'nutrition' must not be blank",
      },
    ],
    [
      'a question without a key',
      (ras) => Reflect.deleteProperty(ras.domains[1]?.questions[0] ?? {}, 'key'),
      { path: 'domains[1].questions[0].key', message: "The key of question 1 of domain 'personal_hygiene' is missing" },
    ],
    [
      'a hint that is not text',
      (ras) => setField(nutritionQuestion(ras), 'hint', 42),
      { path: 'domains[0].questions[0].hint', message: "The hint of question 'nutrition' must be text" },
    ],
    [
      'a misspelt field',
      (ras) => setField(nutritionQuestion(ras), 'hnit', 'Eating and drinking'),
      { path: 'domains[0].questions[0].hnit', message: "Question 'nutrition' has a field 'hnit' that a RAS does not use" },
    ],
    ['a missing name', (ras) => Reflect.deleteProperty(ras, 'name'), { path: 'name', message: 'The RAS name is missing' }],
    [
      'carer bands that are not a list',
      (ras) => setField(ras, 'carerBands', { minPoints: 8 }),
      { path: 'carerBands', message: 'The list of carer bands must be a list' },
    ],
  ])('reports %s', (_, change, problem) => {
    expect(problemsAfter(change)).toContainEqual(problem);
  });

  it('reports something that is not a JSON object at all', () => {
    expect(problemsOf('Default RAS')).toEqual([{ path: '', message: 'The RAS definition must be a JSON object' }]);
  });

  it('reports every problem at once, shape and structure together', () => {
    const problems = problemsAfter((ras) => {
      nutritionQuestion(ras).options = [];
      setField(ras.domains[1]?.questions[0]?.options[1] ?? {}, 'points', -2);
      setField(ras.domains[2] ?? {}, 'key', 'nutrition');
      Reflect.deleteProperty(ras.pricePoints, 'older_people');
      setField(ras.carerBands[1] ?? {}, 'minPoints', 20);
      ras.floorPence = -1;
    });
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      [
        'carerBands[1]',
        'domains[0].questions[0].options',
        'domains[1].questions[0].options[1].points',
        'domains[2].key',
        'floorPence',
        'pricePoints.older_people',
      ].sort(),
    );
  });

  it('reports missing fields one by one', () => {
    expect(problemsOf({}).map((problem) => problem.message)).toEqual([
      'The RAS name is missing',
      'The minimum number of points is missing',
      'The floor is missing',
      'The ceiling is missing',
      'The table of price points is missing',
      'The list of domains is missing',
      'The list of adjustments is missing',
      'The list of carer bands is missing',
    ]);
  });

  it('reports a highest possible budget too large to calculate exactly', () => {
    expect(
      problemsAfter((ras) => {
        ras.pricePoints.learning_disability = 20_000_000_000_000;
      }),
    ).toEqual([
      {
        path: 'pricePoints',
        message: 'The highest possible budget is too large to calculate exactly; lower the price points or the points',
      },
    ]);
  });

  it('reports a highest possible score too large to count exactly', () => {
    expect(
      problemsAfter((ras) => {
        setField(nutritionQuestion(ras).options[4] ?? {}, 'points', Number.MAX_SAFE_INTEGER);
      }),
    ).toEqual([{ path: 'domains', message: 'The highest possible score is too large to count exactly; lower the points' }]);
  });
});

describe('validateDefinition accepts', () => {
  it.each<[string, (ras: RasDefinition) => void]>([
    [
      'carer bands that touch without overlapping',
      (ras) =>
        (ras.carerBands = [
          { minPoints: 8, maxPoints: 24, annualPence: 1 },
          { minPoints: 25, maxPoints: 30, annualPence: 2 },
        ]),
    ],
    [
      'carer bands with a gap',
      (ras) =>
        (ras.carerBands = [
          { minPoints: 8, maxPoints: 10, annualPence: 1 },
          { minPoints: 20, maxPoints: 30, annualPence: 2 },
        ]),
    ],
    ['a one-point carer band', (ras) => (ras.carerBands = [{ minPoints: 8, maxPoints: 8, annualPence: 1 }])],
    ['no carer bands', (ras) => (ras.carerBands = [])],
    ['no adjustments', (ras) => (ras.adjustments = [])],
    ['questions without hints', (ras) => Reflect.deleteProperty(nutritionQuestion(ras), 'hint')],
    ['the same option keys in different questions', () => undefined],
    [
      'percents of exactly -100 and 100',
      (ras) =>
        (informalSupport(ras).options = [
          { key: 'all', label: 'All', percent: -100 },
          { key: 'double', label: 'Double', percent: 100 },
        ]),
    ],
    ['a floor, ceiling and minimum of 0', (ras) => Object.assign(ras, { floorPence: 0, ceilingPence: 0, minimumPoints: 0 })],
  ])('%s', (_, change) => {
    const ras = importedRas();
    change(ras);
    expect(validateDefinition(ras)).toEqual({ ok: true, definition: ras });
  });
});
