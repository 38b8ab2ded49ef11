import type { DbOrTransaction } from '../db/knex.js';
import type { Quarter } from './quarters.js';
import type { CldAssessment, CldPerson, CldRequest, CldReview, CldService } from './return.js';

/**
 * The records a quarter's return is worked out from. Each query keeps to rows that could be in the
 * quarter; which of them are in is decided by return.ts alone, so the rules live in one place.
 * `teamId` keeps a team manager's return to their own team's people.
 */

const londonDay = (column: string) => `(${column} at time zone 'Europe/London')::date`;

function peopleInScope(db: DbOrTransaction, teamId: number | null) {
  const query = db('people').select('id');
  return teamId === null ? query : query.where({ team_id: teamId });
}

type RequestRow = {
  id: number;
  person_id: number;
  received_on: string;
  route_of_access: CldRequest['routeOfAccess'];
  outcome: CldRequest['outcome'];
  decided_on: string | null;
  cancelled: boolean;
};

export async function requestsIn(db: DbOrTransaction, quarter: Quarter, teamId: number | null): Promise<CldRequest[]> {
  const rows = (await db('support_requests')
    .whereIn('person_id', peopleInScope(db, teamId))
    .whereBetween('decided_on', [quarter.start, quarter.end])
    .select('id', 'person_id', 'received_on', 'route_of_access', 'outcome', 'decided_on', db.raw('cancelled_at is not null as cancelled'))
    .orderBy('id')) as RequestRow[];
  return rows.map((row) => ({
    id: row.id,
    personId: row.person_id,
    receivedOn: row.received_on,
    routeOfAccess: row.route_of_access,
    outcome: row.outcome,
    decidedOn: row.decided_on,
    cancelled: row.cancelled,
  }));
}

type AssessmentRow = {
  id: number;
  person_id: number;
  assessment_type: CldAssessment['type'];
  started_on: string;
  submitted_on: string | null;
  eligible: boolean | null;
};

export async function assessmentsIn(db: DbOrTransaction, quarter: Quarter, teamId: number | null): Promise<CldAssessment[]> {
  const rows = (await db('assessments')
    .whereIn('person_id', peopleInScope(db, teamId))
    .whereNot({ status: 'draft' })
    .whereRaw(`${londonDay('submitted_at')} between ? and ?`, [quarter.start, quarter.end])
    .select(
      'id',
      'person_id',
      'assessment_type',
      db.raw(`to_char(${londonDay('started_at')}, 'YYYY-MM-DD') as started_on`),
      db.raw(`to_char(${londonDay('submitted_at')}, 'YYYY-MM-DD') as submitted_on`),
      'eligible',
    )
    .orderBy('id')) as AssessmentRow[];
  return rows.map((row) => ({
    id: row.id,
    personId: row.person_id,
    type: row.assessment_type,
    startedOn: row.started_on,
    submittedOn: row.submitted_on,
    eligible: row.eligible,
  }));
}

type ServiceRow = {
  id: number;
  person_id: number;
  start_date: string;
  end_date: string | null;
  end_reason: CldService['endReason'];
  direct_payment_weekly_pence: number;
  council_managed_weekly_pence: number;
  individual_service_fund_weekly_pence: number;
  prepaid_card_weekly_pence: number;
};

export async function servicesIn(db: DbOrTransaction, quarter: Quarter, teamId: number | null): Promise<CldService[]> {
  const rows = (await db('personal_budgets')
    .whereIn('person_id', peopleInScope(db, teamId))
    .where('start_date', '<=', quarter.end)
    .where((open) => open.whereNull('end_date').orWhere('end_date', '>=', quarter.start))
    .select(
      'id',
      'person_id',
      'start_date',
      'end_date',
      'end_reason',
      'direct_payment_weekly_pence',
      'council_managed_weekly_pence',
      'individual_service_fund_weekly_pence',
      'prepaid_card_weekly_pence',
    )
    .orderBy('id')) as ServiceRow[];
  return rows.map((row) => ({
    id: row.id,
    personId: row.person_id,
    startDate: row.start_date,
    endDate: row.end_date,
    endReason: row.end_reason,
    split: {
      direct_payment: Number(row.direct_payment_weekly_pence),
      council_managed: Number(row.council_managed_weekly_pence),
      individual_service_fund: Number(row.individual_service_fund_weekly_pence),
      prepaid_card: Number(row.prepaid_card_weekly_pence),
    },
  }));
}

type ReviewRow = {
  id: number;
  person_id: number;
  kind: CldReview['kind'];
  status: CldReview['status'];
  review_date: string | null;
  completed_on: string | null;
  decision: CldReview['decision'];
  decision_end_reason: CldReview['decisionEndReason'];
  outcome_findings: { result: CldReview['findings'][number] }[];
};

export async function reviewsIn(db: DbOrTransaction, quarter: Quarter, teamId: number | null): Promise<CldReview[]> {
  const rows = (await db('reviews')
    .whereIn('person_id', peopleInScope(db, teamId))
    .where({ status: 'completed' })
    .whereRaw(`${londonDay('completed_at')} between ? and ?`, [quarter.start, quarter.end])
    .select(
      'id',
      'person_id',
      'kind',
      'status',
      'review_date',
      db.raw(`to_char(${londonDay('completed_at')}, 'YYYY-MM-DD') as completed_on`),
      'decision',
      'decision_end_reason',
      'outcome_findings',
    )
    .orderBy('id')) as ReviewRow[];
  return rows.map((row) => ({
    id: row.id,
    personId: row.person_id,
    kind: row.kind,
    status: row.status,
    reviewDate: row.review_date,
    completedOn: row.completed_on,
    decision: row.decision,
    decisionEndReason: row.decision_end_reason,
    findings: row.outcome_findings.map((finding) => finding.result),
  }));
}

type PersonRow = {
  id: number;
  reference: string;
  given_name: string;
  family_name: string;
  nhs_number: string | null;
  date_of_birth: string;
  postcode: string;
  client_group: CldPerson['clientGroup'];
  gender: CldPerson['gender'];
  ethnicity: CldPerson['ethnicity'];
  primary_support_reason: CldPerson['primarySupportReason'];
  accommodation_status: CldPerson['accommodationStatus'];
  employment_status: CldPerson['employmentStatus'];
  has_unpaid_carer: boolean | null;
  date_of_death: string | null;
  cares_for: string[];
};

/** The people named, with the references of up to three people each cares for (the return has room for three). */
export async function peopleById(db: DbOrTransaction, ids: readonly number[]): Promise<CldPerson[]> {
  if (ids.length === 0) return [];
  const rows = (await db('people as p')
    .whereIn('p.id', ids)
    .select(
      'p.id',
      'p.reference',
      'p.given_name',
      'p.family_name',
      'p.nhs_number',
      'p.date_of_birth',
      'p.postcode',
      'p.client_group',
      'p.gender',
      'p.ethnicity',
      'p.primary_support_reason',
      'p.accommodation_status',
      'p.employment_status',
      'p.has_unpaid_carer',
      'p.date_of_death',
      db.raw(`array(
        select cared.reference from carer_links l join people cared on cared.id = l.cared_for_id
         where l.carer_id = p.id order by l.created_at, cared.reference limit 3
      ) as cares_for`),
    )) as PersonRow[];
  return rows.map((row) => ({
    id: row.id,
    reference: row.reference,
    givenName: row.given_name,
    familyName: row.family_name,
    nhsNumber: row.nhs_number,
    dateOfBirth: row.date_of_birth,
    postcode: row.postcode,
    clientGroup: row.client_group,
    gender: row.gender,
    ethnicity: row.ethnicity,
    primarySupportReason: row.primary_support_reason,
    accommodationStatus: row.accommodation_status,
    employmentStatus: row.employment_status,
    hasUnpaidCarer: row.has_unpaid_carer,
    dateOfDeath: row.date_of_death,
    caresFor: row.cares_for,
  }));
}
