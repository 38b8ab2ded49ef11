import { formatPence, WEEKS_A_YEAR } from '../money.js';
import {
  carerClientGroup,
  isPricedClientGroup,
  pricedClientGroups,
  type CarerBand,
  type PricedClientGroup,
  type RasAdjustment,
  type RasAnswers,
  type RasDefinition,
} from './definition.js';

/**
 * The only place the budget formula lives ("RAS scoring: the exact rules" in DOMAIN.md).
 * Pure: no I/O and no clock. Definitions are expected to have passed validateDefinition, which
 * guarantees whole-number points, prices and pence, sorted carer bands and scores and budgets
 * that fit exactly in a number.
 */

export interface RasResult {
  rawPoints: number;
  domainPoints: Record<string, number>;
  /**
   * For a person, the chosen adjustments' percents added up and clamped to -100..100, reported
   * even below the threshold (where it changes nothing) so the same answers always show the same
   * modifier. Always 0 for a carer.
   */
  modifierPercent: number;
  annualPence: number;
  weeklyPence: number;
  belowThreshold: boolean;
  exceedsCeiling: boolean;
  /** Plain-English lines a person can keep; empty when scored with { explain: false }. */
  explanation: string[];
}

export interface ScoreOptions {
  /** Defaults to true; turn off when scoring in bulk (impact reports, benchmarks). */
  explain?: boolean;
}

export class RasScoringError extends Error {
  override name = 'RasScoringError';
}

interface CompiledQuestion {
  key: string;
  domainKey: string;
  pointsByOption: Map<string, number>;
}

interface CompiledAdjustment {
  adjustment: RasAdjustment;
  percentByOption: Map<string, number>;
}

/** Option key to points or percent. */
type OptionLookup = Readonly<Record<string, number | undefined>>;

/**
 * A plain object with no prototype rather than a Map: bulk scoring looks up every answer, and a
 * property read is the quicker of the two, while no key ("constructor", "__proto__") can reach
 * anything inherited.
 */
function optionLookup(values: ReadonlyMap<string, number>): OptionLookup {
  const lookup = Object.create(null) as Record<string, number>;
  for (const [optionKey, value] of values) lookup[optionKey] = value;
  return lookup;
}

/**
 * A definition with its lookups built once. Compile once and reuse it when scoring many
 * assessments against the same RAS; it keeps a reference to the definition, so do not change the
 * definition afterwards.
 */
export class CompiledRas {
  readonly questions: readonly CompiledQuestion[];
  readonly adjustments: readonly CompiledAdjustment[];
  readonly adjustmentKeys: ReadonlySet<string>;
  readonly highestScore: number;
  /**
   * The order of an answer vector (scoreAnswerVector): every question, domain by domain, then
   * every adjustment.
   */
  readonly answerKeys: readonly string[];
  private readonly questionPoints: readonly OptionLookup[];
  private readonly adjustmentPercents: readonly OptionLookup[];
  private readonly priceByGroup: ReadonlyMap<string, number>;

  constructor(readonly definition: RasDefinition) {
    this.questions = definition.domains.flatMap((domain) =>
      domain.questions.map((question) => ({
        key: question.key,
        domainKey: domain.key,
        pointsByOption: new Map(question.options.map((option) => [option.key, option.points])),
      })),
    );
    this.adjustments = definition.adjustments.map((adjustment) => ({
      adjustment,
      percentByOption: new Map(adjustment.options.map((option) => [option.key, option.percent])),
    }));
    this.adjustmentKeys = new Set(definition.adjustments.map((adjustment) => adjustment.key));
    this.highestScore = definition.domains
      .flatMap((domain) => domain.questions)
      .reduce((total, question) => total + Math.max(0, ...question.options.map((option) => option.points)), 0);
    this.answerKeys = [...this.questions.map((question) => question.key), ...definition.adjustments.map((adjustment) => adjustment.key)];
    this.questionPoints = this.questions.map((question) => optionLookup(question.pointsByOption));
    this.adjustmentPercents = this.adjustments.map((adjustment) => optionLookup(adjustment.percentByOption));
    this.priceByGroup = new Map(pricedClientGroups.map((group) => [group, definition.pricePoints[group]]));
  }

  /**
   * DOMAIN.md rules 1 to 3 for answers that need no checking, without the breakdown; undefined
   * for anything scoreAssessment would refuse, which the caller hands to scoreAssessment so the
   * error is the engine's own.
   */
  budgetOf(assessmentType: string, clientGroup: string, vector: AnswerVector): Budget | undefined {
    const { questionPoints } = this;
    let rawPoints = 0;
    for (let index = 0; index < questionPoints.length; index++) {
      const option = vector[index];
      const points = typeof option === 'string' ? questionPoints[index]?.[option] : undefined;
      if (points === undefined) return undefined;
      rawPoints += points;
    }
    if (assessmentType !== 'person') return this.budgetFromTotals(assessmentType, clientGroup, rawPoints, 0);
    const { adjustmentPercents } = this;
    const offset = questionPoints.length;
    let percentTotal = 0;
    for (let index = 0; index < adjustmentPercents.length; index++) {
      const option = vector[offset + index];
      const percent = typeof option === 'string' ? adjustmentPercents[index]?.[option] : undefined;
      if (percent === undefined) return undefined;
      percentTotal += percent;
    }
    return this.budgetFromTotals(assessmentType, clientGroup, rawPoints, percentTotal);
  }

  /**
   * DOMAIN.md rules 2 and 3 from the points already added up and the adjustments' percents (not
   * yet clamped; ignored for a carer), for someone scored elsewhere with this version's points;
   * undefined where the client group has no price point, as budgetOf.
   */
  budgetFromTotals(assessmentType: string, clientGroup: string, rawPoints: number, percentTotal: number): Budget | undefined {
    if (assessmentType === 'carer') {
      if (clientGroup !== carerClientGroup && !this.priceByGroup.has(clientGroup)) return undefined;
      return { rawPoints, annualPence: carerBandFor(this.definition, rawPoints)?.annualPence ?? 0 };
    }
    const pricePence = this.priceByGroup.get(clientGroup);
    if (assessmentType !== 'person' || pricePence === undefined) return undefined;
    return { rawPoints, annualPence: personAnnualPence(this.definition, rawPoints, clampPercent(percentTotal), pricePence).annualPence };
  }
}

/**
 * Answers in the order of CompiledRas.answerKeys, one entry each, undefined where there is no
 * answer. Entries past the last key are not read.
 */
export type AnswerVector = readonly (string | undefined)[];

/** What bulk scoring keeps of a result. */
export interface Budget {
  rawPoints: number;
  annualPence: number;
}

/** The answers object a vector stands for: each key with an answer, in answerKeys order. */
export function answersFromVector(compiled: CompiledRas, vector: AnswerVector): Record<string, string> {
  const answers: Record<string, string> = {};
  compiled.answerKeys.forEach((answerKey, index) => {
    const option = vector[index];
    if (option !== undefined) answers[answerKey] = option;
  });
  return answers;
}

/**
 * Bulk scoring (impact modelling, benchmarks): rawPoints and annualPence exactly as
 * scoreAssessment gives them for answersFromVector(compiled, vector), read straight from the
 * vector through lookups built once, with no breakdown and nothing else allocated. Answers the
 * engine would refuse go through scoreAssessment, so the error thrown is the same.
 */
export function scoreAnswerVector(compiled: CompiledRas, assessmentType: string, clientGroup: string, vector: AnswerVector): Budget {
  const budget = compiled.budgetOf(assessmentType, clientGroup, vector);
  if (budget !== undefined) return budget;
  const { rawPoints, annualPence } = scoreAssessment(
    compiled,
    { assessmentType: assessmentType as RasAnswers['assessmentType'], clientGroup, answers: answersFromVector(compiled, vector) },
    { explain: false },
  );
  return { rawPoints, annualPence };
}

export function compileDefinition(definition: RasDefinition): CompiledRas {
  return new CompiledRas(definition);
}

/**
 * Scores one assessment. Pass a CompiledRas when scoring many; a plain definition is compiled
 * on every call (no hidden cache, so an edited draft is never scored against stale lookups).
 */
export function scoreAssessment(ras: RasDefinition | CompiledRas, assessment: RasAnswers, options: ScoreOptions = {}): RasResult {
  const compiled = ras instanceof CompiledRas ? ras : compileDefinition(ras);
  const explain = options.explain ?? true;
  switch (assessment.assessmentType) {
    case 'person':
      return scorePerson(compiled, assessment, explain);
    case 'carer':
      return scoreCarer(compiled, assessment, explain);
    default:
      throw new RasScoringError(`Unknown assessment type '${String(assessment.assessmentType)}'`);
  }
}

function chosenOption(answers: Record<string, string>, key: string): string | undefined {
  // Own properties only: an answers object parsed from JSON still inherits from Object.prototype.
  return Object.hasOwn(answers, key) ? answers[key] : undefined;
}

function sumPoints(compiled: CompiledRas, answers: Record<string, string>) {
  const domainPoints: Record<string, number> = {};
  for (const domain of compiled.definition.domains) domainPoints[domain.key] = 0;
  let rawPoints = 0;
  for (const question of compiled.questions) {
    const optionKey = chosenOption(answers, question.key);
    if (optionKey === undefined) throw new RasScoringError(`Missing answer to question '${question.key}'`);
    const points = question.pointsByOption.get(optionKey);
    if (points === undefined) {
      throw new RasScoringError(`Unknown option '${optionKey}' for question '${question.key}'`);
    }
    rawPoints += points;
    domainPoints[question.domainKey] = (domainPoints[question.domainKey] ?? 0) + points;
  }
  return { rawPoints, domainPoints };
}

/**
 * Rejects answers to anything the RAS does not ask, naming the first in sorted order so the error
 * is the same whatever order the answers came in. A carer's answers to the adjustments are set
 * aside, not refused: rule 3 ignores adjustments for carers.
 */
function rejectUnexpectedAnswers(compiled: CompiledRas, answers: Record<string, string>, expected: number) {
  const keys = Object.keys(answers);
  if (keys.length === expected) return;
  const known = new Set([...compiled.questions.map((question) => question.key), ...compiled.adjustmentKeys]);
  const unexpected = keys.filter((answerKey) => !known.has(answerKey)).sort()[0];
  if (unexpected !== undefined) throw new RasScoringError(`Unknown question '${unexpected}'`);
}

interface ChosenAdjustment {
  adjustment: RasAdjustment;
  optionKey: string;
  percent: number;
}

function scorePerson(compiled: CompiledRas, assessment: RasAnswers, explain: boolean): RasResult {
  const { definition } = compiled;
  const clientGroup = personClientGroup(assessment.clientGroup);
  const { answers } = assessment;
  const { rawPoints, domainPoints } = sumPoints(compiled, answers);

  const chosenAdjustments: ChosenAdjustment[] = [];
  let percentTotal = 0;
  for (const { adjustment, percentByOption } of compiled.adjustments) {
    const optionKey = chosenOption(answers, adjustment.key);
    if (optionKey === undefined) throw new RasScoringError(`Missing answer to adjustment '${adjustment.key}'`);
    const percent = percentByOption.get(optionKey);
    if (percent === undefined) {
      throw new RasScoringError(`Unknown option '${optionKey}' for adjustment '${adjustment.key}'`);
    }
    percentTotal += percent;
    if (explain) chosenAdjustments.push({ adjustment, optionKey, percent });
  }
  rejectUnexpectedAnswers(compiled, answers, compiled.questions.length + compiled.adjustments.length);
  const modifierPercent = clampPercent(percentTotal);

  const pricePence = definition.pricePoints[clientGroup];
  const { belowThreshold, pricedPence, raisedToFloor, annualPence } = personAnnualPence(definition, rawPoints, modifierPercent, pricePence);
  const weeklyPence = roundHalfUpSafe(annualPence, WEEKS_A_YEAR);
  const exceedsCeiling = annualPence > definition.ceilingPence;

  const result: RasResult = {
    rawPoints,
    domainPoints,
    modifierPercent,
    annualPence,
    weeklyPence,
    belowThreshold,
    exceedsCeiling,
    explanation: [],
  };
  if (explain) {
    result.explanation = explainPerson(compiled, result, {
      clientGroup,
      pricePence,
      pricedPence,
      raisedToFloor,
      percentTotal,
      chosenAdjustments,
    });
  }
  return result;
}

function personClientGroup(clientGroup: string): PricedClientGroup {
  if (isPricedClientGroup(clientGroup)) return clientGroup;
  if (clientGroup === carerClientGroup) {
    throw new RasScoringError(`Client group '${carerClientGroup}' has no price point: it is only for carers' assessments`);
  }
  throw new RasScoringError(`Unknown client group '${clientGroup}'`);
}

function clampPercent(percentTotal: number): number {
  return Math.min(100, Math.max(-100, percentTotal));
}

/** DOMAIN.md rule 2 from the points, the clamped modifier and the price point. */
function personAnnualPence(definition: RasDefinition, rawPoints: number, modifierPercent: number, pricePence: number) {
  const belowThreshold = rawPoints < definition.minimumPoints;
  const pricedPence = belowThreshold ? 0 : priceAnnualPence(rawPoints, modifierPercent, pricePence);
  const raisedToFloor = !belowThreshold && definition.floorPence > 0 && pricedPence < definition.floorPence;
  return { belowThreshold, pricedPence, raisedToFloor, annualPence: raisedToFloor ? definition.floorPence : pricedPence };
}

/**
 * roundHalfUp(rawPoints * (100 + modifierPercent) * pricePence / 100). Float multiplication of
 * non-negative integers is exact while the true product is at most 2^53 - 1, and rounding is
 * monotonic, so a float result within that bound proves every step was exact; anything larger is
 * recomputed with BigInt.
 */
function priceAnnualPence(rawPoints: number, modifierPercent: number, pricePence: number): number {
  const numerator = rawPoints * (100 + modifierPercent) * pricePence;
  if (numerator <= Number.MAX_SAFE_INTEGER) return roundHalfUpSafe(numerator, 100);
  const exact = roundHalfUp(BigInt(rawPoints) * BigInt(100 + modifierPercent) * BigInt(pricePence), 100n);
  if (exact > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RasScoringError(`The budget (${exact} pence) is too large to calculate exactly`);
  }
  return Number(exact);
}

/**
 * DOMAIN.md rule 3. The floor belongs to the person pricing rule and is not applied (the band
 * gives "its amount, else 0"); the ceiling still flags a band amount for panel, because it is a
 * sign-off check on any RAS amount and rule 3 sets aside only adjustments and price points.
 */
function scoreCarer(compiled: CompiledRas, assessment: RasAnswers, explain: boolean): RasResult {
  const { definition } = compiled;
  const { clientGroup, answers } = assessment;
  if (clientGroup !== carerClientGroup && !isPricedClientGroup(clientGroup)) {
    throw new RasScoringError(`Unknown client group '${clientGroup}'`);
  }
  const { rawPoints, domainPoints } = sumPoints(compiled, answers);
  rejectUnexpectedAnswers(compiled, answers, compiled.questions.length);

  const band = carerBandFor(definition, rawPoints);
  const lowestBand = definition.carerBands[0];
  const belowThreshold = lowestBand === undefined || rawPoints < lowestBand.minPoints;
  const annualPence = band?.annualPence ?? 0;
  const result: RasResult = {
    rawPoints,
    domainPoints,
    modifierPercent: 0,
    annualPence,
    weeklyPence: roundHalfUpSafe(annualPence, WEEKS_A_YEAR),
    belowThreshold,
    exceedsCeiling: annualPence > definition.ceilingPence,
    explanation: [],
  };
  if (explain) result.explanation = explainCarer(compiled, result, band);
  return result;
}

function carerBandFor(definition: RasDefinition, rawPoints: number): CarerBand | undefined {
  return definition.carerBands.find((candidate) => candidate.minPoints <= rawPoints && rawPoints <= candidate.maxPoints);
}

/** numerator / denominator rounded to the nearest whole number, halves up; exact for any size. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n) {
    throw new RangeError('roundHalfUp needs a numerator of 0 or more and a denominator of 1 or more');
  }
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  return remainder * 2n >= denominator ? quotient + 1n : quotient;
}

/**
 * The same for safe integers, without BigInt. Never divides in floating point: numerator / 100
 * near 2^47 can round up past the next whole number, while % and a division that leaves no
 * remainder are exact.
 */
export function roundHalfUpSafe(numerator: number, denominator: number): number {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator < 0 || denominator <= 0) {
    throw new RangeError('roundHalfUpSafe needs safe integers: a numerator of 0 or more and a denominator of 1 or more');
  }
  const remainder = numerator % denominator;
  const quotient = (numerator - remainder) / denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

const groupPhrases: Readonly<Record<PricedClientGroup, string>> = {
  older_people: 'older people',
  learning_disability: 'people with a learning disability',
  physical_disability: 'people with a physical disability',
  mental_health: 'people with mental health needs',
  sensory_impairment: 'people with a sensory impairment',
};

const wholeNumbers = new Intl.NumberFormat('en-GB');

function count(amount: number, noun: string): string {
  return `${wholeNumbers.format(amount)} ${noun}${amount === 1 ? '' : 's'}`;
}

function signedPercent(percent: number): string {
  return `${percent > 0 ? '+' : ''}${percent}%`;
}

function scoreLine(compiled: CompiledRas, rawPoints: number): string {
  return `You scored ${count(rawPoints, 'point')} across ${count(compiled.definition.domains.length, 'area')} of need.`;
}

function closingLines(result: RasResult, ceilingPence: number): string[] {
  const lines: string[] = [];
  if (result.annualPence > 0) lines.push(`That is about ${formatPence(result.weeklyPence)} a week.`);
  if (result.exceedsCeiling) {
    lines.push(`This is above the council's RAS ceiling of ${formatPence(ceilingPence)}, so a panel will look at your support plan.`);
  }
  if (result.annualPence > 0) lines.push('This is an indicative amount to plan your support with; it is not yet final.');
  return lines;
}

interface PersonWorking {
  clientGroup: PricedClientGroup;
  pricePence: number;
  pricedPence: number;
  raisedToFloor: boolean;
  percentTotal: number;
  chosenAdjustments: ChosenAdjustment[];
}

function explainPerson(compiled: CompiledRas, result: RasResult, working: PersonWorking): string[] {
  const { definition } = compiled;
  const lines = [scoreLine(compiled, result.rawPoints)];
  if (result.belowThreshold) {
    lines.push(
      `The RAS gives an indicative budget from ${count(definition.minimumPoints, 'point')}, so it does not give you one (${formatPence(0)} a year).`,
    );
    return lines;
  }
  const changes = working.chosenAdjustments.filter((chosen) => chosen.percent !== 0);
  for (const { adjustment, optionKey, percent } of changes) {
    const label = adjustment.options.find((option) => option.key === optionKey)?.label ?? optionKey;
    lines.push(`You answered "${label}" to "${adjustment.text}", which changes the amount by ${signedPercent(percent)}.`);
  }
  if (working.percentTotal !== result.modifierPercent) {
    lines.push(
      `Together these changes come to ${signedPercent(working.percentTotal)}, but the RAS limits them to ${signedPercent(result.modifierPercent)}.`,
    );
  } else if (changes.length > 1) {
    lines.push(`Together these change the amount by ${signedPercent(result.modifierPercent)}.`);
  }
  lines.push(`Each point is worth ${formatPence(working.pricePence)} a year for ${groupPhrases[working.clientGroup]}.`);
  const factor = 100 + result.modifierPercent;
  const product = BigInt(result.rawPoints) * BigInt(factor) * BigInt(working.pricePence);
  const rounding = product % 100n === 0n ? '' : ', to the nearest penny';
  const percentPart = result.modifierPercent === 0 ? '' : ` x ${factor}%`;
  lines.push(
    `${count(result.rawPoints, 'point')} x ${formatPence(working.pricePence)}${percentPart} = ${formatPence(working.pricedPence)} a year${rounding}.`,
  );
  if (working.raisedToFloor) {
    lines.push(
      `This is less than the council's smallest indicative budget of ${formatPence(definition.floorPence)} a year, so your indicative budget is ${formatPence(definition.floorPence)} a year.`,
    );
  }
  lines.push(...closingLines(result, definition.ceilingPence));
  return lines;
}

function explainCarer(compiled: CompiledRas, result: RasResult, band: CarerBand | undefined): string[] {
  const { definition } = compiled;
  const lines = [scoreLine(compiled, result.rawPoints)];
  const lowestBand = definition.carerBands[0];
  if (band !== undefined) {
    const range =
      band.maxPoints >= compiled.highestScore
        ? `${count(band.minPoints, 'point')} or more`
        : `${wholeNumbers.format(band.minPoints)} to ${count(band.maxPoints, 'point')}`;
    lines.push(`Carers with ${range} get ${formatPence(band.annualPence)} a year.`);
  } else if (lowestBand === undefined) {
    lines.push('This RAS has no carer bands, so it does not give carers an amount.');
  } else if (result.belowThreshold) {
    lines.push(`The RAS gives carers an amount from ${count(lowestBand.minPoints, 'point')}, so it does not give you one.`);
  } else {
    lines.push(`No carer band covers ${count(result.rawPoints, 'point')}, so the RAS does not give you an amount.`);
  }
  lines.push(...closingLines(result, definition.ceilingPence));
  return lines;
}
