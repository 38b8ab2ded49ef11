import { z } from 'zod';
import { compareWords } from '../text.js';

/**
 * Sortable tables without JavaScript: each column header is a link (?table=overdue&sort=due&dir=asc)
 * and the server sorts. One table on a page is sorted at a time; the others keep their usual
 * order. The header carries aria-sort so a screen reader says which way the table is sorted.
 */

export type SortDirection = 'asc' | 'desc';
export type SortValue = string | number | null;

/** A column a table can be sorted by; the database sorts lists that grow, and names the same keys. */
export type SortableColumn = {
  key: string;
  label: string;
  numeric?: boolean;
  /** The way a first click sorts: "most overdue first" is a due date ascending, "longest waiting" days descending. */
  firstDirection?: SortDirection;
};

/** A column of a short table sorted here, by each row's value. */
export type SortColumn<Row> = SortableColumn & { value: (row: Row) => SortValue };

export type TableSort = { column: string; direction: SortDirection };

/** The query string as sent; anything unknown falls back to the table's usual order rather than an error. */
export const sortQuerySchema = z.object({
  table: z
    .string()
    .max(40)
    .regex(/^[a-z-]+$/)
    .optional()
    .catch(undefined),
  sort: z
    .string()
    .max(40)
    .regex(/^[a-z-]+$/)
    .optional()
    .catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
});
export type SortQuery = z.output<typeof sortQuerySchema>;

/** The sort asked for, if it names this table and one of its columns; otherwise the table's default. */
export function sortFor(query: SortQuery, table: string, columns: readonly SortableColumn[], fallback: TableSort): TableSort {
  if (query.table !== table || !query.sort) return fallback;
  const column = columns.find((candidate) => candidate.key === query.sort);
  if (!column) return fallback;
  return { column: column.key, direction: query.dir ?? column.firstDirection ?? 'asc' };
}

function compareValues(a: SortValue, b: SortValue): number {
  if (a === null || b === null) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareWords(String(a), String(b));
}

/** A stable sort: rows that tie keep the order the query gave them. Blank values always go last. */
export function sortRows<Row>(rows: readonly Row[], columns: SortColumn<Row>[], sort: TableSort): Row[] {
  const column = columns.find((candidate) => candidate.key === sort.column);
  if (!column) return [...rows];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      // Blanks ("not assigned", "no review due") go last whichever way the column is sorted.
      if (a.value === null && b.value !== null) return 1;
      if (b.value === null && a.value !== null) return -1;
      return sign * compareValues(a.value, b.value) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

export type SortHeader = {
  key: string;
  label: string;
  href: string;
  numeric: boolean;
  /** For aria-sort: only the sorted column says which way; the others say nothing. */
  ariaSort: 'ascending' | 'descending' | undefined;
  /** What following the link will do, for the visually hidden text. */
  nextDirection: SortDirection;
};

/**
 * The header links of a table: following the sorted column's link turns the order round. They
 * keep the page's other query parameters (`keep`, such as its filters) and go back to the first
 * page, since a new order starts the list again.
 */
export function sortHeaders(
  path: string,
  table: string,
  columns: readonly SortableColumn[],
  sort: TableSort,
  keep: URLSearchParams = new URLSearchParams(),
): SortHeader[] {
  return columns.map((column) => {
    const active = column.key === sort.column;
    const nextDirection: SortDirection = active ? (sort.direction === 'asc' ? 'desc' : 'asc') : (column.firstDirection ?? 'asc');
    const query = new URLSearchParams(keep);
    for (const name of ['page', 'table', 'sort', 'dir']) query.delete(name);
    query.set('table', table);
    query.set('sort', column.key);
    query.set('dir', nextDirection);
    return {
      key: column.key,
      label: column.label,
      href: `${path}?${query.toString()}#${table}`,
      numeric: column.numeric ?? false,
      ariaSort: active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined,
      nextDirection,
    };
  });
}

/** A table's rows in the order asked for, with the headers to draw: what a view needs to show a sortable table. */
export function sortableTable<Row>(options: {
  path: string;
  table: string;
  query: SortQuery;
  columns: SortColumn<Row>[];
  rows: readonly Row[];
  defaultSort: TableSort;
}) {
  const sort = sortFor(options.query, options.table, options.columns, options.defaultSort);
  return {
    id: options.table,
    headers: sortHeaders(options.path, options.table, options.columns, sort),
    rows: sortRows(options.rows, options.columns, sort),
  };
}
export type SortableTable<Row> = ReturnType<typeof sortableTable<Row>>;
