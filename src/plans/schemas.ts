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
import { directPaymentBases, directPaymentFrequencies, fundingStreams, managementOptions } from './options.js';

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

export const itemSchema = z
  .object({
    description: requiredText('what the support is', 300),
    provider: optionalText('who provides it', 200),
    outcomeId: positiveId('Select the outcome this support is for'),
    fundingStream: choice(fundingStreams, 'Select the funding stream'),
    managementOption: choice(managementOptions, 'Select how this support is managed'),
    costType: choice(['weekly', 'unit'] as const, 'Select how the cost is worked out'),
    weeklyAmount: z.string().optional(),
    unitCost: z.string().optional(),
    unitsPerWeek: z.string().optional(),
    version: versionField,
  })
  .transform((item, context) => {
    if (item.costType === 'weekly') {
      const weekly = moneyField('the weekly cost').safeParse(item.weeklyAmount ?? '');
      if (!weekly.success) {
        for (const issue of weekly.error.issues) context.addIssue({ code: 'custom', path: ['weeklyAmount'], message: issue.message });
        return z.NEVER;
      }
      return { ...item, unitCostPence: null, unitsPerWeekHundredths: null, weeklyPence: weekly.data };
    }
    const unitCost = moneyField('the cost of one unit').safeParse(item.unitCost ?? '');
    const units = unitsPerWeek.safeParse(item.unitsPerWeek ?? '');
    if (!unitCost.success)
      for (const issue of unitCost.error.issues) context.addIssue({ code: 'custom', path: ['unitCost'], message: issue.message });
    if (!units.success)
      for (const issue of units.error.issues) context.addIssue({ code: 'custom', path: ['unitsPerWeek'], message: issue.message });
    if (!unitCost.success || !units.success) return z.NEVER;
    return { ...item, unitCostPence: unitCost.data, unitsPerWeekHundredths: units.data, weeklyPence: null };
  });
export type ItemInput = z.output<typeof itemSchema>;

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
