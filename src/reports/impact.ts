import { carerClientGroup, pricedClientGroups, type RasDefinition } from '../ras/definition.js';
import type { ImpactGroupRow, ModelledVersion } from './repo.js';
import { RasScoringError, scoreAnswerVector, type AnswerVector, type Budget, type CompiledRas } from '../ras/engine.js';

/**
 * Impact modelling of a RAS version: each person's latest submitted assessment scored again
 * with another version, in one pass and in memory only. Pure: the rows come in, the figures
 * come out, and nothing is written anywhere, so nobody's budget can change.
 */

/** What is read for each person: only the columns the model needs. */
export type ImpactRow = {
  personId: number;
  reference?: string;
  teamId: number;
  assessmentType: 'person' | 'carer';
  clientGroup: string;
  /** null for a carer's assessment, where the adult eligibility determination is not made. */
  eligible: boolean | null;
  rawPoints: number;
  annualPence: number;
  /**
   * The chosen options in the order of the answer vector of the version being modelled
   * (CompiledRas.answerKeys), undefined where the assessment has no answer.
   */
  answers: AnswerVector;
};

export type Rescored =
  | { ok: true; pointsBefore: number; pointsAfter: number; beforePence: number; afterPence: number; assumedAnswers: number }
  | { ok: false; pointsBefore: number; beforePence: number; reason: string };

/**
 * A question or adjustment the version adds has no answer in anyone's assessment. We assume the
 * answer that gives the least: the option with the fewest points (for an adjustment, the one
 * nearest "no change"), the first such on a tie. That shows the cost of the new question as
 * nothing until people are reassessed, rather than guessing who would score on it.
 */
export type AssumedAnswers = {
  questions: Map<string, string>;
  adjustments: Map<string, string>;
  /** The same answers in the order of the version's answer vector (CompiledRas.answerKeys). */
  inOrder: readonly string[];
};

export function assumedAnswersOf(definition: RasDefinition): AssumedAnswers {
  const questions = definition.domains
    .flatMap((domain) => domain.questions)
    .map((question): [string, string] => [
      question.key,
      question.options.reduce((best, option) => (option.points < best.points ? option : best)).key,
    ]);
  const adjustments = definition.adjustments.map((adjustment): [string, string] => [
    adjustment.key,
    adjustment.options.reduce((best, option) => (Math.abs(option.percent) < Math.abs(best.percent) ? option : best)).key,
  ]);
  return {
    questions: new Map(questions),
    adjustments: new Map(adjustments),
    inOrder: [...questions, ...adjustments].map(([, optionKey]) => optionKey),
  };
}

/** The engine's error in words an administrator reading the impact page would use. */
function reasonFrom(error: RasScoringError): string {
  const option = /^Unknown option '(.+)' for (question|adjustment) '(.+)'$/.exec(error.message);
  if (option) return `Their answer '${option[1]}' to ${option[2]} '${option[3]}' is not an option in this version`;
  const group = /^Unknown client group '(.+)'$/.exec(error.message);
  if (group) return `Client group '${group[1]}' has no price point in this version`;
  return error.message;
}

/**
 * Scores one person's answers with the version being modelled. Answers to questions the version
 * no longer asks are left out (the question has gone, so it can no longer add points); a chosen
 * option the version no longer has cannot be mapped to anything, so that person cannot be
 * re-scored, and the reason says which answer. Someone found ineligible counts as nothing
 * before and after: eligibility does not depend on the RAS.
 */
export function rescore(compiled: CompiledRas, assumed: AssumedAnswers, row: ImpactRow): Rescored {
  const beforePence = row.eligible === false ? 0 : row.annualPence;
  const asked = row.assessmentType === 'person' ? compiled.answerKeys.length : compiled.questions.length;
  const vector = new Array<string | undefined>(asked);
  let assumedAnswers = 0;
  for (let index = 0; index < asked; index++) {
    const given = row.answers[index];
    if (given === undefined) {
      vector[index] = assumed.inOrder[index];
      assumedAnswers += 1;
    } else vector[index] = given;
  }
  try {
    return rescored(row, scoreAnswerVector(compiled, row.assessmentType, row.clientGroup, vector), assumedAnswers);
  } catch (error) {
    if (!(error instanceof RasScoringError)) throw error;
    return { ok: false, pointsBefore: row.rawPoints, beforePence, reason: reasonFrom(error) };
  }
}

/**
 * The result for a group of people whose points Postgres added up with the version being
 * modelled (impactGroups): the same as rescore gives each of them. Someone the version cannot
 * score comes with their answers, and rescore says why.
 */
export function rescoreGroup(compiled: CompiledRas, assumed: AssumedAnswers, group: ImpactGroupRow): Rescored {
  if (group.cannotScore) return rescore(compiled, assumed, { ...group, ...group.cannotScore });
  const budget = compiled.budgetFromTotals(group.assessmentType, group.clientGroup, group.pointsAfter, group.percentAfter);
  // impactGroups sends the answers of everyone whose client group the version does not price.
  if (!budget) throw new Error(`Client group '${group.clientGroup}' has no price point, and the answers were not read`);
  return rescored(group, budget, group.assumedAnswers);
}

/** Someone re-scored: found ineligible, they count as nothing before and after. */
function rescored(row: Pick<ImpactRow, 'eligible' | 'rawPoints' | 'annualPence'>, after: Budget, assumedAnswers: number): Rescored {
  const ineligible = row.eligible === false;
  return {
    ok: true,
    pointsBefore: row.rawPoints,
    pointsAfter: after.rawPoints,
    beforePence: ineligible ? 0 : row.annualPence,
    afterPence: ineligible ? 0 : after.annualPence,
    assumedAnswers,
  };
}

/** What Postgres is told of a version to add up everyone's points with it (impactGroups). */
export function modelledVersionOf(compiled: CompiledRas, assumed: AssumedAnswers): ModelledVersion {
  return {
    questions: compiled.questions.map((question) => ({
      key: question.key,
      assumed: assumed.questions.get(question.key) ?? '',
      values: question.pointsByOption,
    })),
    adjustments: compiled.adjustments.map(({ adjustment, percentByOption }) => ({
      key: adjustment.key,
      assumed: assumed.adjustments.get(adjustment.key) ?? '',
      values: percentByOption,
    })),
    pricedGroups: pricedClientGroups,
    carerGroups: [carerClientGroup, ...pricedClientGroups],
  };
}

export const changeBands = [
  { key: 'lose_over_50', label: 'Would lose more than 50%' },
  { key: 'lose_25_to_50', label: 'Would lose more than 25%, up to 50%' },
  { key: 'lose_10_to_25', label: 'Would lose more than 10%, up to 25%' },
  { key: 'lose_up_to_10', label: 'Would lose up to 10%' },
  { key: 'no_change', label: 'No change' },
  { key: 'gain_up_to_10', label: 'Would gain up to 10%' },
  { key: 'gain_10_to_25', label: 'Would gain more than 10%, up to 25%' },
  { key: 'gain_25_to_50', label: 'Would gain more than 25%, up to 50%' },
  { key: 'gain_over_50', label: 'Would gain more than 50%' },
  { key: 'new_budget', label: 'Had no budget, would get one' },
] as const;
export type ChangeBand = (typeof changeBands)[number]['key'];

/**
 * The band of a change, compared in whole pence (change * 100 against budget * percent) so no
 * fraction is ever rounded. Exact while budgets stay below about £900 billion.
 */
export function changeBandOf(beforePence: number, afterPence: number): ChangeBand {
  if (afterPence === beforePence) return 'no_change';
  if (beforePence === 0) return 'new_budget';
  const change = Math.abs(afterPence - beforePence) * 100;
  const above = (percent: number) => change > beforePence * percent;
  if (afterPence < beforePence)
    return above(50) ? 'lose_over_50' : above(25) ? 'lose_25_to_50' : above(10) ? 'lose_10_to_25' : 'lose_up_to_10';
  return above(50) ? 'gain_over_50' : above(25) ? 'gain_25_to_50' : above(10) ? 'gain_10_to_25' : 'gain_up_to_10';
}

/** "Loses more than 10%": the loss is more than a tenth of what they have now. */
export function losesMoreThanTenPercent(beforePence: number, afterPence: number): boolean {
  return (beforePence - afterPence) * 10 > beforePence;
}

export type ImpactTotals = {
  people: number;
  beforePence: number;
  afterPence: number;
  gain: number;
  lose: number;
  loseMoreThan10Percent: number;
  unchanged: number;
};

function emptyTotals(): ImpactTotals {
  return { people: 0, beforePence: 0, afterPence: 0, gain: 0, lose: 0, loseMoreThan10Percent: 0, unchanged: 0 };
}

function addTo(totals: ImpactTotals, beforePence: number, afterPence: number, people: number): void {
  totals.people += people;
  totals.beforePence += beforePence * people;
  totals.afterPence += afterPence * people;
  if (afterPence > beforePence) totals.gain += people;
  else if (afterPence < beforePence) {
    totals.lose += people;
    if (losesMoreThanTenPercent(beforePence, afterPence)) totals.loseMoreThan10Percent += people;
  } else totals.unchanged += people;
}

/** The group a person is counted in: carers are priced by band, so they are one group whatever the cared-for person's group. */
export function impactGroupOf(row: Pick<ImpactRow, 'assessmentType' | 'clientGroup'>): string {
  return row.assessmentType === 'carer' ? 'carer' : row.clientGroup;
}

export type ImpactFigures = {
  overall: ImpactTotals;
  byGroup: Map<string, ImpactTotals>;
  byTeam: Map<number, ImpactTotals>;
  bands: Record<ChangeBand, number>;
  /** People with at least one answer assumed because the version adds a question. */
  peopleWithAssumedAnswers: number;
  notRescored: { people: number; beforePence: number; reasons: Map<string, number> };
};

/**
 * Adds people as they are read (one at a time, or several who came out the same), so a hundred
 * thousand assessments never need to be held at once.
 */
export class ImpactAccumulator {
  readonly figures: ImpactFigures = {
    overall: emptyTotals(),
    byGroup: new Map(),
    byTeam: new Map(),
    bands: Object.fromEntries(changeBands.map((band) => [band.key, 0])) as Record<ChangeBand, number>,
    peopleWithAssumedAnswers: 0,
    notRescored: { people: 0, beforePence: 0, reasons: new Map() },
  };

  add(row: Pick<ImpactRow, 'teamId' | 'assessmentType' | 'clientGroup'>, rescored: Rescored, people = 1): void {
    const { figures } = this;
    if (!rescored.ok) {
      figures.notRescored.people += people;
      figures.notRescored.beforePence += rescored.beforePence * people;
      figures.notRescored.reasons.set(rescored.reason, (figures.notRescored.reasons.get(rescored.reason) ?? 0) + people);
      return;
    }
    const { beforePence, afterPence } = rescored;
    addTo(figures.overall, beforePence, afterPence, people);
    const group = impactGroupOf(row);
    let groupTotals = figures.byGroup.get(group);
    if (!groupTotals) figures.byGroup.set(group, (groupTotals = emptyTotals()));
    addTo(groupTotals, beforePence, afterPence, people);
    let teamTotals = figures.byTeam.get(row.teamId);
    if (!teamTotals) figures.byTeam.set(row.teamId, (teamTotals = emptyTotals()));
    addTo(teamTotals, beforePence, afterPence, people);
    figures.bands[changeBandOf(beforePence, afterPence)] += people;
    if (rescored.assumedAnswers > 0) figures.peopleWithAssumedAnswers += people;
  }
}
