import type { Knex } from 'knex';
import type { PageRequest } from '../db/paging.js';
import { searchAuditEvents } from './repo.js';
import type { AuditSearchInput } from './schemas.js';

export type AuditSearchResult = Awaited<ReturnType<ReturnType<typeof auditService>['search']>>;

export function auditService(db: Knex) {
  return {
    /** A page of the trail; a page past the end is the last page. */
    search(search: AuditSearchInput, request: PageRequest) {
      return searchAuditEvents(db, { personReference: search.person, userEmail: search.user, from: search.from, to: search.to }, request);
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
