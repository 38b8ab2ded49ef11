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

export function createDb(connectionString: string, poolMax = 10): Knex {
  return knex({
    client: 'pg',
    connection: { connectionString, application_name: 'selfdirect' },
    pool: { min: 0, max: poolMax },
  });
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
