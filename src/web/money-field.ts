import { z } from 'zod';
import { capitalise } from '../text.js';
import { withoutControlCharacters } from './form-fields.js';

// "21.50", "£21.50", "21.5", "1,250" and "£1,250.00" are all money a person might type.
const MONEY = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Pounds as typed to integer pence, by string arithmetic so no float ever rounds a penny. */
export function parsePoundsToPence(text: string): number | undefined {
  const match = MONEY.exec(text.trim());
  if (!match) return undefined;
  const pounds = (match[1] ?? '').replaceAll(',', '');
  const pence = (match[2] ?? '').padEnd(2, '0');
  const total = Number(pounds) * 100 + Number(pence || '0');
  return Number.isSafeInteger(total) ? total : undefined;
}

export function moneyField(label: string, options: { max?: number } = {}) {
  const max = options.max ?? 100_000_000_00;
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .check(withoutControlCharacters(label))
    .min(1, `Enter ${label}`)
    .transform((text, context) => {
      const pence = parsePoundsToPence(text);
      if (pence === undefined) {
        context.addIssue({ code: 'custom', message: `Enter ${label} in pounds and pence, like 21.50 or £21.50` });
        return z.NEVER;
      }
      if (pence > max) {
        context.addIssue({
          code: 'custom',
          message: `${capitalise(label)} must be £${(max / 100).toLocaleString('en-GB')} or less`,
        });
        return z.NEVER;
      }
      return pence;
    });
}

/** Pence back to what a person would type in a money box: "21.50". */
export function penceForInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return `${Math.trunc(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}
