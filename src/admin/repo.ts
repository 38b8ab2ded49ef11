import type { DbOrTransaction } from '../db/knex.js';
import { staffMemberOf, type StaffColumns } from '../auth/repo.js';
import { roleLabels, type Role } from '../auth/roles.js';
import { byLabel, orderBySql, readPage, type ListSort, type Paged, type PageRequest } from '../db/paging.js';

/** A staff account as the administration pages manage it; never the password hash. */
export type UserAccount = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  teamId: number | null;
  teamName: string | null;
  active: boolean;
  version: number;
  /** Whether they have set a password and an authenticator app yet (never the hash or the secret). */
  hasPassword: boolean;
  hasAuthenticator: boolean;
};

type UserAccountRow = StaffColumns & { team_name: string | null; version: number; has_password: boolean; has_authenticator: boolean };

function toUserAccount(row: UserAccountRow): UserAccount {
  return {
    ...staffMemberOf(row),
    teamName: row.team_name,
    version: row.version,
    hasPassword: row.has_password,
    hasAuthenticator: row.has_authenticator,
  };
}

const accountColumns = (db: DbOrTransaction) => [
  'u.id',
  'u.email',
  'u.display_name',
  'u.role',
  'u.team_id',
  't.name as team_name',
  'u.active',
  'u.version',
  db.raw('u.password_hash is not null as has_password'),
  db.raw('u.totp_secret is not null as has_authenticator'),
];

/** A page of the users, sorted as asked; "status" puts the active accounts first, each part by name. */
export async function listUsers(db: DbOrTransaction, list: { sort: ListSort; request: PageRequest }): Promise<Paged<UserAccount>> {
  const { rows, page } = await readPage<UserAccountRow>(db('users as u').leftJoin('teams as t', 't.id', 'u.team_id'), {
    select: (query) => query.select(accountColumns(db)),
    orderBy: orderBySql(
      {
        name: ['lower(u.display_name)'],
        role: [byLabel('u.role', roleLabels)],
        team: ['lower(t.name)'],
        status: ['-u.active', 'lower(u.display_name)'],
      },
      list.sort,
      ['u.id'],
    ),
    request: list.request,
  });
  return { rows: rows.map(toUserAccount), page };
}

/** How many accounts can sign in. */
export async function activeUserCount(db: DbOrTransaction): Promise<number> {
  const [row] = (await db('users').where({ active: true }).count({ count: '*' })) as { count: string | number }[];
  return Number(row?.count ?? 0);
}

export async function findUserAccount(db: DbOrTransaction, id: number, lock = false): Promise<UserAccount | undefined> {
  const query = db('users as u').leftJoin('teams as t', 't.id', 'u.team_id').where('u.id', id).first(accountColumns(db));
  if (lock) query.forUpdate('u');
  const row = (await query) as UserAccountRow | undefined;
  return row && toUserAccount(row);
}

export async function activeAdministratorExists(db: DbOrTransaction): Promise<boolean> {
  return Boolean(await db('users').where({ role: 'admin', active: true }).first('id'));
}

export async function emailTaken(db: DbOrTransaction, email: string): Promise<boolean> {
  return Boolean(await db('users').whereRaw('lower(email) = lower(?)', [email]).first('id'));
}

export async function insertUser(
  db: DbOrTransaction,
  user: { email: string; displayName: string; role: Role; teamId: number | null },
): Promise<number> {
  const [row] = (await db('users')
    .insert({
      email: user.email,
      display_name: user.displayName,
      role: user.role,
      team_id: user.teamId,
    })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}

export type UserChanges = { displayName: string; role: Role; teamId: number | null; active: boolean };

export async function updateUser(db: DbOrTransaction, id: number, expectedVersion: number, changes: UserChanges): Promise<boolean> {
  const updated = await db('users')
    .where({ id, version: expectedVersion })
    .update({
      display_name: changes.displayName,
      role: changes.role,
      team_id: changes.teamId,
      active: changes.active,
      version: db.raw('version + 1'),
      updated_at: db.fn.now(),
    });
  return updated === 1;
}

export async function teamExists(db: DbOrTransaction, id: number): Promise<boolean> {
  return Boolean(await db('teams').where({ id }).first('id'));
}

export async function teamNameTaken(db: DbOrTransaction, name: string): Promise<boolean> {
  return Boolean(await db('teams').whereRaw('lower(name) = lower(?)', [name]).first('id'));
}

/** How the people a team supports reach it. */
export type TeamContact = { id: number; name: string; phone: string; email: string; version: number };

export async function findTeamContact(db: DbOrTransaction, id: number, forUpdate = false): Promise<TeamContact | undefined> {
  const query = db('teams').where({ id }).first('id', 'name', 'phone', 'email', 'version');
  return (await (forUpdate ? query.forUpdate() : query)) as TeamContact | undefined;
}

export async function updateTeamContact(db: DbOrTransaction, id: number, version: number, contact: { phone: string; email: string }) {
  return (
    (await db('teams')
      .where({ id, version })
      .update({ ...contact, version: db.raw('version + 1') })) === 1
  );
}

/** A team with how many active staff and how many people it holds. */
export type TeamSize = { id: number; name: string; phone: string; email: string; activeUsers: number; people: number };

export async function teamSizes(db: DbOrTransaction): Promise<TeamSize[]> {
  const rows = (await db('teams as t')
    .select(
      't.id',
      't.name',
      't.phone',
      't.email',
      db.raw('(select count(*) from users u where u.team_id = t.id and u.active)::int as active_users'),
      db.raw('(select count(*) from people p where p.team_id = t.id)::int as people'),
    )
    .orderBy('t.name')) as { id: number; name: string; phone: string; email: string; active_users: number; people: number }[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    phone: row.phone,
    email: row.email,
    activeUsers: row.active_users,
    people: row.people,
  }));
}

export async function insertTeam(db: DbOrTransaction, name: string): Promise<number> {
  const [row] = (await db('teams').insert({ name }).returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}
