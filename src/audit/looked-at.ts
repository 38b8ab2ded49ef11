import type { DbOrTransaction } from '../db/knex.js';
import { insertAuditEvents, type AuditEventInput } from './repo.js';

type Waiting = { event: AuditEventInput; recorded: () => void; failed: (error: unknown) => void };

/**
 * Writes events in groups: while one group is being written, the events that arrive wait and go
 * together in the next. A lone event is written at once; nothing waits on a timer.
 */
function groupedWriter(write: (events: AuditEventInput[]) => Promise<void>) {
  let waiting: Waiting[] = [];
  let writing = false;
  async function writeWhileWaiting() {
    writing = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        await write(group.map(({ event }) => event));
        for (const { recorded } of group) recorded();
      } catch (error) {
        for (const { failed } of group) failed(error);
      }
    }
    writing = false;
  }
  return (event: AuditEventInput) =>
    new Promise<void>((recorded, failed) => {
      waiting.push({ event, recorded, failed });
      if (!writing) void writeWhileWaiting();
    });
}

const writers = new WeakMap<DbOrTransaction, ReturnType<typeof groupedWriter>>();

/**
 * Records that someone looked at or took away a person's data (a search, a printed plan, a
 * downloaded file): events that change nothing else, so have no transaction of their own to join.
 *
 * The audit trail takes one insert at a time across all connections, held until its commit is on
 * disk (its hash chain, migrations/061_audit_chain.ts). Twenty staff searching at once would each
 * wait for the others' disk writes in turn; grouped, they share one insert and one commit. The
 * promise settles only once this event is committed, so nothing is shown that was not recorded;
 * if the group's insert fails, every event of it fails.
 */
export function recordLookedAt(
  db: DbOrTransaction,
  actor: { id: number; requestId: string },
  event: Omit<AuditEventInput, 'userId' | 'requestId'>,
): Promise<void> {
  let write = writers.get(db);
  if (!write) {
    write = groupedWriter((events) => insertAuditEvents(db, events));
    writers.set(db, write);
  }
  return write({ userId: actor.id, requestId: actor.requestId, ...event });
}
