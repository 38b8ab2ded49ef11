import { z } from 'zod';
import { choice, dateInput, optionalTextarea, versionField, yearsAround, type DateRange } from '../web/form-fields.js';
import { chosenEndReasons } from './ending-reasons.js';

/** The reason radios, the same on the "End this budget" page and a review that ends the budget. */
export const endReasonField = choice(chosenEndReasons, 'Select why the personal budget is ending');

/** The note under the reason: short, because the reason itself is the record a report counts. */
export const endNoteField = optionalTextarea('the note about why it is ending', 500);

/** The last day of a budget: it may be in the past, when the council hears late, or planned ahead. */
export const endDateRange = (today: string): DateRange => yearsAround(today, 2, 2);

/** Ending a budget: its last day (which may be in the future), why, and a note if the reason needs one. */
export const endBudgetSchema = (today: string) =>
  z.object({
    endDate: dateInput('the date the budget ends', endDateRange(today)),
    endReason: endReasonField,
    endNote: endNoteField,
    version: versionField,
  });
export type EndBudgetInput = z.output<ReturnType<typeof endBudgetSchema>>;

/** Anchors for the error summary: the date input's day box, and the budget itself when it has already ended. */
export const endBudgetFieldAnchors = { endDate: 'endDate-day', budget: 'budget' };
