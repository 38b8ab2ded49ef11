import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { addMonths } from '../finance/budget.js';
import {
  cancelScheduledReviews,
  displayNames,
  endBudget,
  insertReview,
  openBudgetOfPerson,
  type PersonalBudgetRow,
} from '../finance/repo.js';
import { findPerson, findPersonForUpdate, teamWorkers, type Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import { copyPlanParts, findOpenPlanForPerson, findPlanWithParts, insertPlan, type PlanWithParts } from '../plans/repo.js';
import { planTotals } from '../plans/totals.js';
import { formatDate } from '../web/format.js';
import { dueWording } from '../web/relative-dates.js';
import {
  cancelScheduledReviewsOfKinds,
  findMatchingUnplannedReview,
  findReview,
  openedFromReview,
  reviewsOfPerson,
  updateReview,
  type OutcomeFinding,
  type ReviewRecordRow,
} from './repo.js';
import type { CompleteReviewInput, ReassignInput, UnplannedReviewInput } from './schemas.js';

/** Statutory guidance ch. 13: reviewed at least every 12 months after the last review. */
export const MONTHS_TO_NEXT_REVIEW = 12;

/**
 * Opens the person's assessment draft inside the review's transaction. The assessments service is
 * built on the transaction, so the review, the draft and their audit events commit or fail together.
 */
export type StartAssessmentDraft = (trx: Knex.Transaction, actor: Actor, personId: number) => Promise<{ assessment: { id: number } }>;

/** Where the worker goes once a review is saved, and whether the save repeated their own (a double-click). */
export type ReviewOutcome = { personId: number; nextPath: string; alreadyDone: boolean };

/** A team manager reassigns any review in their team; a care manager hands on only a review assigned to them. */
export function canReassign(
  user: SignedInUser,
  person: Pick<Person, 'teamId'>,
  review: Pick<ReviewRecordRow, 'assigned_to' | 'status'>,
): boolean {
  if (review.status !== 'scheduled' || !canEditPerson(user, person)) return false;
  return user.role === 'team_manager' || review.assigned_to === user.id;
}

function planTotalsOf(plan: PlanWithParts) {
  return planTotals(
    plan.items.map((item) => ({
      fundingStream: item.funding_stream,
      managementOption: item.management_option,
      weeklyPence: item.weekly_pence,
    })),
  );
}

/** The plan columns a changed plan starts from: everything the current plan records, as a draft from this review. */
function copyOfPlan(plan: PlanWithParts, reviewId: number, actorId: number) {
  return {
    person_id: plan.person_id,
    assessment_id: plan.assessment_id,
    indicative_annual_pence: plan.indicative_annual_pence,
    indicative_weekly_pence: plan.indicative_weekly_pence,
    ceiling_pence: plan.ceiling_pence,
    people_involved: plan.people_involved,
    contact_arrangements: plan.contact_arrangements,
    eligible_needs: plan.eligible_needs,
    needs_council_will_meet: plan.needs_council_will_meet,
    wellbeing: plan.wellbeing,
    prevention_advice: plan.prevention_advice,
    direct_payment_needs: plan.direct_payment_needs,
    direct_payment_frequency: plan.direct_payment_frequency,
    direct_payment_basis: plan.direct_payment_basis,
    over_indicative_reason: plan.over_indicative_reason,
    from_review_id: reviewId,
    created_by: actorId,
  };
}

export function reviewsService(db: Knex, clock: Clock, startAssessmentDraft: StartAssessmentDraft) {
  /** Another team's review is "not found", like their people: the URL must not confirm it exists. */
  async function visibleReview(user: SignedInUser, id: number) {
    const review = await findReview(db, id);
    const person = review ? await findPerson(db, review.person_id) : undefined;
    if (!review || !person || !canSeePerson(user, person)) throw new NotFoundError('Review');
    return { review, person };
  }

  /**
   * The person is locked before the review, the order finance's approval locks them in, so a
   * review saved while a new budget is approved waits rather than deadlocks.
   */
  async function lockReview(trx: Knex.Transaction, actor: Actor, id: number) {
    const unlocked = await findReview(trx, id);
    const person = unlocked ? await findPersonForUpdate(trx, unlocked.person_id) : undefined;
    if (!unlocked || !person || !canSeePerson(actor, person)) throw new NotFoundError('Review');
    const review = (await findReview(trx, id, true)) as ReviewRecordRow;
    return { review, person };
  }

  async function budgetOf(trx: Knex | Knex.Transaction, review: ReviewRecordRow, lock = false): Promise<PersonalBudgetRow | undefined> {
    if (review.budget_id === null) return undefined;
    const query = trx<PersonalBudgetRow>('personal_budgets').where({ id: review.budget_id }).first();
    if (lock) query.forUpdate();
    return query;
  }

  /** The plan the review looks at: the one it was scheduled for, else the plan of its budget. */
  async function planOf(
    trx: Knex | Knex.Transaction,
    review: ReviewRecordRow,
    budget: PersonalBudgetRow | undefined,
  ): Promise<PlanWithParts | undefined> {
    const planId = review.plan_id ?? budget?.plan_id;
    return planId ? findPlanWithParts(trx, planId) : undefined;
  }

  return {
    /** Everything the review page shows: the person, the plan's outcomes and budget, and what this user may do. */
    async reviewPage(user: SignedInUser, id: number) {
      const { review, person } = await visibleReview(user, id);
      const budget = await budgetOf(db, review);
      const plan = await planOf(db, review, budget);
      const names = await displayNames(db, [review.assigned_to, review.completed_by, person.allocatedWorkerId]);
      const name = (userId: number | null) => (userId === null ? null : (names.get(userId) ?? null));
      const today = londonToday(clock);
      return {
        review,
        person,
        plan: plan ?? null,
        totals: plan ? planTotalsOf(plan) : null,
        budget: budget ?? null,
        hasDirectPayment: (budget?.direct_payment_weekly_pence ?? 0) > 0,
        today,
        dueText: review.status === 'scheduled' ? dueWording(review.due_date, today) : null,
        assignedToName: name(review.assigned_to),
        completedByName: name(review.completed_by),
        canComplete: review.status === 'scheduled' && canEditPerson(user, person) && plan !== undefined,
        canReassign: canReassign(user, person, review),
      };
    },

    /**
     * Records a review and does what it decided, in one transaction: the record, the decision
     * (a new draft plan, a new assessment draft, or the budget ended and its reviews cancelled),
     * the next review 12 months on unless the budget ends, and an audit event for each change.
     */
    async complete(actor: Actor, id: number, input: CompleteReviewInput): Promise<ReviewOutcome> {
      return db.transaction(async (trx) => {
        const { review, person } = await lockReview(trx, actor, id);
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only a care manager or team manager in the person’s team can record a review. Nothing was changed.');
        if (review.status === 'completed' && review.completed_by === actor.id && review.version === input.version + 1) {
          const opened = await openedFromReview(trx, id);
          const nextPath = opened.planId
            ? `/plans/${opened.planId}`
            : opened.assessmentId
              ? `/assessments/${opened.assessmentId}`
              : `/reviews/${id}?completed=yes`;
          return { personId: person.id, nextPath, alreadyDone: true };
        }
        if (review.status !== 'scheduled' || review.version !== input.version) throw new StaleVersionError('review', review);

        const budget = await budgetOf(trx, review, true);
        // An approved plan never changes, so it is read outside the transaction: findPlanWithParts runs its
        // three queries at once, which a transaction's single connection would have to queue.
        const plan = await planOf(db, review, budget);
        if (!plan) throw new RuleError('There is no support plan to review', 'form');
        const outcomeIds = plan.outcomes.map((outcome) => outcome.id);
        if (input.findings.length !== outcomeIds.length || input.findings.some((finding) => !outcomeIds.includes(finding.outcomeId))) {
          throw new RuleError('The plan’s outcomes are not the ones on this form: open the review again', 'form');
        }
        if ((budget?.direct_payment_weekly_pence ?? 0) > 0 && input.budgetVariance === null) {
          throw new RuleError('Select whether the direct payment was underspent, overspent or used as planned', 'budgetVariance');
        }
        if (budget && input.reviewDate < budget.start_date) {
          throw new RuleError(
            `The review date must be on or after ${formatDate(budget.start_date)}, when the personal budget started`,
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
          if (!budget || budget.end_date !== null) throw new RuleError('There is no open personal budget to end', 'decision');
          if (input.endDate !== null && input.endDate < budget.start_date) {
            throw new RuleError(`The budget cannot end before it started on ${formatDate(budget.start_date)}`, 'endDate');
          }
        }
        const findings: OutcomeFinding[] = input.findings.map((finding) => ({
          ...finding,
          description: plan.outcomes.find((outcome) => outcome.id === finding.outcomeId)?.description ?? '',
        }));

        const completed = await updateReview(trx, id, input.version, {
          status: 'completed',
          completed_at: clock.now(),
          completed_by: actor.id,
          review_date: input.reviewDate,
          outcome_findings: findings,
          budget_use: input.budgetUse,
          budget_variance: input.budgetVariance,
          person_view: input.personView,
          decision: input.decision,
          decision_end_date: input.endDate,
          decision_end_reason: input.endReason,
        });
        if (!completed) throw new StaleVersionError('review', review);

        let nextPath = `/reviews/${id}?completed=yes`;
        const decisionDetail: Record<string, unknown> = {};
        if (input.decision === 'change_plan') {
          const draft = await insertPlan(trx, copyOfPlan(plan, id, actor.id));
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
          nextPath = `/plans/${draft.id}`;
        }
        if (input.decision === 'reassess') {
          const { assessment } = await startAssessmentDraft(trx, actor, person.id);
          // A draft already under way becomes the reassessment, unless an earlier review already asked for it.
          await trx('assessments').where({ id: assessment.id, status: 'draft' }).whereNull('from_review_id').update({ from_review_id: id });
          decisionDetail.assessment_id = assessment.id;
          nextPath = `/assessments/${assessment.id}`;
        }
        if (input.decision === 'end_budget' && budget) {
          const ended = await endBudget(trx, budget.id, { end_date: input.endDate, end_reason: input.endReason });
          await recordEvent(trx, actor, {
            action: 'budget_ended',
            entityType: 'personal_budget',
            entityId: budget.id,
            personId: person.id,
            before: budget,
            after: ended,
          });
          for (const cancelled of await cancelScheduledReviews(trx, budget.id, 'The personal budget ended after a review')) {
            await recordEvent(trx, actor, {
              action: 'review_cancelled',
              entityType: 'review',
              entityId: cancelled.id,
              personId: person.id,
              after: cancelled,
            });
          }
        }
        await recordEvent(trx, actor, {
          action: 'review_completed',
          entityType: 'review',
          entityId: id,
          personId: person.id,
          before: { status: review.status, version: review.version },
          after: { ...completed, ...decisionDetail },
        });

        if (input.decision !== 'end_budget') {
          const dueDate = addMonths(input.reviewDate, MONTHS_TO_NEXT_REVIEW);
          // The new annual review replaces any still scheduled: one review a year, counted from the latest.
          if (budget) {
            for (const replaced of await cancelScheduledReviewsOfKinds(
              trx,
              budget.id,
              ['annual'],
              `Replaced by the review due ${formatDate(dueDate)}`,
            )) {
              await recordEvent(trx, actor, {
                action: 'review_cancelled',
                entityType: 'review',
                entityId: replaced.id,
                personId: person.id,
                after: replaced,
              });
            }
          }
          const next = await insertReview(trx, {
            person_id: person.id,
            budget_id: review.budget_id,
            plan_id: plan.id,
            kind: 'annual',
            due_date: dueDate,
            assigned_to: person.allocatedWorkerId ?? review.assigned_to,
            reason: '',
            created_by: actor.id,
          });
          await recordEvent(trx, actor, {
            action: 'review_scheduled',
            entityType: 'review',
            entityId: next.id,
            personId: person.id,
            after: next,
          });
        }
        return { personId: person.id, nextPath, alreadyDone: false };
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
          person_id: personId,
          budget_id: budget.id,
          plan_id: budget.plan_id,
          kind: 'unplanned',
          due_date: input.dueDate,
          assigned_to: person.allocatedWorkerId ?? actor.id,
          reason: input.reason,
          created_by: actor.id,
        });
        await recordEvent(trx, actor, { action: 'review_scheduled', entityType: 'review', entityId: review.id, personId, after: review });
        return { reviewId: review.id, alreadyDone: false };
      });
    },

    async reassignPage(user: SignedInUser, id: number) {
      const { review, person } = await visibleReview(user, id);
      if (!canReassign(user, person, review)) {
        throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
      }
      const [workers, names] = await Promise.all([teamWorkers(db, person.teamId), displayNames(db, [review.assigned_to])]);
      return { review, person, workers, assignedToName: review.assigned_to === null ? null : (names.get(review.assigned_to) ?? null) };
    },

    async reassign(actor: Actor, id: number, input: ReassignInput): Promise<{ personId: number }> {
      return db.transaction(async (trx) => {
        const { review, person } = await lockReview(trx, actor, id);
        if (review.status === 'scheduled' && review.assigned_to === input.assignedTo && review.version === input.version + 1)
          return { personId: person.id };
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
        if (review.status !== 'scheduled' || review.version !== input.version) throw new StaleVersionError('review', review);
        if (!canReassign(actor, person, review))
          throw new ForbiddenError('Only the team manager, or the worker the review is assigned to, can reassign it.');
        const workers = await teamWorkers(trx, person.teamId);
        if (!workers.some((worker) => worker.id === input.assignedTo))
          throw new RuleError('Select a worker from the person’s team', 'assignedTo');
        const after = await updateReview(trx, id, input.version, { assigned_to: input.assignedTo });
        if (!after) throw new StaleVersionError('review', review);
        await recordEvent(trx, actor, {
          action: 'review_reassigned',
          entityType: 'review',
          entityId: id,
          personId: person.id,
          before: { assigned_to: review.assigned_to },
          after: { assigned_to: input.assignedTo },
        });
        return { personId: person.id };
      });
    },

    /** The person page's reviews: those due, then those done, and whether this user can add one. */
    async personSection(user: SignedInUser, person: Person): Promise<PersonPageSection | null> {
      const [rows, budget] = await Promise.all([reviewsOfPerson(db, person.id), openBudgetOfPerson(db, person.id)]);
      if (rows.length === 0 && !budget) return null;
      const today = londonToday(clock);
      return {
        partial: 'reviews/_person-reviews',
        model: {
          reviewsSection: {
            personId: person.id,
            canAdd: canEditPerson(user, person) && budget !== undefined,
            due: rows
              .filter((row) => row.status === 'scheduled')
              .map((row) => ({
                id: row.id,
                kind: row.kind,
                reason: row.reason,
                dueDate: row.due_date,
                dueText: dueWording(row.due_date, today),
                overdue: row.due_date < today,
                assignedToName: row.assigned_to_name,
              })),
            done: rows
              .filter((row) => row.status !== 'scheduled')
              .map((row) => ({
                id: row.id,
                kind: row.kind,
                status: row.status,
                dueDate: row.due_date,
                reviewDate: row.review_date,
                decision: row.decision,
                completedByName: row.completed_by_name,
                cancelledReason: row.status === 'cancelled' ? row.reason : '',
              })),
          },
        },
      };
    },
  };
}

export type ReviewsService = ReturnType<typeof reviewsService>;
