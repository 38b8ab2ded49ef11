import { isValid, toNormalised } from 'postcode';
import { z } from 'zod';
import {
  choice,
  dateInput,
  optionalTextarea,
  positiveId,
  realDate,
  requiredText,
  upToToday,
  versionField,
  yearsUpToToday,
  withoutControlCharacters,
} from '../web/form-fields.js';
import { clientGroups } from './client-groups.js';

/** No one the council supports was born before 1900; an earlier year is a mistyped one. */
const EARLIEST_BIRTH = '1900-01-01';

export const contactMethods = ['phone', 'email', 'letter'] as const;

export function personSchema(today: string) {
  return z
    .object({
      givenName: requiredText('given name'),
      familyName: requiredText('family name'),
      dateOfBirth: dateInput('date of birth', upToToday(today, 'past', EARLIEST_BIRTH)),
      reference: z
        .string()
        .trim()
        .check(withoutControlCharacters('council reference'))
        .toUpperCase()
        .min(1, 'Enter the council reference')
        .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, 'Council reference must be 3 to 20 letters, numbers or hyphens, like SD-00123'),
      postcode: z
        .string()
        .trim()
        .check(withoutControlCharacters('postcode'))
        .min(1, 'Enter a postcode')
        .refine((value) => isValid(value), 'Enter a real UK postcode, like LS1 4AP')
        .transform((value) => toNormalised(value) ?? value),
      clientGroup: choice(clientGroups, 'Select the client group'),
      address: optionalTextarea('address', 300),
      phone: z
        .string()
        .trim()
        .check(withoutControlCharacters('phone number'))
        .regex(/^$|^\+?[0-9 ()-]{7,20}$/, 'Enter a phone number, like 01632 960 001 or 07700 900 982')
        .optional()
        .transform((value) => value ?? ''),
      email: z
        .string()
        .check(withoutControlCharacters('email address'))
        .pipe(z.union([z.literal(''), z.email('Enter an email address in the correct format, like name@example.com')]))
        .optional()
        .transform((value) => value ?? ''),
      preferredContact: choice(contactMethods, 'Select how they want to be contacted'),
      referralDate: dateInput('referral date', yearsUpToToday(today, 10)),
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

const DATE_OF_BIRTH = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const REFERENCE = /^[A-Za-z]{1,5}-?\d+$/;

type SearchTerms = { name?: string; reference?: string; dateOfBirth?: string };

/**
 * One search box: a date of birth (d/m/yyyy, or yyyy-mm-dd as a browser's date field sends it),
 * a council reference, or words of a name. Something typed as a date must be a real one: the
 * database would refuse to compare a date of birth with 31 February.
 */
function searchTerms(q: string | undefined, context: z.core.$RefinementCtx): SearchTerms {
  if (!q) return {};
  // [year, month, day], however the date was typed.
  const date = DATE_OF_BIRTH.exec(q)?.slice(1).reverse() ?? ISO_DATE.exec(q)?.slice(1);
  if (!date) return REFERENCE.test(q) ? { reference: q } : { name: q };
  const [year = '', month = '', day = ''] = date;
  const dateOfBirth = realDate(year, month, day);
  if (dateOfBirth) return { dateOfBirth };
  context.addIssue({
    code: 'custom',
    path: ['q'],
    message: `${q} is not a real date: enter a date of birth like 14/3/1938, or a name or council reference`,
  });
  return z.NEVER;
}

export const personSearchSchema = z
  .object({
    // A nested or repeated q is not something the search box sends: it is no search rather than an error.
    q: z.preprocess(
      (value) => (typeof value === 'string' ? value : undefined),
      z.string().trim().check(withoutControlCharacters('the search')).max(100, 'The search must be 100 characters or fewer').optional(),
    ),
    team: z.coerce.number().int().positive().max(2147483647).optional().catch(undefined),
    clientGroup: z.enum(clientGroups).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
  })
  .transform((search, context) => ({ ...search, terms: searchTerms(search.q, context) }));
export type PersonSearch = z.output<typeof personSearchSchema>;

/** Anchors for the error summary: a date input is focused on its first box. */
export const personFieldAnchors = { dateOfBirth: 'dateOfBirth-day', referralDate: 'referralDate-day' };
