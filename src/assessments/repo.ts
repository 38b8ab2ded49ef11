import type { DbOrTransaction } from '../db/knex.js';
import type { RasResult } from '../ras/engine.js';

export type AssessmentType = 'person' | 'carer';
export type AssessmentStatus = 'draft' | 'submitted' | 'superseded';

export type AssessmentRow = {
  id: number;
  person_id: number;
  assessment_type: AssessmentType;
  client_group: string;
  ras_version_id: number;
  status: AssessmentStatus;
  /** Question and adjustment key to the chosen option key: the engine's answers format. */
  answers: Record<string, string>;
  /** The eligibility facts, and once submitted the decision beside them: read with readEligibility (questionnaire.ts). */
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

export type AssessmentListRow = AssessmentRow & { ras_version_name: string };

export async function findAssessment(db: DbOrTransaction, id: number): Promise<AssessmentRow | undefined> {
  return db<AssessmentRow>('assessments').where({ id }).first();
}

export async function findAssessmentForUpdate(db: DbOrTransaction, id: number): Promise<AssessmentRow | undefined> {
  return db<AssessmentRow>('assessments').where({ id }).forUpdate().first();
}

export async function findDraft(db: DbOrTransaction, personId: number, type: AssessmentType): Promise<AssessmentRow | undefined> {
  return db<AssessmentRow>('assessments').where({ person_id: personId, assessment_type: type, status: 'draft' }).first();
}

/** Newest first: the draft (if any) and the current result lead the person's list. */
export async function listForPerson(db: DbOrTransaction, personId: number): Promise<AssessmentListRow[]> {
  return (await db('assessments as a')
    .join('ras_versions as v', 'v.id', 'a.ras_version_id')
    .where('a.person_id', personId)
    .select('a.*', 'v.name as ras_version_name')
    .orderBy('a.started_at', 'desc')
    .orderBy('a.id', 'desc')) as AssessmentListRow[];
}

export async function insertDraft(
  db: DbOrTransaction,
  draft: { personId: number; type: AssessmentType; clientGroup: string; rasVersionId: number; startedBy: number; at: Date },
): Promise<AssessmentRow> {
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
  return row as AssessmentRow;
}

/** Saves a draft's answers only at the version the user saw; undefined when someone saved first. */
export async function updateDraft(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: { answers?: Record<string, string>; eligibility?: unknown; at: Date },
): Promise<AssessmentRow | undefined> {
  const [row] = (await db('assessments')
    .where({ id, version: expectedVersion, status: 'draft' })
    .update({
      ...(changes.answers === undefined ? {} : { answers: JSON.stringify(changes.answers) }),
      ...(changes.eligibility === undefined ? {} : { eligibility: JSON.stringify(changes.eligibility) }),
      updated_at: changes.at,
      version: db.raw('version + 1'),
    })
    .returning('*')) as AssessmentRow[];
  return row;
}

/**
 * Marks the person's current result of this type as replaced. Runs before the new one is set to
 * submitted: the partial unique index allows one submitted assessment per person and type.
 * The version is left alone: it counts edits to a draft, and a submitted row is never edited.
 */
export async function supersedeCurrent(db: DbOrTransaction, personId: number, type: AssessmentType, at: Date): Promise<AssessmentRow[]> {
  return (await db('assessments')
    .where({ person_id: personId, assessment_type: type, status: 'submitted' })
    .update({ status: 'superseded', superseded_at: at })
    .returning('*')) as AssessmentRow[];
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
): Promise<AssessmentRow | undefined> {
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
  return row;
}

export async function userName(db: DbOrTransaction, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const row = (await db('users').where({ id }).first('display_name')) as { display_name: string } | undefined;
  return row?.display_name ?? null;
}
