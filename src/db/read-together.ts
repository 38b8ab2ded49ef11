import type { Knex } from 'knex';
import type { DbOrTransaction } from './knex.js';
import { prepared } from './prepared.js';

export type JsonRow = Record<string, unknown>;

// A case record's timestamp columns end in _at, and no other column does
// (test/integration/person-page-queries.test.ts checks the schema for it).
const isTimestampColumn = (column: string) => column.endsWith('_at');

/**
 * JSON has no timestamp type: a row's timestamps come back as text, so they are made Dates again,
 * as node-postgres gives them from a query of its own. Only the row's own columns are touched,
 * never text inside a jsonb column.
 */
function fromJson(row: JsonRow): JsonRow {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      typeof value === 'string' && isTimestampColumn(column) ? new Date(value) : value,
    ]),
  );
}

/**
 * Several queries' rows in one statement, each query's rows as one JSON array: a page that shows
 * many kinds of record reads them in one round trip instead of one each. The rows keep each query's
 * order (PostgreSQL aggregates a sorted subquery in its order).
 */
export async function readTogether<K extends string>(
  db: DbOrTransaction,
  queries: Record<K, Knex.QueryBuilder>,
  options: { prepared?: boolean } = {},
): Promise<Record<K, JsonRow[]>> {
  const names = Object.keys(queries) as K[];
  const columns = names.map((name) =>
    db.raw(`(select coalesce(json_agg(listed), '[]'::json) from (?) as listed) as ??`, [queries[name], name]),
  );
  const statement = db.select(columns);
  const [row] = (await (options.prepared ? prepared(statement) : statement)) as Record<K, JsonRow[]>[];
  return Object.fromEntries(names.map((name) => [name, (row?.[name] ?? []).map(fromJson)])) as Record<K, JsonRow[]>;
}
