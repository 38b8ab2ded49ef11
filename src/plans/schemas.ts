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
import { directPaymentBases, directPaymentFrequencies, fundingStreams, itemCostTypes, managementOptions } from './options.js';

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

export const itemSchema = z
  .object({
    description: requiredText('what the support is', 300),
    provider: optionalText('who provides it', 200),
    outcomeId: positiveId('Select the outcome this support is for'),
    fundingStream: choice(fundingStreams, 'Select the funding stream'),
    managementOption: choice(managementOptions, 'Select how this support is managed'),
    costType: choice(itemCostTypes, 'Select how the cost is worked out'),
    weeklyAmount: z.string().optional(),
    unitCost: z.string().optional(),
    unitsPerWeek: z.string().optional(),
    yearlyAmount: z.string().optional(),
    oneOffAmount: z.string().optional(),
    version: versionField,
  })
  .transform((item, context) => {
    // Only the boxes of the chosen way are read: the others may still hold what was typed before the choice changed.
    const read = <T>(field: 'weeklyAmount' | 'unitCost' | 'unitsPerWeek' | 'yearlyAmount' | 'oneOffAmount', schema: z.ZodType<T>) => {
      const parsed = schema.safeParse(item[field] ?? '');
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', path: [field], message: issue.message });
      return undefined;
    };
    const costed = (cost: Partial<ItemCost>) => ({ ...item, ...noCost, ...cost });
    switch (item.costType) {
      case 'weekly': {
        const weeklyPence = read('weeklyAmount', moneyField('the weekly cost'));
        return weeklyPence === undefined ? z.NEVER : costed({ weeklyPence });
      }
      case 'unit': {
        const unitCostPence = read('unitCost', moneyField('the cost of one unit'));
        const unitsPerWeekHundredths = read('unitsPerWeek', unitsPerWeek);
        return unitCostPence === undefined || unitsPerWeekHundredths === undefined
          ? z.NEVER
          : costed({ unitCostPence, unitsPerWeekHundredths });
      }
      case 'yearly': {
        const yearlyPence = read('yearlyAmount', moneyField('the yearly cost'));
        return yearlyPence === undefined ? z.NEVER : costed({ yearlyPence });
      }
      case 'one_off': {
        const oneOffPence = read('oneOffAmount', moneyField('the one-off cost'));
        return oneOffPence === undefined ? z.NEVER : costed({ oneOffPence });
      }
    }
  });
/** A support item as typed; the yearly and one-off amounts may be left out by callers that predate them (seeds, older tests). */
export type ItemInput = Omit<z.output<typeof itemSchema>, 'yearlyPence' | 'oneOffPence'> &
  Partial<Pick<z.output<typeof itemSchema>, 'yearlyPence' | 'oneOffPence'>>;

export const riskSchema = z.object({
  risk: requiredTextarea('the risk', 1000),
  howManaged: requiredTextarea('how the risk is managed', 1000),
  version: versionField,
});

export const detailsSchema = z.object({
  peopleInvolved: requiredTextarea('who was involved in writing the plan', 1000),
  contactArrangements: requiredTextarea('how the person wants to be contacted about their plan', 1000),
  eligibleNeeds: requiredTextarea('the eligible needs'),
  needsCouncilWillMeet: requiredTextarea('which needs the council will meet and how'),
  wellbeing: requiredTextarea('the wellbeing matters the plan relates to'),
  preventionAdvice: requiredTextarea('the advice on reducing or preventing needs'),
  directPaymentNeeds: optionalTextarea('the needs the direct payment meets'),
  directPaymentFrequency: z
    .union([z.literal(''), z.enum(directPaymentFrequencies, { error: 'Select how often the direct payment is paid' })])
    .optional()
    .transform((value) => (value ? value : null)),
  directPaymentBasis: z
    .union([z.literal(''), z.enum(directPaymentBases, { error: 'Select whether the direct payment is gross or net' })])
    .optional()
    .transform((value) => (value ? value : null)),
  overIndicativeReason: optionalTextarea('the reason'),
  // Reviews (issue 5): shown only when a plan from a review would lower the budget; rules.ts makes it required then.
  needsChanged: optionalTextarea('what has changed in the person’s needs'),
  version: versionField,
});
export type DetailsInput = z.output<typeof detailsSchema>;

export const versionOnlySchema = z.object({ version: versionField });

export const withdrawSchema = z.object({
  reason: requiredTextarea('the reason for withdrawing the plan', 1000),
  version: versionField,
});
export type WithdrawInput = z.output<typeof withdrawSchema>;
