import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { safeCell } from '../spreadsheet-cells.js';
import { cldColumns, type CldRow } from './return.js';

/**
 * The return as the CSV file the council uploads: a heading row, then one line per row, each cell
 * made safe from spreadsheet formulas as every download is (src/web/csv.ts). A stream,
 * written a few rows at a time, because a large council's quarter is tens of thousands of rows and
 * writing them in one go would keep the server from answering anyone else meanwhile.
 */
export function returnCsv(rows: readonly CldRow[]): Readable {
  function* records() {
    for (const row of rows) yield cldColumns.map((column) => safeCell(row[column]));
  }
  return Readable.from(records()).pipe(stringify({ header: true, columns: [...cldColumns], record_delimiter: 'windows' }));
}
