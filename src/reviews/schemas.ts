import { z } from 'zod';
import { endDateRange, endNoteField, endReasonField } from '../finance/ending-schemas.js';
import {
  choice,
  dateInput,
  optionalTextarea,
  positiveId,
  requiredTextarea,
  versionField,
  yearsFromToday,
  yearsUpToToday,
} from '../web/form-fields.js';
import type { FormErrors } from '../web/validation.js';
import type { BudgetVariance, OutcomeFinding, OutcomeResult, ReviewDecision } from './repo.js';

export const outcomeResults = ['met', 'partly_met', 'not_met'] as const satisfies readonly OutcomeResult[];
export const budgetVariances = ['as_planned', 'underspend', 'overspend'] as const satisfies readonly BudgetVariance[];
export const reviewDecisions = ['continue', 'change_plan', 'reassess', 'end_budget'] as const satisfies readonly ReviewDecision[];

/** The names of one outcome's two fields: flat names, because the body parser would turn `outcomes[12]` into an array. */
export function outcomeFieldName(outcomeId: number, part: 'result' | 'comment'): string {
  return `outcome-${outcomeId}-${part}`;
}

type ReviewFormOptions = { outcomes: { id: number }[]; hasDirectPayment: boolean; today: string };

/** The fields of the review form in the order the page shows them, so the error summary reads down the page. */
export function reviewFieldOrder(options: Pick<ReviewFormOptions, 'outcomes'>): string[] {
  return [
    ...options.outcomes.flatMap((outcome) => [outcomeFieldName(outcome.id, 'result'), outcomeFieldName(outcome.id, 'comment')]),
    'budgetUse',
    'budgetVariance',
    'personView',
    'reviewDate',
    'decision',
    'endDate',
    'endReason',
    'endNote',
    'form',
  ];
}

export const reviewFieldAnchors = { reviewDate: 'reviewDate-day', endDate: 'endDate-day', dueDate: 'dueDate-day' };

/** Puts the summary in page order; the cross-field rules are checked after the single fields, so they would come last. */
export function inPageOrder(errors: FormErrors, order: string[], anchors: Record<string, string> = reviewFieldAnchors): FormErrors {
  const hrefs = order.map((field) => `#${anchors[field] ?? field}`);
  const position = (href: string) => {
    const index = hrefs.indexOf(href);
    return index === -1 ? hrefs.length : index;
  };
  return { fields: errors.fields, summary: [...errors.summary].sort((a, b) => position(a.href) - position(b.href)) };
}

/**
 * The review form for one plan's outcomes. A comment is needed for an outcome that is only
 * partly met or not met (that is what the next plan works from); a budget with a direct payment
 * says whether it was under- or overspent; ending the budget needs a date and one of the reasons
 * the "End this budget" page offers, with a note if the reason needs one.
 */
export function completeReviewSchema(options: ReviewFormOptions) {
  const outcomeShape: Record<string, z.ZodType> = {};
  options.outcomes.forEach((outcome, index) => {
    outcomeShape[outcomeFieldName(outcome.id, 'result')] = choice(
      outcomeResults,
      `Select whether outcome ${index + 1} is met, partly met or not met`,
    );
    outcomeShape[outcomeFieldName(outcome.id, 'comment')] = optionalTextarea(`the comment on outcome ${index + 1}`);
  });
  const endDate = dateInput('the date the budget ends', endDateRange(options.today));
  return z
    .object({
      ...outcomeShape,
      budgetUse: requiredTextarea('how the personal budget has been used'),
      budgetVariance: options.hasDirectPayment
        ? choice(budgetVariances, 'Select whether the direct payment was underspent, overspent or used as planned')
        : z
            .unknown()
            .optional()
            .transform(() => null),
      personView: requiredTextarea('the person’s own view of their support'),
      reviewDate: dateInput('the review date', yearsUpToToday(options.today, 2)),
      decision: choice(reviewDecisions, 'Select what happens next'),
      endDate: z.unknown().optional(),
      endReason: z.unknown().optional(),
      endNote: z.unknown().optional(),
      version: versionField,
    })
    .superRefine(
      (form, context) => {
        // Runs even when other fields are wrong, so every problem on the page is shown at once.
        const values = form as Record<string, unknown>;
        options.outcomes.forEach((outcome, index) => {
          const result = values[outcomeFieldName(outcome.id, 'result')];
          const comment = values[outcomeFieldName(outcome.id, 'comment')];
          if ((result === 'partly_met' || result === 'not_met') && !(typeof comment === 'string' && comment.trim())) {
            const how = result === 'partly_met' ? 'only partly met' : 'not met';
            context.addIssue({
              code: 'custom',
              path: [outcomeFieldName(outcome.id, 'comment')],
              message: `Say why outcome ${index + 1} is ${how}`,
            });
          }
        });
        if (values.decision !== 'end_budget') return;
        const date = endDate.safeParse(values.endDate);
        if (!date.success)
          context.addIssue({
            code: 'custom',
            path: ['endDate'],
            message: date.error.issues[0]?.message ?? 'Enter the date the budget ends',
          });
        const reason = endReasonField.safeParse(values.endReason);
        if (!reason.success)
          context.addIssue({
            code: 'custom',
            path: ['endReason'],
            message: reason.error.issues[0]?.message ?? 'Select why the personal budget is ending',
          });
        const note = endNoteField.safeParse(values.endNote);
        if (!note.success)
          context.addIssue({
            code: 'custom',
            path: ['endNote'],
            message: note.error.issues[0]?.message ?? 'Check the note about why it is ending',
          });
      },
      { when: () => true },
    )
    .transform((form) => {
      const values = form as Record<string, unknown>;
      const ending = form.decision === 'end_budget';
      return {
        findings: options.outcomes.map((outcome): Omit<OutcomeFinding, 'description'> => ({
          outcomeId: outcome.id,
          result: values[outcomeFieldName(outcome.id, 'result')] as OutcomeFinding['result'],
          comment: values[outcomeFieldName(outcome.id, 'comment')] as string,
        })),
        budgetUse: form.budgetUse,
        budgetVariance: form.budgetVariance as BudgetVariance | null,
        personView: form.personView,
        reviewDate: form.reviewDate,
        decision: form.decision,
        ending: ending
          ? {
              endDate: endDate.parse(form.endDate) as string,
              endReason: endReasonField.parse(form.endReason),
              endNote: endNoteField.parse(form.endNote),
            }
          : null,
        version: form.version,
      };
    });
}
export type CompleteReviewInput = z.output<ReturnType<typeof completeReviewSchema>>;

export function unplannedReviewSchema(today: string) {
  return z.object({
    dueDate: dateInput('the date the review is due', yearsFromToday(today, 2)),
    reason: requiredTextarea('why the review is needed', 1000),
  });
}
export type UnplannedReviewInput = z.output<ReturnType<typeof unplannedReviewSchema>>;

export const reassignSchema = z.object({
  assignedTo: positiveId('Select who will do the review'),
  version: versionField,
});
export type ReassignInput = z.output<typeof reassignSchema>;
