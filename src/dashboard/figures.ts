/**
 * The dashboard's arithmetic, pure so it can be checked by hand: personal budget uptake against
 * a target, shares of a total, and the median of a list of waits. Counts are whole numbers, so
 * every comparison with the target is made on integers, never on a rounded percentage.
 */

export type Uptake = {
  eligible: number;
  withBudget: number;
  /** withBudget as a percentage of eligible to one decimal place (half up); null when nobody is eligible. */
  percent: number | null;
  /** Null when nobody is eligible or there is no target. */
  meetsTarget: boolean | null;
  /** How many more people would need a budget to reach the target; 0 with no target. */
  shortOfTarget: number;
};

/** Rounds a non-negative fraction part/whole, as a percentage, to one decimal place, half up, in integers. */
export function percentOneDecimal(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  // tenths of a percent = part * 1000 / whole, rounded half up: floor((2 * part * 1000 + whole) / (2 * whole)).
  return Math.floor((2 * part * 1000 + whole) / (2 * whole)) / 10;
}

/** Uptake against a target; with no target (null) nothing is met or short. */
export function uptake(eligible: number, withBudget: number, targetPercent: number | null): Uptake {
  if (eligible === 0 || targetPercent === null) {
    return { eligible, withBudget, percent: percentOneDecimal(withBudget, eligible), meetsTarget: null, shortOfTarget: 0 };
  }
  // ceil(target% of eligible) people are needed; target * eligible / 100 rounded up, in integers.
  const needed = Math.ceil((targetPercent * eligible) / 100);
  return {
    eligible,
    withBudget,
    percent: percentOneDecimal(withBudget, eligible),
    meetsTarget: withBudget * 100 >= targetPercent * eligible,
    shortOfTarget: Math.max(0, needed - withBudget),
  };
}

/** The middle value; for an even count, the mean of the two middle values (so it may end in .5). Null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Adds up groups of counts: the totals row of a table, or a team's figures from its client groups. */
export function sumCounts(rows: readonly { eligible: number; withBudget: number }[]): { eligible: number; withBudget: number } {
  return rows.reduce((total, row) => ({ eligible: total.eligible + row.eligible, withBudget: total.withBudget + row.withBudget }), {
    eligible: 0,
    withBudget: 0,
  });
}
