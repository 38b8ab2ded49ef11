import { directPaymentMonitoringView, personDirectPaymentsPath } from '../direct-payments/presenters.js';
import type { ReviewKind } from './repo.js';
import { formatPence } from '../money.js';
import { personHeading, personName } from '../people/presenters.js';
import type { PersonPageSection } from '../people/sections.js';
import { managementOptionLabels } from '../plans/options.js';
import { endBudgetFieldLabels, endReasonItems } from '../finance/ending-presenters.js';
import { budgetEndReasonLabels } from '../finance/ending-reasons.js';
import { conflictView, type ConflictView, type FieldLabels } from '../web/conflict.js';
import { dateParts } from '../web/form-fields.js';
import { formatDate, formatDateTime } from '../web/format.js';
import { dueWording } from '../web/relative-dates.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, SummaryRow, Tag, TableCell } from '../web/view-models.js';
import type { BudgetVariance, OutcomeResult, PersonReview, Review, ReviewDecision, ReviewStatus } from './repo.js';
import { budgetVariances, outcomeFieldName, outcomeResults, reviewDecisions } from './schemas.js';
import {
  MONTHS_TO_NEXT_REVIEW,
  type PersonReviews,
  type ReassignPage,
  type ReviewOutcome,
  type ReviewPage,
  type UnplannedReviewPage,
} from './service.js';

/** The words for each kind of review, on every page that names one (home pages and the budget section too). */
export const reviewKindLabels: Record<ReviewKind, string> = {
  first: 'First review',
  annual: 'Annual review',
  direct_payment: 'Direct payment review',
  unplanned: 'Unplanned review',
};

export const outcomeResultLabels: Record<OutcomeResult, string> = {
  met: 'Met',
  partly_met: 'Partly met',
  not_met: 'Not met',
};

export const budgetVarianceLabels: Record<BudgetVariance, string> = {
  as_planned: 'As planned',
  underspend: 'Underspent',
  overspend: 'Overspent',
};

/** What a review decided, in the words of the form's choices wherever the decision is shown. */
export const reviewDecisionLabels: Record<ReviewDecision, string> = {
  continue: 'Carry on with the current plan',
  change_plan: 'Change the support plan',
  reassess: 'Reassess their needs',
  end_budget: 'End the personal budget',
};

const untilNextReview = `${MONTHS_TO_NEXT_REVIEW} months`;

const reviewDecisionHints: Record<ReviewDecision, string> = {
  continue: `The next review is scheduled for ${untilNextReview} after this one.`,
  change_plan: 'A new draft plan starts as a copy of the current one. The budget stays as it is until the new plan is signed off.',
  reassess: 'A new assessment starts. The budget stays as it is until a plan from the new assessment is signed off.',
  end_budget: 'The personal budget ends and no more reviews are scheduled for it.',
};

const reviewStatusTags: Record<ReviewStatus | 'overdue', Tag> = {
  scheduled: { text: 'Scheduled', colour: 'blue' },
  overdue: { text: 'Overdue', colour: 'red' },
  completed: { text: 'Completed', colour: 'green' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
};

const choicesOf = <K extends string>(values: readonly K[], labels: Record<K, string>) =>
  values.map((value) => ({ value, text: labels[value] }));

const reviewHref = (review: Pick<Review, 'id'>) => `/reviews/${review.id}`;

/** A review as a link that says which one it is: "First review", and to a screen reader "due 27 May 2026". */
const reviewLink = (review: Pick<Review, 'id' | 'kind' | 'dueDate'>): Link => ({
  href: reviewHref(review),
  text: reviewKindLabels[review.kind],
  hiddenText: `due ${formatDate(review.dueDate)}`,
});

/** Where the worker goes once a review is saved: to what it opened, else back to the review. */
export function pathAfterReview(outcome: ReviewOutcome): string {
  if (outcome.planId !== null) return `/plans/${outcome.planId}`;
  if (outcome.assessmentId !== null) return `/assessments/${outcome.assessmentId}`;
  return `${reviewHref({ id: outcome.reviewId })}?completed=yes`;
}

type ReviewFormContext = Pick<ReviewPage, 'plan' | 'budget' | 'hasDirectPayment'> & { person: { givenName: string } };

/** The review form's fields by the labels it shows: the form and the page that keeps what was typed both read them. */
function reviewFieldLabels(context: ReviewFormContext): FieldLabels {
  const { givenName } = context.person;
  const labels: FieldLabels = {};
  (context.plan?.outcomes ?? []).forEach((outcome, index) => {
    labels[outcomeFieldName(outcome.id, 'result')] = {
      label: `Outcome ${index + 1}: ${outcome.description}`,
      choices: outcomeResultLabels,
    };
    labels[outcomeFieldName(outcome.id, 'comment')] = { label: `Comment on outcome ${index + 1}` };
  });
  labels.budgetUse = { label: 'How has the personal budget been used?' };
  if (context.hasDirectPayment && context.budget) {
    labels.budgetVariance = {
      label: `Was the direct payment of ${formatPence(context.budget.directPaymentWeeklyPence)} a week used as planned?`,
      choices: budgetVarianceLabels,
    };
  }
  labels.personView = { label: `What does ${givenName} think about their support?` };
  labels.reviewDate = { label: 'When did the review take place?' };
  labels.decision = { label: 'What happens next?', choices: reviewDecisionLabels };
  labels.endDate = endBudgetFieldLabels.endDate;
  labels.endReason = endBudgetFieldLabels.endReason;
  labels.endNote = endBudgetFieldLabels.endNote;
  return labels;
}

/** A recorded review as the boxes of the review form would hold it. */
function reviewFormValues(review: Review): Record<string, unknown> {
  return {
    ...Object.fromEntries(
      review.outcomeFindings.flatMap((finding) => [
        [outcomeFieldName(finding.outcomeId, 'result'), finding.result],
        [outcomeFieldName(finding.outcomeId, 'comment'), finding.comment],
      ]),
    ),
    budgetUse: review.budgetUse,
    budgetVariance: review.budgetVariance ?? undefined,
    personView: review.personView,
    reviewDate: dateParts(review.reviewDate),
    decision: review.decision ?? undefined,
    endDate: review.decisionEndDate ? dateParts(review.decisionEndDate) : undefined,
    endReason: review.decisionEndReason || undefined,
    endNote: review.decisionEndNote || undefined,
  };
}

/** Someone else recorded (or changed) the review first: what they recorded, where there is a record, beside what this user typed. */
export function reviewConflictView(page: ReviewFormContext, typed: Record<string, unknown>, current: Review): ConflictView {
  return conflictView({
    recordName: 'this review',
    fields: reviewFieldLabels(page),
    typed,
    savedNow: current.status === 'completed' ? reviewFormValues(current) : undefined,
    latest: { href: reviewHref(current), text: 'See the review as it is now' },
  });
}

function planRows(page: ReviewPage): SummaryRow[] {
  const { plan, budget } = page;
  if (!plan) return [];
  const rows: SummaryRow[] = [{ key: 'Support plan', link: { href: `/plans/${plan.id}`, text: `Support plan ${plan.id}` } }];
  if (!budget) return rows;
  return [
    ...rows,
    { key: 'Personal budget', value: `${formatPence(budget.weeklyPence)} a week (${formatPence(budget.annualPence)} a year)` },
    { key: 'Started', value: formatDate(budget.startDate) + (budget.endDate ? `, ends ${formatDate(budget.endDate)}` : '') },
    {
      key: 'How it is managed',
      lines: budget.managedAs.map((share) => `${managementOptionLabels[share.option]}: ${formatPence(share.weeklyPence)} a week`),
    },
  ];
}

function findingRows(page: ReviewPage): SummaryRow[] {
  const { review, person } = page;
  const rows: SummaryRow[] = [
    { key: 'Review date', value: formatDate(review.reviewDate) },
    { key: 'Recorded by', value: `${page.completedByName ?? 'Unknown'}, ${formatDateTime(review.completedAt)}` },
    ...review.outcomeFindings.map((finding, index) => ({
      key: `Outcome ${index + 1}: ${finding.description}`,
      lines: [outcomeResultLabels[finding.result], ...(finding.comment ? [finding.comment] : [])],
    })),
    { key: 'How the budget has been used', value: review.budgetUse },
  ];
  if (review.budgetVariance) rows.push({ key: 'Direct payment', value: budgetVarianceLabels[review.budgetVariance] });
  rows.push({ key: `${person.givenName}’s view`, value: review.personView });
  if (review.decision) rows.push({ key: 'Decision', value: reviewDecisionLabels[review.decision] });
  if (review.decision === 'end_budget') {
    rows.push(
      { key: 'Budget ends', value: formatDate(review.decisionEndDate) },
      { key: 'Why it ends', value: review.decisionEndReason ? budgetEndReasonLabels[review.decisionEndReason] : review.decisionEndNote },
    );
    if (review.decisionEndReason && review.decisionEndNote) rows.push({ key: 'Note', value: review.decisionEndNote });
  }
  return rows;
}

function completedBanner(review: Review) {
  return {
    heading: 'Review completed',
    body:
      review.decision === 'end_budget'
        ? `The personal budget ends on ${formatDate(review.decisionEndDate)}. No more reviews are scheduled for it.`
        : `The next review is due ${untilNextReview} after this one.`,
  };
}

function reviewForm(page: ReviewPage, values: Record<string, unknown>, errors: FormErrors) {
  const labels = reviewFieldLabels(page);
  const field = (name: string) => ({ name, label: labels[name]?.label ?? name, value: values[name], error: errors.fields[name] });
  return {
    action: `${reviewHref(page.review)}/complete`,
    version: values.version,
    outcomesHeading: `Outcomes, in ${page.person.givenName}’s own words`,
    outcomes: (page.plan?.outcomes ?? []).map((outcome) => ({
      result: { ...field(outcomeFieldName(outcome.id, 'result')), items: choicesOf(outcomeResults, outcomeResultLabels) },
      comment: field(outcomeFieldName(outcome.id, 'comment')),
    })),
    budgetUse: field('budgetUse'),
    budgetVariance: labels.budgetVariance ? { ...field('budgetVariance'), items: choicesOf(budgetVariances, budgetVarianceLabels) } : null,
    personViewHeading: `${page.person.givenName}’s view`,
    personView: field('personView'),
    reviewDate: field('reviewDate'),
    decision: {
      ...field('decision'),
      items: reviewDecisions.map((value) => ({ value, text: reviewDecisionLabels[value], hint: reviewDecisionHints[value] })),
    },
    endBudgetChoice: reviewDecisionLabels.end_budget,
    endDate: field('endDate'),
    endReason: { ...field('endReason'), items: endReasonItems },
    endNote: field('endNote'),
  };
}

/** The review page: what is due, the plan under review, then what was found or the form to record it. */
export function reviewPageView(
  page: ReviewPage,
  options: { values?: Record<string, unknown>; errors: FormErrors; justCompleted: boolean },
) {
  const { review, person } = page;
  const heading = personHeading(person);
  const kind = reviewKindLabels[review.kind];
  const status = review.status === 'scheduled' && page.overdue ? 'overdue' : review.status;
  const details: SummaryRow[] = [
    { key: 'Status', tag: reviewStatusTags[status] },
    {
      key: 'Due',
      value: formatDate(review.dueDate) + (review.status === 'scheduled' ? ` (${dueWording(review.dueDate, page.today)})` : ''),
    },
    {
      key: 'Assigned to',
      value: page.assignedToName ?? 'Not assigned',
      actions: page.canReassign ? [{ href: `${reviewHref(review)}/reassign`, text: 'Reassign', hiddenText: 'this review' }] : [],
    },
  ];
  if (review.kind === 'unplanned') details.push({ key: 'Why it is needed', value: review.reason });
  if (review.kind === 'direct_payment') {
    details.push({
      key: 'Direct payments',
      link: { href: personDirectPaymentsPath(person.id), text: 'Payment schedule, payments made and bank details' },
    });
  }
  if (review.status === 'cancelled') details.push({ key: 'Why it was cancelled', value: review.reason });
  const recording = review.status === 'scheduled' && page.canComplete;
  return {
    title: `${kind} for ${heading.name}`,
    person: heading,
    breadcrumbs: [
      { href: '/people', text: 'People' },
      { href: heading.href, text: heading.name },
    ],
    heading: kind,
    errors: options.errors,
    banner: options.justCompleted && review.status === 'completed' ? completedBanner(review) : null,
    details,
    detailsHaveActions: page.canReassign,
    planRows: page.plan ? planRows(page) : null,
    // Shown as it stands today, for the worker to weigh while recording the review; finance records returns on the direct payments page.
    monitoring: page.directPaymentMonitoring && directPaymentMonitoringView(page.directPaymentMonitoring, person.id, false),
    findingRows: review.status === 'completed' ? findingRows(page) : null,
    form: recording ? reviewForm(page, options.values ?? { version: String(review.version) }, options.errors) : null,
    recordedByOthers: review.status === 'scheduled' && !recording,
  };
}

/** The unplanned review form's fields by the labels it shows. */
const unplannedReviewFieldLabels = {
  reason: { label: 'Why is the review needed?' },
  dueDate: { label: 'When is it due?' },
} satisfies FieldLabels;

export function unplannedReviewView(page: UnplannedReviewPage, values: Record<string, unknown>, errors: FormErrors) {
  const person = personHeading(page.person);
  return {
    title: `Add an unplanned review for ${person.name}`,
    person,
    backLink: `${person.href}#reviews`,
    hasBudget: page.hasBudget,
    action: `${person.href}/reviews`,
    reasonLabel: unplannedReviewFieldLabels.reason.label,
    dueDateLegend: unplannedReviewFieldLabels.dueDate.label,
    values,
    errors,
  };
}

/** Nothing about an unplanned review can be saved over, so this shows only what was typed. */
export function unplannedReviewConflictView(page: UnplannedReviewPage, typed: Record<string, unknown>): ConflictView {
  return conflictView({
    recordName: `${personName(page.person)}’s reviews`,
    fields: unplannedReviewFieldLabels,
    typed,
    latest: { href: `/people/${page.person.id}#reviews`, text: 'See their reviews' },
  });
}

const whoWillReview = 'Who will do the review?';

export function reassignView(page: ReassignPage, values: Record<string, unknown>, errors: FormErrors) {
  const { review } = page;
  const person = personHeading(page.person);
  return {
    title: `Reassign the review for ${person.name}`,
    caption: `${person.name}, ${reviewKindLabels[review.kind]} due ${formatDate(review.dueDate)}`,
    backLink: reviewHref(review),
    action: `${reviewHref(review)}/reassign`,
    legend: whoWillReview,
    hint: `Assigned now to ${page.assignedToName ?? 'nobody'}`,
    workerChoices: page.workers.map((worker) => ({ value: String(worker.id), text: worker.displayName })),
    values: {
      version: String(review.version),
      assignedTo: review.assignedTo === null ? '' : String(review.assignedTo),
      ...values,
    },
    errors,
  };
}

/** Someone else reassigned, completed or cancelled the review first: who has it now beside who this user chose. */
export function reassignConflictView(now: ReassignPage, typed: Record<string, unknown>): ConflictView {
  const workerNames = Object.fromEntries(now.workers.map((worker) => [String(worker.id), worker.displayName]));
  return conflictView({
    recordName: 'this review',
    fields: { assignedTo: { label: whoWillReview, choices: workerNames } },
    typed,
    savedNow: { assignedTo: now.assignedToName ?? 'Nobody' },
    latest: { href: reviewHref(now.review), text: 'See the review as it is now' },
  });
}

function dueRow(review: PersonReview & { overdue: boolean }, today: string): TableCell[] {
  const when = dueWording(review.dueDate, today);
  return [
    { link: reviewLink(review), ...(review.reason ? { secondary: review.reason } : {}) },
    { text: formatDate(review.dueDate) },
    review.overdue ? { tag: { text: when, colour: 'red' } } : { text: when },
    { text: review.assignedToName ?? 'Not assigned' },
  ];
}

function pastRow(review: PersonReview): TableCell[] {
  const outcome =
    review.status === 'completed'
      ? `Reviewed ${formatDate(review.reviewDate)}${review.completedByName ? ` by ${review.completedByName}` : ''}`
      : `Cancelled${review.reason ? `: ${review.reason}` : ''}`;
  return [{ link: reviewLink(review) }, { text: outcome }, { text: review.decision ? reviewDecisionLabels[review.decision] : '' }];
}

function nextReviewLink(reviews: PersonReviews): Link | null {
  if (!reviews.canStart) return null;
  const next = reviews.due.reduce<PersonReviews['due'][number] | null>(
    (soonest, review) => (!soonest || review.dueDate < soonest.dueDate ? review : soonest),
    null,
  );
  return next && { href: `/reviews/${next.id}`, text: `Start the review due ${formatDate(next.dueDate)}` };
}

/** The person page's Reviews section, or nothing when the person has no reviews and no budget. */
export function personReviewsSection(reviews: PersonReviews | null): PersonPageSection | null {
  if (!reviews) return null;
  return {
    partial: 'reviews/_person-reviews',
    model: {
      // Everything sits under one name, so the section never shadows the person page's own values.
      reviewsSection: {
        dueRows: reviews.due.map((review) => dueRow(review, reviews.today)),
        // The next step on the person's case: the review due soonest, opened where it is recorded.
        startLink: nextReviewLink(reviews),
        addLink: reviews.canAdd ? { href: `/people/${reviews.personId}/reviews/new`, text: 'Add an unplanned review' } : null,
        pastRows: reviews.done.map(pastRow),
      },
    },
  };
}
