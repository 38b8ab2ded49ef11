import { describe, expect, it } from 'vitest';
import { byLabel, orderBySql, pageOf } from '../../src/db/paging.js';
import { pageHrefs, pageNumberSchema, rangeText } from '../../src/web/pagination.js';
import { sortHeaders } from '../../src/web/sorting.js';

describe('pageOf', () => {
  it('puts a page asked for past the end on the last page, and an empty list on page 1', () => {
    expect(pageOf({ page: 99999, size: 50 }, 2000)).toEqual({ number: 40, count: 40, total: 2000, size: 50 });
    expect(pageOf({ page: 2, size: 50 }, 101)).toEqual({ number: 2, count: 3, total: 101, size: 50 });
    expect(pageOf({ page: 3, size: 50 }, 0)).toEqual({ number: 1, count: 1, total: 0, size: 50 });
  });
});

describe('?page=', () => {
  it.each([
    ['2', 2],
    ['0', 1],
    ['-1', 1],
    ['abc', 1],
    ['1.5', 1],
    [undefined, 1],
    [['2', '3'], 1],
    ['100001', 1],
  ])('reads %j as page %d', (typed, page) => {
    expect(pageNumberSchema.parse(typed)).toBe(page);
  });
});

describe('page links', () => {
  it('keep the filters and sort of the page, and page 1 has no ?page=', () => {
    const hrefFor = pageHrefs('/finance/queue', new URLSearchParams({ team: '3', clientGroup: 'carer', page: '7' }));
    expect(hrefFor(1)).toBe('/finance/queue?team=3&clientGroup=carer');
    expect(hrefFor(4)).toBe('/finance/queue?team=3&clientGroup=carer&page=4');
    expect(pageHrefs('/admin/users', new URLSearchParams())(1)).toBe('/admin/users');
  });

  it('say where the page sits in the list', () => {
    expect(rangeText(pageOf({ page: 40, size: 50 }, 1999), 'people')).toBe('Showing 1,951 to 1,999 of 1,999 people');
    expect(rangeText(pageOf({ page: 1, size: 50 }, 0), 'people')).toBe('No people');
  });
});

describe('sort header links', () => {
  it('keep the page’s other parameters and start again at page 1', () => {
    const [header] = sortHeaders(
      '/home/my-people',
      'my-people',
      [{ key: 'person', label: 'Person' }],
      { column: 'person', direction: 'asc' },
      new URLSearchParams({ team: '2', page: '5', sort: 'old' }),
    );
    expect(header?.href).toBe('/home/my-people?team=2&table=my-people&sort=person&dir=desc#my-people');
  });
});

describe('orderBySql', () => {
  const orderings = { waiting: ['-p.submitted_at'], person: ['lower(p.family_name)', 'lower(p.given_name)'] };

  it('orders by the column, blanks last, then the tie-break the same way', () => {
    expect(orderBySql(orderings, { column: 'person', direction: 'desc' }, ['p.id'])).toBe(
      'lower(p.family_name) desc nulls last, lower(p.given_name) desc nulls last, p.id desc nulls last',
    );
  });

  it('turns a "-" expression round: the longest waiting is the earliest submitted', () => {
    expect(orderBySql(orderings, { column: 'waiting', direction: 'desc' }, ['p.id'])).toBe(
      'p.submitted_at asc nulls last, p.id desc nulls last',
    );
  });

  it('sorts by the tie-break alone for a key the list does not know', () => {
    expect(orderBySql(orderings, { column: 'nonsense', direction: 'asc' }, ['p.id'])).toBe('p.id asc nulls last');
  });

  it('sorts codes by their labels, and refuses a code that is not a plain word', () => {
    expect(byLabel('u.role', { team_manager: 'Team manager', admin: 'Administrator', care_manager: 'Care manager' })).toBe(
      "array_position(array['admin', 'care_manager', 'team_manager']::text[], u.role::text)",
    );
    expect(() => byLabel('x', { "a'; drop table people; --": 'A' })).toThrow(/not plain words/);
  });
});
