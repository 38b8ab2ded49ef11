import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

/**
 * The query as a named prepared statement, one name for each text: PostgreSQL then plans it once
 * per connection instead of at every request. For statements a busy page runs every time, whose
 * planning costs more than running them (the person page's took 3 to 13 ms to plan and under 1 ms
 * to run). A query whose shape changes (another sort, another filter) gets a name of its own.
 * Compiled once, for its name and to run (Knex would compile a query again to run it), so it
 * resolves to node-postgres's result, as a raw query does: its rows are `.rows`.
 * Only for statements that name each column they return (counts, JSON, columns listed, never
 * `*`): PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * planned, as `*` would when a table gains a column while another instance migrates.
 */
export function prepared(query: Knex.QueryBuilder | Knex.Raw): Knex.Raw {
  const { sql, bindings } = compiledOnce(query);
  // Knex gives a raw query its client as it does a builder, though its types leave it out.
  const { client } = query as { client: Knex.Client };
  return client.raw(sql, bindings).options({ name: preparedName(sql) });
}

/** Knex reads each ? of compiled text as a binding again, so the text must hold no other. */
function compiledOnce(query: Knex.QueryBuilder | Knex.Raw): { sql: string; bindings: readonly Knex.Value[] } {
  const { sql, bindings } = query.toSQL();
  if (sql.includes('??') || sql.split('?').length - 1 !== bindings.length) throw new Error('The statement cannot be compiled once');
  return { sql, bindings };
}

export function preparedName(sql: string): string {
  return `selfdirect-${createHash('sha256').update(sql).digest('base64url').slice(0, 22)}`;
}

/** Where a binding of a statement compiled with stand-ins comes from: the read's values, for a stand-in. */
export type Slot<Values> = (values: Values) => Knex.Value;

/**
 * A query built once with stand-ins in place of its values and compiled, to be run again and
 * again as a prepared statement with each read's values put into its bindings: building and
 * compiling with Knex at every read cost more than the rest of a page's work in the app.
 * `slotOf` says which value a binding stands in for, and nothing for a constant.
 */
export function compiledWithStandIns<Values>(query: Knex.QueryBuilder, slotOf: (binding: Knex.Value) => Slot<Values> | undefined) {
  const { sql, bindings } = compiledOnce(query);
  const slots = bindings.map((binding): Slot<Values> => slotOf(binding) ?? (() => binding));
  return { sql, name: preparedName(sql), bindingsFor: (values: Values) => slots.map((slot) => slot(values)) };
}
