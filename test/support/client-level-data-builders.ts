import type { Knex } from 'knex';
import type { PersonRow } from '../../src/people/repo.js';
import type { TestApp } from './app.js';
import { aPerson, aTeam, aUser, type TestUser } from './builders.js';
import { findRasVersionInForce } from '../../src/ras/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { anApprovedBudget } from './review-builders.js';
import { createServices } from '../../src/services.js';

/**
 * A small council whose 2026-27 Q2 (July to September 2026) Client Level Data return was worked
 * out by hand into test/fixtures/client-level-data/small-council-2026-27-Q2.csv. Every record is
 * written in a fixed order, so ids, and with them the event references, are the same on every run
 * of a fresh database. Each person stands for one or more of the inclusion rules.
 */
export type SmallCouncil = {
  northTeamId: number;
  southTeamId: number;
  admin: TestUser;
  northManager: TestUser;
  people: Record<'complete' | 'gaps' | 'carer' | 'died' | 'south' | 'earlier', PersonRow>;
};

type Cld = Partial<{
  nhs_number: string | null;
  gender: string | null;
  ethnicity: string | null;
  primary_support_reason: string | null;
  accommodation_status: string | null;
  employment_status: string | null;
  has_unpaid_carer: boolean | null;
  date_of_death: string | null;
  postcode: string;
}>;

async function withCld(db: Knex, person: PersonRow, cld: Cld): Promise<PersonRow> {
  await db('people').where({ id: person.id }).update(cld);
  return (await db('people').where({ id: person.id }).first()) as PersonRow;
}

async function aRequest(
  db: Knex,
  person: PersonRow,
  request: { receivedOn: string; route?: string; outcome?: string; decidedOn?: string; cancelledAt?: string },
) {
  await db('support_requests').insert({
    person_id: person.id,
    received_on: request.receivedOn,
    route_of_access: request.route ?? 'community_other',
    outcome: request.outcome ?? null,
    decided_on: request.decidedOn ?? null,
    cancelled_at: request.cancelledAt ?? null,
  });
}

/** An assessment started on one day and submitted on another (at 10am in summer), or still a draft. */
async function anAssessmentOn(
  db: Knex,
  person: PersonRow,
  by: TestUser,
  days: { started: string; submitted: string | null; type?: 'person' | 'carer' },
) {
  await ensureDefaultRas(db, { now: () => new Date('2026-01-05T09:00:00Z') });
  const ras = await findRasVersionInForce(db, days.started);
  if (!ras) throw new Error('No published RAS');
  const submitted =
    days.submitted === null
      ? {}
      : {
          status: 'submitted',
          submitted_by: by.id,
          submitted_at: `${days.submitted}T10:00:00Z`,
          eligible: true,
          raw_points: 83,
          modifier_percent: 0,
          annual_pence: 913_000,
          weekly_pence: 17_558,
          below_threshold: false,
          exceeds_ceiling: false,
        };
  await db('assessments').insert({
    person_id: person.id,
    assessment_type: days.type ?? 'person',
    client_group: person.client_group,
    ras_version_id: ras.id,
    status: 'draft',
    answers: JSON.stringify({}),
    eligibility: JSON.stringify({}),
    started_by: by.id,
    started_at: `${days.started}T09:00:00Z`,
    ...submitted,
  });
}

const full: Cld = {
  gender: 'female',
  ethnicity: 'A',
  primary_support_reason: 'physical_personal_care',
  accommodation_status: 'owner_occupier',
  has_unpaid_carer: true,
};

export async function aSmallCouncil(t: TestApp): Promise<SmallCouncil> {
  const db = t.db;
  const services = createServices(db, t.clock);
  await db('council_settings').where({ id: 1 }).update({ local_authority_code: 'E10000003' });
  const north = await aTeam(db, 'North');
  const south = await aTeam(db, 'South');
  const admin = await aUser(db, { role: 'admin' });
  const northManager = await aUser(db, { role: 'team_manager', teamId: north.id });
  const careManager = await aUser(db, { role: 'care_manager', teamId: north.id });
  const southCareManager = await aUser(db, { role: 'care_manager', teamId: south.id });
  const financeOfficer = await aUser(db, { role: 'finance_officer' });
  const budget = (person: PersonRow, startDate: string, items: Parameters<typeof anApprovedBudget>[3]['items'], cm = careManager) =>
    anApprovedBudget(services, db, t.clock, { person, careManager: cm, financeOfficer, items, startDate });

  // Everything recorded: a request, an assessment, a budget managed two ways and its first review, all in the quarter.
  const complete = await withCld(
    db,
    await aPerson(db, { teamId: north.id, reference: 'N-001', givenName: 'Ada', familyName: 'Complete', dateOfBirth: '1948-03-14' }),
    { ...full, nhs_number: '9434765919' },
  );
  await aRequest(db, complete, { receivedOn: '2026-06-20', outcome: 'progress_to_assessment', decidedOn: '2026-07-02' });
  await anAssessmentOn(db, complete, careManager, { started: '2026-07-03', submitted: '2026-07-10' });
  const completeBudget = await budget(complete, '2026-08-03', [
    { weeklyPence: 10_000, managementOption: 'direct_payment' },
    { weeklyPence: 15_050, managementOption: 'council_managed' },
  ]);
  const firstReview = completeBudget.reviews.find((review: { kind: string }) => review.kind === 'first') as { id: number };
  await db('reviews')
    .where({ id: firstReview.id })
    .update({
      status: 'completed',
      review_date: '2026-09-28',
      completed_at: '2026-09-29T11:00:00Z',
      completed_by: careManager.id,
      decision: 'continue',
      outcome_findings: JSON.stringify([
        { outcomeId: 1, description: 'Stay at home', result: 'met', comment: '' },
        { outcomeId: 2, description: 'See friends', result: 'partly_met', comment: '' },
      ]),
    });

  // A budget running all quarter, and gaps: no NHS number, ethnicity or employment (learning disability, aged 36).
  const gaps = await withCld(
    db,
    await aPerson(db, {
      teamId: north.id,
      reference: 'N-002',
      givenName: 'Bob',
      familyName: 'Gaps',
      clientGroup: 'learning_disability',
      dateOfBirth: '1990-05-05',
    }),
    { ...full, gender: 'male', ethnicity: null, primary_support_reason: 'learning_disability', has_unpaid_carer: false },
  );
  await budget(gaps, '2026-01-05', [{ weeklyPence: 30_000, managementOption: 'individual_service_fund' }]);
  // Still open at the end of the quarter: left out.
  await aRequest(db, gaps, { receivedOn: '2026-09-01' });

  // A carer of the first two, assessed in their own right, with a direct payment of their own.
  const carer = await withCld(
    db,
    await aPerson(db, {
      teamId: north.id,
      reference: 'N-003',
      givenName: 'Cara',
      familyName: 'Carer',
      clientGroup: 'carer',
      dateOfBirth: '1962-11-30',
    }),
    { ...full, nhs_number: '4010232137', primary_support_reason: null, ethnicity: 'H', has_unpaid_carer: false },
  );
  await db('carer_links').insert([
    { carer_id: carer.id, cared_for_id: complete.id },
    { carer_id: carer.id, cared_for_id: gaps.id },
  ]);
  await anAssessmentOn(db, carer, careManager, { started: '2026-08-10', submitted: '2026-08-12', type: 'carer' });
  // A draft started in the quarter is still open: left out.
  await anAssessmentOn(db, gaps, careManager, { started: '2026-09-15', submitted: null });

  // A budget that ended in the quarter because the person died, with no date of death recorded.
  const died = await withCld(
    db,
    await aPerson(db, {
      teamId: north.id,
      reference: 'N-004',
      givenName: 'Dan',
      familyName: 'Died',
      clientGroup: 'physical_disability',
      dateOfBirth: '1939-07-01',
    }),
    {
      ...full,
      gender: 'male',
      nhs_number: '9876543210',
      primary_support_reason: 'physical_access_mobility',
      accommodation_status: 'tenant_council',
    },
  );
  const diedBudget = await budget(died, '2026-02-02', [{ weeklyPence: 9_999, managementOption: 'prepaid_card' }]);
  await db('personal_budgets')
    .where({ id: diedBudget.budget.id })
    .update({ end_date: '2026-08-20', end_reason: 'died', ended_by: careManager.id, ended_at: '2026-08-21T09:00:00Z' });
  // Dealt with in the quarter, then cancelled as entered by mistake: left out.
  await aRequest(db, died, {
    receivedOn: '2026-07-06',
    outcome: 'nfa_other',
    decidedOn: '2026-07-07',
    cancelledAt: '2026-07-08T09:00:00Z',
  });

  // South team: a hospital discharge dealt with in the quarter, a postcode typed as a formula, and nobody asked about a carer.
  const southPerson = await withCld(
    db,
    await aPerson(db, {
      teamId: south.id,
      reference: 'S-005',
      givenName: 'Sam',
      familyName: 'South',
      clientGroup: 'mental_health',
      dateOfBirth: '1975-01-31',
    }),
    {
      ...full,
      gender: 'other',
      ethnicity: '99',
      nhs_number: '9000000009',
      primary_support_reason: 'mental_health',
      postcode: '=1+2',
      has_unpaid_carer: null,
    },
  );
  await aRequest(db, southPerson, {
    receivedOn: '2026-09-29',
    route: 'discharge_from_hospital',
    outcome: 'nfa_information_signposting',
    decidedOn: '2026-09-30',
  });

  // Everything before the quarter: an assessment completed on 30 June and a budget ended then.
  const earlier = await withCld(
    db,
    await aPerson(db, { teamId: south.id, reference: 'S-006', givenName: 'Eve', familyName: 'Earlier', dateOfBirth: '1944-02-02' }),
    { ...full, nhs_number: null },
  );
  await anAssessmentOn(db, earlier, southCareManager, { started: '2026-06-01', submitted: '2026-06-30' });
  const earlierBudget = await budget(earlier, '2026-04-06', [{ weeklyPence: 5_000 }], southCareManager);
  await db('personal_budgets').where({ id: earlierBudget.budget.id }).update({
    end_date: '2026-06-30',
    end_reason: 'needs_met_another_way',
    ended_by: southCareManager.id,
    ended_at: '2026-06-30T09:00:00Z',
  });

  return {
    northTeamId: north.id,
    southTeamId: south.id,
    admin,
    northManager,
    people: { complete, gaps, carer, died, south: southPerson, earlier },
  };
}
