/**
 * "£1,234.56" from integer pence. Works on the integer digits rather than dividing by 100, so
 * amounts beyond what a float can hold to the penny still print exactly.
 */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) {
    throw new RangeError(`Money must be a whole number of pence, not ${pence}`);
  }
  const sign = pence < 0 ? '-' : '';
  const digits = String(Math.abs(pence)).padStart(3, '0');
  const pounds = digits.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}£${pounds}.${digits.slice(-2)}`;
}

/** A year of a weekly amount: the RAS, plan totals and budgets all count 52 weeks, so yearly and weekly figures agree. */
export const WEEKS_A_YEAR = 52;
