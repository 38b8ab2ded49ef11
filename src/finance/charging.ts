import type { DirectPaymentBasis, DirectPaymentFrequency } from '../plans/options.js';

/**
 * Care Act charging: what a person pays towards their care from their income and capital.
 * Pure and in integer pence; the only place the capital limits and tariff income are worked out.
 */

/** At or below the lower limit capital is ignored. */
export const CAPITAL_LOWER_LIMIT_PENCE = 14_250_00;
/** Above the upper limit the person pays the full cost of their care. */
export const CAPITAL_UPPER_LIMIT_PENCE = 23_250_00;
/** Tariff income is £1 a week for every £250, or part of £250, above the lower limit. */
const TARIFF_STEP_PENCE = 250_00;
const TARIFF_PER_STEP_PENCE = 1_00;

export type ChargeInput = {
  weeklyIncomePence: number;
  /** Disregarded income and allowances (for example the minimum income guarantee). */
  weeklyAllowancesPence: number;
  capitalPence: number;
};

export type Charge =
  { paysFullCost: true; tariffIncomePence: 0 } | { paysFullCost: false; tariffIncomePence: number; weeklyContributionPence: number };

export function capitalIsAboveUpperLimit(capitalPence: number): boolean {
  return capitalPence > CAPITAL_UPPER_LIMIT_PENCE;
}

/** Tariff income for capital between the limits; 0 at or below the lower limit. */
export function tariffIncomePence(capitalPence: number): number {
  assertPence(capitalPence, 'capital');
  if (capitalPence <= CAPITAL_LOWER_LIMIT_PENCE) return 0;
  if (capitalIsAboveUpperLimit(capitalPence)) {
    throw new RangeError('Capital is above the upper limit: the person pays the full cost, so there is no tariff income');
  }
  // "Or part of £250": any part of a step counts as a whole step, so round the number of steps up.
  const steps = Math.ceil((capitalPence - CAPITAL_LOWER_LIMIT_PENCE) / TARIFF_STEP_PENCE);
  return steps * TARIFF_PER_STEP_PENCE;
}

/**
 * The weekly contribution: income less allowances plus tariff income, never below 0; above the
 * upper capital limit the person pays the full cost instead, whatever their income.
 */
export function assessCharge(input: ChargeInput): Charge {
  assertPence(input.weeklyIncomePence, 'weekly income');
  assertPence(input.weeklyAllowancesPence, 'weekly allowances');
  assertPence(input.capitalPence, 'capital');
  if (capitalIsAboveUpperLimit(input.capitalPence)) return { paysFullCost: true, tariffIncomePence: 0 };
  const tariff = tariffIncomePence(input.capitalPence);
  return {
    paysFullCost: false,
    tariffIncomePence: tariff,
    weeklyContributionPence: Math.max(0, input.weeklyIncomePence - input.weeklyAllowancesPence + tariff),
  };
}

/**
 * What the person pays a week towards a budget costing `costPence` a week: never more than the
 * cost, and the whole cost when they pay the full cost.
 */
export function personPaysPence(costPence: number, charge: { paysFullCost: boolean; weeklyContributionPence: number }): number {
  return charge.paysFullCost ? costPence : Math.min(costPence, charge.weeklyContributionPence);
}

function assertPence(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number of pence, 0 or more, not ${value}`);
}

/** Weeks in one direct payment by how often it is paid; a month is a twelfth of 52 weeks. */
const WEEKS_PER_PAYMENT = { weekly: 1, four_weekly: 4 } as const;

/** One direct payment of a weekly amount: rounded half up for a month, the only frequency that is not whole weeks. */
export function perPaymentPence(weeklyPence: number, frequency: DirectPaymentFrequency | null): number {
  assertPence(weeklyPence, 'weekly direct payment');
  if (frequency === 'monthly') return Math.floor((weeklyPence * 52 * 2 + 12) / 24);
  return weeklyPence * WEEKS_PER_PAYMENT[frequency ?? 'weekly'];
}

export type DirectPaymentTerms = { basis: DirectPaymentBasis | null; frequency: DirectPaymentFrequency | null };

/**
 * What is paid a week of a direct payment share: net, the person's contribution comes off it
 * first, as far as it goes; gross, or while the contribution is not yet assessed (null), all of it.
 */
export function directPaymentPaidWeeklyPence(
  directPaymentWeeklyPence: number,
  personPaysWeeklyPence: number | null,
  basis: DirectPaymentBasis | null,
): number {
  return basis === 'net'
    ? directPaymentWeeklyPence - Math.min(directPaymentWeeklyPence, personPaysWeeklyPence ?? 0)
    : directPaymentWeeklyPence;
}

/** The Care Act s.26 figures of a budget a week, and what each direct payment is. */
export type S26Figures = {
  personPaysWeeklyPence: number | null;
  councilPaysWeeklyPence: number | null;
  directPayment: { basis: DirectPaymentBasis | null; frequency: DirectPaymentFrequency | null; perPaymentPence: number } | null;
};

/**
 * Who pays what of a budget costing `costWeeklyPence` a week, with `directPaymentWeeklyPence` of
 * it paid as a direct payment. Without a financial assessment what the person pays is not known
 * (null), and a net direct payment is paid in full until it is. Net, the contribution is taken
 * off the direct payment first, as far as it goes; the rest of it is invoiced.
 */
export function s26Figures(
  costWeeklyPence: number,
  directPaymentWeeklyPence: number,
  assessment: { paysFullCost: boolean; weeklyContributionPence: number } | null,
  terms: DirectPaymentTerms,
): S26Figures {
  const personPays = assessment ? personPaysPence(costWeeklyPence, assessment) : null;
  const paidWeekly = directPaymentPaidWeeklyPence(directPaymentWeeklyPence, personPays, terms.basis);
  return {
    personPaysWeeklyPence: personPays,
    councilPaysWeeklyPence: personPays === null ? null : costWeeklyPence - personPays,
    directPayment:
      directPaymentWeeklyPence > 0
        ? { basis: terms.basis, frequency: terms.frequency, perPaymentPence: perPaymentPence(paidWeekly, terms.frequency) }
        : null,
  };
}
