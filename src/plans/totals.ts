import { WEEKS_A_YEAR } from '../money.js';
import { fundingStreams, managementOptions, type FundingStream, type ManagementOption } from './options.js';

export type CostedItem = {
  fundingStream: FundingStream;
  managementOption: ManagementOption;
  weeklyPence: number;
};

export type PlanTotals = {
  /** The personal budget: the social care stream only (Care Act s.26). */
  personalBudgetWeeklyPence: number;
  personalBudgetAnnualPence: number;
  /** The individual budget: every funding stream together. */
  individualBudgetWeeklyPence: number;
  individualBudgetAnnualPence: number;
  byFundingStream: Record<FundingStream, { weeklyPence: number; annualPence: number }>;
  /** How the personal budget (social care stream) is managed. */
  byManagementOption: Record<ManagementOption, { weeklyPence: number; annualPence: number }>;
};

/** Weekly cost of "unit cost x units a week", with units in hundredths (7.5 hours = 750), rounded half up. */
export function unitCostWeeklyPence(unitCostPence: number, unitsPerWeekHundredths: number): number {
  const product = BigInt(unitCostPence) * BigInt(unitsPerWeekHundredths);
  return Number((product * 2n + 100n) / 200n);
}

export function planTotals(items: readonly CostedItem[]): PlanTotals {
  const byFundingStream = Object.fromEntries(
    fundingStreams.map((stream) => [stream, { weeklyPence: 0, annualPence: 0 }]),
  ) as PlanTotals['byFundingStream'];
  const byManagementOption = Object.fromEntries(
    managementOptions.map((option) => [option, { weeklyPence: 0, annualPence: 0 }]),
  ) as PlanTotals['byManagementOption'];
  for (const item of items) {
    byFundingStream[item.fundingStream].weeklyPence += item.weeklyPence;
    if (item.fundingStream === 'social_care') byManagementOption[item.managementOption].weeklyPence += item.weeklyPence;
  }
  for (const total of [...Object.values(byFundingStream), ...Object.values(byManagementOption)]) {
    total.annualPence = total.weeklyPence * WEEKS_A_YEAR;
  }
  const personalBudgetWeeklyPence = byFundingStream.social_care.weeklyPence;
  const individualBudgetWeeklyPence = items.reduce((sum, item) => sum + item.weeklyPence, 0);
  return {
    personalBudgetWeeklyPence,
    personalBudgetAnnualPence: personalBudgetWeeklyPence * WEEKS_A_YEAR,
    individualBudgetWeeklyPence,
    individualBudgetAnnualPence: individualBudgetWeeklyPence * WEEKS_A_YEAR,
    byFundingStream,
    byManagementOption,
  };
}
