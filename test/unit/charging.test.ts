import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessCharge,
  CAPITAL_LOWER_LIMIT_PENCE,
  CAPITAL_UPPER_LIMIT_PENCE,
  personPaysPence,
  tariffIncomePence,
} from '../../src/finance/charging.js';

const pounds = (amount: number) => Math.round(amount * 100);

describe('tariff income from capital (£1 a week for every £250 or part of £250 above £14,250)', () => {
  const cases: [string, number, number][] = [
    ['no capital', 0, 0],
    ['£14,249.99, below the lower limit', 1_424_999, 0],
    ['£14,250, exactly the lower limit', 1_425_000, 0],
    ['£14,250.01, a penny over', 1_425_001, 100],
    ['£14,500, exactly one step over', 1_450_000, 100],
    ['£14,500.01, a penny into the second step', 1_450_001, 200],
    ['£15,000, exactly three steps over', 1_500_000, 300],
    ['£20,000', 2_000_000, 2_300],
    ['£22,999.99', 2_299_999, 3_500],
    ['£23,000.01, part of the last step', 2_300_001, 3_600],
    ['£23,250, exactly the upper limit', 2_325_000, 3_600],
  ];
  for (const [name, capital, tariff] of cases) {
    it(`${name} gives ${tariff / 100 === 0 ? 'no tariff income' : `£${tariff / 100} a week`}`, () => {
      expect(tariffIncomePence(capital)).toBe(tariff);
    });
  }

  it('refuses to give a tariff above the upper limit, where the person pays the full cost instead', () => {
    expect(() => tariffIncomePence(2_325_001)).toThrow(/full cost/);
  });

  it('never counts less than one pound a week for each whole £250 over the lower limit, nor more than one step extra', () => {
    fc.assert(
      fc.property(fc.integer({ min: CAPITAL_LOWER_LIMIT_PENCE, max: CAPITAL_UPPER_LIMIT_PENCE }), (capital) => {
        const over = capital - CAPITAL_LOWER_LIMIT_PENCE;
        const tariff = tariffIncomePence(capital);
        expect(tariff % 100).toBe(0);
        expect(tariff / 100).toBeGreaterThanOrEqual(Math.floor(over / 25_000));
        expect(tariff / 100).toBeLessThanOrEqual(Math.floor(over / 25_000) + 1);
      }),
    );
  });
});

describe('the weekly contribution', () => {
  it('is income less allowances when capital is at or below the lower limit', () => {
    expect(assessCharge({ weeklyIncomePence: pounds(245.6), weeklyAllowancesPence: pounds(214.35), capitalPence: pounds(14_250) })).toEqual(
      {
        paysFullCost: false,
        tariffIncomePence: 0,
        weeklyContributionPence: 3_125,
      },
    );
  });

  it('adds tariff income between the limits', () => {
    expect(
      assessCharge({ weeklyIncomePence: pounds(245.6), weeklyAllowancesPence: pounds(214.35), capitalPence: pounds(14_500.01) }),
    ).toEqual({
      paysFullCost: false,
      tariffIncomePence: 200,
      weeklyContributionPence: 3_325,
    });
  });

  it('is £36 of tariff income at exactly £23,250, not the full cost', () => {
    expect(assessCharge({ weeklyIncomePence: 0, weeklyAllowancesPence: 0, capitalPence: pounds(23_250) })).toEqual({
      paysFullCost: false,
      tariffIncomePence: 3_600,
      weeklyContributionPence: 3_600,
    });
  });

  it('is the full cost a penny above £23,250, whatever the income', () => {
    expect(assessCharge({ weeklyIncomePence: 0, weeklyAllowancesPence: pounds(500), capitalPence: 2_325_001 })).toEqual({
      paysFullCost: true,
      tariffIncomePence: 0,
    });
  });

  it('is never below nothing when allowances are more than income and tariff together', () => {
    expect(assessCharge({ weeklyIncomePence: pounds(100), weeklyAllowancesPence: pounds(189), capitalPence: pounds(15_000) })).toEqual({
      paysFullCost: false,
      tariffIncomePence: 300,
      weeklyContributionPence: 0,
    });
  });

  it('lets the tariff bring a contribution up from nothing', () => {
    const charge = assessCharge({ weeklyIncomePence: pounds(100), weeklyAllowancesPence: pounds(101), capitalPence: pounds(16_000) });
    expect(charge).toEqual({ paysFullCost: false, tariffIncomePence: 700, weeklyContributionPence: 600 });
  });

  it('refuses amounts that are not whole pence or are negative', () => {
    expect(() => assessCharge({ weeklyIncomePence: 10.5, weeklyAllowancesPence: 0, capitalPence: 0 })).toThrow(RangeError);
    expect(() => assessCharge({ weeklyIncomePence: 0, weeklyAllowancesPence: -1, capitalPence: 0 })).toThrow(RangeError);
  });

  it('is always a whole number of pence and never negative', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(1_000_000), fc.nat(CAPITAL_UPPER_LIMIT_PENCE), (income, allowances, capital) => {
        const charge = assessCharge({ weeklyIncomePence: income, weeklyAllowancesPence: allowances, capitalPence: capital });
        if (charge.paysFullCost) throw new Error('not above the upper limit');
        expect(Number.isSafeInteger(charge.weeklyContributionPence)).toBe(true);
        expect(charge.weeklyContributionPence).toBe(Math.max(0, income - allowances + charge.tariffIncomePence));
      }),
    );
  });
});

describe('what the person pays towards their budget', () => {
  it('is their contribution when it is less than the cost', () => {
    expect(personPaysPence(30_000, { paysFullCost: false, weeklyContributionPence: 3_125 })).toBe(3_125);
  });

  it('is capped at the cost of the budget', () => {
    expect(personPaysPence(2_000, { paysFullCost: false, weeklyContributionPence: 3_125 })).toBe(2_000);
  });

  it('is the whole cost when they pay the full cost', () => {
    expect(personPaysPence(30_000, { paysFullCost: true, weeklyContributionPence: 0 })).toBe(30_000);
  });
});
