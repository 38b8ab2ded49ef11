import { z } from 'zod';
import type { Question } from '../assessments/questionnaire.js';
import { dateInput, optionalTextarea, requiredText, upToToday, versionField, withoutControlCharacters } from '../web/form-fields.js';

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

/** The care manager's review: an agreed answer for every question, and a reason wherever it differs from the person's. */
export function agreedAnswersSchema(questions: Question[], personAnswers: Record<string, string>) {
  const agreed = Object.fromEntries(
    questions.map((question) => [
      question.key,
      z.enum(question.options.map((option) => option.key) as [string, ...string[]], {
        error: 'Select the answer you agreed with the person',
      }),
    ]),
  );
  const reasons = Object.fromEntries(questions.map((question) => [question.key, optionalTextarea('the reason', 1000)]));
  return z
    .object({ version: versionField, agreed: z.object(agreed).prefault({}), reasons: z.object(reasons).prefault({}) })
    .superRefine((form, context) => {
      for (const question of questions) {
        const chosen = form.agreed[question.key];
        if (chosen !== undefined && chosen !== personAnswers[question.key] && !form.reasons[question.key]) {
          context.addIssue({
            code: 'custom',
            path: ['reasons', question.key],
            message: `Enter why the agreed answer to ‘${question.text}’ is different from the person’s`,
          });
        }
      }
    })
    .transform((form) => ({
      version: form.version,
      agreed: form.agreed as Record<string, string>,
      reasons: form.reasons as Record<string, string>,
    }));
}

export const reviewSubmitSchema = z.object({ version: versionField });
