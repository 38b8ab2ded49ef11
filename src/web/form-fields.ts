import { z } from 'zod';

/** Shared pieces of form schemas: every form reads text, choices and GOV.UK date inputs the same way. */

export function requiredText(label: string, max = 100) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`);
}

export function optionalText(label: string, max = 500) {
  return z
    .string()
    .trim()
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`)
    .optional()
    .transform((value) => value ?? '');
}

export function choice<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: message });
}

export function positiveId(message: string) {
  return z.coerce.number({ error: message }).int(message).positive(message);
}

export const versionField = z.coerce.number({ error: 'The form is out of date: reload the page' }).int().positive();

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
    if (!day && !month && !year) return fail(`Enter ${label}`);
    const missing = [!day && 'day', !month && 'month', !year && 'year'].filter(Boolean);
    if (missing.length > 0) return fail(`${capitalise(label)} must include a ${missing.join(' and ')}`);
    if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
      return fail(`${capitalise(label)} must be a real date`);
    }
    const iso = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    const date = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso || Number(year) < 1900) {
      return fail(`${capitalise(label)} must be a real date`);
    }
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
