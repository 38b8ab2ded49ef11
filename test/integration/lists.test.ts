import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';

/**
 * Every list that grows with the council is read a page at a time: a large caseload is a small
 * page, and no ?page= a link or a hand-edited address can give is an error.
 */

let t: TestApp;
let careManager: TestUser;
let agent: Agent;
let adminAgent: Agent;
let financeAgent: Agent;
let teamManagerAgent: Agent;
/** The allocated people's names as the lists show them, in family-name order (all are called Pat). */
let names: string[];

const CASELOAD = 2_000;

/** 2,000 people in one insert: the builders' one at a time would spend the test on set-up. */
async function peopleAllocatedTo(workerId: number, teamId: number, count: number): Promise<string[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    reference: `CL-${String(i).padStart(5, '0')}`,
    given_name: 'Pat',
    // Not inserted in name order, so the page's order is the database's sort, not the insert's.
    family_name: `Case${String((i * 7919) % count).padStart(5, '0')}`,
    date_of_birth: '1950-04-01',
    postcode: 'LS1 4AP',
    client_group: 'older_people',
    team_id: teamId,
    allocated_worker_id: workerId,
    phone: '0113 496 0000',
    preferred_contact: 'phone',
    referral_date: '2026-01-05',
  }));
  await t.db.batchInsert('people', rows, 500);
  return rows.map((row) => `${row.given_name} ${row.family_name}`).sort();
}

/** The rows of every table body on a page. */
const tableRows = (html: string) => [...html.matchAll(/<tbody[\s\S]*?<\/tbody>/g)].flatMap((body) => body[0].match(/<tr\b/g) ?? []);

/** The people listed on a page, by their link's text. */
const peopleListed = (html: string) => [...html.matchAll(/<a [^>]*href="\/people\/\d+"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1]);

const nextLink = (html: string) =>
  /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(html)?.[1]?.replace(/&amp;/g, '&');
const currentPage = (html: string) => /href="[^"]*" aria-label="Page (\d+)" aria-current="page"/.exec(html)?.[1];

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db, 'Large Caseload Team');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Carol Large' });
  const admin = await aUser(t.db, { role: 'admin' });
  const finance = await aUser(t.db, { role: 'finance_officer' });
  const teamManager = await aUser(t.db, { role: 'team_manager', teamId: team.id });
  names = await peopleAllocatedTo(careManager.id, team.id, CASELOAD);
  agent = await signIn(t.app, careManager.email, careManager.password);
  adminAgent = await signIn(t.app, admin.email, admin.password);
  financeAgent = await signIn(t.app, finance.email, finance.password);
  teamManagerAgent = await signIn(t.app, teamManager.email, teamManager.password);
}, 120_000);
afterAll(() => t.drop());

describe('a care manager with 2,000 people allocated', () => {
  it('has a home page of at most 50 rows, with a link to all of their people', async () => {
    const home = await agent.get('/');
    expect(home.status).toBe(200);
    expect(tableRows(home.text).length).toBeLessThanOrEqual(50);
    expect(peopleListed(home.text)).toEqual(names.slice(0, 10));
    expect(home.text).toContain('<span class="app-counts__number">2,000</span>');
    expect(home.text).toContain('<a class="govuk-link" href="/home/my-people">See all 2,000 people allocated to you</a>');
  });

  it('lists all of them 50 a page in name order, each page linking to the next', async () => {
    const first = await agent.get('/home/my-people');
    expect(first.status).toBe(200);
    expect(tableRows(first.text)).toHaveLength(50);
    expect(peopleListed(first.text)).toEqual(names.slice(0, 50));
    expect(first.text).toContain('Showing 1 to 50 of 2,000 people allocated to you');
    expect(nextLink(first.text)).toBe('/home/my-people?page=2');

    const second = await agent.get('/home/my-people?page=2');
    expect(second.status).toBe(200);
    expect(peopleListed(second.text)).toEqual(names.slice(50, 100));
    expect(second.text).toContain('Showing 51 to 100 of 2,000 people allocated to you');
    expect(nextLink(second.text)).toBe('/home/my-people?page=3');

    // The people page counts the team (only their people are in it), as staff write numbers.
    expect((await agent.get('/people')).text).toContain('2,000 people in your team, sorted by family name');
  });

  it('links from a list sorted on the home page to all of it in the same order', async () => {
    const home = await agent.get('/?table=my-people&sort=person&dir=desc');
    expect(peopleListed(home.text)).toEqual([...names].reverse().slice(0, 10));
    expect(home.text).toContain(
      'href="/home/my-people?table=my-people&amp;sort=person&amp;dir=desc">See all 2,000 people allocated to you</a>',
    );
  });

  it('keeps the order asked for on every page, and a new order starts again at page 1', async () => {
    const sorted = await agent.get('/home/my-people?table=my-people&sort=person&dir=desc');
    expect(peopleListed(sorted.text)).toEqual([...names].reverse().slice(0, 50));
    expect(nextLink(sorted.text)).toBe('/home/my-people?table=my-people&sort=person&dir=desc&page=2');
    const second = await agent.get('/home/my-people?table=my-people&sort=person&dir=desc&page=2');
    expect(peopleListed(second.text)).toEqual([...names].reverse().slice(50, 100));
    // The sorted column's header turns the order round, from the first page.
    expect(second.text).toContain('href="/home/my-people?table=my-people&amp;sort=person&amp;dir=asc#my-people"');
  });

  it('reads the page of people down the name index, not by sorting all 2,000', async () => {
    await t.db.raw('analyze people, reviews');
    const queries: { sql: string; bindings: unknown[] }[] = [];
    const record = (query: { sql: string; bindings?: unknown[] }) => queries.push({ sql: query.sql, bindings: query.bindings ?? [] });
    t.appDb.on('query', record);
    try {
      await agent.get('/home/my-people?page=3');
    } finally {
      t.appDb.off('query', record);
    }
    const page = queries.find((query) => query.sql.includes('next_review') && query.sql.includes('limit'));
    expect(page, 'the query for the page of people').toBeDefined();
    // The event shows the query as sent ($1, $2); knex's raw takes ? for its bindings.
    const explained = await t.db.raw(`explain ${(page?.sql ?? '').replace(/\$\d+/g, '?')}`, page?.bindings as never);
    const plan = (explained.rows as { 'QUERY PLAN': string }[]).map((row) => row['QUERY PLAN']).join('\n');
    expect(plan).toContain('people_worker_name');
    expect(plan).not.toMatch(/Seq Scan on people/);
  });

  it('shows the last page for a page past the end, and the first for one that is not a page number', async () => {
    const last = await agent.get('/home/my-people?page=99999');
    expect(last.status).toBe(200);
    expect(currentPage(last.text)).toBe('40');
    expect(peopleListed(last.text)).toEqual(names.slice(1950));
    expect(nextLink(last.text)).toBeUndefined();
    for (const page of ['0', '-1', 'abc', '1.5', '']) {
      const response = await agent.get(`/home/my-people?page=${page}`);
      expect(response.status, `?page=${page}`).toBe(200);
      expect(peopleListed(response.text), `?page=${page}`).toEqual(names.slice(0, 50));
    }
    const repeated = await agent.get('/home/my-people?page=2&page=3');
    expect(repeated.status).toBe(200);
  });
});

describe('?page= on every paginated list', () => {
  const oddPages = ['0', '-1', 'abc', '99999', '1e9', '%00'];

  it.each([
    ['care manager', '/people'],
    ['care manager', '/home/overdue'],
    ['care manager', '/home/drafts'],
    ['team manager', '/home/unallocated'],
    ['team manager', '/finance/panel'],
    ['finance officer', '/finance/queue?team=1'],
    ['finance officer', '/home/starting'],
    ['finance officer', '/home/unassessed'],
    ['admin', '/admin/users'],
    ['admin', '/admin/audit'],
  ])('%s: %s never answers a 500', async (role, path) => {
    const as = { 'care manager': agent, 'team manager': teamManagerAgent, 'finance officer': financeAgent, admin: adminAgent }[
      role
    ] as Agent;
    for (const page of oddPages) {
      const response = await as.get(`${path}${path.includes('?') ? '&' : '?'}page=${page}`);
      expect(response.status, `${path} ?page=${page}`).toBe(200);
    }
  });

  it('pages the people list past its end with a way back to the last page', async () => {
    const response = await agent.get('/people?page=99999');
    expect(response.text).toContain('There are no more people');
    expect(response.text).toContain('href="/people?page=40"');
  });
});
