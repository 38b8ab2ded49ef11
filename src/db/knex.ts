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
