import type { DbOrTransaction } from '../db/knex.js';
import type { Role, SignedInUser } from './roles.js';

/** An account as signing in sees it: who they are, whether they may sign in, and the hash to check. */
export type SignInAccount = SignedInUser & { active: boolean; passwordHash: string };

/** The users columns that say who someone is and whether they may sign in. */
export type StaffColumns = { id: number; email: string; display_name: string; role: Role; team_id: number | null; active: boolean };

export function staffMemberOf(row: StaffColumns): SignedInUser & { active: boolean } {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, teamId: row.team_id, active: row.active };
}

type UserRow = StaffColumns & { password_hash: string };

function toSignInAccount(row: UserRow): SignInAccount {
  return { ...staffMemberOf(row), passwordHash: row.password_hash };
}

const userColumns = ['id', 'email', 'display_name', 'password_hash', 'role', 'team_id', 'active'];

export async function findAccountByEmail(db: DbOrTransaction, email: string): Promise<SignInAccount | undefined> {
  const row = (await db('users').whereRaw('lower(email) = lower(?)', [email]).first(userColumns)) as UserRow | undefined;
  return row && toSignInAccount(row);
}

export async function findAccountById(db: DbOrTransaction, id: number): Promise<SignInAccount | undefined> {
  const row = (await db('users').where({ id }).first(userColumns)) as UserRow | undefined;
  return row && toSignInAccount(row);
}

/** Failed sign-ins counted for one account or one address within a window, and how long it is locked for. */
export type Throttle = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

type ThrottleRow = { failures: number; window_started_at: Date; locked_until: Date | null };

const toThrottle = (row: ThrottleRow): Throttle => ({
  failures: row.failures,
  windowStartedAt: row.window_started_at,
  lockedUntil: row.locked_until,
});

export async function findThrottle(db: DbOrTransaction, key: string): Promise<Throttle | undefined> {
  const row = (await db('sign_in_throttles').where({ key }).first('failures', 'window_started_at', 'locked_until')) as
    ThrottleRow | undefined;
  return row && toThrottle(row);
}

/**
 * Counts one failure in a single statement so concurrent attempts cannot both read the old
 * count; starts a new window when the last one has passed; locks when the limit is reached.
 */
export async function recordFailure(
  db: DbOrTransaction,
  key: string,
  now: Date,
  windowMinutes: number,
  limit: number,
  lockMinutes: number,
): Promise<Throttle> {
  const result = await db.raw(
    `insert into sign_in_throttles as t (key, failures, window_started_at, locked_until)
     values (:key, 1, :now, case when 1 >= :limit then :now::timestamptz + make_interval(mins => :lock) end)
     on conflict (key) do update set
       failures = case when t.window_started_at <= :now::timestamptz - make_interval(mins => :window)
                       then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at <= :now::timestamptz - make_interval(mins => :window)
                                then :now else t.window_started_at end,
       locked_until = case
         when (case when t.window_started_at <= :now::timestamptz - make_interval(mins => :window)
                    then 1 else t.failures + 1 end) >= :limit
         then :now::timestamptz + make_interval(mins => :lock)
         else t.locked_until end
     returning failures, window_started_at, locked_until`,
    { key, now, window: windowMinutes, limit, lock: lockMinutes },
  );
  return toThrottle((result.rows as ThrottleRow[])[0] as ThrottleRow);
}

export async function clearThrottle(db: DbOrTransaction, key: string): Promise<void> {
  await db('sign_in_throttles').where({ key }).delete();
}
