import { z } from 'zod';
import { estimators } from '../reports/calibration.js';
import { capitalise } from '../text.js';
import { choice, dateInput, versionField, withoutControlCharacters, yearsAround } from '../web/form-fields.js';
import { parsePoundsToPence } from '../web/money-field.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { pricedClientGroups, type PricedClientGroup, type RasDefinition } from './definition.js';
import { applyListAction, type CarerBandInput, type ItemInput, type ListAction, type OptionInput } from './editing.js';

/**
 * The RAS editor's forms. They only turn what was typed into numbers and lists; whether the
 * result is a valid RAS is decided by validateDefinition, the same rules as `ras validate`, so
 * the editor, an import and the command line can never disagree.
 *
 * Rows of questions, options and carer bands use flat field names (`questions-3-options-1-points`)
 * that double as the ids the error summary links to. A blank row is ignored: each list ends with
 * one, which is how an admin adds a row without JavaScript.
 */

type Body = Record<string, unknown>;
type Issues = z.core.$RefinementCtx;

/** Far more rows than any RAS has; a forged form cannot make the server build huge lists. */
const MAX_ROWS = 200;

function text(body: Body, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value.trim() : '';
}

function ticked(body: Body, key: string): boolean {
  const value = body[key];
  return value === 'yes' || (Array.isArray(value) && value.includes('yes'));
}

/** How many rows the form sent: one more than the highest row number among the keys matching `pattern`. */
function rowCount(body: Body, pattern: RegExp): number {
  let count = 0;
  for (const key of Object.keys(body)) {
    const match = pattern.exec(key);
    const index = match ? Number(match[1]) : -1;
    if (index >= 0 && index < MAX_ROWS) count = Math.max(count, index + 1);
  }
  return count;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const WHOLE_NUMBER = /^-?\d{1,15}$/;

function addIssue(issues: Issues, field: string, message: string): void {
  issues.addIssue({ code: 'custom', path: [field], message });
}

function wholeNumber(issues: Issues, field: string, typed: string, label: string, example: string): number {
  if (!typed) {
    addIssue(issues, field, `Enter ${label}`);
    return 0;
  }
  // A minus sign pasted from a word processor is still a minus sign.
  const normalised = typed.replace(/^[\u2212\u2013]/, '-');
  if (!WHOLE_NUMBER.test(normalised)) {
    addIssue(issues, field, `${capitalise(label)} must be a whole number, like ${example}`);
    return 0;
  }
  return Number(normalised);
}

function money(issues: Issues, field: string, typed: string, label: string, example: string): number | undefined {
  if (!typed) return undefined;
  const pence = parsePoundsToPence(typed);
  if (pence === undefined) addIssue(issues, field, `Enter ${label} in pounds and pence, like ${example}`);
  return pence;
}

/* ---------- Questions (or adjustments) with their options ---------- */

export type ValueName = 'points' | 'percent';
export type TypedOption = { key: string; label: string; value: string; remove: boolean };
export type TypedItem = { key: string; text: string; hint: string; remove: boolean; options: TypedOption[] };

/** What was typed, row by row at its place on the page, to show the form again exactly as it was. */
export function typedItemsFrom(body: Body, prefix: string, valueName: ValueName): TypedItem[] {
  const p = escapeRegExp(prefix);
  const itemCount = rowCount(body, new RegExp(`^${p}-(\\d+)-`));
  return Array.from({ length: itemCount }, (_, i) => {
    const optionCount = rowCount(body, new RegExp(`^${p}-${i}-options-(\\d+)-`));
    return {
      key: text(body, `${prefix}-${i}-key`),
      text: text(body, `${prefix}-${i}-text`),
      hint: text(body, `${prefix}-${i}-hint`),
      remove: ticked(body, `${prefix}-${i}-remove`),
      options: Array.from({ length: optionCount }, (_unused, j) => ({
        key: text(body, `${prefix}-${i}-options-${j}-key`),
        label: text(body, `${prefix}-${i}-options-${j}-label`),
        value: text(body, `${prefix}-${i}-options-${j}-${valueName}`),
        remove: ticked(body, `${prefix}-${i}-options-${j}-remove`),
      })),
    };
  });
}

/** A stored list as the form shows it. */
export function typedItemsOf(
  items: { key: string; text: string; hint?: string; options: { key: string; label: string; points?: number; percent?: number }[] }[],
): TypedItem[] {
  return items.map((item) => ({
    key: item.key,
    text: item.text,
    hint: item.hint ?? '',
    remove: false,
    options: item.options.map((option) => ({
      key: option.key,
      label: option.label,
      value: String(option.points ?? option.percent ?? ''),
      remove: false,
    })),
  }));
}

const blankOption = (option: TypedOption) => !option.key && !option.label && !option.value;
const blankItem = (item: TypedItem) => !item.key && !item.text && !item.hint && item.options.every(blankOption);

function parseItems(body: Body, issues: Issues, prefix: string, valueName: ValueName, noun: string): ItemInput[] {
  const example = valueName === 'points' ? '6' : '-10';
  const items: ItemInput[] = [];
  typedItemsFrom(body, prefix, valueName).forEach((item, i) => {
    if (item.remove || blankItem(item)) return;
    const options: OptionInput[] = [];
    item.options.forEach((option, j) => {
      if (option.remove || blankOption(option)) return;
      const owner = item.key ? `${noun} '${item.key}'` : `${noun} ${i + 1}`;
      const name = option.key ? `option '${option.key}' of ${owner}` : `option ${j + 1} of ${owner}`;
      const field = `${prefix}-${i}-options-${j}-${valueName}`;
      const value = wholeNumber(issues, field, option.value, `the ${valueName} for ${name}`, example);
      options.push({ formIndex: j, key: option.key, label: option.label, value });
    });
    items.push({ formIndex: i, key: item.key, text: item.text, hint: item.hint, options });
  });
  return items;
}

function parseAction(value: unknown): ListAction {
  const action = typeof value === 'string' ? value : '';
  const item = /^item-(up|down)-(\d{1,3})$/.exec(action);
  if (item) return { kind: 'move-item', direction: item[1] as 'up' | 'down', item: Number(item[2]) };
  const option = /^option-(up|down)-(\d{1,3})-(\d{1,3})$/.exec(action);
  if (option) return { kind: 'move-option', direction: option[1] as 'up' | 'down', item: Number(option[2]), option: Number(option[3]) };
  return { kind: 'save' };
}

/** The rows in the order to store them: a move button saves what was typed and moves one row. */
function itemsAndAction(
  body: Body,
  issues: Issues,
  prefix: string,
  valueName: ValueName,
  noun: string,
): { items: ItemInput[]; action: ListAction } {
  const action = parseAction(body.action);
  return { items: applyListAction(parseItems(body, issues, prefix, valueName, noun), action), action };
}

const bodySchema = z.record(z.string(), z.unknown());

export const domainFormSchema = bodySchema.transform((body, issues) => {
  const version = versionField.safeParse(body.version);
  if (!version.success) addIssue(issues, 'form', 'The form is out of date: reload the page');
  return {
    key: text(body, 'key'),
    title: text(body, 'title'),
    ...itemsAndAction(body, issues, 'questions', 'points', 'question'),
    version: version.success ? version.data : 0,
  };
});

export const adjustmentsFormSchema = bodySchema.transform((body, issues) => {
  const version = versionField.safeParse(body.version);
  if (!version.success) addIssue(issues, 'form', 'The form is out of date: reload the page');
  return {
    ...itemsAndAction(body, issues, 'adjustments', 'percent', 'adjustment'),
    version: version.success ? version.data : 0,
  };
});

/* ---------- Settings and price points ---------- */

export type SettingsValues = Record<string, string>;

export function settingsValuesOf(definition: RasDefinition, version: number, penceForInput: (pence: number) => string): SettingsValues {
  return {
    name: definition.name,
    minimumPoints: String(definition.minimumPoints),
    floor: penceForInput(definition.floorPence),
    ceiling: penceForInput(definition.ceilingPence),
    ...Object.fromEntries(pricedClientGroups.map((group) => [`price-${group}`, penceForInput(definition.pricePoints[group])])),
    version: String(version),
  };
}

export const settingsFormSchema = bodySchema.transform((body, issues) => {
  const version = versionField.safeParse(body.version);
  if (!version.success) addIssue(issues, 'form', 'The form is out of date: reload the page');
  const minimumPoints = wholeNumber(issues, 'minimumPoints', text(body, 'minimumPoints'), 'the minimum points', '8');
  const floorText = text(body, 'floor');
  const ceilingText = text(body, 'ceiling');
  if (!floorText) addIssue(issues, 'floor', 'Enter the floor, or 0 for no floor');
  if (!ceilingText) addIssue(issues, 'ceiling', 'Enter the ceiling');
  const floorPence = money(issues, 'floor', floorText, 'the floor', '0 or 1,500.00') ?? 0;
  const ceilingPence = money(issues, 'ceiling', ceilingText, 'the ceiling', '30,000.00') ?? 0;
  const pricePoints: Partial<Record<PricedClientGroup, number>> = {};
  for (const group of pricedClientGroups) {
    const pence = money(
      issues,
      `price-${group}`,
      text(body, `price-${group}`),
      `the price per point for ${clientGroupLabels[group].toLowerCase()}`,
      '110.00',
    );
    if (pence !== undefined) pricePoints[group] = pence;
  }
  return { name: text(body, 'name'), minimumPoints, floorPence, ceilingPence, pricePoints, version: version.success ? version.data : 0 };
});

/* ---------- Carer bands ---------- */

export type TypedBand = { minPoints: string; maxPoints: string; annual: string; remove: boolean };

export function typedBandsFrom(body: Body): TypedBand[] {
  return Array.from({ length: rowCount(body, /^bands-(\d+)-/) }, (_, i) => ({
    minPoints: text(body, `bands-${i}-minPoints`),
    maxPoints: text(body, `bands-${i}-maxPoints`),
    annual: text(body, `bands-${i}-annual`),
    remove: ticked(body, `bands-${i}-remove`),
  }));
}

export const carerBandsFormSchema = bodySchema.transform((body, issues) => {
  const version = versionField.safeParse(body.version);
  if (!version.success) addIssue(issues, 'form', 'The form is out of date: reload the page');
  const bands: CarerBandInput[] = [];
  typedBandsFrom(body).forEach((band, i) => {
    if (band.remove || (!band.minPoints && !band.maxPoints && !band.annual)) return;
    const name = `carer band ${i + 1}`;
    const minPoints = wholeNumber(issues, `bands-${i}-minPoints`, band.minPoints, `the lowest points of ${name}`, '25');
    const maxPoints = wholeNumber(issues, `bands-${i}-maxPoints`, band.maxPoints, `the highest points of ${name}`, '44');
    if (!band.annual) addIssue(issues, `bands-${i}-annual`, `Enter the yearly amount of ${name}`);
    const annualPence = money(issues, `bands-${i}-annual`, band.annual, `the yearly amount of ${name}`, '500.00') ?? 0;
    bands.push({ formIndex: i, minPoints, maxPoints, annualPence });
  });
  return { bands, version: version.success ? version.data : 0 };
});

/* ---------- Import, publish, small actions ---------- */

export const importFormSchema = z.object({
  definition: z
    .string({ error: 'Paste the RAS definition' })
    .trim()
    .check(withoutControlCharacters('the RAS definition', { multiLine: true }))
    .min(1, 'Paste the RAS definition')
    .transform((value, issues) => {
      try {
        // A byte order mark from a Windows editor is not JSON but is not the admin's mistake either.
        return JSON.parse(value.replace(/^\uFEFF/, '')) as unknown;
      } catch (error) {
        issues.addIssue({
          code: 'custom',
          message: `The RAS definition is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    }),
});

export function publishFormSchema(today: string) {
  return z.object({ effectiveFrom: dateInput('the date this version takes effect', yearsAround(today, 2, 2)), version: versionField });
}
export const publishFieldAnchors = { effectiveFrom: 'effectiveFrom-day' };

export const moveFormSchema = z.object({ direction: choice(['up', 'down'] as const, 'Choose up or down'), version: versionField });
export const versionFormSchema = z.object({ version: versionField });
export const calibratedDraftSchema = z.object({ estimator: choice(estimators, 'Select how to work out the new price points') });

/* ---------- Blank rows: how rows are added without JavaScript ---------- */

const newOptionRow = (): TypedOption => ({ key: '', label: '', value: '', remove: false });
/** Options a new question starts with: the default RAS has five answers to each question. */
const NEW_ITEM_OPTION_ROWS = 5;

/** Each question gets one blank option row, and the list ends with a blank question, unless what was typed already ends so. */
export function withBlankRows(items: TypedItem[]): TypedItem[] {
  const padded = items.map((item) => {
    const last = item.options.at(-1);
    return last && blankOption(last) ? item : { ...item, options: [...item.options, newOptionRow()] };
  });
  const lastItem = padded.at(-1);
  if (!lastItem || !blankItem(lastItem)) {
    padded.push({ key: '', text: '', hint: '', remove: false, options: Array.from({ length: NEW_ITEM_OPTION_ROWS }, newOptionRow) });
  }
  return padded;
}

export function withBlankBand(bands: TypedBand[]): TypedBand[] {
  const last = bands.at(-1);
  return last && !last.minPoints && !last.maxPoints && !last.annual
    ? bands
    : [...bands, { minPoints: '', maxPoints: '', annual: '', remove: false }];
}
