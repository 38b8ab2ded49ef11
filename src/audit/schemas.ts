import { z } from 'zod';
import { dateInput, withoutControlCharacters, yearsAround } from '../web/form-fields.js';
import { pageNumberSchema } from '../web/pagination.js';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalDate = (label: string, today: string) =>
  z.preprocess(
    (value) => (value && typeof value === 'object' && Object.values(value).every((part) => !String(part ?? '').trim()) ? undefined : value),
    // No trail is older than this century; a to date a little ahead is harmless.
    dateInput(label, { earliest: '2000-01-01', latest: yearsAround(today, 0, 1).latest }).optional(),
  );

export const auditSearchSchema = (today: string) =>
  z
    .object({
      person: z.preprocess(
        blankToUndefined,
        z
          .string()
          .trim()
          .check(withoutControlCharacters('council reference'))
          .max(20, 'Council reference must be 20 characters or fewer')
          .optional(),
      ),
      user: z.preprocess(
        blankToUndefined,
        z
          .string()
          .trim()
          .check(withoutControlCharacters('email address'))
          .max(254, 'Email address must be 254 characters or fewer')
          .optional(),
      ),
      from: optionalDate('the from date', today),
      to: optionalDate('the to date', today),
      page: pageNumberSchema,
    })
    .refine((search) => !search.from || !search.to || search.from <= search.to, {
      message: 'The to date must be the same as or after the from date',
      path: ['to'],
    });
export type AuditSearchInput = z.output<ReturnType<typeof auditSearchSchema>>;
