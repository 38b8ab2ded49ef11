import { z } from 'zod';
import { capitalise, hasControlCharacter } from '../text.js';

/** Shared pieces of form schemas: every form reads text, choices and GOV.UK date inputs the same way. */

type TextOptions = { multiLine?: boolean };

function controlCharacterMessage(label: string): string {
  return `${capitalise(label)} must not include control characters`;
}

/** The check every text field runs, e.g. `z.string().trim().check(withoutControlCharacters('family name'))`. */
export function withoutControlCharacters(label: string, options: TextOptions = {}) {
  return z.refine<string>((text) => !hasControlCharacter(text, options), { error: controlCharacterMessage(label) });
}

function trimmedText(label: string, max: number, options: TextOptions, error?: string) {
  return z
    .string(error ? { error } : undefined)
    .trim()
    .check(withoutControlCharacters(label, options))
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`);
}

/** A one-line text input. */
export function requiredText(label: string, max = 100) {
  return trimmedText(label, max, {}, `Enter ${label}`).min(1, `Enter ${label}`);
}

export function optionalText(label: string, max = 500) {
  return trimmedText(label, max, {})
    .optional()
    .transform((value) => value ?? '');
}

/** A GOV.UK textarea: its tabs and line breaks are part of what was written. */
export function requiredTextarea(label: string, max = 3000) {
  return trimmedText(label, max, { multiLine: true }, `Enter ${label}`).min(1, `Enter ${label}`);
}

export function optionalTextarea(label: string, max = 3000) {
  return trimmedText(label, max, { multiLine: true })
    .optional()
    .transform((value) => value ?? '');
}

export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: message });
}

/** The largest PostgreSQL integer: a bigger id or version would fail the query rather than find nothing. */
const MAX_INTEGER = 2147483647;

export function positiveId(message: string) {
  return z.coerce.number({ error: message }).int(message).positive(message).max(MAX_INTEGER, message);
}

export const versionField = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().positive().max(MAX_INTEGER);

/**
 * 'YYYY-MM-DD' for a day that exists (not 30 February), or undefined. Years before 1900 are
 * refused too: every date this service records is later, and PostgreSQL has no year 0.
 */
export function realDate(year: string, month: string, day: string): string | undefined {
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day) || Number(year) < 1900) return undefined;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
}

const datePartsShape = z.object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() }).optional();

/**
 * A GOV.UK date input (name[day], name[month], name[year]) to 'YYYY-MM-DD', with the Design
 * System's wording for each way it can be wrong. `when` compares with today's London date.
 */
export function dateInput(label: string, options: { today?: string; when?: 'past' | 'not-future' | 'any' } = {}) {
  return datePartsShape.transform((parts, context) => {
    const day = parts?.day?.trim() ?? '';
    const month = parts?.month?.trim() ?? '';
    const year = parts?.year?.trim() ?? '';
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    if ([day, month, year].some((part) => hasControlCharacter(part))) return fail(controlCharacterMessage(label));
    if (!day && !month && !year) return fail(`Enter ${label}`);
    const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
    if (missing.length > 0) return fail(`${capitalise(label)} must include a ${missing.join(' and ')}`);
    const iso = realDate(year, month, day);
    if (!iso) return fail(`${capitalise(label)} must be a real date`);
    if (options.today && options.when === 'past' && iso >= options.today) return fail(`${capitalise(label)} must be in the past`);
    if (options.today && options.when === 'not-future' && iso > options.today) {
      return fail(`${capitalise(label)} must be today or in the past`);
    }
    return iso;
  });
}

/** Splits a stored 'YYYY-MM-DD' back into the three boxes of a date input. */
export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
