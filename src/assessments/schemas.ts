import { z } from 'zod';
import { versionField } from '../web/form-fields.js';
import { eligibilityOutcomes, unableReasons, type EligibilityOutcomeKey, type UnableReason } from './eligibility.js';
import {
  missingAnswerMessage,
  notAnOptionMessage,
  type Question,
  type RecordedEligibility,
  type RecordedOutcome,
} from './questionnaire.js';

/**
 * "Save and come back later" keeps whatever has been chosen so far, so only "Save and continue"
 * insists on every answer. Both refuse an answer that is not an option of this RAS version.
 */
export const saveActions = ['continue', 'later'] as const;
export type SaveAction = (typeof saveActions)[number];

const controls = {
  version: versionField,
  action: z.enum(saveActions).catch('continue'),
  // A "Change" link on the check-answers page brings the user back there after saving.
  returnTo: z.enum(['check-answers']).optional().catch(undefined),
};

/** Read first, because which answers are required depends on the button pressed. */
export const saveActionSchema = z.object({ action: controls.action });

/** The query strings the questionnaire's pages understand; anything else is ignored. */
export const pageQuerySchema = z.object({
  returnTo: controls.returnTo,
  saved: z.literal('later').optional().catch(undefined),
});

export const submitSchema = z.object({ version: versionField });

/** Radios named answers[<question key>]; keys not on this page are dropped, never stored. */
export function questionsFormSchema(questions: Question[], requireAll: boolean) {
  const shape = Object.fromEntries(
    questions.map((question) => {
      const optionKeys = question.options.map((option) => option.key) as [string, ...string[]];
      const answer = z.enum(optionKeys, {
        error: (issue) => (issue.input === undefined || issue.input === '' ? missingAnswerMessage(question) : notAnOptionMessage(question)),
      });
      return [question.key, requireAll ? answer : answer.optional()];
    }),
  );
  return z.object({ ...controls, answers: z.object(shape).prefault({}) }).transform((form) => ({
    version: form.version,
    action: form.action,
    returnTo: form.returnTo,
    answers: Object.fromEntries(Object.entries(form.answers).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
  }));
}

const yesNo = (message: string) => z.enum(['yes', 'no'], { error: message });

const reasonKeys = unableReasons.map((reason) => reason.key) as [UnableReason, ...UnableReason[]];

/** One checkbox arrives as a string, several as an array, none as nothing. */
const reasonsField = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
  .pipe(z.array(z.enum(reasonKeys, { error: 'Select reasons from the list' })));

/** "Managing and maintaining nutrition" as it reads inside a sentence. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Yes", "No", and for an outcome that may not apply to someone, "Does not apply". */
function achievedField(outcome: (typeof eligibilityOutcomes)[number]) {
  const message = 'Select whether they can achieve it';
  return ('doesNotApply' in outcome ? z.enum(['yes', 'no', 'does_not_apply'], { error: message }) : yesNo(message)).optional();
}

/**
 * The eligibility facts (reg. 2 of the Eligibility Criteria Regulations 2015). Field paths match
 * the ids on the page, so the error summary links land on the right question; the checks run in
 * page order so the summary reads top to bottom. Why an outcome is not achieved is asked on the
 * next page, for those outcomes only; reasons posted here (as the form once sent them) are kept.
 */
export function eligibilityFormSchema(requireAll: boolean) {
  const outcomesShape = Object.fromEntries(
    eligibilityOutcomes.map((outcome) => [outcome.key, z.object({ achieved: achievedField(outcome), reasons: reasonsField }).prefault({})]),
  );
  const impairmentMessage = 'Select yes if their needs arise from a physical or mental impairment or illness';
  const impactMessage = 'Select yes if there is, or is likely to be, a significant impact on their wellbeing';
  return z
    .object({
      ...controls,
      arisesFromImpairment: yesNo(impairmentMessage).optional(),
      outcomes: z.object(outcomesShape).prefault({}),
      significantImpact: yesNo(impactMessage).optional(),
    })
    .superRefine((form, context) => {
      if (!requireAll) return;
      const missing = (path: (string | number)[], message: string) => context.addIssue({ code: 'custom', path, message });
      if (form.arisesFromImpairment === undefined) missing(['arisesFromImpairment'], impairmentMessage);
      for (const outcome of eligibilityOutcomes) {
        const finding = form.outcomes[outcome.key];
        const name = lowerFirst(outcome.label);
        if (finding?.achieved === undefined) missing(['outcomes', outcome.key, 'achieved'], `Select whether they can achieve ‘${name}’`);
      }
      if (form.significantImpact === undefined) missing(['significantImpact'], impactMessage);
    })
    .transform((form) => {
      const outcomes: RecordedEligibility['outcomes'] = {};
      for (const outcome of eligibilityOutcomes) {
        const finding = form.outcomes[outcome.key];
        if (!finding || finding.achieved === undefined) continue;
        // Reasons never go with "Yes" or "Does not apply": they would contradict the answer.
        const recorded: RecordedOutcome =
          finding.achieved === 'no'
            ? { achieved: false, reasons: finding.reasons }
            : finding.achieved === 'yes'
              ? { achieved: true, reasons: [] }
              : { achieved: true, doesNotApply: true, reasons: [] };
        outcomes[outcome.key] = recorded;
      }
      const facts: RecordedEligibility = {
        outcomes,
        ...(form.arisesFromImpairment === undefined ? {} : { arisesFromImpairment: form.arisesFromImpairment === 'yes' }),
        ...(form.significantImpact === undefined ? {} : { significantImpactOnWellbeing: form.significantImpact === 'yes' }),
      };
      return { version: form.version, action: form.action, returnTo: form.returnTo, facts };
    });
}

/** The reasons page: for each outcome recorded as not achieved, which of reg. 2(3)'s four ways applies. */
export function unableReasonsFormSchema(outcomeKeys: readonly EligibilityOutcomeKey[], requireAll: boolean) {
  const shape = Object.fromEntries(outcomeKeys.map((key) => [key, z.object({ reasons: reasonsField }).prefault({})]));
  return z
    .object({ ...controls, outcomes: z.object(shape).prefault({}) })
    .superRefine((form, context) => {
      if (!requireAll) return;
      for (const outcome of eligibilityOutcomes) {
        if (outcomeKeys.includes(outcome.key) && (form.outcomes[outcome.key]?.reasons.length ?? 0) === 0) {
          context.addIssue({
            code: 'custom',
            path: ['outcomes', outcome.key, 'reasons'],
            message: `Select at least one reason they cannot achieve ‘${lowerFirst(outcome.label)}’`,
          });
        }
      }
    })
    .transform((form) => ({
      version: form.version,
      action: form.action,
      returnTo: form.returnTo,
      reasons: Object.fromEntries(outcomeKeys.map((key) => [key, form.outcomes[key]?.reasons ?? []])) as Partial<
        Record<EligibilityOutcomeKey, UnableReason[]>
      >,
    }));
}
