import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, percentOneDecimal, sumCounts, uptake } from '../../src/dashboard/figures.js';

describe('the median wait', () => {
  it('is the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([20])).toBe(20);
    expect(median([41, 12, 20])).toBe(20);
    expect(median([12, 40, 17, 20])).toBe(18.5);
    expect(median([3, 3, 3, 100])).toBe(3);
  });

  it('is nothing when there is nothing to count', () => {
    expect(median([])).toBeNull();
  });

  it('does not depend on the order of the values and lies between the smallest and largest', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), (values) => {
        const result = median(values) as number;
        expect(median([...values].reverse())).toBe(result);
        expect(result).toBeGreaterThanOrEqual(Math.min(...values));
        expect(result).toBeLessThanOrEqual(Math.max(...values));
      }),
    );
  });
});

describe('personal budget uptake', () => {
  it('gives the share to one decimal place, rounding halves up', () => {
    expect(percentOneDecimal(3, 7)).toBe(42.9);
    expect(percentOneDecimal(1, 3)).toBe(33.3);
    expect(percentOneDecimal(2, 3)).toBe(66.7);
    // 1/16 is exactly 6.25%: half up gives 6.3.
    expect(percentOneDecimal(1, 16)).toBe(6.3);
    expect(percentOneDecimal(0, 5)).toBe(0);
    expect(percentOneDecimal(5, 5)).toBe(100);
    expect(percentOneDecimal(1, 0)).toBeNull();
  });

  it('compares with the target on whole numbers, not on the rounded share', () => {
    // 2 of 3 is 66.67%: it meets a 66% target but not a 67% one, though both round near it.
    expect(uptake(3, 2, 66)).toMatchObject({ percent: 66.7, meetsTarget: true, shortOfTarget: 0 });
    expect(uptake(3, 2, 67)).toMatchObject({ percent: 66.7, meetsTarget: false, shortOfTarget: 1 });
  });

  it('says how many more people need a budget to reach the target', () => {
    // 40% of 7 people is 2.8, so 3 are needed; 3 have one.
    expect(uptake(7, 3, 40)).toEqual({ eligible: 7, withBudget: 3, percent: 42.9, meetsTarget: true, shortOfTarget: 0 });
    // 100% of 4 is 4; 2 have one.
    expect(uptake(4, 2, 100)).toEqual({ eligible: 4, withBudget: 2, percent: 50, meetsTarget: false, shortOfTarget: 2 });
    // 40% of 1 is 0.4, so 1 is needed.
    expect(uptake(1, 0, 40)).toMatchObject({ percent: 0, meetsTarget: false, shortOfTarget: 1 });
  });

  it('has no share and no verdict when nobody has eligible needs', () => {
    expect(uptake(0, 0, 100)).toEqual({ eligible: 0, withBudget: 0, percent: null, meetsTarget: null, shortOfTarget: 0 });
  });

  it('adds up counts for totals', () => {
    expect(
      sumCounts([
        { eligible: 2, withBudget: 1 },
        { eligible: 5, withBudget: 2 },
      ]),
    ).toEqual({ eligible: 7, withBudget: 3 });
    expect(sumCounts([])).toEqual({ eligible: 0, withBudget: 0 });
  });
});
