import type pg from 'pg';
import type { DbOrTransaction } from '../db/knex.js';
import type { Role, SignedInUser } from './roles.js';

/** An account as signing in sees it: who they are, whether they may sign in, and what to check. */
export type SignInAccount = SignedInUser & { active: boolean; passwordHash: string | null; totpSecret: string | null };

/** The users columns that say who someone is and whether they may sign in. */
export type StaffColumns = { id: number; email: string; display_name: string; role: Role; team_id: number | null; active: boolean };

export function staffMemberOf(row: StaffColumns): SignedInUser & { active: boolean } {
  return { id: row.id, email: row.email, displayName: row.display_name, role: row.role, teamId: row.team_id, active: row.active };
}

type UserRow = StaffColumns & { password_hash: string | null; totp_secret: string | null };

function toSignInAccount(row: UserRow): SignInAccount {
  return { ...staffMemberOf(row), passwordHash: row.password_hash, totpSecret: row.totp_secret };
}

const userColumns = ['id', 'email', 'display_name', 'password_hash', 'totp_secret', 'role', 'team_id', 'active'];

export async function findAccountByEmail(db: DbOrTransaction, email: string): Promise<SignInAccount | undefined> {
  const row = (await db('users').whereRaw('lower(email) = lower(?)', [email]).first(userColumns)) as UserRow | undefined;
  return row && toSignInAccount(row);
}

export async function findAccountById(db: DbOrTransaction, id: number, lock = false): Promise<SignInAccount | undefined> {
  const query = db('users').where({ id }).first(userColumns);
  if (lock) query.forUpdate();
  const row = (await query) as UserRow | undefined;
  return row && toSignInAccount(row);
}

/**
 * Counts one attempt and returns the count, in one statement, before the password or code is
 * checked: twenty attempts at once are counted 1 to 20, so exactly those past the limit are
 * refused, where a read and a later write would let them all through. A window that has passed
 * starts again at 1.
 */
export async function countAttempt(
  db: DbOrTransaction,
  key: string,
  now: Date,
  windowMinutes: number,
): Promise<{ attempts: number; windowEndsAt: Date }> {
  const result = await db.raw(
    `insert into sign_in_throttles as t (key, failures, window_started_at)
     values (:key, 1, :now)
     on conflict (key) do update set
       failures = case when t.window_started_at <= :now::timestamptz - make_interval(mins => :window)
                       then 1 else t.failures + 1 end,
       window_started_at = case when t.window_started_at <= :now::timestamptz - make_interval(mins => :window)
                                then :now else t.window_started_at end
     returning failures, window_started_at + make_interval(mins => :window) as window_ends_at`,
    { key, now, window: windowMinutes },
  );
  const row = (result.rows as { failures: number; window_ends_at: Date }[])[0] as { failures: number; window_ends_at: Date };
  return { attempts: row.failures, windowEndsAt: row.window_ends_at };
}

/** A successful attempt is taken off the count it was added to, so only failures use the allowance up. */
export async function forgiveAttempt(db: DbOrTransaction, key: string): Promise<void> {
  await db('sign_in_throttles')
    .where({ key })
    .update({ failures: db.raw('greatest(failures - 1, 0)') });
}

export async function clearThrottle(db: DbOrTransaction, key: string): Promise<void> {
  await db('sign_in_throttles').where({ key }).delete();
}

/**
 * A stored session that has not expired, with the staff member signed in to it as their account
 * is now (null when nobody is, or the account is gone), in one statement: every signed-in page
 * needs both. Expiry is checked as connect-pg-simple checks it.
 */
export async function findSessionWithStaffMember(
  pool: pg.Pool,
  sid: string,
): Promise<{ sess: unknown; staffMember: (SignedInUser & { active: boolean }) | null } | undefined> {
  // Named, so each connection plans it once: every page a signed-in user opens runs it first.
  const result = await pool.query<{ sess: unknown } & { [K in keyof StaffColumns]: StaffColumns[K] | null }>({
    name: 'session-with-staff-member',
    text: `select s.sess, u.id, u.email, u.display_name, u.role, u.team_id, u.active
             from session s
             left join users u on u.id = (s.sess -> 'passport' ->> 'user')::int
            where s.sid = $1 and s.expire >= to_timestamp($2)`,
    values: [sid, Math.ceil(Date.now() / 1000)],
  });
  const [row] = result.rows;
  if (!row) return undefined;
  return { sess: row.sess, staffMember: row.id === null ? null : staffMemberOf(row as StaffColumns) };
}

/**
 * Ends a user's sessions, signed in or half way through signing in, except the one given (the
 * session that changed its own password stays signed in).
 */
export async function deleteSessionsOf(db: DbOrTransaction, userId: number, exceptSessionId?: string): Promise<void> {
  const query = db('session').whereRaw(`coalesce(sess->'passport'->>'user', sess->'pendingSignIn'->>'userId')::int = ?`, [userId]);
  if (exceptSessionId) query.whereNot({ sid: exceptSessionId });
  await query.delete();
}

export async function setPasswordHash(db: DbOrTransaction, userId: number, passwordHash: string | null): Promise<void> {
  await db('users').where({ id: userId }).update({ password_hash: passwordHash, updated_at: db.fn.now() });
}

/** Only an account without a second factor takes one, so two tabs enrolling at once cannot both win. */
export async function enrolSecondFactor(db: DbOrTransaction, userId: number, secret: string, now: Date): Promise<boolean> {
  const updated = await db('users')
    .where({ id: userId })
    .whereNull('totp_secret')
    .update({ totp_secret: secret, totp_enrolled_at: now, updated_at: db.fn.now() });
  return updated === 1;
}

export async function removeSecondFactor(db: DbOrTransaction, userId: number): Promise<void> {
  await db('users').where({ id: userId }).update({ totp_secret: null, totp_enrolled_at: null, updated_at: db.fn.now() });
  await db('recovery_codes').where({ user_id: userId }).delete();
}

export async function insertRecoveryCodes(db: DbOrTransaction, userId: number, codeHashes: string[]): Promise<void> {
  await db('recovery_codes').insert(codeHashes.map((codeHash) => ({ user_id: userId, code_hash: codeHash })));
}

export async function unusedRecoveryCodes(db: DbOrTransaction, userId: number): Promise<{ id: number; codeHash: string }[]> {
  const rows = (await db('recovery_codes').where({ user_id: userId }).whereNull('used_at').select('id', 'code_hash')) as {
    id: number;
    code_hash: string;
  }[];
  return rows.map((row) => ({ id: row.id, codeHash: row.code_hash }));
}

/** True for the one request that spends the code; a second, even at the same moment, finds it used. */
export async function spendRecoveryCode(db: DbOrTransaction, id: number, now: Date): Promise<boolean> {
  return (await db('recovery_codes').where({ id }).whereNull('used_at').update({ used_at: now })) === 1;
}

export async function insertSetPasswordLink(
  db: DbOrTransaction,
  link: { tokenHash: string; userId: number; createdBy: number | null; expiresAt: Date },
): Promise<void> {
  // A new link replaces any earlier one, so only the last link an administrator passed on works.
  await db('set_password_links').where({ user_id: link.userId }).whereNull('used_at').update({ used_at: link.expiresAt });
  await db('set_password_links').insert({
    token_hash: link.tokenHash,
    user_id: link.userId,
    created_by: link.createdBy,
    expires_at: link.expiresAt,
  });
}

export type SetPasswordLink = { userId: number; expiresAt: Date; usedAt: Date | null };

export async function findSetPasswordLink(db: DbOrTransaction, tokenHash: string, lock = false): Promise<SetPasswordLink | undefined> {
  const query = db('set_password_links').where({ token_hash: tokenHash }).first('user_id', 'expires_at', 'used_at');
  if (lock) query.forUpdate();
  const row = (await query) as { user_id: number; expires_at: Date; used_at: Date | null } | undefined;
  return row && { userId: row.user_id, expiresAt: row.expires_at, usedAt: row.used_at };
}

export async function markSetPasswordLinkUsed(db: DbOrTransaction, tokenHash: string, now: Date): Promise<void> {
  await db('set_password_links').where({ token_hash: tokenHash }).update({ used_at: now });
}

/** Who was signed in to a session, expired or not, while its row is still there (expired rows are pruned every 15 minutes). */
export async function userOfSession(db: DbOrTransaction, sid: string): Promise<number | undefined> {
  const row = (await db('session').where({ sid }).first(db.raw(`(sess -> 'passport' ->> 'user')::int as user_id`))) as
    { user_id: number | null } | undefined;
  return row?.user_id ?? undefined;
}
