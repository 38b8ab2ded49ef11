import { z } from 'zod';
import { dateInput, requiredText, upToToday, withoutControlCharacters } from '../web/form-fields.js';

/** No one the council supports was born before 1900 (as people/schemas.ts). */
const EARLIEST_BIRTH = '1900-01-01';

/** The person's sign-in: what their letter and their own records give them. */
export function personSignInSchema(today: string) {
  return z.object({
    reference: requiredText('your council reference', 20),
    dateOfBirth: dateInput('your date of birth', upToToday(today, 'not-future', EARLIEST_BIRTH)),
    code: z
      .string({ error: 'Enter the access code from your letter' })
      .trim()
      .check(withoutControlCharacters('access code'))
      .min(1, 'Enter the access code from your letter')
      .max(40, 'Enter the access code from your letter: 12 letters and numbers'),
  });
}
