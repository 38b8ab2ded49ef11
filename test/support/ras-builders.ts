import { londonToday } from '../../src/clock.js';
import type { Knex } from 'knex';
import { rasResultColumns } from '../../src/assessments/repo.js';
import type { RasDefinition } from '../../src/ras/definition.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { scoreAssessment } from '../../src/ras/engine.js';
import { findRasVersionInForce, insertDraftVersion, loadRasDefinition } from '../../src/ras/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { testClock } from './app.js';

/** The default RAS, published as on a new council's first start. */
export async function publishedRas(db: Knex): Promise<{ id: number; definition: RasDefinition }> {
  await ensureDefaultRas(db, testClock());
  const published = await findRasVersionInForce(db, londonToday(testClock()));
  if (!published) throw new Error('no published RAS');
  return { id: published.id, definition: (await loadRasDefinition(db, published.id)) as RasDefinition };
}

export async function aDraftRas(db: Knex, definition: RasDefinition, createdBy: number | null = null): Promise<number> {
  return insertDraftVersion(db, definition, { createdBy, basedOnId: null });
}

/** A deep copy of the default RAS to change in a test. */
export function defaultRasCopy(): RasDefinition {
  return structuredClone(defaultRasDefinition);
}

const outcomeKeys = defaultRasDefinition.domains.slice(0, 10).map((domain) => domain.key);

/**
 * Default-RAS answers worth exactly `points` raw points from the ten outcome questions (and
 * staying safe for an odd number), everything else "no help", no informal support. `chosen`
 * overrides single answers; the outcomes it names are not used to make up the points.
 */
export function answersScoring(
  points: number,
  chosen: Record<string, string> = {},
  options: { carer?: boolean } = {},
): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const domain of defaultRasDefinition.domains) {
    for (const question of domain.questions) answers[question.key] = question.options[0]?.key ?? '';
  }
  if (!options.carer) answers.informal_support = 'none';
  let left = points;
  if (left % 2 === 1) {
    answers.staying_safe = 'some_risk';
    left -= 5;
  }
  const steps: [number, string][] = [
    [20, 'two_people'],
    [12, 'every_day'],
    [6, 'some_days'],
    [2, 'occasional_prompting'],
  ];
  for (const key of outcomeKeys.filter((outcome) => !(outcome in chosen))) {
    const step = steps.find(([size]) => size <= left);
    if (!step) break;
    answers[key] = step[1];
    left -= step[0];
  }
  if (left !== 0) throw new Error(`answersScoring cannot make ${points} points`);
  return { ...answers, ...chosen };
}

export type SubmittedAssessment = { id: number; rawPoints: number; annualPence: number };

/** A submitted assessment scored with the given (or published) RAS version, as the questionnaire stores it. */
export async function aSubmittedAssessment(
  db: Knex,
  options: {
    personId: number;
    startedBy: number;
    clientGroup: string;
    answers: Record<string, string>;
    assessmentType?: 'person' | 'carer';
    eligible?: boolean | null;
    rasVersionId?: number;
    status?: 'submitted' | 'superseded';
    submittedAt?: string;
  },
): Promise<SubmittedAssessment> {
  const versionId = options.rasVersionId ?? (await findRasVersionInForce(db, londonToday(testClock())))?.id;
  const definition = versionId === undefined ? undefined : await loadRasDefinition(db, versionId);
  if (versionId === undefined || !definition) throw new Error('no RAS version to score with');
  const assessmentType = options.assessmentType ?? 'person';
  const result = scoreAssessment(definition, { assessmentType, clientGroup: options.clientGroup, answers: options.answers });
  const at = options.submittedAt ?? '2026-05-01T10:00:00Z';
  const [row] = (await db('assessments')
    .insert({
      person_id: options.personId,
      assessment_type: assessmentType,
      client_group: options.clientGroup,
      ras_version_id: versionId,
      status: options.status ?? 'submitted',
      answers: JSON.stringify(options.answers),
      eligibility: JSON.stringify({}),
      eligible: options.eligible === undefined ? (assessmentType === 'carer' ? null : true) : options.eligible,
      started_by: options.startedBy,
      started_at: at,
      updated_at: at,
      submitted_by: options.startedBy,
      submitted_at: at,
      superseded_at: options.status === 'superseded' ? at : null,
      ...rasResultColumns(result),
    })
    .returning('id')) as { id: number }[];
  return { id: (row as { id: number }).id, rawPoints: result.rawPoints, annualPence: result.annualPence };
}

/** An approved plan and the personal budget finance approved from it; `endDate` makes it a past budget. */
export async function anApprovedBudget(
  db: Knex,
  options: { personId: number; assessmentId: number; writtenBy: number; approvedBy: number; annualPence: number; endDate?: string },
): Promise<number> {
  const assessment = (await db('assessments').where({ id: options.assessmentId }).first('annual_pence', 'weekly_pence')) as {
    annual_pence: number;
    weekly_pence: number;
  };
  const [plan] = (await db('support_plans')
    .insert({
      person_id: options.personId,
      assessment_id: options.assessmentId,
      status: options.endDate ? 'replaced' : 'approved',
      indicative_annual_pence: assessment.annual_pence,
      indicative_weekly_pence: assessment.weekly_pence,
      ceiling_pence: 3_000_000,
      created_by: options.writtenBy,
      approved_by: options.approvedBy,
      approved_at: '2026-05-10T10:00:00Z',
    })
    .returning('id')) as { id: number }[];
  const weekly = Math.round(options.annualPence / 52);
  const [budget] = (await db('personal_budgets')
    .insert({
      person_id: options.personId,
      plan_id: (plan as { id: number }).id,
      assessment_id: options.assessmentId,
      start_date: '2026-05-15',
      end_date: options.endDate ?? null,
      weekly_pence: weekly,
      annual_pence: options.annualPence,
      planned_weekly_pence: weekly,
      planned_annual_pence: options.annualPence,
      individual_budget_weekly_pence: weekly,
      council_managed_weekly_pence: weekly,
      approved_by: options.approvedBy,
    })
    .returning('id')) as { id: number }[];
  return (budget as { id: number }).id;
}
