import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonInstant } from '../calendar.js';
import type { Clock } from '../clock.js';
import type { PageRequest } from '../db/paging.js';
import { ForbiddenError, NotFoundError, StaleVersionError } from '../errors.js';
import { findPerson, findPersonForUpdate, type Person } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import { findNote, findSameNote, insertNote, noteRecord, timelinePage, updateNote, type CaseNote, type NoteDetails } from './repo.js';
import { canCorrectNote, CORRECTION_HOURS } from './rules.js';
import type { CorrectionInput, NoteInput } from './schemas.js';
import type { TimelineKind } from './timeline.js';

const notWorkingOnCase = 'Only a care manager or team manager in the person’s team can record notes and contacts.';
const notYours = 'Only the person who wrote a note can correct it.';
const tooLate = `A note can be corrected for ${CORRECTION_HOURS} hours after it was written. Add a new note to say what has changed.`;

/** A double-clicked "Save" within this long finds the note the first click saved. */
const SAME_NOTE_SECONDS = 60;

function detailsFrom(input: NoteInput): NoteDetails {
  return { kind: input.kind, contactAt: londonInstant(input.contactDate, input.contactTime), involved: input.involved, body: input.body };
}

export function notesService(db: Knex, clock: Clock) {
  /** Another team's person is "not found", as everywhere: the address should not confirm they exist. */
  async function visiblePerson(user: SignedInUser, personId: number, trx: Knex | Knex.Transaction = db): Promise<Person> {
    const person = await findPerson(trx, personId);
    if (!person || !canSeePerson(user, person)) throw new NotFoundError('Person');
    return person;
  }

  /** The note and its person, for its author within the day they may correct it; anyone else is told why not. */
  async function correctable(user: SignedInUser, noteId: number, trx: Knex | Knex.Transaction = db, lock = false) {
    const note = await findNote(trx, noteId, lock);
    if (!note) throw new NotFoundError('Note');
    const person = await visiblePerson(user, note.personId, trx);
    if (!canEditPerson(user, person)) throw new ForbiddenError(notWorkingOnCase);
    if (note.writtenBy !== user.id) throw new ForbiddenError(notYours);
    if (!canCorrectNote(user, note, clock.now())) throw new ForbiddenError(tooLate);
    return { note, person };
  }

  return {
    /** The person a new note is for, if this user works on their case. */
    async newNotePage(user: SignedInUser, personId: number): Promise<{ person: Person }> {
      const person = await visiblePerson(user, personId);
      if (!canEditPerson(user, person)) throw new ForbiddenError(notWorkingOnCase);
      return { person };
    },

    async add(actor: Actor, personId: number, input: NoteInput): Promise<CaseNote> {
      return db.transaction(async (trx) => {
        // The person lock makes a double-clicked "Save" take turns, so the second finds the first's note.
        const person = await findPersonForUpdate(trx, personId);
        if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
        if (!canEditPerson(actor, person)) throw new ForbiddenError(notWorkingOnCase);
        const now = clock.now();
        const details = { ...detailsFrom(input), personId, writtenBy: actor.id };
        const same = await findSameNote(trx, details, new Date(now.getTime() - SAME_NOTE_SECONDS * 1000));
        if (same) return same;
        const note = await insertNote(trx, { ...details, writtenAt: now });
        await recordEvent(trx, actor, {
          action: 'case_note_added',
          entityType: 'case_note',
          entityId: note.id,
          personId,
          after: noteRecord(note),
        });
        return note;
      });
    },

    /** The correction form: only for the note's author, within a day of writing it. */
    async correctionPage(user: SignedInUser, noteId: number): Promise<{ note: CaseNote; person: Person }> {
      return correctable(user, noteId);
    },

    /** The author puts their note right; the trail keeps what it said before beside what it says now. */
    async correct(actor: Actor, noteId: number, input: CorrectionInput): Promise<CaseNote> {
      return db.transaction(async (trx) => {
        const { note } = await correctable(actor, noteId, trx, true);
        if (note.version !== input.version) throw new StaleVersionError('case note', note);
        const corrected = await updateNote(trx, noteId, input.version, { ...detailsFrom(input), correctedAt: clock.now() });
        if (!corrected) throw new StaleVersionError('case note', note);
        await recordEvent(trx, actor, {
          action: 'case_note_corrected',
          entityType: 'case_note',
          entityId: noteId,
          personId: note.personId,
          before: noteRecord(note),
          after: noteRecord(corrected),
        });
        return corrected;
      });
    },

    /** A page of everything that has happened to a person, or of one kind of it. */
    async timeline(user: SignedInUser, personId: number, kind: TimelineKind, request: PageRequest) {
      const person = await visiblePerson(user, personId);
      return { person, canAdd: canEditPerson(user, person), now: clock.now(), paged: await timelinePage(db, personId, kind, request) };
    },
  };
}

export type NotesService = ReturnType<typeof notesService>;
