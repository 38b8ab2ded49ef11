import { z } from 'zod';
import { addCalendarDays } from '../calendar.js';
import { choice, dateInput, requiredText, requiredTextarea, versionField, withoutControlCharacters } from '../web/form-fields.js';
import { moneyField } from '../web/money-field.js';
import { recipientKinds, recoveryMethods } from './repo.js';

/** Digits typed with the spaces or hyphens a bank writes them with ("12-34-56", "1234 5678"). */
function bankDigits(label: string, digits: number, example: string) {
  return z
    .string({ error: `Enter the ${label}` })
    .trim()
    .check(withoutControlCharacters(label))
    .min(1, `Enter the ${label}`)
    .transform((text) => text.replace(/[\s-]/g, ''))
    .refine((text) => /^\d*$/.test(text), `The ${label} must be numbers only, like ${example}`)
    .refine((text) => text.length === digits, `The ${label} must be ${digits} digits, like ${example}`);
}

/** A person's bank details: the form keeps the last version, so two changes at once meet the 409 page. */
export const bankAccountSchema = z.object({
  recipientKind: choice(recipientKinds, 'Select who the direct payment is paid to'),
  accountName: requiredText('the name on the account', 100),
  sortCode: bankDigits('sort code', 6, '30-99-50'),
  accountNumber: bankDigits('account number', 8, '00733445'),
  version: z.union([z.literal(''), versionField]).transform((version) => (version === '' ? null : version)),
});
export type BankAccountInput = z.output<typeof bankAccountSchema>;

/** How far ahead a run may be made: a 4-weekly payment in advance, and a week to get it approved and sent. */
export const RUN_AHEAD_DAYS = 35;

/** A run's payment date: in the past for payments that were missed, up to 5 weeks ahead. */
export const paymentRunSchema = (today: string) =>
  z.object({
    paymentDate: dateInput('the payment date', { earliest: addCalendarDays(today, -366), latest: addCalendarDays(today, RUN_AHEAD_DAYS) }),
  });
export type PaymentRunInput = z.output<ReturnType<typeof paymentRunSchema>>;

export const approveRunSchema = z.object({ version: versionField });

export const paymentRunAnchors = { paymentDate: 'paymentDate-day' };

/** A return's statement period and figures; whether they add up is the service's rule, so its message names the sum. */
export const accountReturnSchema = (today: string) =>
  z
    .object({
      periodFrom: dateInput('the first day of the statement period', {
        earliest: addCalendarDays(today, -3 * 366),
        latest: today,
        when: 'not-future',
      }),
      periodTo: dateInput('the last day of the statement period', {
        earliest: addCalendarDays(today, -3 * 366),
        latest: today,
        when: 'not-future',
      }),
      openingBalance: moneyField('the opening balance'),
      moneyIn: moneyField('the money paid in'),
      moneyOut: moneyField('the money paid out'),
      closingBalance: moneyField('the closing balance'),
    })
    .refine((form) => form.periodFrom <= form.periodTo, {
      path: ['periodTo'],
      message: 'The last day of the statement period must be on or after its first day',
    });
export type AccountReturnInput = z.output<ReturnType<typeof accountReturnSchema>>;

export const accountReturnAnchors = { periodFrom: 'periodFrom-day', periodTo: 'periodTo-day' };

/**
 * A recovery: how much the council asks back, and why, in words the person will be told; and
 * whether it comes off the next payments (at most so much from each, or blank for as much as each
 * allows) or is recorded as owed.
 */
export const recoverySchema = z
  .object({
    amount: moneyField('the amount to recover').refine((pence) => pence > 0, 'The amount to recover must be more than £0'),
    reason: requiredTextarea('why it is being recovered', 1000),
    method: choice(recoveryMethods, 'Select how the money is recovered'),
    cap: z
      .preprocess(
        (typed) => (typeof typed === 'string' && typed.trim() === '' ? undefined : typed),
        moneyField('the most to take from each payment').optional(),
      )
      .transform((pence) => pence ?? null)
      .refine((pence) => pence === null || pence > 0, 'The most to take from each payment must be more than £0'),
  })
  .refine((form) => form.method === 'from_payments' || form.cap === null, {
    path: ['cap'],
    message: 'Leave the most to take from each payment blank when the recovery is recorded as owed',
  });
export type RecoveryInput = z.output<typeof recoverySchema>;
