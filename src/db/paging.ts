import type { Knex } from 'knex';
import { compareWords } from '../text.js';
import { countTogether } from './counts-together.js';

/**
 * Lists that grow with the council (a caseload, a queue, the users) are read a page at a time:
 * the database counts, sorts and cuts the page, so a page costs the same at 100 people as at
 * 100,000.
 */

export type Direction = 'asc' | 'desc';

/** Which way a list is sorted, by one of the keys its repo knows. */
export type ListSort<Key extends string = string> = { column: Key; direction: Direction };

/** The page asked for (from 1) and how many rows a page holds. */
export type PageRequest = { page: number; size: number };

/** Where a page sits in its list; a page asked for past the end is the last page. */
export type Page = { number: number; count: number; total: number; size: number };

/** The page a request lands on once the list's length is known. */
export function pageOf(request: PageRequest, total: number): Page {
  const count = Math.max(1, Math.ceil(total / request.size));
  return { number: Math.min(Math.max(1, request.page), count), count, total, size: request.size };
}

export type Paged<Row> = { rows: Row[]; page: Page };

/**
 * How a list can be sorted: each key's SQL expressions. An expression starting with "-" sorts the
 * other way, so "longest waiting" can be the oldest date first and still use the date's index.
 */
export type Orderings = Record<string, string[]>;

/**
 * An ORDER BY for a sort: the column's expressions, blanks last whichever way (as staff expect
 * "not assigned" at the bottom), then `tieBreak` so rows that tie keep one order and no row shows
 * on two pages. A key the list does not know sorts by the tie-break alone.
 */
export function orderBySql(orderings: Orderings, sort: ListSort, tieBreak: string[]): string {
  return [...(orderings[sort.column] ?? []), ...tieBreak]
    .map((expression) => {
      const reversed = expression.startsWith('-');
      const ascending = (sort.direction === 'asc') !== reversed;
      return `${reversed ? expression.slice(1) : expression} ${ascending ? 'asc' : 'desc'} nulls last`;
    })
    .join(', ');
}

/** Sorting stored codes by the words staff read ("Learning disability", not learning_disability). */
export function byLabel(column: string, labels: Record<string, string>): string {
  const codes = Object.keys(labels).sort((a, b) => compareWords(labels[a] ?? '', labels[b] ?? ''));
  if (!codes.every((code) => /^[a-z_]+$/.test(code))) throw new Error(`Codes to sort ${column} by are not plain words`);
  return `array_position(array[${codes.map((code) => `'${code}'`).join(', ')}]::text[], ${column}::text)`;
}

/**
 * One page of a list: `base` holds the joins and conditions, counted once; `select` adds the
 * columns. The count comes first so a page asked for past the end reads the last page instead.
 * A fixed status in `base` is written as a literal, not bound (countTogether says why).
 */
export async function readPage<Row>(
  base: Knex.QueryBuilder,
  options: { select: (query: Knex.QueryBuilder) => Knex.QueryBuilder; orderBy: string; request: PageRequest },
): Promise<Paged<Row>> {
  // Home pages and queues count at every view, so the count is planned once per connection (and
  // read with the other lists' counts). The rows are not: a prepared statement selecting a table's
  // every column fails once the table gains one, as it would while another instance migrates in a
  // rolling deploy.
  const page = pageOf(options.request, await countTogether(base.clone().count({ count: '*' })));
  if (page.total === 0) return { rows: [], page };
  const rows = (await options
    .select(base.clone())
    .orderByRaw(options.orderBy)
    .limit(page.size)
    .offset((page.number - 1) * page.size)) as Row[];
  return { rows, page };
}
