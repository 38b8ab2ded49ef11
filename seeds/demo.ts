import type { Knex } from 'knex';
import { hashPassword } from '../src/auth/passwords.js';
import type { Role } from '../src/auth/roles.js';
import { londonToday, type Clock } from '../src/clock.js';
import type { PersonClientGroup } from '../src/people/client-groups.js';
import type { PersonRow } from '../src/people/repo.js';
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
  await seedDirectPaymentBankDetails(db);
  await seedCalibrationFinding(db, clock);
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
