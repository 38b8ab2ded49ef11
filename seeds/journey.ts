import type { Knex } from 'knex';
import type { RecordedEligibility } from '../src/assessments/questionnaire.js';
import type { Actor, Role } from '../src/auth/roles.js';
import { londonToday, type Clock } from '../src/clock.js';
import { financialAssessmentSchema } from '../src/finance/schemas.js';
import type { PersonRow } from '../src/people/repo.js';
import type { ManagementOption } from '../src/plans/options.js';
import { itemSchema } from '../src/plans/schemas.js';
import { findRasVersionInForce, loadRasDefinition } from '../src/ras/repo.js';
import { penceForInput } from '../src/web/money-field.js';
import { createServices } from '../src/services.js';
import { answersForNeed, eligibilityFactsFor, noHelpOptionsOf, seededRandom, shiftDays } from './random.js';

type Staff = { careManager: Actor; teamManager: Actor | null; finance: Actor };

/** The demo clock: each step is taken "on" a day in the past, so waits and due dates look real. */
function movableClock(start: Date): Clock & { set: (iso: string) => void } {
  let current = start;
  return { now: () => new Date(current), set: (iso) => (current = new Date(`${iso}T10:00:00Z`)) };
}

export type JourneyStage =
  | 'draft_assessment'
  | 'assessed'
  | 'not_eligible'
  | 'draft_plan'
  | 'waiting_for_finance'
  | 'waiting_for_panel'
  | 'returned'
  | 'budget_review_overdue'
  | 'budget_review_due_soon'
  | 'budget_with_contribution';

/**
 * Takes demo people through the journey with the real services, so every record, audit event
 * and due date is what the app itself would have written.
 */
export async function seedJourneys(
  db: Knex,
  clock: Clock,
  people: { person: PersonRow; stage: JourneyStage; staff: Staff }[],
): Promise<void> {
  const today = londonToday(clock);
  const demoClock = movableClock(clock.now());
  const services = createServices(db, demoClock);
  const published = await findRasVersionInForce(db, londonToday(clock));
  const definition = published ? await loadRasDefinition(db, published.id) : undefined;
  if (!definition) throw new Error('seedJourneys needs a published RAS');
  const noHelp = noHelpOptionsOf(definition);
  const random = seededRandom(2026);

  for (const [index, { person, stage, staff }] of people.entries()) {
    const daysAgo = (days: number) => demoClock.set(shiftDays(today, -days));
    const startedDaysAgo =
      stage === 'budget_review_overdue'
        ? 120
        : stage === 'budget_review_due_soon'
          ? 60
          : stage === 'budget_with_contribution'
            ? 40
            : 20 + index * 3;
    daysAgo(startedDaysAgo);
    const { assessment } = await services.assessments.start(staff.careManager, person.id);
    if (person.client_group === 'carer') continue;
    const heavy = stage === 'waiting_for_panel';
    const need = stage === 'not_eligible' ? 0.05 : heavy ? 0.97 : 0.35 + random() * 0.3;
    const answers = answersForNeed(definition, random, need, { withAdjustments: true });
    const found = eligibilityFactsFor(answers, noHelp);
    const facts: RecordedEligibility = {
      arisesFromImpairment: found.arisesFromImpairment,
      significantImpactOnWellbeing: stage !== 'not_eligible',
      outcomes: Object.fromEntries(
        Object.entries(found.outcomes).map(([key, finding]) => [
          key,
          finding.achieved ? { achieved: true, reasons: [] } : { achieved: false, reasons: finding.reasons },
        ]),
      ),
    };
    let version = assessment.version;
    const save = async (work: () => Promise<unknown>) => {
      await work();
      version = ((await db('assessments').where({ id: assessment.id }).first('version')) as { version: number }).version;
    };
    await save(() => services.assessments.saveEligibility(staff.careManager, assessment.id, facts, version));
    for (const domain of definition.domains) {
      const posted = Object.fromEntries(domain.questions.map((question) => [question.key, answers[question.key] ?? '']));
      await save(() =>
        services.assessments.saveQuestions(staff.careManager, assessment.id, { kind: 'domain', key: domain.key }, posted, version),
      );
      // A draft stops part-way, as if the visit ran out of time.
      if (stage === 'draft_assessment' && domain.key === definition.domains[4]?.key) break;
    }
    if (stage === 'draft_assessment') continue;
    const adjustments = Object.fromEntries(definition.adjustments.map((adjustment) => [adjustment.key, answers[adjustment.key] ?? '']));
    await save(() => services.assessments.saveQuestions(staff.careManager, assessment.id, { kind: 'adjustments' }, adjustments, version));
    daysAgo(startedDaysAgo - 2);
    const submitted = await services.assessments.submit(staff.careManager, assessment.id, version);
    if (stage === 'assessed' || stage === 'not_eligible') continue;

    daysAgo(startedDaysAgo - 5);
    const planId = await services.plans.startPlan(staff.careManager, person.id);
    const planVersion = async () => ((await db('support_plans').where({ id: planId }).first('version')) as { version: number }).version;
    await services.plans.addOutcome(staff.careManager, planId, await planVersion(), {
      description: 'I want to stay in my own home, get up and dressed each morning and get out to see friends.',
      eligibilityOutcomes: ['personal_hygiene', 'clothing', 'relationships'],
    });
    const outcomeId = ((await db('plan_outcomes').where({ plan_id: planId }).first('id')) as { id: number }).id;
    const weekly = submitted.weeklyPence ?? 0;
    const items: { description: string; share: number; option: ManagementOption; provider: string }[] = [
      {
        description: 'Personal assistant for help in the mornings',
        share: 0.6,
        option: index % 2 === 0 ? 'direct_payment' : 'council_managed',
        provider: 'Employed by the person',
      },
      {
        description: 'Day opportunities twice a week',
        share: heavy ? 0.5 : 0.35,
        option: 'individual_service_fund',
        provider: 'Brightside Day Services',
      },
    ];
    for (const item of items) {
      const input = itemSchema.parse({
        description: item.description,
        provider: item.provider,
        outcomeId: String(outcomeId),
        fundingStream: 'social_care',
        managementOption: item.option,
        costType: 'weekly',
        weeklyAmount: penceForInput(Math.max(1000, Math.round(weekly * item.share))),
        version: String(await planVersion()),
      });
      await services.plans.addItem(staff.careManager, planId, input.version, input);
    }
    await services.plans.changeDetails(staff.careManager, planId, {
      peopleInvolved: `${person.given_name}, their daughter, and their care manager`,
      contactArrangements: 'By phone in the morning; letters to the home address',
      eligibleNeeds: 'Personal care, getting dressed, keeping in touch with family and friends',
      needsCouncilWillMeet: 'All of them, through a personal assistant and day opportunities',
      wellbeing: 'Personal dignity, control over day-to-day life, social wellbeing',
      preventionAdvice: 'Falls prevention advice and a referral to the community occupational therapist',
      directPaymentNeeds: 'Help to get up, washed and dressed',
      directPaymentFrequency: 'four_weekly',
      directPaymentBasis: 'net',
      overIndicativeReason: 'Two carers are needed for transfers after a fall in hospital',
      version: await planVersion(),
    });
    if (stage === 'draft_plan') continue;
    daysAgo(startedDaysAgo - 8);
    await services.plans.submit(staff.careManager, planId, await planVersion());
    if (stage === 'waiting_for_finance' || stage === 'waiting_for_panel') continue;
    if (stage === 'returned') {
      await services.finance.returnPlan(staff.finance, planId, {
        returnReason: 'Please check the day service cost with the provider: their 2026 price is £52 a day.',
        version: await planVersion(),
      });
      continue;
    }
    daysAgo(startedDaysAgo - 10);
    const plannedWeekly = ((await db('plan_items').where({ plan_id: planId }).sum({ total: 'weekly_pence' })) as [{ total: number }])[0]
      .total;
    await services.finance.approve(staff.finance, planId, {
      startDate: shiftDays(today, -(startedDaysAgo - 12)),
      approvedWeeklyPence: Number(plannedWeekly),
      reason: '',
      version: await planVersion(),
    });
    if (stage === 'budget_with_contribution') {
      const latest = (await db('financial_assessments').where({ person_id: person.id }).max({ id: 'id' }).first()) as { id: number | null };
      await services.finance.recordFinancialAssessment(
        staff.finance,
        person.id,
        financialAssessmentSchema(today).parse({
          weeklyIncome: '312.40',
          weeklyAllowances: '228.70',
          capital: '18,400.00',
          effectiveFrom: Object.fromEntries(
            ['year', 'month', 'day'].map((part, i) => [part, shiftDays(today, -(startedDaysAgo - 12)).split('-')[i]]),
          ),
          latestSeenId: String(latest.id ?? 0),
        }),
      );
    }
  }
}

export function actor(user: { id: number; email: string; display_name: string; role: Role; team_id: number | null }): Actor {
  return { id: user.id, email: user.email, displayName: user.display_name, role: user.role, teamId: user.team_id, requestId: 'demo-data' };
}
