import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.js';
import { createDb } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { grantAppPrivileges } from '../../src/db/privileges.js';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    templateDatabase: string;
    /** The role the app serves as in tests: data access only, as in production. */
    appLogin: { role: string; password: string };
  }
}

const TEMPLATE = 'selfdirect_test_template';
const APP_LOGIN = { role: 'selfdirect_test_app', password: 'selfdirect-test-app' };

/**
 * One real PostgreSQL for the whole run (DATABASE_URL's server, or an embedded one in a
 * throw-away directory); migrations run once into a template that each test file copies.
 */
export default async function setup(project: TestProject) {
  let server: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // Each run gets its own folder and port, so two test runs on one machine cannot wipe each other's server.
    dataDir = path.resolve(`.data/test-postgres-${process.pid}`);
    // Thrown away at the end of the run, so nothing is gained by waiting for the disk: without it,
    // copying the template for each file and every commit wait for fsync.
    server = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      fresh: true,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' },
    });
    adminUrl = server.url('postgres');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE}`);
  await admin.query(`create database ${TEMPLATE}`);
  // Roles belong to the whole server: made once, kept by every test database copied from the template.
  const role = await admin.query('select 1 from pg_roles where rolname = $1', [APP_LOGIN.role]);
  await admin.query(
    `${role.rowCount === 0 ? 'create' : 'alter'} role ${APP_LOGIN.role} login password ${admin.escapeLiteral(APP_LOGIN.password)}`,
  );
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${TEMPLATE}`;
  const db = createDb(templateUrl.toString(), 1);
  await migrateToLatest(db);
  await grantAppPrivileges(db, APP_LOGIN.role);
  await db.destroy();

  project.provide('postgresAdminUrl', adminUrl);
  project.provide('templateDatabase', TEMPLATE);
  project.provide('appLogin', APP_LOGIN);
  return async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
