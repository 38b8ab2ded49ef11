import { WEEKS_A_YEAR } from '../money.js';
import { fundingStreams, managementOptions, type FundingStream, type ItemCostType, type ManagementOption } from './options.js';

/** What the totals read of a support item: where its money comes from, how it is managed, and its cost as typed. */
export type CostedItem = {
  fundingStream: FundingStream;
  managementOption: ManagementOption | null;
  costType: ItemCostType;
  /** Weekly and unit items: the cost a week. */
  weeklyPence: number | null;
  yearlyPence: number | null;
  oneOffPence: number | null;
};

export type PlanTotals = {
  /** The personal budget: the social care stream only (Care Act s.26). The weekly figure is the yearly one's weekly equivalent. */
  personalBudgetWeeklyPence: number;
  personalBudgetAnnualPence: number;
  /** The individual budget: every funding stream together. */
  individualBudgetWeeklyPence: number;
  individualBudgetAnnualPence: number;
  byFundingStream: Record<FundingStream, { weeklyPence: number; annualPence: number }>;
  /** How the personal budget (social care stream) is managed: the parts add up exactly to the personal budget, a week and a year. */
  byManagementOption: Record<ManagementOption, { weeklyPence: number; annualPence: number }>;
};

/** Weekly cost of "unit cost x units a week", with units in hundredths (7.5 hours = 750), rounded half up. */
export function unitCostWeeklyPence(unitCostPence: number, unitsPerWeekHundredths: number): number {
  const product = BigInt(unitCostPence) * BigInt(unitsPerWeekHundredths);
  return Number((product * 2n + 100n) / 200n);
}

/** A year of an item, exactly: 52 weeks of a weekly cost, or the yearly or one-off amount as typed (a one-off counts in the plan's first year). */
export function yearlyCostPence(item: CostedItem): number {
  const typed = (amount: number | null) => {
    if (amount === null) throw new Error(`A ${item.costType} support item has no ${item.costType} amount`);
    return amount;
  };
  switch (item.costType) {
    case 'weekly':
    case 'unit':
      return typed(item.weeklyPence) * WEEKS_A_YEAR;
    case 'yearly':
      return typed(item.yearlyPence);
    case 'one_off':
      return typed(item.oneOffPence);
  }
}

/**
 * The weekly equivalent of a yearly amount: divided by 52 and rounded half up, once. Adding up
 * rounded weekly parts instead would drift: a carer's £250 a year is £4.81 a week, and 52 of
 * those are £250.12.
 */
export function weeklyEquivalentPence(annualPence: number): number {
  if (!Number.isSafeInteger(annualPence) || annualPence < 0)
    throw new RangeError(`A yearly amount must be whole pence, not ${annualPence}`);
  return Math.floor((annualPence * 2 + WEEKS_A_YEAR) / (2 * WEEKS_A_YEAR));
}

/**
 * The personal budget's weekly equivalent shared between management options by largest
 * remainder: each option's exact share (its yearly amount / 52) rounded down, then the pence
 * left over one each to the options with the largest remainders (the first in the usual order
 * on a tie). The parts then add up to the weekly figure finance approves and splits.
 */
function shareOfWeekly(annualByOption: Record<ManagementOption, number>, weeklyTotalPence: number): Record<ManagementOption, number> {
  const shares = Object.fromEntries(
    managementOptions.map((option) => [option, Math.floor(annualByOption[option] / WEEKS_A_YEAR)]),
  ) as Record<ManagementOption, number>;
  const leftOver = weeklyTotalPence - managementOptions.reduce((sum, option) => sum + shares[option], 0);
  const byRemainder = [...managementOptions].sort(
    (a, b) =>
      (annualByOption[b] % WEEKS_A_YEAR) - (annualByOption[a] % WEEKS_A_YEAR) ||
      managementOptions.indexOf(a) - managementOptions.indexOf(b),
  );
  for (const option of byRemainder.slice(0, leftOver)) shares[option] += 1;
  return shares;
}

export function planTotals(items: readonly CostedItem[]): PlanTotals {
  const annualByStream = Object.fromEntries(fundingStreams.map((stream) => [stream, 0])) as Record<FundingStream, number>;
  const annualByOption = Object.fromEntries(managementOptions.map((option) => [option, 0])) as Record<ManagementOption, number>;
  for (const item of items) {
    const annual = yearlyCostPence(item);
    annualByStream[item.fundingStream] += annual;
    if (item.fundingStream === 'social_care' && item.managementOption) annualByOption[item.managementOption] += annual;
  }
  const personalBudgetAnnualPence = annualByStream.social_care;
  const personalBudgetWeeklyPence = weeklyEquivalentPence(personalBudgetAnnualPence);
  const individualBudgetAnnualPence = fundingStreams.reduce((sum, stream) => sum + annualByStream[stream], 0);
  const weeklyByOption = shareOfWeekly(annualByOption, personalBudgetWeeklyPence);
  return {
    personalBudgetWeeklyPence,
    personalBudgetAnnualPence,
    individualBudgetWeeklyPence: weeklyEquivalentPence(individualBudgetAnnualPence),
    individualBudgetAnnualPence,
    byFundingStream: Object.fromEntries(
      fundingStreams.map((stream) => [
        stream,
        { weeklyPence: weeklyEquivalentPence(annualByStream[stream]), annualPence: annualByStream[stream] },
      ]),
    ) as PlanTotals['byFundingStream'],
    byManagementOption: Object.fromEntries(
      managementOptions.map((option) => [option, { weeklyPence: weeklyByOption[option], annualPence: annualByOption[option] }]),
    ) as PlanTotals['byManagementOption'],
  };
}
