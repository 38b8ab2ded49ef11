import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays, daysBetween } from '../../src/calendar.js';
import {
  directPaymentTermsOf,
  paymentPeriodOf,
  scheduledPayments,
  type DirectPaymentTerms,
  type ScheduledPayment,
} from '../../src/direct-payments/schedule.js';
import { perPaymentPence } from '../../src/finance/charging.js';
import { directPaymentFrequencies, type DirectPaymentFrequency } from '../../src/plans/options.js';

/**
 * The oracle works a day at a time, in exact fractions over one denominator that 7 and 12 times
 * every month length (28 to 31 days) divide: a day of a weekly or 4-weekly payment is worth a
 * seventh of the week's rate, a day of a monthly one 52/12 of a week spread over its month.
 */
const UNIT = 4_530_960n;

function daysInMonth(date: string): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function rateOn(terms: DirectPaymentTerms, day: string): number {
  if (day < terms.startDate || (terms.endDate !== null && day > terms.endDate)) return 0;
  return terms.rates.filter((rate) => rate.from <= day).at(-1)?.weeklyPence ?? 0;
}

/** What the days from `from` to `to` are worth, in UNITs of a penny. */
function exactWorth(terms: DirectPaymentTerms, from: string, to: string): bigint {
  let total = 0n;
  for (let day = from; day <= to; day = addCalendarDays(day, 1)) {
    const rate = BigInt(rateOn(terms, day));
    total += terms.frequency === 'monthly' ? (rate * 52n * UNIT) / (12n * BigInt(daysInMonth(day))) : (rate * UNIT) / 7n;
  }
  return total;
}

const sum = (payments: readonly ScheduledPayment[]) => payments.reduce((total, payment) => total + payment.amountPence, 0);

/** Dates from 2024 to 2030, so leap years and every weekday are met. */
const dateArb = fc.integer({ min: 0, max: 6 * 365 }).map((days) => addCalendarDays('2024-01-01', days));
const frequencyArb = fc.constantFrom(...directPaymentFrequencies);
const weeklyArb = fc.integer({ min: 0, max: 250_000 });

/** A budget's direct payment with up to four changes of rate (a financial assessment, say) after its start, and maybe an end. */
const termsArb = fc
  .record({
    start: dateArb,
    frequency: frequencyArb,
    firstRate: weeklyArb,
    changes: fc.array(fc.record({ afterDays: fc.integer({ min: 1, max: 400 }), weeklyPence: weeklyArb }), { maxLength: 4 }),
    lengthDays: fc.option(fc.integer({ min: 0, max: 900 })),
  })
  .map(({ start, frequency, firstRate, changes, lengthDays }): DirectPaymentTerms => {
    const rates = [{ from: start, weeklyPence: firstRate }];
    for (const change of [...changes].sort((a, b) => a.afterDays - b.afterDays)) {
      const from = addCalendarDays(start, change.afterDays);
      if (rates.at(-1)?.from !== from) rates.push({ from, weeklyPence: change.weeklyPence });
    }
    return { budgetId: 1, startDate: start, endDate: lengthDays === null ? null : addCalendarDays(start, lengthDays), frequency, rates };
  });

describe('payment periods', () => {
  it('runs weeks Monday to Sunday, 4-weekly blocks from Monday 1 January 2024, and calendar months', () => {
    expect(paymentPeriodOf('2026-11-30', 'weekly')).toEqual({ start: '2026-11-30', end: '2026-12-06' });
    expect(paymentPeriodOf('2026-12-06', 'weekly')).toEqual({ start: '2026-11-30', end: '2026-12-06' });
    expect(paymentPeriodOf('2024-01-28', 'four_weekly')).toEqual({ start: '2024-01-01', end: '2024-01-28' });
    expect(paymentPeriodOf('2024-01-29', 'four_weekly')).toEqual({ start: '2024-01-29', end: '2024-02-25' });
    expect(paymentPeriodOf('2023-12-31', 'four_weekly')).toEqual({ start: '2023-12-04', end: '2023-12-31' });
    expect(paymentPeriodOf('2028-02-15', 'monthly')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
  });

  it('gives every day exactly one period, each following the last', () => {
    fc.assert(
      fc.property(dateArb, frequencyArb, (day, frequency) => {
        const period = paymentPeriodOf(day, frequency);
        expect(period.start <= day && day <= period.end).toBe(true);
        expect(paymentPeriodOf(addCalendarDays(period.end, 1), frequency).start).toBe(addCalendarDays(period.end, 1));
      }),
    );
  });
});

describe('a budget’s payments', () => {
  it('pays the part period from a mid-period start, then the full 4-weekly amount', () => {
    // Thursday 10 December 2026 is day 11 of the block from Monday 30 November; 18 days of £200 a week remain.
    const terms: DirectPaymentTerms = {
      budgetId: 7,
      startDate: '2026-12-10',
      endDate: null,
      frequency: 'four_weekly',
      rates: [{ from: '2026-12-10', weeklyPence: 200_00 }],
    };
    expect(scheduledPayments(terms, '2027-01-25')).toEqual([
      {
        budgetId: 7,
        periodStart: '2026-11-30',
        periodEnd: '2026-12-27',
        coversFrom: '2026-12-10',
        coversTo: '2026-12-27',
        amountPence: 514_29, // 18/7 of £200 = £514.2857...
        partPeriod: true,
      },
      {
        budgetId: 7,
        periodStart: '2026-12-28',
        periodEnd: '2027-01-24',
        coversFrom: '2026-12-28',
        coversTo: '2027-01-24',
        amountPence: 800_00,
        partPeriod: false,
      },
      {
        budgetId: 7,
        periodStart: '2027-01-25',
        periodEnd: '2027-02-21',
        coversFrom: '2027-01-25',
        coversTo: '2027-02-21',
        amountPence: 800_00,
        partPeriod: false,
      },
    ]);
  });

  it('changes from the day the contribution changes and stops on the budget’s last day', () => {
    const payments = scheduledPayments(
      {
        budgetId: 1,
        startDate: '2027-01-01',
        endDate: '2027-03-10',
        frequency: 'monthly',
        rates: [
          { from: '2027-01-01', weeklyPence: 120_00 },
          { from: '2027-02-15', weeklyPence: 90_00 },
        ],
      },
      '2027-12-31',
    );
    expect(payments.map((payment) => [payment.periodStart, payment.coversTo, payment.amountPence])).toEqual([
      ['2027-01-01', '2027-01-31', 520_00], // 52/12 of £120
      // 14 days at £120 and 14 at £90 of February's 28, each day 1/28 of 52/12 of a week.
      ['2027-02-01', '2027-02-28', 455_00],
      // 10 of March's 31 days at £90: 90 x 52/12 x 10/31 = £125.8064...
      ['2027-03-01', '2027-03-10', 125_81],
    ]);
  });

  it('pays a full period at one rate exactly what the budget letter says each payment is', () => {
    fc.assert(
      fc.property(dateArb, frequencyArb, weeklyArb, (day, frequency, weeklyPence) => {
        const period = paymentPeriodOf(day, frequency);
        const terms = { budgetId: 1, startDate: period.start, endDate: null, frequency, rates: [{ from: period.start, weeklyPence }] };
        expect(sum(scheduledPayments(terms, period.start))).toBe(perPaymentPence(weeklyPence, frequency));
      }),
    );
  });

  it('pays a year at one rate: 52 weekly or 13 four-weekly payments exactly 52 weeks, 12 monthly within 4p', () => {
    const paymentsInAYear: Record<DirectPaymentFrequency, number> = { weekly: 52, four_weekly: 13, monthly: 12 };
    fc.assert(
      fc.property(dateArb, dateArb, frequencyArb, weeklyArb, (start, yearFrom, frequency, weeklyPence) => {
        const terms = { budgetId: 1, startDate: start, endDate: null, frequency, rates: [{ from: start, weeklyPence }] };
        // The year starts with the first full period after the budget's start (or any later one).
        const containing = paymentPeriodOf(start > yearFrom ? start : yearFrom, frequency);
        const year = scheduledPayments(terms, addCalendarDays(containing.end, 400))
          .filter((payment) => payment.periodStart > containing.end)
          .slice(0, paymentsInAYear[frequency]);
        const difference = Math.abs(sum(year) - weeklyPence * 52);
        if (frequency === 'monthly') expect(difference).toBeLessThanOrEqual(4);
        else expect(difference).toBe(0);
      }),
    );
  });

  it('pays any run of payments within half a penny a payment of what its days are worth, across changes and an end', () => {
    fc.assert(
      fc.property(termsArb, fc.nat(), fc.integer({ min: 1, max: 60 }), (terms, firstIndex, count) => {
        const payments = scheduledPayments(terms, addCalendarDays(terms.startDate, 1_000));
        const run = payments.slice(firstIndex % Math.max(payments.length, 1), (firstIndex % Math.max(payments.length, 1)) + count);
        let exact = 0n;
        for (const payment of run) exact += exactWorth(terms, payment.coversFrom, payment.coversTo);
        const paid = BigInt(sum(run)) * UNIT;
        const gap = paid > exact ? paid - exact : exact - paid;
        // The oracle's own whole-unit division loses under a unit a day; 1,000 days of slack is far below a penny.
        expect(gap <= (BigInt(run.length) * UNIT) / 2n + 1_000n).toBe(true);
      }),
    );
  });

  it('covers every day of the budget once, with no gap and no day paid twice', () => {
    fc.assert(
      fc.property(
        termsArb.filter((terms) => terms.rates.every((rate) => rate.weeklyPence >= 100)),
        (terms) => {
          const through = terms.endDate ?? addCalendarDays(terms.startDate, 500);
          const payments = scheduledPayments(terms, through);
          expect(payments[0]?.coversFrom).toBe(terms.startDate);
          payments.slice(1).forEach((payment, index) => {
            expect(payment.coversFrom).toBe(addCalendarDays((payments[index] as ScheduledPayment).coversTo, 1));
          });
          if (terms.endDate !== null) expect(payments.at(-1)?.coversTo).toBe(terms.endDate);
        },
      ),
    );
  });

  it('pays a replaced budget and its successor the year’s amount between them, within half a penny a payment', () => {
    fc.assert(
      fc.property(termsArb, termsArb, fc.integer({ min: 0, max: 300 }), (first, second, length) => {
        // The second budget starts the day after the first one's last day, as approval replaces one.
        const endOfFirst = addCalendarDays(first.startDate, length);
        const earlier: DirectPaymentTerms = { ...first, endDate: endOfFirst };
        const shift = daysBetween(second.startDate, addCalendarDays(endOfFirst, 1));
        const later: DirectPaymentTerms = {
          ...second,
          budgetId: 2,
          startDate: addCalendarDays(endOfFirst, 1),
          endDate: null,
          frequency: first.frequency,
          rates: second.rates.map((rate) => ({ ...rate, from: addCalendarDays(rate.from, shift) })),
        };
        const yearFrom = addCalendarDays(first.startDate, Math.floor(length / 2));
        const yearTo = addCalendarDays(yearFrom, 364);
        const inYear = (payment: ScheduledPayment) => payment.periodStart >= yearFrom && payment.periodStart <= yearTo;
        const payments = [...scheduledPayments(earlier, yearTo), ...scheduledPayments(later, yearTo)].filter(inYear);
        let exact = 0n;
        for (const payment of payments) {
          exact += exactWorth(payment.budgetId === 1 ? earlier : later, payment.coversFrom, payment.coversTo);
        }
        const paid = BigInt(sum(payments)) * UNIT;
        const gap = paid > exact ? paid - exact : exact - paid;
        expect(gap <= (BigInt(payments.length) * UNIT) / 2n + 1_000n).toBe(true);
        // No period is paid twice by the same budget, and the two budgets never pay for the same day.
        const days = payments.flatMap((payment) => [payment.coversFrom, payment.coversTo]);
        expect(new Set(payments.map((payment) => `${payment.budgetId} ${payment.periodStart}`)).size).toBe(payments.length);
        expect(days).toEqual([...days].sort());
      }),
    );
  });
});

describe('a budget’s direct payment terms from its s.26 figures', () => {
  const budget = {
    id: 3,
    startDate: '2027-04-05',
    endDate: null,
    split: { direct_payment: 150_00, council_managed: 50_00, individual_service_fund: 0, prepaid_card: 0 },
  };
  const charge = (id: number, effectiveFrom: string, personPays: number | null, basis: 'gross' | 'net' | null) => ({
    id,
    effectiveFrom,
    personPaysWeeklyPence: personPays,
    directPayment: { basis, frequency: 'four_weekly' as const, perPaymentPence: 0 },
  });

  it('takes a net contribution off the share from each charge’s date, and pays gross or unassessed in full', () => {
    const terms = directPaymentTermsOf(budget, [
      charge(12, '2027-06-01', 40_00, 'net'),
      charge(10, '2027-04-05', null, 'net'),
      charge(11, '2027-05-01', 200_00, 'net'),
    ]);
    expect(terms).toEqual({
      budgetId: 3,
      startDate: '2027-04-05',
      endDate: null,
      frequency: 'four_weekly',
      rates: [
        { from: '2027-04-05', weeklyPence: 150_00 },
        { from: '2027-05-01', weeklyPence: 0 },
        { from: '2027-06-01', weeklyPence: 110_00 },
      ],
    });
    expect(directPaymentTermsOf(budget, [charge(1, '2027-04-05', 40_00, 'gross')])?.rates).toEqual([
      { from: '2027-04-05', weeklyPence: 150_00 },
    ]);
  });

  it('lets the newest row for a date win, and has no terms without a direct payment share', () => {
    const terms = directPaymentTermsOf(budget, [charge(2, '2027-04-05', 10_00, 'net'), charge(1, '2027-04-05', 30_00, 'net')]);
    expect(terms?.rates).toEqual([{ from: '2027-04-05', weeklyPence: 140_00 }]);
    expect(directPaymentTermsOf({ ...budget, split: { ...budget.split, direct_payment: 0 } }, [])).toBeNull();
    expect(directPaymentTermsOf({ ...budget, endDate: '2027-04-04' }, [])).toBeNull();
  });
});
