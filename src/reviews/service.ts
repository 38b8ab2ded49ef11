import type { Knex } from 'knex';
import type { DirectPaymentMonitoring } from '../direct-payments/service.js';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { writtenCalendarDate } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { addMonths } from '../finance/budget.js';
import type { BudgetEnd } from '../finance/ending-reasons.js';
import { displayNames, openBudgetOfPerson, toPersonalBudget, type PersonalBudget, type PersonalBudgetRow } from '../finance/repo.js';
import { findPerson, findPersonForUpdate, teamWorkers, type Person, type Worker } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import type { ManagementOption } from '../plans/options.js';
import { findOpenPlanForPerson, findPlanWithParts, type PlanWithParts } from '../plans/repo.js';
import { startPlanFromReview } from '../plans/service.js';
import {
  budgetOfReview,
  cancelScheduledReviews,
  cancelScheduledReviewsOfKinds,
  findMatchingUnplannedReview,
  findReview,
  insertReview,
  openedFromReview,
  reviewRecord,
  updateReview,
  type NewReview,
  type OutcomeFinding,
  type PersonReview,
  type Review,
} from './repo.js';
import type { CompleteReviewInput, ReassignInput, UnplannedReviewInput } from './schemas.js';

/** Statutory guidance ch. 13: reviewed at least every 12 months after the last review. */
export const MONTHS_TO_NEXT_REVIEW = 12;

/**
 * What a review's decision does in other areas, inside the review's own transaction, so the review,
 * what it opened or ended, and their audit events commit or fail together. Each area writes its own
 * tables: the assessments area opens the reassessment, the finance area ends the budget.
 */
export type ReviewSteps = {
  startReassessment: (trx: Knex.Transaction, actor: Actor, personId: number, reviewId: number) => Promise<{ assessmentId: number }>;
  endBudget: (trx: Knex.Transaction, actor: Actor, budget: PersonalBudget, end: BudgetEnd) => Promise<void>;
  /** What a direct payment review looks at, read by the area that keeps the account returns. */
  directPaymentMonitoring: (person: Person) => Promise<DirectPaymentMonitoring>;
};

/** Schedules a review, with its audit event, in the transaction of the step that makes it due. */
export async function scheduleReview(trx: Knex.Transaction, actor: Actor, review: NewReview): Promise<{ id: number }> {
  const scheduled = await insertReview(trx, review);
  await recordEvent(trx, actor, {
    action: 'review_scheduled',
    entityType: 'review',
    entityId: scheduled.id,
    personId: review.personId,
    after: scheduled,
  });
  return { id: scheduled.id };
}

/** Cancels what is still scheduled for a budget that has ended or been replaced, one audit event each. */
export async function cancelReviewsOfBudget(
  trx: Knex.Transaction,
  actor: Actor,
  budget: Pick<PersonalBudget, 'id' | 'personId'>,
  reason: string,
): Promise<void> {
  await recordCancelled(trx, actor, budget.personId, await cancelScheduledReviews(trx, budget.id, reason));
}

/** One audit event for each review cancelled, with the review as it now stands; only a scheduled review is cancelled. */
async function recordCancelled(trx: Knex.Transaction, actor: Actor, personId: number, cancelled: { id: number }[]) {
  for (const review of cancelled) {
    await recordEvent(trx, actor, {
      action: 'review_cancelled',
      entityType: 'review',
      entityId: review.id,
      personId,
      before: { status: 'scheduled' },
      after: review,
    });
  }
}

/**
 * What saving a review opened (a new draft plan or a new assessment, or neither), and whether the
 * save repeated the worker's own (a double-click), so both clicks land in the same place.
 */
export type ReviewOutcome = {
  reviewId: number;
  personId: number;
  planId: number | null;
  assessmentId: number | null;
  alreadyDone: boolean;
};

/** The plan a review looks at, in the words a review uses. */
export type PlanUnderReview = { id: number; outcomes: { id: number; description: string }[] };

/** The personal budget a review looks at: what it pays, from when, and how it is managed. */
export type BudgetUnderReview = {
  startDate: string;
  endDate: string | null;
  weeklyPence: number;
  annualPence: number;
  /** Each way of managing the budget with its weekly share, only those with a share, in the plans area's order. */
  managedAs: { option: ManagementOption; weeklyPence: number }[];
  /** A direct payment's use is asked about at every review (Care Act guidance ch. 12). */
  directPaymentWeeklyPence: number;
};

/*
 * The two adapters from the plans and finance areas' records: their column names are read here
 * and nowhere else in the reviews area.
 */
function planUnderReview(plan: PlanWithParts): PlanUnderReview {
  return { id: plan.id, outcomes: plan.outcomes.map((outcome) => ({ id: outcome.id, description: outcome.description })) };
}

function budgetUnderReview(budget: PersonalBudgetRow): BudgetUnderReview {
  const shares: [ManagementOption, number][] = [
    ['direct_payment', budget.direct_payment_weekly_pence],
    ['council_managed', budget.council_managed_weekly_pence],
    ['individual_service_fund', budget.individual_service_fund_weekly_pence],
    ['prepaid_card', budget.prepaid_card_weekly_pence],
  ];
  return {
    startDate: budget.start_date,
    endDate: budget.end_date,
    weeklyPence: budget.weekly_pence,
    annualPence: budget.annual_pence,
    managedAs: shares.filter(([, pence]) => pence > 0).map(([option, weeklyPence]) => ({ option, weeklyPence })),
    directPaymentWeeklyPence: budget.direct_payment_weekly_pence,
  };
}

const hasDirectPayment = (budget: BudgetUnderReview | undefined) => (budget?.directPaymentWeeklyPence ?? 0) > 0;

/** A team manager reassigns any review in their team; a care manager hands on only a review assigned to them. */
export function canReassign(user: SignedInUser, person: Pick<Person, 'teamId'>, review: Pick<Review, 'assignedTo' | 'status'>): boolean {
  if (review.status !== 'scheduled' || !canEditPerson(user, person)) return false;
  return user.role === 'team_manager' || review.assignedTo === user.id;
}

/** A person's reviews split as their page shows them; `overdue` is decided here, once. */
export type PersonReviews = {
  personId: number;
  canAdd: boolean;
  canStart: boolean;
  today: string;
  due: (PersonReview & { overdue: boolean })[];
  done: PersonReview[];
};

export type ReviewPage = Awaited<ReturnType<ReviewsService['reviewPage']>>;
export type UnplannedReviewPage = Awaited<ReturnType<ReviewsService['unplannedReviewPage']>>;
export type ReassignPage = { review: Review; person: Person; workers: Worker[]; assignedToName: string | null };

export function reviewsService(db: Knex, clock: Clock, steps: ReviewSteps) {
  /** Another team's review is "not found", like their people: the URL must not confirm it exists. */
  async function visibleReview(user: SignedInUser, id: number) {
    const review = await findReview(db, id);
    const person = review ? await findPerson(db, review.personId) : undefined;
    if (!review || !person || !canSeePerson(user, person)) throw new NotFoundError('Review');
    return { review, person };
  }

  /**
   * The person is locked before the review, the order finance's approval locks them in, so a
   * review saved while a new budget is approved waits rather than deadlocks.
   */
  async function lockReview(trx: Knex.Transaction, actor: Actor, id: number) {
    const unlocked = await findReview(trx, id);
    const person = unlocked ? await findPersonForUpdate(trx, unlocked.personId) : undefined;
    if (!unlocked || !person || !canSeePerson(actor, person)) throw new NotFoundError('Review');
    const review = (await findReview(trx, id, true)) as Review;
    return { review, person };
  }

  async function assignment(user: SignedInUser, id: number): Promise<ReassignPage> {
    const { review, person } = await visibleReview(user, id);
    const [workers, names] = await Promise.all([teamWorkers(db, person.teamId), displayNames(db, [review.assignedTo])]);
    return { review, person, workers, assignedToName: review.assignedTo === null ? null : (names.get(review.assignedTo) ?? null) };
  }

  /** The plan the review looks at: the one it was scheduled for, else the plan of its budget. */
  async function planOf(
    trx: Knex | Knex.Transaction,
    review: Review,
    budget: PersonalBudgetRow | undefined,
  ): Promise<PlanWithParts | undefined> {
    const planId = review.planId ?? budget?.plan_id;
    return planId ? findPlanWithParts(trx, planId) : undefined;
  }

  return {
    /** Everything the review page shows: the person, the plan's outcomes and budget, and what this user may do. */
    async reviewPage(user: SignedInUser, id: number) {
      const { review, person } = await visibleReview(user, id);
      const budgetRow = await budgetOfReview(db, review.budgetId);
      const plan = await planOf(db, review, budgetRow);
      const budget = budgetRow && budgetUnderReview(budgetRow);
      const names = await displayNames(db, [review.assignedTo, review.completedBy, person.allocatedWorkerId]);
      const name = (userId: number | null) => (userId === null ? null : (names.get(userId) ?? null));
      const today = londonToday(clock);
      return {
        review,
        person,
        directPaymentMonitoring: review.kind === 'direct_payment' ? await steps.directPaymentMonitoring(person) : null,
        plan: plan ? planUnderReview(plan) : null,
        budget: budget ?? null,
        hasDirectPayment: hasDirectPayment(budget),
        today,
        overdue: review.status === 'scheduled' && review.dueDate < today,
        assignedToName: name(review.assignedTo),
        completedByName: name(review.completedBy),
        canComplete: review.status === 'scheduled' && canEditPerson(user, person) && plan !== undefined,
        canReassign: canReassign(user, person, review),
      };
    },

    /**
     * Records a review and does what it decided, in one transaction: the record, the decision
     * (a new draft plan, a new assessment draft, or the budget ended and its reviews cancelled),
     * the next review MONTHS_TO_NEXT_REVIEW on unless the budget ends, and an audit event for each change.
     */
    async complete(actor: Actor, id: number, input: CompleteReviewInput): Promise<ReviewOutcome> {
      return db.transaction(async (trx) => {
        const { review, person } = await lockReview(trx, actor, id);
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only a care manager or team manager in the person’s team can record a review. Nothing was changed.');
        if (review.status === 'completed' && review.completedBy === actor.id && review.version === input.version + 1) {
          const opened = await openedFromReview(trx, id);
          return { reviewId: id, personId: person.id, ...opened, alreadyDone: true };
        }
        if (review.status !== 'scheduled' || review.version !== input.version) throw new StaleVersionError('review', review);

        const budgetRow = await budgetOfReview(trx, review.budgetId, true);
        const budget = budgetRow && budgetUnderReview(budgetRow);
        // An approved plan never changes, so it is read outside the transaction: findPlanWithParts runs its
        // three queries at once, which a transaction's single connection would have to queue.
        const planRecord = await planOf(db, review, budgetRow);
        if (!planRecord) throw new RuleError('There is no support plan to review', 'form');
        const plan = planUnderReview(planRecord);
        const outcomeIds = plan.outcomes.map((outcome) => outcome.id);
        if (input.findings.length !== outcomeIds.length || input.findings.some((finding) => !outcomeIds.includes(finding.outcomeId))) {
          throw new RuleError('The plan’s outcomes are not the ones on this form: open the review again', 'form');
        }
        if (hasDirectPayment(budget) && input.budgetVariance === null) {
          throw new RuleError('Select whether the direct payment was underspent, overspent or used as planned', 'budgetVariance');
        }
        if (budget && input.reviewDate < budget.startDate) {
          throw new RuleError(
            `The review date must be on or after ${writtenCalendarDate(budget.startDate)}, when the personal budget started`,
            'reviewDate',
          );
        }
        // The decision's own rules are checked before anything is written.
        if (input.decision === 'change_plan' && (await findOpenPlanForPerson(trx, person.id))) {
          throw new RuleError(
            `${person.givenName} ${person.familyName} already has a support plan in progress. Finish that plan, or choose another decision.`,
            'decision',
          );
        }
        if (input.ending) {
          if (!budgetRow || !budget || budget.endDate !== null) throw new RuleError('There is no open personal budget to end', 'decision');
          if (input.ending.endDate < budget.startDate) {
            throw new RuleError(`The budget cannot end before it started on ${writtenCalendarDate(budget.startDate)}`, 'endDate');
          }
        }
        const findings: OutcomeFinding[] = input.findings.map((finding) => ({
          ...finding,
          description: plan.outcomes.find((outcome) => outcome.id === finding.outcomeId)?.description ?? '',
        }));

        const completed = await updateReview(trx, id, input.version, {
          status: 'completed',
          completedAt: clock.now(),
          completedBy: actor.id,
          reviewDate: input.reviewDate,
          outcomeFindings: findings,
          budgetUse: input.budgetUse,
          budgetVariance: input.budgetVariance,
          personView: input.personView,
          decision: input.decision,
          decisionEndDate: input.ending?.endDate ?? null,
          decisionEndReason: input.ending?.endReason ?? '',
          decisionEndNote: input.ending?.endNote ?? '',
        });
        if (!completed) throw new StaleVersionError('review', review);

        const opened: Pick<ReviewOutcome, 'planId' | 'assessmentId'> = { planId: null, assessmentId: null };
        const decisionDetail: Record<string, unknown> = {};
        if (input.decision === 'change_plan') {
          const draftId = await startPlanFromReview(trx, actor, planRecord, id);
          decisionDetail.plan_id = draftId;
          opened.planId = draftId;
        }
        if (input.decision === 'reassess') {
          const { assessmentId } = await steps.startReassessment(trx, actor, person.id, id);
          decisionDetail.assessment_id = assessmentId;
          opened.assessmentId = assessmentId;
        }
        if (input.ending && budgetRow) {
          const ending = toPersonalBudget(budgetRow);
          await steps.endBudget(trx, actor, ending, input.ending);
          await cancelReviewsOfBudget(trx, actor, ending, 'The personal budget ended after a review');
        }
        await recordEvent(trx, actor, {
          action: 'review_completed',
          entityType: 'review',
          entityId: id,
          personId: person.id,
          before: { status: review.status, version: review.version },
          after: { ...reviewRecord(completed), ...decisionDetail },
        });

        if (input.decision !== 'end_budget') {
          const dueDate = addMonths(input.reviewDate, MONTHS_TO_NEXT_REVIEW);
          // The new annual review replaces any still scheduled: one review a year, counted from the latest.
          if (budgetRow) {
            const replaced = await cancelScheduledReviewsOfKinds(
              trx,
              budgetRow.id,
              ['annual'],
              `Replaced by the review due ${writtenCalendarDate(dueDate)}`,
            );
            await recordCancelled(trx, actor, person.id, replaced.map(reviewRecord));
          }
          await scheduleReview(trx, actor, {
            personId: person.id,
            budgetId: review.budgetId,
            planId: plan.id,
            kind: 'annual',
            dueDate,
            assignedTo: person.allocatedWorkerId ?? review.assignedTo,
            reason: '',
            createdBy: actor.id,
          });
        }
        return { reviewId: id, personId: person.id, ...opened, alreadyDone: false };
      });
    },

    /** The "Add an unplanned review" page: whether the person has a budget whose plan can be reviewed. */
    async unplannedReviewPage(user: SignedInUser, personId: number) {
      const person = await findPerson(db, personId);
      if (!person || !canSeePerson(user, person)) throw new NotFoundError('Person');
      if (!canEditPerson(user, person))
        throw new ForbiddenError('Only a care manager or team manager in the person’s team can add a review.');
      const budget = await openBudgetOfPerson(db, personId);
      return { person, hasBudget: budget !== undefined };
    },

    /** An unplanned review (the person asked, or things changed), for whoever holds the case. */
    async addUnplanned(actor: Actor, personId: number, input: UnplannedReviewInput): Promise<{ reviewId: number; alreadyDone: boolean }> {
      return db.transaction(async (trx) => {
        // The person lock makes a double-clicked "Add" take turns, so the second finds the first's review.
        const person = await findPersonForUpdate(trx, personId);
        if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only a care manager or team manager in the person’s team can add a review.');
        const budget = await openBudgetOfPerson(trx, personId);
        if (!budget)
          throw new RuleError(`${person.givenName} ${person.familyName} has no personal budget, so there is no plan to review yet`, 'form');
        const existing = await findMatchingUnplannedReview(trx, personId, input.dueDate, input.reason);
        if (existing) return { reviewId: existing.id, alreadyDone: true };
        const review = await scheduleReview(trx, actor, {
          personId,
          budgetId: budget.id,
          planId: budget.planId,
          kind: 'unplanned',
          dueDate: input.dueDate,
          assignedTo: person.allocatedWorkerId ?? actor.id,
          reason: input.reason,
          createdBy: actor.id,
        });
        return { reviewId: review.id, alreadyDone: false };
      });
    },

    async reassignPage(user: SignedInUser, id: number): Promise<ReassignPage> {
      const page = await assignment(user, id);
      if (!canReassign(user, page.person, page.review)) {
        throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
      }
      return page;
    },

    /** Who has the review now and who in the team could, whoever may reassign it: for the page that keeps a refused reassignment. */
    currentAssignment: assignment,

    async reassign(actor: Actor, id: number, input: ReassignInput): Promise<{ personId: number }> {
      return db.transaction(async (trx) => {
        const { review, person } = await lockReview(trx, actor, id);
        if (review.status === 'scheduled' && review.assignedTo === input.assignedTo && review.version === input.version + 1)
          return { personId: person.id };
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
        if (review.status !== 'scheduled' || review.version !== input.version) throw new StaleVersionError('review', review);
        if (!canReassign(actor, person, review))
          throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
        const workers = await teamWorkers(trx, person.teamId);
        if (!workers.some((worker) => worker.id === input.assignedTo))
          throw new RuleError('Select a worker from the person’s team', 'assignedTo');
        const after = await updateReview(trx, id, input.version, { assignedTo: input.assignedTo });
        if (!after) throw new StaleVersionError('review', review);
        await recordEvent(trx, actor, {
          action: 'review_reassigned',
          entityType: 'review',
          entityId: id,
          personId: person.id,
          before: { assigned_to: review.assignedTo },
          after: { assigned_to: input.assignedTo },
        });
        return { personId: person.id };
      });
    },

    /** The person page's reviews: those due, then those done, and whether this user can add one; null when there are none to show. */
    /** The person page's section, from the person's reviews and the budget still open, if any. */
    personSection(user: SignedInUser, person: Person, reviews: PersonReview[], budget: PersonalBudget | undefined): PersonReviews | null {
      if (reviews.length === 0 && !budget) return null;
      const today = londonToday(clock);
      return {
        personId: person.id,
        canAdd: canEditPerson(user, person) && budget !== undefined,
        /** The person's team carries out their reviews. */
        canStart: canEditPerson(user, person),
        today,
        due: reviews
          .filter((review) => review.status === 'scheduled')
          .map((review) => Object.assign({}, review, { overdue: review.dueDate < today })),
        done: reviews.filter((review) => review.status !== 'scheduled'),
      };
    },
  };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
