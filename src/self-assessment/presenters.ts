import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { personName } from '../people/presenters.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, PostButton, SummaryRow, Tag } from '../web/view-models.js';
import { conflictView } from '../web/conflict.js';
import { optionLabel, type Question } from '../assessments/questionnaire.js';
import type { ReviewPage } from './review-service.js';
import type { PageProgress, SelfAssessmentAnswersService } from './answers-service.js';
import { londonDateOf } from '../calendar.js';
import { explanationView } from '../assessments/presenters.js';
import type { ResultPage } from '../assessments/service.js';
import { printablePlanView } from '../plans/presenters.js';
import type { PlanPage } from '../plans/service.js';
import { accessCodeInGroups } from './access-code.js';
import type { SelfAssessmentStatus } from './repo.js';
import type { SelfAssessmentSection } from './service.js';

export const entryPath = '/your-assessment';
export const overviewPath = `${entryPath}/overview`;
export const signOutPath = `${entryPath}/sign-out`;
export const invitationPath = (personId: number) => `/people/${personId}/self-assessment/access-code`;
export const revokePath = (personId: number) => `/people/${personId}/self-assessment/access-code/revoke`;

export function signInView(values: Record<string, unknown>, errors: FormErrors) {
  return { values, errors };
}

/** The letter the care manager prints: how to reach the online self-assessment, and the code, shown this once. */
export function letterView(invited: { person: Person; code: string; expiresAt: Date }, entryUrl: string, councilName: string) {
  const name = personName(invited.person);
  return {
    title: `Invitation letter for ${name}`,
    personHref: `/people/${invited.person.id}`,
    name,
    reference: invited.person.reference,
    entryUrl,
    code: accessCodeInGroups(invited.code),
    expires: formatDate(londonDateOf(invited.expiresAt)),
    councilName,
  };
}

const statusTags: Record<SelfAssessmentStatus | 'not_started', Tag> = {
  not_started: { text: 'Not started', colour: 'grey' },
  in_progress: { text: 'In progress', colour: 'light-blue' },
  submitted: { text: 'Ready to go through', colour: 'blue' },
  reviewed: { text: 'Gone through', colour: 'green' },
};

/** The person page's section: the code the person has, how far they have got, and what the care manager may do. */
export function selfAssessmentSectionView(section: SelfAssessmentSection): PersonPageSection {
  const { person, invitation, selfAssessment } = section;
  const rows: SummaryRow[] = [
    {
      key: 'Access code',
      value: !invitation
        ? 'None given'
        : invitation.expired
          ? `Expired on ${formatDateTime(invitation.expiresAt)}`
          : `Given on ${formatDateTime(invitation.createdAt)}, works until ${formatDateTime(invitation.expiresAt)}`,
    },
    { key: 'Their answers', tag: statusTags[selfAssessment?.status ?? 'not_started'] },
  ];
  if (selfAssessment?.submittedAt) rows.push({ key: 'Sent to the council', value: formatDateTime(selfAssessment.submittedAt) });
  const buttons: PostButton[] = [];
  if (section.canEdit) {
    buttons.push({
      action: invitationPath(person.id),
      text: invitation ? 'Give a new access code' : 'Give an access code',
      hiddenText: `to ${personName(person)}`,
      secondary: true,
    });
    if (invitation && !invitation.expired) {
      buttons.push({
        action: revokePath(person.id),
        text: 'Revoke the access code',
        hiddenText: `of ${personName(person)}`,
        secondary: true,
      });
    }
  }
  const reviewLink =
    selfAssessment && selfAssessment.status !== 'in_progress'
      ? {
          href: reviewPath(selfAssessment.id),
          text:
            selfAssessment.status === 'reviewed'
              ? 'Their answers and the agreed answers'
              : `Go through the answers with ${personName(person)}`,
        }
      : null;
  return {
    partial: 'self-assessment/_person-section',
    model: {
      selfAssessment: {
        rows,
        buttons,
        reviewLink,
        newCodeHint: invitation && section.canEdit ? 'A new code stops the earlier one working.' : null,
      },
    },
  };
}

/** The person's own header: their name and how to sign out; the staff navigation is never shown to them. */
export function personHeaderView(person: Person) {
  return { name: personName(person), signOutAction: signOutPath };
}

/* ---------- The person's questionnaire ---------- */

export const startPath = `${entryPath}/start`;
export const questionPath = (key: string) => `${entryPath}/questions/${key}`;
export const checkAnswersPath = `${entryPath}/check-answers`;
export const submitPath = `${entryPath}/submit`;

type Overview = Awaited<ReturnType<SelfAssessmentAnswersService['overview']>>;
type QuestionPage = NonNullable<Awaited<ReturnType<SelfAssessmentAnswersService['page']>>>;
type CheckAnswers = NonNullable<Awaited<ReturnType<SelfAssessmentAnswersService['checkAnswers']>>>;
export type PersonFormState = { values: Record<string, unknown>; errors: FormErrors; returnTo?: string | undefined };

const answerRows = (progress: PageProgress[], answers: Record<string, string>, changeLinks: boolean): SummaryRow[] =>
  progress.flatMap(({ page }) =>
    page.questions.map((question) => ({
      key: question.text,
      value: optionLabel(question, answers[question.key]) ?? 'Not answered yet',
      actions: changeLinks
        ? [
            {
              href: `${questionPath(page.key)}?returnTo=check-answers`,
              text: 'Change',
              hiddenText: `your answer about ${page.title.toLowerCase()}`,
            },
          ]
        : [],
    })),
  );

export const explanationPath = `${entryPath}/budget-explanation`;
export const planPath = `${entryPath}/support-plan`;

/** What the person can read afterwards, and, for what is not there yet, what happens before it is. */
function afterwards(available: Readable) {
  const readLinks: Link[] = [];
  const waiting: string[] = [];
  if (available.explanation) readLinks.push({ href: explanationPath, text: 'How your indicative budget was worked out' });
  else
    waiting.push(
      'When your care manager has gone through your answers with you, you will be able to read here how your indicative budget was worked out.',
    );
  if (available.plan) readLinks.push({ href: planPath, text: 'Your support plan and personal budget' });
  else
    waiting.push(
      'Next, your care manager will help you write a support plan saying how you want to use the money. When the council has signed it off, you will be able to read your plan and your personal budget here.',
    );
  return { readLinks, waiting };
}

type Readable = { explanation: boolean; plan: boolean };

/** The person's home page: what to do next, in plain words. */
export function overviewView(overview: Overview, available: Readable = { explanation: false, plan: false }) {
  const base = {
    title: 'Your self-assessment',
    name: personName(overview.person),
    startAction: startPath,
    ...afterwards(available),
  };
  if (overview.kind === 'not_started')
    return { ...base, state: 'not_started' as const, tasks: [], answers: [], next: null, sentText: null };
  const { selfAssessment, progress } = overview;
  if (selfAssessment.status !== 'in_progress') {
    return {
      ...base,
      state: selfAssessment.status,
      tasks: [],
      answers: answerRows(progress, selfAssessment.answers, false),
      next: null,
      sentText: `You sent your answers on ${formatDateTime(selfAssessment.submittedAt)}.`,
    };
  }
  const firstUnfinished = progress.find((item) => !item.complete);
  return {
    ...base,
    state: 'in_progress' as const,
    tasks: progress.map((item) => ({
      title: item.page.title,
      href: questionPath(item.page.key),
      status: item.complete ? { text: 'Answered' } : { text: 'Not answered yet', tag: 'blue' },
    })),
    answers: [],
    next: firstUnfinished
      ? { href: questionPath(firstUnfinished.page.key), text: progress.some((item) => item.complete) ? 'Carry on' : 'Start the questions' }
      : { href: checkAnswersPath, text: 'Check your answers and send them' },
    sentText: null,
  };
}

/** One page of questions, with its "What this means" note; the person never sees points or money here. */
export function questionPageView(page: QuestionPage, state: PersonFormState) {
  const posted = state.values.answers && typeof state.values.answers === 'object' ? (state.values.answers as Record<string, unknown>) : {};
  const single = page.page.questions.length === 1;
  const f = state.errors.fields;
  return {
    title: single ? (page.page.questions[0]?.text ?? page.page.title) : page.page.title,
    errors: state.errors,
    backLink: state.returnTo === 'check-answers' ? checkAnswersPath : page.previous ? questionPath(page.previous) : overviewPath,
    action: questionPath(page.page.key),
    formVersion: typeof state.values.version === 'string' ? state.values.version : String(page.selfAssessment.version),
    returnTo: state.returnTo,
    caption: `${page.page.title}: page ${page.number} of ${page.pages.length}`,
    pageHeading: single ? null : page.page.title,
    whatThisMeans: page.page.whatThisMeans,
    formError: f.form,
    questions: page.page.questions.map((question) => ({
      id: `answers-${question.key}`,
      name: `answers[${question.key}]`,
      legend: question.text,
      legendClass: single ? 'govuk-fieldset__legend--l' : 'govuk-fieldset__legend--m',
      isPageHeading: single,
      hint: question.hint,
      value: posted[question.key],
      error: f[`answers.${question.key}`],
      items: question.options.map((option) => ({ value: option.key, text: option.label })),
    })),
  };
}

export function checkAnswersView(page: CheckAnswers, errors: FormErrors) {
  return {
    title: 'Check your answers',
    errors,
    backLink: overviewPath,
    answers: answerRows(page.progress, page.selfAssessment.answers, true),
    action: submitPath,
    version: page.selfAssessment.version,
    formError: errors.fields.form,
  };
}

/** The staff explanation page as the person reads it in their own space, with the way back to it. */
export function personExplanationView(page: ResultPage) {
  return { ...explanationView(page), backLink: overviewPath };
}

/** The person's copy of their signed-off plan, read in their own space rather than printed for them. */
export function personPlanView(page: PlanPage) {
  return { ...printablePlanView(page), backLink: overviewPath };
}

/** Another tab sent or saved the answers first: the one 409 page, with what was chosen here. */
export function personConflictView(typed: Record<string, unknown>, page: QuestionPage | undefined) {
  const answers = typed.answers && typeof typed.answers === 'object' ? (typed.answers as Record<string, unknown>) : {};
  return conflictView({
    recordName: 'your answers',
    fields: Object.fromEntries(
      (page?.page.questions ?? []).map((question) => [
        question.key,
        { label: question.text, choices: Object.fromEntries(question.options.map((option) => [option.key, option.label])) },
      ]),
    ),
    typed: answers,
    latest: { href: overviewPath, text: 'Go to your self-assessment' },
  });
}

/* ---------- The care manager going through the answers ---------- */

export const reviewPath = (id: number) => `/self-assessments/${id}/review`;

export function reviewView(page: ReviewPage, state: { values: Record<string, unknown>; errors: FormErrors }) {
  const { selfAssessment, person, pages, agreed, assessment } = page;
  const name = personName(person);
  const agreedByKey = new Map(agreed.map((answer) => [answer.questionKey, answer]));
  const posted = (field: string) =>
    state.values[field] && typeof state.values[field] === 'object' ? (state.values[field] as Record<string, unknown>) : undefined;
  const postedAgreed = posted('agreed');
  const postedReasons = posted('reasons');
  const questions = pages.flatMap((p) => p.questions);
  const f = state.errors.fields;
  const label = (question: Question, key: string | null | undefined) => optionLabel(question, key ?? undefined) ?? 'Not answered';
  const reviewed = selfAssessment.status === 'reviewed';
  const editable = page.canEdit && !reviewed && assessment?.status === 'draft';
  return {
    title: `Go through ${name}’s answers`,
    errors: state.errors,
    backLink: `/people/${person.id}`,
    caption: `${name} (${person.reference})`,
    sentText: `${name} sent these answers on ${formatDateTime(selfAssessment.submittedAt)}.`,
    sideBySide: {
      head: [{ text: 'Question' }, { text: `${person.givenName}’s answer` }, { text: 'Agreed answer' }, { text: 'Why it changed' }],
      rows: questions.map((question) => {
        const answer = agreedByKey.get(question.key);
        return [
          { text: question.text },
          { text: label(question, selfAssessment.answers[question.key]) },
          { text: answer ? label(question, answer.agreedOption) : 'Not gone through yet' },
          { text: answer?.reason ?? '' },
        ];
      }),
    },
    startButton:
      page.canEdit && !assessment && !reviewed
        ? { action: `${reviewPath(selfAssessment.id)}/start`, text: 'Start going through the answers' }
        : null,
    form: editable
      ? {
          action: reviewPath(selfAssessment.id),
          version: typeof state.values.version === 'string' ? state.values.version : String(selfAssessment.version),
          questions: questions.map((question) => ({
            heading: question.text,
            personAnswer: `${person.givenName}’s answer: ${label(question, selfAssessment.answers[question.key])}`,
            radios: {
              id: `agreed-${question.key}`,
              name: `agreed[${question.key}]`,
              legend: 'Agreed answer',
              legendClass: 'govuk-fieldset__legend--s',
              small: true,
              value: postedAgreed
                ? postedAgreed[question.key]
                : (agreedByKey.get(question.key)?.agreedOption ?? selfAssessment.answers[question.key]),
              error: f[`agreed.${question.key}`],
              items: question.options.map((option) => ({ value: option.key, text: option.label })),
            },
            reason: {
              id: `reasons-${question.key}`,
              name: `reasons[${question.key}]`,
              label: 'If the agreed answer is different, why',
              value: postedReasons ? postedReasons[question.key] : (agreedByKey.get(question.key)?.reason ?? ''),
              error: f[`reasons.${question.key}`],
              rows: 2,
            },
          })),
        }
      : null,
    eligibilityLink:
      editable && assessment
        ? { href: `/assessments/${assessment.id}/eligibility`, text: 'Record the eligibility determination on the assessment' }
        : null,
    submit:
      editable && questions.every((question) => agreedByKey.has(question.key))
        ? { action: `${reviewPath(selfAssessment.id)}/submit`, version: selfAssessment.version, formError: f.form }
        : null,
    resultLink:
      reviewed && assessment
        ? { href: `/assessments/${assessment.id}/result`, text: 'Indicative budget worked out from the agreed answers' }
        : null,
  };
}

export function reviewConflict(latest: ReviewPage) {
  return conflictView({
    recordName: `${personName(latest.person)}’s self-assessment`,
    fields: {},
    typed: {},
    latest: { href: reviewPath(latest.selfAssessment.id), text: 'Go back to the answers' },
  });
}
