import { isValid, toNormalised } from 'postcode';
import { z } from 'zod';
import { choice, dateInput, optionalText, positiveId, requiredText, versionField } from '../web/form-fields.js';
import { clientGroups } from './client-groups.js';

export const contactMethods = ['phone', 'email', 'letter'] as const;

export function personSchema(today: string) {
  return z
    .object({
      givenName: requiredText('given name'),
      familyName: requiredText('family name'),
      dateOfBirth: dateInput('date of birth', { today, when: 'past' }),
      reference: z
        .string()
        .trim()
        .toUpperCase()
        .min(1, 'Enter the council reference')
        .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, 'Council reference must be 3 to 20 letters, numbers or hyphens, like SD-00123'),
      postcode: z
        .string()
        .trim()
        .min(1, 'Enter a postcode')
        .refine((value) => isValid(value), 'Enter a real UK postcode, like LS1 4AP')
        .transform((value) => toNormalised(value) ?? value),
      clientGroup: choice(clientGroups, 'Select the client group'),
      address: optionalText('address', 300),
      phone: z
        .string()
        .trim()
        .regex(/^$|^\+?[0-9 ()-]{7,20}$/, 'Enter a phone number, like 01632 960 001 or 07700 900 982')
        .optional()
        .transform((value) => value ?? ''),
      email: z
        .union([z.literal(''), z.email('Enter an email address in the correct format, like name@example.com')])
        .optional()
        .transform((value) => value ?? ''),
      preferredContact: choice(contactMethods, 'Select how they want to be contacted'),
      referralDate: dateInput('referral date', { today, when: 'not-future' }),
      allocatedWorkerId: z
        .union([z.literal(''), positiveId('Select a worker')])
        .optional()
        .transform((value) => (value === '' || value === undefined ? null : value)),
    })
    .superRefine((person, context) => {
      if (person.preferredContact === 'email' && !person.email) {
        context.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address if they want to be contacted by email' });
      }
      if (person.preferredContact === 'phone' && !person.phone) {
        context.addIssue({ code: 'custom', path: ['phone'], message: 'Enter a phone number if they want to be contacted by phone' });
      }
    });
}
export type PersonInput = z.output<ReturnType<typeof personSchema>>;

export const personEditSchema = (today: string) => personSchema(today).and(z.object({ version: versionField }));

export const allocationSchema = z.object({
  allocatedWorkerId: z.union([z.literal(''), positiveId('Select a worker')]).transform((value) => (value === '' ? null : value)),
  version: versionField,
});

export const personSearchSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  team: z.coerce.number().int().positive().optional().catch(undefined),
  clientGroup: z.enum(clientGroups).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type PersonSearch = z.output<typeof personSearchSchema>;

/** Anchors for the error summary: a date input is focused on its first box. */
export const personFieldAnchors = { dateOfBirth: 'dateOfBirth-day', referralDate: 'referralDate-day' };
