import type { Knex } from 'knex';
import type { Actor, Role } from '../../src/auth/roles.js';
import { londonToday, type Clock } from '../../src/clock.js';
import type { PersonRow } from '../../src/people/repo.js';
import { peopleService } from '../../src/people/service.js';
import type { FundingStream, ManagementOption } from '../../src/plans/options.js';
import type { PanelStatus, SupportPlanRow } from '../../src/plans/repo.js';
import { plansService } from '../../src/plans/service.js';
import { findRasVersionInForce } from '../../src/ras/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';

/**
 * Assessments written straight into the database, and plans written through the plans service,
 * so finance can be tested at any point of the journey without walking a care manager through
 * the questionnaire and the plan pages.
 */

const fixedClock: Clock = { now: () => new Date('2026-01-05T09:00:00Z') };

export type SubmittedAssessment = { id: number; annualPence: number; weeklyPence: number; ceilingPence: number };

/** The person's current assessment, scored with the default RAS (published here if there is none). */
export async function aSubmittedAssessment(
  db: Knex,
  options: { person: PersonRow; submittedBy: number; annualPence?: number; rawPoints?: number; submittedAt?: string },
): Promise<SubmittedAssessment> {
  await ensureDefaultRas(db, fixedClock);
  const ras = await findRasVersionInForce(db, londonToday(fixedClock));
  if (!ras) throw new Error('No published RAS');
  const annualPence = options.annualPence ?? 913_000;
  const weeklyPence = Math.floor((annualPence * 2 + 52) / 104);
  const [row] = (await db('assessments')
    .insert({
      person_id: options.person.id,
      assessment_type: 'person',
      client_group: options.person.client_group,
      ras_version_id: ras.id,
      status: 'submitted',
      answers: JSON.stringify({}),
      eligibility: JSON.stringify({}),
      started_by: options.submittedBy,
      submitted_by: options.submittedBy,
      submitted_at: options.submittedAt ?? '2026-05-01T10:00:00Z',
      eligible: true,
      raw_points: options.rawPoints ?? 83,
      modifier_percent: 0,
      annual_pence: annualPence,
      weekly_pence: weeklyPence,
      below_threshold: false,
      exceeds_ceiling: annualPence > ras.ceilingPence,
    })
    .returning('id')) as { id: number }[];
  return { id: (row as { id: number }).id, annualPence, weeklyPence, ceilingPence: ras.ceilingPence };
}

type ItemDetails = { managementOption?: ManagementOption; fundingStream?: FundingStream; description?: string };
/** A support item of a built plan that costs a week. */
export type ItemSpec = ItemDetails & { weeklyPence: number };
/** Any support item of a built plan: a weekly, yearly or one-off amount. */
export type AnyItemSpec = ItemSpec | (ItemDetails & { yearlyPence: number }) | (ItemDetails & { oneOffPence: number });

/** An item spec's cost as the item form gives it to the plans service. */
function costOf(item: AnyItemSpec) {
  const none = { weeklyPence: null, unitCostPence: null, unitsPerWeekHundredths: null, yearlyPence: null, oneOffPence: null };
  if ('yearlyPence' in item) return { ...none, costType: 'yearly' as const, yearlyPence: item.yearlyPence };
  if ('oneOffPence' in item) return { ...none, costType: 'one_off' as const, oneOffPence: item.oneOffPence };
  return { ...none, costType: 'weekly' as const, weeklyPence: item.weeklyPence };
}

export type SubmittedPlan = SupportPlanRow & { person: PersonRow };

/**
 * A user as the services see them when they act on the person's plan. Tests may give a plan to a
 * person in another team than its author's, so the author acts as one of the person's team; the
 * audit trail still names the user, which is all the four-eyes rule reads.
 */
async function actorFor(db: Knex, userId: number, person: PersonRow): Promise<Actor> {
  const user = (await db('users').where({ id: userId }).first('id', 'email', 'display_name', 'role')) as
    { id: number; email: string; display_name: string; role: Role } | undefined;
  if (!user) throw new Error(`No user ${userId} to write the plan`);
  return { id: user.id, email: user.email, displayName: user.display_name, role: user.role, teamId: person.team_id, requestId: 'test' };
}

/**
 * A plan in status 'submitted' with one outcome, the given support items and one risk, every
 * Care Act section filled in, written through the plans service as a care manager would:
 * `createdBy` starts and writes it and `submittedBy` submits it at `submittedAt`, so the audit
 * trail the four-eyes rule reads is the real one.
 */
export async function aSubmittedPlan(
  db: Knex,
  options: {
    person: PersonRow;
    createdBy: number;
    submittedBy?: number;
    items: AnyItemSpec[];
    panelStatus?: PanelStatus;
    submittedAt?: string;
    assessment?: SubmittedAssessment;
    overIndicativeReason?: string;
  },
): Promise<SubmittedPlan> {
  if (!options.assessment && !(await existingAssessment(db, options.person))) {
    await aSubmittedAssessment(db, { person: options.person, submittedBy: options.createdBy });
  }
  const plans = plansService(db, peopleService(db), { now: () => new Date(options.submittedAt ?? '2026-06-10T09:00:00Z') });
  const author = await actorFor(db, options.createdBy, options.person);
  const submitter = options.submittedBy === undefined ? author : await actorFor(db, options.submittedBy, options.person);
  const planId = await plans.startPlan(author, options.person.id);
  const version = async () => ((await db('support_plans').where({ id: planId }).first('version')) as { version: number }).version;

  await plans.addOutcome(author, planId, await version(), {
    description: 'I want to stay in my own home',
    eligibilityOutcomes: ['nutrition', 'personal_hygiene'],
  });
  const outcomeId = ((await db('plan_outcomes').where({ plan_id: planId }).first('id')) as { id: number }).id;
  for (const [index, item] of options.items.entries()) {
    await plans.addItem(author, planId, await version(), {
      description: item.description ?? `Support ${index + 1}`,
      provider: 'Home Care Ltd',
      outcomeId,
      fundingStream: item.fundingStream ?? 'social_care',
      managementOption: item.managementOption ?? 'council_managed',
      ...costOf(item),
      version: await version(),
    });
  }
  await plans.addRisk(author, planId, await version(), { risk: 'Falls at night', howManaged: 'Pendant alarm' });
  const hasDirectPayment = options.items.some((item) => (item.managementOption ?? 'council_managed') === 'direct_payment');
  await plans.changeDetails(author, planId, {
    peopleInvolved: 'The person and their daughter',
    contactArrangements: 'Phone in the mornings',
    eligibleNeeds: 'Managing and maintaining nutrition\nMaintaining personal hygiene',
    needsCouncilWillMeet: 'Help with meals and washing every morning',
    wellbeing: 'Staying independent at home',
    preventionAdvice: 'Falls prevention advice given',
    directPaymentNeeds: hasDirectPayment ? 'Personal care in the mornings' : '',
    directPaymentFrequency: hasDirectPayment ? 'four_weekly' : null,
    directPaymentBasis: hasDirectPayment ? 'net' : null,
    overIndicativeReason: options.overIndicativeReason ?? 'Needs two carers for transfers',
    version: await version(),
  });
  await plans.submit(submitter, planId, await version());

  // The panel stage a test asks for, where the plan's cost alone would not put it there (a panel that has already agreed it).
  const panelStatus = options.panelStatus ?? 'not_needed';
  await db('support_plans').where({ id: planId }).whereNot({ panel_status: panelStatus }).update({ panel_status: panelStatus });
  const saved = (await db('support_plans').where({ id: planId }).first()) as SupportPlanRow;
  return { ...saved, person: options.person };
}

async function existingAssessment(db: Knex, person: PersonRow): Promise<SubmittedAssessment | undefined> {
  const row = (await db('assessments as a')
    .join('ras_versions as v', 'v.id', 'a.ras_version_id')
    .where({ 'a.person_id': person.id, 'a.status': 'submitted' })
    .first('a.id', 'a.annual_pence', 'a.weekly_pence', 'v.ceiling_pence')) as
    { id: number; annual_pence: number; weekly_pence: number; ceiling_pence: number } | undefined;
  return row && { id: row.id, annualPence: row.annual_pence, weeklyPence: row.weekly_pence, ceilingPence: row.ceiling_pence };
}
