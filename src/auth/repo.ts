import type { DbOrTransaction } from '../db/knex.js';
import type { Role } from './roles.js';

export type UserRow = {
  id: number;
  email: string;
  display_name: string;
  password_hash: string;
  role: Role;
  team_id: number | null;
  active: boolean;
  version: number;
};

export async function findUserByEmail(db: DbOrTransaction, email: string): Promise<UserRow | undefined> {
  return db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).first();
}

export async function findUserById(db: DbOrTransaction, id: number): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ id }).first();
}

export type Throttle = { failures: number; window_started_at: Date; locked_until: Date | null };

export async function findThrottle(db: DbOrTransaction, key: string): Promise<Throttle | undefined> {
  return db<Throttle & { key: string }>('sign_in_throttles').where({ key }).first();
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
  return (result.rows as Throttle[])[0] as Throttle;
}

export async function clearThrottle(db: DbOrTransaction, key: string): Promise<void> {
  await db('sign_in_throttles').where({ key }).delete();
}
