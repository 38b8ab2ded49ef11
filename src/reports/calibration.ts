import { roundHalfUp } from '../ras/engine.js';

/**
 * Recalibration ("What councils need to see" in DOMAIN.md): how approved personal budgets compare
 * with the indicative budgets they came from, and the price per point that would have matched.
 *
 * Points here are the points the price multiplies: raw points after the informal support
 * adjustment, rawPoints * (100 + modifierPercent) / 100. With no adjustment they are the raw
 * points. Using raw points would under-price any group where many people have family support,
 * and the suggestion would then not reproduce the approved budgets when put back into the RAS.
 * Sums are kept in hundredths of a point (rawPoints * (100 + modifierPercent)) so they stay whole.
 */
export type CalibrationSums = {
  count: number;
  sumIndicativePence: bigint;
  sumApprovedPence: bigint;
  /** Sum of x, where x = rawPoints * (100 + modifierPercent): hundredths of a point. */
  sumX: bigint;
  /** Sum of x * approved pence. */
  sumXApproved: bigint;
  /** Sum of x squared. */
  sumXSquared: bigint;
};

export type CalibrationFigures = {
  count: number;
  meanIndicativePence: number;
  meanApprovedPence: number;
  /** Sum approved / sum indicative in hundredths, rounded half up: 126 is a ratio of 1.26. */
  ratioHundredths: number | null;
  /** Sum approved / sum points, in pence per point per year, rounded half up. */
  ratioPricePence: number | null;
  /** Least squares through the origin: sum(points * approved) / sum(points squared), rounded half up. */
  leastSquaresPricePence: number | null;
};

function divide(numerator: bigint, denominator: bigint): number | null {
  return denominator > 0n ? Number(roundHalfUp(numerator, denominator)) : null;
}

export function calibrationFigures(sums: CalibrationSums): CalibrationFigures {
  const count = BigInt(sums.count);
  return {
    count: sums.count,
    meanIndicativePence: divide(sums.sumIndicativePence, count) ?? 0,
    meanApprovedPence: divide(sums.sumApprovedPence, count) ?? 0,
    ratioHundredths: divide(100n * sums.sumApprovedPence, sums.sumIndicativePence),
    // Points are x / 100, so sum approved / sum points = 100 * sum approved / sum x.
    ratioPricePence: divide(100n * sums.sumApprovedPence, sums.sumX),
    // sum((x/100) * a) / sum((x/100)^2) = 100 * sum(x * a) / sum(x^2).
    leastSquaresPricePence: divide(100n * sums.sumXApproved, sums.sumXSquared),
  };
}

/** "1.26" from 126. */
export function ratioText(hundredths: number | null): string {
  if (hundredths === null) return 'Not available';
  return `${Math.trunc(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

export const estimators = ['ratio', 'least_squares'] as const;
export type Estimator = (typeof estimators)[number];

export const estimatorLabels: Record<Estimator, string> = {
  ratio: 'Total approved divided by total points',
  least_squares: 'Least squares line through zero',
};
