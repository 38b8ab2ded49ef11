/**
 * Why a personal budget ends (DOMAIN.md, "Money rules at sign-off"), as codes the database checks
 * (migration 052) and the words every page, timeline and confirmation uses for them.
 */
export const budgetEndReasons = [
  'replaced',
  'no_longer_eligible',
  'needs_met_another_way',
  'moved_out_of_area',
  'moved_into_residential_care',
  'declined',
  'died',
] as const;
export type BudgetEndReason = (typeof budgetEndReasons)[number];

/** What staff choose from when they end a budget: "replaced" is only ever written by finance's sign-off of the new one. */
export const chosenEndReasons = [
  'no_longer_eligible',
  'needs_met_another_way',
  'moved_out_of_area',
  'moved_into_residential_care',
  'declined',
  'died',
] as const satisfies readonly Exclude<BudgetEndReason, 'replaced'>[];
export type ChosenEndReason = (typeof chosenEndReasons)[number];

export const budgetEndReasonLabels: Record<BudgetEndReason, string> = {
  replaced: 'Replaced by a new personal budget',
  no_longer_eligible: 'Needs no longer eligible',
  needs_met_another_way: 'Needs met another way',
  moved_out_of_area: 'Moved out of the area',
  moved_into_residential_care: 'Moved into residential or nursing care',
  declined: 'Declined by the person',
  died: 'Died',
};

export function isBudgetEndReason(value: unknown): value is BudgetEndReason {
  return typeof value === 'string' && (budgetEndReasons as readonly string[]).includes(value);
}

/** How a budget ends: its last day, why, and anything the reason alone does not say. */
export type BudgetEnd = { endDate: string; endReason: BudgetEndReason; endNote?: string };
