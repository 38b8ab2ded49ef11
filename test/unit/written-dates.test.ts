import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src/calendar.js';
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
