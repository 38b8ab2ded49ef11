import { personHeading, personName } from '../people/presenters.js';
import { managementOptionLabels, managementOptions } from '../plans/options.js';
import { weeklyAndYearly } from '../plans/presenters.js';
import { formatPence } from '../money.js';
import type { Banner } from '../web/banner.js';
import { conflictView, type ConflictView, type FieldLabels } from '../web/conflict.js';
import { dateParts } from '../web/form-fields.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { SummaryRow } from '../web/view-models.js';
import { budgetEndReasonLabels, chosenEndReasons } from './ending-reasons.js';
import type { EndingOutcome, EndingPage } from './ending-service.js';
import type { PersonalBudget } from './repo.js';

export const endBudgetPath = (budget: Pick<PersonalBudget, 'id'>) => `/budgets/${budget.id}/end`;

/** The form's fields by the labels it shows: the form and the page that keeps what was typed both read them. */
export const endBudgetFieldLabels = {
  endDate: { label: 'When does the budget end?' },
  endReason: { label: 'Why is the budget ending?', choices: budgetEndReasonLabels },
  endNote: { label: 'Anything else about why it is ending (optional)' },
} satisfies FieldLabels;

/** The reason radios, for this page and for a review that ends the budget. */
export const endReasonItems = chosenEndReasons.map((reason) => ({ value: reason, text: budgetEndReasonLabels[reason] }));

/** Why the budget ended, in words: the reason chosen, else (for a budget ended before reasons were chosen) the words typed then. */
export function endReasonText(budget: Pick<PersonalBudget, 'endReason' | 'endNote'>): string {
  return budget.endReason ? budgetEndReasonLabels[budget.endReason] : budget.endNote;
}

function budgetRows(page: EndingPage): SummaryRow[] {
  const { budget, person } = page;
  const rows: SummaryRow[] = [
    { key: 'Person', link: { href: `/people/${person.id}`, text: `${personName(person)} (${person.reference})` } },
    { key: 'Personal budget', value: weeklyAndYearly(budget.weeklyPence, budget.annualPence) },
    { key: 'Started', value: formatDate(budget.startDate) },
    {
      key: 'How it is managed',
      lines: managementOptions
        .filter((option) => budget.split[option] > 0)
        .map((option) => `${managementOptionLabels[option]}: ${formatPence(budget.split[option])} a week`),
    },
  ];
  if (budget.endDate !== null) {
    rows.push({ key: 'Ended', value: `Last day ${formatDate(budget.endDate)}` }, { key: 'Why it ended', value: endReasonText(budget) });
    if (budget.endReason && budget.endNote) rows.push({ key: 'Note', value: budget.endNote });
    if (budget.endedAt) {
      rows.push({ key: 'Ended by', value: `${page.endedByName ?? 'Unknown'}, ${formatDateTime(budget.endedAt)}` });
    }
  }
  if (page.nextBudgetStart) rows.push({ key: 'Next personal budget starts', value: formatDate(page.nextBudgetStart) });
  return rows;
}

const cannotEndText = {
  wrong_role: 'Only a team manager of the person’s team or a finance officer can end a personal budget. You can see it but not end it.',
  already_ended: 'This personal budget has already ended, so it cannot be ended again.',
} as const;

export function endBudgetPageView(page: EndingPage, state: { values: Record<string, unknown>; errors: FormErrors }) {
  const person = personHeading(page.person);
  const { budget } = page;
  const values: Record<string, unknown> = { version: String(budget.version), ...state.values };
  const field = (name: keyof typeof endBudgetFieldLabels) => ({
    name,
    label: endBudgetFieldLabels[name].label,
    value: values[name],
    error: state.errors.fields[name],
  });
  const lastDay = 'The last day it pays for. It can be in the future.';
  return {
    title: `End the personal budget for ${person.name}`,
    person,
    backLink: `${person.href}#personal-budget`,
    errors: state.errors,
    budgetRows: budgetRows(page),
    cannotEnd: page.cannotEnd && cannotEndText[page.cannotEnd],
    form:
      page.cannotEnd === null
        ? {
            action: endBudgetPath(budget),
            version: values.version,
            endDate: {
              ...field('endDate'),
              hint: page.nextBudgetStart
                ? `${lastDay} It must be before ${formatDate(page.nextBudgetStart)}, when the next personal budget starts. For example, 31 7 2026`
                : `${lastDay} For example, 31 7 2026`,
            },
            endReason: { ...field('endReason'), items: endReasonItems },
            endNote: field('endNote'),
          }
        : null,
  };
}

/** Someone else ended the budget first: how they ended it, beside what this user typed. */
export function endBudgetConflictView(page: EndingPage, typed: Record<string, unknown>): ConflictView {
  const { budget } = page;
  return conflictView({
    recordName: `${personName(page.person)}’s personal budget`,
    fields: endBudgetFieldLabels,
    typed,
    savedNow:
      budget.endDate === null
        ? {}
        : { endDate: dateParts(budget.endDate), endReason: budget.endReason || undefined, endNote: budget.endNote || undefined },
    latest: { href: endBudgetPath(budget), text: 'See the budget as it is now' },
  });
}

export function budgetEndedBanner(outcome: EndingOutcome): Banner {
  return {
    heading: 'Personal budget ended',
    body: `Its last day is ${formatDate(outcome.endDate)}. Any reviews still scheduled for it have been cancelled.`,
  };
}
