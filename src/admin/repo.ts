import type { DbOrTransaction } from '../db/knex.js';
import type { Role } from '../auth/roles.js';

export type UserSummary = {
  id: number;
  email: string;
  display_name: string;
  role: Role;
  team_id: number | null;
  team_name: string | null;
  active: boolean;
  version: number;
};

const summaryColumns = ['u.id', 'u.email', 'u.display_name', 'u.role', 'u.team_id', 't.name as team_name', 'u.active', 'u.version'];

export async function listUsers(db: DbOrTransaction): Promise<UserSummary[]> {
  return (await db('users as u')
    .leftJoin('teams as t', 't.id', 'u.team_id')
    .select(summaryColumns)
    .orderBy([{ column: 'u.active', order: 'desc' }, { column: 'u.display_name' }])) as UserSummary[];
}

export async function findUserSummary(db: DbOrTransaction, id: number, lock = false): Promise<UserSummary | undefined> {
  const query = db('users as u').leftJoin('teams as t', 't.id', 'u.team_id').where('u.id', id).first(summaryColumns);
  if (lock) query.forUpdate('u');
  return (await query) as UserSummary | undefined;
}

export async function emailTaken(db: DbOrTransaction, email: string): Promise<boolean> {
  return Boolean(await db('users').whereRaw('lower(email) = lower(?)', [email]).first('id'));
}

export async function insertUser(
  db: DbOrTransaction,
  user: { email: string; display_name: string; password_hash: string; role: Role; team_id: number | null },
): Promise<number> {
  const [row] = (await db('users').insert(user).returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}

export async function updateUser(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  changes: { display_name: string; role: Role; team_id: number | null; active: boolean },
): Promise<boolean> {
  const updated = await db('users')
    .where({ id, version: expectedVersion })
    .update({ ...changes, version: db.raw('version + 1'), updated_at: db.fn.now() });
  return updated === 1;
}

/** A deactivated user's open sessions are removed too, so no tab stays signed in. */
export async function deleteSessionsOf(db: DbOrTransaction, userId: number): Promise<void> {
  await db('session').whereRaw(`(sess->'passport'->>'user')::int = ?`, [userId]).delete();
}

export async function teamExists(db: DbOrTransaction, id: number): Promise<boolean> {
  return Boolean(await db('teams').where({ id }).first('id'));
}

export async function teamsWithCounts(db: DbOrTransaction) {
  return (await db('teams as t')
    .select(
      't.id',
      't.name',
      db.raw('(select count(*) from users u where u.team_id = t.id and u.active)::int as user_count'),
      db.raw('(select count(*) from people p where p.team_id = t.id)::int as people_count'),
    )
    .orderBy('t.name')) as { id: number; name: string; user_count: number; people_count: number }[];
}

export async function insertTeam(db: DbOrTransaction, name: string): Promise<number> {
  const [row] = (await db('teams').insert({ name }).returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}
