import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createSessionPool } from '../../src/db/knex.js';

export type TestDatabase = { db: Knex; sessionPool: pg.Pool; url: string; drop: () => Promise<void> };

/** A fresh database per test file, copied from the migrated template: tests never share rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const template = inject('templateDatabase');
  const name = `selfdirect_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 10);
  const sessionPool = createSessionPool(url.toString(), () => undefined);
  return {
    db,
    sessionPool,
    url: url.toString(),
    drop: async () => {
      await sessionPool.end();
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
