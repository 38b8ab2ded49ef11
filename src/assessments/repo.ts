import type { DbOrTransaction } from '../db/knex.js';
import type { RasResult } from '../ras/engine.js';
import { indicativeBudgetOf, type IndicativeBudget } from './budget.js';
import { readEligibility, type EligibilityRecord } from './questionnaire.js';

export type AssessmentType = 'person' | 'carer';
export type AssessmentStatus = 'draft' | 'submitted' | 'superseded';

export type AssessmentRow = {
  id: number;
  person_id: number;
  assessment_type: AssessmentType;
  client_group: string;
  ras_version_id: number;
  status: AssessmentStatus;
  answers: Record<string, string>;
  eligibility: unknown;
  started_by: number;
  started_at: Date;
  updated_at: Date;
  submitted_by: number | null;
  submitted_at: Date | null;
  superseded_at: Date | null;
  eligible: boolean | null;
  raw_points: number | null;
  domain_points: Record<string, number> | null;
  modifier_percent: number | null;
  annual_pence: number | null;
  weekly_pence: number | null;
  below_threshold: boolean | null;
  exceeds_ceiling: boolean | null;
  explanation: string[] | null;
  version: number;
};

/** An assessment as the rest of the app sees it; the row's columns stay in this file. */
export type Assessment = {
  id: number;
  personId: number;
  type: AssessmentType;
  clientGroup: string;
  rasVersionId: number;
  status: AssessmentStatus;
  /** Question and adjustment key to the chosen option key: the engine's answers format. */
  answers: Record<string, string>;
  /** The eligibility facts, and once submitted the decision beside them. */
  eligibility: EligibilityRecord;
  startedBy: number;
  startedAt: Date;
  updatedAt: Date;
  submittedBy: number | null;
  submittedAt: Date | null;
  supersededAt: Date | null;
  eligible: boolean | null;
  rawPoints: number | null;
  domainPoints: Record<string, number> | null;
  modifierPercent: number | null;
  annualPence: number | null;
  weeklyPence: number | null;
  belowThreshold: boolean | null;
  exceedsCeiling: boolean | null;
  explanation: string[] | null;
  /** undefined for a draft; read this, never annualPence, for what the person may plan with. */
  indicativeBudget: IndicativeBudget | undefined;
  version: number;
};

export function toAssessment(row: AssessmentRow): Assessment {
  const scored = {
    status: row.status,
    type: row.assessment_type,
    eligible: row.eligible,
    annualPence: row.annual_pence,
    weeklyPence: row.weekly_pence,
    belowThreshold: row.below_threshold,
    exceedsCeiling: row.exceeds_ceiling,
  };
  return {
    id: row.id,
    personId: row.person_id,
    clientGroup: row.client_group,
    rasVersionId: row.ras_version_id,
    answers: row.answers,
    eligibility: readEligibility(row.eligibility),
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    supersededAt: row.superseded_at,
    rawPoints: row.raw_points,
    domainPoints: row.domain_points,
    modifierPercent: row.modifier_percent,
    explanation: row.explanation,
    indicativeBudget: indicativeBudgetOf(scored),
    version: row.version,
    ...scored,
  };
}

/** A person's assessment in their list, with the name of the RAS it used. */
export type AssessmentListing = Assessment & { rasVersionName: string };

const maybe = (row: AssessmentRow | undefined) => (row ? toAssessment(row) : undefined);

export async function findAssessment(db: DbOrTransaction, id: number): Promise<Assessment | undefined> {
  return maybe(await db<AssessmentRow>('assessments').where({ id }).first());
}

export async function findAssessmentForUpdate(db: DbOrTransaction, id: number): Promise<Assessment | undefined> {
  return maybe(await db<AssessmentRow>('assessments').where({ id }).forUpdate().first());
}

export async function findDraft(db: DbOrTransaction, personId: number, type: AssessmentType): Promise<Assessment | undefined> {
  return maybe(await db<AssessmentRow>('assessments').where({ person_id: personId, assessment_type: type, status: 'draft' }).first());
}

/**
 * A person's assessments, the latest started first (so the draft, if any, and the current result
 * lead their list), with the RAS each used: its name, and its ceiling for planning.
 */
export function assessmentsOfPersonQuery(db: DbOrTransaction, personId: number) {
  return db('assessments as a')
    .join('ras_versions as v', 'v.id', 'a.ras_version_id')
    .where('a.person_id', personId)
    .select('a.*', 'v.name as ras_version_name', 'v.ceiling_pence')
    .orderBy('a.started_at', 'desc')
    .orderBy('a.id', 'desc');
}

export type AssessmentListingRow = AssessmentRow & { ras_version_name: string; ceiling_pence: number };

export function toAssessmentListing(row: AssessmentListingRow): AssessmentListing {
  return Object.assign(toAssessment(row), { rasVersionName: row.ras_version_name });
}

export async function listForPerson(db: DbOrTransaction, personId: number): Promise<AssessmentListing[]> {
  const rows = (await assessmentsOfPersonQuery(db, personId)) as AssessmentListingRow[];
  return rows.map(toAssessmentListing);
}

export async function insertDraft(
  db: DbOrTransaction,
  draft: { personId: number; type: AssessmentType; clientGroup: string; rasVersionId: number; startedBy: number; at: Date },
): Promise<Assessment> {
  const [row] = (await db('assessments')
    .insert({
      person_id: draft.personId,
      assessment_type: draft.type,
      client_group: draft.clientGroup,
      ras_version_id: draft.rasVersionId,
      started_by: draft.startedBy,
      started_at: draft.at,
      updated_at: draft.at,
    })
    .returning('*')) as AssessmentRow[];
  return toAssessment(row as AssessmentRow);
}

/** Saves a draft's answers only at the version the user saw; undefined when someone saved first. */
export async function updateDraft(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: { answers?: Record<string, string>; eligibility?: unknown; at: Date },
): Promise<Assessment | undefined> {
  const [row] = (await db('assessments')
    .where({ id, version: expectedVersion, status: 'draft' })
    .update({
      ...(changes.answers === undefined ? {} : { answers: JSON.stringify(changes.answers) }),
      ...(changes.eligibility === undefined ? {} : { eligibility: JSON.stringify(changes.eligibility) }),
      updated_at: changes.at,
      version: db.raw('version + 1'),
    })
    .returning('*')) as AssessmentRow[];
  return maybe(row);
}

/**
 * Marks the person's current result of this type as replaced. Runs before the new one is set to
 * submitted: the partial unique index allows one submitted assessment per person and type.
 * The version is left alone: it counts edits to a draft, and a submitted row is never edited.
 */
export async function supersedeCurrent(db: DbOrTransaction, personId: number, type: AssessmentType, at: Date): Promise<Assessment[]> {
  const rows = (await db('assessments')
    .where({ person_id: personId, assessment_type: type, status: 'submitted' })
    .update({ status: 'superseded', superseded_at: at })
    .returning('*')) as AssessmentRow[];
  return rows.map(toAssessment);
}

export type SubmittedResult = RasResult & {
  answers: Record<string, string>;
  eligibility: unknown;
  eligible: boolean | null;
  submittedBy: number;
  at: Date;
};

/** The RAS result as the assessments table stores it, so every writer stores it the same way. */
export function rasResultColumns(result: RasResult) {
  return {
    raw_points: result.rawPoints,
    domain_points: JSON.stringify(result.domainPoints),
    modifier_percent: result.modifierPercent,
    annual_pence: result.annualPence,
    weekly_pence: result.weeklyPence,
    below_threshold: result.belowThreshold,
    exceeds_ceiling: result.exceedsCeiling,
    explanation: JSON.stringify(result.explanation),
  };
}

export async function markSubmitted(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  result: SubmittedResult,
): Promise<Assessment | undefined> {
  const [row] = (await db('assessments')
    .where({ id, version: expectedVersion, status: 'draft' })
    .update({
      status: 'submitted',
      answers: JSON.stringify(result.answers),
      eligibility: JSON.stringify(result.eligibility),
      eligible: result.eligible,
      ...rasResultColumns(result),
      submitted_by: result.submittedBy,
      submitted_at: result.at,
      updated_at: result.at,
      version: db.raw('version + 1'),
    })
    .returning('*')) as AssessmentRow[];
  return maybe(row);
}

export async function userName(db: DbOrTransaction, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const row = (await db('users').where({ id }).first('display_name')) as { display_name: string } | undefined;
  return row?.display_name ?? null;
}

/** Marks a draft as the reassessment a review asked for, unless an earlier review already did. */
export async function markDraftFromReview(db: DbOrTransaction, assessmentId: number, reviewId: number): Promise<void> {
  await db('assessments').where({ id: assessmentId, status: 'draft' }).whereNull('from_review_id').update({ from_review_id: reviewId });
}
