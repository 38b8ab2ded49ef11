import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createSessionPool } from '../../src/db/knex.js';

export type TestDatabase = {
  /** The owner's connection, for builders and set-up that write rows directly. */
  db: Knex;
  /** The app's connection, as the role the app serves as (data access only). */
  appDb: Knex;
  sessionPool: pg.Pool;
  /** The owner's URL. */
  url: string;
  appUrl: string;
  drop: () => Promise<void>;
};

/**
 * A fresh database per test file, copied from the migrated template: tests never share rows.
 * The app's pools sign in as the app's role, so every test proves the app needs no more.
 */
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
  const login = inject('appLogin');
  const appUrl = new URL(url);
  appUrl.username = encodeURIComponent(login.role);
  appUrl.password = encodeURIComponent(login.password);
  const appDb = createDb(appUrl.toString(), 10);
  const sessionPool = createSessionPool(appUrl.toString(), () => undefined);
  return {
    db,
    appDb,
    sessionPool,
    url: url.toString(),
    appUrl: appUrl.toString(),
    drop: async () => {
      await sessionPool.end();
      await Promise.all([db.destroy(), appDb.destroy()]);
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
