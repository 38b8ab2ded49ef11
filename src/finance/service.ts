import type { Knex } from 'knex';
import { eligibilityOutcomes } from '../assessments/eligibility.js';
import type { AuditAction } from '../audit/actions.js';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPersonForUpdate, listTeams, type Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { canSeePerson, type PeopleService } from '../people/service.js';
import { managementOptions } from '../plans/options.js';
import { findPlan, findPlanWithParts, planAuthors, updatePlan, type PlanItemRow, type SupportPlanRow } from '../plans/repo.js';
import { isAboveCeiling, isAboveIndicative } from '../plans/rules.js';
import { planTotals, type PlanTotals } from '../plans/totals.js';
import { formatDate } from '../web/format.js';
import {
  addDays,
  annualFromWeekly,
  directPaymentReviewDue,
  firstReviewDue,
  splitByManagementOption,
  type ManagementSplit,
} from './budget.js';
import { capitalIsAboveUpperLimit, personPaysPence } from './charging.js';
import {
  budgetsOfPerson,
  cancelScheduledReviews,
  costedItemsOfPlans,
  displayNames,
  endBudget,
  financialAssessmentInForce,
  financialAssessmentsOfPerson,
  insertBudget,
  insertFinancialAssessment,
  insertReview,
  nextScheduledReview,
  openBudgetOfPerson,
  setReplacedBy,
  waitingPlans,
  type FinancialAssessmentRow,
  type PersonalBudgetRow,
  type ReviewKind,
  type WaitingPlanRow,
} from './repo.js';
import type { ApproveInput, FinancialAssessmentInput, PanelApproveInput, QueueFilter, ReturnInput } from './schemas.js';

/** What a decision did: `alreadyDone` when it repeats the actor's own decision (a double-click), which changes nothing. */
export type DecisionOutcome = { personId: number; alreadyDone: boolean };

function totalsOf(items: readonly Pick<PlanItemRow, 'funding_stream' | 'management_option' | 'weekly_pence'>[]): PlanTotals {
  return planTotals(
    items.map((item) => ({ fundingStream: item.funding_stream, managementOption: item.management_option, weeklyPence: item.weekly_pence })),
  );
}

function plannedSplit(totals: PlanTotals): ManagementSplit {
  return Object.fromEntries(managementOptions.map((option) => [option, totals.byManagementOption[option].weeklyPence])) as ManagementSplit;
}

function splitOf(budget: PersonalBudgetRow): ManagementSplit {
  return {
    direct_payment: budget.direct_payment_weekly_pence,
    council_managed: budget.council_managed_weekly_pence,
    individual_service_fund: budget.individual_service_fund_weekly_pence,
    prepaid_card: budget.prepaid_card_weekly_pence,
  };
}

/** A plan waiting in a queue, with the figures finance and panels compare. */
export type WaitingPlan = WaitingPlanRow & { plannedWeeklyPence: number; aboveIndicative: boolean };

/** What the person pays under an assessment, as the views show it. */
function contributionOf(assessment: FinancialAssessmentRow) {
  return { paysFullCost: assessment.pays_full_cost, weeklyContributionPence: assessment.weekly_contribution_pence };
}

export function financeService(db: Knex, people: PeopleService, clock: Clock) {
  async function withTotals(rows: WaitingPlanRow[]): Promise<WaitingPlan[]> {
    const items = await costedItemsOfPlans(
      db,
      rows.map((row) => row.id),
    );
    return rows.map((row) => {
      const totals = totalsOf(items.filter((item) => item.plan_id === row.id));
      return {
        ...row,
        plannedWeeklyPence: totals.personalBudgetWeeklyPence,
        aboveIndicative: isAboveIndicative(row, totals),
      };
    });
  }

  /** Everything the sign-off and panel pages show about a plan, read without locks. */
  async function planSummary(user: SignedInUser, planId: number) {
    const plan = await findPlanWithParts(db, planId);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await people.visiblePerson(user, plan.person_id);
    const [teams, authors, currentBudget] = await Promise.all([listTeams(db), planAuthors(db, plan.id), openBudgetOfPerson(db, person.id)]);
    const names = await displayNames(db, [plan.created_by, plan.submitted_by, plan.panel_decided_by, plan.approved_by, plan.returned_by]);
    const name = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
    const totals = totalsOf(plan.items);
    return {
      plan,
      person,
      teamName: teams.find((team) => team.id === person.teamId)?.name ?? '',
      totals,
      aboveIndicative: isAboveIndicative(plan, totals),
      aboveCeiling: isAboveCeiling(plan, totals),
      outcomeLabels: Object.fromEntries(eligibilityOutcomes.map((outcome) => [outcome.key, outcome.label])) as Record<string, string>,
      names: {
        createdBy: name(plan.created_by),
        submittedBy: name(plan.submitted_by),
        panelDecidedBy: name(plan.panel_decided_by),
        approvedBy: name(plan.approved_by),
        returnedBy: name(plan.returned_by),
      },
      currentBudget: currentBudget ?? null,
      // Four-eyes, shown before the form so nobody fills it in only to be refused.
      userWroteThePlan: authors.includes(user.id) || plan.panel_decided_by === user.id,
    };
  }

  /** The person row locked (read after the lock, so the allocated worker is current); someone the user cannot see is not found. */
  async function lockedVisiblePerson(trx: Knex.Transaction, actor: Actor, personId: number): Promise<Person> {
    const person = await findPersonForUpdate(trx, personId);
    if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
    return person;
  }

  /** The plan locked for a decision, and its person locked so only one budget change per person runs at a time. */
  async function lockForDecision(trx: Knex.Transaction, actor: Actor, planId: number): Promise<{ plan: SupportPlanRow; person: Person }> {
    const plan = await findPlan(trx, planId, true);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await lockedVisiblePerson(trx, actor, plan.person_id);
    return { plan, person };
  }

  async function refuseAuthors(trx: Knex.Transaction, actor: Actor, plan: SupportPlanRow, what: string): Promise<void> {
    const authors = await planAuthors(trx, plan.id);
    if (authors.includes(actor.id) || plan.panel_decided_by === actor.id) {
      throw new ForbiddenError(`You wrote, changed or agreed this plan, so someone else must ${what} it. Nothing was changed.`);
    }
  }

  async function returnToCareManager(
    trx: Knex.Transaction,
    actor: Actor,
    plan: SupportPlanRow,
    reason: string,
    action: Extract<AuditAction, 'plan_returned' | 'plan_panel_returned'>,
  ): Promise<void> {
    const returned = await updatePlan(trx, plan.id, plan.version, {
      status: 'returned',
      return_reason: reason,
      returned_by: actor.id,
      returned_at: clock.now(),
      panel_status: 'not_needed',
      panel_decided_by: null,
      panel_decided_at: null,
      panel_note: '',
    });
    if (!returned) throw new StaleVersionError('support plan', plan);
    await recordEvent(trx, actor, {
      action,
      entityType: 'support_plan',
      entityId: plan.id,
      personId: plan.person_id,
      before: { panel_status: plan.panel_status, panel_decided_by: plan.panel_decided_by, panel_note: plan.panel_note },
      after: { return_reason: reason },
    });
  }

  return {
    async queue(filter: QueueFilter) {
      const rows = await waitingPlans(db, {
        today: londonToday(clock),
        panelStatuses: ['not_needed', 'approved'],
        teamId: filter.team,
        clientGroup: filter.clientGroup,
      });
      return { plans: await withTotals(rows), teams: await listTeams(db) };
    },

    /** A team manager sees their own team's plans waiting for panel; an administrator sees every team's. */
    async panelQueue(user: SignedInUser) {
      const teamId = user.role === 'admin' ? undefined : (user.teamId ?? -1);
      const rows = await waitingPlans(db, { today: londonToday(clock), panelStatuses: ['awaiting'], teamId });
      return { plans: await withTotals(rows) };
    },

    /** Finance decides here; an administrator may look but not decide. */
    async signOffPage(user: SignedInUser, planId: number, purpose: 'view' | 'decide' = 'view') {
      const summary = await planSummary(user, planId);
      const allowed = purpose === 'decide' ? ['finance_officer'] : ['finance_officer', 'admin'];
      if (!allowed.includes(user.role)) throw new ForbiddenError('Only finance officers sign off personal budgets. Nothing was changed.');
      const { plan } = summary;
      return {
        ...summary,
        canDecide:
          user.role === 'finance_officer' && plan.status === 'submitted' && plan.panel_status !== 'awaiting' && !summary.userWroteThePlan,
      };
    },

    async panelPage(user: SignedInUser, planId: number, purpose: 'view' | 'decide' = 'view') {
      const summary = await planSummary(user, planId);
      const allowed = purpose === 'decide' ? ['team_manager'] : ['team_manager', 'admin'];
      if (!allowed.includes(user.role))
        throw new ForbiddenError('Only a team manager of the person’s team sits on the panel. Nothing was changed.');
      const { plan } = summary;
      return {
        ...summary,
        canDecide:
          user.role === 'team_manager' && plan.status === 'submitted' && plan.panel_status === 'awaiting' && !summary.userWroteThePlan,
      };
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
        if (plan.status === 'approved' && plan.approved_by === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        await refuseAuthors(trx, actor, plan, 'approve');
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted') throw new ForbiddenError('This plan is not waiting for sign-off. Nothing was changed.');
        if (plan.panel_status === 'awaiting') {
          throw new ForbiddenError(
            'This plan costs more than the RAS ceiling, so a team manager’s panel must agree it before finance can approve it. Nothing was changed.',
          );
        }

        const totals = totalsOf(await costedItemsOfPlans(trx, [plan.id]));
        const previous = await openBudgetOfPerson(trx, person.id, true);
        if (previous && input.startDate <= previous.start_date) {
          throw new RuleError(
            `The start date must be after ${formatDate(previous.start_date)}, when the current personal budget started`,
            'startDate',
          );
        }
        const now = clock.now();
        const approved = await updatePlan(trx, plan.id, input.version, { status: 'approved', approved_by: actor.id, approved_at: now });
        if (!approved) throw new StaleVersionError('support plan', plan);
        await recordEvent(trx, actor, {
          action: 'plan_approved',
          entityType: 'support_plan',
          entityId: plan.id,
          personId: person.id,
          after: {
            start_date: input.startDate,
            approved_weekly_pence: input.approvedWeeklyPence,
            planned_weekly_pence: totals.personalBudgetWeeklyPence,
            reason: input.reason,
          },
        });

        // The old budget is ended before the new one is written: the database allows one open budget per person.
        if (previous) {
          const ended = await endBudget(trx, previous.id, {
            end_date: addDays(input.startDate, -1),
            end_reason: 'Replaced by a new personal budget',
          });
          await recordEvent(trx, actor, {
            action: 'budget_ended',
            entityType: 'personal_budget',
            entityId: previous.id,
            personId: person.id,
            before: previous,
            after: ended,
          });
          const previousPlan = await findPlan(trx, previous.plan_id, true);
          if (previousPlan?.status === 'approved') {
            await updatePlan(trx, previousPlan.id, previousPlan.version, { status: 'replaced' });
            await recordEvent(trx, actor, {
              action: 'plan_replaced',
              entityType: 'support_plan',
              entityId: previousPlan.id,
              personId: person.id,
              after: { replaced_by_plan_id: plan.id },
            });
          }
          for (const review of await cancelScheduledReviews(trx, previous.id, 'The personal budget was replaced')) {
            await recordEvent(trx, actor, {
              action: 'review_cancelled',
              entityType: 'review',
              entityId: review.id,
              personId: person.id,
              after: review,
            });
          }
        }

        const split = splitByManagementOption(plannedSplit(totals), input.approvedWeeklyPence);
        const budget = await insertBudget(trx, {
          person_id: person.id,
          plan_id: plan.id,
          assessment_id: plan.assessment_id,
          start_date: input.startDate,
          weekly_pence: input.approvedWeeklyPence,
          annual_pence: annualFromWeekly(input.approvedWeeklyPence),
          planned_weekly_pence: totals.personalBudgetWeeklyPence,
          // The other streams are not finance's to change, so the individual budget moves with the personal budget only.
          individual_budget_weekly_pence: totals.individualBudgetWeeklyPence - totals.personalBudgetWeeklyPence + input.approvedWeeklyPence,
          direct_payment_weekly_pence: split.direct_payment,
          council_managed_weekly_pence: split.council_managed,
          individual_service_fund_weekly_pence: split.individual_service_fund,
          prepaid_card_weekly_pence: split.prepaid_card,
          approval_reason: input.reason,
          approved_by: actor.id,
          approved_at: now,
        });
        await recordEvent(trx, actor, {
          action: 'budget_created',
          entityType: 'personal_budget',
          entityId: budget.id,
          personId: person.id,
          after: budget,
        });
        if (previous) await setReplacedBy(trx, previous.id, budget.id);

        const reviews: { kind: ReviewKind; due_date: string }[] = [{ kind: 'first', due_date: firstReviewDue(input.startDate) }];
        if (split.direct_payment > 0) reviews.push({ kind: 'direct_payment', due_date: directPaymentReviewDue(input.startDate) });
        for (const review of reviews) {
          const scheduled = await insertReview(trx, {
            person_id: person.id,
            budget_id: budget.id,
            plan_id: plan.id,
            kind: review.kind,
            due_date: review.due_date,
            assigned_to: person.allocatedWorkerId,
            reason: '',
            created_by: actor.id,
          });
          await recordEvent(trx, actor, {
            action: 'review_scheduled',
            entityType: 'review',
            entityId: scheduled.id,
            personId: person.id,
            after: scheduled,
          });
        }
        return { personId: person.id, alreadyDone: false };
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
        if (plan.status === 'returned' && plan.returned_by === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted') throw new ForbiddenError('This plan is not waiting for sign-off. Nothing was changed.');
        if (plan.panel_status === 'awaiting') {
          throw new ForbiddenError('This plan is waiting for a team manager’s panel, who can return it. Nothing was changed.');
        }
        await returnToCareManager(trx, actor, plan, input.returnReason, 'plan_returned');
        return { personId: person.id, alreadyDone: false };
      });
    },

    /** A team manager's panel agrees a budget above the RAS ceiling; the plan then goes to finance. */
    async panelApprove(actor: Actor, planId: number, input: PanelApproveInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'team_manager')
          throw new ForbiddenError('Only a team manager of the person’s team can agree a budget at panel. Nothing was changed.');
        if (plan.panel_status === 'approved' && plan.panel_decided_by === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        await refuseAuthors(trx, actor, plan, 'agree');
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted' || plan.panel_status !== 'awaiting')
          throw new ForbiddenError('This plan is not waiting for panel. Nothing was changed.');
        const after = await updatePlan(trx, plan.id, input.version, {
          panel_status: 'approved',
          panel_decided_by: actor.id,
          panel_decided_at: clock.now(),
          panel_note: input.panelNote,
        });
        if (!after) throw new StaleVersionError('support plan', plan);
        await recordEvent(trx, actor, {
          action: 'plan_panel_approved',
          entityType: 'support_plan',
          entityId: plan.id,
          personId: person.id,
          after: { panel_note: input.panelNote },
        });
        return { personId: person.id, alreadyDone: false };
      });
    },

    async panelReturn(actor: Actor, planId: number, input: ReturnInput): Promise<DecisionOutcome> {
      return db.transaction(async (trx) => {
        const { plan, person } = await lockForDecision(trx, actor, planId);
        if (actor.role !== 'team_manager')
          throw new ForbiddenError('Only a team manager of the person’s team can return a plan from panel. Nothing was changed.');
        if (plan.status === 'returned' && plan.returned_by === actor.id && plan.version === input.version + 1) {
          return { personId: person.id, alreadyDone: true };
        }
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        if (plan.status !== 'submitted' || plan.panel_status !== 'awaiting')
          throw new ForbiddenError('This plan is not waiting for panel. Nothing was changed.');
        await returnToCareManager(trx, actor, plan, input.returnReason, 'plan_panel_returned');
        return { personId: person.id, alreadyDone: false };
      });
    },

    async financialAssessmentPage(user: SignedInUser, personId: number) {
      const person = await people.visiblePerson(user, personId);
      if (user.role !== 'finance_officer')
        throw new ForbiddenError('Only finance officers record financial assessments. Nothing was changed.');
      const history = await financialAssessmentsOfPerson(db, personId);
      return { person, history: history.map((row) => ({ ...row, capitalAboveUpperLimit: capitalIsAboveUpperLimit(row.capital_pence) })) };
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
        const row = {
          person_id: personId,
          effective_from: input.effectiveFrom,
          weekly_income_pence: input.weeklyIncome,
          weekly_allowances_pence: input.weeklyAllowances,
          capital_pence: input.capital,
          tariff_income_pence: charge.tariffIncomePence,
          // The decision in force: an officer's adjusted amount replaces the full-cost rule too.
          pays_full_cost: charge.paysFullCost && input.adjustedContributionPence === null,
          // Above the upper capital limit no weekly figure is calculated: 0 is kept and the capital shows why.
          calculated_weekly_contribution_pence: charge.paysFullCost ? 0 : charge.weeklyContributionPence,
          weekly_contribution_pence: input.adjustedContributionPence ?? (charge.paysFullCost ? 0 : charge.weeklyContributionPence),
          adjustment_reason: input.adjustmentReason,
          recorded_by: actor.id,
        };
        if (latest && latest.id !== input.latestSeenId) {
          const repeat =
            latest.recorded_by === actor.id && (Object.keys(row) as (keyof typeof row)[]).every((key) => latest[key] === row[key]);
          if (repeat) return { alreadyDone: true };
          throw new StaleVersionError('financial assessment', latest);
        }
        const recorded = await insertFinancialAssessment(trx, row);
        await recordEvent(trx, actor, {
          action: 'financial_assessment_recorded',
          entityType: 'financial_assessment',
          entityId: recorded.id,
          personId,
          after: recorded,
        });
        return { alreadyDone: false };
      });
    },

    /** The person page's personal budget section: the budget, the three Care Act figures, reviews and history. */
    async personSection(user: SignedInUser, person: Person): Promise<PersonPageSection | null> {
      const today = londonToday(clock);
      const [budgets, assessments, inForce, nextReview] = await Promise.all([
        budgetsOfPerson(db, person.id),
        financialAssessmentsOfPerson(db, person.id),
        financialAssessmentInForce(db, person.id, today),
        nextScheduledReview(db, person.id),
      ]);
      const canRecord = user.role === 'finance_officer';
      if (budgets.length === 0 && assessments.length === 0 && !canRecord) return null;
      const current =
        budgets.find((budget) => budget.start_date <= today && (budget.end_date === null || budget.end_date >= today)) ??
        budgets.find((budget) => budget.start_date > today && budget.end_date === null) ??
        null;
      const costPence = current?.weekly_pence ?? null;
      const personPays = costPence !== null && inForce ? personPaysPence(costPence, contributionOf(inForce)) : null;
      return {
        partial: 'finance/_person-section',
        model: {
          finance: {
            personId: person.id,
            today,
            current,
            currentSplit: current ? splitOf(current) : null,
            startsLater: current !== null && current.start_date > today,
            figures:
              costPence === null ? null : { costPence, personPays, councilPays: personPays === null ? null : costPence - personPays },
            inForce: inForce ?? null,
            latestAssessment: assessments[0] ?? null,
            budgets,
            nextReview: nextReview ?? null,
            canRecord,
          },
        },
      };
    },
  };
}

export type FinanceService = ReturnType<typeof financeService>;
