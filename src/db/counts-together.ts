import DataLoader from 'dataloader';
import type { Knex } from 'knex';
import { prepared } from './prepared.js';

async function countAll(client: Knex.Client, queries: readonly Knex.QueryBuilder[]): Promise<number[]> {
  const statement = client.queryBuilder().select(queries.map((query, index) => client.raw('(?) as ??', [query, `c${index}`]) as Knex.Raw));
  const { rows } = (await prepared(statement)) as { rows: Record<string, string | number>[] };
  const [row] = rows;
  return queries.map((_, index) => Number(row?.[`c${index}`] ?? 0));
}

// One loader for each client: a transaction's queries have a client of their own, and are counted in it.
const loaders = new WeakMap<Knex.Client, DataLoader<Knex.QueryBuilder, number>>();

/**
 * The number of rows `query` finds. Counts asked for in the same turn (the lists of a home page,
 * each counting as it starts) go to PostgreSQL together, as one statement: on this kind of
 * machine a round trip to the database costs more than a small count, and a team manager's home
 * page counts six lists. Each query must select nothing but its count. The statement is prepared,
 * as every list's count was on its own: a role's page asks for the same counts in the same order
 * each time, so it is planned once per connection. A fixed status is written into a list's SQL
 * as a literal, not bound: a plan made once for any values cannot use the partial indexes on a
 * status it does not see (drafts, returned plans, the finance queue), and PostgreSQL judged such a
 * plan so poor that it planned the counts afresh at every home page, which cost more than counting.
 */
export function countTogether(query: Knex.QueryBuilder): Promise<number> {
  const { client } = query;
  let loader = loaders.get(client);
  if (!loader) {
    // Not cached: the same query asked again is counted again.
    loader = new DataLoader((queries) => countAll(client, queries), { cache: false });
    loaders.set(client, loader);
  }
  return loader.load(query);
}
