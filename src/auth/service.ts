import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { insertAuditEvent, recordEvent } from '../audit/repo.js';
import type { Clock } from '../clock.js';
import { RuleError } from '../errors.js';
import { passwordWeakness } from './password-strength.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords.js';
import {
  clearThrottle,
  countAttempt,
  deleteSessionsOf,
  enrolSecondFactor,
  findAccountByEmail,
  findAccountById,
  findSetPasswordLink,
  forgiveAttempt,
  insertRecoveryCodes,
  insertSetPasswordLink,
  markSetPasswordLinkUsed,
  setPasswordHash,
  spendRecoveryCode,
  unusedRecoveryCodes,
  userOfSession,
} from './repo.js';
import type { SignedInUser } from './roles.js';
import { codeMatches, isAuthenticatorCode, newRecoveryCodes, normaliseRecoveryCode } from './two-factor.js';

/*
 * Throttling, and why nobody can use it to lock someone else out.
 *
 * The old rule locked an account for 15 minutes after 5 failures from anywhere, so anyone who
 * knew a colleague's email address could keep them out all day. Now wrong passwords are counted
 * per account *and address*: after 5 in 15 minutes that address is refused for that account until
 * the window ends, while the owner at their own desk, or anyone elsewhere, still signs in. An
 * address is also refused after 50 failures in 15 minutes whatever accounts it tries (room for
 * a whole office behind one council proxy), which stops one machine spraying guesses across
 * every account. Guessing from many addresses at once is not stopped by counting, and need not
 * be: a right password alone signs nobody in, it only reaches the code step.
 *
 * The code step is counted per account (5 codes in 15 minutes), because codes are few (a
 * million, three valid at a time) and must not be guessed from many addresses. Only someone who
 * already has the password reaches it, so only they can slow it down, and every wrong code is
 * in the audit trail for the account's owner and the administrators to see.
 *
 * Every attempt is counted before it is checked, in one statement (repo.ts countAttempt), so a
 * burst is counted exactly and the limit holds however many arrive at once.
 */
const WINDOW_MINUTES = 15;
const ACCOUNT_ADDRESS_LIMIT = 5;
const ADDRESS_LIMIT = 50;
const CODE_LIMIT = 5;
const SET_PASSWORD_LINK_HOURS = 24;

const addressKey = (address: string) => `address:${address}`;
const accountAddressKey = (userId: number, address: string) => `account:${userId}:address:${address}`;
const codeKey = (userId: number) => `code:${userId}`;

export type PasswordOutcome =
  | { ok: true; user: SignedInUser; enrolled: boolean }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; waitMinutes: number };

export type CodeOutcome =
  | { ok: true; user: SignedInUser; recoveryCodesLeft: number | null }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'slowed'; waitMinutes: number };

export type EnrolOutcome = { ok: true; user: SignedInUser; recoveryCodes: string[] } | Exclude<CodeOutcome, { ok: true }>;

/** Only an active account is signed in: a deactivated one ends its sessions at their next request. */
function signedInUserFrom(account: (SignedInUser & { active: boolean }) | null): SignedInUser | null {
  return account && account.active ? signedInUserOf(account) : null;
}

const signedInUserOf = (account: SignedInUser): SignedInUser => ({
  id: account.id,
  email: account.email,
  displayName: account.displayName,
  role: account.role,
  teamId: account.teamId,
});

/** The person's own name and address, which a password must not be built from. */
const personalWords = (account: { email: string; displayName: string }) => [
  ...account.displayName.toLowerCase().split(/\s+/),
  ...account.email.toLowerCase().split(/[@.]/),
];

/** Links carry 256 random bits; a SHA-256 of them is all the database keeps. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function checkNewPassword(account: { email: string; displayName: string }, password: string, field: string): void {
  const weakness = passwordWeakness(password, personalWords(account));
  if (weakness) throw new RuleError(weakness, field);
}

export function authService(db: Knex, clock: Clock) {
  const minutesUntil = (moment: Date) => Math.max(1, Math.ceil((moment.getTime() - clock.now().getTime()) / 60_000));

  /** The shared start of both code steps: counted first, refused past the limit. */
  async function countCode(userId: number, requestId: string): Promise<{ ok: false; reason: 'slowed'; waitMinutes: number } | null> {
    const { attempts, windowEndsAt } = await countAttempt(db, codeKey(userId), clock.now(), WINDOW_MINUTES);
    if (attempts <= CODE_LIMIT) return null;
    await db.transaction((trx) =>
      recordEvent(trx, { id: userId, requestId }, { action: 'second_factor_refused', entityType: 'user', entityId: userId }),
    );
    return { ok: false, reason: 'slowed', waitMinutes: minutesUntil(windowEndsAt) };
  }

  async function codeFailed(userId: number, requestId: string): Promise<{ ok: false; reason: 'wrong' }> {
    await db.transaction((trx) =>
      recordEvent(trx, { id: userId, requestId }, { action: 'second_factor_failed', entityType: 'user', entityId: userId }),
    );
    return { ok: false, reason: 'wrong' };
  }

  async function matchingRecoveryCode(userId: number, typed: string): Promise<boolean> {
    const code = normaliseRecoveryCode(typed);
    const unused = await unusedRecoveryCodes(db, userId);
    const matches = await Promise.all(unused.map((candidate) => verifyPassword(candidate.codeHash, code)));
    const match = unused.find((_candidate, index) => matches[index]);
    return Boolean(match && (await spendRecoveryCode(db, match.id, clock.now())));
  }

  return {
    /**
     * The password step. It never records what was typed as the email address unless it is a
     * real account's (and then it records the account id): people type passwords there.
     */
    async checkPassword(email: string, password: string, address: string, requestId: string): Promise<PasswordOutcome> {
      const now = clock.now();
      const account = await findAccountByEmail(db, email.trim());
      const byAddress = await countAttempt(db, addressKey(address), now, WINDOW_MINUTES);
      const byAccount = account && (await countAttempt(db, accountAddressKey(account.id, address), now, WINDOW_MINUTES));
      const entity = { entityType: account ? 'user' : 'sign_in', entityId: account ? account.id : 'unknown account' };
      if (byAddress.attempts > ADDRESS_LIMIT || (byAccount && byAccount.attempts > ACCOUNT_ADDRESS_LIMIT)) {
        await db.transaction((trx) =>
          insertAuditEvent(trx, {
            userId: account?.id ?? null,
            requestId,
            action: 'sign_in_refused_locked',
            ...entity,
            after: { address },
          }),
        );
        const until = byAddress.attempts > ADDRESS_LIMIT ? byAddress.windowEndsAt : (byAccount as { windowEndsAt: Date }).windowEndsAt;
        return { ok: false, reason: 'locked', waitMinutes: minutesUntil(until) };
      }
      const passwordMatches = account?.passwordHash
        ? await verifyPassword(account.passwordHash, password)
        : await verifyAgainstDecoy(password);
      if (account && account.active && passwordMatches) {
        await db.transaction(async (trx) => {
          await clearThrottle(trx, accountAddressKey(account.id, address));
          await forgiveAttempt(trx, addressKey(address));
        });
        return { ok: true, user: signedInUserOf(account), enrolled: account.totpSecret !== null };
      }
      await db.transaction((trx) =>
        insertAuditEvent(trx, {
          userId: account?.id ?? null,
          requestId,
          action: 'sign_in_failed',
          ...entity,
          after: { address, failures: byAccount ? byAccount.attempts : byAddress.attempts },
        }),
      );
      return { ok: false, reason: 'invalid' };
    },

    /** The code step: a code from the authenticator app, or one of the recovery codes. */
    async checkCode(userId: number, typed: string, requestId: string): Promise<CodeOutcome> {
      const account = await findAccountById(db, userId);
      if (!account?.active || !account.totpSecret) return { ok: false, reason: 'wrong' };
      const slowed = await countCode(userId, requestId);
      if (slowed) return slowed;
      const byApp = isAuthenticatorCode(typed);
      const matches = byApp ? codeMatches(account.totpSecret, typed.replace(/\s/g, '')) : await matchingRecoveryCode(userId, typed);
      if (!matches) return codeFailed(userId, requestId);
      await db.transaction(async (trx) => {
        await clearThrottle(trx, codeKey(userId));
        await recordEvent(
          trx,
          { id: userId, requestId },
          { action: byApp ? 'signed_in' : 'signed_in_with_recovery_code', entityType: 'user', entityId: userId },
        );
      });
      return { ok: true, user: signedInUserOf(account), recoveryCodesLeft: byApp ? null : (await unusedRecoveryCodes(db, userId)).length };
    },

    /** First sign-in: the code proves the app holds the secret; only then is it kept, with new recovery codes. */
    async enrol(userId: number, secret: string, typed: string, requestId: string): Promise<EnrolOutcome> {
      const account = await findAccountById(db, userId);
      if (!account?.active || account.totpSecret) return { ok: false, reason: 'wrong' };
      const slowed = await countCode(userId, requestId);
      if (slowed) return slowed;
      if (!isAuthenticatorCode(typed) || !codeMatches(secret, typed.replace(/\s/g, ''))) return codeFailed(userId, requestId);
      const recoveryCodes = newRecoveryCodes();
      const hashes = await Promise.all(recoveryCodes.map((code) => hashPassword(code)));
      const enrolled = await db.transaction(async (trx) => {
        if (!(await enrolSecondFactor(trx, userId, secret, clock.now()))) return false;
        await insertRecoveryCodes(trx, userId, hashes);
        await clearThrottle(trx, codeKey(userId));
        await recordEvent(trx, { id: userId, requestId }, { action: 'second_factor_enrolled', entityType: 'user', entityId: userId });
        await recordEvent(trx, { id: userId, requestId }, { action: 'signed_in', entityType: 'user', entityId: userId });
        return true;
      });
      return enrolled ? { ok: true, user: signedInUserOf(account), recoveryCodes } : { ok: false, reason: 'wrong' };
    },

    /** Whose link this is, if it can still be used; an unknown, used or expired link is all one answer. */
    async setPasswordLinkHolder(token: string): Promise<{ email: string } | null> {
      const link = await findSetPasswordLink(db, hashToken(token));
      if (!link || link.usedAt || link.expiresAt <= clock.now()) return null;
      const account = await findAccountById(db, link.userId);
      return account?.active ? { email: account.email } : null;
    },

    async setPasswordWithLink(token: string, password: string, requestId: string): Promise<void> {
      const tokenHash = hashToken(token);
      const passwordHash = await hashPassword(password);
      await db.transaction(async (trx) => {
        // Locked, so a link opened in two tabs and sent from both sets one password.
        const link = await findSetPasswordLink(trx, tokenHash, true);
        if (!link || link.usedAt || link.expiresAt <= clock.now()) throw new RuleError('This link has already been used or has expired');
        const account = await findAccountById(trx, link.userId, true);
        if (!account?.active) throw new RuleError('This link has already been used or has expired');
        checkNewPassword(account, password, 'password');
        await setPasswordHash(trx, account.id, passwordHash);
        await markSetPasswordLinkUsed(trx, tokenHash, clock.now());
        await deleteSessionsOf(trx, account.id);
        await recordEvent(trx, { id: account.id, requestId }, { action: 'password_set', entityType: 'user', entityId: account.id });
      });
    },

    async changePassword(
      user: SignedInUser,
      input: { currentPassword: string; newPassword: string },
      sessionId: string,
      requestId: string,
    ): Promise<void> {
      const account = await findAccountById(db, user.id);
      if (!account?.passwordHash || !(await verifyPassword(account.passwordHash, input.currentPassword))) {
        throw new RuleError('Your current password is not right', 'currentPassword');
      }
      if (input.newPassword === input.currentPassword)
        throw new RuleError('Choose a password different from your current one', 'newPassword');
      checkNewPassword(account, input.newPassword, 'newPassword');
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (trx) => {
        await setPasswordHash(trx, user.id, passwordHash);
        // Whoever else had the old password, on whatever machine, is signed out now.
        await deleteSessionsOf(trx, user.id, sessionId);
        await recordEvent(trx, { id: user.id, requestId }, { action: 'password_changed', entityType: 'user', entityId: user.id });
      });
    },

    async recordSignOut(user: SignedInUser, requestId: string): Promise<void> {
      await db.transaction((trx) =>
        recordEvent(trx, { id: user.id, requestId }, { action: 'signed_out', entityType: 'user', entityId: user.id }),
      );
    },

    /** For a session not read with its user: a deactivated user, or one whose role changed, is refreshed or dropped. */
    async currentUser(id: number): Promise<SignedInUser | null> {
      return signedInUserFrom((await findAccountById(db, id)) ?? null);
    },

    /** The account as read with the session, as currentUser would give it. */
    signedInUserFrom,

    async emailOf(userId: number): Promise<string | null> {
      return (await findAccountById(db, userId))?.email ?? null;
    },

    /** Who was signed in to a session that has ended, if its row has not yet been pruned. */
    async userOfEndedSession(sessionId: string): Promise<number | undefined> {
      return userOfSession(db, sessionId);
    },
  };
}

/**
 * A new one-time link for a user to set their own password, inside the caller's transaction
 * (adding a user, or an administrator's reset). The token is returned once, to be shown once.
 * `createdBy` is empty for the first administrator's link, made at the command line rather than by a user.
 */
export async function issueSetPasswordLink(trx: Knex.Transaction, clock: Clock, userId: number, createdBy: number | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(clock.now().getTime() + SET_PASSWORD_LINK_HOURS * 3_600_000);
  await insertSetPasswordLink(trx, { tokenHash: hashToken(token), userId, createdBy, expiresAt });
  return token;
}

export type AuthService = ReturnType<typeof authService>;
