import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTogether } from '../../src/db/counts-together.js';
import { readPage } from '../../src/db/paging.js';
import { aPerson, aTeam } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('counts asked for in the same turn, read in one statement', () => {
  let t: TestDatabase;
  let teams: { id: number }[];
  const statements: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    teams = [await aTeam(t.db), await aTeam(t.db), await aTeam(t.db)];
    for (const [index, team] of teams.entries()) {
      for (let i = 0; i <= index * 2; i++) await aPerson(t.db, { teamId: team.id });
    }
    t.appDb.on('query', (query: { sql: string }) => statements.push(query.sql));
  });
  afterAll(async () => t.drop());

  const peopleOf = (teamId: number) => t.appDb('people').where('team_id', teamId).count({ count: '*' });

  it('gives each query its own count, with its own bindings, from one statement', async () => {
    statements.length = 0;
    const counts = await Promise.all([...teams].reverse().map((team) => countTogether(peopleOf(team.id))));
    expect(counts).toEqual([5, 3, 1]);
    expect(statements).toHaveLength(1);
  });

  it('reads the counts of lists started together in one statement, then each non-empty list its rows', async () => {
    statements.length = 0;
    const list = (teamId: number) =>
      readPage<{ id: number }>(t.appDb('people as p').where('p.team_id', teamId), {
        select: (query) => query.select('p.id'),
        orderBy: 'p.id',
        request: { page: 1, size: 2 },
      });
    const [first, third, none] = await Promise.all([list(teams[0]?.id ?? 0), list(teams[2]?.id ?? 0), list(-1)]);
    expect([first.page.total, third.page.total, none.page.total]).toEqual([1, 5, 0]);
    expect([first.rows.length, third.rows.length, none.rows.length]).toEqual([1, 2, 0]);
    expect(third.page.count).toBe(3);
    // One count for all three, and rows only for the two lists with any.
    expect(statements).toHaveLength(3);
  });

  it('counts in a transaction what the transaction sees', async () => {
    const team = teams[0]?.id ?? 0;
    await t.db
      .transaction(async (trx) => {
        await aPerson(trx, { teamId: team });
        const [inside, outside] = await Promise.all([
          countTogether(trx('people').where('team_id', team).count({ count: '*' })),
          countTogether(t.db('people').where('team_id', team).count({ count: '*' })),
        ]);
        expect([inside, outside]).toEqual([2, 1]);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'roll back') throw error;
      });
  });

  it('fails every count of a statement PostgreSQL refuses, and counts again afterwards', async () => {
    const outcomes = await Promise.allSettled([
      countTogether(peopleOf(teams[1]?.id ?? 0)),
      countTogether(t.appDb('people').where('no_such_column', 1).count({ count: '*' })),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(await countTogether(peopleOf(teams[1]?.id ?? 0))).toBe(3);
  });
});
