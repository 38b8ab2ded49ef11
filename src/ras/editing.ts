import type { ErrorSummaryItem, FormErrors } from '../web/validation.js';
import {
  clientGroups,
  type CarerBand,
  type ClientGroup,
  type Problem,
  type RasAdjustment,
  type RasDefinition,
  type RasQuestion,
} from './definition.js';

/**
 * The RAS editor's edits, as pure functions on a definition: the service loads the draft, applies
 * one of these in memory, and stores the result only if validateDefinition (the rules of
 * `ras validate`) finds no problem. Also maps those problems back to the fields of the form that
 * caused them, so each shows next to what the admin typed.
 */

/** validateDefinition found problems: nothing was stored. */
export class DefinitionProblemsError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`The RAS has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
}

/** A row of a form keeps the position it had on the page, so an error can point back at it after rows were removed or moved. */
export type OptionInput = { formIndex: number; key: string; label: string; value: number };
export type ItemInput = { formIndex: number; key: string; text: string; hint: string; options: OptionInput[] };
export type Direction = 'up' | 'down';
export type ListAction =
  | { kind: 'save' }
  | { kind: 'move-item'; item: number; direction: Direction }
  | { kind: 'move-option'; item: number; option: number; direction: Direction };

export type SettingsInput = {
  name: string;
  minimumPoints: number;
  floorPence: number;
  ceilingPence: number;
  /** A blank price is left out, so validateDefinition names the missing client group. */
  pricePoints: Partial<Record<ClientGroup, number>>;
  version: number;
};
/** `items` are in the order to store, after any move the admin asked for. */
export type DomainInput = { key: string; title: string; items: ItemInput[]; version: number };
export type AdjustmentsInput = { items: ItemInput[]; version: number };
export type CarerBandInput = { formIndex: number; minPoints: number; maxPoints: number; annualPence: number };
export type CarerBandsInput = { bands: CarerBandInput[]; version: number };

function moved<T>(list: T[], index: number, direction: Direction): T[] {
  const target = direction === 'up' ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= list.length) return list;
  const copy = [...list];
  [copy[index], copy[target]] = [copy[target] as T, copy[index] as T];
  return copy;
}

/** Moves a question (or adjustment) or one of its options; a move past either end changes nothing. */
export function applyListAction(items: ItemInput[], action: ListAction): ItemInput[] {
  if (action.kind === 'save') return items;
  const itemIndex = items.findIndex((item) => item.formIndex === action.item);
  if (action.kind === 'move-item') return moved(items, itemIndex, action.direction);
  const item = items[itemIndex];
  if (!item) return items;
  const optionIndex = item.options.findIndex((option) => option.formIndex === action.option);
  return items.map((candidate, index) =>
    index === itemIndex ? { ...item, options: moved(item.options, optionIndex, action.direction) } : candidate,
  );
}

function withHint(hint: string): { hint?: string } {
  return hint.trim() ? { hint: hint.trim() } : {};
}

export function questionsFrom(items: ItemInput[]): RasQuestion[] {
  return items.map((item) => ({
    key: item.key,
    text: item.text,
    ...withHint(item.hint),
    options: item.options.map((option) => ({ key: option.key, label: option.label, points: option.value })),
  }));
}

export function adjustmentsFrom(items: ItemInput[]): RasAdjustment[] {
  return items.map((item) => ({
    key: item.key,
    text: item.text,
    ...withHint(item.hint),
    options: item.options.map((option) => ({ key: option.key, label: option.label, percent: option.value })),
  }));
}

export function withSettings(definition: RasDefinition, input: SettingsInput): RasDefinition {
  return {
    ...definition,
    name: input.name,
    minimumPoints: input.minimumPoints,
    floorPence: input.floorPence,
    ceilingPence: input.ceilingPence,
    // Possibly incomplete: validateDefinition reports a missing client group by name.
    pricePoints: input.pricePoints as Record<ClientGroup, number>,
  };
}

/** Replaces the domain at `position`, or adds it at the end when `position` is the number of domains. */
export function withDomain(definition: RasDefinition, position: number, input: DomainInput): RasDefinition {
  const domains = [...definition.domains];
  domains[position] = { key: input.key, title: input.title, questions: questionsFrom(input.items) };
  return { ...definition, domains };
}

export function withDomainMoved(definition: RasDefinition, position: number, direction: Direction): RasDefinition {
  return { ...definition, domains: moved(definition.domains, position, direction) };
}

export function withoutDomain(definition: RasDefinition, position: number): RasDefinition {
  return { ...definition, domains: definition.domains.filter((_, index) => index !== position) };
}

export function withAdjustments(definition: RasDefinition, items: ItemInput[]): RasDefinition {
  return { ...definition, adjustments: adjustmentsFrom(items) };
}

export function withCarerBands(definition: RasDefinition, bands: CarerBandInput[]): RasDefinition {
  const carerBands: CarerBand[] = bands.map((band) => ({
    minPoints: band.minPoints,
    maxPoints: band.maxPoints,
    annualPence: band.annualPence,
  }));
  return { ...definition, carerBands };
}

/** "domains[2].questions[0].key" as ['domains', 2, 'questions', 0, 'key']. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

/** Where a problem shows on the page: a field id, or undefined when the page has no field for it. */
export type ProblemAnchor = (segments: (string | number)[]) => string | undefined;

/**
 * Every problem goes in the error summary (an admin fixing an import wants the whole list);
 * the first problem for a field also shows next to it. A problem this page has no field for
 * links to `fallbackAnchor`.
 */
export function formErrorsFromProblems(problems: Problem[], anchorOf: ProblemAnchor, fallbackAnchor: string): FormErrors {
  const fields: Record<string, string> = {};
  const summary: ErrorSummaryItem[] = [];
  for (const problem of problems) {
    const anchor = anchorOf(pathSegments(problem.path));
    if (anchor !== undefined && fields[anchor] === undefined) fields[anchor] = problem.message;
    summary.push({ text: problem.message, href: `#${anchor ?? fallbackAnchor}` });
  }
  return { summary, fields };
}

const settingsFields: Record<string, string> = {
  name: 'name',
  minimumPoints: 'minimumPoints',
  floorPence: 'floor',
  ceilingPence: 'ceiling',
};

export const settingsAnchor: ProblemAnchor = ([first, second]) => {
  if (first === 'pricePoints') {
    return typeof second === 'string' && (clientGroups as readonly string[]).includes(second)
      ? `price-${second}`
      : `price-${clientGroups[0]}`;
  }
  return typeof first === 'string' ? settingsFields[first] : undefined;
};

/**
 * Field ids of a list of questions (or adjustments) and their options: `questions-3-key`,
 * `questions-3-options-1-points`. `listPath` is where the list sits in the definition
 * (['domains', 2, 'questions'] or ['adjustments']); `items` is the list as validated, after
 * any move, so a problem's position finds the row the admin typed it in.
 */
export function listAnchor(
  listPath: (string | number)[],
  items: ItemInput[],
  prefix: string,
  valueName: 'points' | 'percent',
  ownFields: Record<string, string> = {},
): ProblemAnchor {
  return (segments) => {
    const matchesList = listPath.every((segment, index) => segments[index] === segment);
    const ownPathLength = listPath.length - 1;
    if (!matchesList) {
      // A problem with the domain itself (its key or title), one level above its questions.
      const owner = listPath.slice(0, ownPathLength);
      if (owner.length > 0 && owner.every((segment, index) => segments[index] === segment) && segments.length === ownPathLength + 1) {
        return ownFields[String(segments[ownPathLength])];
      }
      return undefined;
    }
    const rest = segments.slice(listPath.length);
    const firstItem = items[0]?.formIndex ?? 0;
    if (rest.length === 0) return `${prefix}-${firstItem}-key`;
    const item = items[Number(rest[0])];
    if (!item) return undefined;
    const itemId = `${prefix}-${item.formIndex}`;
    if (rest.length === 1) return `${itemId}-key`;
    if (rest[1] !== 'options') return `${itemId}-${String(rest[1])}`;
    const firstOption = item.options[0]?.formIndex ?? 0;
    if (rest.length === 2) return `${itemId}-options-${firstOption}-label`;
    const option = item.options[Number(rest[2])];
    if (!option) return undefined;
    const field = rest[3] === undefined ? 'key' : rest[3] === 'points' || rest[3] === 'percent' ? valueName : String(rest[3]);
    return `${itemId}-options-${option.formIndex}-${field}`;
  };
}

export function carerBandsAnchor(bands: CarerBandInput[]): ProblemAnchor {
  const fields: Record<string, string> = { minPoints: 'minPoints', maxPoints: 'maxPoints', annualPence: 'annual' };
  return ([first, index, field]) => {
    if (first !== 'carerBands') return undefined;
    const band = typeof index === 'number' ? bands[index] : bands[0];
    if (!band) return undefined;
    return `bands-${band.formIndex}-${typeof field === 'string' ? (fields[field] ?? 'minPoints') : 'minPoints'}`;
  };
}
