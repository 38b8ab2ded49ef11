import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src/calendar.js';
import { addsUp, endOfLastQuarter, isSurplus, missingPeriods, surplusThresholdPence } from '../../src/direct-payments/monitoring.js';

describe('an account return', () => {
  it('adds up when the opening balance plus money in less money out is the closing balance, to the penny', () => {
    const figures = { openingBalancePence: 1_200_00, moneyInPence: 800_00, moneyOutPence: 650_50, closingBalancePence: 1_349_50 };
    expect(addsUp(figures)).toBe(true);
    expect(addsUp({ ...figures, closingBalancePence: 1_349_51 })).toBe(false);
  });

  it('is a surplus at 8 weeks of a £100 payment, £800, and not a penny below', () => {
    const threshold = surplusThresholdPence(100_00, 8);
    expect(threshold).toBe(800_00);
    expect(isSurplus(800_00, threshold)).toBe(true);
    expect(isSurplus(799_99, threshold)).toBe(false);
    expect(isSurplus(0, surplusThresholdPence(0, 8))).toBe(false);
  });
});

describe('missing return periods', () => {
  it('finds the days paid that no return covers, up to the end of the last quarter', () => {
    expect(endOfLastQuarter('2026-06-15')).toBe('2026-03-31');
    expect(endOfLastQuarter('2026-01-01')).toBe('2025-12-31');
    expect(
      missingPeriods(
        [{ from: '2025-04-01', to: '2099-12-31' }],
        [
          { from: '2025-07-01', to: '2025-09-30' },
          { from: '2025-04-01', to: '2025-06-30' },
          { from: '2026-01-01', to: '2026-02-28' },
        ],
        '2026-03-31',
      ),
    ).toEqual([
      { from: '2025-10-01', to: '2025-12-31' },
      { from: '2026-03-01', to: '2026-03-31' },
    ]);
  });

  it('leaves no day both missing and covered, and misses every paid day no return covers', () => {
    const day = fc.integer({ min: 0, max: 200 }).map((n) => addCalendarDays('2026-01-01', n));
    const span = fc.tuple(day, fc.integer({ min: 0, max: 60 })).map(([from, length]) => ({ from, to: addCalendarDays(from, length) }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 3 }), fc.array(span, { maxLength: 4 }), day, (paid, returns, upTo) => {
        const missing = missingPeriods(paid, returns, upTo);
        const inAny = (spans: { from: string; to: string }[], d: string) => spans.some((s) => s.from <= d && d <= s.to);
        for (let d = '2026-01-01'; d <= '2026-09-30'; d = addCalendarDays(d, 1)) {
          expect(inAny(missing, d)).toBe(inAny(paid, d) && !inAny(returns, d) && d <= upTo);
        }
      }),
      { numRuns: 60 },
    );
  });
});
