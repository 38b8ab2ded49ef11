import type { Knex } from 'knex';
import { hashPassword } from '../src/auth/passwords.js';
import type { Role } from '../src/auth/roles.js';
import { londonToday, type Clock } from '../src/clock.js';
import type { PersonClientGroup } from '../src/people/client-groups.js';

export const demoLogins = {
  password: 'Selfdirect-demo-2026',
  accounts: [
    { email: 'care.manager@example.gov.uk', name: 'Priya Shah', role: 'care_manager' as Role, team: 'North' },
    { email: 'care.manager.south@example.gov.uk', name: 'Tom Okafor', role: 'care_manager' as Role, team: 'South' },
    { email: 'team.manager@example.gov.uk', name: 'Helen Marsh', role: 'team_manager' as Role, team: 'North' },
    { email: 'finance.officer@example.gov.uk', name: 'Gareth Lloyd', role: 'finance_officer' as Role, team: null },
    { email: 'admin@example.gov.uk', name: 'Sam Admin', role: 'admin' as Role, team: null },
  ],
};

const givenNames = ['Margaret', 'David', 'Aisha', 'John', 'Fatima', 'Peter', 'Grace', 'Mohammed', 'Eileen', 'Daniel', 'Siobhan', 'Kwame', 'Ruth', 'Liam', 'Joan'];
const familyNames = ['Atkinson', 'Begum', 'Clarke', 'Davies', 'Evans', 'Fletcher', 'Green', 'Hussain', 'Iqbal', 'Jones', 'Kaur', 'Lewis', 'Morgan', 'Nolan', 'Owen', 'Patel'];
const postcodes = ['LS1 4AP', 'LS6 2QB', 'BD1 1HY', 'HX1 1UJ', 'WF1 2EB', 'S1 2HH', 'YO1 7HH', 'HG1 2RQ'];
const groups: PersonClientGroup[] = ['older_people', 'learning_disability', 'physical_disability', 'mental_health', 'sensory_impairment', 'carer'];

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
  await db.transaction(async (trx) => {
    const teams = (await trx('teams').insert([{ name: 'North' }, { name: 'South' }]).returning(['id', 'name'])) as { id: number; name: string }[];
    const teamId = (name: string | null) => teams.find((team) => team.name === name)?.id ?? null;
    const users = (await trx('users')
      .insert(
        demoLogins.accounts.map((account) => ({
          email: account.email,
          display_name: account.name,
          password_hash: passwordHash,
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
        referral_date: shiftDays(today, -(20 + index * 9)),
      };
    });
    const inserted = (await trx('people').insert(people).returning(['id', 'reference'])) as { id: number; reference: string }[];
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
  });
  return true;
}
