import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fundingStreams, itemCostTypes, managementOptions } from '../../src/plans/options.js';
import { planTotals, weeklyEquivalentPence, yearlyCostPence, type CostedItem } from '../../src/plans/totals.js';

const none = { weeklyPence: null, yearlyPence: null, oneOffPence: null };
const where = { fundingStream: 'social_care', managementOption: 'council_managed' } as const;

const weekly = (pence: number, options: Partial<CostedItem> = {}): CostedItem => ({
  ...where,
  ...none,
  costType: 'weekly',
  weeklyPence: pence,
  ...options,
});
const yearly = (pence: number, options: Partial<CostedItem> = {}): CostedItem => ({
  ...where,
  ...none,
  costType: 'yearly',
  yearlyPence: pence,
  ...options,
});
const oneOff = (pence: number, options: Partial<CostedItem> = {}): CostedItem => ({
  ...where,
  ...none,
  costType: 'one_off',
  oneOffPence: pence,
  ...options,
});

/** The exact amount a year, worked out here without the code under test (a missing amount is NaN, which BigInt refuses). */
function exactYear(item: CostedItem): bigint {
  if (item.costType === 'yearly') return BigInt(item.yearlyPence ?? NaN);
  if (item.costType === 'one_off') return BigInt(item.oneOffPence ?? NaN);
  return BigInt(item.weeklyPence ?? NaN) * 52n;
}

/** w is a year's weekly equivalent rounded half up when 52(2w - 1) <= 2 x year < 52(2w + 1). */
function isRoundedHalfUp(weeklyPence: number, annualPence: number): boolean {
  const twice = 2n * BigInt(annualPence);
  const w = BigInt(weeklyPence);
  return 52n * (2n * w - 1n) <= twice && twice < 52n * (2n * w + 1n);
}

const anItem: fc.Arbitrary<CostedItem> = fc
  .record({
    costType: fc.constantFrom(...itemCostTypes),
    amount: fc.nat(5_000_000),
    fundingStream: fc.constantFrom(...fundingStreams),
    managementOption: fc.constantFrom(...managementOptions),
  })
  .map(({ costType, amount, fundingStream, managementOption }) => {
    const options = { fundingStream, managementOption };
    if (costType === 'yearly') return yearly(amount, options);
    if (costType === 'one_off') return oneOff(amount, options);
    return { ...weekly(amount, options), costType };
  });
const aPlan = fc.array(anItem, { maxLength: 12 });

const sum = (values: readonly bigint[]) => values.reduce((total, value) => total + value, 0n);
const annualOf = (items: readonly CostedItem[], keep: (item: CostedItem) => boolean = () => true) => sum(items.filter(keep).map(exactYear));

describe('a plan’s totals', () => {
  it('gives a carer’s £250 a year as £250.00 a year and £4.81 a week, not £250.12', () => {
    const totals = planTotals([yearly(25_000, { managementOption: 'direct_payment' })]);
    expect(totals.personalBudgetAnnualPence).toBe(25_000);
    expect(totals.personalBudgetWeeklyPence).toBe(481);
    expect(totals.byManagementOption.direct_payment).toEqual({ weeklyPence: 481, annualPence: 25_000 });
  });

  it('counts a one-off amount once, in the first year: £120 once is £120.00 a year and £2.31 a week', () => {
    const totals = planTotals([oneOff(12_000)]);
    expect(totals.personalBudgetAnnualPence).toBe(12_000);
    expect(totals.personalBudgetWeeklyPence).toBe(231);
  });

  it('adds weekly, yearly and one-off items up exactly, then rounds the week once', () => {
    // £150 a week (£7,800 a year) + £250 a year + £120 once = £8,170 a year; / 52 = £157.115..., so £157.12.
    const totals = planTotals([weekly(15_000), yearly(25_000), oneOff(12_000)]);
    expect(totals.personalBudgetAnnualPence).toBe(817_000);
    expect(totals.personalBudgetWeeklyPence).toBe(15_712);
    // Three times £250 a year is £750.00 a year and £14.42 a week; adding rounded weeks would give 3 x £4.81 = £14.43, £750.36 a year.
    const three = planTotals([yearly(25_000), yearly(25_000), yearly(25_000)]);
    expect(three.personalBudgetAnnualPence).toBe(75_000);
    expect(three.personalBudgetWeeklyPence).toBe(1_442);
  });

  it('keeps a plan of weekly items as it was: the weekly total is the sum of the weeks, the year 52 of them', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1_000_000), { maxLength: 10 }), (weeks) => {
        const totals = planTotals(weeks.map((pence) => weekly(pence)));
        const total = weeks.reduce((a, b) => a + b, 0);
        expect(totals.personalBudgetWeeklyPence).toBe(total);
        expect(totals.personalBudgetAnnualPence).toBe(total * 52);
      }),
    );
  });

  it('makes each yearly total the exact sum of its items, and each weekly figure that total / 52 rounded half up', () => {
    fc.assert(
      fc.property(aPlan, (items) => {
        const totals = planTotals(items);
        expect(BigInt(totals.individualBudgetAnnualPence)).toBe(annualOf(items));
        expect(BigInt(totals.personalBudgetAnnualPence)).toBe(annualOf(items, (item) => item.fundingStream === 'social_care'));
        expect(isRoundedHalfUp(totals.individualBudgetWeeklyPence, totals.individualBudgetAnnualPence)).toBe(true);
        expect(isRoundedHalfUp(totals.personalBudgetWeeklyPence, totals.personalBudgetAnnualPence)).toBe(true);
        for (const stream of fundingStreams) {
          const { weeklyPence, annualPence } = totals.byFundingStream[stream];
          expect(BigInt(annualPence)).toBe(annualOf(items, (item) => item.fundingStream === stream));
          expect(isRoundedHalfUp(weeklyPence, annualPence)).toBe(true);
        }
        expect(totals.byFundingStream.social_care).toEqual({
          weeklyPence: totals.personalBudgetWeeklyPence,
          annualPence: totals.personalBudgetAnnualPence,
        });
      }),
    );
  });

  it('splits the personal budget between management options in parts that add up exactly, a week and a year', () => {
    fc.assert(
      fc.property(aPlan, (items) => {
        const totals = planTotals(items);
        const parts = managementOptions.map((option) => totals.byManagementOption[option]);
        expect(parts.reduce((total, part) => total + part.weeklyPence, 0)).toBe(totals.personalBudgetWeeklyPence);
        expect(parts.reduce((total, part) => total + part.annualPence, 0)).toBe(totals.personalBudgetAnnualPence);
        for (const option of managementOptions) {
          const { weeklyPence, annualPence } = totals.byManagementOption[option];
          const keep = (item: CostedItem) => item.fundingStream === 'social_care' && item.managementOption === option;
          expect(BigInt(annualPence)).toBe(annualOf(items, keep));
          // Each part is its exact share rounded down or up, never further off; nothing planned gets nothing.
          expect(weeklyPence).toBeGreaterThanOrEqual(Math.floor(annualPence / 52));
          expect(weeklyPence).toBeLessThanOrEqual(Math.ceil(annualPence / 52));
        }
      }),
    );
  });

  it('gives a penny left over by rounding to the option with the largest remainder, the first in order on a tie', () => {
    // £250 a year is 480 weeks of pence and 40 over; £100 a year is 192 and 16 over. £350 / 52 = £6.73: 480 + 192 + 1.
    const split = planTotals([
      yearly(10_000, { managementOption: 'council_managed' }),
      yearly(25_000, { managementOption: 'prepaid_card' }),
    ]).byManagementOption;
    expect(split.prepaid_card.weeklyPence).toBe(481);
    expect(split.council_managed.weeklyPence).toBe(192);

    // £250 a year twice is £9.62 a week: 480 + 480 and two pence over, one to each of the tie.
    const tie = planTotals([
      yearly(25_000, { managementOption: 'prepaid_card' }),
      yearly(25_000, { managementOption: 'direct_payment' }),
    ]).byManagementOption;
    expect(tie.direct_payment.weeklyPence + tie.prepaid_card.weeklyPence).toBe(962);
    expect(tie.direct_payment.weeklyPence).toBe(481);
    expect(tie.prepaid_card.weeklyPence).toBe(481);

    // A penny for one of two equal remainders goes to the first in the usual order: direct payment before prepaid card.
    const onePenny = planTotals([
      yearly(26, { managementOption: 'prepaid_card' }),
      yearly(26, { managementOption: 'direct_payment' }),
    ]).byManagementOption;
    expect(onePenny.direct_payment.weeklyPence).toBe(1);
    expect(onePenny.prepaid_card.weeklyPence).toBe(0);
  });

  it('does not depend on the order of the items', () => {
    fc.assert(
      fc.property(aPlan, (items) => {
        expect(planTotals([...items].reverse())).toEqual(planTotals(items));
      }),
    );
  });

  it('leaves other funding streams out of the personal budget and its split', () => {
    const totals = planTotals([yearly(25_000), oneOff(50_000, { fundingStream: 'health', managementOption: 'direct_payment' })]);
    expect(totals.personalBudgetAnnualPence).toBe(25_000);
    expect(totals.individualBudgetAnnualPence).toBe(75_000);
    expect(totals.individualBudgetWeeklyPence).toBe(1_442);
    expect(totals.byManagementOption.direct_payment).toEqual({ weeklyPence: 0, annualPence: 0 });
  });
});

describe('one item', () => {
  it('costs a year exactly as typed, or 52 of its weeks', () => {
    expect(yearlyCostPence(weekly(15_000))).toBe(780_000);
    expect(yearlyCostPence({ ...weekly(16_125), costType: 'unit' })).toBe(838_500);
    expect(yearlyCostPence(yearly(25_000))).toBe(25_000);
    expect(yearlyCostPence(oneOff(12_000))).toBe(12_000);
  });

  it('refuses an item without the amount its way of costing needs, rather than counting it as nothing', () => {
    expect(() => yearlyCostPence({ ...yearly(25_000), yearlyPence: null })).toThrow('A yearly support item has no yearly amount');
  });

  it('rounds a year to a week half up: 26 pence a year is half a penny, so 1', () => {
    expect(weeklyEquivalentPence(25)).toBe(0);
    expect(weeklyEquivalentPence(26)).toBe(1);
    expect(weeklyEquivalentPence(77)).toBe(1);
    expect(weeklyEquivalentPence(78)).toBe(2);
  });
});
