import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { addCalendarDays, writtenCalendarDate } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import type { ListSort, Paged, PageRequest } from '../db/paging.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPersonForUpdate, listTeams, type Person } from '../people/repo.js';
import { canSeePerson, type PeopleService } from '../people/service.js';
import { managementOptions } from '../plans/options.js';
import { costedItemsOfPlans, findPlan, findPlanWithParts, planAuthors, type SupportPlan } from '../plans/repo.js';
import { reviewContextOf } from '../plans/repo.js';
import {
  isAboveCeiling,
  isAboveIndicative,
  listInWords,
  panelReasons,
  panelReasonTexts,
  plannedAmount,
  type Amount,
} from '../plans/rules.js';
import { councilSettings } from '../settings/repo.js';
import { formatPence } from '../money.js';
import { planTotals, type PlanTotals } from '../plans/totals.js';
import { annualFromWeekly, directPaymentReviewDue, firstReviewDue, splitByManagementOption, type ManagementSplit } from './budget.js';
import type { BudgetEnd } from './ending-reasons.js';
import { canEndBudget } from './ending-service.js';
import { capitalIsAboveUpperLimit, s26Figures } from './charging.js';
import {
  budgetChargeRecord,
  budgetRecord,
  budgetsRunningFrom,
  chargeOn,
  chargesOfBudgets,
  insertBudgetCharge,
  displayNames,
  endBudget,
  financialAssessmentInForce,
  financialAssessmentRecord,
  financialAssessmentsOfPerson,
  insertBudget,
  insertFinancialAssessment,
  openBudgetOfPerson,
  setReplacedBy,
  signedOffBudgetOfPlan,
  waitingPlans,
  type BudgetCharge,
  type FinancialAssessment,
  type NewFinancialAssessment,
  type NextReview,
  type PersonalBudget,
  type WaitingPlanListing,
} from './repo.js';
import { markPlanReplaced, recordPlanDecision } from '../plans/service.js';
import { cancelReviewsOfBudget, scheduleReview } from '../reviews/service.js';
import type { PersonReview, ReviewKind } from '../reviews/repo.js';
import type { ApproveInput, FinancialAssessmentInput, PanelApproveInput, QueueFilter, ReturnInput } from './schemas.js';

/** What a decision decided, for the confirmation that follows it. */
export type Decided =
  | { kind: 'approved'; weeklyPence: number; startDate: string; firstReviewDue: string }
  | { kind: 'returned' }
  | { kind: 'agreed_at_panel'; weeklyPence: number };

/** What a decision did: `alreadyDone` when it repeats the actor's own decision (a double-click), which changes nothing. */
export type DecisionOutcome = { personId: number; alreadyDone: boolean; decided?: Decided };

function plannedSplit(totals: PlanTotals): ManagementSplit {
  return Object.fromEntries(managementOptions.map((option) => [option, totals.byManagementOption[option].weeklyPence])) as ManagementSplit;
}

/** A plan waiting in a queue, with the figures finance and panels compare. */
export type WaitingPlan = WaitingPlanListing & { plannedWeeklyPence: number; aboveIndicative: boolean };

/** Why the user sees a sign-off or panel page without its forms. */
export type CannotDecide = 'wrong_role' | 'not_waiting' | 'awaiting_panel' | 'wrote_it';

/** A budget's place in time, as the person page lists it. */
export type BudgetState = 'current' | 'ended' | 'starts_later';

function budgetState(budget: Pick<PersonalBudget, 'startDate' | 'endDate'>, today: string): BudgetState {
  if (budget.endDate !== null && budget.endDate < today) return 'ended';
  return budget.startDate > today ? 'starts_later' : 'current';
}

/**
 * Ends a personal budget on a date with a reason, in the transaction of the step that ends it (a
 * new budget replacing it, a review's decision, or src/finance/ending-service.ts); that step cancels the reviews still scheduled.
 */
export async function endPersonalBudget(trx: Knex.Transaction, actor: Actor, budget: PersonalBudget, end: BudgetEnd): Promise<void> {
  const ended = await endBudget(trx, budget.id, end, actor.id);
  await recordEvent(trx, actor, {
    action: 'budget_ended',
    entityType: 'personal_budget',
    entityId: budget.id,
    personId: budget.personId,
    before: budgetRecord(budget),
    after: budgetRecord(ended),
  });
}

/**
 * approve compares the start date with the open budget only; a budget a review ended can still
 * cover that date, and then the database's exclusion constraint refuses the new one.
 */
function refuseOverlap(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23P01' && constraint === 'personal_budgets_no_overlap') {
    throw new RuleError(
      'This budget would overlap another personal budget of this person: choose a start date after the current one ends',
      'startDate',
    );
  }
  throw error;
}

const longestWaitingFirst: ListSort = { column: 'waiting', direction: 'desc' };

/** What the person page read of a person's money and reviews, each list in its own repo's order. */
export type PersonFinanceRecord = {
  budgets: (PersonalBudget & { approvedByName: string | null })[];
  assessments: (FinancialAssessment & { recordedByName: string | null })[];
  charges: BudgetCharge[];
  reviews: PersonReview[];
};

/** The scheduled review due soonest, as nextScheduledReview finds it. */
function nextScheduledReviewAmong(reviews: PersonReview[]): NextReview | null {
  const next = reviews
    .filter((review) => review.status === 'scheduled')
    .reduce<PersonReview | null>(
      (soonest, review) =>
        !soonest || review.dueDate < soonest.dueDate || (review.dueDate === soonest.dueDate && review.id < soonest.id) ? review : soonest,
      null,
    );
  return next && { kind: next.kind, dueDate: next.dueDate, assignedToName: next.assignedToName };
}

export function financeService(db: Knex, people: PeopleService, clock: Clock) {
  async function withTotals(listings: WaitingPlanListing[]): Promise<WaitingPlan[]> {
    const items = await costedItemsOfPlans(
      db,
      listings.map((listing) => listing.id),
    );
    return listings.map((listing) => {
      const totals = planTotals(items.filter((item) => item.planId === listing.id));
      // Object.assign, not a spread: README, "Code run for every row".
      return Object.assign({}, listing, {
        plannedWeeklyPence: totals.personalBudgetWeeklyPence,
        aboveIndicative: isAboveIndicative(listing, totals),
      });
    });
  }

  /** Everything the sign-off and panel pages show about a plan, read without locks. */
  async function planSummary(user: SignedInUser, planId: number) {
    const plan = await findPlanWithParts(db, planId);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await people.visiblePerson(user, plan.personId);
    const [teams, authors, currentBudget, settings] = await Promise.all([
      listTeams(db),
      planAuthors(db, plan.id),
      openBudgetOfPerson(db, person.id),
      councilSettings(db),
    ]);
    const names = await displayNames(db, [plan.createdBy, plan.submittedBy, plan.panelDecidedBy, plan.approvedBy, plan.returnedBy]);
    const name = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
    const totals = planTotals(plan.items);
    return {
      plan,
      person,
      teamName: teams.find((team) => team.id === person.teamId)?.name ?? '',
      totals,
      aboveIndicative: isAboveIndicative(plan, totals),
      aboveCeiling: isAboveCeiling(plan, totals),
      settings,
      /** Why the planned amount needs a panel, if it does. */
      panelReasons: panelReasons(plan, plannedAmount(totals), plannedAmount(totals), settings),
      names: {
        createdBy: name(plan.createdBy),
        submittedBy: name(plan.submittedBy),
        panelDecidedBy: name(plan.panelDecidedBy),
        approvedBy: name(plan.approvedBy),
        returnedBy: name(plan.returnedBy),
      },
      currentBudget: currentBudget ?? null,
      // Four-eyes, shown before the form so nobody fills it in only to be refused.
      userWroteThePlan: authors.includes(user.id) || plan.panelDecidedBy === user.id,
    };
  }

  /** The person row locked (read after the lock, so the allocated worker is current); someone the user cannot see is not found. */
  async function lockedVisiblePerson(trx: Knex.Transaction, actor: Actor, personId: number): Promise<Person> {
    const person = await findPersonForUpdate(trx, personId);
    if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
    return person;
  }

  /** The plan locked for a decision, and its person locked so only one budget change per person runs at a time. */
  async function lockForDecision(trx: Knex.Transaction, actor: Actor, planId: number): Promise<{ plan: SupportPlan; person: Person }> {
    const plan = await findPlan(trx, planId, true);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await lockedVisiblePerson(trx, actor, plan.personId);
    return { plan, person };
  }

  async function refuseAuthors(trx: Knex.Transaction, actor: Actor, plan: SupportPlan, what: string): Promise<void> {
    const authors = await planAuthors(trx, plan.id);
    if (authors.includes(actor.id) || plan.panelDecidedBy === actor.id) {
      throw new ForbiddenError(`You wrote, changed or agreed this plan, so someone else must ${what} it. Nothing was changed.`);
    }
  }

  /**
   * The amount finance may approve (DOMAIN.md, "Money rules at sign-off"): the planned amount or
   * less. An amount the plan and the RAS do not support needs a panel's agreement first, and never
   * more than the panel agreed. On a plan from a review, less than the current budget needs the
   * plan to record what changed in the person's needs (s.27).
   */
  async function refuseUnsupportedAmount(
    trx: Knex.Transaction,
    plan: SupportPlan,
    totals: PlanTotals,
    weeklyPence: number,
  ): Promise<Amount> {
    const planned = plannedAmount(totals);
    // The planned amount keeps the plan's exact yearly figure; any other amount is approved a week.
    const amount = weeklyPence === planned.weeklyPence ? planned : { weeklyPence, annualPence: annualFromWeekly(weeklyPence) };
    const settings = await councilSettings(trx);
    const reasons = panelReasons(plan, planned, amount, settings);
    if (reasons.length > 0 && plan.panelStatus !== 'approved') {
      throw new RuleError(
        `${formatPence(amount.weeklyPence)} a week ${listInWords(panelReasonTexts(reasons, plan, planned, settings))}, so a team manager’s panel must agree it first. Approve the planned amount or less, or return the plan`,
        'weeklyAmount',
      );
    }
    // A panel that agreed before agreed amounts were recorded agreed the plan as it stood.
    const agreed = plan.panelStatus === 'approved' ? (plan.panelAgreedWeeklyPence ?? planned.weeklyPence) : null;
    if (reasons.length > 0 && agreed !== null && amount.weeklyPence > agreed) {
      throw new RuleError(`The panel agreed ${formatPence(agreed)} a week: approve that amount or less`, 'weeklyAmount');
    }
    const review = await reviewContextOf(trx, plan);
    if (
      review.fromReview &&
      review.currentBudgetWeeklyPence !== null &&
      amount.weeklyPence < review.currentBudgetWeeklyPence &&
      !plan.needsChanged.trim()
    ) {
      throw new RuleError(
        `This plan comes from a review that recorded no change in the person’s needs, so the budget cannot go below the current ${formatPence(review.currentBudgetWeeklyPence)} a week. Return the plan to the care manager if their needs have changed`,
        'weeklyAmount',
      );
    }
    return amount;
  }

  /**
   * A financial assessment changes what the person pays from its date (or the budget's start, if
   * later): a new charge row from then, worked out from the assessment in force on that date, which
   * is not always the new one (a later-dated one may already be in force). Earlier rows stay.
   */
  async function chargeAgain(trx: Knex.Transaction, actor: Actor, budget: PersonalBudget, effectiveFrom: string): Promise<void> {
    const from = effectiveFrom > budget.startDate ? effectiveFrom : budget.startDate;
    const charges = await chargesOfBudgets(trx, [budget.id]);
    const before = chargeOn(charges, from) ?? charges.at(-1);
    const inForce = await financialAssessmentInForce(trx, budget.personId, from);
    const figures = s26Figures(budget.weeklyPence, budget.split.direct_payment, inForce ?? null, {
      basis: before?.directPayment?.basis ?? null,
      frequency: before?.directPayment?.frequency ?? null,
    });
    const unchanged =
      before !== undefined &&
      before.financialAssessmentId === (inForce?.id ?? null) &&
      before.personPaysWeeklyPence === figures.personPaysWeeklyPence &&
      before.directPayment?.perPaymentPence === figures.directPayment?.perPaymentPence;
    if (unchanged) return;
    const charge = await insertBudgetCharge(trx, {
      budgetId: budget.id,
      effectiveFrom: from,
      financialAssessmentId: inForce?.id ?? null,
      costWeeklyPence: budget.weeklyPence,
      ...figures,
      recordedBy: actor.id,
    });
    await recordEvent(trx, actor, {
      action: 'budget_charges_changed',
      entityType: 'personal_budget',
      entityId: budget.id,
      personId: budget.personId,
      before: before && budgetChargeRecord(before),
      after: budgetChargeRecord(charge),
    });
  }

  return {
    /** A page of the plans waiting for finance, the longest waiting first unless another order is asked for. */
    async signOffQueue(filter: QueueFilter, list: { sort?: ListSort; request: PageRequest }): Promise<Paged<WaitingPlan>> {
      const { rows, page } = await waitingPlans(
        db,
        { today: londonToday(clock), panelStatuses: ['not_needed', 'approved'], teamId: filter.team, clientGroup: filter.clientGroup },
        { sort: list.sort ?? longestWaitingFirst, request: list.request },
      );
      return { rows: await withTotals(rows), page };
    },

    /** The teams the sign-off queue can be narrowed to. */
    queueTeams: () => listTeams(db),

    /** A team manager sees their own team's plans waiting for panel; an administrator sees every team's. */
    async panelQueue(user: SignedInUser, list: { sort?: ListSort; request: PageRequest }): Promise<Paged<WaitingPlan>> {
      const teamId = user.role === 'admin' ? undefined : (user.teamId ?? -1);
      const { rows, page } = await waitingPlans(
        db,
        { today: londonToday(clock), panelStatuses: ['awaiting'], teamId },
        { sort: list.sort ?? longestWaitingFirst, request: list.request },
      );
      return { rows: await withTotals(rows), page };
    },

    /** Finance decides here; an administrator may look but not decide. */
    async signOffPage(user: SignedInUser, planId: number, purpose: 'view' | 'decide' = 'view') {
      const summary = await planSummary(user, planId);
      const allowed = purpose === 'decide' ? ['finance_officer'] : ['finance_officer', 'admin'];
      if (!allowed.includes(user.role)) throw new ForbiddenError('Only finance officers sign off personal budgets. Nothing was changed.');
      const { plan } = summary;
      const cannotDecide: CannotDecide | null =
        user.role !== 'finance_officer'
          ? 'wrong_role'
          : plan.status !== 'submitted'
            ? 'not_waiting'
            : plan.panelStatus === 'awaiting'
              ? 'awaiting_panel'
              : summary.userWroteThePlan
                ? 'wrote_it'
                : null;
      return { ...summary, cannotDecide };
    },

    async panelPage(user: SignedInUser, planId: number, purpose: 'view' | 'decide' = 'view') {
      const summary = await planSummary(user, planId);
      const allowed = purpose === 'decide' ? ['team_manager'] : ['team_manager', 'admin'];
      if (!allowed.includes(user.role))
        throw new ForbiddenError('Only a team manager of the person’s team sits on the panel. Nothing was changed.');
      const { plan } = summary;
      const cannotDecide: CannotDecide | null =
        user.role !== 'team_manager'
          ? 'wrong_role'
          : plan.status !== 'submitted' || plan.panelStatus !== 'awaiting'
            ? 'not_waiting'
            : summary.userWroteThePlan
              ? 'wrote_it'
              : null;
      return { ...summary, cannotDecide };
    },

    /**
     * Finance signs off a plan: in one transaction the plan is approved, the personal budget
     * starts, the person's previous budget ends the day before (its plan replaced, its reviews
     * cancelled), and the first reviews are scheduled.
     */
    async approve(actor: Actor, planId: number, input: ApproveInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'finance_officer')
          throw new ForbiddenError('Only a finance officer can approve a personal budget. Nothing was changed.');
        if (plan.status === 'approved' && plan.approvedBy === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        await refuseAuthors(trx, actor, plan, 'approve');
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted') throw new ForbiddenError('This plan is not waiting for sign-off. Nothing was changed.');
        if (plan.panelStatus === 'awaiting') {
          throw new ForbiddenError(
            'A team manager’s panel must agree this plan’s amount before finance can approve it. Nothing was changed.',
          );
        }

        const totals = planTotals(await costedItemsOfPlans(trx, [plan.id]));
        const approved = await refuseUnsupportedAmount(trx, plan, totals, input.approvedWeeklyPence);
        const previous = await openBudgetOfPerson(trx, person.id, true);
        if (previous && input.startDate <= previous.startDate) {
          throw new RuleError(
            `The start date must be after ${writtenCalendarDate(previous.startDate)}, when the current personal budget started`,
            'startDate',
          );
        }
        const now = clock.now();
        await recordPlanDecision(trx, actor, plan, {
          kind: 'approved',
          at: now,
          detail: {
            start_date: input.startDate,
            approved_weekly_pence: approved.weeklyPence,
            approved_annual_pence: approved.annualPence,
            planned_weekly_pence: totals.personalBudgetWeeklyPence,
            planned_annual_pence: totals.personalBudgetAnnualPence,
            reason: input.reason,
          },
        });

        // The old budget is ended before the new one is written: the database allows one open budget per person.
        if (previous) {
          await endPersonalBudget(trx, actor, previous, {
            endDate: addCalendarDays(input.startDate, -1),
            endReason: 'replaced',
          });
          await markPlanReplaced(trx, actor, previous.planId, plan.id);
          await cancelReviewsOfBudget(trx, actor, previous, 'The personal budget was replaced');
        }

        const split = splitByManagementOption(plannedSplit(totals), approved.weeklyPence);
        const budget = await insertBudget(trx, {
          personId: person.id,
          planId: plan.id,
          assessmentId: plan.assessmentId,
          startDate: input.startDate,
          weeklyPence: approved.weeklyPence,
          annualPence: approved.annualPence,
          plannedWeeklyPence: totals.personalBudgetWeeklyPence,
          plannedAnnualPence: totals.personalBudgetAnnualPence,
          // The other streams are not finance's to change, so the individual budget moves with the personal budget only.
          individualBudgetWeeklyPence: totals.individualBudgetWeeklyPence - totals.personalBudgetWeeklyPence + approved.weeklyPence,
          split,
          approvalReason: input.reason,
          approvedBy: actor.id,
          approvedAt: now,
        }).catch(refuseOverlap);
        const inForce = await financialAssessmentInForce(trx, person.id, input.startDate);
        const charge = await insertBudgetCharge(trx, {
          budgetId: budget.id,
          effectiveFrom: input.startDate,
          financialAssessmentId: inForce?.id ?? null,
          costWeeklyPence: budget.weeklyPence,
          ...s26Figures(budget.weeklyPence, split.direct_payment, inForce ?? null, {
            basis: plan.directPaymentBasis,
            frequency: plan.directPaymentFrequency,
          }),
          recordedBy: actor.id,
        });
        await recordEvent(trx, actor, {
          action: 'budget_created',
          entityType: 'personal_budget',
          entityId: budget.id,
          personId: person.id,
          after: { ...budgetRecord(budget), charge: budgetChargeRecord(charge) },
        });
        if (previous) await setReplacedBy(trx, previous.id, budget.id);

        const reviews: { kind: ReviewKind; dueDate: string }[] = [{ kind: 'first', dueDate: firstReviewDue(input.startDate) }];
        if (split.direct_payment > 0) reviews.push({ kind: 'direct_payment', dueDate: directPaymentReviewDue(input.startDate) });
        for (const review of reviews) {
          await scheduleReview(trx, actor, {
            personId: person.id,
            budgetId: budget.id,
            planId: plan.id,
            kind: review.kind,
            dueDate: review.dueDate,
            assignedTo: person.allocatedWorkerId,
            reason: '',
            createdBy: actor.id,
          });
        }
        return {
          personId: person.id,
          alreadyDone: false,
          decided: { kind: 'approved', weeklyPence: budget.weeklyPence, startDate: budget.startDate, firstReviewDue: reviews[0]!.dueDate },
        };
      });
    },

    /**
     * Finance sends a plan back to the care manager. Any panel agreement goes with it: if the
     * plan is still over the ceiling when it is resubmitted, the panel sees it again.
     */
    async returnPlan(actor: Actor, planId: number, input: ReturnInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'finance_officer')
          throw new ForbiddenError('Only a finance officer can return a plan from sign-off. Nothing was changed.');
        if (plan.status === 'returned' && plan.returnedBy === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted') throw new ForbiddenError('This plan is not waiting for sign-off. Nothing was changed.');
        if (plan.panelStatus === 'awaiting') {
          throw new ForbiddenError('This plan is waiting for a team manager’s panel, who can return it. Nothing was changed.');
        }
        await recordPlanDecision(trx, actor, plan, { kind: 'returned', by: 'finance', reason: input.returnReason, at: clock.now() });
        return { personId: person.id, alreadyDone: false, decided: { kind: 'returned' } };
      });
    },

    /** A team manager's panel agrees a budget above the RAS ceiling; the plan then goes to finance. */
    async panelApprove(actor: Actor, planId: number, input: PanelApproveInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'team_manager')
          throw new ForbiddenError('Only a team manager of the person’s team can agree a budget at panel. Nothing was changed.');
        if (plan.panelStatus === 'approved' && plan.panelDecidedBy === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        await refuseAuthors(trx, actor, plan, 'agree');
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted' || plan.panelStatus !== 'awaiting')
          throw new ForbiddenError('This plan is not waiting for panel. Nothing was changed.');
        const { agreedWeeklyPence } = input;
        await recordPlanDecision(trx, actor, plan, { kind: 'agreed_at_panel', note: input.panelNote, agreedWeeklyPence, at: clock.now() });
        return { personId: person.id, alreadyDone: false, decided: { kind: 'agreed_at_panel', weeklyPence: agreedWeeklyPence } };
      });
    },

    async panelReturn(actor: Actor, planId: number, input: ReturnInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'team_manager')
          throw new ForbiddenError('Only a team manager of the person’s team can return a plan from panel. Nothing was changed.');
        if (plan.status === 'returned' && plan.returnedBy === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted' || plan.panelStatus !== 'awaiting')
          throw new ForbiddenError('This plan is not waiting for panel. Nothing was changed.');
        await recordPlanDecision(trx, actor, plan, { kind: 'returned', by: 'panel', reason: input.returnReason, at: clock.now() });
        return { personId: person.id, alreadyDone: false, decided: { kind: 'returned' } };
      });
    },

    /**
     * The letter the person keeps after a decision on their plan, to print or send: approved (with
     * everything s.25 and s.26 ask for) or returned (with the reason). A plan nobody has decided has
     * no letter. Each opening is recorded in the audit trail.
     */
    async decisionLetter(user: Actor, planId: number) {
      const plan = await findPlanWithParts(db, planId);
      if (!plan) throw new NotFoundError('Support plan');
      const person = await people.visiblePerson(user, plan.personId);
      const signedOff = await signedOffBudgetOfPlan(db, plan.id);
      const decision = signedOff ? 'approved' : plan.status === 'returned' ? 'returned' : null;
      if (!decision) throw new NotFoundError('Decision letter');
      await recordLookedAt(db, user, {
        action: 'decision_letter_printed',
        entityType: 'support_plan',
        entityId: plan.id,
        personId: person.id,
      });
      const [teams, names] = await Promise.all([listTeams(db), displayNames(db, [person.allocatedWorkerId])]);
      return {
        decision,
        plan,
        person,
        totals: planTotals(plan.items),
        signedOff: signedOff ?? null,
        workerName: person.allocatedWorkerId === null ? null : (names.get(person.allocatedWorkerId) ?? null),
        teamName: teams.find((team) => team.id === person.teamId)?.name ?? '',
        today: londonToday(clock),
      } as const;
    },

    async financialAssessmentPage(user: SignedInUser, personId: number) {
      const person = await people.visiblePerson(user, personId);
      if (user.role !== 'finance_officer')
        throw new ForbiddenError('Only finance officers record financial assessments. Nothing was changed.');
      const history = await financialAssessmentsOfPerson(db, personId);
      return {
        person,
        history: history.map((assessment) => ({
          ...assessment,
          capitalAboveUpperLimit: capitalIsAboveUpperLimit(assessment.capitalPence),
        })),
      };
    },

    /**
     * A financial assessment is never changed, only followed by a newer one, so the history
     * shows what the person was charged and why. `latestSeenId` works as a version: the
     * assessment that was newest when the form opened, so a double-click records one.
     */
    async recordFinancialAssessment(actor: Actor, personId: number, input: FinancialAssessmentInput): Promise<{ alreadyDone: boolean }> {
      return db.transaction(async (trx) => {
        // The person lock makes two saves for one person take turns, so the "latest seen" check below is reliable.
        await lockedVisiblePerson(trx, actor, personId);
        if (actor.role !== 'finance_officer')
          throw new ForbiddenError('Only finance officers record financial assessments. Nothing was changed.');
        const [latest] = await financialAssessmentsOfPerson(trx, personId);
        const { charge } = input;
        const assessment: NewFinancialAssessment = {
          personId,
          effectiveFrom: input.effectiveFrom,
          weeklyIncomePence: input.weeklyIncome,
          weeklyAllowancesPence: input.weeklyAllowances,
          capitalPence: input.capital,
          tariffIncomePence: charge.tariffIncomePence,
          // The decision in force: an officer's adjusted amount replaces the full-cost rule too.
          paysFullCost: charge.paysFullCost && input.adjustedContributionPence === null,
          // Above the upper capital limit no weekly figure is calculated: 0 is kept and the capital shows why.
          calculatedWeeklyContributionPence: charge.paysFullCost ? 0 : charge.weeklyContributionPence,
          weeklyContributionPence: input.adjustedContributionPence ?? (charge.paysFullCost ? 0 : charge.weeklyContributionPence),
          adjustmentReason: input.adjustmentReason,
          recordedBy: actor.id,
        };
        if (latest && latest.id !== input.latestSeenId) {
          const repeat = (Object.keys(assessment) as (keyof NewFinancialAssessment)[]).every((key) => latest[key] === assessment[key]);
          if (repeat) return { alreadyDone: true };
          throw new StaleVersionError('financial assessment', latest);
        }
        const recorded = await insertFinancialAssessment(trx, assessment);
        await recordEvent(trx, actor, {
          action: 'financial_assessment_recorded',
          entityType: 'financial_assessment',
          entityId: recorded.id,
          personId,
          after: { id: recorded.id, ...financialAssessmentRecord(recorded), recorded_at: recorded.recordedAt },
        });
        for (const budget of await budgetsRunningFrom(trx, personId, input.effectiveFrom)) {
          await chargeAgain(trx, actor, budget, input.effectiveFrom);
        }
        return { alreadyDone: false };
      });
    },

    /** The person page's personal budget section: the budget, the three Care Act figures, reviews and history. */
    personSection(user: SignedInUser, person: Person, record: PersonFinanceRecord) {
      const today = londonToday(clock);
      const { budgets, assessments, charges } = record;
      // The latest to take effect by today, as financialAssessmentInForce finds it (the list is latest first).
      const inForce = assessments.find((assessment) => assessment.effectiveFrom <= today);
      const nextReview = nextScheduledReviewAmong(record.reviews);
      const canRecord = user.role === 'finance_officer';
      if (budgets.length === 0 && assessments.length === 0 && !canRecord) return null;
      const listed = budgets.map((budget) => ({ ...budget, state: budgetState(budget, today) }));
      // The budget paying now, else one approved to start later.
      const current =
        listed.find((budget) => budget.state === 'current') ??
        listed.find((budget) => budget.state === 'starts_later' && budget.endDate === null) ??
        null;
      const chargesOf = (budgetId: number) => charges.filter((charge) => charge.budgetId === budgetId);
      // What applies today, or from the start of a budget that starts later.
      const on = current && current.startDate > today ? current.startDate : today;
      const currentCharge = current ? (chargeOn(chargesOf(current.id), on) ?? null) : null;
      return {
        personId: person.id,
        current,
        charge: currentCharge,
        // One row a date: a financial assessment taking effect when the budget starts replaces that day's figures, and the
        // replaced row (what the person paid before anyone assessed them) was never in force, so it is not history.
        chargeHistory: current
          ? chargesOf(current.id).filter(
              (charge, index, all) => all.findIndex((other) => other.effectiveFrom === charge.effectiveFrom) === index,
            )
          : [],
        inForce: inForce ?? null,
        latestAssessment: assessments[0] ?? null,
        budgets: listed,
        nextReview,
        canRecord,
        canEnd: current !== null && canEndBudget(user, person, current),
      };
    },
  };
}

export type FinanceService = ReturnType<typeof financeService>;
export type PlanDecisionPage = Awaited<ReturnType<FinanceService['signOffPage']>>;
export type FinanceSection = NonNullable<Awaited<ReturnType<FinanceService['personSection']>>>;
export type DecisionLetter = Awaited<ReturnType<FinanceService['decisionLetter']>>;
export type AssessmentHistory = Awaited<ReturnType<FinanceService['financialAssessmentPage']>>['history'];
