import { describe, expect, it } from 'vitest';
import { addCalendarDays, daysBetween, londonDateOf, weekContaining } from '../../src/calendar.js';
import { ageText, dueWording } from '../../src/web/relative-dates.js';

describe('how a due date is worded', () => {
  it.each([
    ['2026-06-15', 'due today'],
    ['2026-06-16', 'due tomorrow'],
    ['2026-06-18', 'due in 3 days'],
    ['2026-07-15', 'due in 30 days'],
    ['2026-06-14', 'overdue by 1 day'],
    ['2026-06-03', 'overdue by 12 days'],
    ['2025-06-15', 'overdue by 365 days'],
  ])('a review due %s, seen on 15 June 2026, is "%s"', (due, wording) => {
    expect(dueWording(due, '2026-06-15')).toBe(wording);
  });

  it('counts whole calendar days across the clock change and a leap day', () => {
    // Clocks go forward on 29 March 2026; the day count must not come out as 0.96 or 1.04.
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-10-24', '2026-10-26')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(dueWording('2026-03-28', '2026-03-30')).toBe('overdue by 2 days');
  });

  it('adds days across months and years', () => {
    expect(addCalendarDays('2026-06-15', 30)).toBe('2026-07-15');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('ages and London days', () => {
  it('says "today" for something started today and counts days after that', () => {
    expect(ageText('2026-06-15', '2026-06-15')).toBe('today');
    expect(ageText('2026-06-14', '2026-06-15')).toBe('1 day');
    expect(ageText('2026-06-01', '2026-06-15')).toBe('14 days');
  });

  it('takes the London calendar day of an instant, so late evening in summer is the next day', () => {
    expect(londonDateOf(new Date('2026-06-01T23:30:00Z'))).toBe('2026-06-02');
    expect(londonDateOf(new Date('2026-01-01T23:30:00Z'))).toBe('2026-01-01');
  });

  it('finds the Monday-to-Sunday week a day is in', () => {
    expect(weekContaining('2026-06-15')).toEqual({ from: '2026-06-15', to: '2026-06-21' });
    expect(weekContaining('2026-06-21')).toEqual({ from: '2026-06-15', to: '2026-06-21' });
    expect(weekContaining('2026-06-18')).toEqual({ from: '2026-06-15', to: '2026-06-21' });
    expect(weekContaining('2027-01-01')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });
});
