import { z } from 'zod';
import { capitalise } from '../text.js';
import { choice, dateInput, versionField, withoutControlCharacters, yearsAround } from '../web/form-fields.js';
import { ceilingBehaviours } from './repo.js';

/** A whole number in a range, with the GOV.UK wording for each way it can be wrong; a percentage may be typed with its %. */
function wholeNumber(label: string, options: { min: number; max: number; example: number; percent?: boolean }) {
  const unit = options.percent ? '%' : '';
  const name = capitalise(label);
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .check(withoutControlCharacters(label))
    .min(1, `Enter ${label}`)
    .regex(options.percent ? /^-?\d+(\.\d+)?%?$/ : /^-?\d+(\.\d+)?$/, `${name} must be a number, like ${options.example}`)
    .regex(/^-?\d+%?$/, `${name} must be a whole number, like ${options.example}`)
    .transform((text) => Number(text.replace('%', '')))
    .refine(
      (value) => value >= options.min && value <= options.max,
      `${name} must be between ${options.min}${unit} and ${options.max}${unit}`,
    );
}

/**
 * The ONS code of an English county, unitary, metropolitan district or London borough council
 * (E10, E06, E08, E09, and E07 for a shire district), or the 3-digit code older returns use.
 */
const localAuthorityCode = /^(E0[6-9]|E10)\d{6}$|^\d{3}$/;

export const councilSettingsSchema = z.object({
  overIndicativeTolerancePercent: wholeNumber('the tolerance', { min: 0, max: 100, example: 10, percent: true }),
  ceilingBehaviour: choice(ceilingBehaviours, 'Select what happens to an amount above the RAS ceiling'),
  directPaymentSurplusWeeks: wholeNumber('the number of weeks', { min: 1, max: 52, example: 8 }),
  localAuthorityCode: z
    .string()
    .trim()
    .check(withoutControlCharacters('local authority code'))
    .toUpperCase()
    .refine(
      (code) => code === '' || localAuthorityCode.test(code),
      'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305',
    )
    .optional()
    .transform((code) => code ?? ''),
  // With the digits, at most 20 characters: as long as a council reference may be.
  referencePrefix: z
    .string()
    .trim()
    .check(withoutControlCharacters('reference prefix'))
    .toUpperCase()
    .regex(
      /^([A-Z0-9][A-Z0-9-]{0,9})?$/,
      'The reference prefix must be up to 10 letters, numbers or hyphens, starting with a letter or number, like SD-',
    )
    .optional()
    .transform((prefix) => prefix ?? ''),
  referenceDigits: wholeNumber('the number of digits', { min: 3, max: 10, example: 5 }),
  version: versionField,
});
export type CouncilSettingsInput = z.output<typeof councilSettingsSchema>;

/** A target may be recorded for past years the dashboard compares against, or set for the next year or two. */
export const uptakeTargetSchema = (today: string) =>
  z.object({
    inForceFrom: dateInput('the date the target comes into force', yearsAround(today, 5, 2)),
    targetPercent: wholeNumber('the target', { min: 0, max: 100, example: 70, percent: true }),
  });
export type UptakeTargetInput = z.output<ReturnType<typeof uptakeTargetSchema>>;

/** The summary links to a date input's day box, as the Design System asks. */
export const uptakeTargetAnchors = { inForceFrom: 'inForceFrom-day' };
