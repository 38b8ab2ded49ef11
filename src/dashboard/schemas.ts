import { z } from 'zod';
import { versionField, withoutControlCharacters } from '../web/form-fields.js';

export const targetSchema = z.object({
  targetPercent: z
    .string({ error: 'Enter the target' })
    .trim()
    .check(withoutControlCharacters('the target'))
    .min(1, 'Enter the target')
    .regex(/^\d+(\.\d+)?%?$/, 'Enter the target as a number, like 70')
    .regex(/^\d+%?$/, 'Enter the target as a whole number, like 70')
    .transform((text) => Number(text.replace('%', '')))
    .refine((value) => value <= 100, 'The target must be 100% or less'),
  version: versionField,
});
export type TargetInput = z.output<typeof targetSchema>;
