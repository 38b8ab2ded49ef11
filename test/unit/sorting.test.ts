import { describe, expect, it } from 'vitest';
import { sortableTable, sortFor, sortHeaders, sortQuerySchema, sortRows, type SortColumn } from '../../src/web/sorting.js';

type Row = { name: string; due: string | null; days: number };
const columns: SortColumn<Row>[] = [
  { key: 'person', label: 'Person', value: (row) => row.name },
  { key: 'due', label: 'Due', value: (row) => row.due },
  { key: 'days', label: 'Waiting', value: (row) => row.days, numeric: true, firstDirection: 'desc' },
];
const rows: Row[] = [
  { name: 'Okafor', due: '2026-06-20', days: 3 },
  { name: 'bennett', due: null, days: 10 },
  { name: 'Ahmed', due: '2026-06-01', days: 3 },
  { name: 'Castle', due: '2026-06-20', days: 1 },
];

describe('sorting a table on the server', () => {
  it('sorts text without regard to case, and dates as text', () => {
    expect(sortRows(rows, columns, { column: 'person', direction: 'asc' }).map((row) => row.name)).toEqual([
      'Ahmed',
      'bennett',
      'Castle',
      'Okafor',
    ]);
    expect(sortRows(rows, columns, { column: 'person', direction: 'desc' }).map((row) => row.name)).toEqual([
      'Okafor',
      'Castle',
      'bennett',
      'Ahmed',
    ]);
  });

  it('keeps ties in the order they came and puts blanks last either way', () => {
    expect(sortRows(rows, columns, { column: 'due', direction: 'asc' }).map((row) => row.name)).toEqual([
      'Ahmed',
      'Okafor',
      'Castle',
      'bennett',
    ]);
    expect(sortRows(rows, columns, { column: 'due', direction: 'desc' }).map((row) => row.name)).toEqual([
      'Okafor',
      'Castle',
      'Ahmed',
      'bennett',
    ]);
  });

  it('sorts numbers as numbers', () => {
    expect(sortRows(rows, columns, { column: 'days', direction: 'desc' }).map((row) => row.days)).toEqual([10, 3, 3, 1]);
  });

  it('sorts text with numbers in it by the numbers, and without regard to accents', () => {
    const named = ['Worker 10', 'worker 2', 'Émile Dubois', 'Edward Ash'].map((name) => ({ name, due: null, days: 0 }));
    expect(sortRows(named, columns, { column: 'person', direction: 'asc' }).map((row) => row.name)).toEqual([
      'Edward Ash',
      'Émile Dubois',
      'worker 2',
      'Worker 10',
    ]);
  });

  it('uses the table’s own order unless the query names this table and one of its columns', () => {
    const fallback = { column: 'due', direction: 'asc' } as const;
    expect(sortFor({ table: 'overdue', sort: 'person', dir: 'desc' }, 'overdue', columns, fallback)).toEqual({
      column: 'person',
      direction: 'desc',
    });
    expect(sortFor({ table: 'drafts', sort: 'person', dir: 'desc' }, 'overdue', columns, fallback)).toEqual(fallback);
    expect(sortFor({ table: 'overdue', sort: 'nonsense' }, 'overdue', columns, fallback)).toEqual(fallback);
    // A first click on "Waiting" shows the longest waiting first.
    expect(sortFor({ table: 'overdue', sort: 'days' }, 'overdue', columns, fallback)).toEqual({ column: 'days', direction: 'desc' });
  });

  it('ignores a query it does not understand rather than failing', () => {
    expect(sortQuerySchema.parse({ table: '<script>', sort: 'person', dir: 'sideways' })).toEqual({
      table: undefined,
      sort: 'person',
      dir: undefined,
    });
  });

  it('links each header to sort by it, turning round the sorted column, with aria-sort on that column only', () => {
    const headers = sortHeaders('/', 'overdue', columns, { column: 'due', direction: 'asc' });
    expect(headers.map((header) => [header.key, header.href, header.ariaSort])).toEqual([
      ['person', '/?table=overdue&sort=person&dir=asc#overdue', undefined],
      ['due', '/?table=overdue&sort=due&dir=desc#overdue', 'ascending'],
      ['days', '/?table=overdue&sort=days&dir=desc#overdue', undefined],
    ]);
  });

  it('gives a view the rows in order and the headers to draw', () => {
    const table = sortableTable({
      path: '/',
      table: 'overdue',
      query: { table: 'overdue', sort: 'person', dir: 'asc' },
      columns,
      rows,
      defaultSort: { column: 'due', direction: 'asc' },
    });
    expect(table.id).toBe('overdue');
    expect(table.rows[0]?.name).toBe('Ahmed');
    expect(table.headers.find((header) => header.key === 'person')?.ariaSort).toBe('ascending');
  });
});
