import { uptake } from '../dashboard/figures.js';

/**
 * The national personal budget uptake targets for England (DOMAIN.md, PB uptake): 30% of people
 * with eligible needs by April 2011, 40% by April 2012, and everyone eligible by April 2013. All
 * three dates have passed, so today each is simply met or not; the council's own dated targets
 * are kept in its settings.
 */
export const nationalUptakeTargets = [
  { percent: 30, by: '2011-04-01' },
  { percent: 40, by: '2012-04-01' },
  { percent: 100, by: '2013-04-01' },
] as const;

/** How many more people need a budget to meet a target; 0 when met, null when nobody is eligible. */
export function shortOfNational(line: { eligible: number; withBudget: number }, percent: number): number | null {
  const figures = uptake(line.eligible, line.withBudget, percent);
  return figures.meetsTarget === null ? null : figures.shortOfTarget;
}
