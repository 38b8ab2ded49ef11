import type { z } from 'zod';

export type ErrorSummaryItem = { text: string; href: string };
export type FormErrors = { summary: ErrorSummaryItem[]; fields: Record<string, string> };

export const noErrors: FormErrors = { summary: [], fields: {} };

/**
 * Turns zod issues into the GOV.UK error summary and inline messages. The first issue for a
 * field wins, so each field shows one message. `anchors` maps a field to the id of the input
 * the summary link should focus (e.g. a date input's day box).
 */
export function formErrorsFrom(error: z.ZodError, anchors: Record<string, string> = {}): FormErrors {
  const fields: Record<string, string> = {};
  const summary: ErrorSummaryItem[] = [];
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form';
    if (fields[field]) continue;
    fields[field] = issue.message;
    summary.push({ text: issue.message, href: `#${anchors[field] ?? field.replaceAll('.', '-')}` });
  }
  return { summary, fields };
}

export function singleError(field: string, text: string, anchor = field): FormErrors {
  return { summary: [{ text, href: `#${anchor}` }], fields: { [field]: text } };
}

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown, anchors?: Record<string, string>): ParsedForm<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: formErrorsFrom(result.error, anchors) };
}
