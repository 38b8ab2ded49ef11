import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deductionsFrom, type OpenRecovery } from '../../src/direct-payments/recovery-deductions.js';

const paymentArb = fc.integer({ min: 0, max: 500_000 });
const recoveryArb = fc.record({
  amountPence: fc.integer({ min: 1, max: 2_000_000 }),
  capPence: fc.option(fc.integer({ min: 1, max: 300_000 })),
});
/** Payments split into runs of one to three, as successive payment runs take them. */
const runsArb = fc.array(fc.array(paymentArb, { minLength: 1, maxLength: 3 }), { maxLength: 30 });

/** Takes the recoveries from each run in turn, carrying what is still to recover from one run to the next. */
function takeOverRuns(runs: number[][], recoveries: { amountPence: number; capPence: number | null }[]) {
  const open: OpenRecovery[] = recoveries.map((recovery, index) => ({
    id: index + 1,
    stillToRecoverPence: recovery.amountPence,
    capPence: recovery.capPence,
  }));
  const perPayment = runs.flatMap((run) => {
    const taken = deductionsFrom(run, open);
    for (const deductions of taken) {
      for (const { recoveryId, amountPence } of deductions) {
        const recovery = open.find((candidate) => candidate.id === recoveryId) as OpenRecovery;
        recovery.stillToRecoverPence -= amountPence;
      }
    }
    return run.map((due, index) => ({ due, deductions: taken[index] ?? [] }));
  });
  return { perPayment, open };
}

describe('taking a recovery from the next payments', () => {
  it('takes exactly the amount to recover, or everything paid when the payments end first; no payment goes below £0 or past the cap', () => {
    fc.assert(
      fc.property(runsArb, recoveryArb, (runs, recovery) => {
        const { perPayment } = takeOverRuns(runs, [recovery]);
        const eachTaken = perPayment.map((payment) => payment.deductions.reduce((sum, deduction) => sum + deduction.amountPence, 0));
        for (const [index, taken] of eachTaken.entries()) {
          const due = perPayment[index]?.due ?? 0;
          expect(Number.isInteger(taken)).toBe(true);
          expect(due - taken).toBeGreaterThanOrEqual(0);
          expect(taken).toBeLessThanOrEqual(recovery.capPence ?? due);
        }
        const total = eachTaken.reduce((sum, taken) => sum + taken, 0);
        const mostTakeable = perPayment.reduce((sum, payment) => sum + Math.min(payment.due, recovery.capPence ?? payment.due), 0);
        expect(total).toBe(Math.min(recovery.amountPence, mostTakeable));
      }),
      { numRuns: 500 },
    );
  });

  it('takes several recoveries at once, never more than each payment or any recovery’s amount or cap', () => {
    fc.assert(
      fc.property(runsArb, fc.array(recoveryArb, { minLength: 1, maxLength: 4 }), (runs, recoveries) => {
        const { perPayment, open } = takeOverRuns(runs, recoveries);
        for (const payment of perPayment) {
          expect(payment.deductions.reduce((sum, deduction) => sum + deduction.amountPence, 0)).toBeLessThanOrEqual(payment.due);
          for (const deduction of payment.deductions) {
            const cap = recoveries[deduction.recoveryId - 1]?.capPence ?? null;
            if (cap !== null) expect(deduction.amountPence).toBeLessThanOrEqual(cap);
          }
        }
        for (const recovery of open) expect(recovery.stillToRecoverPence).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });

  it('takes £30 a payment from £100 due until £70 is recovered', () => {
    expect(deductionsFrom([10_000, 10_000, 10_000, 10_000], [{ id: 1, stillToRecoverPence: 7_000, capPence: 3_000 }])).toEqual([
      [{ recoveryId: 1, amountPence: 3_000 }],
      [{ recoveryId: 1, amountPence: 3_000 }],
      [{ recoveryId: 1, amountPence: 1_000 }],
      [],
    ]);
  });
});
