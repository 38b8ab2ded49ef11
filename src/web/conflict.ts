import type { Link } from './view-models.js';

/** A form's fields by name, with the label the form shows and, for choices, the words of each value. */
export type FieldLabels = Record<string, { label: string; choices?: Record<string, string> }>;

export type ConflictView = {
  heading: string;
  /** What is saved now beside what was typed; `savedNow` is left out where the page cannot show it. */
  rows: { label: string; savedNow?: string; typed: string }[];
  showsSavedNow: boolean;
  latest: Link;
};

/** A date input's three boxes as typed, "14/3/1938"; a list of choices as "a, b". */
function shown(value: unknown, choices?: Record<string, string>): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => shown(item, choices)).join(', ');
  if (typeof value === 'object') {
    const { day, month, year } = value as Record<string, unknown>;
    return [day, month, year].filter((part) => part !== undefined && part !== '').join('/');
  }
  const text = String(value);
  return choices?.[text] ?? text;
}

/**
 * The one 409 page: someone else saved first, so nothing was saved; what the user typed is shown
 * by each field's label (and, where the page knows it, what is saved now) so nothing is lost.
 */
export function conflictView(options: {
  recordName: string;
  fields: FieldLabels;
  typed: Record<string, unknown>;
  savedNow?: Record<string, unknown>;
  latest: Link;
}): ConflictView {
  const { fields, typed, savedNow } = options;
  return {
    heading: `Someone else changed ${options.recordName}`,
    showsSavedNow: savedNow !== undefined,
    rows: Object.entries(fields)
      .filter(([name]) => typed[name] !== undefined || savedNow?.[name] !== undefined)
      .map(([name, field]) => ({
        label: field.label,
        typed: shown(typed[name], field.choices),
        ...(savedNow ? { savedNow: shown(savedNow[name], field.choices) } : {}),
      })),
    latest: options.latest,
  };
}
