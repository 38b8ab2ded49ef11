import {
  type CarerBand,
  type PricedClientGroup,
  type Problem,
  type RasAdjustment,
  type RasDefinition,
  type RasQuestion,
} from './definition.js';

/**
 * The RAS editor's edits, as pure functions on a definition: the service loads the draft, applies
 * one of these in memory, and stores the result only if validateDefinition (the rules of
 * `ras validate`) finds no problem. The problems come back with their place in the definition;
 * the presenter points each at the field of the form that caused it.
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
  pricePoints: Partial<Record<PricedClientGroup, number>>;
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
    pricePoints: input.pricePoints as Record<PricedClientGroup, number>,
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
