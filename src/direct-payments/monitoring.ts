import { addCalendarDays } from '../calendar.js';

/**
 * Monitoring a direct payment account: pure rules, no I/O. DOMAIN.md "Direct payments": a
 * return gives a statement period's opening balance, money in, money out and closing balance;
 * a balance of a council-set number of weeks of payments is a surplus the council may recover.
 */

export type ReturnFigures = { openingBalancePence: number; moneyInPence: number; moneyOutPence: number; closingBalancePence: number };

/** What the closing balance must be: the opening balance, plus money in, less money out. */
export const expectedClosingPence = (figures: Omit<ReturnFigures, 'closingBalancePence'>) =>
  figures.openingBalancePence + figures.moneyInPence - figures.moneyOutPence;

export const addsUp = (figures: ReturnFigures) => expectedClosingPence(figures) === figures.closingBalancePence;

/** The balance that is a surplus: the council's number of weeks of the weekly payment. */
export const surplusThresholdPence = (weeklyPaidPence: number, surplusWeeks: number) => weeklyPaidPence * surplusWeeks;

/**
 * A balance at the threshold or above is a surplus; below it is not. A payment of nothing a week
 * has no threshold to measure against, so only money actually held can be a surplus.
 */
export const isSurplus = (closingBalancePence: number, thresholdPence: number) =>
  closingBalancePence > 0 && closingBalancePence >= thresholdPence;

export type DateSpan = { from: string; to: string };

/** The last day of the calendar quarter before the one `today` is in: returns are asked for each quarter. */
export function endOfLastQuarter(today: string): string {
  const year = Number(today.slice(0, 4));
  const quarterStartMonth = Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 1;
  return addCalendarDays(`${year}-${String(quarterStartMonth).padStart(2, '0')}-01`, -1);
}

/**
 * The days a direct payment was paid up to `upTo` that no return covers, as spans: the missing
 * periods a review asks about. `paid` and `returns` may come in any order and may touch.
 */
export function missingPeriods(paid: readonly DateSpan[], returns: readonly DateSpan[], upTo: string): DateSpan[] {
  const covered = [...returns].sort((a, b) => a.from.localeCompare(b.from));
  const missing: DateSpan[] = [];
  for (const span of [...paid].sort((a, b) => a.from.localeCompare(b.from))) {
    const to = span.to < upTo ? span.to : upTo;
    let day = span.from;
    for (const done of covered) {
      if (day > to) break;
      if (done.to < day) continue;
      if (done.from > day) missing.push({ from: day, to: done.from <= to ? addCalendarDays(done.from, -1) : to });
      day = addCalendarDays(done.to, 1);
    }
    if (day <= to) missing.push({ from: day, to });
  }
  return missing;
}
