import { addCalendarDays, daysBetween, lastDayOfMonth } from '../calendar.js';
import { directPaymentPaidWeeklyPence } from '../finance/charging.js';
import type { BudgetCharge, PersonalBudget } from '../finance/repo.js';
import type { DirectPaymentFrequency } from '../plans/options.js';
import { WEEKS_A_YEAR } from '../money.js';

/**
 * The direct payment schedule: pure, no I/O, no clock. Dates are 'YYYY-MM-DD' calendar dates.
 *
 * Payments follow the council's payment calendar, not each person's start date: weeks run Monday
 * to Sunday, 4-weekly periods run in 28-day blocks counted from Monday 1 January 2024, and months
 * are calendar months. Each payment is made in advance for one period. A budget that starts part
 * way through a period is paid for the days from its start; one that ends part way is paid up to
 * its last day; a change of budget or contribution part way through a period is paid at the old
 * rate up to the day before and the new rate from that day.
 *
 * Rounding rule: a week's share is worth a seventh of itself a day, and a month is 52/12 of a week
 * spread evenly over the month's days. Each payment is that exact amount for the days it covers,
 * rounded once to the nearest penny (a half penny up), so no payment is more than half a penny
 * from what its days are worth, and the payments for any span are within half a penny a payment
 * of its exact amount. A full period at one rate therefore pays exactly 1 or 4 weeks (so 52 weekly
 * or 13 four-weekly payments are exactly the yearly amount, 52 weeks), and a full month pays 52/12
 * of a week rounded once, the figure the budget letter gives (so 12 monthly payments are within
 * 4p of the yearly amount, as 52/12 of whole pence is never more than a third of a penny from whole).
 */

/** The Monday the 4-weekly blocks are counted from: the council's payment calendar. */
export const FOUR_WEEKLY_CALENDAR_START = '2024-01-01';

export type PaymentPeriod = { start: string; end: string };

/** The payment period a day falls in. */
export function paymentPeriodOf(date: string, frequency: DirectPaymentFrequency): PaymentPeriod {
  if (frequency === 'monthly') {
    const [year, month] = date.split('-').map(Number) as [number, number];
    const yearAndMonth = date.slice(0, 8);
    return { start: `${yearAndMonth}01`, end: `${yearAndMonth}${lastDayOfMonth(year, month)}` };
  }
  const length = frequency === 'weekly' ? 7 : 28;
  const fromCalendarStart = daysBetween(FOUR_WEEKLY_CALENDAR_START, date);
  const start = addCalendarDays(FOUR_WEEKLY_CALENDAR_START, Math.floor(fromCalendarStart / length) * length);
  return { start, end: addCalendarDays(start, length - 1) };
}

/** The weekly amount paid from a date, until the next rate's date. */
export type WeeklyRate = { from: string; weeklyPence: number };

/** One budget's direct payment: how often it is paid, from when to when, and at what weekly rates. */
export type DirectPaymentTerms = {
  budgetId: number;
  startDate: string;
  /** The last day it pays for; null while the budget is open. */
  endDate: string | null;
  frequency: DirectPaymentFrequency;
  /** In date order, the first on the start date. */
  rates: readonly WeeklyRate[];
};

export type ScheduledPayment = {
  budgetId: number;
  periodStart: string;
  periodEnd: string;
  /** The days this payment pays for: the whole period, or the part the budget covers. */
  coversFrom: string;
  coversTo: string;
  amountPence: number;
  partPeriod: boolean;
};

/** Rounds num/den to the nearest whole number, a half up; num >= 0, den > 0. */
function roundHalfUp(num: bigint, den: bigint): number {
  return Number((2n * num + den) / (2n * den));
}

/**
 * What the days from `from` to `to` (inclusive, inside one period) are worth, as a fraction: the
 * sum of each rate's days, over 7 for weekly and 4-weekly, and spread over the month's days for a month.
 */
function worth(terms: DirectPaymentTerms, period: PaymentPeriod, from: string, to: string): { num: bigint; den: bigint } {
  let num = 0n;
  terms.rates.forEach((rate, index) => {
    const next = terms.rates[index + 1];
    const rateFrom = rate.from > from ? rate.from : from;
    const rateTo = next && addCalendarDays(next.from, -1) < to ? addCalendarDays(next.from, -1) : to;
    if (rateTo < rateFrom) return;
    num += BigInt(rate.weeklyPence) * BigInt(daysBetween(rateFrom, rateTo) + 1);
  });
  if (terms.frequency !== 'monthly') return { num, den: 7n };
  const monthDays = BigInt(daysBetween(period.start, period.end) + 1);
  return { num: num * BigInt(WEEKS_A_YEAR), den: 12n * monthDays };
}

/**
 * Every payment of one budget for the periods that start on or before `through`, in date order.
 * A period with nothing to pay (a rate of nothing, when the whole share goes on the contribution) has no payment.
 */
export function scheduledPayments(terms: DirectPaymentTerms, through: string): ScheduledPayment[] {
  const payments: ScheduledPayment[] = [];
  let period = paymentPeriodOf(terms.startDate, terms.frequency);
  while (period.start <= through && (terms.endDate === null || period.start <= terms.endDate)) {
    const coversFrom = period.start < terms.startDate ? terms.startDate : period.start;
    const coversTo = terms.endDate !== null && terms.endDate < period.end ? terms.endDate : period.end;
    const { num, den } = worth(terms, period, coversFrom, coversTo);
    const amountPence = roundHalfUp(num, den);
    if (amountPence > 0) {
      payments.push({
        budgetId: terms.budgetId,
        periodStart: period.start,
        periodEnd: period.end,
        coversFrom,
        coversTo,
        amountPence,
        partPeriod: coversFrom !== period.start || coversTo !== period.end,
      });
    }
    period = paymentPeriodOf(addCalendarDays(period.end, 1), terms.frequency);
  }
  return payments;
}

/**
 * A budget's direct payment terms from its s.26 figures: the paid weekly amount from each charge
 * row's date (net of what the person pays when paid net). Null when the budget has no direct
 * payment, or ends before it starts (a budget replaced before it began). The frequency is the
 * plan's, kept on every charge row; one recorded before frequencies were kept is paid weekly,
 * as its letter said.
 */
export function directPaymentTermsOf(
  budget: Pick<PersonalBudget, 'id' | 'startDate' | 'endDate' | 'split'>,
  charges: readonly Pick<BudgetCharge, 'id' | 'effectiveFrom' | 'personPaysWeeklyPence' | 'directPayment'>[],
): DirectPaymentTerms | null {
  const share = budget.split.direct_payment;
  if (share <= 0 || (budget.endDate !== null && budget.endDate < budget.startDate)) return null;
  // The newest row for a date wins, as everywhere the charges are read.
  const inOrder = [...charges].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id - b.id);
  const rates: WeeklyRate[] = [];
  let frequency: DirectPaymentFrequency = 'weekly';
  for (const charge of inOrder) {
    const from = charge.effectiveFrom > budget.startDate ? charge.effectiveFrom : budget.startDate;
    const weeklyPence = directPaymentPaidWeeklyPence(share, charge.personPaysWeeklyPence, charge.directPayment?.basis ?? null);
    if (rates.at(-1)?.from === from) rates.pop();
    rates.push({ from, weeklyPence });
    frequency = charge.directPayment?.frequency ?? frequency;
  }
  if (rates.length === 0) rates.push({ from: budget.startDate, weeklyPence: share });
  return { budgetId: budget.id, startDate: budget.startDate, endDate: budget.endDate, frequency, rates };
}

/** The weekly amount paid on a day, or null when the budget does not pay that day. */
export function weeklyRateOn(terms: DirectPaymentTerms, date: string): number | null {
  if (date < terms.startDate || (terms.endDate !== null && date > terms.endDate)) return null;
  return terms.rates.filter((rate) => rate.from <= date).at(-1)?.weeklyPence ?? null;
}
