import type { DbOrTransaction } from '../db/knex.js';
import { readPage, type Paged, type PageRequest } from '../db/paging.js';
import type { AuditAction } from './actions.js';

export type AuditEventInput = {
  userId: number | null;
  requestId: string | null;
  action: AuditAction;
  entityType: string;
  entityId: string | number;
  personId?: number | null;
  before?: unknown;
  after?: unknown;
};

function toAuditEventRow(event: AuditEventInput) {
  return {
    user_id: event.userId,
    request_id: event.requestId,
    action: event.action,
    entity_type: event.entityType,
    entity_id: String(event.entityId),
    person_id: event.personId ?? null,
    before: event.before === undefined ? null : JSON.stringify(event.before),
    after: event.after === undefined ? null : JSON.stringify(event.after),
  };
}

export async function insertAuditEvent(db: DbOrTransaction, event: AuditEventInput): Promise<void> {
  await insertAuditEvents(db, [event]);
}

/** Several events in one statement, chained in the order given. */
export async function insertAuditEvents(db: DbOrTransaction, events: readonly AuditEventInput[]): Promise<void> {
  await db('audit_events').insert(events.map(toAuditEventRow));
}

type AuditEventRow = {
  id: number;
  occurred_at: Date;
  action: string;
  entity_type: string;
  entity_id: string;
  person_id: number | null;
  request_id: string | null;
  user_name: string | null;
  person_reference: string | null;
};

/** An entry of the trail as the pages show it: what happened, when, by whom, to what. */
export type AuditEvent = {
  id: number;
  occurredAt: Date;
  action: string;
  entityType: string;
  entityId: string;
  personId: number | null;
  personReference: string | null;
  requestId: string | null;
  userName: string | null;
};

function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    personId: row.person_id,
    personReference: row.person_reference,
    requestId: row.request_id,
    userName: row.user_name,
  };
}

const eventColumns = [
  'a.id',
  'a.occurred_at',
  'a.action',
  'a.entity_type',
  'a.entity_id',
  'a.person_id',
  'a.request_id',
  'u.display_name as user_name',
];

export type AuditSearch = {
  personReference?: string;
  userEmail?: string;
  from?: string;
  to?: string;
};

function searchQuery(db: DbOrTransaction, search: AuditSearch) {
  const query = db('audit_events as a').leftJoin('users as u', 'u.id', 'a.user_id').leftJoin('people as p', 'p.id', 'a.person_id');
  if (search.personReference) query.whereRaw('upper(p.reference) = upper(?)', [search.personReference]);
  if (search.userEmail) query.whereRaw('lower(u.email) = lower(?)', [search.userEmail]);
  // Dates are London calendar days; the range includes the whole of the last day.
  if (search.from) query.whereRaw(`a.occurred_at >= (?::date)::timestamp at time zone 'Europe/London'`, [search.from]);
  if (search.to) query.whereRaw(`a.occurred_at < (?::date + 1)::timestamp at time zone 'Europe/London'`, [search.to]);
  return query;
}

/** A page of the trail, newest first. */
export async function searchAuditEvents(db: DbOrTransaction, search: AuditSearch, request: PageRequest): Promise<Paged<AuditEvent>> {
  const { rows, page } = await readPage<AuditEventRow>(searchQuery(db, search), {
    select: (query) => query.select(...eventColumns, 'p.reference as person_reference'),
    orderBy: 'a.occurred_at desc, a.id desc',
    request,
  });
  return { rows: rows.map(toAuditEvent), page };
}

/** An event done by a signed-in person, in the transaction of the change it records. */
export function recordEvent(
  trx: DbOrTransaction,
  actor: { id: number; requestId: string },
  event: Omit<AuditEventInput, 'userId' | 'requestId'>,
) {
  return insertAuditEvent(trx, { userId: actor.id, requestId: actor.requestId, ...event });
}
