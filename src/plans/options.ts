export const fundingStreams = ['social_care', 'supporting_people', 'health', 'other'] as const;
export type FundingStream = (typeof fundingStreams)[number];
export const fundingStreamLabels: Record<FundingStream, string> = {
  social_care: 'Social care (personal budget)',
  supporting_people: 'Supporting People (housing-related support)',
  health: 'Health',
  other: 'Other',
};

export const managementOptions = ['direct_payment', 'council_managed', 'individual_service_fund', 'prepaid_card'] as const;
export type ManagementOption = (typeof managementOptions)[number];
export const managementOptionLabels: Record<ManagementOption, string> = {
  direct_payment: 'Direct payment',
  council_managed: 'Council-managed budget',
  individual_service_fund: 'Individual service fund (held by a provider)',
  prepaid_card: 'Prepaid card',
};
export const isManagementOption = (value: unknown): value is ManagementOption => managementOptions.some((option) => option === value);

/**
 * How an item is managed, in words: a management option is the council's way of paying social
 * care money, so support another body funds says who pays for it instead.
 */
const fundedElsewhereLabels: Record<Exclude<FundingStream, 'social_care'>, string> = {
  supporting_people: 'Arranged through Supporting People',
  health: 'Arranged and paid for by the NHS',
  other: 'Paid for outside the council’s budget',
};
export const howManagedLabel = (item: { fundingStream: FundingStream; managementOption: ManagementOption | null }) =>
  item.fundingStream === 'social_care' && item.managementOption
    ? managementOptionLabels[item.managementOption]
    : item.fundingStream === 'social_care'
      ? 'Not recorded'
      : fundedElsewhereLabels[item.fundingStream];

/** The ways a support item is costed: most support is weekly; a carer's break or equipment costs a year or once. */
export const itemCostTypes = ['weekly', 'unit', 'yearly', 'one_off'] as const;
export type ItemCostType = (typeof itemCostTypes)[number];

export const directPaymentFrequencies = ['weekly', 'four_weekly', 'monthly'] as const;
export type DirectPaymentFrequency = (typeof directPaymentFrequencies)[number];
export const directPaymentFrequencyLabels: Record<DirectPaymentFrequency, string> = {
  weekly: 'Every week',
  four_weekly: 'Every 4 weeks',
  monthly: 'Every month',
};

/** Whether the person's contribution is collected afterwards (gross) or taken off first (net). */
export const directPaymentBases = ['gross', 'net'] as const;
export type DirectPaymentBasis = (typeof directPaymentBases)[number];
export const directPaymentBasisLabels: Record<DirectPaymentBasis, string> = {
  gross: 'Gross: the council pays all of it and collects the person’s contribution',
  net: 'Net: the contribution is taken off before it is paid',
};
