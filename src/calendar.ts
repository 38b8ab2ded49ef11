import { londonToday } from './clock.js';

/**
 * Calendar-day arithmetic. Dates are 'YYYY-MM-DD' London calendar dates; the sums are done in
 * UTC so no clock change moves a day.
 */

const DAY_MS = 86_400_000;

function utcMidnight(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** Whole days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The last day of a month (1–12) of a year: 28, 29, 30 or 31. Worked out rather than read from a
 * Date: every date of birth on a page is checked with it, and a Date each took a microsecond.
 */
export function lastDayOfMonth(year: number, month: number): number {
  const days = DAYS_IN_MONTH[month - 1];
  if (days === undefined) throw new RangeError(`There is no month ${month}`);
  const leapYear = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leapYear ? 29 : days;
}

export function addCalendarDays(iso: string, days: number): string {
  return new Date(utcMidnight(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The London calendar day an instant falls on: 11:30pm UTC on 1 June is 2 June in summer. */
export function londonDateOf(instant: Date | string): string {
  return londonToday({ now: () => new Date(instant) });
}

/** Monday to Sunday of the week `today` is in: councils plan payments in Monday-to-Sunday weeks. */
export function weekContaining(today: string): { from: string; to: string } {
  // getUTCDay: Sunday 0 ... Saturday 6; Monday is the first day of the week here.
  const weekday = (new Date(utcMidnight(today)).getUTCDay() + 6) % 7;
  const from = addCalendarDays(today, -weekday);
  return { from, to: addCalendarDays(from, 6) };
}

/** The months as staff write them, January first. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A calendar date as staff write it, "12 June 2027", for words a service composes: a rule's
 * message, or a reason kept with a record. Pages show dates the same way (src/web/format.ts
 * formatDate), fifty to a list: read from the text rather than through Intl, which took longer
 * than the rest of drawing a list's row.
 */
export function writtenCalendarDate(iso: string): string {
  const [, year, month, day] = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) ?? [];
  const monthName = MONTH_NAMES[Number(month) - 1];
  if (!year || !monthName || !(Number(day) >= 1 && Number(day) <= lastDayOfMonth(Number(year), Number(month)))) {
    throw new RangeError(`${iso} is not a calendar date`);
  }
  return `${Number(day)} ${monthName} ${Number(year)}`;
}

const londonClock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' });

/** The London time of day of an instant, as 24-hour 'HH:MM'. */
export function londonTimeOf(instant: Date | string): string {
  return londonClock.format(new Date(instant));
}

/**
 * The instant a London date and 24-hour time name. In the hour the clocks go back the first of
 * the two is taken; a time the clocks skip in spring is read an hour later, as a clock would show it.
 */
export function londonInstant(iso: string, time: string): Date {
  const wanted = Date.parse(`${iso}T${time}:00Z`);
  // London is UTC or UTC+1: try both offsets and keep one whose London reading is what was typed.
  for (const offsetHours of [1, 0]) {
    const instant = new Date(wanted - offsetHours * 3_600_000);
    if (londonDateOf(instant) === iso && londonTimeOf(instant) === time) return instant;
  }
  return new Date(wanted);
}
