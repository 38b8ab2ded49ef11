import type { DbOrTransaction } from '../db/knex.js';
import type { RequestOutcome, RouteOfAccess } from './client-level-data.js';

export type SupportRequestRow = {
  id: number;
  person_id: number;
  received_on: string;
  route_of_access: RouteOfAccess;
  outcome: RequestOutcome | null;
  decided_on: string | null;
  cancelled_at: Date | null;
  version: number;
};

/** A request for support (a referral): open until an outcome is recorded; a cancelled one was recorded in error. */
export type SupportRequest = {
  id: number;
  personId: number;
  receivedOn: string;
  routeOfAccess: RouteOfAccess;
  outcome: RequestOutcome | null;
  decidedOn: string | null;
  cancelledAt: Date | null;
  version: number;
};

export const toSupportRequest = (row: SupportRequestRow): SupportRequest => ({
  id: row.id,
  personId: row.person_id,
  receivedOn: row.received_on,
  routeOfAccess: row.route_of_access,
  outcome: row.outcome,
  decidedOn: row.decided_on,
  cancelledAt: row.cancelled_at,
  version: row.version,
});

export async function insertSupportRequest(
  db: DbOrTransaction,
  request: { personId: number; receivedOn: string; routeOfAccess: RouteOfAccess; recordedBy: number },
): Promise<SupportRequest> {
  const [row] = (await db('support_requests')
    .insert({
      person_id: request.personId,
      received_on: request.receivedOn,
      route_of_access: request.routeOfAccess,
      recorded_by: request.recordedBy,
    })
    .returning('*')) as SupportRequestRow[];
  return toSupportRequest(row as SupportRequestRow);
}

/** The person's requests, newest first, as a query the person page reads with its other records. */
export function requestsOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('support_requests')
    .where({ person_id: personId })
    .select('id', 'person_id', 'received_on', 'route_of_access', 'outcome', 'decided_on', 'cancelled_at', 'version')
    .orderBy([
      { column: 'received_on', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
}

export async function requestsOfPerson(db: DbOrTransaction, personId: number): Promise<SupportRequest[]> {
  return ((await requestsOfPersonQuery(db, personId)) as SupportRequestRow[]).map(toSupportRequest);
}

export async function findSupportRequest(db: DbOrTransaction, id: number, forUpdate = false): Promise<SupportRequest | undefined> {
  const query = db<SupportRequestRow>('support_requests').where({ id }).first();
  if (forUpdate) query.forUpdate();
  const row = (await query) as SupportRequestRow | undefined;
  return row && toSupportRequest(row);
}

/** Changes a request only at the version the user saw; undefined when someone changed it first. */
export async function updateSupportRequest(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: { outcome: RequestOutcome; decidedOn: string } | { cancelled: true },
): Promise<SupportRequest | undefined> {
  const columns = 'cancelled' in changes ? { cancelled_at: db.fn.now() } : { outcome: changes.outcome, decided_on: changes.decidedOn };
  const [row] = (await db('support_requests')
    .where({ id, version: expectedVersion })
    .update({ ...columns, version: db.raw('version + 1') })
    .returning('*')) as SupportRequestRow[];
  return row && toSupportRequest(row);
}

/** A request as the audit trail records it. */
export const supportRequestRecord = (request: SupportRequest) => ({
  id: request.id,
  received_on: request.receivedOn,
  route_of_access: request.routeOfAccess,
  outcome: request.outcome,
  decided_on: request.decidedOn,
  cancelled: request.cancelledAt !== null,
  version: request.version,
});
