import { z } from 'zod';
import { clientGroups } from '../people/client-groups.js';
import { dateInput, optionalTextarea, requiredTextarea, versionField, yearsAround } from '../web/form-fields.js';
import { moneyField } from '../web/money-field.js';
import { assessCharge } from './charging.js';

/** A money box that may be left empty: empty is "no amount", anything typed must be money. */
function optionalMoney(label: string) {
  return z
    .string()
    .optional()
    .transform((text, context) => {
      if (!text?.trim()) return null;
      const parsed = moneyField(label).safeParse(text);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    });
}

/**
 * Runs a cross-field rule as soon as the fields it reads are valid, so it is reported together
 * with any other field's error rather than only after they are all put right.
 */
function whenValid(...fields: string[]) {
  return (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((issue) => fields.includes(String(issue.path?.[0] ?? '')));
}

/**
 * Finance's approval. A different weekly amount from the planned one needs a reason, because the
 * person may challenge it (guidance 11.24); the planned amount itself needs none.
 */
export function approveSchema(plannedWeeklyPence: number, today: string) {
  return z
    .object({
      startDate: dateInput('the start date', yearsAround(today, 2, 2)),
      weeklyAmount: optionalMoney('the approved weekly amount'),
      amountReason: optionalTextarea('the reason'),
      version: versionField,
    })
    .refine((form) => form.weeklyAmount === null || form.weeklyAmount === plannedWeeklyPence || form.amountReason !== '', {
      path: ['amountReason'],
      message: 'Enter the reason for approving a different amount from the plan',
      when: whenValid('weeklyAmount', 'amountReason'),
    })
    .transform((form) => ({
      startDate: form.startDate,
      approvedWeeklyPence: form.weeklyAmount ?? plannedWeeklyPence,
      // The reason only means something next to a different amount.
      reason: form.weeklyAmount !== null && form.weeklyAmount !== plannedWeeklyPence ? form.amountReason : '',
      version: form.version,
    }));
}
export type ApproveInput = z.output<ReturnType<typeof approveSchema>>;

export const returnSchema = z.object({
  returnReason: requiredTextarea('the reason for returning the plan, so the care manager knows what to change'),
  version: versionField,
});
export type ReturnInput = z.output<typeof returnSchema>;

/** A panel agrees an amount a week; left empty, it agrees the planned amount. */
export function panelApproveSchema(plannedWeeklyPence: number) {
  return z
    .object({
      agreedAmount: optionalMoney('the amount the panel agrees a week'),
      panelNote: requiredTextarea('the panel’s reasons for agreeing the budget'),
      version: versionField,
    })
    .transform((form) => ({
      agreedWeeklyPence: form.agreedAmount ?? plannedWeeklyPence,
      panelNote: form.panelNote,
      version: form.version,
    }));
}
export type PanelApproveInput = z.output<ReturnType<typeof panelApproveSchema>>;

export const queueFilterSchema = z.object({
  team: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
  clientGroup: z.enum(clientGroups).optional().catch(undefined),
});
export type QueueFilter = z.output<typeof queueFilterSchema>;

type ChargeFields = { weeklyIncome: number; weeklyAllowances: number; capital: number; adjustedContribution: number | null };

function chargeOf(form: ChargeFields) {
  return assessCharge({ weeklyIncomePence: form.weeklyIncome, weeklyAllowancesPence: form.weeklyAllowances, capitalPence: form.capital });
}

/** The officer's amount when it differs from the calculated one; an amount equal to it is no adjustment and needs no reason. */
function adjustedContribution(form: ChargeFields): number | null {
  if (form.adjustedContribution === null) return null;
  const charge = chargeOf(form);
  return charge.paysFullCost || form.adjustedContribution !== charge.weeklyContributionPence ? form.adjustedContribution : null;
}

export const financialAssessmentSchema = (today: string) =>
  z
    .object({
      weeklyIncome: moneyField('the weekly income'),
      weeklyAllowances: moneyField('the weekly allowances and disregards'),
      capital: moneyField('the capital'),
      effectiveFrom: dateInput('the date it takes effect', yearsAround(today, 2, 2)),
      adjustedContribution: optionalMoney('the adjusted weekly contribution'),
      adjustmentReason: optionalTextarea('the reason for the adjustment'),
      // The newest assessment when the form was opened (0 for none): a version for a record that is only ever added to.
      latestSeenId: z.coerce.number({ error: 'The form is out of date: reload the page' }).int().min(0),
    })
    .refine((form) => adjustedContribution(form) === null || form.adjustmentReason !== '', {
      path: ['adjustmentReason'],
      message: 'Enter the reason the contribution differs from the calculated amount',
      when: whenValid('weeklyIncome', 'weeklyAllowances', 'capital', 'adjustedContribution', 'adjustmentReason'),
    })
    .transform((form) => {
      const adjusted = adjustedContribution(form);
      return {
        ...form,
        charge: chargeOf(form),
        adjustedContributionPence: adjusted,
        adjustmentReason: adjusted === null ? '' : form.adjustmentReason,
      };
    });
export type FinancialAssessmentInput = z.output<ReturnType<typeof financialAssessmentSchema>>;

/** Anchors for the error summary: a date input is focused on its day box. */
export const financeFieldAnchors = { startDate: 'startDate-day', effectiveFrom: 'effectiveFrom-day' };
