import { z } from 'zod';
import { clientGroupLabels } from '../people/client-groups.js';
import { capitalise, hasControlCharacter } from '../text.js';

/**
 * The client groups the RAS prices by the point: every client group a person can have
 * (src/people/client-groups.ts) except carers, who are priced by band.
 */
export const pricedClientGroups = [
  'older_people',
  'learning_disability',
  'physical_disability',
  'mental_health',
  'sensory_impairment',
] as const;

export type PricedClientGroup = (typeof pricedClientGroups)[number];

export function isPricedClientGroup(value: string): value is PricedClientGroup {
  return (pricedClientGroups as readonly string[]).includes(value);
}

/**
 * A carer's assessment may be recorded against the cared-for person's client group or against
 * "carer" itself. It has no price point: carers are priced by band.
 */
export const carerClientGroup = 'carer';

export const assessmentTypes = ['person', 'carer'] as const;

export type AssessmentType = (typeof assessmentTypes)[number];

export interface RasOption {
  key: string;
  label: string;
  points: number;
}

export interface RasQuestion {
  key: string;
  text: string;
  hint?: string;
  options: RasOption[];
}

export interface RasDomain {
  key: string;
  title: string;
  questions: RasQuestion[];
}

export interface AdjustmentOption {
  key: string;
  label: string;
  percent: number;
}

export interface RasAdjustment {
  key: string;
  text: string;
  hint?: string;
  options: AdjustmentOption[];
}

export interface CarerBand {
  minPoints: number;
  maxPoints: number;
  annualPence: number;
}

export interface RasDefinition {
  name: string;
  minimumPoints: number;
  floorPence: number;
  ceilingPence: number;
  /** Pence per point per year, one for every client group. */
  pricePoints: Record<PricedClientGroup, number>;
  domains: RasDomain[];
  adjustments: RasAdjustment[];
  carerBands: CarerBand[];
}

/**
 * Questions and adjustments share one answers map, so their keys (and domain and option keys,
 * for consistency) are used as object keys, form field names and in URLs. Starting with a letter
 * also rules out "__proto__".
 */
const keyPattern = /^[A-Za-z][A-Za-z0-9_-]*$/;
const keyRule = 'must start with a letter and contain only letters, digits, hyphens and underscores';

const key = z.string().regex(keyPattern, { error: keyRule });
// Wording is shown on one line, and stored where PostgreSQL refuses U+0000 (see hasControlCharacter).
const plainText = z.string().refine((text) => !hasControlCharacter(text), { error: 'must not include control characters' });
const wording = plainText.regex(/\S/, { error: 'must not be blank' });
const wholeNumber = z.number().int();
const points = wholeNumber.min(0);
const pence = wholeNumber.min(0);

const optionSchema = z.strictObject({ key, label: wording, points });
const questionSchema = z.strictObject({
  key,
  text: wording,
  hint: plainText.optional(),
  options: z.array(optionSchema),
});
const domainSchema = z.strictObject({ key, title: wording, questions: z.array(questionSchema) });
const adjustmentOptionSchema = z.strictObject({
  key,
  label: wording,
  percent: wholeNumber.min(-100).max(100),
});
const adjustmentSchema = z.strictObject({
  key,
  text: wording,
  hint: plainText.optional(),
  options: z.array(adjustmentOptionSchema),
});
const carerBandSchema = z.strictObject({ minPoints: points, maxPoints: points, annualPence: pence });
const pricePointSchema = wholeNumber.positive();

/**
 * Strict throughout: a RAS is typed or imported by an admin, and a misspelt field ("hnit") would
 * otherwise vanish silently on save.
 */
export const rasDefinitionSchema: z.ZodType<RasDefinition> = z.strictObject({
  name: wording,
  minimumPoints: points,
  floorPence: pence,
  ceilingPence: pence,
  pricePoints: z.strictObject({
    older_people: pricePointSchema,
    learning_disability: pricePointSchema,
    physical_disability: pricePointSchema,
    mental_health: pricePointSchema,
    sensory_impairment: pricePointSchema,
  }),
  domains: z.array(domainSchema),
  adjustments: z.array(adjustmentSchema),
  carerBands: z.array(carerBandSchema),
});

export interface RasAnswers {
  assessmentType: AssessmentType;
  /** A client group, or "carer" for a carer's assessment; checked when scoring. */
  clientGroup: string;
  /** Question and adjustment key to the chosen option key. */
  answers: Record<string, string>;
}

export const rasAnswersSchema: z.ZodType<RasAnswers> = z.strictObject({
  assessmentType: z.enum(assessmentTypes, { error: 'must be "person" or "carer"' }),
  clientGroup: z.string({ error: 'must be text' }),
  answers: z.record(z.string(), z.string({ error: 'must be an option key (text)' }), {
    error: 'must be a JSON object of question key to option key',
  }),
});

export interface Problem {
  /** Where the problem is, e.g. "domains[2].questions[0].options"; "" for the whole definition. */
  path: string;
  /** Plain English for the admin, naming the place by its key where it has one. */
  message: string;
}

export type DefinitionValidation = { ok: true; definition: RasDefinition } | { ok: false; problems: Problem[] };

/** Reports every problem at once, so an admin can fix an imported RAS in one pass. */
export function validateDefinition(input: unknown): DefinitionValidation {
  const parsed = rasDefinitionSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.flatMap((issue) => describeIssue(issue, input));
  problems.push(...findStructuralProblems(input));
  if (parsed.success && problems.length === 0) {
    problems.push(...findSizeProblems(parsed.data));
  }
  return parsed.success && problems.length === 0 ? { ok: true, definition: parsed.data } : { ok: false, problems };
}

type Path = readonly PropertyKey[];

export function formatPath(path: Path): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): Problem[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((unknownKey) => ({
      path: formatPath([...path, unknownKey]),
      message:
        path.length === 1 && path[0] === 'pricePoints'
          ? `Unknown client group '${unknownKey}' in the price points; the client groups are ${pricedClientGroups.join(', ')}`
          : `${capitalise(describePlace(path, input))} has a field '${unknownKey}' that a RAS does not use`,
    }));
  }
  const place = describePlace(path, input);
  const missing = issue.code === 'invalid_type' && valueAt(input, path) === undefined;
  if (missing && path.length === 2 && path[0] === 'pricePoints' && isPricedClientGroup(String(path[1]))) {
    return [{ path: formatPath(path), message: `There is no price point for ${groupPhrase(String(path[1]))}` }];
  }
  return [{ path: formatPath(path), message: `${capitalise(place)} ${missing ? 'is missing' : predicate(issue)}` }];
}

function predicate(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${expectedNoun(issue.expected)}`;
    case 'too_small':
      return issue.inclusive ? `must be ${String(issue.minimum)} or more` : `must be more than ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'int' ? 'is too large' : `must be ${String(issue.maximum)} or less`;
    default:
      return issue.message;
  }
}

function expectedNoun(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'string':
      return 'text';
    case 'array':
      return 'a list';
    default:
      return 'a JSON object';
  }
}

function groupPhrase(group: string): string {
  return isPricedClientGroup(group) ? clientGroupLabels[group].toLowerCase() : `'${group}'`;
}

const topLevelFields: Readonly<Record<string, string>> = {
  name: 'the RAS name',
  minimumPoints: 'the minimum number of points',
  floorPence: 'the floor',
  ceilingPence: 'the ceiling',
  pricePoints: 'the table of price points',
  domains: 'the list of domains',
  adjustments: 'the list of adjustments',
  carerBands: 'the list of carer bands',
};

const fieldNames: Readonly<Record<string, string>> = {
  key: 'the key of',
  title: 'the title of',
  text: 'the text of',
  hint: 'the hint of',
  label: 'the label of',
  points: 'the points for',
  percent: 'the percent for',
  options: 'the options of',
  questions: 'the questions of',
  minPoints: 'the lowest points of',
  maxPoints: 'the highest points of',
  annualPence: 'the yearly amount of',
};

/**
 * Names the place an admin would look for: "the points for option 'some_days' of question
 * 'eating'", falling back to positions ("question 2 of domain 'nutrition'") where there is no key.
 */
function describePlace(path: Path, input: unknown): string {
  const [first, second] = path;
  if (first === undefined) return 'the RAS definition';
  if (typeof first !== 'string' || !Object.hasOwn(topLevelFields, first)) return `'${String(first)}'`;
  if (path.length === 1) return topLevelFields[first] ?? first;
  if (first === 'pricePoints') return `the price point for ${groupPhrase(String(second))}`;

  let entity = '';
  // String segments followed by an index ("questions", 0) are lists: the index names the entity.
  for (let depth = 1; depth < path.length; depth++) {
    const segment = path[depth];
    if (typeof segment === 'number') {
      entity = nameEntity(path.slice(0, depth + 1), input, entity);
    } else if (typeof path[depth + 1] !== 'number') {
      const field = fieldNames[String(segment)] ?? `the field '${String(segment)}' of`;
      return `${field} ${entity}`;
    }
  }
  return entity;
}

function nameEntity(path: Path, input: unknown, parent: string): string {
  const index = Number(path[path.length - 1]);
  const container = path[path.length - 2];
  const entityKey = keyAt(input, path);
  switch (container) {
    case 'domains':
      return entityKey === undefined ? `domain ${index + 1}` : `domain '${entityKey}'`;
    case 'questions':
      return entityKey === undefined ? `question ${index + 1} of ${parent}` : `question '${entityKey}'`;
    case 'adjustments':
      return entityKey === undefined ? `adjustment ${index + 1}` : `adjustment '${entityKey}'`;
    case 'options':
      return entityKey === undefined ? `option ${index + 1} of ${parent}` : `option '${entityKey}' of ${parent}`;
    default:
      return `carer band ${index + 1}`;
  }
}

function valueAt(input: unknown, path: Path): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function keyAt(input: unknown, path: Path): string | undefined {
  const value = valueAt(input, [...path, 'key']);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Problems zod cannot see: duplicates, empty lists and carer band order. Runs on the raw input
 * even when its shape is wrong, skipping what it cannot read, so that every problem is reported
 * together with the shape errors.
 */
function findStructuralProblems(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const answerKeys = new Map<string, string>();
  const claimAnswerKey = (path: Path, owner: string): void => {
    const answerKey = keyAt(input, path);
    if (answerKey === undefined) return;
    const firstOwner = answerKeys.get(answerKey);
    if (firstOwner === undefined) {
      answerKeys.set(answerKey, owner);
    } else {
      problems.push({
        path: formatPath([...path, 'key']),
        message: `The key '${answerKey}' is used by ${firstOwner} and again by ${owner}; questions and adjustments share one set of answers, so each needs its own key`,
      });
    }
  };
  const checkOptions = (path: Path, owner: string): void => {
    const optionsPath = [...path, 'options'];
    const options = valueAt(input, optionsPath);
    if (Array.isArray(options) && options.length === 0) {
      problems.push({ path: formatPath(optionsPath), message: `${capitalise(owner)} has no options` });
    }
    findDuplicateKeys(input, optionsPath, asList(options).length, (optionKey, index) => ({
      path: formatPath([...optionsPath, index, 'key']),
      message: `${capitalise(owner)} has more than one option with the key '${optionKey}'`,
    })).forEach((problem) => problems.push(problem));
  };

  const domains = valueAt(input, ['domains']);
  if (Array.isArray(domains) && domains.length === 0) {
    problems.push({ path: 'domains', message: 'The RAS has no domains, so there is nothing to ask' });
  }
  problems.push(
    ...findDuplicateKeys(input, ['domains'], asList(domains).length, (domainKey, index) => ({
      path: formatPath(['domains', index, 'key']),
      message: `More than one domain has the key '${domainKey}'`,
    })),
  );
  asList(domains).forEach((_, domainIndex) => {
    const domainPath = ['domains', domainIndex];
    const domainName = describePlace(domainPath, input);
    const questions = valueAt(input, [...domainPath, 'questions']);
    if (Array.isArray(questions) && questions.length === 0) {
      problems.push({ path: formatPath([...domainPath, 'questions']), message: `${capitalise(domainName)} has no questions` });
    }
    asList(questions).forEach((_question, questionIndex) => {
      const questionPath = [...domainPath, 'questions', questionIndex];
      const questionName = describePlace(questionPath, input);
      const owner = keyAt(input, questionPath) === undefined ? questionName : `${questionName} in ${domainName}`;
      claimAnswerKey(questionPath, owner);
      checkOptions(questionPath, questionName);
    });
  });
  asList(valueAt(input, ['adjustments'])).forEach((_, adjustmentIndex) => {
    const adjustmentPath = ['adjustments', adjustmentIndex];
    const adjustmentName = describePlace(adjustmentPath, input);
    claimAnswerKey(adjustmentPath, adjustmentName);
    checkOptions(adjustmentPath, adjustmentName);
  });
  problems.push(...findCarerBandProblems(asList(valueAt(input, ['carerBands']))));
  return problems;
}

function findDuplicateKeys(
  input: unknown,
  listPath: Path,
  length: number,
  problemFor: (duplicateKey: string, index: number) => Problem,
): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (let index = 0; index < length; index++) {
    const itemKey = keyAt(input, [...listPath, index]);
    if (itemKey === undefined) continue;
    if (seen.has(itemKey)) problems.push(problemFor(itemKey, index));
    seen.add(itemKey);
  }
  return problems;
}

function findCarerBandProblems(bands: unknown[]): Problem[] {
  const problems: Problem[] = [];
  let previous: { number: number; minPoints: number; maxPoints: number } | undefined;
  bands.forEach((band, index) => {
    const minPoints = valueAt(band, ['minPoints']);
    const maxPoints = valueAt(band, ['maxPoints']);
    if (typeof minPoints !== 'number' || typeof maxPoints !== 'number') return;
    const current = { number: index + 1, minPoints, maxPoints };
    const path = formatPath(['carerBands', index]);
    if (minPoints > maxPoints) {
      problems.push({
        path,
        message: `Carer band ${current.number} starts at ${pointCount(minPoints)} but ends at ${pointCount(maxPoints)}; its lowest points must not be more than its highest`,
      });
    }
    if (previous !== undefined && minPoints <= previous.maxPoints) {
      problems.push({
        path,
        message:
          minPoints < previous.minPoints
            ? `Carer bands must be listed from the lowest points up, but carer band ${current.number} (${bandRange(current)}) comes after carer band ${previous.number} (${bandRange(previous)})`
            : `Carer band ${current.number} (${bandRange(current)}) overlaps carer band ${previous.number} (${bandRange(previous)})`,
      });
    }
    previous = current;
  });
  return problems;
}

function bandRange(band: { minPoints: number; maxPoints: number }): string {
  return `${band.minPoints} to ${pointCount(band.maxPoints)}`;
}

function pointCount(points: number): string {
  return `${points} point${points === 1 ? '' : 's'}`;
}

/**
 * Budgets are integer pence held in JavaScript numbers, exact only up to 2^53 - 1. Checking the
 * largest possible score and budget here means a valid RAS can never produce an inexact figure.
 */
function findSizeProblems(definition: RasDefinition): Problem[] {
  const largestSafe = BigInt(Number.MAX_SAFE_INTEGER);
  const highestScore = definition.domains
    .flatMap((domain) => domain.questions)
    .reduce((total, question) => total + BigInt(Math.max(0, ...question.options.map((option) => option.points))), 0n);
  if (highestScore > largestSafe) {
    return [{ path: 'domains', message: 'The highest possible score is too large to count exactly; lower the points' }];
  }
  const highestPrice = BigInt(Math.max(...pricedClientGroups.map((group) => definition.pricePoints[group])));
  const highestBudget = highestScore * 2n * highestPrice;
  if (highestBudget > largestSafe) {
    return [
      {
        path: 'pricePoints',
        message: 'The highest possible budget is too large to calculate exactly; lower the price points or the points',
      },
    ];
  }
  return [];
}
