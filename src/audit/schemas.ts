import { z } from 'zod';
import { dateInput, withoutControlCharacters } from '../web/form-fields.js';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalDate = (label: string) =>
  z.preprocess(
    (value) => (value && typeof value === 'object' && Object.values(value).every((part) => !String(part ?? '').trim()) ? undefined : value),
    dateInput(label).optional(),
  );

export const auditSearchSchema = z
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
    from: optionalDate('the from date'),
    to: optionalDate('the to date'),
    page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
  })
  .refine((search) => !search.from || !search.to || search.from <= search.to, {
    message: 'The to date must be the same as or after the from date',
    path: ['to'],
  });
export type AuditSearchInput = z.output<typeof auditSearchSchema>;
