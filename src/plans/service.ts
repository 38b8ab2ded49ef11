import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { eligibilityOutcomes } from '../assessments/eligibility.js';
import type { Assessment } from '../assessments/repo.js';
import { recordEvent } from '../audit/repo.js';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import type { Person } from '../people/repo.js';
import { canEditPerson, canSeePerson, type PeopleService } from '../people/service.js';
import {
  careActContents,
  copyPlanParts,
  currentAssessmentForPlanning,
  deleteItem,
  deleteOutcome,
  deleteRisk,
  findPlanPartRow,
  findOpenPlanForPerson,
  findPlan,
  findPlanWithParts,
  plansOfPerson,
  insertItem,
  insertOutcome,
  insertPlan,
  insertRisk,
  itemRecord,
  itemsServingOutcome,
  openPlansFromOtherAssessments,
  outcomeBelongsToPlan,
  planRecord,
  planStopOf,
  reviewContextOf,
  updateItem,
  updateOutcome,
  updatePlan,
  type OutcomeDetails,
  type PlanItemDetails,
  type PlanStatus,
  type PlanWithParts,
  type SupportPlan,
  type AssessmentForPlanning,
} from './repo.js';
import {
  isAboveCeiling,
  isAboveIndicative,
  lowersBudgetAfterReview,
  needsPanel,
  panelReasons,
  plannedAmount,
  submissionProblems,
  type PlanProblem,
} from './rules.js';
import type { DetailsInput, DetailsRequirements, ItemInput, WithdrawInput } from './schemas.js';
import { councilSettings } from '../settings/repo.js';
import { signedOffBudgetOfPlan } from '../finance/repo.js';
import { userDisplayName } from '../people/repo.js';
import { findTeamContact } from '../admin/repo.js';
import { planTotals, unitCostWeeklyPence } from './totals.js';

const EDITABLE: PlanStatus[] = ['draft', 'returned'];
const OPEN: PlanStatus[] = ['draft', 'submitted', 'returned'];

const isOpenPlan = (plan: Pick<SupportPlan, 'status'>) => OPEN.includes(plan.status);

/** Thrown when a plan's submission rules are not met: every problem, each about a part of the plan. */
export class PlanNotReadyError extends Error {
  constructor(readonly problems: PlanProblem[]) {
    super(`The plan is not ready to submit: ${problems.map((problem) => problem.text).join('; ')}`);
  }
}

/** Why a plan cannot start from the person's assessment, when it cannot. */
export type PlanStartBlock = 'no_assessment' | 'not_eligible';

/** A decision on a submitted plan, taken by finance or a team manager's panel. */
export type PlanDecision =
  | { kind: 'approved'; at: Date; detail: Record<string, unknown> }
  | { kind: 'returned'; by: 'finance' | 'panel'; reason: string; at: Date }
  | { kind: 'agreed_at_panel'; note: string; agreedWeeklyPence: number; at: Date };

/**
 * Writes a sign-off or panel decision onto the plan, in the transaction of the decision, with its
 * audit event; the deciding area checks who may decide and when. A return takes any panel
 * agreement with it: a plan still over the ceiling when resubmitted goes to panel again.
 */
export async function recordPlanDecision(trx: Knex.Transaction, actor: Actor, plan: SupportPlan, decision: PlanDecision): Promise<void> {
  const event = { entityType: 'support_plan', entityId: plan.id, personId: plan.personId } as const;
  if (decision.kind === 'approved') {
    const approved = await updatePlan(trx, plan.id, plan.version, { status: 'approved', approvedBy: actor.id, approvedAt: decision.at });
    if (!approved) throw new StaleVersionError('support plan', plan);
    await recordEvent(trx, actor, {
      ...event,
      action: 'plan_approved',
      before: { status: plan.status },
      after: { status: 'approved', ...decision.detail },
    });
    return;
  }
  if (decision.kind === 'agreed_at_panel') {
    const agreed = await updatePlan(trx, plan.id, plan.version, {
      panelStatus: 'approved',
      panelDecidedBy: actor.id,
      panelDecidedAt: decision.at,
      panelNote: decision.note,
      panelAgreedWeeklyPence: decision.agreedWeeklyPence,
    });
    if (!agreed) throw new StaleVersionError('support plan', plan);
    await recordEvent(trx, actor, {
      ...event,
      action: 'plan_panel_approved',
      before: { panel_status: plan.panelStatus, panel_note: plan.panelNote, panel_agreed_weekly_pence: plan.panelAgreedWeeklyPence },
      after: { panel_status: 'approved', panel_note: decision.note, panel_agreed_weekly_pence: decision.agreedWeeklyPence },
    });
    return;
  }
  const returned = await updatePlan(trx, plan.id, plan.version, {
    status: 'returned',
    returnReason: decision.reason,
    returnedBy: actor.id,
    returnedAt: decision.at,
    panelStatus: 'not_needed',
    panelDecidedBy: null,
    panelDecidedAt: null,
    panelNote: '',
    panelAgreedWeeklyPence: null,
  });
  if (!returned) throw new StaleVersionError('support plan', plan);
  await recordEvent(trx, actor, {
    ...event,
    action: decision.by === 'panel' ? 'plan_panel_returned' : 'plan_returned',
    before: {
      status: plan.status,
      return_reason: plan.returnReason,
      panel_status: plan.panelStatus,
      panel_decided_by: plan.panelDecidedBy,
      panel_note: plan.panelNote,
      panel_agreed_weekly_pence: plan.panelAgreedWeeklyPence,
    },
    after: { status: 'returned', return_reason: decision.reason },
  });
}

/** The approved plan of a budget that a new budget replaces. */
export async function markPlanReplaced(trx: Knex.Transaction, actor: Actor, planId: number, replacedByPlanId: number): Promise<void> {
  const plan = await findPlan(trx, planId, true);
  if (plan?.status !== 'approved') return;
  await updatePlan(trx, plan.id, plan.version, { status: 'replaced' });
  await recordEvent(trx, actor, {
    action: 'plan_replaced',
    entityType: 'support_plan',
    entityId: plan.id,
    personId: plan.personId,
    before: { status: plan.status },
    after: { status: 'replaced', replaced_by_plan_id: replacedByPlanId },
  });
}

/**
 * A review decided the plan must change: a new draft starts from everything the current plan
 * records. 'plan_started' also makes the worker an author, so they cannot sign off the new budget.
 */
export async function startPlanFromReview(trx: Knex.Transaction, actor: Actor, plan: PlanWithParts, reviewId: number): Promise<number> {
  const draft = await insertPlan(trx, {
    personId: plan.personId,
    assessmentId: plan.assessmentId,
    indicativeAnnualPence: plan.indicativeAnnualPence,
    indicativeWeeklyPence: plan.indicativeWeeklyPence,
    ceilingPence: plan.ceilingPence,
    ...careActContents(plan),
    directPaymentFrequency: plan.directPaymentFrequency,
    directPaymentBasis: plan.directPaymentBasis,
    overIndicativeReason: plan.overIndicativeReason,
    fromReviewId: reviewId,
    createdBy: actor.id,
  });
  await copyPlanParts(trx, plan.id, draft.id);
  await recordEvent(trx, actor, {
    action: 'plan_started',
    entityType: 'support_plan',
    entityId: draft.id,
    personId: plan.personId,
    after: { from_review_id: reviewId, copied_from_plan_id: plan.id },
  });
  return draft.id;
}

/**
 * A newer assessment supersedes plans started from an older one (DOMAIN, "Money rules at
 * sign-off"): when it is submitted, in its transaction, each of the person's draft, returned or
 * submitted plans from another assessment of the same kind is superseded, so it can no longer be
 * submitted or approved and a new plan can start from the newer assessment.
 */
export async function supersedePlansFromOlderAssessments(
  trx: Knex.Transaction,
  actor: Actor,
  newer: Pick<Assessment, 'id' | 'personId' | 'type'>,
  at: Date,
): Promise<void> {
  for (const plan of await openPlansFromOtherAssessments(trx, newer)) {
    const superseded = await updatePlan(trx, plan.id, plan.version, {
      status: 'superseded',
      supersededByAssessmentId: newer.id,
      supersededAt: at,
    });
    if (!superseded) throw new StaleVersionError('support plan', plan);
    await recordEvent(trx, actor, {
      action: 'plan_superseded',
      entityType: 'support_plan',
      entityId: plan.id,
      personId: plan.personId,
      before: { status: plan.status, assessment_id: plan.assessmentId },
      after: { status: 'superseded', superseded_by_assessment_id: newer.id },
    });
  }
}

/** The plan's values that a change replaces, for the audit trail: only the fields whose value differs. */
function valuesReplaced(plan: SupportPlan, changes: Partial<SupportPlan>): Partial<SupportPlan> {
  const fields = Object.keys(changes) as (keyof SupportPlan)[];
  // A field left undefined is one the change does not touch (updatePlan skips it too).
  const replaced = fields.filter((field) => changes[field] !== undefined && !isDeepStrictEqual(plan[field], changes[field]));
  return Object.fromEntries(replaced.map((field) => [field, plan[field]]));
}

/** An addition replaces nothing: no `before` rather than an empty one. */
const orNothing = (record: object) => (Object.keys(record).length > 0 ? record : undefined);

/** Why a withdrawn or superseded plan can go no further; nothing for any other. */
function whyStopped(plan: Pick<SupportPlan, 'status'>): string | null {
  if (plan.status === 'withdrawn') return 'This plan was withdrawn, so it can no longer be changed or submitted';
  if (plan.status === 'superseded') {
    return 'This plan was superseded by a newer assessment, so it can no longer be changed or submitted. Start a new plan from the newer assessment';
  }
  return null;
}

/** Why a plan cannot be withdrawn now, in the words the page shows. */
function whyNotWithdrawable(plan: Pick<SupportPlan, 'status'>): string | null {
  if (EDITABLE.includes(plan.status)) return null;
  if (plan.status === 'submitted') {
    return 'This plan has been submitted for sign-off, so it cannot be withdrawn. Ask finance to return it first, then withdraw it';
  }
  return 'Only a draft or returned plan can be withdrawn, and this one is neither';
}

export function plansService(db: Knex, people: PeopleService, clock: Clock) {
  async function visiblePlan(user: SignedInUser, planId: number): Promise<{ plan: PlanWithParts; person: Person }> {
    const plan = await findPlanWithParts(db, planId);
    if (!plan) throw new NotFoundError('Support plan');
    const person = await people.visiblePerson(user, plan.personId);
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
    change: (
      trx: Knex.Transaction,
      plan: SupportPlan,
    ) => Promise<{ changes?: Partial<SupportPlan>; detail?: object; before?: object; result?: T }>,
  ): Promise<T | undefined> {
    return db.transaction(async (trx) => {
      const plan = await findPlan(trx, planId, true);
      if (!plan) throw new NotFoundError('Support plan');
      const person = await people.visiblePerson(actor, plan.personId, trx);
      if (!canEditPerson(actor, person)) throw new ForbiddenError('Only the person’s team can change their support plan');
      // A stopped plan says why, rather than looking as if someone else had just changed it.
      const stopped = whyStopped(plan);
      if (stopped) throw new RuleError(stopped);
      if (!EDITABLE.includes(plan.status) || plan.version !== expectedVersion) throw new StaleVersionError('support plan', plan);
      const { changes = {}, detail, before, result } = await change(trx, plan);
      const updated = await updatePlan(trx, planId, expectedVersion, changes);
      if (!updated) throw new StaleVersionError('support plan', plan);
      await recordEvent(trx, actor, {
        action: what === 'submitted' ? 'plan_submitted' : 'plan_changed',
        entityType: 'support_plan',
        entityId: planId,
        personId: plan.personId,
        before: orNothing({ ...planRecord(valuesReplaced(plan, changes)), ...before }),
        after: { change: what, ...detail },
      });
      return result;
    });
  }

  /** Everything the plan page and the printable plan show, and what the reader may do with it. */
  async function pageOf(plan: PlanWithParts, person: Person, mayEdit: boolean, canSee: boolean) {
    const totals = planTotals(plan.items);
    const [settings, review, signedOff, stopped, team, workerName] = await Promise.all([
      councilSettings(db),
      reviewContextOf(db, plan),
      signedOffBudgetOfPlan(db, plan.id),
      planStopOf(db, plan),
      person.teamId === null ? undefined : findTeamContact(db, person.teamId),
      person.allocatedWorkerId === null ? null : userDisplayName(db, person.allocatedWorkerId),
    ]);
    return {
      plan,
      person,
      signedOff: signedOff ?? null,
      /** Who the person contacts about their plan. */
      contact: { workerName, teamName: team?.name ?? '', teamPhone: team?.phone ?? '', teamEmail: team?.email ?? '' },
      totals,
      problems: submissionProblems(plan, totals, review),
      // Reviews (issue 5): the details form asks what changed in the person's needs only when it is needed, or was answered.
      asksNeedsChanged: lowersBudgetAfterReview(review, totals) || plan.needsChanged.trim() !== '',
      currentBudgetWeeklyPence: review.currentBudgetWeeklyPence,
      aboveIndicative: isAboveIndicative(plan, totals),
      /** What the details form must have, by the rules submitting applies. */
      detailsRequire: {
        directPayment: totals.byManagementOption.direct_payment.weeklyPence > 0,
        overIndicativeReason: isAboveIndicative(plan, totals),
        needsChanged: lowersBudgetAfterReview(review, totals),
      } satisfies DetailsRequirements,
      aboveCeiling: isAboveCeiling(plan, totals),
      settings,
      /** Why the planned amount needs a panel, if it does. */
      panelReasons: panelReasons(plan, plannedAmount(totals), plannedAmount(totals), settings),
      stopped,
      canEdit: mayEdit && EDITABLE.includes(plan.status),
      /** Whether this user is in the person's team, who may withdraw the plan when its status allows and start a new one. */
      isPersonsTeam: mayEdit,
      whyNotWithdrawable: whyNotWithdrawable(plan),
      canSee,
    };
  }

  return {
    visiblePlan,

    /** The person page's support plan section: their plans, the newest first, and whether a new one can start. */
    /** The person page's section, from the person's plans and the assessment a new plan would start from. */
    personSection(user: SignedInUser, person: Person, plans: SupportPlan[], assessment: AssessmentForPlanning | undefined) {
      const startBlock: PlanStartBlock | null = !assessment ? 'no_assessment' : assessment.eligible === false ? 'not_eligible' : null;
      const hasOpenPlan = plans.some(isOpenPlan);
      return {
        person,
        plans,
        hasOpenPlan,
        canStart: canEditPerson(user, person) && !hasOpenPlan && startBlock === null,
        startBlock,
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
        const unmet = eligibilityOutcomes.filter((outcome) => assessment.unmetOutcomeKeys.includes(outcome.key));
        const plan = await insertPlan(trx, {
          personId,
          assessmentId: assessment.id,
          indicativeAnnualPence: assessment.annualPence,
          indicativeWeeklyPence: assessment.weeklyPence,
          ceilingPence: assessment.ceilingPence,
          eligibleNeeds: unmet.map((outcome) => outcome.label).join('\n'),
          createdBy: actor.id,
        });
        await recordEvent(trx, actor, {
          action: 'plan_started',
          entityType: 'support_plan',
          entityId: plan.id,
          personId,
          after: { assessment_id: assessment.id, indicative_annual_pence: assessment.annualPence },
        });
        return plan.id;
      });
    },

    /** The printable plan, a copy of the person's plan that leaves the screen: recorded in the audit trail. */
    async printablePlan(actor: Actor, planId: number) {
      const page = await this.planPage(actor, planId);
      await recordLookedAt(db, actor, {
        action: 'plan_printed',
        entityType: 'support_plan',
        entityId: planId,
        personId: page.plan.personId,
      });
      return page;
    },

    /** Everything the plan page and the printable plan show, and what this user may do with it. */
    async planPage(user: SignedInUser, planId: number) {
      const { plan, person } = await visiblePlan(user, planId);
      return pageOf(plan, person, canEditPerson(user, person), canSeePerson(user, person));
    },

    /**
     * The person's own plan once it is signed off, for their online space: found by the person's
     * id alone, never by one the person sends, so no one else's plan can be reached.
     */
    async signedOffPlanOfPerson(person: Person) {
      const approved = (await plansOfPerson(db, person.id)).find((plan) => plan.status === 'approved');
      const plan = approved && (await findPlanWithParts(db, approved.id));
      return plan ? pageOf(plan, person, false, false) : undefined;
    },

    addOutcome: (actor: Actor, planId: number, version: number, input: OutcomeDetails) =>
      changePlan(actor, planId, version, 'outcome added', async (trx) => {
        await insertOutcome(trx, planId, input);
        return { detail: { description: input.description } };
      }),

    changeOutcome: (actor: Actor, planId: number, outcomeId: number, version: number, input: OutcomeDetails) =>
      changePlan(actor, planId, version, 'outcome changed', async (trx) => {
        const before = await findPlanPartRow(trx, 'plan_outcomes', planId, outcomeId);
        if ((await updateOutcome(trx, planId, outcomeId, input)) === 0) throw new NotFoundError('Outcome');
        return { detail: { outcome_id: outcomeId, description: input.description }, before };
      }),

    removeOutcome: (actor: Actor, planId: number, outcomeId: number, version: number) =>
      changePlan(actor, planId, version, 'outcome removed', async (trx) => {
        if ((await itemsServingOutcome(trx, outcomeId)) > 0) {
          throw new RuleError('Remove or move the support items for this outcome first');
        }
        const before = await findPlanPartRow(trx, 'plan_outcomes', planId, outcomeId);
        if ((await deleteOutcome(trx, planId, outcomeId)) === 0) throw new NotFoundError('Outcome');
        return { detail: { outcome_id: outcomeId }, before };
      }),

    addItem: (actor: Actor, planId: number, version: number, input: ItemInput) =>
      changePlan(actor, planId, version, 'support item added', async (trx) => {
        const item = await itemDetails(trx, planId, input);
        await insertItem(trx, planId, item);
        return { detail: itemRecord(item) };
      }),

    changeItem: (actor: Actor, planId: number, itemId: number, version: number, input: ItemInput) =>
      changePlan(actor, planId, version, 'support item changed', async (trx) => {
        const item = await itemDetails(trx, planId, input);
        const before = await findPlanPartRow(trx, 'plan_items', planId, itemId);
        if ((await updateItem(trx, planId, itemId, item)) === 0) throw new NotFoundError('Support item');
        return { detail: { item_id: itemId, ...itemRecord(item) }, before };
      }),

    removeItem: (actor: Actor, planId: number, itemId: number, version: number) =>
      changePlan(actor, planId, version, 'support item removed', async (trx) => {
        const before = await findPlanPartRow(trx, 'plan_items', planId, itemId);
        if ((await deleteItem(trx, planId, itemId)) === 0) throw new NotFoundError('Support item');
        return { detail: { item_id: itemId }, before };
      }),

    addRisk: (actor: Actor, planId: number, version: number, input: { risk: string; howManaged: string }) =>
      changePlan(actor, planId, version, 'risk added', async (trx) => {
        await insertRisk(trx, planId, input);
        return { detail: { risk: input.risk } };
      }),

    removeRisk: (actor: Actor, planId: number, riskId: number, version: number) =>
      changePlan(actor, planId, version, 'risk removed', async (trx) => {
        const before = await findPlanPartRow(trx, 'plan_risks', planId, riskId);
        if ((await deleteRisk(trx, planId, riskId)) === 0) throw new NotFoundError('Risk');
        return { detail: { risk_id: riskId }, before };
      }),

    // needsChanged is optional for callers (seeds) that predate it; when left out it is not changed.
    changeDetails: (actor: Actor, planId: number, input: Omit<DetailsInput, 'needsChanged'> & { needsChanged?: string }) =>
      changePlan(actor, planId, input.version, 'plan details changed', async () => {
        const changes: Partial<SupportPlan> = {
          peopleInvolved: input.peopleInvolved,
          contactArrangements: input.contactArrangements,
          eligibleNeeds: input.eligibleNeeds,
          needsCouncilWillMeet: input.needsCouncilWillMeet,
          wellbeing: input.wellbeing,
          preventionAdvice: input.preventionAdvice,
          directPaymentNeeds: input.directPaymentNeeds,
          directPaymentFrequency: input.directPaymentFrequency,
          directPaymentBasis: input.directPaymentBasis,
          overIndicativeReason: input.overIndicativeReason,
          needsChanged: input.needsChanged,
        };
        return { changes, detail: planRecord(changes) };
      }),

    /**
     * The person's team withdraws a draft or returned plan, with a reason. A submitted plan is
     * finance's until they return it. A second press of the button, after the first withdrew
     * it, changes nothing.
     */
    async withdraw(actor: Actor, planId: number, input: WithdrawInput): Promise<{ personId: number }> {
      return db.transaction(async (trx) => {
        const plan = await findPlan(trx, planId, true);
        if (!plan) throw new NotFoundError('Support plan');
        const person = await people.visiblePerson(actor, plan.personId, trx);
        if (!canEditPerson(actor, person)) throw new ForbiddenError('Only the person’s team can withdraw their support plan');
        if (plan.status === 'withdrawn' && plan.withdrawnBy === actor.id && plan.version === input.version + 1)
          return { personId: person.id };
        const refusal = whyNotWithdrawable(plan);
        if (refusal) throw new RuleError(refusal);
        if (plan.version !== input.version) throw new StaleVersionError('support plan', plan);
        const withdrawn = await updatePlan(trx, planId, input.version, {
          status: 'withdrawn',
          withdrawnReason: input.reason,
          withdrawnBy: actor.id,
          withdrawnAt: clock.now(),
        });
        if (!withdrawn) throw new StaleVersionError('support plan', plan);
        await recordEvent(trx, actor, {
          action: 'plan_withdrawn',
          entityType: 'support_plan',
          entityId: planId,
          personId: plan.personId,
          before: { status: plan.status },
          after: { status: 'withdrawn', withdrawn_reason: input.reason },
        });
        return { personId: person.id };
      });
    },

    /** Submitting sends the plan to finance, or first to a team manager's panel when the rules say so. */
    submit: (actor: Actor, planId: number, version: number) =>
      changePlan(actor, planId, version, 'submitted', async (trx) => {
        const plan = (await findPlanWithParts(trx, planId)) as PlanWithParts;
        const totals = planTotals(plan.items);
        const problems = submissionProblems(plan, totals, await reviewContextOf(trx, plan));
        if (problems.length > 0) throw new PlanNotReadyError(problems);
        const panel = needsPanel(plan, totals, await councilSettings(trx));
        return {
          changes: {
            status: 'submitted',
            submittedBy: actor.id,
            submittedAt: clock.now(),
            panelStatus: panel ? 'awaiting' : 'not_needed',
            panelDecidedBy: null,
            panelDecidedAt: null,
            panelNote: '',
            panelAgreedWeeklyPence: null,
          },
          detail: {
            personal_budget_weekly_pence: totals.personalBudgetWeeklyPence,
            personal_budget_annual_pence: totals.personalBudgetAnnualPence,
            panel: panel ? 'awaiting' : 'not_needed',
          },
        };
      }),
  };

  /** The item as the plan keeps it: a unit cost is turned into its weekly cost here, so totals never work it out again. */
  async function itemDetails(trx: Knex.Transaction, planId: number, input: ItemInput): Promise<PlanItemDetails> {
    if (!(await outcomeBelongsToPlan(trx, planId, input.outcomeId)))
      throw new RuleError('Select the outcome this support is for', 'outcomeId');
    const { unitCostPence, unitsPerWeekHundredths } = input;
    const socialCare = input.fundingStream === 'social_care';
    if (socialCare && !input.managementOption) throw new RuleError('Select how this support is managed', 'managementOption');
    return {
      outcomeId: input.outcomeId,
      description: input.description,
      provider: input.provider,
      fundingStream: input.fundingStream,
      // Only social care money has a management option: the NHS or another funder arranges its own.
      managementOption: socialCare ? input.managementOption : null,
      costType: input.costType,
      unitCostPence,
      unitsPerWeekHundredths,
      weeklyPence:
        input.costType === 'unit' && unitCostPence !== null && unitsPerWeekHundredths !== null
          ? unitCostWeeklyPence(unitCostPence, unitsPerWeekHundredths)
          : input.weeklyPence,
      yearlyPence: input.yearlyPence ?? null,
      oneOffPence: input.oneOffPence ?? null,
    };
  }
}

export type PlansService = ReturnType<typeof plansService>;
export type PlanPage = Awaited<ReturnType<PlansService['planPage']>>;
export type PlanSection = Awaited<ReturnType<PlansService['personSection']>>;
