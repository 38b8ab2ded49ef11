import type { Knex } from 'knex';
import { searchAuditEvents } from './repo.js';
import type { AuditSearchInput } from './schemas.js';

export const AUDIT_PAGE_SIZE = 50;

export type AuditSearchResult = Awaited<ReturnType<ReturnType<typeof auditService>['search']>>;

export function auditService(db: Knex) {
  return {
    async search(search: AuditSearchInput) {
      const page = search.page ?? 1;
      const { events, total } = await searchAuditEvents(db, {
        personReference: search.person,
        userEmail: search.user,
        from: search.from,
        to: search.to,
        limit: AUDIT_PAGE_SIZE,
        offset: (page - 1) * AUDIT_PAGE_SIZE,
      });
      return { events, total, page, pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
    },
  };
}

export type AuditService = ReturnType<typeof auditService>;
