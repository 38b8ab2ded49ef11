import type { Knex } from 'knex';
import { rasResultColumns } from '../src/assessments/repo.js';
import { determineEligibility } from '../src/assessments/eligibility.js';
import { londonToday, type Clock } from '../src/clock.js';
import type { PricedClientGroup } from '../src/ras/definition.js';
import { compileDefinition, roundHalfUpSafe, scoreAssessment } from '../src/ras/engine.js';
import { findRasVersionInForce, loadRasDefinition } from '../src/ras/repo.js';
import { answersForNeed, eligibilityFactsFor, noHelpOptionsOf, pick, seededRandom, shiftDays } from './random.js';

/**
 * The Wirral finding (Cabinet report, December 2011): people with a learning disability were
 * spending 26% more than their indicative budgets and older people 34% less. These are the
 * factors the demo's approved budgets follow, so the calibration report and the impact page show
 * that finding on first start. Each person's budget is spread around the factor, evenly above
 * and below it, so the group's ratio lands near the factor without every dot on one line.
 */
const approvedFactor: Record<PricedClientGroup, number> = {
  learning_disability: 1.26,
  older_people: 0.66,
  physical_disability: 1.04,
  mental_health: 0.93,
  sensory_impairment: 1,
};

/** 64 people: enough budgets per group for a meaningful ratio and a readable scatter plot. */
const peoplePerGroup: Record<PricedClientGroup, number> = {
  learning_disability: 16,
  older_people: 20,
  physical_disability: 12,
  mental_health: 8,
  sensory_impairment: 8,
};

const givenNames = [
  'Alan',
  'Bernadette',
  'Chidi',
  'Dorothy',
  'Edward',
  'Farah',
  'Gwen',
  'Harold',
  'Imran',
  'Janet',
  'Kieran',
  'Lorna',
  'Maureen',
  'Nasser',
  'Olive',
  'Ravi',
];
const familyNames = [
  'Ahmed',
  'Barker',
  'Coleman',
  'Dixon',
  'Ellis',
  'Foster',
  'Gill',
  'Holt',
  'Jackson',
  'Khan',
  'Lowe',
  'Marsh',
  'Noor',
  'Price',
  'Quinn',
  'Rahman',
];
const postcodes = ['LS7 3JB', 'LS8 1AA', 'BD3 9HE', 'HX2 0AB', 'WF3 1QQ', 'LS11 5TT'];
const outcomesByGroup: Record<PricedClientGroup, string> = {
  learning_disability: 'I want to go to college two days a week and see my friends at the weekend.',
  older_people: 'I want to stay in my own home and get out to the shops and church.',
  physical_disability: 'I want to get up, washed and dressed in time to get to work.',
  mental_health: 'I want to feel safe at home and get back to volunteering.',
  sensory_impairment: 'I want to manage my post and appointments and get about town on my own.',
};

export type CalibrationSeedOptions = {
  teams: { id: number }[];
  /** Care managers (or team managers) who write the assessments and plans; each in one of `teams`. */
  workers: { id: number; teamId: number }[];
  /** Approves the budgets: sign-off is finance's, and nobody approves a plan they wrote. */
  financeOfficerId: number;
};

/**
 * Adds people with a submitted assessment (scored with the published RAS), an approved support
 * plan and a personal budget in force, following the Wirral finding. Needs a published RAS
 * (ensureDefaultRas). Deterministic: the same database gets the same people every time.
 * Returns how many people and budgets were added.
 */
export async function seedCalibrationScenario(
  db: Knex | Knex.Transaction,
  clock: Clock,
  options: CalibrationSeedOptions,
): Promise<{ people: number; budgets: number }> {
  const published = await findRasVersionInForce(db, londonToday(clock));
  const definition = published ? await loadRasDefinition(db, published.id) : undefined;
  if (!published || !definition) throw new Error('seedCalibrationScenario needs a published RAS: run ensureDefaultRas first');
  if (options.workers.length === 0) throw new Error('seedCalibrationScenario needs at least one worker');
  const compiled = compileDefinition(definition);
  const noHelp = noHelpOptionsOf(definition);
  const random = seededRandom(2011);
  const today = londonToday(clock);
  let number = 0;
  let budgets = 0;

  for (const [group, count] of Object.entries(peoplePerGroup) as [PricedClientGroup, number][]) {
    let groupIndicative = 0;
    let groupApproved = 0;
    for (let index = 0; index < count; index += 1) {
      number += 1;
      const worker = options.workers[number % options.workers.length] as { id: number; teamId: number };
      // Needs from light to heavy across the group, so the scatter plot spans the points.
      const need = 0.2 + (0.36 * index) / count + random() * 0.06;
      const answers = answersForNeed(definition, random, need, { withAdjustments: true });
      const result = scoreAssessment(compiled, { assessmentType: 'person', clientGroup: group, answers });
      const facts = eligibilityFactsFor(answers, noHelp);
      const decision = determineEligibility(facts);
      const submittedOn = shiftDays(today, -(30 + ((number * 37) % 300)));
      const age = group === 'older_people' ? 68 + ((number * 7) % 25) : 19 + ((number * 11) % 45);

      const [person] = (await db('people')
        .insert({
          reference: `SD-${String(30000 + number).padStart(5, '0')}`,
          given_name: givenNames[number % givenNames.length],
          family_name: familyNames[(number * 5) % familyNames.length],
          date_of_birth: shiftDays(today, -(age * 365 + number * 13)),
          postcode: postcodes[number % postcodes.length],
          client_group: group,
          team_id: worker.teamId,
          allocated_worker_id: worker.id,
          address: `${number} Mill Lane`,
          phone: `0113 496 ${String(5000 + number).padStart(4, '0')}`,
          preferred_contact: 'phone',
          referral_date: shiftDays(submittedOn, -21),
        })
        .returning(['id', 'reference'])) as { id: number; reference: string }[];
      const personId = (person as { id: number }).id;
      const at = new Date(`${submittedOn}T10:00:00Z`);
      const [assessment] = (await db('assessments')
        .insert({
          person_id: personId,
          assessment_type: 'person',
          client_group: group,
          ras_version_id: published.id,
          status: 'submitted',
          answers: JSON.stringify(answers),
          eligibility: JSON.stringify({ facts, decision }),
          eligible: decision.eligible,
          started_by: worker.id,
          started_at: new Date(at.getTime() - 7 * 86_400_000),
          updated_at: at,
          submitted_by: worker.id,
          submitted_at: at,
          ...rasResultColumns(result),
        })
        .returning('id')) as { id: number }[];
      const assessmentId = (assessment as { id: number }).id;
      await db('audit_events').insert({
        user_id: null,
        action: 'person_created',
        entity_type: 'person',
        entity_id: String(personId),
        person_id: personId,
        after: JSON.stringify({ reference: (person as { reference: string }).reference, source: 'demo data' }),
      });
      if (!decision.eligible || result.annualPence === 0) continue;

      // Either side of the group's factor: +8%, -8%, +3%, -3%, ... The group's last budget takes
      // up what is left, so the group's ratio comes out at the factor itself.
      const spread = [0.08, -0.08, 0.03, -0.03][index % 4] ?? 0;
      const target =
        index === count - 1
          ? Math.round((groupIndicative + result.annualPence) * approvedFactor[group]) - groupApproved
          : Math.round(result.annualPence * approvedFactor[group] * (1 + spread));
      const approvedWeeklyPence = roundHalfUpSafe(Math.max(0, target), 52);
      groupIndicative += result.annualPence;
      groupApproved += approvedWeeklyPence * 52;
      const startDate = shiftDays(submittedOn, 21);
      const approvedAt = new Date(`${shiftDays(submittedOn, 14)}T15:00:00Z`);
      const directPayment = index % 3 !== 0;
      const [plan] = (await db('support_plans')
        .insert({
          person_id: personId,
          assessment_id: assessmentId,
          status: 'approved',
          indicative_annual_pence: result.annualPence,
          indicative_weekly_pence: result.weeklyPence,
          ceiling_pence: definition.ceilingPence,
          people_involved: 'The person and their care manager',
          eligible_needs: 'As recorded in the assessment',
          needs_council_will_meet: 'All eligible needs',
          over_indicative_reason:
            approvedWeeklyPence > result.weeklyPence ? 'The support needed costs more than the indicative budget' : '',
          direct_payment_frequency: directPayment ? 'four_weekly' : null,
          direct_payment_basis: directPayment ? 'net' : null,
          submitted_by: worker.id,
          submitted_at: new Date(approvedAt.getTime() - 3 * 86_400_000),
          approved_by: options.financeOfficerId,
          approved_at: approvedAt,
          created_by: worker.id,
          created_at: at,
          updated_at: approvedAt,
        })
        .returning('id')) as { id: number }[];
      const planId = (plan as { id: number }).id;
      const [outcome] = (await db('plan_outcomes')
        .insert({ plan_id: planId, description: outcomesByGroup[group], eligibility_outcomes: ['community_facilities'], position: 0 })
        .returning('id')) as { id: number }[];
      await db('plan_items').insert({
        plan_id: planId,
        outcome_id: (outcome as { id: number }).id,
        description: directPayment ? 'Personal assistant' : 'Home care from a council-contracted provider',
        provider: directPayment ? '' : pick(random, ['Calder Care', 'Aire Valley Homecare', 'Wharfe Support']),
        funding_stream: 'social_care',
        management_option: directPayment ? 'direct_payment' : 'council_managed',
        cost_type: 'weekly',
        weekly_pence: approvedWeeklyPence,
        position: 0,
      });
      const [budget] = (await db('personal_budgets')
        .insert({
          person_id: personId,
          plan_id: planId,
          assessment_id: assessmentId,
          start_date: startDate,
          weekly_pence: approvedWeeklyPence,
          annual_pence: approvedWeeklyPence * 52,
          planned_weekly_pence: approvedWeeklyPence,
          planned_annual_pence: approvedWeeklyPence * 52,
          individual_budget_weekly_pence: approvedWeeklyPence,
          direct_payment_weekly_pence: directPayment ? approvedWeeklyPence : 0,
          council_managed_weekly_pence: directPayment ? 0 : approvedWeeklyPence,
          approval_reason: '',
          approved_by: options.financeOfficerId,
          approved_at: approvedAt,
        })
        .returning('id')) as { id: number }[];
      // Nobody in the calibration council has had a financial assessment yet.
      await db('personal_budget_charges').insert({
        budget_id: (budget as { id: number }).id,
        effective_from: startDate,
        cost_weekly_pence: approvedWeeklyPence,
        recorded_by: options.financeOfficerId,
        recorded_at: approvedAt,
      });
      // The first review happened on time and the plan carried on, so what is due now is the yearly one.
      const firstReviewDate = shiftDays(startDate, 56);
      const reviewed = firstReviewDate < today;
      await db('reviews').insert({
        person_id: personId,
        budget_id: (budget as { id: number }).id,
        plan_id: planId,
        kind: 'first',
        due_date: firstReviewDate,
        assigned_to: worker.id,
        ...(reviewed
          ? {
              status: 'completed',
              review_date: firstReviewDate,
              completed_at: new Date(`${firstReviewDate}T12:00:00Z`),
              completed_by: worker.id,
              decision: 'continue',
              person_view: 'Happy with the support so far.',
            }
          : {}),
      });
      if (reviewed) {
        await db('reviews').insert({
          person_id: personId,
          budget_id: (budget as { id: number }).id,
          plan_id: planId,
          kind: 'annual',
          due_date: shiftDays(firstReviewDate, 365),
          assigned_to: worker.id,
        });
      }
      budgets += 1;
    }
  }
  return { people: number, budgets };
}
