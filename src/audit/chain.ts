import type { DbOrTransaction } from '../db/knex.js';

export type ChainCheck =
  { intact: true; events: number } | { intact: false; events: number; brokenAt: { id: number; occurredAt: Date }; reason: string };

type CheckedRow = {
  id: string;
  occurred_at: Date;
  prior_id: string | null;
  follows: boolean;
  matches: boolean;
};

/**
 * Recomputes every event's hash here rather than through the database's own audit_event_hash(),
 * so a function replaced by someone who owns the schema cannot vouch for its own rows. The
 * content is the same jsonb array the trigger hashes (migrations/061_audit_chain.ts).
 */
const checkedRows = `
  select id, occurred_at, lag(id) over chain as prior_id,
    previous_hash = coalesce(lag(hash) over chain, '') as follows,
    hash = encode(sha256(convert_to(jsonb_build_array(
      id,
      to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
      user_id, action, entity_type, entity_id, person_id, before, after, request_id, previous_hash
    )::text, 'UTF8')), 'hex') as matches
  from audit_events
  window chain as (order by id)
`;

/** Walks the audit trail's hash chain in order and names the first event that breaks it. */
export async function checkAuditChain(db: DbOrTransaction): Promise<ChainCheck> {
  const broken = (await db.raw(`select * from (${checkedRows}) checked where not (follows and matches) order by id limit 1`))
    .rows as CheckedRow[];
  const [{ count, last_id: lastId, last_hash: lastHash }] = (
    await db.raw(
      'select count(*)::int as count, max(id) as last_id, (select hash from audit_events order by id desc limit 1) as last_hash from audit_events',
    )
  ).rows as [{ count: number; last_id: string | null; last_hash: string | null }];
  const first = broken[0];
  if (first) {
    const reason = !first.matches
      ? 'its content no longer matches its hash: it was changed after it was written'
      : `it does not follow ${first.prior_id ? `event ${first.prior_id}` : 'the start of the trail'}: an event before it was removed or changed`;
    return { intact: false, events: count, brokenAt: { id: Number(first.id), occurredAt: first.occurred_at }, reason };
  }
  const head = (await db.raw('select last_id, last_hash from audit_chain_head')).rows as { last_id: string; last_hash: string }[];
  const recorded = head[0];
  if (recorded && (recorded.last_id !== lastId || recorded.last_hash !== lastHash)) {
    const [last] = (await db.raw('select id, occurred_at from audit_events where id <= ? order by id desc limit 1', [recorded.last_id]))
      .rows as {
      id: string;
      occurred_at: Date;
    }[];
    return {
      intact: false,
      events: count,
      brokenAt: last
        ? { id: Number(last.id), occurredAt: last.occurred_at }
        : { id: Number(recorded.last_id), occurredAt: new Date(Number.NaN) },
      reason: `the trail should end at event ${recorded.last_id}: events at its end were removed or changed`,
    };
  }
  return { intact: true, events: count };
}
