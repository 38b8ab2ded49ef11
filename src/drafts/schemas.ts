import { z } from 'zod';

/** The long forms that keep a draft, as the form_drafts table names them. */
export const draftForms = ['review', 'plan_details', 'case_note'] as const;
export type DraftForm = (typeof draftForms)[number];

/** How much typed text one draft or kept form may hold, as JSON: far more than the longest review, far less than a flood. */
export const typedFieldsMaxBytes = 100_000;

// A posted form is text boxes, checkboxes (several values under one name) and GOV.UK date inputs
// (day, month and year under one name); nothing deeper.
const fieldValue = z.union([
  z.string().max(20_000),
  z.array(z.string().max(20_000)).max(100),
  z.record(z.string().max(20), z.string().max(100)),
]);

/**
 * What was typed, checked for shape and size only: a draft may be unfinished or wrong, and is
 * checked properly when the form is saved.
 */
export const typedFieldsSchema = z
  .record(z.string().max(100), fieldValue)
  .refine((fields) => Object.keys(fields).length <= 500, 'There are too many fields to keep')
  .refine((fields) => Buffer.byteLength(JSON.stringify(fields)) <= typedFieldsMaxBytes, 'There is too much text to keep as a draft');
export type TypedFields = z.output<typeof typedFieldsSchema>;

/** A posted body without what must never be stored: its CSRF token and anything that looks like a password. */
export function typedFieldsOf(body: unknown): z.ZodSafeParseResult<TypedFields> {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  return typedFieldsSchema.safeParse(
    Object.fromEntries(Object.entries(fields).filter(([name]) => name !== '_csrf' && !/password/i.test(name))),
  );
}

/** `?draft=continue` opens the form with the draft filled in; anything else offers it. */
export const draftQuerySchema = z.object({ draft: z.literal('continue').optional().catch(undefined) });
