import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { writtenCalendarDate } from '../calendar.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPerson, findPersonForUpdate, type Person } from './repo.js';
import {
  findSupportRequest,
  insertSupportRequest,
  requestsOfPerson,
  supportRequestRecord,
  updateSupportRequest,
  type SupportRequest,
} from './requests-repo.js';
import type { NewRequestInput, RequestOutcomeInput } from './requests-schemas.js';
import { canEditPerson, canSeePerson } from './service.js';

/** What a change did; `alreadyDone` when it repeats the same change (a double-click), which changes nothing. */
export type RequestChange = { request: SupportRequest; alreadyDone: boolean };

/**
 * Requests for support (referrals), as the statutory return counts them: who may record them is
 * who may change the person's details.
 */
export function supportRequestsService(db: Knex) {
  /** The person, if this user may change their records; another team's person is "not found". */
  function editable(user: SignedInUser, person: Person | undefined): Person {
    if (!person || !canSeePerson(user, person)) throw new NotFoundError('Person');
    if (!canEditPerson(user, person))
      throw new ForbiddenError('Only a care manager or team manager of the person’s team can record their requests');
    return person;
  }

  /** The request locked for a change, with its person; a request of someone else is "not found". */
  async function lockedRequest(trx: Knex.Transaction, actor: Actor, personId: number, requestId: number) {
    const person = editable(actor, await findPerson(trx, personId));
    const request = await findSupportRequest(trx, requestId, true);
    if (!request || request.personId !== person.id) throw new NotFoundError('Request for support');
    return { person, request };
  }

  return {
    /** The person, for the new request form; refused unless this user may record their requests. */
    async personToRecordFor(user: SignedInUser, personId: number): Promise<Person> {
      return editable(user, await findPerson(db, personId));
    },

    /** One of the person's requests, for its outcome or cancel form. */
    async requestPage(user: SignedInUser, personId: number, requestId: number) {
      const person = editable(user, await findPerson(db, personId));
      const request = await findSupportRequest(db, requestId);
      if (!request || request.personId !== person.id) throw new NotFoundError('Request for support');
      return { person, request };
    },

    /**
     * Records a new request. The person is locked so two saves take turns, and the same request
     * (same day, same route, still open) saved twice is one request.
     */
    async recordRequest(actor: Actor, personId: number, input: NewRequestInput): Promise<RequestChange> {
      return db.transaction(async (trx) => {
        const person = editable(actor, await findPersonForUpdate(trx, personId));
        const same = (await requestsOfPerson(trx, person.id)).find(
          (request) =>
            request.cancelledAt === null &&
            request.outcome === null &&
            request.receivedOn === input.receivedOn &&
            request.routeOfAccess === input.routeOfAccess,
        );
        if (same) return { request: same, alreadyDone: true };
        const request = await insertSupportRequest(trx, { personId: person.id, ...input, recordedBy: actor.id });
        await recordEvent(trx, actor, {
          action: 'support_request_recorded',
          entityType: 'support_request',
          entityId: request.id,
          personId: person.id,
          after: supportRequestRecord(request),
        });
        return { request, alreadyDone: false };
      });
    },

    /** Records (or corrects) what was decided, on the day it was decided. */
    async decideRequest(actor: Actor, personId: number, requestId: number, input: RequestOutcomeInput): Promise<RequestChange> {
      return db.transaction(async (trx) => {
        const { person, request } = await lockedRequest(trx, actor, personId, requestId);
        const repeat = request.version === input.version + 1 && request.outcome === input.outcome && request.decidedOn === input.decidedOn;
        if (repeat) return { request, alreadyDone: true };
        if (request.version !== input.version) throw new StaleVersionError('request for support', request);
        if (request.cancelledAt !== null)
          throw new RuleError('This request was cancelled as recorded in error, so it has no outcome', 'outcome');
        if (input.decidedOn < request.receivedOn) {
          throw new RuleError(
            `Date decided must be the same as or after the day the request was received, ${writtenCalendarDate(request.receivedOn)}`,
            'decidedOn',
          );
        }
        const after = await updateSupportRequest(trx, request.id, input.version, input);
        if (!after) throw new StaleVersionError('request for support', request);
        await recordEvent(trx, actor, {
          action: 'support_request_decided',
          entityType: 'support_request',
          entityId: request.id,
          personId: person.id,
          before: supportRequestRecord(request),
          after: supportRequestRecord(after),
        });
        return { request: after, alreadyDone: false };
      });
    },

    /** A request recorded in error is cancelled, not deleted: it stays on the record and the return leaves it out. */
    async cancelRequest(actor: Actor, personId: number, requestId: number, version: number): Promise<RequestChange> {
      return db.transaction(async (trx) => {
        const { person, request } = await lockedRequest(trx, actor, personId, requestId);
        if (request.cancelledAt !== null && request.version === version + 1) return { request, alreadyDone: true };
        if (request.version !== version) throw new StaleVersionError('request for support', request);
        if (request.cancelledAt !== null) throw new RuleError('This request is already cancelled', 'form');
        const after = await updateSupportRequest(trx, request.id, version, { cancelled: true });
        if (!after) throw new StaleVersionError('request for support', request);
        await recordEvent(trx, actor, {
          action: 'support_request_cancelled',
          entityType: 'support_request',
          entityId: request.id,
          personId: person.id,
          before: supportRequestRecord(request),
          after: supportRequestRecord(after),
        });
        return { request: after, alreadyDone: false };
      });
    },
  };
}

export type SupportRequestsService = ReturnType<typeof supportRequestsService>;
