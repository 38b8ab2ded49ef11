/** A recovery being taken from payments: what is still to take, and the most any one payment gives. */
export type OpenRecovery = { id: number; stillToRecoverPence: number; capPence: number | null };

export type Deduction = { recoveryId: number; amountPence: number };

/**
 * What each payment gives back, in the order given (a person's payments by period, the oldest
 * recovery first). Each recovery takes min(what is left of the payment, its cap, what it still has
 * to recover), so no payment goes below nothing and no recovery is taken past its amount.
 */
export function deductionsFrom(paymentsPence: readonly number[], recoveries: readonly OpenRecovery[]): Deduction[][] {
  const stillToRecover = new Map(recoveries.map((recovery) => [recovery.id, recovery.stillToRecoverPence]));
  return paymentsPence.map((payment) => {
    let left = payment;
    const deductions: Deduction[] = [];
    for (const recovery of recoveries) {
      const owed = stillToRecover.get(recovery.id) ?? 0;
      const amountPence = Math.min(left, recovery.capPence ?? left, owed);
      if (amountPence <= 0) continue;
      deductions.push({ recoveryId: recovery.id, amountPence });
      stillToRecover.set(recovery.id, owed - amountPence);
      left -= amountPence;
    }
    return deductions;
  });
}
