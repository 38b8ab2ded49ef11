import type { Knex } from 'knex';
import { insertAuditEvent, recordEvent } from '../audit/repo.js';
import type { Clock } from '../clock.js';
import { verifyAgainstDecoy, verifyPassword } from './passwords.js';
import { clearThrottle, findAccountByEmail, findAccountById, findThrottle, recordFailure, type SignInAccount } from './repo.js';
import type { SignedInUser } from './roles.js';

const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;
const ACCOUNT_LIMIT = 5;
// One address may be shared by a whole office behind a council proxy, so it gets more room.
const ADDRESS_LIMIT = 50;

export type SignInOutcome = { ok: true; user: SignedInUser } | { ok: false; reason: 'invalid' | 'locked' };

const signedInUserOf = (account: SignInAccount): SignedInUser => ({
  id: account.id,
  email: account.email,
  displayName: account.displayName,
  role: account.role,
  teamId: account.teamId,
});

export function authService(db: Knex, clock: Clock) {
  const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
  const addressKey = (address: string) => `address:${address}`;

  async function isLocked(key: string, now: Date): Promise<boolean> {
    const throttle = await findThrottle(db, key);
    return Boolean(throttle?.lockedUntil && throttle.lockedUntil > now);
  }

  return {
    async signIn(email: string, password: string, address: string, requestId: string): Promise<SignInOutcome> {
      const now = clock.now();
      if ((await isLocked(accountKey(email), now)) || (await isLocked(addressKey(address), now))) {
        await db.transaction((trx) =>
          insertAuditEvent(trx, {
            userId: null,
            requestId,
            action: 'sign_in_refused_locked',
            entityType: 'sign_in',
            entityId: email.trim().toLowerCase(),
            after: { address },
          }),
        );
        return { ok: false, reason: 'locked' };
      }
      const user = await findAccountByEmail(db, email.trim());
      const passwordMatches = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDecoy(password);
      if (user && user.active && passwordMatches) {
        await db.transaction(async (trx) => {
          await clearThrottle(trx, accountKey(email));
          await recordEvent(trx, { id: user.id, requestId }, { action: 'signed_in', entityType: 'user', entityId: user.id });
        });
        return { ok: true, user: signedInUserOf(user) };
      }
      const locked = await db.transaction(async (trx) => {
        const account = await recordFailure(trx, accountKey(email), now, WINDOW_MINUTES, ACCOUNT_LIMIT, LOCK_MINUTES);
        const byAddress = await recordFailure(trx, addressKey(address), now, WINDOW_MINUTES, ADDRESS_LIMIT, LOCK_MINUTES);
        const lockedNow = account.failures === ACCOUNT_LIMIT || byAddress.failures === ADDRESS_LIMIT;
        await insertAuditEvent(trx, {
          userId: user?.id ?? null,
          requestId,
          action: lockedNow ? 'sign_in_failed_and_locked' : 'sign_in_failed',
          entityType: 'sign_in',
          entityId: email.trim().toLowerCase(),
          after: { address, failures: account.failures },
        });
        return lockedNow;
      });
      return { ok: false, reason: locked ? 'locked' : 'invalid' };
    },

    async recordSignOut(user: SignedInUser, requestId: string): Promise<void> {
      await db.transaction((trx) =>
        recordEvent(trx, { id: user.id, requestId }, { action: 'signed_out', entityType: 'user', entityId: user.id }),
      );
    },

    /** Called on every request: a deactivated user, or one whose role changed, is refreshed or dropped. */
    async currentUser(id: number): Promise<SignedInUser | null> {
      const account = await findAccountById(db, id);
      return account && account.active ? signedInUserOf(account) : null;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
