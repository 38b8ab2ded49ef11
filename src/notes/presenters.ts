import type { DraftNoticeView } from '../drafts/presenters.js';
import type { SignedInUser } from '../auth/roles.js';
import { londonDateOf, londonTimeOf } from '../calendar.js';
import type { Paged } from '../db/paging.js';
import type { Person } from '../people/repo.js';
import { personHeading, personName } from '../people/presenters.js';
import { conflictView, type ConflictView, type FieldLabels } from '../web/conflict.js';
import { dateParts } from '../web/form-fields.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import type { FormErrors } from '../web/validation.js';
import { noteKinds, type CaseNote, type TimelineEntry } from './repo.js';
import { CORRECTION_HOURS } from './rules.js';
import { timelineKindLabels, timelineKinds, type TimelineKind } from './timeline.js';
import { noteKindLabels, timelineItems } from './timeline-presenters.js';

export const noteFieldLabels: FieldLabels = {
  kind: { label: 'What kind of contact or note is this?', choices: noteKindLabels },
  contactDate: { label: 'Date of the contact' },
  contactTime: { label: 'Time of the contact' },
  involved: { label: 'Who was involved' },
  body: { label: 'What happened' },
};

/** A saved note as the form shows it: its London date in three boxes and its time as 24-hour HH:MM. */
export function noteFormValues(note: CaseNote): Record<string, unknown> {
  return {
    kind: note.kind,
    contactDate: dateParts(londonDateOf(note.contactAt)),
    contactTime: londonTimeOf(note.contactAt),
    involved: note.involved,
    body: note.body,
    version: String(note.version),
  };
}

/** The form for a new note, or for its author's correction of one. */
export function noteFormView(options: {
  person: Person;
  note?: CaseNote;
  values: Record<string, unknown>;
  errors: FormErrors;
  /** A new note keeps a draft; a correction is short and has none. */
  draft?: { notice: DraftNoticeView | null; action: string };
}) {
  const person = personHeading(options.person);
  const { note } = options;
  return {
    title: note ? `Correct a note about ${person.name}` : `Record a note or contact for ${person.name}`,
    heading: note ? 'Correct a note' : 'Record a note or contact',
    intro: note
      ? `You can correct your own note for ${CORRECTION_HOURS} hours after writing it. What it said before is kept in the audit trail.`
      : null,
    person,
    action: note ? `/notes/${note.id}/edit` : `${person.href}/notes`,
    backLink: `${person.href}#what-has-happened`,
    saveText: note ? 'Save correction' : 'Save note',
    labels: noteFieldLabels,
    kindChoices: noteKinds.map((kind) => ({ value: kind, text: noteKindLabels[kind] })),
    values: options.values,
    errors: options.errors,
    draftNotice: options.draft?.notice ?? null,
    draftAction: options.draft?.action ?? null,
  };
}

/**
 * The author's own note changed since they opened the form (in another tab): what they typed
 * beside what is saved. A new note has nothing to be stale against, so it shows only what was typed.
 */
export function noteConflictView(typed: Record<string, unknown>, person: Person, note?: CaseNote): ConflictView {
  return conflictView({
    recordName: note ? `this note about ${personName(person)}` : `${personName(person)}’s notes`,
    fields: noteFieldLabels,
    typed,
    ...(note
      ? { savedNow: noteFormValues(note), latest: { href: `/notes/${note.id}/edit`, text: 'Correct the latest version' } }
      : { latest: { href: `/people/${person.id}/timeline?kind=notes`, text: 'See their notes' } }),
  });
}

/** Everything that has happened to a person, a page at a time, narrowed to one kind by a form that needs no JavaScript. */
export function timelinePageView(
  page: { person: Person; canAdd: boolean; now: Date; paged: Paged<TimelineEntry> },
  kind: TimelineKind,
  user: SignedInUser,
) {
  const person = personHeading(page.person);
  const path = `${person.href}/timeline`;
  const query = new URLSearchParams(kind === 'all' ? {} : { kind });
  const things = kind === 'notes' ? 'notes and contacts' : 'entries';
  return {
    title: `What has happened: ${person.name}`,
    person,
    action: path,
    kind,
    kindChoices: timelineKinds.map((value) => ({ value, text: timelineKindLabels[value] })),
    addLink: page.canAdd ? { href: `${person.href}/notes/new`, text: 'Record a note or contact' } : null,
    items: timelineItems(page.paged.rows, { user, now: page.now }),
    countText: rangeText(page.paged.page, things),
    label: `${timelineKindLabels[kind]}, newest first`,
    pagination: pagesOf(page.paged.page, pageHrefs(path, query)),
  };
}
