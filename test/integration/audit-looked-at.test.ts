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

  /** Takes the trail's insert lock, as another connection's commit does while it is written, until the returned function is called. */
  async function holdTheTrail(): Promise<() => Promise<void>> {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let held = () => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    const transaction = t.db.transaction(async (trx) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext('selfdirect.audit_events'))");
      held();
      await released;
    });
    await holding;
    return async () => {
      release();
      await transaction;
    };
  }

  /** Until the app has sent `count` inserts of the trail. */
  async function sentInserts(count: number) {
    for (let tries = 0; inserts.length < count && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(inserts).toHaveLength(count);
  }

  /** A search whose insert the app has sent and the held trail keeps waiting, as one being written. */
  async function oneBeingWritten(i: number) {
    inserts.length = 0;
    const release = await holdTheTrail();
    const search = searched(i);
    await sentInserts(1);
    return { release, search };
  }

  it('writes the searches that arrive while one is being written in one insert after it, each recorded once, and keeps one chain', async () => {
    const before = await checkAuditChain(t.db);
    const { release, search: first } = await oneBeingWritten(0);
    const meanwhile = Array.from({ length: 19 }, (_, i) => searched(i + 1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(inserts).toHaveLength(1);
    await release();
    await Promise.all([first, ...meanwhile]);

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

  it('writes searches made in the same turn in one insert', async () => {
    inserts.length = 0;
    await Promise.all(Array.from({ length: 5 }, (_, i) => searched(50 + i)));
    expect(inserts).toHaveLength(1);
    const written = (await t.db('audit_events').where('request_id', 'like', 'search-5_').pluck('request_id')) as string[];
    expect(written.sort()).toEqual(['search-50', 'search-51', 'search-52', 'search-53', 'search-54']);
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
    const { release, search: alone } = await oneBeingWritten(199);
    const group = [searched(200), searched(201, 'with \u0000 in it'), searched(202)];
    await release();
    const outcomes = await Promise.allSettled([alone, ...group]);
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
