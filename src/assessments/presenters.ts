import { londonDateOf } from '../calendar.js';
import { formatPence } from '../money.js';
import { clientGroupLabels, clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { personHeading, personName } from '../people/presenters.js';
import type { PersonPageSection } from '../people/sections.js';
import { conflictView, type FieldLabels } from '../web/conflict.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, PostButton, SummaryRow, TableCell, Tag } from '../web/view-models.js';
import type { IndicativeBudget } from './budget.js';
import { eligibilityOutcomes, unableReasons, type EligibilityDecision } from './eligibility.js';
import {
  adjustmentsTitle,
  assessmentTypeLabels,
  eligibilityTitle,
  optionLabel,
  questionsOf,
  type RecordedEligibility,
  type Section,
  type TaskStatus,
  unachievedOutcomes,
} from './questionnaire.js';
import type { Assessment, AssessmentStatus, AssessmentType } from './repo.js';
import { lowerFirst } from './schemas.js';
import type {
  CheckAnswersPage,
  EligibilityPage,
  PersonAssessments,
  QuestionsPage,
  ResultPage,
  SectionProgress,
  TaskListPage,
} from './service.js';

/** Assessments as care managers and the people they assess read them: the pages lay out what is built here. */

/** Where an assessment is in its life, the same words on the person page and the result. */
export const assessmentStatusTags: Record<AssessmentStatus, Tag> = {
  draft: { text: 'Draft', colour: 'blue' },
  submitted: { text: 'Current', colour: 'green' },
  superseded: { text: 'Replaced', colour: 'grey' },
};

const taskStatuses: Record<TaskStatus, { text: string; tag?: string }> = {
  completed: { text: 'Completed' },
  in_progress: { text: 'In progress', tag: 'light-blue' },
  not_started: { text: 'Not started', tag: 'blue' },
};

// A reassessment says so: the person already has a result that the new one will replace.
const startLabels: Record<AssessmentType, { first: string; again: string }> = {
  person: { first: 'Start an assessment', again: 'Start a new assessment' },
  carer: { first: 'Start a carer’s assessment', again: 'Start a new carer’s assessment' },
};

const outcomeLabels: Record<string, string> = Object.fromEntries(eligibilityOutcomes.map((outcome) => [outcome.key, outcome.label]));
const reasonLabels: Record<string, string> = Object.fromEntries(unableReasons.map((reason) => [reason.key, reason.label]));
const yesNoChoices = { yes: 'Yes', no: 'No' };
const achievedChoices = { ...yesNoChoices, does_not_apply: 'Does not apply' };

const points = (count: number) => `${count} ${count === 1 ? 'point' : 'points'}`;
const signedPercent = (percent: number) => `${percent > 0 ? '+' : ''}${percent}%`;

/**
 * What the family support answers mean, in plain words: "Some" and "A lot" alone left people
 * guessing. Keyed by the default RAS's keys; a council's own adjustment shows only its effect.
 */
const adjustmentMeanings: Record<string, Record<string, string>> = {
  informal_support: {
    none: 'nobody is willing and able to keep helping',
    some: 'family or friends help regularly with part of what is needed',
    a_lot: 'family or friends give most of the help needed day to day',
  },
};

/** What an answer does to the budget, from the RAS version's own figure. */
const percentEffect = (percent: number) =>
  percent < 0 ? `takes ${-percent}% off the budget` : percent > 0 ? `adds ${percent}% to the budget` : 'does not change the budget';

/** "Family or friends help regularly with part of what is needed; takes 10% off the budget". */
export function adjustmentOptionMeaning(adjustmentKey: string, option: { key: string; percent: number }): string {
  const meaning = adjustmentMeanings[adjustmentKey]?.[option.key];
  const words = meaning ? `${meaning}; ${percentEffect(option.percent)}` : percentEffect(option.percent);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const taskListPath = (assessment: Pick<Assessment, 'id'>) => `/assessments/${assessment.id}`;
const checkAnswersPath = (assessment: Pick<Assessment, 'id'>) => `/assessments/${assessment.id}/check-answers`;
const resultPath = (assessment: Pick<Assessment, 'id'>) => `/assessments/${assessment.id}/result`;

/** "Returning to check answers" sends the back link there; otherwise the task list. */
const backFrom = (assessment: Pick<Assessment, 'id'>, returnTo: string | undefined) =>
  returnTo === 'check-answers' ? checkAnswersPath(assessment) : taskListPath(assessment);

function clientGroupLabel(group: string): string {
  return (clientGroups as readonly string[]).includes(group) ? clientGroupLabels[group as PersonClientGroup] : group;
}

function eligibilityText(assessment: Assessment): string {
  if (assessment.status === 'draft') return '';
  if (assessment.type === 'carer') return 'Not applicable';
  if (assessment.eligible === null) return 'Not decided yet';
  return assessment.eligible ? 'Eligible' : 'Not eligible';
}

function budgetAYear(budget: IndicativeBudget | undefined): string {
  if (!budget) return 'Not yet';
  if (budget.kind === 'amount') return formatPence(budget.annualPence);
  return budget.reason === 'not_eligible' ? 'None: not eligible' : 'None from the RAS';
}

/** The person page's Assessments section: each assessment and the button that starts or continues one. */
export function assessmentsSectionView(section: PersonAssessments): PersonPageSection {
  const { person, canEdit, draft } = section;
  return {
    partial: 'assessments/_person-assessments',
    model: {
      start:
        canEdit && !draft
          ? ({
              action: `/people/${person.id}/assessments`,
              text: startLabels[section.type][section.assessedBefore ? 'again' : 'first'],
            } satisfies PostButton)
          : null,
      continueLink: canEdit && draft ? ({ href: taskListPath(draft), text: 'Continue the draft assessment' } satisfies Link) : null,
      rows: section.assessments.map((assessment): TableCell[] => {
        const startedOn = formatDate(londonDateOf(assessment.startedAt));
        const typeLabel = assessmentTypeLabels[assessment.type];
        // A draft opens for those who may change it; anyone who may see the person may read a result.
        const href = assessment.status === 'draft' ? (canEdit ? taskListPath(assessment) : null) : resultPath(assessment);
        return [
          href ? { link: { href, text: typeLabel, hiddenText: `started ${startedOn}` } } : { text: typeLabel },
          { tag: assessmentStatusTags[assessment.status] },
          { text: assessment.submittedAt ? `Submitted ${formatDate(londonDateOf(assessment.submittedAt))}` : `Started ${startedOn}` },
          { text: eligibilityText(assessment) },
          { text: assessment.rawPoints === null ? '' : String(assessment.rawPoints), numeric: true },
          { text: budgetAYear(assessment.indicativeBudget), numeric: true },
        ];
      }),
    },
  };
}

/** The caption over every questionnaire page: whose assessment it is. */
function heading(page: { assessment: Assessment; person: PersonAssessments['person'] }) {
  return {
    // Not "id": EJS partials inherit the page's locals, and several read locals.id.
    assessmentId: page.assessment.id,
    person: personHeading(page.person),
    typeLabel: assessmentTypeLabels[page.assessment.type],
    taskListPath: taskListPath(page.assessment),
  };
}

type TaskItem = { title: string; href?: string; status: { text: string; tag?: string; muted?: boolean }; hint?: string };

const taskItem = ({ section, status }: SectionProgress, hint?: string): TaskItem => ({
  title: section.title,
  href: section.path,
  status: taskStatuses[status],
  ...(hint ? { hint } : {}),
});

export function taskListView(page: TaskListPage, options: { saved: boolean }) {
  const { assessment, person, progress } = page;
  const name = personName(person);
  const eligibility = progress.find((task) => task.section.kind === 'eligibility');
  const domains = progress.filter((task) => task.section.kind === 'domain');
  const adjustments = progress.find((task) => task.section.kind === 'adjustments');
  const decision = page.eligibilityDecision;
  let number = 0;
  const numbered = (title: string) => `${(number += 1)}. ${title}`;
  return {
    ...heading(page),
    title: `${name}: ${lowerFirst(assessmentTypeLabels[assessment.type])}`,
    savedBanner: options.saved ? `You can come back to this assessment from ${name}’s page at any time.` : null,
    intro: `Started ${formatDateTime(assessment.startedAt)}${page.startedBy ? ` by ${page.startedBy}` : ''}. The questions and the indicative budget come from the RAS ‘${page.rasVersionName}’, which this assessment keeps even if a new RAS is published.`,
    eligibility: eligibility
      ? {
          heading: numbered(eligibilityTitle),
          items: [
            taskItem(eligibility, decision ? `Worked out from the answers: ${decision.eligible ? 'eligible' : 'not eligible'}` : undefined),
          ],
        }
      : null,
    needs: {
      heading: numbered('Needs'),
      progress: `${domains.filter((task) => task.status === 'completed').length} of ${domains.length} completed`,
      items: domains.map((task) => taskItem(task)),
    },
    adjustments: adjustments ? { heading: numbered(adjustmentsTitle), items: [taskItem(adjustments)] } : null,
    submit: {
      heading: numbered('Submit'),
      items: [
        progress.every((task) => task.status === 'completed')
          ? { title: 'Check answers and submit', href: checkAnswersPath(assessment), status: taskStatuses.not_started }
          : { title: 'Check answers and submit', status: { text: 'Cannot start yet', muted: true } },
      ] satisfies TaskItem[],
    },
  };
}

export type FormState = { values: Record<string, unknown>; errors: FormErrors; returnTo?: string | undefined };

/** The version the form carries: what was posted, so a stale page stays stale, or the one saved now. */
const formVersion = (values: Record<string, unknown>, saved: number) =>
  typeof values.version === 'string' ? values.version : String(saved);

/** One RAS domain (or the adjustments): a radios group per question. Points are never shown: the person answers about their life, not about money. */
export function questionsView(page: QuestionsPage, state: FormState) {
  const { section, questions } = page;
  const single = questions.length === 1;
  const answers = state.values.answers && typeof state.values.answers === 'object' ? (state.values.answers as Record<string, unknown>) : {};
  const f = state.errors.fields;
  const name = personName(page.person);
  return {
    ...heading(page),
    title: single ? (questions[0]?.text ?? section.title) : section.title,
    backLink: backFrom(page.assessment, state.returnTo),
    action: section.path,
    formVersion: formVersion(state.values, page.assessment.version),
    returnTo: state.returnTo,
    errors: state.errors,
    caption: single ? `${name} – ${section.title}` : name,
    pageHeading: single ? null : section.title,
    formError: f.form,
    questions: questions.map((question) => ({
      id: `answers-${question.key}`,
      name: `answers[${question.key}]`,
      legend: question.text,
      legendClass: single ? 'govuk-fieldset__legend--l' : 'govuk-fieldset__legend--m',
      isPageHeading: single,
      hint: question.hint,
      value: answers[question.key],
      error: f[`answers.${question.key}`],
      items: question.options.map((option) => ({
        value: option.key,
        text: option.label,
        hint:
          option.percent === undefined ? undefined : adjustmentOptionMeaning(question.key, { key: option.key, percent: option.percent }),
      })),
    })),
  };
}

const yesNo = (value: boolean | undefined) => (value === undefined ? undefined : value ? 'yes' : 'no');

/** The eligibility form's fields, filled from what is saved (the same names the browser posts). */
export function eligibilityFormValues(facts: RecordedEligibility): Record<string, unknown> {
  return {
    arisesFromImpairment: yesNo(facts.arisesFromImpairment),
    significantImpact: yesNo(facts.significantImpactOnWellbeing),
    outcomes: Object.fromEntries(
      Object.entries(facts.outcomes).map(([key, finding]) => [
        key,
        { achieved: finding?.doesNotApply ? 'does_not_apply' : yesNo(finding?.achieved), reasons: finding?.reasons ?? [] },
      ]),
    ),
  };
}

const yesNoItems = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
];

/** The facts of reg. 2 of the Eligibility Criteria Regulations 2015; the decision is never asked for, only worked out from them. */
export function eligibilityView(page: EligibilityPage, state: FormState) {
  const { values } = state;
  const f = state.errors.fields;
  const outcomeValues =
    values.outcomes && typeof values.outcomes === 'object' ? (values.outcomes as Record<string, Record<string, unknown>>) : {};
  const name = personName(page.person);
  return {
    ...heading(page),
    backLink: backFrom(page.assessment, state.returnTo),
    action: page.section.path,
    formVersion: formVersion(values, page.assessment.version),
    returnTo: state.returnTo,
    errors: state.errors,
    name,
    impairment: {
      id: 'arisesFromImpairment',
      name: 'arisesFromImpairment',
      value: values.arisesFromImpairment,
      error: f.arisesFromImpairment,
      items: yesNoItems,
    },
    outcomes: eligibilityOutcomes.map((outcome) => {
      const value = outcomeValues[outcome.key] ?? {};
      return {
        id: `outcomes-${outcome.key}-achieved`,
        name: `outcomes[${outcome.key}][achieved]`,
        legend: `Can they achieve ‘${lowerFirst(outcome.label)}’?`,
        value: value.achieved,
        error: f[`outcomes.${outcome.key}.achieved`],
        items: 'doesNotApply' in outcome ? [...yesNoItems, { value: 'does_not_apply', text: outcome.doesNotApply }] : yesNoItems,
      };
    }),
    impact: {
      id: 'significantImpact',
      name: 'significantImpact',
      value: values.significantImpact,
      error: f.significantImpact,
      items: yesNoItems,
    },
  };
}

/** The reasons page: only the outcomes recorded as not achieved, each with reg. 2(3)'s four ways. */
export function unableReasonsView(page: EligibilityPage, state: FormState) {
  const f = state.errors.fields;
  const outcomeValues =
    state.values.outcomes && typeof state.values.outcomes === 'object'
      ? (state.values.outcomes as Record<string, Record<string, unknown>>)
      : {};
  const unachieved = new Set(unachievedOutcomes(page.facts));
  return {
    ...heading(page),
    backLink: { href: `${page.section.path}${state.returnTo ? `?returnTo=${state.returnTo}` : ''}`, text: 'Back' },
    action: `${page.section.path}/reasons`,
    formVersion: formVersion(state.values, page.assessment.version),
    returnTo: state.returnTo,
    errors: state.errors,
    name: personName(page.person),
    outcomes: eligibilityOutcomes
      .filter((outcome) => unachieved.has(outcome.key))
      .map((outcome) => ({
        id: `outcomes-${outcome.key}-reasons`,
        name: `outcomes[${outcome.key}][reasons]`,
        legend: `Why can they not achieve ‘${lowerFirst(outcome.label)}’?`,
        values: outcomeValues[outcome.key]?.reasons,
        error: f[`outcomes.${outcome.key}.reasons`],
        items: unableReasons.map((reason) => ({ value: reason.key, text: reason.label })),
      })),
  };
}

export function unableReasonsFormValues(facts: RecordedEligibility): Record<string, unknown> {
  return {
    outcomes: Object.fromEntries(unachievedOutcomes(facts).map((key) => [key, { reasons: facts.outcomes[key]?.reasons ?? [] }])),
  };
}

export function unableReasonsConflict(latest: EligibilityPage, typed: Record<string, unknown>) {
  return conflictView({
    recordName: 'this assessment',
    fields: eligibilityFieldLabels,
    typed: flatEligibilityValues(typed),
    savedNow: flatEligibilityValues(unableReasonsFormValues(latest.facts)),
    latest: latestOf(latest.assessment, { href: `${latest.section.path}/reasons`, text: 'Open the latest version' }),
  });
}

const answered = (value: boolean | undefined) => (value === undefined ? 'Not answered' : value ? 'Yes' : 'No');
const change = (href: string, hiddenText: string): Link[] => [{ href, text: 'Change', hiddenText }];

function eligibilityRows(facts: RecordedEligibility, sectionPath: string, returnTo: string): SummaryRow[] {
  const path = `${sectionPath}${returnTo}`;
  return [
    {
      key: 'Needs arise from a physical or mental impairment or illness',
      lines: [answered(facts.arisesFromImpairment)],
      actions: change(`${path}#arisesFromImpairment`, 'whether their needs arise from an impairment or illness'),
    },
    ...eligibilityOutcomes.map((outcome): SummaryRow => {
      const finding = facts.outcomes[outcome.key];
      const lines =
        finding?.achieved === undefined
          ? ['Not answered']
          : finding.doesNotApply
            ? ['Does not apply']
            : finding.achieved
              ? ['Can achieve this']
              : [
                  'Cannot achieve this:',
                  ...(finding.reasons.length ? finding.reasons.map((reason) => reasonLabels[reason] ?? reason) : ['no reason recorded']),
                ];
      return {
        key: outcome.label,
        lines,
        actions: [
          ...change(`${path}#outcomes-${outcome.key}-achieved`, `whether they can achieve ${outcome.label.toLowerCase()}`),
          ...(finding?.achieved === false
            ? [
                {
                  href: `${sectionPath}/reasons${returnTo}#outcomes-${outcome.key}-reasons`,
                  text: 'Change reasons',
                  hiddenText: `for ${outcome.label.toLowerCase()}`,
                },
              ]
            : []),
        ],
      };
    }),
    {
      key: 'Significant impact on their wellbeing',
      lines: [answered(facts.significantImpactOnWellbeing)],
      actions: change(`${path}#significantImpact`, 'whether there is a significant impact on their wellbeing'),
    },
  ];
}

function questionRows(section: Section, answers: Record<string, string>, returnTo: string): SummaryRow[] {
  const questions = questionsOf(section);
  return questions.map((question) => {
    // One-question domains read best under the domain's title; otherwise each question names itself.
    const key = section.kind === 'domain' && questions.length === 1 ? section.title : question.text;
    return {
      key,
      lines: [optionLabel(question, answers[question.key]) ?? 'Not answered'],
      actions: change(`${section.path}${returnTo}#answers-${question.key}`, key.toLowerCase()),
    };
  });
}

function decisionView(decision: EligibilityDecision) {
  return { eligible: decision.eligible, reasons: decision.reasons };
}

/** Check answers: every answer with a Change link back to its page; a refused submit lists what is left to do. */
export function checkAnswersView(page: CheckAnswersPage, errors: FormErrors) {
  const { assessment, sections } = page;
  const returnTo = '?returnTo=check-answers';
  const eligibility = sections.find((section) => section.kind === 'eligibility');
  const adjustments = sections.find((section) => section.kind === 'adjustments');
  const incomplete = page.incomplete.map((section) => ({ text: `Complete ‘${section.title}’`, href: section.path }));
  return {
    ...heading(page),
    errors: errors.summary.length > 0 && incomplete.length > 0 ? { summary: incomplete, fields: errors.fields } : errors,
    formError: errors.fields.form,
    action: `/assessments/${assessment.id}/submit`,
    version: assessment.version,
    eligibility: eligibility
      ? {
          rows: eligibilityRows(page.facts, eligibility.path, returnTo),
          decision: page.decision
            ? {
                ...decisionView(page.decision),
                text: `Worked out from these answers: ${page.decision.eligible ? 'eligible' : 'not eligible'}`,
              }
            : null,
        }
      : null,
    needs: sections
      .filter((section) => section.kind === 'domain')
      .flatMap((section) => questionRows(section, assessment.answers, returnTo)),
    adjustments: adjustments ? questionRows(adjustments, assessment.answers, returnTo) : null,
  };
}

/** The indicative budget in one line: the amount, or why there is none. */
function budgetLine(page: ResultPage, name: string) {
  const budget = page.assessment.indicativeBudget;
  const rawPoints = page.assessment.rawPoints ?? 0;
  if (budget?.kind === 'amount') {
    const ceiling = formatPence(page.ras.ceilingPence);
    return {
      headline: `${formatPence(budget.annualPence)} a year`,
      detail: `, about ${formatPence(budget.weeklyPence)} a week`,
      amount: {
        exceedsCeiling: budget.exceedsCeiling,
        ceilingText: budget.exceedsCeiling
          ? `Above the RAS ceiling of ${ceiling}: needs panel approval.`
          : `Within the RAS ceiling of ${ceiling}: no panel approval is needed for this amount.`,
      },
    };
  }
  if (budget?.reason === 'not_eligible')
    return { headline: 'No indicative budget', detail: `: ${name} is not eligible for care and support.`, amount: null };
  if (budget?.reason === 'below_threshold') {
    return {
      headline: 'No indicative budget from the RAS',
      detail: `: ${points(rawPoints)} is below the minimum of ${points(page.ras.minimumPoints)}.`,
      amount: null,
    };
  }
  return { headline: 'No indicative budget from the RAS', detail: `: no carer band covers ${points(rawPoints)}.`, amount: null };
}

const rasUsed = (ras: ResultPage['ras']) => `‘${ras.name}’${ras.effectiveFrom ? `, in effect from ${formatDate(ras.effectiveFrom)}` : ''}`;

function pointsRows(page: ResultPage): TableCell[][] {
  return [
    ...page.domains.map((domain): TableCell[] => [{ text: domain.title }, { text: String(domain.points), numeric: true }]),
    [{ text: 'Total' }, { text: String(page.assessment.rawPoints ?? 0), numeric: true }],
  ];
}

/** The result as the care manager reads it: the budget, the eligibility decision and the points behind them. */
export function resultView(page: ResultPage) {
  const { assessment } = page;
  const name = personName(page.person);
  const replaced = assessment.status === 'superseded';
  const modifier = assessment.modifierPercent ?? 0;
  return {
    ...heading(page),
    title: `Assessment result – ${name}`,
    name,
    replacedText: replaced
      ? `This assessment was replaced by a later one on ${formatDateTime(assessment.supersededAt)}. It is kept as the record of what was assessed then.`
      : null,
    summary: [
      { key: 'Status', tag: assessmentStatusTags[assessment.status] },
      { key: 'Assessment', value: assessmentTypeLabels[assessment.type] },
      { key: 'Client group', value: clientGroupLabel(assessment.clientGroup) },
      { key: 'Submitted', value: `${formatDateTime(assessment.submittedAt)}${page.submittedBy ? ` by ${page.submittedBy}` : ''}` },
      { key: 'RAS used', value: rasUsed(page.ras) },
    ] satisfies SummaryRow[],
    budget: budgetLine(page, name),
    eligibility: page.eligibility
      ? {
          ...decisionView(page.eligibility),
          tag: page.eligibility.eligible
            ? ({ text: 'Eligible', colour: 'green' } satisfies Tag)
            : ({ text: 'Not eligible', colour: 'orange' } satisfies Tag),
          unmetOutcomes: page.eligibility.unmetOutcomes.map((key) => outcomeLabels[key] ?? key),
        }
      : null,
    points: pointsRows(page),
    adjustments: page.adjustments.map((adjustment): SummaryRow => ({
      key: adjustment.text,
      value:
        adjustment.answer && adjustment.optionKey
          ? `${adjustment.answer}: ${lowerFirst(adjustmentOptionMeaning(adjustment.key, { key: adjustment.optionKey, percent: adjustment.percent }))}`
          : 'Not answered',
    })),
    modifierText: modifier ? `Together these change the amount by ${signedPercent(modifier)}.` : null,
    explanationLink: { href: `/assessments/${assessment.id}/explanation`, text: 'How your indicative budget was worked out' },
    nextStep: nextStepAfter(page),
  };
}

/** The way on from a result, so nobody hunts for the plan on the person page. */
function nextStepAfter(page: ResultPage): { text: string; link?: Link; button?: PostButton } | null {
  if (page.assessment.status !== 'submitted') return null;
  if (page.openPlanId !== null)
    return {
      text: 'A support plan is under way: it shows how the indicative budget will be spent.',
      link: { href: `/plans/${page.openPlanId}`, text: 'Continue the support plan' },
    };
  if (page.eligibility?.eligible === false || !page.canEdit) return null;
  return {
    text: 'Next, plan with the person how to meet their eligible needs with this budget. Finance signs the plan off.',
    button: { action: `/people/${page.person.id}/plans`, text: 'Start the support plan' },
  };
}

/** Written for the person to keep, so it speaks to them and avoids the council's jargon. */
export function explanationView(page: ResultPage) {
  const { assessment } = page;
  const budget = assessment.indicativeBudget;
  const submitted = formatDateTime(assessment.submittedAt);
  const title = 'How your indicative budget was worked out';
  return {
    ...heading(page),
    title,
    pageTitle: `${title} – ${personName(page.person)}`,
    backLink: resultPath(assessment),
    submittedText: `Assessment submitted on ${submitted}.`,
    rasText: `Worked out with the council’s Resource Allocation System (RAS) ${rasUsed(page.ras)}. The RAS turns the answers to the assessment questions into points, and the points into an amount of money a year.`,
    replacedText:
      assessment.status === 'superseded'
        ? `A later assessment has replaced this one. This page explains the amount as it was worked out on ${submitted}.`
        : null,
    notEligible: budget?.kind === 'none' && budget.reason === 'not_eligible',
    eligibilityReasons: page.eligibility?.reasons ?? [],
    hasAmount: budget?.kind === 'amount',
    points: pointsRows(page),
    explanation: assessment.explanation ?? [],
  };
}

/* ---------- The one 409 page: the questionnaire's fields by the words the pages show ---------- */

/** A page of questions by their wording, each answer by its label. */
export function questionFieldLabels(page: QuestionsPage): FieldLabels {
  return Object.fromEntries(
    page.questions.map((question) => [
      question.key,
      { label: question.text, choices: Object.fromEntries(question.options.map((option) => [option.key, option.label])) },
    ]),
  );
}

/** The answers as posted (`answers[nutrition]`), by question key. */
export function postedAnswers(values: Record<string, unknown>): Record<string, unknown> {
  return values.answers && typeof values.answers === 'object' && !Array.isArray(values.answers)
    ? (values.answers as Record<string, unknown>)
    : {};
}

export const eligibilityFieldLabels: FieldLabels = {
  arisesFromImpairment: { label: 'Do their needs arise from a physical or mental impairment or illness?', choices: yesNoChoices },
  ...Object.fromEntries(
    eligibilityOutcomes.flatMap((outcome) => [
      [`outcomes.${outcome.key}.achieved`, { label: `Can they achieve ‘${lowerFirst(outcome.label)}’?`, choices: achievedChoices }],
      [
        `outcomes.${outcome.key}.reasons`,
        { label: `Why they are unable to achieve ‘${lowerFirst(outcome.label)}’`, choices: reasonLabels },
      ],
    ]),
  ),
  significantImpact: { label: 'Is there, or is there likely to be, a significant impact on their wellbeing?', choices: yesNoChoices },
};

/** The eligibility form's nested fields (`outcomes[nutrition][achieved]`) flat, by the names eligibilityFieldLabels uses. */
export function flatEligibilityValues(values: Record<string, unknown>): Record<string, unknown> {
  const outcomes =
    values.outcomes && typeof values.outcomes === 'object' ? (values.outcomes as Record<string, Record<string, unknown> | undefined>) : {};
  return {
    arisesFromImpairment: values.arisesFromImpairment,
    ...Object.fromEntries(
      eligibilityOutcomes.flatMap((outcome) => [
        [`outcomes.${outcome.key}.achieved`, outcomes[outcome.key]?.achieved],
        [`outcomes.${outcome.key}.reasons`, outcomes[outcome.key]?.reasons],
      ]),
    ),
    significantImpact: values.significantImpact,
  };
}

/** Once submitted, an assessment's answers never change: a page opened before that gets this reason on the 409 page. */
export function alreadySubmitted(assessment: Pick<Assessment, 'id'>) {
  return {
    reason: 'This assessment has already been submitted, so its answers can no longer be changed',
    backLink: resultPath(assessment),
  };
}

/** Someone saved first (or submitted): the latest to open, and where the page carries on from. */
function latestOf(assessment: Assessment, draftLink: Link): Link {
  return assessment.status === 'draft' ? draftLink : { href: resultPath(assessment), text: 'View the result' };
}

export function questionsConflict(latest: QuestionsPage, typed: Record<string, unknown>) {
  return conflictView({
    recordName: 'this assessment',
    fields: questionFieldLabels(latest),
    typed: postedAnswers(typed),
    savedNow: latest.answers,
    latest: latestOf(latest.assessment, { href: latest.section.path, text: 'Open the latest version' }),
  });
}

export function eligibilityConflict(latest: EligibilityPage, typed: Record<string, unknown>) {
  return conflictView({
    recordName: 'this assessment',
    fields: eligibilityFieldLabels,
    typed: flatEligibilityValues(typed),
    savedNow: flatEligibilityValues(eligibilityFormValues(latest.facts)),
    latest: latestOf(latest.assessment, { href: latest.section.path, text: 'Open the latest version' }),
  });
}

/** Nothing is typed on check answers: the 409 page only says which version to open. */
export function submitConflict(latest: CheckAnswersPage) {
  return conflictView({
    recordName: 'this assessment',
    fields: {},
    typed: {},
    latest: latestOf(latest.assessment, { href: checkAnswersPath(latest.assessment), text: 'Check the latest answers' }),
  });
}
