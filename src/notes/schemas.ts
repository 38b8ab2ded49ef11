import { z } from 'zod';
import { londonTimeOf } from '../calendar.js';
import type { Clock } from '../clock.js';
import { londonToday } from '../clock.js';
import { choice, dateInput, optionalText, requiredTextarea, timeInput, versionField, yearsUpToToday } from '../web/form-fields.js';
import { pageNumberSchema } from '../web/pagination.js';
import { noteKinds } from './repo.js';
import { timelineKinds } from './timeline.js';

/** How far back a contact can be recorded: a letter found in an old file, not a typo in the year. */
const YEARS_BACK = 5;

export const noteFieldAnchors = { contactDate: 'contactDate-day' };

/** Whether a cross-field rule can be judged yet: none of the fields it reads is already wrong. */
function whenValid(...fields: string[]) {
  return (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => fields.includes(String(issue.path?.[0] ?? '')));
}

/**
 * A note or contact: what kind, when (a London date and time, not later than now), who took part
 * (everyone but the author of a plain note), and what happened.
 */
function noteFields(clock: Clock) {
  const today = londonToday(clock);
  return {
    today,
    fields: z.object({
      kind: choice(noteKinds, 'Select what kind of contact or note this is'),
      contactDate: dateInput('the date of the contact', yearsUpToToday(today, YEARS_BACK)),
      contactTime: timeInput('the time of the contact'),
      involved: optionalText('who was involved', 200),
      body: requiredTextarea('what happened', 10000),
    }),
  };
}

function withNoteRules<S extends z.ZodType<{ kind: string; contactDate: string; contactTime: string; involved: string }>>(
  schema: S,
  today: string,
  clock: Clock,
) {
  return schema
    .refine((note) => note.contactDate !== today || note.contactTime <= londonTimeOf(clock.now()), {
      path: ['contactTime'],
      message: 'The time of the contact must be now or in the past',
      when: whenValid('contactDate', 'contactTime'),
    })
    .refine((note) => note.kind === 'note' || note.involved !== '', {
      path: ['involved'],
      message: 'Enter who was involved',
      when: whenValid('kind', 'involved'),
    });
}

export function noteSchema(clock: Clock) {
  const { today, fields } = noteFields(clock);
  return withNoteRules(fields, today, clock);
}
export type NoteInput = z.output<ReturnType<typeof noteSchema>>;

export function correctionSchema(clock: Clock) {
  const { today, fields } = noteFields(clock);
  return withNoteRules(fields.extend({ version: versionField }), today, clock);
}
export type CorrectionInput = z.output<ReturnType<typeof correctionSchema>>;

/** ?kind= and ?page= of the full timeline; anything else is everything, from the first page. */
export const timelineQuerySchema = z.object({
  kind: z.enum(timelineKinds).catch('all'),
  page: pageNumberSchema,
});
