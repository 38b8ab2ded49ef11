import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { writtenCalendarDate } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { addMonths } from '../finance/budget.js';
import {
  budgetRecord,
  cancelScheduledReviews,
  displayNames,
  endBudget,
  insertReview,
  openBudgetOfPerson,
  type PersonalBudgetRow,
} from '../finance/repo.js';
import { findPerson, findPersonForUpdate, teamWorkers, type Person, type Worker } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import type { ManagementOption } from '../plans/options.js';
import { copyPlanParts, findOpenPlanForPerson, findPlanWithParts, insertPlan, type PlanWithParts } from '../plans/repo.js';
import {
  budgetOfReview,
  cancelScheduledReviewsOfKinds,
  findMatchingUnplannedReview,
  findReview,
  openedFromReview,
  reviewRecord,
  reviewsOfPerson,
  updateReview,
  type OutcomeFinding,
  type PersonReview,
  type Review,
} from './repo.js';
import type { CompleteReviewInput, ReassignInput, UnplannedReviewInput } from './schemas.js';

/** Statutory guidance ch. 13: reviewed at least every 12 months after the last review. */
export const MONTHS_TO_NEXT_REVIEW = 12;

/**
 * Opens the person's assessment draft inside the review's transaction. The assessments service is
 * built on the transaction, so the review, the draft and their audit events commit or fail together.
 */
export type StartAssessmentDraft = (trx: Knex.Transaction, actor: Actor, personId: number) => Promise<{ assessment: { id: number } }>;

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

/** The plan columns a changed plan starts from: everything the current plan records, as a draft from this review. */
function copyOfPlan(plan: PlanWithParts, reviewId: number, actorId: number) {
  return {
    personId: plan.personId,
    assessmentId: plan.assessmentId,
    indicativeAnnualPence: plan.indicativeAnnualPence,
    indicativeWeeklyPence: plan.indicativeWeeklyPence,
    ceilingPence: plan.ceilingPence,
    peopleInvolved: plan.peopleInvolved,
    contactArrangements: plan.contactArrangements,
    eligibleNeeds: plan.eligibleNeeds,
    needsCouncilWillMeet: plan.needsCouncilWillMeet,
    wellbeing: plan.wellbeing,
    preventionAdvice: plan.preventionAdvice,
    directPaymentNeeds: plan.directPaymentNeeds,
    directPaymentFrequency: plan.directPaymentFrequency,
    directPaymentBasis: plan.directPaymentBasis,
    overIndicativeReason: plan.overIndicativeReason,
    fromReviewId: reviewId,
    createdBy: actorId,
  };
}

/** A person's reviews split as their page shows them; `overdue` is decided here, once. */
export type PersonReviews = {
  personId: number;
  canAdd: boolean;
  today: string;
  due: (PersonReview & { overdue: boolean })[];
  done: PersonReview[];
};

export type ReviewPage = Awaited<ReturnType<ReviewsService['reviewPage']>>;
export type UnplannedReviewPage = Awaited<ReturnType<ReviewsService['unplannedReviewPage']>>;
export type ReassignPage = { review: Review; person: Person; workers: Worker[]; assignedToName: string | null };

export function reviewsService(db: Knex, clock: Clock, startAssessmentDraft: StartAssessmentDraft) {
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

  /** One audit event for each review cancelled, with the review as it now stands. */
  async function recordCancelled(trx: Knex.Transaction, actor: Actor, personId: number, cancelled: { id: number }[]) {
    for (const review of cancelled) {
      await recordEvent(trx, actor, { action: 'review_cancelled', entityType: 'review', entityId: review.id, personId, after: review });
    }
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
        if (input.decision === 'end_budget') {
          if (!budgetRow || !budget || budget.endDate !== null) throw new RuleError('There is no open personal budget to end', 'decision');
          if (input.endDate !== null && input.endDate < budget.startDate) {
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
          decisionEndDate: input.endDate,
          decisionEndReason: input.endReason,
        });
        if (!completed) throw new StaleVersionError('review', review);

        const opened: Pick<ReviewOutcome, 'planId' | 'assessmentId'> = { planId: null, assessmentId: null };
        const decisionDetail: Record<string, unknown> = {};
        if (input.decision === 'change_plan') {
          const draft = await insertPlan(trx, copyOfPlan(planRecord, id, actor.id));
          await copyPlanParts(trx, plan.id, draft.id);
          // 'plan_started' also makes the worker an author, so they cannot sign off the new budget themselves.
          await recordEvent(trx, actor, {
            action: 'plan_started',
            entityType: 'support_plan',
            entityId: draft.id,
            personId: person.id,
            after: { from_review_id: id, copied_from_plan_id: plan.id },
          });
          decisionDetail.plan_id = draft.id;
          opened.planId = draft.id;
        }
        if (input.decision === 'reassess') {
          const { assessment } = await startAssessmentDraft(trx, actor, person.id);
          // A draft already under way becomes the reassessment, unless an earlier review already asked for it.
          await trx('assessments').where({ id: assessment.id, status: 'draft' }).whereNull('from_review_id').update({ from_review_id: id });
          decisionDetail.assessment_id = assessment.id;
          opened.assessmentId = assessment.id;
        }
        if (input.decision === 'end_budget' && budgetRow) {
          const ended = await endBudget(trx, budgetRow.id, { endDate: input.endDate, endReason: input.endReason });
          await recordEvent(trx, actor, {
            action: 'budget_ended',
            entityType: 'personal_budget',
            entityId: budgetRow.id,
            personId: person.id,
            before: budgetRow,
            after: budgetRecord(ended),
          });
          await recordCancelled(
            trx,
            actor,
            person.id,
            await cancelScheduledReviews(trx, budgetRow.id, 'The personal budget ended after a review'),
          );
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
          const next = await insertReview(trx, {
            personId: person.id,
            budgetId: review.budgetId,
            planId: plan.id,
            kind: 'annual',
            dueDate,
            assignedTo: person.allocatedWorkerId ?? review.assignedTo,
            reason: '',
            createdBy: actor.id,
          });
          await recordEvent(trx, actor, {
            action: 'review_scheduled',
            entityType: 'review',
            entityId: next.id,
            personId: person.id,
            after: next,
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
        const review = await insertReview(trx, {
          personId,
          budgetId: budget.id,
          planId: budget.planId,
          kind: 'unplanned',
          dueDate: input.dueDate,
          assignedTo: person.allocatedWorkerId ?? actor.id,
          reason: input.reason,
          createdBy: actor.id,
        });
        await recordEvent(trx, actor, { action: 'review_scheduled', entityType: 'review', entityId: review.id, personId, after: review });
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
    async personSection(user: SignedInUser, person: Person): Promise<PersonReviews | null> {
      const [reviews, budget] = await Promise.all([reviewsOfPerson(db, person.id), openBudgetOfPerson(db, person.id)]);
      if (reviews.length === 0 && !budget) return null;
      const today = londonToday(clock);
      return {
        personId: person.id,
        canAdd: canEditPerson(user, person) && budget !== undefined,
        today,
        due: reviews.filter((review) => review.status === 'scheduled').map((review) => ({ ...review, overdue: review.dueDate < today })),
        done: reviews.filter((review) => review.status !== 'scheduled'),
      };
    },
  };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
