import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../src/audit/repo.js';
import { checkAuditChain } from '../../src/audit/chain.js';
import { aTeam, aUser } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = path.resolve('src/audit/verify-cli.ts');

/** `npm run audit:verify` in a process of its own, against the test database as its owner. */
function verify(databaseUrl: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cli], {
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, MIGRATION_DATABASE_URL: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** What only the owner can do, and the app's role cannot: write to the trail with its guard off. */
async function asOwnerWithoutGuard(db: Knex, sql: string, bindings: readonly Knex.Value[]) {
  await db.transaction(async (trx) => {
    await trx.raw('alter table audit_events disable trigger audit_events_append_only');
    await trx.raw(sql, bindings);
    await trx.raw('alter table audit_events enable trigger audit_events_append_only');
  });
}

async function eventsOf(t: TestDatabase, count: number, userId: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await insertAuditEvent(t.appDb, {
      userId,
      requestId: `r${i}`,
      action: 'team_created',
      entityType: 'team',
      entityId: i,
      after: { name: `Team ${i}` },
    });
    const [row] = (await t.db('audit_events').max('id as id')) as [{ id: number }];
    ids.push(Number(row.id));
  }
  return ids;
}

describe('the audit trail hash chain', () => {
  let t: TestDatabase;
  let userId: number;

  beforeAll(async () => {
    t = await createTestDatabase();
    const team = await aTeam(t.db);
    userId = (await aUser(t.db, { role: 'admin', teamId: team.id })).id;
  });
  afterAll(async () => t.drop());

  it('chains each event to the one before, and audit:verify reports the trail intact with its count', async () => {
    await eventsOf(t, 5, userId);
    const rows = (await t.db('audit_events').orderBy('id').select('previous_hash', 'hash')) as { previous_hash: string; hash: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows[0]?.previous_hash).toBe('');
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]?.previous_hash).toBe(rows[i - 1]?.hash);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.hash))).toBe(true);

    const result = await verify(t.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`The audit trail is intact: ${rows.length} events, each following the one before.\n`);
  });

  it('keeps one chain when 50 events are written at once from separate transactions', async () => {
    const before = await checkAuditChain(t.db);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.appDb.transaction((trx) =>
          insertAuditEvent(trx, {
            userId,
            requestId: `p${i}`,
            action: 'team_created',
            entityType: 'team',
            entityId: 1000 + i,
            after: { i },
          }),
        ),
      ),
    );
    const check = await checkAuditChain(t.db);
    expect(check).toEqual({ intact: true, events: before.events + 50 });
    const forks = (await t.db.raw('select previous_hash from audit_events group by previous_hash having count(*) > 1')).rows as unknown[];
    expect(forks).toEqual([]);
  });

  it('names the event the owner edited with the guard off, and exits non-zero', async () => {
    const [, edited] = await eventsOf(t, 3, userId);
    const [row] = (await t.db('audit_events').where('id', edited).select('occurred_at')) as [{ occurred_at: Date }];
    await asOwnerWithoutGuard(t.db, `update audit_events set after = '{"name": "Someone else"}' where id = ?`, [edited ?? 0]);

    const result = await verify(t.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `The audit trail is broken at event ${edited} (${row.occurred_at.toISOString()}): its content no longer matches its hash: it was changed after it was written.\n`,
    );
  });
});

describe('a removed audit event', () => {
  let t: TestDatabase;
  let userId: number;

  beforeEach(async () => {
    t = await createTestDatabase();
    const team = await aTeam(t.db);
    userId = (await aUser(t.db, { role: 'admin', teamId: team.id })).id;
  });
  afterEach(async () => t.drop());

  it('is found at the event after it, which no longer follows the one before', async () => {
    const [kept, removed, after] = await eventsOf(t, 4, userId);
    await asOwnerWithoutGuard(t.db, 'delete from audit_events where id = ?', [removed ?? 0]);

    const check = await checkAuditChain(t.db);
    expect(check.intact).toBe(false);
    expect(check.intact === false && check.brokenAt.id).toBe(after);
    expect(check.intact === false && check.reason).toBe(`it does not follow event ${kept}: an event before it was removed or changed`);
  });

  it('is found at the end of the trail too, where no later event would point past it', async () => {
    const ids = await eventsOf(t, 2, userId);
    await asOwnerWithoutGuard(t.db, 'delete from audit_events where id = ?', [ids[1] ?? 0]);

    const check = await checkAuditChain(t.db);
    expect(check.intact === false && check.reason).toBe(
      `the trail should end at event ${ids[1]}: events at its end were removed or changed`,
    );
  });
});
