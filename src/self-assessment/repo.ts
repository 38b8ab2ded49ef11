import type { DbOrTransaction } from '../db/knex.js';

/** An access code as kept: its hash, and whether it can still be used. */
export type Invitation = {
  id: number;
  personId: number;
  codeHash: string;
  createdBy: number;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
};

type InvitationRow = {
  id: number;
  person_id: number;
  code_hash: string;
  created_by: number;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
};

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    personId: row.person_id,
    codeHash: row.code_hash,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
  };
}

/** The person's code that has not been revoked (it may have expired). */
export async function unrevokedInvitation(db: DbOrTransaction, personId: number): Promise<Invitation | undefined> {
  const row = (await db('self_assessment_invitations').where({ person_id: personId }).whereNull('revoked_at').first()) as
    InvitationRow | undefined;
  return row && toInvitation(row);
}

export async function findInvitation(db: DbOrTransaction, id: number): Promise<Invitation | undefined> {
  const row = (await db('self_assessment_invitations').where({ id }).first()) as InvitationRow | undefined;
  return row && toInvitation(row);
}

/** Revokes whatever code the person has, returning the ids revoked. */
export async function revokeInvitations(db: DbOrTransaction, personId: number, by: number, at: Date): Promise<number[]> {
  const rows = (await db('self_assessment_invitations')
    .where({ person_id: personId })
    .whereNull('revoked_at')
    .update({ revoked_at: at, revoked_by: by })
    .returning('id')) as { id: number }[];
  return rows.map((row) => row.id);
}

export async function insertInvitation(
  db: DbOrTransaction,
  invitation: { personId: number; codeHash: string; createdBy: number; createdAt: Date; expiresAt: Date },
): Promise<Invitation> {
  const [row] = (await db('self_assessment_invitations')
    .insert({
      person_id: invitation.personId,
      code_hash: invitation.codeHash,
      created_by: invitation.createdBy,
      created_at: invitation.createdAt,
      expires_at: invitation.expiresAt,
    })
    .returning('*')) as InvitationRow[];
  return toInvitation(row as InvitationRow);
}

/** Who a council reference belongs to, with the date of birth the sign-in checks it against. */
export async function personByReference(db: DbOrTransaction, reference: string): Promise<{ id: number; dateOfBirth: string } | undefined> {
  const row = (await db('people').whereRaw('upper(reference) = upper(?)', [reference]).first('id', 'date_of_birth')) as
    { id: number; date_of_birth: string } | undefined;
  return row && { id: row.id, dateOfBirth: row.date_of_birth };
}

export type SelfAssessmentStatus = 'in_progress' | 'submitted' | 'reviewed';

/** The person's own answers: question key to option key, as the RAS engine reads them. */
export type SelfAssessment = {
  id: number;
  personId: number;
  rasVersionId: number;
  status: SelfAssessmentStatus;
  answers: Record<string, string>;
  startedAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
  assessmentId: number | null;
  version: number;
};

export type SelfAssessmentRow = {
  id: number;
  person_id: number;
  ras_version_id: number;
  status: SelfAssessmentStatus;
  answers: Record<string, string>;
  started_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  assessment_id: number | null;
  version: number;
};

export function toSelfAssessment(row: SelfAssessmentRow): SelfAssessment {
  return {
    id: row.id,
    personId: row.person_id,
    rasVersionId: row.ras_version_id,
    status: row.status,
    answers: row.answers,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    assessmentId: row.assessment_id,
    version: row.version,
  };
}

/** The person's latest self-assessment, for the person page (read with the page's other records). */
export function latestSelfAssessmentQuery(db: DbOrTransaction, personId: number) {
  return db('self_assessments').where({ person_id: personId }).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(1).select('*');
}

/** The person's code that has not been revoked, for the person page. */
export function unrevokedInvitationQuery(db: DbOrTransaction, personId: number) {
  return db('self_assessment_invitations')
    .where({ person_id: personId })
    .whereNull('revoked_at')
    .select('id', 'person_id', 'created_by', 'created_at', 'expires_at', 'revoked_at');
}

export async function latestSelfAssessment(db: DbOrTransaction, personId: number, lock = false): Promise<SelfAssessment | undefined> {
  const query = latestSelfAssessmentQuery(db, personId);
  if (lock) query.forUpdate();
  const [row] = (await query) as SelfAssessmentRow[];
  return row && toSelfAssessment(row);
}

export async function findSelfAssessment(db: DbOrTransaction, id: number, lock = false): Promise<SelfAssessment | undefined> {
  const query = db('self_assessments').where({ id }).first();
  if (lock) query.forUpdate();
  const row = (await query) as SelfAssessmentRow | undefined;
  return row && toSelfAssessment(row);
}

export async function insertSelfAssessment(
  db: DbOrTransaction,
  draft: { personId: number; rasVersionId: number; at: Date },
): Promise<SelfAssessment> {
  const [row] = (await db('self_assessments')
    .insert({ person_id: draft.personId, ras_version_id: draft.rasVersionId, started_at: draft.at, updated_at: draft.at })
    .returning('*')) as SelfAssessmentRow[];
  return toSelfAssessment(row as SelfAssessmentRow);
}

/** Changes a self-assessment only at the version read; undefined when someone changed it first. */
export async function updateSelfAssessment(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: { answers?: Record<string, string>; status?: SelfAssessmentStatus; submittedAt?: Date; assessmentId?: number; at: Date },
): Promise<SelfAssessment | undefined> {
  const [row] = (await db('self_assessments')
    .where({ id, version: expectedVersion })
    .update({
      ...(changes.answers === undefined ? {} : { answers: JSON.stringify(changes.answers) }),
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(changes.submittedAt === undefined ? {} : { submitted_at: changes.submittedAt }),
      ...(changes.assessmentId === undefined ? {} : { assessment_id: changes.assessmentId }),
      updated_at: changes.at,
      version: db.raw('version + 1'),
    })
    .returning('*')) as SelfAssessmentRow[];
  return row && toSelfAssessment(row);
}

/** An answer gone through with the person: what was agreed, and why when it differs from theirs. */
export type AgreedAnswer = { questionKey: string; personOption: string | null; agreedOption: string; reason: string | null };

export async function agreedAnswersOf(db: DbOrTransaction, selfAssessmentId: number): Promise<AgreedAnswer[]> {
  const rows = (await db('self_assessment_agreed_answers')
    .where({ self_assessment_id: selfAssessmentId })
    .select('question_key', 'person_option', 'agreed_option', 'reason')) as {
    question_key: string;
    person_option: string | null;
    agreed_option: string;
    reason: string | null;
  }[];
  return rows.map((row) => ({
    questionKey: row.question_key,
    personOption: row.person_option,
    agreedOption: row.agreed_option,
    reason: row.reason,
  }));
}

export async function saveAgreedAnswers(
  db: DbOrTransaction,
  selfAssessmentId: number,
  answers: AgreedAnswer[],
  by: number,
  at: Date,
): Promise<void> {
  if (answers.length === 0) return;
  await db('self_assessment_agreed_answers')
    .insert(
      answers.map((answer) => ({
        self_assessment_id: selfAssessmentId,
        question_key: answer.questionKey,
        person_option: answer.personOption,
        agreed_option: answer.agreedOption,
        reason: answer.reason,
        agreed_by: by,
        agreed_at: at,
      })),
    )
    .onConflict(['self_assessment_id', 'question_key'])
    .merge(['agreed_option', 'reason', 'agreed_by', 'agreed_at']);
}
