import { describe, expect, it } from 'vitest';
import { addCalendarDays, lastDayOfMonth } from '../../src/calendar.js';
import { formatDate } from '../../src/web/format.js';

describe('a calendar date as staff write it', () => {
  it('is "14 March 1938": the day without a leading zero, the month in words', () => {
    expect(formatDate('1938-03-14')).toBe('14 March 1938');
    expect(formatDate('2027-06-01')).toBe('1 June 2027');
    expect(formatDate('2024-02-29')).toBe('29 February 2024');
  });

  it('reads every day of a leap year and of a century past as the en-GB calendar writes it', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    for (const first of ['2024-01-01', '1900-01-01']) {
      for (let day = 0; day < 366; day++) {
        const iso = addCalendarDays(first, day);
        expect(formatDate(iso)).toBe(intl.format(new Date(`${iso}T00:00:00Z`)));
      }
    }
  });

  it('is nothing for no date, and refuses what is not a calendar date', () => {
    expect(formatDate(null)).toBe('');
    for (const notADate of ['14/03/1938', '1938-13-01', '1938-03-00', '1938-03-14T10:00:00Z', '2027-06-31', '2025-02-29', '1900-02-29']) {
      expect(() => formatDate(notADate)).toThrow(RangeError);
    }
  });
});

describe('the last day of a month', () => {
  it('is the day before the first of the next month, in every month from 1896 to 2104', () => {
    for (let year = 1896; year <= 2104; year++) {
      for (let month = 1; month <= 12; month++) {
        const firstOfNext = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
        const dayBefore = addCalendarDays(firstOfNext, -1);
        expect(lastDayOfMonth(year, month)).toBe(Number(dayBefore.slice(8)));
      }
    }
    expect([1900, 2000, 2024, 2100].map((year) => lastDayOfMonth(year, 2))).toEqual([28, 29, 29, 28]);
  });

  it('refuses a month that is not 1 to 12', () => {
    for (const month of [0, 13, 2.5]) expect(() => lastDayOfMonth(2024, month)).toThrow(RangeError);
  });
});
