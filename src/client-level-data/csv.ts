import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { cldColumns, type CldRow } from './return.js';

/**
 * A spreadsheet runs a cell that begins with = + - or @ (or a tab or carriage return before one)
 * as a formula, so a name or a code typed that way could run on the analyst's machine. A leading
 * apostrophe makes the spreadsheet show it as text. Dates, codes and amounts in the return never
 * begin that way, so only typed text is ever changed.
 */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/**
 * The return as the CSV file the council uploads: a heading row, then one line per row. A stream,
 * written a few rows at a time, because a large council's quarter is tens of thousands of rows and
 * writing them in one go would keep the server from answering anyone else meanwhile.
 */
export function returnCsv(rows: readonly CldRow[]): Readable {
  function* records() {
    for (const row of rows) yield cldColumns.map((column) => spreadsheetSafe(row[column]));
  }
  return Readable.from(records()).pipe(stringify({ header: true, columns: [...cldColumns], record_delimiter: 'windows' }));
}
