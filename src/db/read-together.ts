import type { Knex } from 'knex';
import type { DbOrTransaction } from './knex.js';
import { compiledWithStandIns } from './prepared.js';

export type JsonRow = Record<string, unknown>;

// A case record's timestamp columns end in _at, and no other column does
// (test/integration/person-page-queries.test.ts checks the schema for it).
const isTimestampColumn = (column: string) => column.endsWith('_at');

/**
 * JSON has no timestamp type: a row's timestamps come back as text, so they are made Dates again,
 * as node-postgres gives them from a query of its own. Only the row's own columns are touched,
 * never text inside a jsonb column. The row was parsed for this read alone, so it is changed in
 * place rather than copied.
 */
function fromJson(row: JsonRow): JsonRow {
  for (const column of Object.keys(row)) {
    const value = row[column];
    if (typeof value === 'string' && isTimestampColumn(column)) row[column] = new Date(value);
  }
  return row;
}

function statementOf<K extends string>(db: DbOrTransaction, queries: Record<K, Knex.QueryBuilder>): Knex.QueryBuilder {
  const names = Object.keys(queries) as K[];
  return db.select(
    names.map((name) => db.raw(`(select coalesce(json_agg(listed), '[]'::json) from (?) as listed) as ??`, [queries[name], name])),
  );
}

function rowsFrom<K extends string>(row: Record<K, JsonRow[]> | undefined, names: readonly K[]): Record<K, JsonRow[]> {
  return Object.fromEntries(names.map((name) => [name, (row?.[name] ?? []).map(fromJson)])) as Record<K, JsonRow[]>;
}

/** No record has this id, and no constant in a query is this number. */
const STAND_IN_ID = -2_147_483_647;

/**
 * Several queries' rows in one statement, each query's rows as one JSON array: a page that shows
 * many kinds of record reads them in one round trip instead of one each. The rows keep each query's
 * order (PostgreSQL aggregates a sorted subquery in its order).
 *
 * The queries are those of one record, the same for any record but for its id: Knex builds and
 * compiles the statement once, with a stand-in id, and each read only puts the id into its
 * bindings. The statement is prepared, so PostgreSQL plans it once per connection too. On the
 * person page, building and planning it at every request had cost more than everything else the
 * database did for the page. The queries must depend on nothing but the id.
 */
export function readTogetherById<K extends string>(db: Knex, queriesOf: (id: number) => Record<K, Knex.QueryBuilder>) {
  let compiled: (ReturnType<typeof compiledWithStandIns<number>> & { names: K[] }) | undefined;
  return async (id: number): Promise<Record<K, JsonRow[]>> => {
    if (!compiled) {
      const queries = queriesOf(STAND_IN_ID);
      const statement = compiledWithStandIns<number>(statementOf(db, queries), (binding) => {
        // An id bound as text would keep the stand-in and read nobody's records.
        if (binding === String(STAND_IN_ID)) throw new Error('A query binds the id as text: bind it as a number');
        return binding === STAND_IN_ID ? (read) => read : undefined;
      });
      compiled = { ...statement, names: Object.keys(queries) as K[] };
    }
    const result = (await db.raw(compiled.sql, compiled.bindingsFor(id)).options({ name: compiled.name })) as {
      rows: Record<K, JsonRow[]>[];
    };
    return rowsFrom(result.rows[0], compiled.names);
  };
}
