import { lastDayOfMonth } from '../calendar.js';
import { WEEKS_A_YEAR } from '../money.js';
import { managementOptions, type ManagementOption } from '../plans/options.js';

/**
 * Pure rules of an approved personal budget: how it is split between management options and
 * when its reviews fall due. Dates are calendar dates ('YYYY-MM-DD'), worked in UTC so no
 * clock change moves them.
 */

export type ManagementSplit = Record<ManagementOption, number>;

export function annualFromWeekly(weeklyPence: number): number {
  return weeklyPence * WEEKS_A_YEAR;
}

/** Statutory guidance ch. 13: a light-touch first review 6 to 8 weeks after the plan starts; we use 8. */
export const FIRST_REVIEW_AFTER_DAYS = 56;
/** A direct payment is reviewed within its first 6 months. */
export const DIRECT_PAYMENT_REVIEW_AFTER_MONTHS = 6;

/**
 * The approved weekly amount split between management options. When finance approves the
 * planned amount the plan's split is kept as it is. A different amount is shared in proportion
 * to the plan's split, rounded down, with the pence left over from rounding put on the option
 * with the largest planned share (the first in the usual order on a tie), so the parts always
 * add up to the approved amount. A plan with nothing planned in the personal budget has no
 * proportions: all of it goes to the council-managed budget, the option that needs no set-up.
 */
export function splitByManagementOption(planned: ManagementSplit, approvedWeeklyPence: number): ManagementSplit {
  if (!Number.isSafeInteger(approvedWeeklyPence) || approvedWeeklyPence < 0) {
    throw new RangeError(`The approved amount must be whole pence, 0 or more, not ${approvedWeeklyPence}`);
  }
  const plannedTotal = managementOptions.reduce((sum, option) => sum + planned[option], 0);
  if (approvedWeeklyPence === plannedTotal) return { ...planned };
  const split = Object.fromEntries(managementOptions.map((option) => [option, 0])) as ManagementSplit;
  if (plannedTotal === 0) {
    split.council_managed = approvedWeeklyPence;
    return split;
  }
  let allocated = 0;
  for (const option of managementOptions) {
    split[option] = Number((BigInt(approvedWeeklyPence) * BigInt(planned[option])) / BigInt(plannedTotal));
    allocated += split[option];
  }
  const largest = managementOptions.reduce((best, option) => (planned[option] > planned[best] ? option : best), managementOptions[0]);
  split[largest] += approvedWeeklyPence - allocated;
  return split;
}

function toDate(iso: string): Date {
  return new Date(`${iso}T00:00:00Z`);
}

function toIso(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  const date = toDate(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return toIso(date);
}

/** Calendar months; a day the later month does not have becomes its last day (31 August + 6 months = 28 February). */
export function addMonths(iso: string, months: number): string {
  const date = toDate(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  date.setUTCDate(Math.min(day, lastDayOfMonth(date.getUTCFullYear(), date.getUTCMonth() + 1)));
  return toIso(date);
}

export function firstReviewDue(startDate: string): string {
  return addDays(startDate, FIRST_REVIEW_AFTER_DAYS);
}

export function directPaymentReviewDue(startDate: string): string {
  return addMonths(startDate, DIRECT_PAYMENT_REVIEW_AFTER_MONTHS);
}
