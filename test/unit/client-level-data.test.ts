import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { returnCsv } from '../../src/client-level-data/csv.js';
import { safeCell } from '../../src/web/csv.js';
import { previousQuarter, quarterContaining, quarterLabel, quarterOf } from '../../src/client-level-data/quarters.js';
import {
  buildReturn,
  cldColumns,
  type CldAssessment,
  type CldPerson,
  type CldRecords,
  type CldRequest,
  type CldReview,
  type CldService,
} from '../../src/client-level-data/return.js';
import { quarterSchema } from '../../src/client-level-data/schemas.js';

/** 2026-27 Q2: July to September 2026. */
const q2 = quarterOf(2026, 2);

function aPerson(changes: Partial<CldPerson> = {}): CldPerson {
  return {
    id: 1,
    reference: 'P-001',
    givenName: 'Ada',
    familyName: 'Lovelace',
    nhsNumber: '9434765919',
    dateOfBirth: '1950-04-01',
    postcode: 'LS1 4AP',
    clientGroup: 'older_people',
    gender: 'female',
    ethnicity: 'A',
    primarySupportReason: 'physical_personal_care',
    accommodationStatus: 'owner_occupier',
    employmentStatus: null,
    hasUnpaidCarer: true,
    dateOfDeath: null,
    caresFor: [],
    ...changes,
  };
}

const aRequest = (changes: Partial<CldRequest> = {}): CldRequest => ({
  id: 10,
  personId: 1,
  receivedOn: '2026-07-01',
  routeOfAccess: 'community_other',
  outcome: 'progress_to_assessment',
  decidedOn: '2026-07-03',
  cancelled: false,
  ...changes,
});
const anAssessment = (changes: Partial<CldAssessment> = {}): CldAssessment => ({
  id: 20,
  personId: 1,
  type: 'person',
  startedOn: '2026-07-05',
  submittedOn: '2026-07-20',
  eligible: true,
  ...changes,
});
const aService = (changes: Partial<CldService> = {}): CldService => ({
  id: 30,
  personId: 1,
  startDate: '2026-08-01',
  endDate: null,
  endReason: '',
  split: { direct_payment: 0, council_managed: 25_050, individual_service_fund: 0, prepaid_card: 0 },
  ...changes,
});
const aReview = (changes: Partial<CldReview> = {}): CldReview => ({
  id: 40,
  personId: 1,
  kind: 'first',
  status: 'completed',
  reviewDate: '2026-09-20',
  completedOn: '2026-09-21',
  decision: 'continue',
  decisionEndReason: '',
  findings: ['met'],
  ...changes,
});

function records(changes: Partial<CldRecords>): CldRecords {
  return { localAuthorityCode: '999', people: [aPerson()], requests: [], assessments: [], services: [], reviews: [], ...changes };
}

const eventsOf = (changes: Partial<CldRecords>) => buildReturn(q2, records(changes)).rows.map((row) => row.Event_Reference);

describe('quarters of the financial year', () => {
  it('2026-27 Q2 is July to September 2026', () => {
    expect(q2).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    expect(quarterLabel(q2)).toBe('2026-27 Q2');
  });
  it('Q4 is January to March of the next calendar year, with 29 February in a leap year', () => {
    expect(quarterOf(2027, 4)).toMatchObject({ start: '2028-01-01', end: '2028-03-31' });
    expect(quarterContaining('2028-02-29')).toEqual(quarterOf(2027, 4));
  });
  it('the quarter before Q1 is Q4 of the year before', () => {
    expect(previousQuarter(quarterOf(2026, 1))).toEqual(quarterOf(2025, 4));
    expect(quarterContaining('2026-04-01')).toEqual(quarterOf(2026, 1));
  });
  it('reads a quarter as staff type it, and refuses one whose years do not follow', () => {
    expect(quarterSchema.parse(' 2026-27 q2 ')).toEqual(q2);
    expect(quarterSchema.parse('2026/27 Q2')).toEqual(q2);
    expect(quarterSchema.safeParse('2026-28 Q2').success).toBe(false);
    expect(quarterSchema.safeParse('2026-27 Q5').success).toBe(false);
    expect(quarterSchema.safeParse('July 2026').success).toBe(false);
  });
});

describe('which events are in the quarter', () => {
  it('an assessment completed in the quarter is in', () => {
    expect(eventsOf({ assessments: [anAssessment()] })).toEqual(['ASM-20']);
  });
  it('an open (draft) assessment is out', () => {
    expect(eventsOf({ assessments: [anAssessment({ submittedOn: null, eligible: null })] })).toEqual([]);
  });
  it('an assessment started in the quarter but completed after it is out', () => {
    expect(eventsOf({ assessments: [anAssessment({ submittedOn: '2026-10-01' })] })).toEqual([]);
  });
  it('an assessment completed before the quarter is out, even when it is still the current one', () => {
    expect(eventsOf({ assessments: [anAssessment({ startedOn: '2026-06-01', submittedOn: '2026-06-30' })] })).toEqual([]);
  });
  it('a request dealt with in the quarter is in; an open one and a cancelled one are out', () => {
    expect(
      eventsOf({
        requests: [aRequest({ id: 11 }), aRequest({ id: 12, outcome: null, decidedOn: null }), aRequest({ id: 13, cancelled: true })],
      }),
    ).toEqual(['REQ-11']);
  });
  it('a service active across the whole quarter is in, as one still open', () => {
    expect(eventsOf({ services: [aService({ startDate: '2025-01-06', endDate: null })] })).toEqual(['PB-30-CM']);
  });
  it('a service active for one day of the quarter is in, at either end', () => {
    expect(
      eventsOf({
        services: [
          aService({ id: 31, startDate: '2026-01-01', endDate: '2026-07-01', endReason: 'declined' }),
          aService({ id: 32, startDate: '2026-09-30' }),
        ],
      }),
    ).toEqual(['PB-31-CM', 'PB-32-CM']);
  });
  it('a service that ended before the quarter or starts after it is out', () => {
    expect(
      eventsOf({
        services: [
          aService({ id: 31, startDate: '2026-01-01', endDate: '2026-06-30', endReason: 'declined' }),
          aService({ id: 32, startDate: '2026-10-01' }),
        ],
      }),
    ).toEqual([]);
  });
  it('a cancelled service (a budget ended the day before it started) is out', () => {
    expect(eventsOf({ services: [aService({ startDate: '2026-08-01', endDate: '2026-07-31', endReason: 'declined' })] })).toEqual([]);
  });
  it('a review completed in the quarter is in; a scheduled one and a cancelled one are out', () => {
    expect(
      eventsOf({
        reviews: [
          aReview({ id: 41 }),
          aReview({ id: 42, status: 'scheduled', completedOn: null, reviewDate: null, decision: null, findings: [] }),
          aReview({ id: 43, status: 'cancelled', completedOn: null, reviewDate: null, decision: null, findings: [] }),
        ],
      }),
    ).toEqual(['REV-41']);
  });
  it('a person with no event in the quarter has no row and is not checked', () => {
    const result = buildReturn(q2, records({ people: [aPerson({ nhsNumber: null })] }));
    expect(result).toEqual({ rows: [], gaps: [], people: 0 });
  });
});

describe('what each row says', () => {
  it('has the specification’s columns in its order, person details repeated on every event row, events in date order', () => {
    const result = buildReturn(
      q2,
      records({ requests: [aRequest()], assessments: [anAssessment()], services: [aService()], reviews: [aReview()] }),
    );
    expect(Object.keys(result.rows[0] ?? {})).toEqual([...cldColumns]);
    expect(result.rows.map((row) => [row.Event_Type, row.Event_Start_Date, row.Event_End_Date, row.Event_Outcome])).toEqual([
      ['Request', '2026-07-01', '2026-07-03', 'Progress to Assessment'],
      ['Assessment', '2026-07-05', '2026-07-20', 'Progress to Support Planning / Services'],
      ['Service', '2026-08-01', '', ''],
      ['Review', '2026-09-20', '2026-09-21', 'No change in package / level of support'],
    ]);
    for (const row of result.rows) {
      expect(row).toMatchObject({
        LA_Code: '999',
        Reporting_Period_Start_Date: '2026-07-01',
        Reporting_Period_End_Date: '2026-09-30',
        NHS_Number: '9434765919',
        LA_Person_Unique_Identifier: 'P-001',
        Gender: 'Female',
        Client_Type: 'Service User',
      });
    }
  });
  it('a budget managed two ways is two services, each with its delivery mechanism and weekly cost in pounds', () => {
    const rows = buildReturn(
      q2,
      records({
        services: [aService({ split: { direct_payment: 10_000, council_managed: 0, individual_service_fund: 5_005, prepaid_card: 0 } })],
      }),
    ).rows;
    expect(rows.map((row) => [row.Event_Reference, row.Delivery_Mechanism, row.Unit_Cost, row.Cost_Frequency_Unit_Type])).toEqual([
      ['PB-30-DP', 'Direct Payment', '100.00', 'Weekly'],
      ['PB-30-ISF', 'CASSR Managed Personal Budget', '50.05', 'Weekly'],
    ]);
  });
  it('a carer’s rows have client type Carer, carer support and the people they care for', () => {
    const carer = aPerson({ id: 2, reference: 'C-002', clientGroup: 'carer', primarySupportReason: null, caresFor: ['P-001', 'P-007'] });
    const rows = buildReturn(
      q2,
      records({
        people: [carer],
        assessments: [anAssessment({ personId: 2, type: 'carer' })],
        services: [
          aService({ personId: 2, split: { direct_payment: 2_000, council_managed: 0, individual_service_fund: 0, prepaid_card: 0 } }),
        ],
      }),
    ).rows;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatchObject({
        Client_Type: 'Carer',
        No_of_adults_being_cared_for: '2',
        Adult_1_Linked_Person_ID: 'P-001',
        Adult_2_Linked_Person_ID: 'P-007',
        Adult_3_Linked_Person_ID: '',
      });
    }
    expect(rows[0]?.Assessment_Type).toBe('Carer Assessment - Separate');
    expect(rows[1]?.Service_Type).toBe('Carer Support: Direct to Carer');
  });
  it('a service user’s rows name nobody as cared for', () => {
    const rows = buildReturn(q2, records({ people: [aPerson({ caresFor: ['P-009'] })], services: [aService()] })).rows;
    expect(rows[0]).toMatchObject({ Client_Type: 'Service User', Adult_1_Linked_Person_ID: '', No_of_adults_being_cared_for: '' });
  });
});

describe('records missing a mandatory field', () => {
  it('are listed with every missing field, and their rows are still in the return with the gap left empty', () => {
    const person = aPerson({ nhsNumber: null, gender: null, ethnicity: null, accommodationStatus: null, hasUnpaidCarer: null });
    const result = buildReturn(q2, records({ people: [person], services: [aService()] }));
    expect(result.gaps).toEqual([
      { person, missing: ['nhsNumber', 'gender', 'ethnicity', 'accommodationStatus', 'hasUnpaidCarer'], rows: 1 },
    ]);
    expect(result.rows[0]).toMatchObject({ NHS_Number: '', Gender: '', Ethnicity: '', Event_Type: 'Service' });
  });
  it('a primary support reason is asked of a service user with more than a request, and never of a carer', () => {
    const noReason = aPerson({ primarySupportReason: null });
    expect(buildReturn(q2, records({ people: [noReason], requests: [aRequest()] })).gaps).toEqual([]);
    expect(buildReturn(q2, records({ people: [noReason], assessments: [anAssessment()] })).gaps[0]?.missing).toEqual([
      'primarySupportReason',
    ]);
    const carer = aPerson({ clientGroup: 'carer', primarySupportReason: null });
    expect(buildReturn(q2, records({ people: [carer], assessments: [anAssessment({ type: 'carer' })] })).gaps).toEqual([]);
  });
  it('employment status is asked of service users aged 18 to 64 with a learning disability', () => {
    const gapsFor = (dateOfBirth: string) =>
      buildReturn(
        q2,
        records({ people: [aPerson({ dateOfBirth, primarySupportReason: 'learning_disability' })], services: [aService()] }),
      ).gaps.flatMap((gap) => gap.missing);
    expect(gapsFor('1990-01-01')).toEqual(['employmentStatus']);
    // 65 on the last day of the quarter, and 18 only the day after it.
    expect(gapsFor('1961-09-30')).toEqual([]);
    expect(gapsFor('2008-10-01')).toEqual([]);
  });
  it('a date of death is asked once a budget ended because the person died', () => {
    const ended = aService({ endDate: '2026-08-15', endReason: 'died' });
    expect(buildReturn(q2, records({ services: [ended] })).gaps[0]?.missing).toEqual(['dateOfDeath-day']);
    const recorded = buildReturn(q2, records({ people: [aPerson({ dateOfDeath: '2026-08-15' })], services: [ended] }));
    expect(recorded.gaps).toEqual([]);
    expect(recorded.rows[0]).toMatchObject({ Date_of_Death: '2026-08-15', Event_Outcome: 'NFA - Deceased' });
  });
});

describe('the CSV file', () => {
  it('a cell beginning with = cannot run as a formula: it is written as text', async () => {
    expect(safeCell('=HYPERLINK("http://example.com","x")')).toBe('\'=HYPERLINK("http://example.com","x")');
    const [row] = buildReturn(q2, records({ people: [aPerson({ postcode: '=1+1' })], services: [aService()] })).rows;
    const lines = (await text(returnCsv(row ? [row] : []))).split('\r\n');
    expect(lines[1]).toContain(",'=1+1,");
    expect(lines[1]).not.toMatch(/(^|,)=/);
  });
  it('cells beginning with + - or @ are written as text too; dates and amounts are left alone', () => {
    // A plain negative number runs nothing and stays a number to add up.
    expect(['+1', '-1', '@SUM(A1)', '\t=1'].map(safeCell)).toEqual(["'+1", '-1', "'@SUM(A1)", "'\t=1"]);
    expect(['2026-07-01', '100.00', 'Direct Payment'].map(safeCell)).toEqual(['2026-07-01', '100.00', 'Direct Payment']);
  });
  it('starts with the column headings and quotes a value with commas in it', async () => {
    const person = aPerson({ accommodationStatus: 'tenant_council' });
    const [heading, first] = (await text(returnCsv(buildReturn(q2, records({ people: [person], services: [aService()] })).rows))).split(
      '\r\n',
    );
    expect(heading).toBe(cldColumns.join(','));
    expect(first).toContain(
      ',"Tenant (including local authority, arms length management organisations, registered social landlord, housing association)",',
    );
  });
});
