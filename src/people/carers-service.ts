import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { ForbiddenError, NotFoundError, RuleError } from '../errors.js';
import { caredForBy, deleteCarerLink, findPersonByReference, insertCarerLink } from './carers-repo.js';
import { findPerson, findPersonForUpdate, type Person } from './repo.js';
import { canEditPerson, canSeePerson } from './service.js';

/** The statutory return names at most three people a carer cares for, and so does a carer's record. */
export const MOST_CARED_FOR = 3;

/**
 * A carer's record and the people they look after. Only a carer's record (client group carer)
 * names anyone, and who may change the links is who may change the carer's details.
 */
export function carersService(db: Knex) {
  function carerToChange(user: SignedInUser, carer: Person | undefined): Person {
    // Someone who is not a carer has no "cares for" to change: there is no such page.
    if (!carer || !canSeePerson(user, carer) || carer.clientGroup !== 'carer') throw new NotFoundError('Carer');
    if (!canEditPerson(user, carer))
      throw new ForbiddenError('Only a care manager or team manager of the carer’s team can change who they care for');
    return carer;
  }

  return {
    async linksPage(user: SignedInUser, carerId: number) {
      const carer = carerToChange(user, await findPerson(db, carerId));
      return { carer, caresFor: await caredForBy(db, carer.id), most: MOST_CARED_FOR };
    },

    /**
     * Links the person with this council reference to the carer. The carer is locked first, so
     * two links saved at once take turns and the limit of three holds.
     */
    async link(actor: Actor, carerId: number, reference: string): Promise<void> {
      await db.transaction(async (trx) => {
        const carer = carerToChange(actor, await findPersonForUpdate(trx, carerId));
        const caredFor = await findPersonByReference(trx, reference);
        // Someone in another team is "not found" here as everywhere: the reference must not confirm they exist.
        if (!caredFor || !canSeePerson(actor, caredFor)) {
          throw new RuleError(`No one you can see has the council reference ${reference}`, 'reference');
        }
        if (caredFor.id === carer.id) throw new RuleError('A carer cannot be linked as caring for themselves', 'reference');
        const current = await caredForBy(trx, carer.id);
        if (current.some((person) => person.id === caredFor.id)) {
          throw new RuleError(`${caredFor.givenName} ${caredFor.familyName} is already linked to this carer`, 'reference');
        }
        if (current.length >= MOST_CARED_FOR) {
          throw new RuleError(`A carer can be linked to up to ${MOST_CARED_FOR} people they care for: unlink someone first`, 'reference');
        }
        await insertCarerLink(trx, carer.id, caredFor.id);
        await recordEvent(trx, actor, {
          action: 'carer_linked',
          entityType: 'carer_link',
          entityId: `${carer.id}-${caredFor.id}`,
          personId: carer.id,
          after: { carer_id: carer.id, cared_for_id: caredFor.id },
        });
      });
    },

    /** Removes a link; removing one already gone (a second click) changes nothing. */
    async unlink(actor: Actor, carerId: number, caredForId: number): Promise<void> {
      await db.transaction(async (trx) => {
        const carer = carerToChange(actor, await findPersonForUpdate(trx, carerId));
        if (!(await deleteCarerLink(trx, carer.id, caredForId))) return;
        await recordEvent(trx, actor, {
          action: 'carer_unlinked',
          entityType: 'carer_link',
          entityId: `${carer.id}-${caredForId}`,
          personId: carer.id,
          before: { carer_id: carer.id, cared_for_id: caredForId },
        });
      });
    },
  };
}

export type CarersService = ReturnType<typeof carersService>;
