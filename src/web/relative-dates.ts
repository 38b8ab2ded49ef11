import { daysBetween } from '../calendar.js';

/** The wording staff read in lists ("overdue by 12 days"), from London calendar dates. */

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
