import { z } from 'zod';
import { choice, dateInput, optionalTextarea, versionField } from '../web/form-fields.js';
import { chosenEndReasons } from './ending-reasons.js';

/** The reason radios, the same on the "End this budget" page and a review that ends the budget. */
export const endReasonField = choice(chosenEndReasons, 'Select why the personal budget is ending');

/** The note under the reason: short, because the reason itself is the record a report counts. */
export const endNoteField = optionalTextarea('the note about why it is ending', 500);

/** Ending a budget: its last day (which may be in the future), why, and a note if the reason needs one. */
export const endBudgetSchema = z.object({
  endDate: dateInput('the date the budget ends'),
  endReason: endReasonField,
  endNote: endNoteField,
  version: versionField,
});
export type EndBudgetInput = z.output<typeof endBudgetSchema>;

/** Anchors for the error summary: the date input's day box, and the budget itself when it has already ended. */
export const endBudgetFieldAnchors = { endDate: 'endDate-day', budget: 'budget' };
