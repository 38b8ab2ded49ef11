import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvDate, csvFilename, csvOptions, csvPounds, safeCell, type CsvCell } from '../../src/web/csv.js';

const written = (rows: CsvCell[][]) => stringify(rows, csvOptions);

describe('the shared CSV writer', () => {
  it('makes a cell beginning with = plain text, so a spreadsheet cannot run it as a formula', () => {
    // The leading apostrophe is how Excel, LibreOffice and Google Sheets mark a cell as text;
    // the quotes around the cell are the CSV quoting of its own quotes and comma.
    expect(written([['=HYPERLINK("http://evil.example","Click")']])).toBe('\uFEFF"\'=HYPERLINK(""http://evil.example"",""Click"")"\r\n');
    expect(written([['=1+1']])).toBe("\uFEFF'=1+1\r\n");
  });

  it('escapes the other characters a formula or a DDE call can start with', () => {
    for (const text of ['+SUM(A1)', '-2+3+cmd|x', '@SUM(A1)', '\tTAB', '\rCR', '\uFF1D1+1']) {
      expect(safeCell(text)).toBe(`'${text}`);
    }
  });

  it('leaves plain numbers and ordinary text as they are', () => {
    expect(safeCell('-400.00')).toBe('-400.00');
    expect(safeCell('Older people')).toBe('Older people');
    expect(written([['a, "b"', 42, null, -3]])).toBe('\uFEFF"a, ""b""",42,,-3\r\n');
  });

  it('writes pounds with two decimals and dates as ISO', () => {
    expect(csvPounds(123_456)).toBe('1234.56');
    expect(csvPounds(5)).toBe('0.05');
    expect(csvPounds(-40_000)).toBe('-400.00');
    expect(csvPounds(0)).toBe('0.00');
    expect(csvDate('2026-06-15')).toBe('2026-06-15');
    // 11:30pm UTC on 30 June is 1 July in London (summer time).
    expect(csvDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(csvDate(null)).toBe('');
    expect(csvFilename('timeliness', '2026-06-15')).toBe('timeliness-2026-06-15.csv');
  });
});
