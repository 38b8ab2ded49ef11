import { z } from 'zod';
import type { Page } from '../db/paging.js';
import { formatCount } from './format.js';

/** Rows on a page of any list: enough to scan, small enough that a large caseload stays a small page. */
export const PAGE_SIZE = 50;

/**
 * ?page= as a link or a hand-edited address gives it: anything that is not a page number (0, -1,
 * abc, a repeated page) is the first page; a number past the end is the last page, found once
 * the list is counted.
 */
export const pageNumberSchema = z.coerce.number().int().min(1).max(100_000).catch(1);
export const pageQuerySchema = z.object({ page: pageNumberSchema });

/**
 * The address of each page of a list, keeping everything else the page was asked with (its
 * filters and sort); page 1 is the address without ?page=.
 */
export function pageHrefs(path: string, query: URLSearchParams): (page: number) => string {
  return (page) => {
    const params = new URLSearchParams(query);
    params.delete('page');
    if (page > 1) params.set('page', String(page));
    const search = params.toString();
    return `${path}${search ? `?${search}` : ''}`;
  };
}

/** GOV.UK pagination as links: the first, last and neighbouring pages, with gaps as ellipses. */
export type PaginationView = {
  previous: string | null;
  next: string | null;
  items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[];
};

export function paginationView(page: number, pageCount: number, hrefFor: (page: number) => string): PaginationView | null {
  if (pageCount <= 1) return null;
  const items: PaginationView['items'] = [];
  for (let number = 1; number <= pageCount; number++) {
    if (number === 1 || number === pageCount || Math.abs(number - page) <= 1) {
      items.push({ number, href: hrefFor(number), current: number === page });
    } else if (!('ellipsis' in (items.at(-1) ?? {}))) {
      items.push({ ellipsis: true });
    }
  }
  return { previous: page > 1 ? hrefFor(page - 1) : null, next: page < pageCount ? hrefFor(page + 1) : null, items };
}

/** The pagination of a page read with readPage (src/db/paging.ts). */
export const pagesOf = (page: Page, hrefFor: (page: number) => string) => paginationView(page.number, page.count, hrefFor);

/** "Showing 51 to 100 of 2,000 people": where this page sits, for everyone, not only those who see the links. */
export function rangeText(page: Page, things: string): string {
  if (page.total === 0) return `No ${things}`;
  const first = (page.number - 1) * page.size + 1;
  const last = Math.min(page.total, page.number * page.size);
  return `Showing ${formatCount(first)} to ${formatCount(last)} of ${formatCount(page.total)} ${things}`;
}
