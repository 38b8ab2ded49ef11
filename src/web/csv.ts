import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify, type Options } from 'csv-stringify';
import type { Response } from 'express';
import { londonDateOf } from '../calendar.js';
import { safeCell } from '../spreadsheet-cells.js';

export { csvPounds, safeCell } from '../spreadsheet-cells.js';

/**
 * The one way a report table becomes a spreadsheet file. csv-stringify does the quoting; this
 * file decides what a cell looks like: money as plain pounds with two decimals, dates as ISO
 * (2026-06-15), and no cell that a spreadsheet would run as a formula.
 */

/** A cell: text, a whole number, or empty. Money and dates are made text by `csvPounds` and `csvDate`. */
export type CsvCell = string | number | null;

/** A calendar date or an instant as its ISO date; an instant is given as its London day. */
export function csvDate(value: string | Date | null): string {
  if (value === null) return '';
  if (typeof value === 'string') return value.slice(0, 10);
  return londonDateOf(value);
}

/** How every download is written: csv-stringify's quoting, Windows line ends for Excel, a byte order mark, safe cells. */
export const csvOptions = { bom: true, record_delimiter: 'windows', cast: { string: safeCell } } as const satisfies Options;

/** The file name a download is saved under: what it is and the day it was taken, "timeliness-2026-06-15.csv". */
export function csvFilename(name: string, today: string): string {
  return `${name}-${today}.csv`;
}

/**
 * Writes a table to the response as a CSV download, a row at a time, so a long table (one row per
 * person) is never held whole. The file is personal or council data: no cache may keep a copy.
 * A byte order mark comes first so a spreadsheet opens the £ signs in the headings as UTF-8.
 */
export async function sendCsv(
  res: Response,
  filename: string,
  headings: readonly string[],
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
): Promise<void> {
  res.attachment(filename);
  res.type('text/csv; charset=utf-8');
  res.set('Cache-Control', 'no-store');
  async function* withHeadings() {
    yield headings;
    for await (const row of rows) yield row;
  }
  // The pipeline reads a row only when the browser has taken the last, and stops reading (which ends
  // a database cursor feeding the rows) when the browser goes away part-way: that is no error.
  await pipeline(Readable.from(withHeadings()), stringify(csvOptions), res).catch((error: unknown) => {
    if (!res.destroyed) throw error;
  });
}
