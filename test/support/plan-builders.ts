import type { Knex } from 'knex';
import { insertAuditEvent } from '../../src/audit/repo.js';
import type { Clock } from '../../src/clock.js';
import type { PersonRow } from '../../src/people/repo.js';
import type { FundingStream, ManagementOption } from '../../src/plans/options.js';
import type { PanelStatus, SupportPlanRow } from '../../src/plans/repo.js';
import { findPublishedRasVersion } from '../../src/ras/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';

/**
 * Assessments and plans written straight into the database, so finance can be tested at any
 * point of the journey without walking a care manager through the questionnaire and the plan.
 */

const fixedClock: Clock = { now: () => new Date('2026-01-05T09:00:00Z') };

export type SubmittedAssessment = { id: number; annualPence: number; weeklyPence: number; ceilingPence: number };

/** The person's current assessment, scored with the default RAS (published here if there is none). */
export async function aSubmittedAssessment(
  db: Knex,
  options: { person: PersonRow; submittedBy: number; annualPence?: number; rawPoints?: number; submittedAt?: string },
): Promise<SubmittedAssessment> {
  await ensureDefaultRas(db, fixedClock);
  const ras = await findPublishedRasVersion(db);
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
      exceeds_ceiling: annualPence > ras.ceiling_pence,
    })
    .returning('id')) as { id: number }[];
  return { id: (row as { id: number }).id, annualPence, weeklyPence, ceilingPence: ras.ceiling_pence };
}

export type ItemSpec = { weeklyPence: number; managementOption?: ManagementOption; fundingStream?: FundingStream; description?: string };

export type SubmittedPlan = SupportPlanRow & { person: PersonRow };

/**
 * A plan in status 'submitted' with one outcome, the given support items and one risk, every
 * Care Act section filled in, and the audit events the plans area writes ('plan_started' by
 * `createdBy`, 'plan_submitted' by `submittedBy`), which the four-eyes rule reads.
 */
export async function aSubmittedPlan(
  db: Knex,
  options: {
    person: PersonRow;
    createdBy: number;
    submittedBy?: number;
    items: ItemSpec[];
    panelStatus?: PanelStatus;
    submittedAt?: string;
    assessment?: SubmittedAssessment;
    overIndicativeReason?: string;
  },
): Promise<SubmittedPlan> {
  const assessment =
    options.assessment ??
    (await existingAssessment(db, options.person)) ??
    (await aSubmittedAssessment(db, { person: options.person, submittedBy: options.createdBy }));
  const submittedBy = options.submittedBy ?? options.createdBy;
  const hasDirectPayment = options.items.some((item) => (item.managementOption ?? 'council_managed') === 'direct_payment');
  const [plan] = (await db('support_plans')
    .insert({
      person_id: options.person.id,
      assessment_id: assessment.id,
      status: 'submitted',
      indicative_annual_pence: assessment.annualPence,
      indicative_weekly_pence: assessment.weeklyPence,
      ceiling_pence: assessment.ceilingPence,
      people_involved: 'The person and their daughter',
      contact_arrangements: 'Phone in the mornings',
      eligible_needs: 'Managing and maintaining nutrition\nMaintaining personal hygiene',
      needs_council_will_meet: 'Help with meals and washing every morning',
      wellbeing: 'Staying independent at home',
      prevention_advice: 'Falls prevention advice given',
      direct_payment_needs: hasDirectPayment ? 'Personal care in the mornings' : '',
      direct_payment_frequency: hasDirectPayment ? 'four_weekly' : null,
      direct_payment_basis: hasDirectPayment ? 'net' : null,
      over_indicative_reason: options.overIndicativeReason ?? 'Needs two carers for transfers',
      panel_status: options.panelStatus ?? 'not_needed',
      submitted_by: submittedBy,
      submitted_at: options.submittedAt ?? '2026-06-10T09:00:00Z',
      created_by: options.createdBy,
    })
    .returning('*')) as SupportPlanRow[];
  const saved = plan as SupportPlanRow;
  const [outcome] = (await db('plan_outcomes')
    .insert({
      plan_id: saved.id,
      description: 'I want to stay in my own home',
      eligibility_outcomes: ['nutrition', 'personal_hygiene'],
      position: 0,
    })
    .returning('id')) as { id: number }[];
  await db('plan_items').insert(
    options.items.map((item, position) => ({
      plan_id: saved.id,
      outcome_id: (outcome as { id: number }).id,
      description: item.description ?? `Support ${position + 1}`,
      provider: 'Home Care Ltd',
      funding_stream: item.fundingStream ?? 'social_care',
      management_option: item.managementOption ?? 'council_managed',
      cost_type: 'weekly',
      weekly_pence: item.weeklyPence,
      position,
    })),
  );
  await db('plan_risks').insert({ plan_id: saved.id, risk: 'Falls at night', how_managed: 'Pendant alarm', position: 0 });
  for (const [action, userId] of [
    ['plan_started', options.createdBy],
    ['plan_submitted', submittedBy],
  ] as const) {
    await insertAuditEvent(db, {
      userId,
      requestId: null,
      action,
      entityType: 'support_plan',
      entityId: saved.id,
      personId: options.person.id,
    });
  }
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
