import { stringify } from 'csv-stringify/sync';
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

/** The return as the CSV file the council uploads: a heading row, then one line per row. */
export function returnCsv(rows: readonly CldRow[]): string {
  return stringify(
    rows.map((row) => cldColumns.map((column) => spreadsheetSafe(row[column]))),
    { header: true, columns: [...cldColumns], record_delimiter: 'windows' },
  );
}
