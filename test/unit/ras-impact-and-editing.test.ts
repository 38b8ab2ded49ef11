import { describe, expect, it } from 'vitest';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { applyListAction, type ItemInput } from '../../src/ras/editing.js';
import { formErrorsFromProblems, listAnchor, pathSegments } from '../../src/ras/presenters.js';
import { compileDefinition, type CompiledRas } from '../../src/ras/engine.js';
import { calibrationFigures, ratioText } from '../../src/reports/calibration.js';
import { assumedAnswersOf, changeBandOf, losesMoreThanTenPercent, rescore, type ImpactRow } from '../../src/reports/impact.js';

describe('bands of change', () => {
  it.each([
    [1000, 1000, 'no_change'],
    [0, 0, 'no_change'],
    [0, 500, 'new_budget'],
    [1000, 900, 'lose_up_to_10'],
    [1000, 899, 'lose_10_to_25'],
    [1000, 750, 'lose_10_to_25'],
    [1000, 749, 'lose_25_to_50'],
    [1000, 500, 'lose_25_to_50'],
    [1000, 499, 'lose_over_50'],
    [1000, 0, 'lose_over_50'],
    [1000, 1100, 'gain_up_to_10'],
    [1000, 1101, 'gain_10_to_25'],
    [1000, 1501, 'gain_over_50'],
  ])('%d pence to %d pence is %s', (before, after, band) => {
    expect(changeBandOf(before, after)).toBe(band);
  });

  it('counts exactly 10% less as not more than 10%', () => {
    expect(losesMoreThanTenPercent(1000, 900)).toBe(false);
    expect(losesMoreThanTenPercent(1000, 899)).toBe(true);
    expect(losesMoreThanTenPercent(0, 0)).toBe(false);
  });
});

describe('re-scoring one person', () => {
  /** A person's row as the reader gives it: their answers in the order of the version being modelled. */
  const row = (compiled: CompiledRas, answers: Record<string, string>, extra: Partial<ImpactRow> = {}): ImpactRow => ({
    personId: 1,
    teamId: 1,
    assessmentType: 'person',
    clientGroup: 'older_people',
    eligible: true,
    rawPoints: 0,
    annualPence: 0,
    answers: compiled.answerKeys.map((key) => answers[key]),
    ...extra,
  });
  const noHelp = Object.fromEntries([
    ...defaultRasDefinition.domains.flatMap((d) => d.questions.map((q) => [q.key, q.options[0]?.key ?? ''])),
    ['informal_support', 'none'],
  ]);

  it('assumes the fewest points for a new question and no change for a new adjustment', () => {
    const definition = structuredClone(defaultRasDefinition);
    definition.domains.push({
      key: 'new',
      title: 'New',
      questions: [
        {
          key: 'new',
          text: 'New?',
          options: [
            { key: 'lots', label: 'Lots', points: 9 },
            { key: 'little', label: 'Little', points: 1 },
          ],
        },
      ],
    });
    definition.adjustments.push({
      key: 'kit',
      text: 'Kit?',
      options: [
        { key: 'big', label: 'Big', percent: -20 },
        { key: 'small', label: 'Small', percent: -5 },
        { key: 'up', label: 'Up', percent: 5 },
      ],
    });
    const assumed = assumedAnswersOf(definition);
    expect(assumed.questions.get('new')).toBe('little');
    expect(assumed.adjustments.get('kit')).toBe('small');
    const compiled = compileDefinition(definition);
    const result = rescore(compiled, assumed, row(compiled, { ...noHelp, personal_hygiene: 'every_day' }, { annualPence: 132_000 }));
    // 12 + 1 points, -5%: 13 x 95% x 11,000 = 135,850.
    expect(result).toEqual({ ok: true, pointsBefore: 0, pointsAfter: 13, beforePence: 132_000, afterPence: 135_850, assumedAnswers: 2 });
  });

  it('leaves out answers to questions the version no longer asks', () => {
    const definition = structuredClone(defaultRasDefinition);
    definition.domains = definition.domains.filter((domain) => domain.key !== 'nutrition');
    const compiled = compileDefinition(definition);
    const result = rescore(
      compiled,
      assumedAnswersOf(definition),
      row(compiled, { ...noHelp, nutrition: 'every_day', clothing: 'every_day' }),
    );
    expect(result).toMatchObject({ ok: true, pointsAfter: 12, assumedAnswers: 0 });
  });

  it('gives a reason instead of failing when an answer is no longer an option', () => {
    const definition = structuredClone(defaultRasDefinition);
    const question = definition.domains[0]?.questions[0];
    if (question) question.options = question.options.slice(0, 2);
    const compiled = compileDefinition(definition);
    const result = rescore(
      compiled,
      assumedAnswersOf(definition),
      row(compiled, { ...noHelp, nutrition: 'every_day' }, { annualPence: 132_000 }),
    );
    expect(result).toEqual({
      ok: false,
      pointsBefore: 0,
      beforePence: 132_000,
      reason: "Their answer 'every_day' to question 'nutrition' is not an option in this version",
    });
  });

  it('counts someone not eligible as nothing before and after', () => {
    const compiled = compileDefinition(defaultRasDefinition);
    const result = rescore(
      compiled,
      assumedAnswersOf(defaultRasDefinition),
      row(compiled, { ...noHelp, clothing: 'two_people' }, { eligible: false, annualPence: 220_000 }),
    );
    expect(result).toMatchObject({ ok: true, beforePence: 0, afterPence: 0 });
  });
});

describe('calibration arithmetic', () => {
  it('rounds the ratio and the prices half up, and has no figures without budgets', () => {
    const figures = calibrationFigures({
      count: 1,
      sumIndicativePence: 260_000n,
      sumApprovedPence: 326_300n,
      sumX: 2_000n,
      sumXApproved: 652_600_000n,
      sumXSquared: 4_000_000n,
    });
    expect(figures).toEqual({
      count: 1,
      meanIndicativePence: 260_000,
      meanApprovedPence: 326_300,
      ratioHundredths: 126,
      ratioPricePence: 16_315,
      leastSquaresPricePence: 16_315,
    });
    expect(ratioText(126)).toBe('1.26');
    expect(ratioText(66)).toBe('0.66');
    expect(
      calibrationFigures({ count: 0, sumIndicativePence: 0n, sumApprovedPence: 0n, sumX: 0n, sumXApproved: 0n, sumXSquared: 0n }),
    ).toMatchObject({ ratioHundredths: null, ratioPricePence: null, leastSquaresPricePence: null });
  });
});

describe('pointing a problem at the field that caused it', () => {
  const items: ItemInput[] = [
    { formIndex: 0, key: 'a', text: 'A', hint: '', options: [{ formIndex: 0, key: 'x', label: 'X', value: 0 }] },
    {
      formIndex: 2,
      key: 'b',
      text: 'B',
      hint: '',
      options: [
        { formIndex: 1, key: 'y', label: 'Y', value: 0 },
        { formIndex: 3, key: 'z', label: 'Z', value: 0 },
      ],
    },
  ];

  it('reads a problem path', () => {
    expect(pathSegments('domains[2].questions[0].options[1].points')).toEqual(['domains', 2, 'questions', 0, 'options', 1, 'points']);
    expect(pathSegments('pricePoints.older_people')).toEqual(['pricePoints', 'older_people']);
  });

  it('maps positions in the saved list back to the rows as typed, after removed rows', () => {
    const anchor = listAnchor(['domains', 4, 'questions'], items, 'questions', 'points', { key: 'key', title: 'title' });
    expect(anchor(pathSegments('domains[4].questions[1].options[1].points'))).toBe('questions-2-options-3-points');
    expect(anchor(pathSegments('domains[4].questions[1].options'))).toBe('questions-2-options-1-label');
    expect(anchor(pathSegments('domains[4].questions[1].text'))).toBe('questions-2-text');
    expect(anchor(pathSegments('domains[4].title'))).toBe('title');
    expect(anchor(pathSegments('domains[3].questions[0].key'))).toBeUndefined();
  });

  it('lists every problem in the summary and shows the first for a field inline', () => {
    const errors = formErrorsFromProblems(
      [
        { path: 'domains[0].key', message: 'First' },
        { path: 'domains[0].key', message: 'Second' },
        { path: 'carerBands', message: 'Elsewhere' },
      ],
      listAnchor(['domains', 0, 'questions'], items, 'questions', 'points', { key: 'key' }),
      'key',
    );
    expect(errors.summary).toEqual([
      { text: 'First', href: '#key' },
      { text: 'Second', href: '#key' },
      { text: 'Elsewhere', href: '#key' },
    ]);
    expect(errors.fields).toEqual({ key: 'First' });
  });

  it('moves rows by their place on the page, and ignores a move past either end', () => {
    expect(applyListAction(items, { kind: 'move-item', item: 2, direction: 'up' }).map((item) => item.key)).toEqual(['b', 'a']);
    expect(applyListAction(items, { kind: 'move-item', item: 0, direction: 'up' }).map((item) => item.key)).toEqual(['a', 'b']);
    expect(
      applyListAction(items, { kind: 'move-option', item: 2, option: 3, direction: 'up' })[1]?.options.map((option) => option.key),
    ).toEqual(['z', 'y']);
  });
});
