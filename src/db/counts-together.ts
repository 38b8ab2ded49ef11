import type { Knex } from 'knex';
import { prepared } from './prepared.js';

type Waiting = { query: Knex.QueryBuilder; counted: (count: number) => void; failed: (error: unknown) => void };

// Keyed by the queries' client: a transaction's queries have one of their own, and are counted in it.
const waitingFor = new WeakMap<Knex.Client, Waiting[]>();

async function countAll(client: Knex.Client, waiting: Waiting[]) {
  try {
    const statement = client
      .queryBuilder()
      .select(waiting.map(({ query }, index) => client.raw('(?) as ??', [query, `c${index}`]) as Knex.Raw));
    const [row] = (await prepared(statement)) as Record<string, string | number>[];
    waiting.forEach(({ counted }, index) => counted(Number(row?.[`c${index}`] ?? 0)));
  } catch (error) {
    for (const { failed } of waiting) failed(error);
  }
}

/**
 * The number of rows `query` finds. Counts asked for in the same turn (the lists of a home page,
 * each counting as it starts) go to PostgreSQL together, as one statement: on this kind of
 * machine a round trip to the database costs more than a small count, and a team manager's home
 * page counts six lists. Each query must select nothing but its count. The statement is prepared,
 * as every list's count was on its own: a role's page asks for the same counts in the same order
 * each time, so it is planned once per connection.
 */
export function countTogether(query: Knex.QueryBuilder): Promise<number> {
  const { client } = query;
  return new Promise((counted, failed) => {
    let waiting = waitingFor.get(client);
    if (!waiting) {
      waiting = [];
      waitingFor.set(client, waiting);
      // After the code that is running now, which starts a page's lists one after another.
      process.nextTick(() => {
        const asked = waitingFor.get(client) ?? [];
        waitingFor.delete(client);
        void countAll(client, asked);
      });
    }
    waiting.push({ query, counted, failed });
  });
}
