import type { DbOrTransaction } from '../db/knex.js';
import { readPage, type Paged, type PageRequest } from '../db/paging.js';
import { actionsLeftOffTimeline, actionsOfKind, type TimelineKind } from './timeline.js';

export const noteKinds = ['phone_call', 'visit', 'email', 'letter', 'meeting', 'note'] as const;
export type NoteKind = (typeof noteKinds)[number];

/** A contact with the person or those around them, or a note on the case, as its author wrote it. */
export type CaseNote = {
  id: number;
  personId: number;
  kind: NoteKind;
  contactAt: Date;
  involved: string;
  body: string;
  writtenBy: number;
  writtenAt: Date;
  correctedAt: Date | null;
  version: number;
};

type CaseNoteRow = {
  id: number;
  person_id: number;
  kind: NoteKind;
  contact_at: Date;
  involved: string;
  body: string;
  written_by: number;
  written_at: Date;
  corrected_at: Date | null;
  version: number;
};

const toCaseNote = (row: CaseNoteRow): CaseNote => ({
  id: row.id,
  personId: row.person_id,
  kind: row.kind,
  contactAt: row.contact_at,
  involved: row.involved,
  body: row.body,
  writtenBy: row.written_by,
  writtenAt: row.written_at,
  correctedAt: row.corrected_at,
  version: row.version,
});

/** The note as the audit trail keeps it: its own columns, so the original and each correction can be read back. */
export function noteRecord(note: CaseNote): CaseNoteRow {
  return {
    id: note.id,
    person_id: note.personId,
    kind: note.kind,
    contact_at: note.contactAt,
    involved: note.involved,
    body: note.body,
    written_by: note.writtenBy,
    written_at: note.writtenAt,
    corrected_at: note.correctedAt,
    version: note.version,
  };
}

export type NoteDetails = Pick<CaseNote, 'kind' | 'contactAt' | 'involved' | 'body'>;

export async function insertNote(
  db: DbOrTransaction,
  note: NoteDetails & Pick<CaseNote, 'personId' | 'writtenBy' | 'writtenAt'>,
): Promise<CaseNote> {
  const [row] = (await db('case_notes')
    .insert({
      person_id: note.personId,
      kind: note.kind,
      contact_at: note.contactAt,
      involved: note.involved,
      body: note.body,
      written_by: note.writtenBy,
      written_at: note.writtenAt,
    })
    .returning('*')) as CaseNoteRow[];
  return toCaseNote(row as CaseNoteRow);
}

export async function findNote(db: DbOrTransaction, id: number, lock = false): Promise<CaseNote | undefined> {
  const query = db<CaseNoteRow>('case_notes').where({ id }).first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toCaseNote(row);
}

/** The same note from the same author a moment ago: a double-clicked "Save" finds the first. */
export async function findSameNote(
  db: DbOrTransaction,
  note: NoteDetails & Pick<CaseNote, 'personId' | 'writtenBy'>,
  writtenSince: Date,
): Promise<CaseNote | undefined> {
  const row = await db<CaseNoteRow>('case_notes')
    .where({ person_id: note.personId, written_by: note.writtenBy, kind: note.kind, involved: note.involved, body: note.body })
    .where('contact_at', note.contactAt)
    .where('written_at', '>=', writtenSince)
    .first();
  return row && toCaseNote(row);
}

/** Changes a note only at the version its author saw; undefined means it changed since. */
export async function updateNote(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: NoteDetails & { correctedAt: Date },
): Promise<CaseNote | undefined> {
  const [row] = (await db('case_notes')
    .where({ id, version: expectedVersion })
    .update({
      kind: changes.kind,
      contact_at: changes.contactAt,
      involved: changes.involved,
      body: changes.body,
      corrected_at: changes.correctedAt,
      version: db.raw('version + 1'),
    })
    .returning('*')) as CaseNoteRow[];
  return row && toCaseNote(row);
}

/** One line of a person's timeline: something the system recorded, or a note a worker wrote. */
export type TimelineEntry =
  | { source: 'event'; id: number; at: Date; action: string; after: unknown; userName: string | null }
  | { source: 'note'; at: Date; userName: string | null; note: CaseNote };

export type TimelineRow = {
  source: 'event' | 'note';
  id: number;
  occurred_at: Date;
  action: string | null;
  after: unknown;
  user_name: string | null;
  kind: NoteKind | null;
  involved: string | null;
  body: string | null;
  written_by: number | null;
  written_at: Date | null;
  corrected_at: Date | null;
  version: number | null;
};

export function toTimelineEntry(row: TimelineRow, personId: number): TimelineEntry {
  if (row.source === 'event') {
    return { source: 'event', id: row.id, at: row.occurred_at, action: row.action ?? '', after: row.after, userName: row.user_name };
  }
  return {
    source: 'note',
    at: row.occurred_at,
    userName: row.user_name,
    note: toCaseNote({
      id: row.id,
      person_id: personId,
      kind: row.kind as NoteKind,
      contact_at: row.occurred_at,
      involved: row.involved ?? '',
      body: row.body ?? '',
      written_by: row.written_by as number,
      written_at: row.written_at as Date,
      corrected_at: row.corrected_at,
      version: row.version as number,
    }),
  };
}

/**
 * A person's audit events and notes as one list, newest first: an event when it happened, a
 * note when the contact was. Each side is read from its own index on the person.
 */
function timelineQuery(db: DbOrTransaction, personId: number, kind: TimelineKind) {
  const events = db('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .where('a.person_id', personId)
    .whereNotIn('a.action', [...actionsLeftOffTimeline])
    .select(
      db.raw(`'event' as source`),
      'a.id',
      'a.occurred_at',
      'a.action',
      'a.after',
      'u.display_name as user_name',
      db.raw('null::text as kind, null::text as involved, null::text as body, null::integer as written_by'),
      db.raw('null::timestamptz as written_at, null::timestamptz as corrected_at, null::integer as version'),
    );
  const actions = actionsOfKind(kind);
  if (actions) events.whereIn('a.action', actions);
  const notes = db('case_notes as n')
    .join('users as u', 'u.id', 'n.written_by')
    .where('n.person_id', personId)
    .select(
      db.raw(`'note' as source`),
      'n.id',
      'n.contact_at as occurred_at',
      db.raw('null::text as action, null::jsonb as after'),
      'u.display_name as user_name',
      'n.kind',
      'n.involved',
      'n.body',
      'n.written_by',
      'n.written_at',
      'n.corrected_at',
      'n.version',
    );
  if (kind === 'notes') return notes;
  if (actions) return events;
  return events.unionAll(notes, true);
}

const newestFirst = 'occurred_at desc, source desc, id desc';

/** The newest of a person's timeline, for their page. */
export function latestTimelineQuery(db: DbOrTransaction, personId: number, limit: number) {
  return db
    .from(timelineQuery(db, personId, 'all').as('t'))
    .select('*')
    .orderByRaw(newestFirst)
    .limit(limit);
}

/** A page of a person's timeline, of one kind or all. */
export async function timelinePage(
  db: DbOrTransaction,
  personId: number,
  kind: TimelineKind,
  request: PageRequest,
): Promise<Paged<TimelineEntry>> {
  const { rows, page } = await readPage<TimelineRow>(db.from(timelineQuery(db, personId, kind).as('t')), {
    select: (query) => query.select('*'),
    orderBy: newestFirst,
    request,
  });
  return { rows: rows.map((row) => toTimelineEntry(row, personId)), page };
}
