import DataLoader from 'dataloader';
import type { DbOrTransaction } from '../db/knex.js';
import { insertAuditEvents, type AuditEventInput } from './repo.js';

/**
 * Events written in groups: those recorded in the same turn go together, and while one group is
 * being written the events that arrive wait and go together in the next. A lone event is written
 * at once; nothing waits on a timer.
 */
function groupedWriter(db: DbOrTransaction) {
  // Settles once the group being written is committed or refused.
  let written: Promise<unknown> = Promise.resolve();
  return new DataLoader<AuditEventInput, void>(
    async (events) => {
      const writing = insertAuditEvents(db, events);
      written = writing.catch(() => undefined);
      await writing;
      return events.map(() => undefined);
    },
    { cache: false, batchScheduleFn: (writeGroup) => void written.then(writeGroup) },
  );
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
  let writer = writers.get(db);
  if (!writer) {
    writer = groupedWriter(db);
    writers.set(db, writer);
  }
  return writer.load({ userId: actor.id, requestId: actor.requestId, ...event });
}
