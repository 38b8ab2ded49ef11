import type { Knex } from 'knex';
import { hashPassword } from '../src/auth/passwords.js';
import type { Role } from '../src/auth/roles.js';
import { londonToday, type Clock } from '../src/clock.js';
import { paymentPeriodOf } from '../src/direct-payments/schedule.js';
import type { PersonClientGroup } from '../src/people/client-groups.js';
import type { PrimarySupportReason, RouteOfAccess } from '../src/people/client-level-data.js';
import type { PersonRow } from '../src/people/repo.js';
import { checkDigitFor } from '../src/people/nhs-number.js';
import { notesService } from '../src/notes/service.js';
import { seedCalibrationScenario } from './calibration.js';
import { actor, seedJourneys, type JourneyStage } from './journey.js';

export const demoLogins = {
  password: 'Selfdirect-demo-2026',
  /**
   * The demo accounts' authenticator app secret, so anyone trying the demo can make codes
   * (`npm run demo:code`, or any authenticator app). Demo data is never loaded in production.
   */
  totpSecret: 'DEMODEMODEMODEMODEMODEMODEMODEMO',
  accounts: [
    { email: 'care.manager@example.gov.uk', name: 'Priya Shah', role: 'care_manager' as Role, team: 'North' },
    { email: 'care.manager.south@example.gov.uk', name: 'Tom Okafor', role: 'care_manager' as Role, team: 'South' },
    { email: 'team.manager@example.gov.uk', name: 'Helen Marsh', role: 'team_manager' as Role, team: 'North' },
    { email: 'finance.officer@example.gov.uk', name: 'Gareth Lloyd', role: 'finance_officer' as Role, team: null },
    // A second finance officer, as a payment run is approved by someone other than its creator.
    { email: 'finance.officer2@example.gov.uk', name: 'Nia Evans', role: 'finance_officer' as Role, team: null },
    { email: 'admin@example.gov.uk', name: 'Sam Admin', role: 'admin' as Role, team: null },
  ],
};

const givenNames = [
  'Margaret',
  'David',
  'Aisha',
  'John',
  'Fatima',
  'Peter',
  'Grace',
  'Mohammed',
  'Eileen',
  'Daniel',
  'Siobhan',
  'Kwame',
  'Ruth',
  'Liam',
  'Joan',
];
const familyNames = [
  'Atkinson',
  'Begum',
  'Clarke',
  'Davies',
  'Evans',
  'Fletcher',
  'Green',
  'Hussain',
  'Iqbal',
  'Jones',
  'Kaur',
  'Lewis',
  'Morgan',
  'Nolan',
  'Owen',
  'Patel',
];
const postcodes = ['LS1 4AP', 'LS6 2QB', 'BD1 1HY', 'HX1 1UJ', 'WF1 2EB', 'S1 2HH', 'YO1 7HH', 'HG1 2RQ'];
const groups: PersonClientGroup[] = [
  'older_people',
  'learning_disability',
  'physical_disability',
  'mental_health',
  'sensory_impairment',
  'carer',
];

function shiftDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Loads the demo council on an empty database only; a second start keeps what people changed. */
export async function seedDemoDataIfEmpty(db: Knex, clock: Clock): Promise<boolean> {
  const existing = await db('users').first('id');
  if (existing) return false;
  const passwordHash = await hashPassword(demoLogins.password);
  const today = londonToday(clock);
  const demoPeople = await db.transaction(async (trx) => {
    const teams = (await trx('teams')
      .insert([{ name: 'North' }, { name: 'South' }])
      .returning(['id', 'name'])) as { id: number; name: string }[];
    const teamId = (name: string | null) => teams.find((team) => team.name === name)?.id ?? null;
    const users = (await trx('users')
      .insert(
        demoLogins.accounts.map((account) => ({
          email: account.email,
          display_name: account.name,
          password_hash: passwordHash,
          totp_secret: demoLogins.totpSecret,
          totp_enrolled_at: clock.now(),
          role: account.role,
          team_id: teamId(account.team),
        })),
      )
      .returning(['id', 'email'])) as { id: number; email: string }[];
    const userId = (email: string) => users.find((user) => user.email === email)?.id ?? null;
    const northWorker = userId('care.manager@example.gov.uk');
    const southWorker = userId('care.manager.south@example.gov.uk');

    const people = Array.from({ length: 30 }, (_, index) => {
      const north = index % 2 === 0;
      const group = groups[index % groups.length] as PersonClientGroup;
      const age = group === 'older_people' ? 70 + (index % 20) : 20 + ((index * 7) % 45);
      return {
        reference: `SD-${String(1001 + index).padStart(5, '0')}`,
        given_name: givenNames[index % givenNames.length],
        family_name: familyNames[(index * 5) % familyNames.length],
        date_of_birth: shiftDays(today, -(age * 365 + index * 11)),
        postcode: postcodes[index % postcodes.length],
        client_group: group,
        team_id: teamId(north ? 'North' : 'South'),
        // A few are left unallocated so a team manager has someone to allocate.
        allocated_worker_id: index % 7 === 3 ? null : north ? northWorker : southWorker,
        address: `${10 + index} Station Road`,
        phone: `0113 496 ${String(index).padStart(4, '0')}`,
        email: index % 3 === 0 ? `person${index + 1}@example.com` : '',
        preferred_contact: index % 3 === 0 ? 'email' : 'phone',
        referral_date: shiftDays(today, -(150 + index * 9)),
      };
    });
    const inserted = (await trx('people').insert(people).returning('*')) as PersonRow[];
    await trx('audit_events').insert(
      inserted.map((person) => ({
        user_id: null,
        action: 'person_created',
        entity_type: 'person',
        entity_id: String(person.id),
        person_id: person.id,
        after: JSON.stringify({ reference: person.reference, source: 'demo data' }),
      })),
    );
    return inserted;
  });
  await seedJourneyStages(db, clock, demoPeople);
  await seedCaseNotes(db, clock, demoPeople);
  await seedDirectPaymentBankDetails(db);
  // The demo's budgets began months or years ago, paid (in the story) by the council's previous
  // system: this one takes over from the current 4-week period, so the first run pays from there.
  await db('council_settings')
    .where({ id: 1 })
    .update({ direct_payments_from: paymentPeriodOf(today, 'four_weekly').start });
  await seedCalibrationFinding(db, clock);
  await seedClientLevelData(db);
  return true;
}

/** Who is where in the journey, so every list and queue in the demo has something in it. */
const northStages: JourneyStage[] = [
  'budget_review_overdue',
  'budget_review_due_soon',
  'budget_with_contribution',
  'waiting_for_finance',
  'waiting_for_panel',
  'returned',
  'draft_plan',
  'assessed',
  'not_eligible',
  'draft_assessment',
];
const southStages: JourneyStage[] = [
  'waiting_for_finance',
  'budget_review_due_soon',
  'assessed',
  'draft_assessment',
  'budget_with_contribution',
  'returned',
];

async function seedJourneyStages(db: Knex, clock: Clock, people: PersonRow[]): Promise<void> {
  const users = (await db('users').select('id', 'email', 'display_name', 'role', 'team_id')) as Parameters<typeof actor>[0][];
  const byEmail = (email: string) => {
    const user = users.find((candidate) => candidate.email === email);
    if (!user) throw new Error(`demo user ${email} is missing`);
    return actor(user);
  };
  const finance = byEmail('finance.officer@example.gov.uk');
  const north = { careManager: byEmail('care.manager@example.gov.uk'), teamManager: byEmail('team.manager@example.gov.uk'), finance };
  const south = { careManager: byEmail('care.manager.south@example.gov.uk'), teamManager: null, finance };
  const adults = people.filter((person) => person.client_group !== 'carer');
  const northPeople = adults.filter((person) => person.team_id === north.careManager.teamId);
  const southPeople = adults.filter((person) => person.team_id === south.careManager.teamId);
  await seedJourneys(db, clock, [
    ...northStages.flatMap((stage, index) => (northPeople[index] ? [{ person: northPeople[index], stage, staff: north }] : [])),
    ...southStages.flatMap((stage, index) => (southPeople[index] ? [{ person: southPeople[index], stage, staff: south }] : [])),
  ]);
}

/**
 * A few of the North care manager's calls, visits and notes on their timelines; written as the demo
 * starts, so for a day the care manager can correct them.
 */
async function seedCaseNotes(db: Knex, clock: Clock, people: PersonRow[]): Promise<void> {
  const user = (await db('users')
    .where({ email: 'care.manager@example.gov.uk' })
    .first('id', 'email', 'display_name', 'role', 'team_id')) as Parameters<typeof actor>[0] | undefined;
  if (!user) throw new Error('demo user care.manager@example.gov.uk is missing');
  const [first, second] = people.filter((person) => person.team_id === user.team_id && person.allocated_worker_id === user.id);
  if (!first || !second) return;
  const today = londonToday(clock);
  const notes = notesService(db, clock);
  const worker = actor(user);
  await notes.add(worker, first.id, {
    kind: 'phone_call',
    contactDate: shiftDays(today, -6),
    contactTime: '10:15',
    involved: `${first.given_name} and their daughter`,
    body: 'Their daughter rang: the morning calls come before they are ready. Asked the agency about a later start.',
  });
  await notes.add(worker, first.id, {
    kind: 'visit',
    contactDate: shiftDays(today, -1),
    contactTime: '14:30',
    involved: first.given_name,
    body: 'Home visit. The later calls are working well.\nWould like help with shopping on Fridays: to raise at the review.',
  });
  await notes.add(worker, second.id, {
    kind: 'letter',
    contactDate: shiftDays(today, -2),
    contactTime: '09:00',
    involved: `${second.given_name}'s GP surgery`,
    body: 'Letter from the GP confirming the change of medication. Copy scanned to the file.',
  });
}

/** Approved budgets that reproduce the Wirral finding, so the calibration and impact pages have something to show. */
async function seedCalibrationFinding(db: Knex, clock: Clock): Promise<void> {
  const workers = (await db('users').whereIn('role', ['care_manager', 'team_manager']).select('id', 'team_id')) as {
    id: number;
    team_id: number;
  }[];
  const finance = (await db('users').where({ role: 'finance_officer' }).first('id')) as { id: number };
  const teams = (await db('teams').select('id')) as { id: number }[];
  await seedCalibrationScenario(db, clock, {
    teams,
    workers: workers.map((worker) => ({ id: worker.id, teamId: worker.team_id })),
    financeOfficerId: finance.id,
  });
}

const femaleNames = new Set([
  'Margaret',
  'Aisha',
  'Fatima',
  'Grace',
  'Eileen',
  'Siobhan',
  'Ruth',
  'Joan',
  'Bernadette',
  'Dorothy',
  'Farah',
  'Gwen',
  'Janet',
  'Lorna',
  'Maureen',
  'Olive',
]);

/** Two primary support reasons a client group's people most often have, taken in turn. */
const supportReasonsByGroup: Record<Exclude<PersonClientGroup, 'carer'>, [PrimarySupportReason, PrimarySupportReason]> = {
  older_people: ['physical_personal_care', 'memory_cognition'],
  learning_disability: ['learning_disability', 'learning_disability'],
  physical_disability: ['physical_access_mobility', 'physical_personal_care'],
  mental_health: ['mental_health', 'social_isolation_other'],
  sensory_impairment: ['sensory_visual', 'sensory_hearing'],
};

/** Mostly White British, as in the seed council's area, with the other groups it serves. */
const ethnicityCycle = ['A', 'A', 'A', 'H', 'J', 'A', 'M', 'C', 'A', 'K', 'N', 'A', 'F', 'B', 'Z'];
const accommodationCycle = [
  'owner_occupier',
  'tenant_council',
  'with_family_settled',
  'tenant_housing_association',
  'owner_occupier',
  'tenant_private',
];
const routeCycle: RouteOfAccess[] = [
  'community_other',
  'community_other',
  'discharge_from_hospital',
  'community_other',
  'diversion_from_hospital',
];

/**
 * An NHS number from the range the NHS keeps for testing (999 ...), never a real person's, with
 * its check digit; a person whose nine digits have none takes the next nine.
 */
function demoNhsNumber(personId: number): string {
  for (let nine = 999_100_000 + personId * 37; ; nine += 1) {
    const check = checkDigitFor(String(nine));
    if (check !== undefined) return `${nine}${check}`;
  }
}

/**
 * What the Client Level Data return needs, for nearly everyone: their details, their carers, and
 * the requests for support that brought them to the council. Three demo people are left without a
 * mandatory detail (SD-01005 no gender, SD-01008 no primary support reason, SD-01014 no
 * ethnicity), so the return's check page has records to put right.
 */
async function seedClientLevelData(db: Knex): Promise<void> {
  const people = (await db('people as p')
    .leftJoin(
      db('assessments').groupBy('person_id').select('person_id', db.raw('min(started_at)::date as started_on')).as('a'),
      'a.person_id',
      'p.id',
    )
    .orderBy('p.id')
    .select(
      'p.id',
      'p.reference',
      'p.given_name',
      'p.client_group',
      'p.date_of_birth',
      'p.team_id',
      'p.allocated_worker_id',
      'p.referral_date',
      'a.started_on',
    )) as {
    id: number;
    reference: string;
    given_name: string;
    client_group: PersonClientGroup;
    date_of_birth: string;
    team_id: number;
    allocated_worker_id: number | null;
    referral_date: string | null;
    started_on: string | null;
  }[];
  const byReference = (reference: string) => people.find((person) => person.reference === reference);
  // Carers and the people they look after, in the same team.
  const careFor: Record<string, string[]> = { 'SD-01006': ['SD-01002'], 'SD-01012': ['SD-01004', 'SD-01010'] };
  const cared = new Set(Object.values(careFor).flat());
  const died = 'SD-01027';
  const missing: Record<string, 'gender' | 'primary_support_reason' | 'ethnicity'> = {
    'SD-01005': 'gender',
    'SD-01008': 'primary_support_reason',
    'SD-01014': 'ethnicity',
  };

  await db.transaction(async (trx) => {
    for (const [index, person] of people.entries()) {
      const ageNow = Number(person.referral_date?.slice(0, 4) ?? 2026) - Number(person.date_of_birth.slice(0, 4));
      const details: Record<string, string | boolean | null | undefined> = {
        gender: femaleNames.has(person.given_name) ? 'female' : 'male',
        ethnicity: ethnicityCycle[index % ethnicityCycle.length],
        // A carer's own record has no primary support reason: the return counts them as carers.
        primary_support_reason: person.client_group === 'carer' ? null : supportReasonsByGroup[person.client_group][index % 2],
        accommodation_status:
          person.client_group === 'older_people' && index % 5 === 0 ? 'care_home' : accommodationCycle[index % accommodationCycle.length],
        employment_status:
          ageNow >= 66
            ? 'not_seeking_work'
            : index % 3 === 0
              ? 'paid_under_16_hours'
              : index % 3 === 1
                ? 'not_seeking_work'
                : 'seeking_work',
        has_unpaid_carer: cared.has(person.reference) ? true : index % 4 === 0 ? null : index % 2 === 0,
        date_of_death: null,
        nhs_number: demoNhsNumber(person.id),
      };
      const gap = missing[person.reference];
      if (gap) details[gap] = null;
      if (person.reference === died && person.referral_date) details.date_of_death = shiftDays(person.referral_date, 120);
      await trx('people').where({ id: person.id }).update(details);
    }

    await trx('carer_links').insert(
      Object.entries(careFor).flatMap(([carer, caredFor]) =>
        caredFor.map((reference) => ({ carer_id: byReference(carer)?.id, cared_for_id: byReference(reference)?.id })),
      ),
    );

    // Each referral is a request: one that led to an assessment went on to it; of the rest, some
    // were given advice, one ended when the person died, and the others are still open.
    const requests = people.flatMap((person, index) => {
      const receivedOn = person.referral_date;
      if (!receivedOn) return [];
      const decided = (outcome: string, on: string) => ({ outcome, decided_on: on < receivedOn ? receivedOn : on });
      const outcome = person.started_on
        ? decided('progress_to_assessment', person.started_on)
        : person.reference === died
          ? decided('nfa_deceased', shiftDays(receivedOn, 120))
          : index % 3 === 0
            ? decided('nfa_information_signposting', shiftDays(receivedOn, 10))
            : { outcome: null, decided_on: null };
      return [
        {
          person_id: person.id,
          received_on: receivedOn,
          route_of_access:
            person.client_group === 'learning_disability' && index % 4 === 1
              ? 'planned_entry_transition'
              : routeCycle[index % routeCycle.length],
          recorded_by: person.allocated_worker_id,
          ...outcome,
        },
      ];
    });
    await trx('support_requests').insert(requests);
    // A request recorded twice by mistake, and cancelled: shown on the person page, never counted.
    const twice = requests[0];
    if (twice) await trx('support_requests').insert({ ...twice, outcome: null, decided_on: null, cancelled_at: trx.fn.now() });
  });
}

/** Bank details for everyone whose budget is partly a direct payment, so a payment run has someone to pay. */
async function seedDirectPaymentBankDetails(db: Knex): Promise<void> {
  const finance = (await db('users').where({ email: 'finance.officer@example.gov.uk' }).first('id')) as { id: number };
  const people = (await db('personal_budgets as b')
    .join('people as p', 'p.id', 'b.person_id')
    .where('b.direct_payment_weekly_pence', '>', 0)
    .distinct('p.id', 'p.given_name', 'p.family_name')
    .orderBy('p.id')) as { id: number; given_name: string; family_name: string }[];
  if (people.length === 0) return;
  await db('direct_payment_bank_accounts').insert(
    people.map((person, index) => ({
      person_id: person.id,
      recipient_kind: index % 3 === 2 ? 'representative' : 'person',
      account_name: `${person.given_name} ${person.family_name}`,
      sort_code: '309950',
      account_number: String(10_000_000 + person.id * 7919).slice(-8),
      updated_by: finance.id,
    })),
  );
}
