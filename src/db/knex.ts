import knex, { type Knex } from 'knex';
import pg from 'pg';

// bigint columns hold pence; node-postgres returns them as strings unless told otherwise.
// Amounts stay far below 2^53 pence, so parsing to number is exact.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed)) throw new Error(`bigint ${value} is beyond exact number range`);
  return parsed;
});
// date columns are calendar dates, not instants: keep them as 'YYYY-MM-DD' so no time zone shifts them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;
export type DbOrTransaction = Knex | Knex.Transaction;

/**
 * A connection that cannot be made in this time is a database that is away, not slow: pages
 * answer 503 at once instead of holding the request for the pool's default minute.
 */
const CONNECT_TIMEOUT_MS = 2_000;
const ACQUIRE_TIMEOUT_MS = 10_000;

export type ConnectionLostHandler = (error: Error) => void;

const quiet = () => undefined;

export function createDb(connectionString: string, poolMax = 10): Knex {
  // Knex marks a pooled connection that emits 'error' as disposed and replaces it, so a restarted
  // database is picked up again without an error handler of ours.
  return knex({
    client: 'pg',
    // Knex prints each failed connection with its stack; the error reaches the caller, which says it once.
    log: { warn: quiet, error: quiet, deprecate: quiet, debug: quiet },
    connection: { connectionString, application_name: 'selfdirect', connectionTimeoutMillis: CONNECT_TIMEOUT_MS },
    pool: { min: 0, max: poolMax },
    acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
  });
}

/**
 * The session store's pool. An idle client whose server goes away emits 'error' on the pool, and
 * an 'error' event nobody listens to ends the process: the handler keeps the app up while the
 * pool drops the client and connects afresh when asked.
 *
 * Every request reads its session (and its user) here, so the pool is as wide as the app's own:
 * node-postgres counts the wait for a free client against the connect timeout, and with 3
 * clients 20 staff at once waited past it and were answered 503.
 */
export function createSessionPool(connectionString: string, onConnectionLost: ConnectionLostHandler, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'selfdirect-sessions' });
  pool.on('error', onConnectionLost);
  return pool;
}

/**
 * Runs independent queries: side by side on the pool, one after another inside a transaction,
 * which is a single connection (node-postgres deprecates queueing queries on one client).
 */
export async function runQueries<T extends readonly unknown[]>(
  db: DbOrTransaction,
  queries: { [K in keyof T]: () => PromiseLike<T[K]> },
): Promise<T> {
  if ('isTransaction' in db && db.isTransaction) {
    const results: unknown[] = [];
    for (const query of queries) results.push(await query());
    return results as unknown as T;
  }
  return (await Promise.all(queries.map((query) => query()))) as unknown as T;
}
