import { z } from 'zod';
import type { PersonClientGroup } from '../people/client-groups.js';
import type { RasDefinition, RasDomain } from '../ras/definition.js';
import {
  eligibilityOutcomes,
  unableReasons,
  type EligibilityDecision,
  type EligibilityFacts,
  type EligibilityOutcomeKey,
  type UnableReason,
} from './eligibility.js';
import type { AssessmentType } from './repo.js';

/**
 * The shape of the questionnaire: which sections an assessment has, what counts as finished,
 * and how stored answers read back. Pure, so the task list, the check-answers page and submit
 * all agree on what "complete" means.
 */

/**
 * Carers (client group 'carer') have a carer's assessment, priced by the RAS's carer bands; the
 * five priced client groups have a person assessment. One type per client group keeps the
 * "Start an assessment" button a single, unambiguous action.
 */
export function assessmentTypeFor(clientGroup: PersonClientGroup): AssessmentType {
  return clientGroup === 'carer' ? 'carer' : 'person';
}

export const assessmentTypeLabels: Record<AssessmentType, string> = {
  person: 'Supported self-assessment',
  carer: 'Carer’s assessment',
};

/** `doesNotApply` goes with `achieved: true`: an outcome that cannot apply is not an unmet one. */
export type RecordedOutcome = { achieved?: boolean; doesNotApply?: boolean; reasons: UnableReason[] };

/** What has been recorded so far; a draft may stop part-way ("Save and come back later"). */
export type RecordedEligibility = {
  arisesFromImpairment?: boolean;
  outcomes: Partial<Record<EligibilityOutcomeKey, RecordedOutcome>>;
  significantImpactOnWellbeing?: boolean;
};

/**
 * The eligibility column: the facts at the top level ({ arisesFromImpairment, outcomes,
 * significantImpactOnWellbeing }), and from submit the decision beside them, frozen so that later
 * changes to its wording never rewrite a record. Read it with readEligibility.
 */
export type EligibilityRecord = { facts: RecordedEligibility; decision?: EligibilityDecision };

const reasonKeys = unableReasons.map((reason) => reason.key) as [UnableReason, ...UnableReason[]];
const outcomeKeys = eligibilityOutcomes.map((outcome) => outcome.key) as [EligibilityOutcomeKey, ...EligibilityOutcomeKey[]];

const recordedOutcomeSchema = z.object({
  achieved: z.boolean().optional(),
  doesNotApply: z.boolean().optional(),
  reasons: z.array(z.enum(reasonKeys)).catch([]),
});
const storedEligibilitySchema = z.object({
  arisesFromImpairment: z.boolean().optional().catch(undefined),
  outcomes: z.partialRecord(z.enum(outcomeKeys), recordedOutcomeSchema).catch({}),
  significantImpactOnWellbeing: z.boolean().optional().catch(undefined),
  decision: z
    .object({ eligible: z.boolean(), unmetOutcomes: z.array(z.enum(outcomeKeys)), reasons: z.array(z.string()) })
    .optional()
    .catch(undefined),
});

export function readEligibility(value: unknown): EligibilityRecord {
  const parsed = storedEligibilitySchema.safeParse(value ?? {});
  if (!parsed.success) return { facts: { outcomes: {} } };
  const { decision, ...facts } = parsed.data;
  return decision ? { facts, decision } : { facts };
}

export function storedEligibility(record: EligibilityRecord): Record<string, unknown> {
  return { ...record.facts, ...(record.decision ? { decision: record.decision } : {}) };
}

/** Outcomes recorded as not achieved that still need at least one reason: the reasons page asks for them. */
export function outcomesWithoutReasons(recorded: RecordedEligibility): EligibilityOutcomeKey[] {
  return outcomeKeys.filter((key) => recorded.outcomes[key]?.achieved === false && recorded.outcomes[key]?.reasons.length === 0);
}

/** Outcomes recorded as not achieved, in the regulation's order. */
export function unachievedOutcomes(recorded: RecordedEligibility): EligibilityOutcomeKey[] {
  return outcomeKeys.filter((key) => recorded.outcomes[key]?.achieved === false);
}

function outcomeComplete(finding: RecordedOutcome | undefined): boolean {
  return finding?.achieved === true || (finding?.achieved === false && finding.reasons.length > 0);
}

/** All the facts the regulation needs, or undefined while any is missing. */
export function completeFacts(recorded: RecordedEligibility): EligibilityFacts | undefined {
  if (recorded.arisesFromImpairment === undefined || recorded.significantImpactOnWellbeing === undefined) return undefined;
  if (!outcomeKeys.every((key) => outcomeComplete(recorded.outcomes[key]))) return undefined;
  const outcomes = Object.fromEntries(
    outcomeKeys.map((key) => {
      const finding = recorded.outcomes[key] as RecordedOutcome;
      return [key, finding.achieved ? { achieved: true } : { achieved: false, reasons: finding.reasons }];
    }),
  ) as EligibilityFacts['outcomes'];
  return {
    arisesFromImpairment: recorded.arisesFromImpairment,
    outcomes,
    significantImpactOnWellbeing: recorded.significantImpactOnWellbeing,
  };
}

export type TaskStatus = 'not_started' | 'in_progress' | 'completed';

function statusFrom(answered: number, total: number): TaskStatus {
  if (answered === 0) return 'not_started';
  return answered === total ? 'completed' : 'in_progress';
}

export function eligibilityStatus(recorded: RecordedEligibility): TaskStatus {
  const answered =
    (recorded.arisesFromImpairment === undefined ? 0 : 1) +
    (recorded.significantImpactOnWellbeing === undefined ? 0 : 1) +
    outcomeKeys.filter((key) => outcomeComplete(recorded.outcomes[key])).length;
  const started = answered > 0 || outcomeKeys.some((key) => recorded.outcomes[key]?.achieved !== undefined);
  if (!started) return 'not_started';
  return answered === outcomeKeys.length + 2 ? 'completed' : 'in_progress';
}

/**
 * A question or an adjustment: both are a key, some words and options to choose from. An
 * adjustment's options carry what they do to the budget, in this RAS version's own figures.
 */
export type Question = { key: string; text: string; hint?: string; options: { key: string; label: string; percent?: number }[] };

/** Answered means answered with an option this RAS version has. */
export function isAnswered(question: Question, answers: Record<string, string>): boolean {
  const chosen = Object.hasOwn(answers, question.key) ? answers[question.key] : undefined;
  return question.options.some((option) => option.key === chosen);
}

export function questionsStatus(questions: Question[], answers: Record<string, string>): TaskStatus {
  return statusFrom(questions.filter((question) => isAnswered(question, answers)).length, questions.length);
}

export function adjustmentQuestions(definition: RasDefinition): Question[] {
  return definition.adjustments.map((adjustment) => ({
    key: adjustment.key,
    text: adjustment.text,
    ...(adjustment.hint ? { hint: adjustment.hint } : {}),
    options: adjustment.options.map((option) => ({ key: option.key, label: option.label, percent: option.percent })),
  }));
}

export type Section =
  | { kind: 'eligibility'; title: string; path: string }
  | { kind: 'domain'; title: string; path: string; domain: RasDomain }
  | { kind: 'adjustments'; title: string; path: string; questions: Question[] };

export const eligibilityTitle = 'Eligibility';
export const adjustmentsTitle = 'Support from family and friends';

/**
 * In the order the task list shows them and "Save and continue" walks through. Carers answer the
 * domains only: the engine ignores adjustments for them and the person's eligibility rules are not theirs.
 */
export function sectionsOf(assessment: { id: number; type: AssessmentType }, definition: RasDefinition): Section[] {
  const base = `/assessments/${assessment.id}`;
  const domains: Section[] = definition.domains.map((domain) => ({
    kind: 'domain',
    title: domain.title,
    path: `${base}/domains/${domain.key}`,
    domain,
  }));
  if (assessment.type === 'carer') return domains;
  const sections: Section[] = [{ kind: 'eligibility', title: eligibilityTitle, path: `${base}/eligibility` }, ...domains];
  if (definition.adjustments.length > 0) {
    sections.push({
      kind: 'adjustments',
      title: adjustmentsTitle,
      path: `${base}/adjustments`,
      questions: adjustmentQuestions(definition),
    });
  }
  return sections;
}

/** The questions a page asks: a domain's, or the adjustments'; the eligibility page has its own form. */
export function questionsOf(section: Section): Question[] {
  if (section.kind === 'domain') return section.domain.questions;
  if (section.kind === 'adjustments') return section.questions;
  return [];
}

export function sectionStatus(section: Section, answers: Record<string, string>, eligibility: RecordedEligibility): TaskStatus {
  switch (section.kind) {
    case 'eligibility':
      return eligibilityStatus(eligibility);
    case 'domain':
      return questionsStatus(section.domain.questions, answers);
    case 'adjustments':
      return questionsStatus(section.questions, answers);
  }
}

/** Where "Save and continue" goes: the next section, then check answers once everything is done. */
export function nextPathAfter(
  sections: Section[],
  current: Section,
  answers: Record<string, string>,
  eligibility: RecordedEligibility,
  assessmentId: number,
): string {
  const index = sections.findIndex((section) => section.path === current.path);
  const next = sections[index + 1];
  if (next) return next.path;
  const allDone = sections.every((section) => sectionStatus(section, answers, eligibility) === 'completed');
  return allDone ? `/assessments/${assessmentId}/check-answers` : `/assessments/${assessmentId}`;
}

/** The answers the engine should see: only keys this assessment type answers, so a carer's row never carries adjustments. */
export function answersForScoring(sections: Section[], answers: Record<string, string>): Record<string, string> {
  const keys = sections.flatMap((section) =>
    section.kind === 'domain'
      ? section.domain.questions.map((q) => q.key)
      : section.kind === 'adjustments'
        ? section.questions.map((q) => q.key)
        : [],
  );
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(answers, key)).map((key) => [key, answers[key] as string]));
}

export function optionLabel(question: Question, optionKey: string | undefined): string | undefined {
  return question.options.find((option) => option.key === optionKey)?.label;
}

/** "Select how much help you need to ..." from "How much help do you need to ...?"; a plain fallback otherwise. */
export function missingAnswerMessage(question: Question): string {
  const howMuchHelp = /^How much help do you need (.+?)\??$/i.exec(question.text.trim());
  if (howMuchHelp) return `Select how much help you need ${howMuchHelp[1]}`;
  return `Select an answer to ‘${question.text.trim()}’`;
}

export function notAnOptionMessage(question: Question): string {
  return `That answer is not one of the options for ‘${question.text.trim()}’ in this assessment: select one of the answers shown`;
}
