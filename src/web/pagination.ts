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
