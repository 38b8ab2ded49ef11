import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  annualFromWeekly,
  directPaymentReviewDue,
  firstReviewDue,
  splitByManagementOption,
  type ManagementSplit,
} from '../../src/finance/budget.js';

const split = (parts: Partial<ManagementSplit>): ManagementSplit => ({
  direct_payment: 0,
  council_managed: 0,
  individual_service_fund: 0,
  prepaid_card: 0,
  ...parts,
});

describe('splitting an approved budget between management options', () => {
  it('keeps the plan’s split when finance approves the planned amount', () => {
    expect(splitByManagementOption(split({ direct_payment: 12_345, council_managed: 6_789 }), 19_134)).toEqual(
      split({ direct_payment: 12_345, council_managed: 6_789 }),
    );
  });

  it('shares a different amount in proportion to the plan', () => {
    expect(splitByManagementOption(split({ direct_payment: 30_000, council_managed: 10_000 }), 20_000)).toEqual(
      split({ direct_payment: 15_000, council_managed: 5_000 }),
    );
  });

  it('puts the pence left over from rounding on the option with the largest planned share', () => {
    // Thirds of £100 are £33.33 each; the penny left over goes to the first of the equal largest shares.
    expect(splitByManagementOption(split({ direct_payment: 100, council_managed: 100, prepaid_card: 100 }), 10_000)).toEqual(
      split({ direct_payment: 3_334, council_managed: 3_333, prepaid_card: 3_333 }),
    );
    expect(splitByManagementOption(split({ direct_payment: 100, council_managed: 200 }), 1_000)).toEqual(
      split({ direct_payment: 333, council_managed: 667 }),
    );
  });

  it('puts everything in the council-managed budget when nothing was planned in the personal budget', () => {
    expect(splitByManagementOption(split({}), 5_000)).toEqual(split({ council_managed: 5_000 }));
  });

  it('always adds up to the approved amount and keeps options the plan did not use at nothing', () => {
    fc.assert(
      fc.property(
        fc.record({
          direct_payment: fc.nat(500_000),
          council_managed: fc.nat(500_000),
          individual_service_fund: fc.nat(500_000),
          prepaid_card: fc.nat(500_000),
        }),
        fc.nat(2_000_000),
        (planned, approved) => {
          const result = splitByManagementOption(planned, approved);
          expect(Object.values(result).reduce((sum, pence) => sum + pence, 0)).toBe(approved);
          const plannedTotal = Object.values(planned).reduce((sum, pence) => sum + pence, 0);
          for (const [option, pence] of Object.entries(result)) {
            expect(Number.isSafeInteger(pence) && pence >= 0).toBe(true);
            if (plannedTotal > 0 && planned[option as keyof ManagementSplit] === 0) expect(pence).toBe(0);
          }
        },
      ),
    );
  });
});

describe('budget dates', () => {
  it('schedules the first review exactly 8 weeks (56 days) after the start', () => {
    expect(firstReviewDue('2026-08-03')).toBe('2026-09-28');
    expect(firstReviewDue('2026-12-15')).toBe('2027-02-09');
  });

  it('schedules a direct payment review 6 calendar months after the start, on the last day of a shorter month', () => {
    expect(directPaymentReviewDue('2026-08-03')).toBe('2027-02-03');
    expect(directPaymentReviewDue('2026-08-31')).toBe('2027-02-28');
    expect(directPaymentReviewDue('2027-08-31')).toBe('2028-02-29');
  });

  it('counts the day before across a month and a clock change', () => {
    expect(addDays('2026-11-01', -1)).toBe('2026-10-31');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
  });

  it('counts a year as 52 weeks, as the plan totals do', () => {
    expect(annualFromWeekly(17_557)).toBe(912_964);
  });
});
