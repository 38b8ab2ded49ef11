import { z } from 'zod';
import { addCalendarDays, writtenCalendarDate } from '../calendar.js';
import { capitalise, hasControlCharacter, hasDirectionControl, isOnlyInvisible } from '../text.js';

/** Shared pieces of form schemas: every form reads text, choices and GOV.UK date inputs the same way. */

type TextOptions = { multiLine?: boolean };

function controlCharacterMessage(label: string): string {
  return `${capitalise(label)} must not include control characters`;
}

/** What is wrong with typed text that would be stored differently from how it reads, if anything. */
function unreadableTextMessage(label: string, text: string, options: TextOptions = {}): string | undefined {
  if (hasControlCharacter(text, options)) return controlCharacterMessage(label);
  if (hasDirectionControl(text)) return `${capitalise(label)} must not include characters that change the direction of the text`;
  if (isOnlyInvisible(text)) return `${capitalise(label)} must not be only invisible characters, such as zero-width spaces`;
  return undefined;
}

/**
 * The check every text field runs, e.g. `z.string().trim().check(withoutControlCharacters('family name'))`:
 * no control characters, no direction overrides, and not only invisible characters.
 */
export function withoutControlCharacters(label: string, options: TextOptions = {}) {
  return z.check<string>((payload) => {
    const message = unreadableTextMessage(label, payload.value, options);
    if (message) payload.issues.push({ code: 'custom', message, input: payload.value });
  });
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
 * 'YYYY-MM-DD' for a day that exists (not 30 February), or undefined. Year 0 does not exist in
 * PostgreSQL; how far back or ahead a date may be is each field's own range.
 */
export function realDate(year: string, month: string, day: string): string | undefined {
  if (!/^\d{4}$/.test(year) || !/^\d{1,2}$/.test(month) || !/^\d{1,2}$/.test(day) || Number(year) < 1) return undefined;
  const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : undefined;
}

/**
 * The first and last day a date field accepts. `when` says the end that is today the way the
 * Design System does: "must be in the past", "must be today or in the past", "must be today or
 * in the future".
 */
export type DateRange = { earliest: string; latest: string; when?: 'past' | 'not-future' | 'not-past' };

/** The same day `years` later (or earlier); 29 February becomes 28 February in other years. */
function yearsFrom(iso: string, years: number): string {
  const year = String(Number(iso.slice(0, 4)) + years).padStart(4, '0');
  return realDate(year, iso.slice(5, 7), iso.slice(8, 10)) ?? `${year}-02-28`;
}

/** From `before` years before today to `after` years after it: budgets, plans and reviews are about now. */
export function yearsAround(today: string, before: number, after: number): DateRange {
  return { earliest: yearsFrom(today, -before), latest: yearsFrom(today, after) };
}

/** Back to `earliest`, up to yesterday ('past') or today ('not-future'). */
export function upToToday(today: string, when: 'past' | 'not-future', earliest: string): DateRange {
  return { earliest, latest: when === 'past' ? addCalendarDays(today, -1) : today, when };
}

/** From `years` ago up to today. */
export function yearsUpToToday(today: string, years: number): DateRange {
  return upToToday(today, 'not-future', yearsFrom(today, -years));
}

/** From today up to `years` ahead. */
export function yearsFromToday(today: string, years: number): DateRange {
  return { earliest: today, latest: yearsFrom(today, years), when: 'not-past' };
}

function outOfRangeMessage(label: string, range: DateRange, iso: string): string {
  const name = capitalise(label);
  const { earliest, latest, when } = range;
  if (iso > latest && when === 'past') return `${name} must be in the past`;
  if (iso > latest && when === 'not-future') return `${name} must be today or in the past`;
  if (iso > latest && when === 'not-past') return `${name} must be ${writtenCalendarDate(latest)} or earlier`;
  if (iso < earliest && when === 'not-past') return `${name} must be today or in the future`;
  if (iso < earliest && when) return `${name} must be ${writtenCalendarDate(earliest)} or later`;
  return `${name} must be between ${writtenCalendarDate(earliest)} and ${writtenCalendarDate(latest)}`;
}

const datePartsShape = z.object({ day: z.string().optional(), month: z.string().optional(), year: z.string().optional() }).optional();

/**
 * A GOV.UK date input (name[day], name[month], name[year]) to 'YYYY-MM-DD', with the Design
 * System's wording for each way it can be wrong. Every date field has a range, and its message
 * says what the range is, so 1 January 1900 is not taken for a budget's start.
 */
export function dateInput(label: string, range: DateRange) {
  return datePartsShape.transform((parts, context) => {
    const day = parts?.day?.trim() ?? '';
    const month = parts?.month?.trim() ?? '';
    const year = parts?.year?.trim() ?? '';
    const fail = (message: string) => {
      context.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    const unreadable = [day, month, year].map((part) => unreadableTextMessage(label, part)).find(Boolean);
    if (unreadable) return fail(unreadable);
    if (!day && !month && !year) return fail(`Enter ${label}`);
    const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
    if (missing.length > 0) return fail(`${capitalise(label)} must include a ${missing.join(' and ')}`);
    const iso = realDate(year, month, day);
    if (!iso) return fail(`${capitalise(label)} must be a real date`);
    if (iso < range.earliest || iso > range.latest) return fail(outOfRangeMessage(label, range, iso));
    return iso;
  });
}

/** Splits a stored 'YYYY-MM-DD' back into the three boxes of a date input. */
export function dateParts(iso: string | null | undefined): { day: string; month: string; year: string } {
  if (!iso) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

/** "14:30", "2:30pm", "9am", "noon" as 24-hour 'HH:MM', or undefined. */
export function timeOfDay(typed: string): string | undefined {
  const text = typed.trim().toLowerCase().replace(/\s+/g, '');
  if (text === 'noon' || text === 'midday') return '12:00';
  if (text === 'midnight') return '00:00';
  const match = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/.exec(text);
  if (!match) return undefined;
  const [, hourText = '', minuteText, period] = match;
  // "14" alone is not a time anyone writes; "2pm" and "14:00" are.
  if (minuteText === undefined && period === undefined) return undefined;
  let hour = Number(hourText);
  const minute = Number(minuteText ?? '0');
  if (minute > 59) return undefined;
  if (period) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (period === 'pm' ? 12 : 0);
  } else if (hour > 23) return undefined;
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** A time of day typed in one box, for a date input beside it: 24-hour 'HH:MM'. */
export function timeInput(label: string) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .check(withoutControlCharacters(label))
    .transform((typed, context) => {
      if (!typed) {
        context.addIssue({ code: 'custom', message: `Enter ${label}` });
        return z.NEVER;
      }
      const time = timeOfDay(typed);
      if (!time) {
        context.addIssue({ code: 'custom', message: `${capitalise(label)} must be a real time, like 14:30 or 2:30pm` });
        return z.NEVER;
      }
      return time;
    });
}
