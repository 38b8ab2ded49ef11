import type { BudgetEndReason } from '../finance/ending-reasons.js';
import type {
  AccommodationStatus,
  EmploymentStatus,
  Ethnicity,
  Gender,
  PrimarySupportReason,
  RequestOutcome,
  RouteOfAccess,
} from '../people/client-level-data.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import { managementOptions, type ManagementOption } from '../plans/options.js';
import { csvPounds } from '../spreadsheet-cells.js';
import type { OutcomeResult, ReviewDecision, ReviewKind, ReviewStatus } from '../reviews/repo.js';
import type { Quarter } from './quarters.js';
import {
  accommodationStatusValues,
  assessmentTypeValues,
  clientTypeValues,
  deliveryMechanismValues,
  employmentStatusValues,
  ethnicityValues,
  genderValues,
  primarySupportReasonValues,
  requestOutcomeValues,
  reviewDecisionValues,
  routeOfAccessValues,
  serviceEndValues,
  serviceTypeValues,
  yesNo,
} from './values.js';

/**
 * The quarterly Client Level Data return, worked out from records read beforehand: no I/O and no
 * clock, so every inclusion rule (DOMAIN.md, "Client Level Data") is tested on plain data.
 */

/** The specification's columns, in its order (Release 1). Columns we hold nothing for stay empty. */
export const cldColumns = [
  'LA_Code',
  'Reporting_Period_Start_Date',
  'Reporting_Period_End_Date',
  'NHS_Number',
  'LA_Person_Unique_Identifier',
  'GP_Practice_Code',
  'GP_Practice_Name',
  'Gender',
  'Ethnicity',
  'Date_of_Birth',
  'Date_of_Death',
  'Client_Type',
  'Primary_Support_Reason',
  'Postcode',
  'Accommodation_Status',
  'Employment_Status',
  'Has_Unpaid_Carer',
  'Autism_Spectrum_Disorder_ASD',
  'Visual_Impairment',
  'Hearing_Impairment',
  'Dementia',
  'Client_Funding_Status',
  'Event_Type',
  'Event_Reference',
  'Event_Start_Date',
  'Event_End_Date',
  'Event_Description',
  'Event_Outcome',
  'Request_Route_of_Access',
  'Assessment_Type',
  'Eligible_Needs_Identified',
  'Method_of_Assessment',
  'Total_Hrs_Caring_per_week',
  'No_of_adults_being_cared_for',
  'Adult_1_Linked_Person_ID',
  'Adult_2_Linked_Person_ID',
  'Adult_3_Linked_Person_ID',
  'Service_Type',
  'Service_Component',
  'Delivery_Mechanism',
  'Provider_CQC_Location_ID',
  'Provider_CQC_Location_Name',
  'Review_Reason',
  'Review_Outcomes_Achieved',
  'Method_of_Review',
  'Unit_Cost',
  'Cost_Frequency_Unit_Type',
  'Planned_units_per_week',
] as const;
export type CldColumn = (typeof cldColumns)[number];
export type CldRow = Record<CldColumn, string>;

export type CldPerson = {
  id: number;
  /** The council's own reference: the return's LA_Person_Unique_Identifier. */
  reference: string;
  givenName: string;
  familyName: string;
  nhsNumber: string | null;
  dateOfBirth: string;
  postcode: string;
  clientGroup: PersonClientGroup;
  gender: Gender | null;
  ethnicity: Ethnicity | null;
  primarySupportReason: PrimarySupportReason | null;
  accommodationStatus: AccommodationStatus | null;
  employmentStatus: EmploymentStatus | null;
  hasUnpaidCarer: boolean | null;
  dateOfDeath: string | null;
  /** For a carer, the references of the people they care for (at most three). */
  caresFor: string[];
};

export type CldRequest = {
  id: number;
  personId: number;
  receivedOn: string;
  routeOfAccess: RouteOfAccess;
  outcome: RequestOutcome | null;
  decidedOn: string | null;
  cancelled: boolean;
};

export type CldAssessment = {
  id: number;
  personId: number;
  type: 'person' | 'carer';
  startedOn: string;
  /** The London day it was submitted; null while it is a draft. */
  submittedOn: string | null;
  eligible: boolean | null;
};

export type CldService = {
  /** The personal budget. */
  id: number;
  personId: number;
  startDate: string;
  endDate: string | null;
  endReason: BudgetEndReason | '';
  /** The weekly amount by how it is managed. */
  split: Record<ManagementOption, number>;
};

export type CldReview = {
  id: number;
  personId: number;
  kind: ReviewKind;
  status: ReviewStatus;
  reviewDate: string | null;
  /** The London day it was completed; null unless completed. */
  completedOn: string | null;
  decision: ReviewDecision | null;
  decisionEndReason: BudgetEndReason | '';
  findings: OutcomeResult[];
};

export type CldRecords = {
  localAuthorityCode: string;
  people: CldPerson[];
  requests: CldRequest[];
  assessments: CldAssessment[];
  services: CldService[];
  reviews: CldReview[];
};

/** The fields of the person form the check page links to, by the id of their input there. */
export type PersonField =
  | 'nhsNumber'
  | 'gender'
  | 'ethnicity'
  | 'primarySupportReason'
  | 'accommodationStatus'
  | 'employmentStatus'
  | 'hasUnpaidCarer'
  | 'dateOfDeath-day'
  | 'postcode';

export type PersonGaps = { person: CldPerson; missing: PersonField[]; rows: number };

export type CldReturn = { rows: CldRow[]; gaps: PersonGaps[]; people: number };

type EventRow = Partial<CldRow> & Pick<CldRow, 'Event_Type' | 'Event_Reference' | 'Event_Start_Date'>;

const within = (day: string | null, quarter: Quarter): day is string => day !== null && day >= quarter.start && day <= quarter.end;

/** A request is in once it was dealt with in the quarter; an open or cancelled one is out. */
export function requestIsIn(request: CldRequest, quarter: Quarter): boolean {
  return !request.cancelled && within(request.decidedOn, quarter);
}

/** An assessment is in once it was completed (submitted) in the quarter; a draft is still open. */
export function assessmentIsIn(assessment: CldAssessment, quarter: Quarter): boolean {
  return within(assessment.submittedOn, quarter);
}

/**
 * A service is in when it ran on any day of the quarter, still open or not. A budget ended the day
 * before it started never ran: that is how a cancelled start is recorded, and it is out.
 */
export function serviceIsIn(service: CldService, quarter: Quarter): boolean {
  const neverRan = service.endDate !== null && service.endDate < service.startDate;
  return !neverRan && service.startDate <= quarter.end && (service.endDate === null || service.endDate >= quarter.start);
}

/** A review is in once it was completed in the quarter; a scheduled or cancelled one is out. */
export function reviewIsIn(review: CldReview, quarter: Quarter): boolean {
  return review.status === 'completed' && within(review.completedOn, quarter);
}

function requestRow(request: CldRequest): EventRow {
  return {
    Event_Type: 'Request',
    Event_Reference: `REQ-${request.id}`,
    Event_Start_Date: request.receivedOn,
    Event_End_Date: request.decidedOn ?? '',
    Event_Outcome: request.outcome ? requestOutcomeValues[request.outcome] : '',
    Request_Route_of_Access: routeOfAccessValues[request.routeOfAccess],
  };
}

function assessmentRow(assessment: CldAssessment): EventRow {
  return {
    Event_Type: 'Assessment',
    Event_Reference: `ASM-${assessment.id}`,
    Event_Start_Date: assessment.startedOn,
    Event_End_Date: assessment.submittedOn ?? '',
    Event_Outcome:
      assessment.eligible === null
        ? ''
        : requestOutcomeValues[assessment.eligible ? 'progress_to_support_planning' : 'nfa_information_signposting'],
    Assessment_Type: assessmentTypeValues[assessment.type],
    Eligible_Needs_Identified: assessment.eligible === null ? '' : yesNo(assessment.eligible),
    // Every assessment here is the supported self-assessment questionnaire.
    Method_of_Assessment: 'Supported Self-Assessment',
  };
}

/** A budget managed two ways is two services; the suffix tells their references apart. */
const referenceSuffixes: Record<ManagementOption, string> = {
  direct_payment: 'DP',
  council_managed: 'CM',
  individual_service_fund: 'ISF',
  prepaid_card: 'PPC',
};

/** One row for each way the budget is managed, each with its own weekly amount. */
function serviceRows(service: CldService, isCarer: boolean): EventRow[] {
  return managementOptions
    .filter((option) => service.split[option] > 0)
    .map((option) => ({
      Event_Type: 'Service',
      Event_Reference: `PB-${service.id}-${referenceSuffixes[option]}`,
      Event_Start_Date: service.startDate,
      Event_End_Date: service.endDate ?? '',
      Event_Outcome: service.endDate !== null && service.endReason !== '' ? serviceEndValues[service.endReason] : '',
      Service_Type: isCarer ? serviceTypeValues.carer : serviceTypeValues.serviceUser,
      Service_Component:
        option === 'direct_payment' ? 'Direct Payment' : isCarer ? 'Other Carer Support' : 'Other Long Term Community Support',
      Delivery_Mechanism: deliveryMechanismValues[option],
      Unit_Cost: csvPounds(service.split[option]),
      Cost_Frequency_Unit_Type: 'Weekly',
      Planned_units_per_week: '1',
    }));
}

function outcomesAchieved(findings: OutcomeResult[]): string {
  if (findings.length === 0) return '';
  if (findings.every((result) => result === 'met')) return 'Fully Achieved';
  if (findings.every((result) => result === 'not_met')) return 'Not Achieved';
  return 'Partially Achieved';
}

function reviewRow(review: CldReview): EventRow {
  const outcome =
    review.decision === 'end_budget' && review.decisionEndReason !== ''
      ? serviceEndValues[review.decisionEndReason]
      : review.decision
        ? reviewDecisionValues[review.decision]
        : '';
  return {
    Event_Type: 'Review',
    Event_Reference: `REV-${review.id}`,
    Event_Start_Date: review.reviewDate ?? review.completedOn ?? '',
    Event_End_Date: review.completedOn ?? '',
    Event_Outcome: outcome,
    Review_Reason: review.kind === 'unplanned' ? 'Unplanned' : 'Planned',
    Review_Outcomes_Achieved: outcomesAchieved(review.findings),
  };
}

const emptyRow = Object.fromEntries(cldColumns.map((column) => [column, ''])) as CldRow;

function personColumns(person: CldPerson, records: CldRecords, quarter: Quarter): Partial<CldRow> {
  const isCarer = person.clientGroup === 'carer';
  return {
    LA_Code: records.localAuthorityCode,
    Reporting_Period_Start_Date: quarter.start,
    Reporting_Period_End_Date: quarter.end,
    NHS_Number: person.nhsNumber ?? '',
    LA_Person_Unique_Identifier: person.reference,
    Gender: person.gender ? genderValues[person.gender] : '',
    Ethnicity: person.ethnicity ? ethnicityValues[person.ethnicity] : '',
    Date_of_Birth: person.dateOfBirth,
    Date_of_Death: person.dateOfDeath ?? '',
    Client_Type: isCarer ? clientTypeValues.carer : clientTypeValues.serviceUser,
    Primary_Support_Reason: person.primarySupportReason ? primarySupportReasonValues[person.primarySupportReason] : '',
    Postcode: person.postcode,
    Accommodation_Status: person.accommodationStatus ? accommodationStatusValues[person.accommodationStatus] : '',
    Employment_Status: person.employmentStatus ? employmentStatusValues[person.employmentStatus] : '',
    Has_Unpaid_Carer: person.hasUnpaidCarer === null ? '' : yesNo(person.hasUnpaidCarer),
    ...(isCarer
      ? {
          No_of_adults_being_cared_for: person.caresFor.length > 0 ? String(person.caresFor.length) : '',
          Adult_1_Linked_Person_ID: person.caresFor[0] ?? '',
          Adult_2_Linked_Person_ID: person.caresFor[1] ?? '',
          Adult_3_Linked_Person_ID: person.caresFor[2] ?? '',
        }
      : {}),
  };
}

/** Whole years from the date of birth to `day`. */
function ageOn(dateOfBirth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return day.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

/**
 * The mandatory fields the person's rows miss. Every row needs the NHS number, gender, ethnicity,
 * postcode, accommodation and whether they have an unpaid carer; a service user's rows other than
 * requests need a primary support reason; employment is asked of service users of working age
 * (18 to 64) whose primary support reason is a learning disability; and a date of death is needed
 * once a record says the person died.
 */
export function missingFields(person: CldPerson, events: readonly EventRow[], died: boolean, quarter: Quarter): PersonField[] {
  const serviceUser = person.clientGroup !== 'carer';
  const age = ageOn(person.dateOfBirth, quarter.end);
  const missing: PersonField[] = [];
  if (!person.nhsNumber) missing.push('nhsNumber');
  if (!person.gender) missing.push('gender');
  if (!person.ethnicity) missing.push('ethnicity');
  if (serviceUser && !person.primarySupportReason && events.some((event) => event.Event_Type !== 'Request'))
    missing.push('primarySupportReason');
  if (!person.accommodationStatus) missing.push('accommodationStatus');
  if (serviceUser && !person.employmentStatus && person.primarySupportReason === 'learning_disability' && age >= 18 && age <= 64) {
    missing.push('employmentStatus');
  }
  if (person.hasUnpaidCarer === null) missing.push('hasUnpaidCarer');
  if (died && !person.dateOfDeath) missing.push('dateOfDeath-day');
  if (person.postcode.trim() === '') missing.push('postcode');
  return missing;
}

function byPerson<T extends { personId: number }>(records: readonly T[]): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const record of records) grouped.set(record.personId, [...(grouped.get(record.personId) ?? []), record]);
  return grouped;
}

/**
 * One row per person per event in the quarter, people in order of their reference and each
 * person's events in date order. People with gaps are kept in: the check page lists them, and
 * their rows go with the gap left empty, so nobody drops out of the return unseen.
 */
export function buildReturn(quarter: Quarter, records: CldRecords): CldReturn {
  const requests = byPerson(records.requests);
  const assessments = byPerson(records.assessments);
  const services = byPerson(records.services);
  const reviews = byPerson(records.reviews);
  const rows: CldRow[] = [];
  const gaps: PersonGaps[] = [];
  let people = 0;
  const inOrder = [...records.people].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : a.id - b.id));
  for (const person of inOrder) {
    const isCarer = person.clientGroup === 'carer';
    const personServices = services.get(person.id) ?? [];
    const personRequests = requests.get(person.id) ?? [];
    const personReviews = reviews.get(person.id) ?? [];
    const events: EventRow[] = [
      ...personRequests.filter((request) => requestIsIn(request, quarter)).map(requestRow),
      ...(assessments.get(person.id) ?? []).filter((assessment) => assessmentIsIn(assessment, quarter)).map(assessmentRow),
      ...personServices.filter((service) => serviceIsIn(service, quarter)).flatMap((service) => serviceRows(service, isCarer)),
      ...personReviews.filter((review) => reviewIsIn(review, quarter)).map(reviewRow),
    ].sort((a, b) => (a.Event_Start_Date < b.Event_Start_Date ? -1 : a.Event_Start_Date > b.Event_Start_Date ? 1 : 0));
    if (events.length === 0) continue;
    people += 1;
    const died =
      personServices.some((service) => service.endReason === 'died') ||
      personRequests.some((request) => request.outcome === 'nfa_deceased') ||
      personReviews.some((review) => review.decisionEndReason === 'died');
    const missing = missingFields(person, events, died, quarter);
    if (missing.length > 0) gaps.push({ person, missing, rows: events.length });
    const common = personColumns(person, records, quarter);
    for (const event of events) rows.push({ ...emptyRow, ...common, ...event });
  }
  return { rows, gaps, people };
}
