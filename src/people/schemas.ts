import { isValid, match as postcodesIn, toNormalised } from 'postcode';
import { z } from 'zod';
import {
  choice,
  dateInput,
  type DateRange,
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
import {
  accommodationStatuses,
  employmentStatuses,
  ethnicities,
  genders,
  primarySupportReasons,
  routesOfAccess,
} from './client-level-data.js';
import { hasValidCheckDigit } from './nhs-number.js';

/** No one the council supports was born before 1900; an earlier year is a mistyped one. */
const EARLIEST_BIRTH = '1900-01-01';

export const contactMethods = ['phone', 'email', 'letter'] as const;

/** One of a code list; anything else posted is refused with the message by the field. */
export function code<const Code extends string>(list: { codes: readonly Code[] }, message: string) {
  // Every list in client-level-data.ts has codes, so the cast only restates what zod needs to know.
  return z.enum(list.codes as [Code, ...Code[]], { error: message });
}

/** One of a code list, or nothing chosen yet (the return's details may wait until someone asks). */
function optionalCode<const Code extends string>(list: { codes: readonly Code[] }, message: string) {
  return z
    .union([z.literal(''), code(list, message)], { error: message })
    .optional()
    .transform((code) => (code ? code : null));
}

/** The three answers the unpaid carer question has: the return tells "not asked" apart from "no". */
export const unpaidCarerAnswers = ['yes', 'no', 'not_asked'] as const;

const isBlankDate = (value: unknown) =>
  value === undefined ||
  (typeof value === 'object' && value !== null && Object.values(value).every((part) => typeof part === 'string' && part.trim() === ''));

/** A date input that may be left empty (null), and is checked as every date is when it is not. */
function optionalDateInput(label: string, range: DateRange) {
  const filledIn = dateInput(label, range);
  return z
    .unknown()
    .optional()
    .transform((value, context) => {
      if (isBlankDate(value)) return null;
      const parsed = filledIn.safeParse(value);
      if (parsed.success) return parsed.data;
      context.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? `Enter ${label} as a day, month and year` });
      return z.NEVER;
    });
}

export function personSchema(today: string) {
  return z
    .object({
      givenName: requiredText('given name'),
      familyName: requiredText('family name'),
      dateOfBirth: dateInput('date of birth', upToToday(today, 'past', EARLIEST_BIRTH)),
      nhsNumber: z
        .string()
        .check(withoutControlCharacters('NHS number'))
        .optional()
        // People copy it from a letter with its spaces (943 476 5919) or type it with hyphens.
        .transform((value) => (value ?? '').replace(/[\s-]/g, ''))
        .refine((digits) => digits === '' || /^\d{10}$/.test(digits), 'Enter the NHS number as 10 digits, like 943 476 5919')
        .refine(
          (digits) => !/^\d{10}$/.test(digits) || hasValidCheckDigit(digits),
          'Enter a real NHS number: its last digit does not match the nine before it, so one of them is mistyped',
        )
        .transform((digits) => (digits === '' ? null : digits)),
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
      gender: optionalCode(genders, 'Select their gender from the list'),
      ethnicity: optionalCode(ethnicities, 'Select their ethnicity from the list'),
      primarySupportReason: optionalCode(primarySupportReasons, 'Select their primary support reason from the list'),
      accommodationStatus: optionalCode(accommodationStatuses, 'Select where they live from the list'),
      employmentStatus: optionalCode(employmentStatuses, 'Select their employment status from the list'),
      hasUnpaidCarer: z
        .enum(unpaidCarerAnswers, { error: 'Select yes, no or not asked yet' })
        .optional()
        .transform((answer) => (answer === 'yes' ? true : answer === 'no' ? false : null)),
      dateOfDeath: optionalDateInput('date of death', upToToday(today, 'not-future', EARLIEST_BIRTH)),
    })
    .superRefine((person, context) => {
      if (person.dateOfDeath && person.dateOfDeath < person.dateOfBirth) {
        context.addIssue({
          code: 'custom',
          path: ['dateOfDeath'],
          message: 'Date of death must be the same as or after their date of birth',
        });
      }
      if (person.preferredContact === 'email' && !person.email) {
        context.addIssue({ code: 'custom', path: ['email'], message: 'Enter an email address if they want to be contacted by email' });
      }
      if (person.preferredContact === 'phone' && !person.phone) {
        context.addIssue({ code: 'custom', path: ['phone'], message: 'Enter a phone number if they want to be contacted by phone' });
      }
      if (person.preferredContact === 'letter' && !person.address) {
        context.addIssue({ code: 'custom', path: ['address'], message: 'Enter their address if they want to be contacted by letter' });
      }
    });
}
export type PersonInput = z.output<ReturnType<typeof personSchema>>;

/** The reference is given when a person is added; a wrong one (mistyped from an old system, say) is corrected here. */
export const personEditSchema = (today: string) =>
  personSchema(today).and(
    z.object({
      reference: z
        .string()
        .trim()
        .check(withoutControlCharacters('council reference'))
        .toUpperCase()
        .min(1, 'Enter the council reference')
        .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, 'Council reference must be 3 to 20 letters, numbers or hyphens, like SD-00123'),
      version: versionField,
    }),
  );
export type PersonEditInput = z.output<ReturnType<typeof personEditSchema>>;

/**
 * Adding someone records their first request for support, which came by some route on the
 * referral date. `differentPerson` is the answer to "Is this a different person?", asked when
 * someone on record may be them; `askedIfDifferent` says the question was on the page posted,
 * so no answer is a missing answer rather than a question not yet asked.
 */
export const newPersonSchema = (today: string) =>
  personSchema(today).and(
    z.object({
      routeOfAccess: code(routesOfAccess, 'Select how the request for support reached the council'),
      // Anything but yes or no is no answer, and the question is asked again.
      differentPerson: z.enum(['yes', 'no']).optional().catch(undefined),
      askedIfDifferent: z.literal('yes').optional().catch(undefined).transform(Boolean),
    }),
  );
export type NewPersonInput = z.output<ReturnType<typeof newPersonSchema>>;

export const allocationSchema = z.object({
  allocatedWorkerId: z.union([z.literal(''), positiveId('Select a worker')]).transform((value) => (value === '' ? null : value)),
  version: versionField,
});

/**
 * What the people search box was asked for: words of a name (in any order, each the start of a
 * given or family name or a near-miss spelling of one), a council reference to match exactly,
 * a date of birth, and a postcode. Words are lower case; the reference is upper case, as
 * references are kept; the postcode is in capitals without its space, as the search compares it.
 */
export type SearchTerms = { words: string[]; reference?: string; dateOfBirth?: string; nhsNumber?: string; postcode?: string };

export type ParsedSearch = { terms: SearchTerms } | { notARealDate: string };

/** A name has a few parts; more words than this only make the query slower, never the answer better. */
const MOST_WORDS = 6;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// A date stands alone: not part of a longer run of digits or a word ("x14/3/1938" is not a date).
const alone = (pattern: string) => new RegExp(`(?<![\\p{L}\\p{N}/.-])${pattern}(?![\\p{L}\\p{N}/.-])`, 'iu');

/** 1938-03-14, as a browser's date field and most systems write it. */
const ISO_DATE = alone('(\\d{4})-(\\d{1,2})-(\\d{1,2})');
/** 14/3/1938, 14 3 1938, 14-3-1938 or 14.3.1938: day first, as in England. */
const NUMERIC_DATE = alone('(\\d{1,2})(?:\\s*[/.-]\\s*|\\s+)(\\d{1,2})(?:\\s*[/.-]\\s*|\\s+)(\\d{4})');
/** 14 March 1938, 14 Mar 1938, 14th Sept. 1938. */
const NAMED_MONTH_DATE = alone('(\\d{1,2})(?:st|nd|rd|th)?\\s+(\\p{L}{3,9})\\.?,?\\s+(\\d{4})');

/** The month a name or its first three or more letters stand for ("Mar", "Sept"), as 1 to 12. */
function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  const index = MONTHS.findIndex((month) => month.startsWith(lower));
  return index === -1 ? undefined : index + 1;
}

type FoundDate = { text: string; year: string; month: string; day: string };

function findDate(typed: string): FoundDate | undefined {
  const iso = ISO_DATE.exec(typed);
  if (iso) return { text: iso[0], year: iso[1] ?? '', month: iso[2] ?? '', day: iso[3] ?? '' };
  const numeric = NUMERIC_DATE.exec(typed);
  if (numeric) return { text: numeric[0], day: numeric[1] ?? '', month: numeric[2] ?? '', year: numeric[3] ?? '' };
  const named = NAMED_MONTH_DATE.exec(typed);
  const month = named && monthNumber(named[2] ?? '');
  if (named && month) return { text: named[0], day: named[1] ?? '', month: String(month), year: named[3] ?? '' };
  return undefined;
}

/** A postcode standing alone in what was typed ("LS1 4AP", "ls14ap"), not part of a longer word or reference. */
function findPostcode(typed: string): { text: string; compact: string } | undefined {
  for (const text of postcodesIn(typed)) {
    const at = typed.indexOf(text);
    const alone = !/[\p{L}\p{N}-]/u.test(typed.charAt(at - 1)) && !/[\p{L}\p{N}-]/u.test(typed.charAt(at + text.length));
    if (alone && isValid(text)) return { text, compact: text.replace(/\s+/g, '').toUpperCase() };
  }
  return undefined;
}

/** A council reference as people are given them: 3 to 20 letters, numbers or hyphens. */
const REFERENCE = /^[A-Z0-9][A-Z0-9-]{2,19}$/i;

/**
 * Reads what was typed into the search box. A date typed in one of the usual ways is a date of
 * birth, and it must be a real one (31/02/2020 is a mistake to point out, not a name to look for);
 * the rest is words of a name, split at spaces and commas so "Whitfield, Doris" and "Doris
 * Whitfield" are the same search. A single word may also be a council reference.
 */
export function parseSearch(typed: string): ParsedSearch {
  // 10 digits and nothing else, however spaced, is an NHS number, found exactly.
  const digits = typed.replace(/[\s-]/g, '');
  if (/^\d{10}$/.test(digits)) return { terms: { words: [], nhsNumber: digits } };
  const date = findDate(typed);
  let dateOfBirth: string | undefined;
  let rest = typed;
  if (date) {
    dateOfBirth = realDate(date.year, date.month, date.day);
    if (!dateOfBirth) return { notARealDate: date.text };
    rest = typed.replace(date.text, ' ');
  }
  // No name has a digit in it, so a postcode among the words is a postcode, however it is spaced.
  const postcode = findPostcode(rest);
  if (postcode) rest = rest.replace(postcode.text, ' ');
  const tokens = rest.split(/[\s,]+/u).filter((token) => /[\p{L}\p{N}]/u.test(token));
  const reference =
    !dateOfBirth && !postcode && tokens.length === 1 && REFERENCE.test(tokens[0] ?? '') ? tokens[0]?.toUpperCase() : undefined;
  const words = tokens.slice(0, MOST_WORDS).map((token) => token.toLowerCase());
  return {
    terms: { words, ...(reference && { reference }), ...(dateOfBirth && { dateOfBirth }), ...(postcode && { postcode: postcode.compact }) },
  };
}

/** True when the search box held nothing that could find anyone (only punctuation, say). */
export const findsNobody = (terms: SearchTerms) => terms.words.length === 0 && !terms.dateOfBirth && !terms.nhsNumber && !terms.postcode;

/** What was typed, read as words of a name, a reference or a date of birth; a date that cannot be is refused. */
function searchTerms(q: string | undefined, context: z.core.$RefinementCtx): SearchTerms | undefined {
  if (!q) return undefined;
  const parsed = parseSearch(q);
  if ('terms' in parsed) return parsed.terms;
  context.addIssue({
    code: 'custom',
    path: ['q'],
    message: `${parsed.notARealDate} is not a real date: enter a date of birth like 14/3/1938, or a name, council reference or postcode`,
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
export const personFieldAnchors = { dateOfBirth: 'dateOfBirth-day', referralDate: 'referralDate-day', dateOfDeath: 'dateOfDeath-day' };
