import type { Knex } from 'knex';
import { insertAuditEvent } from '../audit/repo.js';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import type { PersonClientGroup } from './client-groups.js';
import {
  findPerson,
  findPersonForUpdate,
  insertPerson,
  listPeople,
  listTeams,
  nextReferenceNumber,
  possibleDuplicates,
  referenceTaken,
  searchPeople,
  teamWorkers,
  updatePerson,
  personRecord,
  personWithNamesQuery,
  toPersonWithNames,
  type PersonWithNamesRow,
  type PersonDetails,
  type Person,
  type PossibleDuplicate,
} from './repo.js';
import { councilSettings } from '../settings/repo.js';
import { councilReference } from './references.js';
import { readTogetherById, type JsonRow } from '../db/read-together.js';
import { latestTimelineQuery, toTimelineEntry, type TimelineRow } from '../notes/repo.js';
import { linkedPeopleQuery, toLinked, type LinkedRow } from './carers-repo.js';
import {
  insertSupportRequest,
  requestsOfPersonQuery,
  supportRequestRecord,
  toSupportRequest,
  type SupportRequestRow,
} from './requests-repo.js';
import type { PersonSections } from './sections.js';
import { findsNobody, type NewPersonInput, type PersonEditInput, type PersonInput, type PersonSearch } from './schemas.js';

/** The same 50 a page as every other list (src/web/pagination.ts), which the service cannot import. */
export const PAGE_SIZE = 50;

/** The newest of what has happened that the person page shows; the rest is a link away. */
export const TIMELINE_ON_PAGE = 20;

/**
 * The closest a search shows, a screen or two; past them the page says how to narrow it. Each row
 * is work at every search: a common surname's page of 20 is served about 1.4 times as often as one of 50.
 */
export const SEARCH_RESULTS = 20;

/** Finance and admin read everyone; care and team managers only their own team's people. */
export function canSeePerson(user: SignedInUser, person: Pick<Person, 'teamId'>): boolean {
  if (user.role === 'admin' || user.role === 'finance_officer') return true;
  return user.teamId === person.teamId;
}

export function canEditPerson(user: SignedInUser, person: Pick<Person, 'teamId'>): boolean {
  return (user.role === 'care_manager' || user.role === 'team_manager') && user.teamId === person.teamId;
}

export function canAllocate(user: SignedInUser, person: Pick<Person, 'teamId'>): boolean {
  return user.role === 'team_manager' && user.teamId === person.teamId;
}

function detailsFrom(input: PersonInput): Omit<PersonDetails, 'teamId' | 'reference'> {
  return {
    givenName: input.givenName,
    familyName: input.familyName,
    dateOfBirth: input.dateOfBirth,
    postcode: input.postcode,
    nhsNumber: input.nhsNumber,
    clientGroup: input.clientGroup,
    allocatedWorkerId: input.allocatedWorkerId,
    address: input.address,
    phone: input.phone,
    email: input.email,
    preferredContact: input.preferredContact,
    referralDate: input.referralDate,
    gender: input.gender,
    ethnicity: input.ethnicity,
    primarySupportReason: input.primarySupportReason,
    accommodationStatus: input.accommodationStatus,
    employmentStatus: input.employmentStatus,
    hasUnpaidCarer: input.hasUnpaidCarer,
    dateOfDeath: input.dateOfDeath,
  };
}

/** A second person with the same council reference or NHS number, told by the box it was typed in. */
function throwIfAlreadyUsed(error: unknown): void {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code !== '23505') return;
  if (constraint === 'people_nhs_number') throw new RuleError('That NHS number is already recorded for another person', 'nhsNumber');
  throw new RuleError('That council reference is already used by another person', 'reference');
}

/**
 * The next reference in the council's format. A number whose reference someone already has (typed
 * by hand before references were given, or in a format used before) is passed over.
 */
async function newReference(trx: Knex.Transaction): Promise<string> {
  const format = await councilSettings(trx);
  for (;;) {
    const reference = councilReference(format, await nextReferenceNumber(trx));
    if (!(await referenceTaken(trx, reference))) return reference;
  }
}

/** What adding a person came to: added; not yet, as they may already have a record; or not at all, as the user said. */
export type AddPersonOutcome = { added: Person } | { possibleDuplicates: PossibleDuplicate[]; unanswered: boolean } | { notAdded: true };

export function peopleService(db: Knex) {
  const pageReaders = new WeakMap<PersonSections, (id: number) => Promise<Record<string, JsonRow[]>>>();
  /** The person page's one statement, with the sections' queries beside the page's own, built once. */
  function personPageReader(sections: PersonSections) {
    let reader = pageReaders.get(sections);
    if (!reader) {
      reader = readTogetherById(db, (id) => {
        const sectionQueries = sections.queries(id);
        const ownQueries = {
          person: personWithNamesQuery(db, id),
          requests: requestsOfPersonQuery(db, id),
          caresFor: linkedPeopleQuery(db, id, 'cared_for'),
          carers: linkedPeopleQuery(db, id, 'carers'),
          timeline: latestTimelineQuery(db, id, TIMELINE_ON_PAGE),
        };
        const clash = Object.keys(ownQueries).find((name) => Object.hasOwn(sectionQueries, name));
        if (clash) throw new Error(`A person page section reads "${clash}", which the page reads itself`);
        return { ...sectionQueries, ...ownQueries };
      });
      pageReaders.set(sections, reader);
    }
    return reader;
  }

  async function visiblePerson(user: SignedInUser, id: number, trx: Knex | Knex.Transaction = db): Promise<Person> {
    const person = await findPerson(trx, id);
    // Another team's person is "not found", not "forbidden": the URL should not confirm they exist.
    if (!person || !canSeePerson(user, person)) throw new NotFoundError('Person');
    return person;
  }

  async function checkWorker(teamId: number, workerId: number | null, trx: Knex | Knex.Transaction): Promise<void> {
    if (workerId === null) return;
    const workers = await teamWorkers(trx, teamId);
    if (!workers.some((worker) => worker.id === workerId)) {
      throw new RuleError('Select a worker from this team', 'allocatedWorkerId');
    }
  }

  return {
    visiblePerson,

    /**
     * A search for someone by name, reference or date of birth is recorded with what was typed:
     * the audit trail is the protected place for it, never the request log.
     */
    async search(user: Actor, search: PersonSearch) {
      const ownTeamOnly = user.role === 'care_manager' || user.role === 'team_manager';
      const filter = {
        teamId: ownTeamOnly ? (user.teamId ?? -1) : search.team,
        clientGroup: search.clientGroup as PersonClientGroup | undefined,
      };
      const page = search.page ?? 1;
      const people = async () => {
        if (search.terms) {
          // Ranked, so the closest matches come first and there is no second page to look through.
          const found = findsNobody(search.terms)
            ? { rows: [], total: 0 }
            : await searchPeople(db, { ...filter, ...search.terms }, SEARCH_RESULTS);
          return { ...found, ranked: true, page: 1, pageCount: 1 };
        }
        const { rows, total } = await listPeople(db, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
        return { rows, total, ranked: false, page, pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)) };
      };
      // Recorded while the search runs rather than before it: nothing is shown until both are
      // done, so a search that could not be recorded shows no one.
      const [found, teams] = await Promise.all([
        people(),
        // Only those who see every team choose one.
        ownTeamOnly ? [] : listTeams(db),
        search.q &&
          recordLookedAt(db, user, {
            action: 'people_searched',
            entityType: 'person_search',
            entityId: '',
            after: { q: search.q, team: search.team ?? null, client_group: search.clientGroup ?? null, page: search.page ?? 1 },
          }),
      ]);
      return { ...found, teams };
    },

    /** The teams the search form offers, for a search that was refused before it ran. */
    searchTeams() {
      return listTeams(db);
    },

    /**
     * Everything the person page shows in one statement: the person, what the statutory return
     * records of them, the newest of their timeline, and every section's records. Another team's
     * person is "not found", as with visiblePerson; what was read of them is dropped unseen.
     */
    async personPage(user: SignedInUser, id: number, sections: PersonSections) {
      const rows = await personPageReader(sections)(id);
      const [personRow] = rows.person as PersonWithNamesRow[];
      const found = personRow && toPersonWithNames(personRow);
      if (!found || !canSeePerson(user, found.person)) throw new NotFoundError('Person');
      const { person } = found;
      return {
        ...found,
        requests: (rows.requests as SupportRequestRow[]).map(toSupportRequest),
        caresFor: (rows.caresFor as LinkedRow[]).map(toLinked),
        carers: (rows.carers as LinkedRow[]).map(toLinked),
        timeline: (rows.timeline as TimelineRow[]).map((row) => toTimelineEntry(row, person.id)),
        sections: sections.build(user, person, rows),
        canEdit: canEditPerson(user, person),
        canAllocate: canAllocate(user, person),
      };
    },

    /** The person a form changes, with what this user may change of them. */
    async personToChange(user: SignedInUser, id: number) {
      const person = await visiblePerson(user, id);
      return { person, canEdit: canEditPerson(user, person), canAllocate: canAllocate(user, person) };
    },

    async formOptions(user: SignedInUser, teamId = user.teamId) {
      return { workers: teamId ? await teamWorkers(db, teamId) : [] };
    },

    /**
     * Adds a person with their first request for support, received on the referral date, and the
     * next council reference. Someone with the same name and date of birth, or the same date of
     * birth and postcode, may already have a record: until the user has said this is a different
     * person, nothing is saved and the possible matches come back instead.
     */
    async createPerson(actor: Actor, input: NewPersonInput): Promise<AddPersonOutcome> {
      if (actor.role !== 'care_manager' && actor.role !== 'team_manager') throw new ForbiddenError();
      const teamId = actor.teamId;
      if (!teamId) throw new ForbiddenError('You need to be in a team to add people');
      if (input.differentPerson === 'no') return { notAdded: true };
      const matches = await possibleDuplicates(db, input);
      if (matches.length > 0 && input.differentPerson !== 'yes') {
        return { possibleDuplicates: matches, unanswered: input.askedIfDifferent };
      }
      try {
        const added = await db.transaction(async (trx) => {
          await checkWorker(teamId, input.allocatedWorkerId, trx);
          const person = await insertPerson(trx, { ...detailsFrom(input), reference: await newReference(trx), teamId });
          const request = await insertSupportRequest(trx, {
            personId: person.id,
            receivedOn: input.referralDate,
            routeOfAccess: input.routeOfAccess,
            recordedBy: actor.id,
          });
          // One change, one event: the person and the request that brought them, together.
          await insertAuditEvent(trx, {
            userId: actor.id,
            requestId: actor.requestId,
            action: 'person_created',
            entityType: 'person',
            entityId: person.id,
            personId: person.id,
            after: {
              ...personRecord(person),
              first_request: supportRequestRecord(request),
              // Who they might have been, as the user was shown before saying they are someone else.
              ...(matches.length > 0 && { said_different_from: matches.map((match) => match.id) }),
            },
          });
          return person;
        });
        return { added };
      } catch (error) {
        throwIfAlreadyUsed(error);
        throw error;
      }
    },

    async updatePerson(actor: Actor, id: number, input: PersonEditInput, expectedVersion: number): Promise<Person> {
      try {
        return await db.transaction(async (trx) => {
          const before = await findPersonForUpdate(trx, id);
          if (!before || !canSeePerson(actor, before)) throw new NotFoundError('Person');
          if (!canEditPerson(actor, before)) throw new ForbiddenError();
          if (before.version !== expectedVersion) throw new StaleVersionError('person', before);
          if (await referenceTaken(trx, input.reference, id)) {
            throw new RuleError('That council reference is already used by another person', 'reference');
          }
          // Only a team manager allocates; a care manager's edit keeps whoever is allocated.
          const allocatedWorkerId = canAllocate(actor, before) ? input.allocatedWorkerId : before.allocatedWorkerId;
          // Only a new allocation is checked: a worker who has since left must not block changes to the details.
          if (allocatedWorkerId !== before.allocatedWorkerId) await checkWorker(before.teamId, allocatedWorkerId, trx);
          const after = await updatePerson(trx, id, expectedVersion, {
            ...detailsFrom(input),
            reference: input.reference,
            allocatedWorkerId,
          });
          if (!after) throw new StaleVersionError('person', before);
          await insertAuditEvent(trx, {
            userId: actor.id,
            requestId: actor.requestId,
            action: 'person_updated',
            entityType: 'person',
            entityId: id,
            personId: id,
            before: personRecord(before),
            after: personRecord(after),
          });
          return after;
        });
      } catch (error) {
        throwIfAlreadyUsed(error);
        throw error;
      }
    },

    async allocate(actor: Actor, id: number, workerId: number | null, expectedVersion: number): Promise<Person> {
      return db.transaction(async (trx) => {
        const before = await findPersonForUpdate(trx, id);
        if (!before || !canSeePerson(actor, before)) throw new NotFoundError('Person');
        if (!canAllocate(actor, before)) throw new ForbiddenError('Only a team manager of this team can allocate');
        if (before.version !== expectedVersion) throw new StaleVersionError('person', before);
        await checkWorker(before.teamId, workerId, trx);
        const after = await updatePerson(trx, id, expectedVersion, { allocatedWorkerId: workerId });
        if (!after) throw new StaleVersionError('person', before);
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'person_allocated',
          entityType: 'person',
          entityId: id,
          personId: id,
          before: { allocated_worker_id: before.allocatedWorkerId },
          after: { allocated_worker_id: workerId },
        });
        return after;
      });
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
