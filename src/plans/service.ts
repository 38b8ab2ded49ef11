import type { Knex } from 'knex';
import { eligibilityOutcomes } from '../assessments/eligibility.js';
import { insertAuditEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { canEditPerson, canSeePerson, type PeopleService } from '../people/service.js';
import {
  budgetOfPlan,
  councilSettings,
  currentAssessmentForPlanning,
  deleteItem,
  deleteOutcome,
  deleteRisk,
  findOpenPlanForPerson,
  findPlan,
  findPlanWithParts,
  insertItem,
  insertOutcome,
  insertPlan,
  insertRisk,
  itemsServingOutcome,
  plansOfPerson,
  reviewContextOf,
  updateItem,
  updateOutcome,
  updatePlan,
  type PlanItemRow,
  type PlanWithParts,
  type SupportPlanRow,
} from './repo.js';
import { isAboveCeiling, isAboveIndicative, lowersBudgetAfterReview, needsPanel, submissionProblems } from './rules.js';
import type { DetailsInput, ItemInput } from './schemas.js';
import { planTotals, unitCostWeeklyPence } from './totals.js';

const EDITABLE: SupportPlanRow['status'][] = ['draft', 'returned'];

function totalsOf(items: readonly PlanItemRow[]) {
  return planTotals(
    items.map((item) => ({ fundingStream: item.funding_stream, managementOption: item.management_option, weeklyPence: item.weekly_pence })),
  );
}

/** Thrown when a plan's submission rules are not met; the plan page lists each problem. */
export class PlanNotReadyError extends Error {
  constructor(readonly problems: { text: string; href: string }[]) {
    super('The plan is not ready to submit');
  }
}

export function plansService(db: Knex, people: PeopleService, clock: Clock) {
  async function visiblePlan(user: SignedInUser, planId: number): Promise<{ plan: PlanWithParts; person: Person }> {
    const plan = await findPlanWithParts(db, planId);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await people.visiblePerson(user, plan.person_id);
    return { plan, person };
  }

  /**
   * Every change to a plan goes through here: the plan row is locked, the user must be allowed
   * to edit this person, the plan must still be editable at the version they saw, and one audit
   * event is written in the same transaction as the change.
   */
  async function changePlan<T>(
    actor: Actor,
    planId: number,
    expectedVersion: number,
    what: string,
    change: (trx: Knex.Transaction, plan: SupportPlanRow) => Promise<{ changes?: Partial<SupportPlanRow>; detail?: unknown; result?: T }>,
  ): Promise<T | undefined> {
    return db.transaction(async (trx) => {
      const plan = await findPlan(trx, planId, true);
      if (!plan) throw new NotFoundError('Support plan');
      const person = await people.visiblePerson(actor, plan.person_id, trx);
      if (!canEditPerson(actor, person)) throw new ForbiddenError('Only the person’s team can change their support plan');
      if (!EDITABLE.includes(plan.status) || plan.version !== expectedVersion) throw new StaleVersionError('support plan', plan);
      const { changes = {}, detail, result } = await change(trx, plan);
      const updated = await updatePlan(trx, planId, expectedVersion, changes);
      if (!updated) throw new StaleVersionError('support plan', plan);
      await insertAuditEvent(trx, {
        userId: actor.id,
        requestId: actor.requestId,
        action: what === 'submitted' ? 'plan_submitted' : 'plan_changed',
        entityType: 'support_plan',
        entityId: planId,
        personId: plan.person_id,
        after: { change: what, ...(detail && typeof detail === 'object' ? detail : {}) },
      });
      return result;
    });
  }

  return {
    visiblePlan,

    /** The person page's support plan section: current plan, history, and whether a plan can start. */
    async personSection(user: SignedInUser, person: Person): Promise<PersonPageSection> {
      const [plans, assessment] = await Promise.all([plansOfPerson(db, person.id), currentAssessmentForPlanning(db, person.id)]);
      const open = plans.find((plan) => ['draft', 'submitted', 'returned'].includes(plan.status));
      const assessmentAllowsPlan = Boolean(assessment && assessment.eligible !== false);
      return {
        partial: 'plans/_person-plans',
        model: {
          person,
          plans,
          canStart: canEditPerson(user, person) && !open && assessmentAllowsPlan,
          whyNot: !assessment
            ? 'A support plan starts from a submitted assessment.'
            : assessment.eligible === false
              ? 'The current assessment found no eligible needs, so there is no personal budget to plan.'
              : null,
        },
      };
    },

    async startPlan(actor: Actor, personId: number): Promise<number> {
      return db.transaction(async (trx) => {
        const person = await people.visiblePerson(actor, personId, trx);
        if (!canEditPerson(actor, person)) throw new ForbiddenError('Only the person’s team can start a support plan');
        // Serialises plan starts for one person, so a double-click makes one plan.
        await trx('people').where({ id: personId }).forUpdate().first('id');
        const open = await findOpenPlanForPerson(trx, personId);
        if (open) return open.id;
        const assessment = await currentAssessmentForPlanning(trx, personId);
        if (!assessment) throw new RuleError('A support plan starts from a submitted assessment');
        if (assessment.eligible === false) throw new RuleError('The current assessment found no eligible needs');
        const unmet = eligibilityOutcomes.filter((outcome) => assessment.eligibility.outcomes?.[outcome.key]?.achieved === false);
        const plan = await insertPlan(trx, {
          person_id: personId,
          assessment_id: assessment.id,
          indicative_annual_pence: assessment.annual_pence,
          indicative_weekly_pence: assessment.weekly_pence,
          ceiling_pence: assessment.ceiling_pence,
          eligible_needs: unmet.map((outcome) => outcome.label).join('\n'),
          created_by: actor.id,
        });
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'plan_started',
          entityType: 'support_plan',
          entityId: plan.id,
          personId,
          after: { assessment_id: assessment.id, indicative_annual_pence: assessment.annual_pence },
        });
        return plan.id;
      });
    },

    async planPage(user: SignedInUser, planId: number) {
      const { plan, person } = await visiblePlan(user, planId);
      const totals = totalsOf(plan.items);
      const [settings, review, signedOff] = await Promise.all([councilSettings(db), reviewContextOf(db, plan), budgetOfPlan(db, plan.id)]);
      return {
        plan,
        person,
        signedOff,
        totals,
        problems: submissionProblems(plan, totals, review),
        // Reviews (issue 5): the details form asks what changed in the person's needs only when it is needed, or was answered.
        asksNeedsChanged: lowersBudgetAfterReview(review, totals) || plan.needs_changed.trim() !== '',
        currentBudgetWeeklyPence: review.currentBudgetWeeklyPence,
        aboveIndicative: isAboveIndicative(plan, totals),
        aboveCeiling: isAboveCeiling(plan, totals),
        needsPanel: needsPanel(plan, totals, settings),
        canEdit: canEditPerson(user, person) && EDITABLE.includes(plan.status),
        canSee: canSeePerson(user, person),
      };
    },

    addOutcome: (actor: Actor, planId: number, version: number, input: { description: string; eligibilityOutcomes: string[] }) =>
      changePlan(actor, planId, version, 'outcome added', async (trx) => {
        await insertOutcome(trx, { plan_id: planId, description: input.description, eligibility_outcomes: input.eligibilityOutcomes });
        return { detail: { description: input.description } };
      }),

    changeOutcome: (
      actor: Actor,
      planId: number,
      outcomeId: number,
      version: number,
      input: { description: string; eligibilityOutcomes: string[] },
    ) =>
      changePlan(actor, planId, version, 'outcome changed', async (trx) => {
        const changed = await updateOutcome(trx, planId, outcomeId, {
          description: input.description,
          eligibility_outcomes: input.eligibilityOutcomes,
        });
        if (changed === 0) throw new NotFoundError('Outcome');
        return { detail: { outcome_id: outcomeId, description: input.description } };
      }),

    removeOutcome: (actor: Actor, planId: number, outcomeId: number, version: number) =>
      changePlan(actor, planId, version, 'outcome removed', async (trx) => {
        if ((await itemsServingOutcome(trx, outcomeId)) > 0) {
          throw new RuleError('Remove or move the support items for this outcome first');
        }
        if ((await deleteOutcome(trx, planId, outcomeId)) === 0) throw new NotFoundError('Outcome');
        return { detail: { outcome_id: outcomeId } };
      }),

    addItem: (actor: Actor, planId: number, version: number, input: ItemInput) =>
      changePlan(actor, planId, version, 'support item added', async (trx) => {
        const item = await itemColumns(trx, planId, input);
        await insertItem(trx, { plan_id: planId, ...item });
        return { detail: item };
      }),

    changeItem: (actor: Actor, planId: number, itemId: number, version: number, input: ItemInput) =>
      changePlan(actor, planId, version, 'support item changed', async (trx) => {
        const item = await itemColumns(trx, planId, input);
        if ((await updateItem(trx, planId, itemId, item)) === 0) throw new NotFoundError('Support item');
        return { detail: { item_id: itemId, ...item } };
      }),

    removeItem: (actor: Actor, planId: number, itemId: number, version: number) =>
      changePlan(actor, planId, version, 'support item removed', async (trx) => {
        if ((await deleteItem(trx, planId, itemId)) === 0) throw new NotFoundError('Support item');
        return { detail: { item_id: itemId } };
      }),

    addRisk: (actor: Actor, planId: number, version: number, input: { risk: string; howManaged: string }) =>
      changePlan(actor, planId, version, 'risk added', async (trx) => {
        await insertRisk(trx, { plan_id: planId, risk: input.risk, how_managed: input.howManaged });
        return { detail: { risk: input.risk } };
      }),

    removeRisk: (actor: Actor, planId: number, riskId: number, version: number) =>
      changePlan(actor, planId, version, 'risk removed', async (trx) => {
        if ((await deleteRisk(trx, planId, riskId)) === 0) throw new NotFoundError('Risk');
        return { detail: { risk_id: riskId } };
      }),

    // needsChanged is optional for callers (seeds) that predate it; when left out it is not changed.
    changeDetails: (actor: Actor, planId: number, input: Omit<DetailsInput, 'needsChanged'> & { needsChanged?: string }) =>
      changePlan(actor, planId, input.version, 'plan details changed', async () => {
        const changes = {
          people_involved: input.peopleInvolved,
          contact_arrangements: input.contactArrangements,
          eligible_needs: input.eligibleNeeds,
          needs_council_will_meet: input.needsCouncilWillMeet,
          wellbeing: input.wellbeing,
          prevention_advice: input.preventionAdvice,
          direct_payment_needs: input.directPaymentNeeds,
          direct_payment_frequency: input.directPaymentFrequency,
          direct_payment_basis: input.directPaymentBasis,
          over_indicative_reason: input.overIndicativeReason,
          ...(input.needsChanged === undefined ? {} : { needs_changed: input.needsChanged }),
        };
        return { changes, detail: changes };
      }),

    /** Submitting sends the plan to finance, or first to a team manager's panel when the rules say so. */
    submit: (actor: Actor, planId: number, version: number) =>
      changePlan(actor, planId, version, 'submitted', async (trx) => {
        const plan = (await findPlanWithParts(trx, planId)) as PlanWithParts;
        const totals = totalsOf(plan.items);
        const problems = submissionProblems(plan, totals, await reviewContextOf(trx, plan));
        if (problems.length > 0) throw new PlanNotReadyError(problems);
        const panel = needsPanel(plan, totals, await councilSettings(trx));
        return {
          changes: {
            status: 'submitted',
            submitted_by: actor.id,
            submitted_at: clock.now(),
            panel_status: panel ? 'awaiting' : 'not_needed',
            panel_decided_by: null,
            panel_decided_at: null,
            panel_note: '',
          },
          detail: { personal_budget_weekly_pence: totals.personalBudgetWeeklyPence, panel: panel ? 'awaiting' : 'not_needed' },
        };
      }),
  };

  async function itemColumns(trx: Knex.Transaction, planId: number, input: ItemInput) {
    const outcome = await trx('plan_outcomes').where({ plan_id: planId, id: input.outcomeId }).first('id');
    if (!outcome) throw new RuleError('Select the outcome this support is for', 'outcomeId');
    const weeklyPence =
      input.costType === 'weekly'
        ? (input.weeklyPence as number)
        : unitCostWeeklyPence(input.unitCostPence as number, input.unitsPerWeekHundredths as number);
    return {
      outcome_id: input.outcomeId,
      description: input.description,
      provider: input.provider,
      funding_stream: input.fundingStream,
      management_option: input.managementOption,
      cost_type: input.costType,
      unit_cost_pence: input.unitCostPence,
      units_per_week_hundredths: input.unitsPerWeekHundredths,
      weekly_pence: weeklyPence,
    };
  }
}

export type PlansService = ReturnType<typeof plansService>;
