import type { Knex } from 'knex';
import { insertAuditEvent, recordEvent } from '../audit/repo.js';
import type { AuditAction } from '../audit/actions.js';
import { countAttempt, clearThrottle, forgiveAttempt } from '../auth/repo.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../auth/passwords.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import type { Clock } from '../clock.js';
import type { DbOrTransaction } from '../db/knex.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { findPerson, findPersonForUpdate, type Person } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import { newAccessCode, normaliseAccessCode } from './access-code.js';
import {
  findInvitation,
  insertInvitation,
  personByReference,
  revokeInvitations,
  toSelfAssessment,
  unrevokedInvitation,
  type Invitation,
  type SelfAssessmentRow,
  type SelfAssessmentStatus,
} from './repo.js';

/** How long a code works: four weeks gives the person time to sit down with it, or with whoever helps them. */
export const ACCESS_CODE_DAYS = 28;

/*
 * Throttling, as the staff sign-in does it (auth/service.ts) and with its table: wrong details are
 * counted per council reference and address (5 in 15 minutes), so a stranger cannot lock the
 * person out from elsewhere, and per address whatever reference is typed (50 in 15 minutes).
 * Every attempt is counted before it is checked.
 */
const WINDOW_MINUTES = 15;
const PERSON_ADDRESS_LIMIT = 5;
const ADDRESS_LIMIT = 50;
const addressKey = (address: string) => `self-assessment:address:${address}`;
const personAddressKey = (personId: number, address: string) => `self-assessment:person:${personId}:address:${address}`;

/** Who a person's session belongs to: the person, through the code they signed in with. */
export type PersonAccess = { personId: number; invitationId: number };

/** The person acting in their own online space, for the audit trail. */
export type PersonActor = PersonAccess & { requestId: string };

export type PersonSignInOutcome =
  { ok: true; access: PersonAccess } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; waitMinutes: number };

const isUsable = (invitation: Invitation | undefined, now: Date): invitation is Invitation =>
  invitation !== undefined && invitation.revokedAt === null && invitation.expiresAt > now;

/** An event the person caused: no staff user, the person named, and "by the person" kept with it. */
export function recordPersonEvent(
  trx: DbOrTransaction,
  actor: { personId: number; requestId: string },
  event: { action: AuditAction; entityType: string; entityId: number | string; before?: unknown; after?: object },
) {
  return insertAuditEvent(trx, {
    userId: null,
    requestId: actor.requestId,
    personId: actor.personId,
    ...event,
    after: { by: 'the person', ...event.after },
  });
}

export type SelfAssessmentSection = {
  person: Person;
  canEdit: boolean;
  invitation: { createdAt: Date; expiresAt: Date; expired: boolean } | undefined;
  selfAssessment: { id: number; status: SelfAssessmentStatus; submittedAt: Date | null } | undefined;
};

async function recordRevoked(trx: Knex.Transaction, actor: Actor, personId: number, invitationIds: number[]): Promise<void> {
  for (const id of invitationIds) {
    await recordEvent(trx, actor, {
      action: 'self_assessment_invitation_revoked',
      entityType: 'self_assessment_invitation',
      entityId: id,
      personId,
    });
  }
}

export function selfAssessmentAccessService(db: Knex, clock: Clock) {
  const minutesUntil = (moment: Date) => Math.max(1, Math.ceil((moment.getTime() - clock.now().getTime()) / 60_000));

  async function personToInvite(trx: Knex.Transaction, actor: Actor, personId: number): Promise<Person> {
    const person = await findPersonForUpdate(trx, personId);
    if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
    if (!canEditPerson(actor, person))
      throw new ForbiddenError('Only a care manager or team manager in the person’s team can give them an access code.');
    return person;
  }

  return {
    /** The person page's section, from the rows the page read with its other records. */
    personSection(user: SignedInUser, person: Person, selfAssessmentRows: unknown[], invitationRows: unknown[]): SelfAssessmentSection {
      const [latest] = (selfAssessmentRows as SelfAssessmentRow[]).map(toSelfAssessment);
      const [invitation] = invitationRows as { created_at: Date; expires_at: Date }[];
      return {
        person,
        canEdit: canEditPerson(user, person),
        invitation: invitation && {
          createdAt: invitation.created_at,
          expiresAt: invitation.expires_at,
          expired: invitation.expires_at <= clock.now(),
        },
        selfAssessment: latest && { id: latest.id, status: latest.status, submittedAt: latest.submittedAt },
      };
    },

    /**
     * A new access code for the person, returned once to be printed on their letter; only its
     * hash is kept. Any earlier code stops working.
     */
    async invite(actor: Actor, personId: number): Promise<{ person: Person; code: string; expiresAt: Date }> {
      const code = newAccessCode();
      const codeHash = await hashPassword(code);
      return db.transaction(async (trx) => {
        const person = await personToInvite(trx, actor, personId);
        const now = clock.now();
        const revoked = await revokeInvitations(trx, person.id, actor.id, now);
        await recordRevoked(trx, actor, person.id, revoked);
        const expiresAt = new Date(now.getTime() + ACCESS_CODE_DAYS * 24 * 3_600_000);
        const invitation = await insertInvitation(trx, { personId: person.id, codeHash, createdBy: actor.id, createdAt: now, expiresAt });
        await recordEvent(trx, actor, {
          action: 'self_assessment_invited',
          entityType: 'self_assessment_invitation',
          entityId: invitation.id,
          personId: person.id,
          after: { expires_at: expiresAt.toISOString() },
        });
        return { person, code, expiresAt };
      });
    },

    /** Stops the person's code working at once, and with it any session signed in with it. */
    async revoke(actor: Actor, personId: number): Promise<Person> {
      return db.transaction(async (trx) => {
        const person = await personToInvite(trx, actor, personId);
        await recordRevoked(trx, actor, person.id, await revokeInvitations(trx, person.id, actor.id, clock.now()));
        return person;
      });
    },

    /**
     * The person's sign-in: their council reference, date of birth and code must all match an
     * unrevoked, unexpired code. A code is checked against a hash even when nothing matched, so
     * the time taken does not tell which detail was wrong.
     */
    async signIn(
      typed: { reference: string; dateOfBirth: string; code: string },
      address: string,
      requestId: string,
    ): Promise<PersonSignInOutcome> {
      const now = clock.now();
      const person = await personByReference(db, typed.reference.trim());
      const byAddress = await countAttempt(db, addressKey(address), now, WINDOW_MINUTES);
      const byPerson = person && (await countAttempt(db, personAddressKey(person.id, address), now, WINDOW_MINUTES));
      const entity = { entityType: person ? 'person' : 'self_assessment_sign_in', entityId: person ? person.id : 'unknown reference' };
      if (byAddress.attempts > ADDRESS_LIMIT || (byPerson && byPerson.attempts > PERSON_ADDRESS_LIMIT)) {
        await db.transaction((trx) =>
          insertAuditEvent(trx, {
            userId: null,
            requestId,
            action: 'self_assessment_sign_in_refused',
            personId: person?.id ?? null,
            ...entity,
            after: { address },
          }),
        );
        const until = byAddress.attempts > ADDRESS_LIMIT ? byAddress.windowEndsAt : (byPerson as { windowEndsAt: Date }).windowEndsAt;
        return { ok: false, reason: 'locked', waitMinutes: minutesUntil(until) };
      }
      const invitation = person && person.dateOfBirth === typed.dateOfBirth ? await unrevokedInvitation(db, person.id) : undefined;
      const matches = isUsable(invitation, now)
        ? await verifyPassword(invitation.codeHash, normaliseAccessCode(typed.code))
        : await verifyAgainstDecoy(typed.code);
      if (person && invitation && matches) {
        await db.transaction(async (trx) => {
          await clearThrottle(trx, personAddressKey(person.id, address));
          await forgiveAttempt(trx, addressKey(address));
          await recordPersonEvent(
            trx,
            { personId: person.id, requestId },
            { action: 'self_assessment_signed_in', entityType: 'self_assessment_invitation', entityId: invitation.id },
          );
        });
        return { ok: true, access: { personId: person.id, invitationId: invitation.id } };
      }
      await db.transaction((trx) =>
        insertAuditEvent(trx, {
          userId: null,
          requestId,
          action: 'self_assessment_sign_in_failed',
          personId: person?.id ?? null,
          ...entity,
          after: { address, failures: byPerson ? byPerson.attempts : byAddress.attempts },
        }),
      );
      return { ok: false, reason: 'invalid' };
    },

    /** The person a session belongs to while its code still works; a revoked or expired code ends the session. */
    async personOf(access: PersonAccess): Promise<Person | undefined> {
      const invitation = await findInvitation(db, access.invitationId);
      if (!isUsable(invitation, clock.now()) || invitation.personId !== access.personId) return undefined;
      return findPerson(db, access.personId);
    },

    async recordSignOut(actor: PersonActor): Promise<void> {
      await db.transaction((trx) =>
        recordPersonEvent(trx, actor, {
          action: 'self_assessment_signed_out',
          entityType: 'self_assessment_invitation',
          entityId: actor.invitationId,
        }),
      );
    },
  };
}

export type SelfAssessmentAccessService = ReturnType<typeof selfAssessmentAccessService>;
