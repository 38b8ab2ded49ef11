import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAuditChain } from '../../src/audit/chain.js';
import { recordLookedAt } from '../../src/audit/looked-at.js';
import { aTeam, aUser } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('records of what someone looked at, written in groups', () => {
  let t: TestDatabase;
  let userId: number;
  const inserts: string[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    const team = await aTeam(t.db);
    userId = (await aUser(t.db, { role: 'care_manager', teamId: team.id })).id;
    t.appDb.on('query', (query: { sql: string }) => {
      if (query.sql.startsWith('insert into "audit_events"')) inserts.push(query.sql);
    });
  });
  afterAll(async () => t.drop());

  const searched = (i: number, q = `Name ${i}`) =>
    recordLookedAt(
      t.appDb,
      { id: userId, requestId: `search-${i}` },
      { action: 'people_searched', entityType: 'person_search', entityId: '', after: { q } },
    );

  it('writes twenty searches made at once in two inserts, each search recorded once, and keeps one chain', async () => {
    const before = await checkAuditChain(t.db);
    inserts.length = 0;
    await Promise.all(Array.from({ length: 20 }, (_, i) => searched(i)));

    // The first is written alone at once; the nineteen that arrived meanwhile go together.
    expect(inserts).toHaveLength(2);
    const rows = (await t.db('audit_events').where('action', 'people_searched').orderBy('id').select('request_id', 'user_id', 'after')) as {
      request_id: string;
      user_id: number;
      after: { q: string };
    }[];
    expect(rows.map((row) => row.request_id)).toEqual(Array.from({ length: 20 }, (_, i) => `search-${i}`));
    expect(rows.every((row, i) => row.user_id === userId && row.after.q === `Name ${i}`)).toBe(true);
    expect(await checkAuditChain(t.db)).toEqual({ intact: true, events: before.events + 20 });
  });

  it('settles a search only once its event is committed', async () => {
    let committed: number | undefined;
    await searched(100).then(async () => {
      committed = Number((await t.db('audit_events').where('request_id', 'search-100').count({ count: '*' }))[0]?.count);
    });
    expect(committed).toBe(1);
  });

  it('fails every search of a group the database refuses, and writes the next group', async () => {
    const before = await checkAuditChain(t.db);
    // jsonb refuses the NUL character: a stand-in for any failure of the insert.
    const alone = searched(199);
    const outcomes = await Promise.allSettled([alone, searched(200), searched(201, 'with \u0000 in it'), searched(202)]);
    expect(outcomes[0]?.status).toBe('fulfilled');
    expect(outcomes.slice(1).map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);

    await searched(203);
    const written = (await t
      .db('audit_events')
      .whereIn('request_id', ['search-199', 'search-200', 'search-202', 'search-203'])
      .pluck('request_id')) as string[];
    expect(written.sort()).toEqual(['search-199', 'search-203']);
    expect(await checkAuditChain(t.db)).toEqual({ intact: true, events: before.events + 2 });
  });
});
