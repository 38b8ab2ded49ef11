import { z } from 'zod';
import { eligibilityOutcomes } from '../assessments/eligibility.js';
import {
  choice,
  optionalText,
  optionalTextarea,
  positiveId,
  requiredText,
  requiredTextarea,
  versionField,
  withoutControlCharacters,
} from '../web/form-fields.js';
import { moneyField } from '../web/money-field.js';
import {
  directPaymentBases,
  directPaymentFrequencies,
  fundingStreams,
  isManagementOption,
  itemCostTypes,
  type DirectPaymentBasis,
  type DirectPaymentFrequency,
  type ItemCostType,
} from './options.js';

const outcomeKeys = eligibilityOutcomes.map((outcome) => outcome.key) as [string, ...string[]];

/** A checkbox group arrives as a string for one box and an array for several. */
const checkboxValues = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string()));

export const outcomeSchema = z.object({
  description: requiredTextarea('the outcome in the person’s own words', 1000),
  eligibilityOutcomes: checkboxValues.pipe(
    z
      .array(z.enum(outcomeKeys, { error: 'Select outcomes from the list' }))
      .min(1, 'Select at least one eligibility outcome this relates to'),
  ),
  version: versionField,
});

// Units a week with up to two decimal places (7.5 hours), kept as hundredths so no float is stored.
const unitsPerWeek = z
  .string({ error: 'Enter the number of units a week' })
  .trim()
  .check(withoutControlCharacters('units a week'))
  .min(1, 'Enter the number of units a week')
  .regex(/^\d{1,3}(\.\d{1,2})?$/, 'Enter the units a week as a number, like 7 or 7.5')
  .transform((text) => {
    const [whole = '0', fraction = ''] = text.split('.');
    return Number(whole) * 100 + Number(fraction.padEnd(2, '0') || '0');
  })
  .refine((hundredths) => hundredths > 0, 'Units a week must be more than 0')
  .refine((hundredths) => hundredths <= 16800, 'Units a week must be 168 or fewer (the hours in a week)');

/** An item's cost in pence: the chosen way's amounts, and null for the others. */
type ItemCost = {
  weeklyPence: number | null;
  unitCostPence: number | null;
  unitsPerWeekHundredths: number | null;
  yearlyPence: number | null;
  oneOffPence: number | null;
};
const noCost: ItemCost = { weeklyPence: null, unitCostPence: null, unitsPerWeekHundredths: null, yearlyPence: null, oneOffPence: null };

type CostBox = 'weeklyAmount' | 'unitCost' | 'unitsPerWeek' | 'yearlyAmount' | 'oneOffAmount';
type TypedItem = { costType?: ItemCostType } & Partial<Record<CostBox, string>>;

/** What each way of costing reads, by the words its messages use. */
const costBoxesOf: Record<ItemCostType, CostBox[]> = {
  weekly: ['weeklyAmount'],
  unit: ['unitCost', 'unitsPerWeek'],
  yearly: ['yearlyAmount'],
  one_off: ['oneOffAmount'],
};
const costTypeWords: Record<ItemCostType, string> = {
  weekly: 'a weekly amount',
  unit: 'a rate times hours a week',
  yearly: 'a yearly amount',
  one_off: 'a one-off amount',
};

/**
 * The cost read from the chosen way's boxes only: the others may still hold what was typed before
 * the choice changed. A chosen way left empty while another way's boxes were filled in says so,
 * rather than only asking for the empty box.
 */
function itemCost(item: TypedItem): { cost?: ItemCost; issues: { path: CostBox | 'costType'; message: string }[] } {
  const issues: { path: CostBox | 'costType'; message: string }[] = [];
  const { costType } = item;
  if (!costType) return { issues };
  const filled = (box: CostBox) => (item[box] ?? '').trim() !== '';
  const otherWay = itemCostTypes.find((type) => type !== costType && costBoxesOf[type].some(filled));
  if (otherWay && !costBoxesOf[costType].some(filled)) {
    issues.push({
      path: 'costType',
      message: `You chose ${costTypeWords[costType]} but filled in ${costTypeWords[otherWay]}: choose ${costTypeWords[otherWay]}, or fill in the boxes under ${costTypeWords[costType]}`,
    });
    return { issues };
  }
  const read = <T>(box: CostBox, schema: z.ZodType<T>) => {
    const parsed = schema.safeParse(item[box] ?? '');
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) issues.push({ path: box, message: issue.message });
    return undefined;
  };
  const costed = (cost: Partial<ItemCost>) => ({ issues, cost: issues.length > 0 ? undefined : { ...noCost, ...cost } });
  switch (costType) {
    case 'weekly':
      return costed({ weeklyPence: read('weeklyAmount', moneyField('the weekly cost')) });
    case 'unit':
      return costed({
        unitCostPence: read('unitCost', moneyField('the rate (the cost of one hour or unit)')),
        unitsPerWeekHundredths: read('unitsPerWeek', unitsPerWeek),
      });
    case 'yearly':
      return costed({ yearlyPence: read('yearlyAmount', moneyField('the yearly cost')) });
    case 'one_off':
      return costed({ oneOffPence: read('oneOffAmount', moneyField('the one-off cost')) });
  }
}

export const itemSchema = z
  .object({
    description: requiredText('what the support is', 300),
    provider: optionalText('who provides it', 200),
    outcomeId: positiveId('Select the outcome this support is for'),
    fundingStream: choice(fundingStreams, 'Select who pays for it'),
    // Asked only of social care money: the NHS or another funder manages its own (src/plans/options.ts).
    managementOption: z.string().optional(),
    costType: choice(itemCostTypes, 'Select how the cost is worked out'),
    weeklyAmount: z.string().optional(),
    unitCost: z.string().optional(),
    unitsPerWeek: z.string().optional(),
    yearlyAmount: z.string().optional(),
    oneOffAmount: z.string().optional(),
    version: versionField,
  })
  // Checked even when another field is wrong, so every message shows at once rather than one a submit.
  .superRefine(
    (item, context) => {
      const typed = item as Partial<typeof item>;
      if (typed.fundingStream === 'social_care' && !isManagementOption(typed.managementOption)) {
        context.addIssue({ code: 'custom', path: ['managementOption'], message: 'Select how this support is managed' });
      }
      const costType = itemCostTypes.find((type) => type === typed.costType);
      for (const issue of itemCost({ ...typed, costType }).issues)
        context.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
    },
    { when: () => true },
  )
  .transform((item) => ({
    ...item,
    managementOption: item.fundingStream === 'social_care' && isManagementOption(item.managementOption) ? item.managementOption : null,
    ...(itemCost(item).cost as ItemCost),
  }));
/** A support item as typed; the yearly and one-off amounts may be left out by callers that predate them (seeds, older tests). */
export type ItemInput = Omit<z.output<typeof itemSchema>, 'yearlyPence' | 'oneOffPence'> &
  Partial<Pick<z.output<typeof itemSchema>, 'yearlyPence' | 'oneOffPence'>>;

export const riskSchema = z.object({
  risk: requiredTextarea('the risk', 1000),
  howManaged: requiredTextarea('how the risk is managed', 1000),
  version: versionField,
});

/** What the plan's own figures make required: the same rules submitting applies (rules.ts), so saving flags what submitting would refuse. */
export type DetailsRequirements = { directPayment: boolean; overIndicativeReason: boolean; needsChanged: boolean };

const detailsFields = {
  peopleInvolved: requiredTextarea('who was involved in writing the plan', 1000),
  contactArrangements: requiredTextarea('how the person wants to be contacted about their plan', 1000),
  eligibleNeeds: requiredTextarea('the eligible needs'),
  needsCouncilWillMeet: requiredTextarea('which needs the council will meet and how'),
  wellbeing: requiredTextarea('the wellbeing matters the plan relates to'),
  preventionAdvice: requiredTextarea('the advice on reducing or preventing needs'),
  version: versionField,
};

/** With no direct payment its terms are not asked, and nothing is kept that would contradict that. */
const noDirectPayment = z
  .unknown()
  .optional()
  .transform(() => null);

export function detailsSchemaFor(requires: DetailsRequirements): z.ZodType<DetailsInput> {
  return z.object({
    ...detailsFields,
    directPaymentNeeds: requires.directPayment
      ? requiredTextarea('which needs the direct payment meets')
      : noDirectPayment.transform(() => ''),
    directPaymentFrequency: requires.directPayment
      ? choice(directPaymentFrequencies, 'Select how often the direct payment is paid')
      : noDirectPayment,
    directPaymentBasis: requires.directPayment
      ? choice(directPaymentBases, 'Select whether the direct payment is paid gross or net of the person’s contribution')
      : noDirectPayment,
    overIndicativeReason: requires.overIndicativeReason
      ? requiredTextarea('the reason the personal budget is above the indicative budget')
      : optionalTextarea('the reason'),
    // Reviews (issue 5): asked when a plan from a review would lower the budget, or was answered before.
    needsChanged: requires.needsChanged ? requiredTextarea('what has changed in the person’s needs') : optionalTextarea('what has changed'),
  });
}
/** The plan's details as saved: the direct payment terms are null when there is no direct payment. */
export type DetailsInput = Record<
  Exclude<keyof typeof detailsFields, 'version'> | 'directPaymentNeeds' | 'overIndicativeReason' | 'needsChanged',
  string
> & {
  version: number;
  directPaymentFrequency: DirectPaymentFrequency | null;
  directPaymentBasis: DirectPaymentBasis | null;
};

export const versionOnlySchema = z.object({ version: versionField });

export const withdrawSchema = z.object({
  reason: requiredTextarea('the reason for withdrawing the plan', 1000),
  version: versionField,
});
export type WithdrawInput = z.output<typeof withdrawSchema>;
