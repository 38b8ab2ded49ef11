import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { SEARCH_COUNTED_UP_TO, searchPeople, searchStatement } from '../../src/people/repo.js';
import { parseSearch } from '../../src/people/schemas.js';
import { SEARCH_RESULTS } from '../../src/people/service.js';
import { aPerson, aTeam } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Loops'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
};

const nodesOf = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];

let t: TestDatabase;
let teamId: number;

/**
 * Enough people that PostgreSQL would rather read the whole table than a poor index: 20,000 with
 * 1,000 different family names and thousands of postcodes, in four teams, vacuumed as autovacuum would.
 */
beforeAll(async () => {
  t = await createTestDatabase();
  const teams = await Promise.all([1, 2, 3, 4].map(() => aTeam(t.db)));
  teamId = teams[0]?.id ?? 0;
  await t.db.raw(
    `insert into people (reference, given_name, family_name, date_of_birth, postcode, client_group, team_id)
     select 'GEN-' || i,
       (array['Ann', 'Doris', 'Mary', 'John', 'Peter', 'Amara', 'Fatima', 'Wei', 'Grace', 'Tom'])[1 + i % 10],
       initcap((array['bar', 'cal', 'dor', 'fen', 'gil', 'hal', 'ken', 'lor', 'mar', 'nor'])[1 + i % 10]
         || (array['ing', 'ton', 'ley', 'ford', 'well', 'by', 'ham', 'wick', 'stead', 'more'])[1 + (i / 10) % 10]
         || (array['', 's', 'e', 'er', 'son', 'ey', 'ow', 'an', 'ell', 'ish'])[1 + (i / 100) % 10]),
       date '1920-01-01' + (i * 7919) % 30000,
       'LS' || (1 + i % 28) || ' ' || (i % 10) || chr(65 + (i / 10) % 26) || chr(65 + (i / 260) % 26), 'older_people', (array[?, ?, ?, ?]::int[])[1 + i % 4]
     from generate_series(1, 20000) i`,
    teams.map((team) => team.id),
  );
  await aPerson(t.db, { teamId, givenName: 'Chidi', familyName: 'Okafor', dateOfBirth: '1938-03-14', postcode: 'HX1 1UJ' });
  await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield' });
  // As autovacuum leaves a table in use: its statistics up to date, and its pages marked
  // all-visible, so an index can be read without the table. VACUUM marks no page whose rows'
  // commit is not yet on disk, and the test server commits without waiting for it
  // (synchronous_commit off; its WAL writer catches up within a fifth of a second), so VACUUM runs
  // until it has marked them. (One commit that waits, made after the inserts, did not let it.)
  for (let tries = 0; tries < 50; tries++) {
    await t.db.raw('vacuum analyze people');
    const [table] = (await t.db.raw("select relpages, relallvisible from pg_class where relname = 'people'")).rows as {
      relpages: number;
      relallvisible: number;
    }[];
    if (table && table.relallvisible >= table.relpages) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);
afterAll(async () => t.drop());

/** The plan of the query the app runs for what was typed, as the app's role. */
async function planFor(q: string, team: number | undefined, run = false): Promise<PlanNode[]> {
  const parsed = parseSearch(q);
  if (!('terms' in parsed)) throw new Error(`${q} is not a search`);
  const { sql, bindings } = searchStatement(t.appDb, { ...parsed.terms, teamId: team }, SEARCH_RESULTS);
  const result = (await t.appDb.raw(`explain (format json${run ? ', analyze' : ''}) ${sql}`, bindings)) as {
    rows: { 'QUERY PLAN': [{ Plan: PlanNode }] }[];
  };
  return nodesOf(result.rows[0]?.['QUERY PLAN'][0].Plan as PlanNode);
}

const searches = [
  { what: 'a name', q: 'Okafor', index: 'people_name_trigrams' },
  { what: 'a near-miss spelling', q: 'Okafer', index: 'people_name_trigrams' },
  { what: 'a family and given name', q: 'Whitfield, Doris', index: 'people_name_trigrams' },
  { what: 'a date of birth', q: '14/3/1938', index: 'people_date_of_birth' },
  { what: 'a postcode typed without its space', q: 'hx11uj', index: 'people_postcode' },
];

describe('the people search at 20,000 people', () => {
  for (const { what, q, index } of searches) {
    it(`finds ${what} (${q}) through ${index}, never reading the whole table`, async () => {
      const nodes = await planFor(q, undefined);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'people')).toEqual([]);
      expect(nodes.map((node) => node['Index Name'])).toContain(index);
    });

    it(`finds ${what} (${q}) within one team without reading the whole table`, async () => {
      const nodes = await planFor(q, teamId);
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'people')).toEqual([]);
      expect(nodes.some((node) => node['Relation Name'] === 'people')).toBe(true);
    });
  }
});

describe("a team's common name at 20,000 people", () => {
  // "Bar" starts 1,000 family names in the team: they fill the page, so they are found through
  // the team's name-start index, and the near misses' trigram search (%) is never run.
  it('is found through people_family_name_starts, and near misses are not looked for', async () => {
    const nodes = await planFor('Bar', teamId, true);
    const ran = nodes.filter((node) => (node['Actual Loops'] ?? 0) > 0);
    expect(ran.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'people')).toEqual([]);
    expect(ran.map((node) => node['Index Name'])).toContain('people_family_name_starts');
    const nearMisses = nodes.filter((node) => / % /.test(node['Index Cond'] ?? ''));
    expect(nearMisses.length).toBeGreaterThan(0);
    expect(nearMisses.map((node) => node['Actual Loops'])).toEqual(nearMisses.map(() => 0));
  });

  it('counts the 1,000 from the index only up to 101, and reads only a page of them, already in name order, never sorting them all', async () => {
    const ran = (await planFor('Bar', teamId, true)).filter((node) => (node['Actual Loops'] ?? 0) > 0);
    const fromNameStarts = ran.filter((node) => node['Index Name'] === 'people_family_name_starts').map((node) => node['Actual Rows']);
    expect(Math.max(...fromNameStarts.map(Number))).toBe(SEARCH_COUNTED_UP_TO + 1);
    const sortedRows = ran
      .filter((node) => node['Node Type'] === 'Sort')
      .flatMap((node) => (node.Plans ?? []).map((fed) => fed['Actual Rows']));
    expect(sortedRows.length).toBeGreaterThan(0);
    expect(sortedRows.every((rows) => Number(rows) <= 5 * SEARCH_RESULTS)).toBe(true);
  });

  it('is found for a rare name too, and then the near misses are looked for', async () => {
    const nodes = await planFor('Okafor', teamId, true);
    const nearMisses = nodes.filter((node) => / % /.test(node['Index Cond'] ?? ''));
    expect(nearMisses.length).toBeGreaterThan(0);
    expect(nearMisses.every((node) => node['Actual Loops'] === 1)).toBe(true);
  });

  // The trigram index's entries for the start of "okafor" include those of every name that
  // starts with "o"; the team's name-start indexes hold the team's names in order.
  it("reads the names that start with a rare name from the team's name-start indexes, and only its near misses from the trigram index", async () => {
    const nodes = await planFor('Okafor', teamId, true);
    const byName = (index: string) => nodes.filter((node) => node['Index Name'] === index && node['Node Type'] === 'Bitmap Index Scan');
    expect(byName('people_family_name_starts').map((node) => node['Actual Loops'])).toEqual([1]);
    expect(byName('people_given_name_starts').map((node) => node['Actual Loops'])).toEqual([1]);
    expect(byName('people_name_trigrams').map((node) => / % /.test(node['Index Cond'] ?? ''))).toEqual([true, true]);
    // Without a team, the name-start indexes (by team first) cannot be read by name, so the trigram index serves both.
    const everyTeam = (await planFor('Okafor', undefined)).filter((node) => node['Index Name'] === 'people_name_trigrams');
    expect(everyTeam.some((node) => / ~~ /.test(node['Index Cond'] ?? ''))).toBe(true);
  });

  it("looks for a rare name's near misses with the team in the trigram index, never listing the whole team", async () => {
    const nodes = await planFor('Okafer', teamId, true);
    const nearMisses = nodes.filter((node) => / % /.test(node['Index Cond'] ?? ''));
    expect(nearMisses.length).toBeGreaterThan(0);
    expect(nearMisses.every((node) => node['Index Name'] === 'people_name_trigrams' && /team_id = /.test(node['Index Cond'] ?? ''))).toBe(
      true,
    );
    // A scan by the team alone, with no name to narrow it, would list all its 5,000 people.
    const byTeamAlone = nodes.filter((node) => /^\(team_id = [^()]*\)$/.test(node['Index Cond'] ?? ''));
    expect(byTeamAlone).toEqual([]);
  });
});

describe("a search's prepared statement", () => {
  // PostgreSQL plans a prepared statement for its values five times, then keeps one plan for any
  // values only if that costs no more than theirs did. A rare name's own plan is cheaper than one
  // for any name, so a connection whose first searches were for rare names would plan every
  // search again: on the bench, 2.4 ms of a rare name's 3.4 ms.
  /** The estimated cost of the search's plan for what was typed, as PostgreSQL plans it for those values or for any. */
  async function costOf(q: string, team: number | undefined, mode: 'force_custom_plan' | 'force_generic_plan'): Promise<number> {
    const parsed = parseSearch(q);
    if (!('terms' in parsed)) throw new Error(`${q} is not a search`);
    const { sql, bindings } = searchStatement(t.appDb, { ...parsed.terms, teamId: team }, SEARCH_RESULTS);
    return t.appDb.transaction(async (connection) => {
      await connection.raw(`set local plan_cache_mode = ${mode}`);
      const native = connection.raw(sql, bindings).toSQL().toNative();
      await connection.raw(`prepare costed as ${native.sql}`);
      const values = (native.bindings as unknown[]).map((value) => (value === null ? 'null' : `'${String(value).replace(/'/g, "''")}'`));
      const { rows } = (await connection.raw(`explain (format json) execute costed(${values.join(', ')})`)) as {
        rows: { 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }[];
      };
      await connection.raw('deallocate costed');
      return rows[0]?.['QUERY PLAN'][0].Plan['Total Cost'] ?? Number.NaN;
    });
  }

  it('costs no less planned for the words typed than for any words, so the plan for any words is the one kept', async () => {
    for (const team of [teamId, undefined]) {
      for (const q of ['Okafor', 'Okafer', 'Bar', 'Whitfield, Doris', '14/3/1938']) {
        expect(await costOf(q, team, 'force_custom_plan')).toBeGreaterThanOrEqual(await costOf(q, team, 'force_generic_plan'));
      }
    }
  });

  for (const within of ['one team', 'every team'] as const) {
    it(`is planned once for any name after five searches, even when all five were for a rare name (${within})`, async () => {
      const parsed = parseSearch('Okafor');
      if (!('terms' in parsed)) throw new Error('Okafor is not a search');
      const search = { ...parsed.terms, teamId: within === 'one team' ? teamId : undefined };
      const { name } = searchStatement(t.appDb, search, SEARCH_RESULTS);
      const plans = await t.appDb.transaction(async (connection) => {
        for (let run = 0; run < 10; run++) expect((await searchPeople(connection, search, SEARCH_RESULTS)).total).toBe(1);
        return (await connection.raw('select generic_plans, custom_plans from pg_prepared_statements where name = ?', [name]))
          .rows as unknown[];
      });
      expect(plans).toEqual([{ generic_plans: 5, custom_plans: 5 }]);
    });
  }
});

describe('the trigram extension the search needs', () => {
  it('is created by the migrations running as an owning role that is not a superuser, as in production', async () => {
    const suffix = randomBytes(6).toString('hex');
    const role = `selfdirect_test_owner_${suffix}`;
    const database = `selfdirect_test_owned_${suffix}`;
    const admin = new pg.Client({ connectionString: inject('postgresAdminUrl') });
    await admin.connect();
    await admin.query(`create role ${role} login password 'owner-${suffix}'`);
    await admin.query(`create database ${database} owner ${role}`);
    const url = new URL(inject('postgresAdminUrl'));
    url.username = role;
    url.password = `owner-${suffix}`;
    url.pathname = `/${database}`;
    const owner = createDb(url.toString(), 1);
    try {
      await migrateToLatest(owner);
      const [row] = (
        await owner.raw(`select rolsuper, (select extversion from pg_extension where extname = 'pg_trgm') as trgm
          from pg_roles where rolname = current_user`)
      ).rows as [{ rolsuper: boolean; trgm: string | null }];
      expect(row.rolsuper).toBe(false);
      expect(row.trgm).not.toBeNull();
    } finally {
      await owner.destroy();
      await admin.query(`drop database ${database} with (force)`);
      await admin.query(`drop role ${role}`);
      await admin.end();
    }
  }, 120_000);
});
