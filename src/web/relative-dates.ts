import { londonToday } from '../clock.js';

/**
 * Calendar-day arithmetic and the wording staff read in lists ("overdue by 12 days"). Dates are
 * 'YYYY-MM-DD' London calendar dates; the sums are done in UTC so no clock change moves a day.
 */

const DAY_MS = 86_400_000;

function utcMidnight(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

/** Whole days from `from` to `to`: negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

export function addCalendarDays(iso: string, days: number): string {
  return new Date(utcMidnight(iso) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The London calendar day an instant falls on: 11:30pm UTC on 1 June is 2 June in summer. */
export function londonDateOf(instant: Date | string): string {
  return londonToday({ now: () => new Date(instant) });
}

/** "1 day", "12 days". */
export function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** How a due date stands today, as a care manager would say it. */
export function dueWording(dueDate: string, today: string): string {
  const days = daysBetween(today, dueDate);
  if (days === 0) return 'due today';
  if (days === 1) return 'due tomorrow';
  if (days > 0) return `due in ${daysText(days)}`;
  return `overdue by ${daysText(-days)}`;
}

/** How long something has been waiting or open: "started today", else "3 days". */
export function ageText(since: string, today: string): string {
  const days = Math.max(0, daysBetween(since, today));
  return days === 0 ? 'today' : daysText(days);
}

/** Monday to Sunday of the week `today` is in: councils plan payments in Monday-to-Sunday weeks. */
export function weekContaining(today: string): { from: string; to: string } {
  // getUTCDay: Sunday 0 ... Saturday 6; Monday is the first day of the week here.
  const weekday = (new Date(utcMidnight(today)).getUTCDay() + 6) % 7;
  const from = addCalendarDays(today, -weekday);
  return { from, to: addCalendarDays(from, 6) };
}
