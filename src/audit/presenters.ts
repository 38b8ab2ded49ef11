import { formatDateTime } from '../web/format.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import type { TableCell } from '../web/view-models.js';
import { describeEvent } from './describe.js';
import type { AuditSearchInput } from './schemas.js';
import type { AuditSearchResult } from './service.js';

/** The search as a query string, so every page of the results keeps it (dates as the three boxes of a date input). */
function searchQuery(search: AuditSearchInput): URLSearchParams {
  const params = new URLSearchParams();
  if (search.person) params.set('person', search.person);
  if (search.user) params.set('user', search.user);
  for (const [name, iso] of [
    ['from', search.from],
    ['to', search.to],
  ] as const) {
    if (!iso) continue;
    const [year = '', month = '', day = ''] = iso.split('-');
    params.set(`${name}[day]`, day);
    params.set(`${name}[month]`, month);
    params.set(`${name}[year]`, year);
  }
  return params;
}

export function auditResultsView(result: AuditSearchResult, search: AuditSearchInput) {
  const query = searchQuery(search);
  const { page } = result;
  return {
    countText: page.count > 1 ? rangeText(page, 'entries') : `${page.total} ${page.total === 1 ? 'entry' : 'entries'}`,
    rows: result.rows.map((event): TableCell[] => [
      { text: formatDateTime(event.occurredAt) },
      { text: event.userName ?? 'System' },
      { text: describeEvent(event.action) },
      { text: `${event.entityType} ${event.entityId}` },
      event.personId ? { link: { href: `/people/${event.personId}`, text: event.personReference ?? '' } } : { text: '' },
      { text: event.requestId ? event.requestId.slice(0, 8) : '' },
    ]),
    pagination: pagesOf(page, pageHrefs('/admin/audit', query)),
  };
}
