import type { Knex } from 'knex';
import { hashPassword } from '../../src/auth/passwords.js';
import type { Role } from '../../src/auth/roles.js';
import type { PersonClientGroup } from '../../src/people/client-groups.js';
import type { PersonRow } from '../../src/people/repo.js';

export const TEST_PASSWORD = 'Correct-horse-battery-42';
/** Every test user's authenticator app holds this secret, so test/support/http.ts can work out their codes. */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hashed = hashes.get(password);
  if (!hashed) {
    hashed = hashPassword(password);
    hashes.set(password, hashed);
  }
  return hashed;
}

let sequence = 0;
const next = () => {
  sequence += 1;
  return sequence;
};

export async function aTeam(db: Knex, name = `Team ${next()}`): Promise<{ id: number; name: string }> {
  const [team] = (await db('teams').insert({ name }).returning(['id', 'name'])) as { id: number; name: string }[];
  return team as { id: number; name: string };
}

export type TestUser = { id: number; email: string; password: string; role: Role; teamId: number | null; displayName: string };

export async function aUser(
  db: Knex,
  options: {
    role: Role;
    teamId?: number | null;
    email?: string;
    password?: string;
    active?: boolean;
    displayName?: string;
    /** False for someone who has not yet set up an authenticator app, as after an administrator's reset. */
    enrolled?: boolean;
  },
): Promise<TestUser> {
  const n = next();
  const email = options.email ?? `${options.role.replace('_', '.')}.${n}@example.gov.uk`;
  const password = options.password ?? TEST_PASSWORD;
  const displayName = options.displayName ?? `${options.role} ${n}`;
  const [row] = (await db('users')
    .insert({
      email,
      display_name: displayName,
      password_hash: await cachedHash(password),
      role: options.role,
      team_id: options.teamId ?? null,
      active: options.active ?? true,
      totp_secret: options.enrolled === false ? null : TEST_TOTP_SECRET,
      totp_enrolled_at: options.enrolled === false ? null : db.fn.now(),
    })
    .returning('id')) as { id: number }[];
  return { id: (row as { id: number }).id, email, password, role: options.role, teamId: options.teamId ?? null, displayName };
}

export async function aPerson(
  db: Knex,
  options: {
    teamId: number;
    clientGroup?: PersonClientGroup;
    givenName?: string;
    familyName?: string;
    reference?: string;
    allocatedWorkerId?: number | null;
    dateOfBirth?: string;
    postcode?: string;
    nhsNumber?: string;
  },
): Promise<PersonRow> {
  const n = next();
  const [row] = (await db('people')
    .insert({
      reference: options.reference ?? `T-${String(n).padStart(5, '0')}`,
      given_name: options.givenName ?? 'Test',
      family_name: options.familyName ?? `Person${n}`,
      date_of_birth: options.dateOfBirth ?? '1950-04-01',
      postcode: options.postcode ?? 'LS1 4AP',
      nhs_number: options.nhsNumber ?? null,
      client_group: options.clientGroup ?? 'older_people',
      team_id: options.teamId,
      allocated_worker_id: options.allocatedWorkerId ?? null,
      phone: '0113 496 0000',
      preferred_contact: 'phone',
      referral_date: '2026-01-05',
    })
    .returning('*')) as PersonRow[];
  return row as PersonRow;
}
