import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { Config } from '../config.js';
import { openDatabaseForCommand } from './database.js';
import { describeFileError } from '../file-errors.js';

/** A problem the person running the command can put right, told in one line. */
export class BackupError extends Error {}

type ClientTool = { name: 'pg_dump' | 'pg_restore'; path: string; version: string; major: number };

/**
 * Writes the whole database to FILE (default backups/selfdirect-<UTC time>.dump) in pg_dump's
 * custom format, which is one snapshot and so consistent even while the app is in use.
 */
export async function backUp(config: Config, requestedFile: string | undefined): Promise<{ file: string; bytes: number }> {
  const file = requestedFile ?? path.join('backups', `selfdirect-${new Date().toISOString().slice(0, 19).replaceAll(':', '-')}.dump`);
  if (existsSync(file)) throw new BackupError(`${file} already exists; give the backup another file name`);
  const pgDump = await findClientTool(config, 'pg_dump');
  await withDatabase(config, async (database) => {
    await checkToolIsNotOlderThanServer(database.client, pgDump);
    if ((await countTables(database.client)) === 0) {
      throw new BackupError(
        `The database ${databaseName(database.url)} has no tables, so there is nothing to back up; check ${config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR'}`,
      );
    }
    const folder = path.dirname(path.resolve(file));
    // A backup holds every person's record: only the account that made it may read it.
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Until pg_dump has finished, the file has a name nobody would take for a backup.
    const partial = path.join(folder, `.${path.basename(file)}.${process.pid}.partial`);
    await writeFile(partial, '', { mode: 0o600, flag: 'wx' });
    try {
      await runClientTool(pgDump, ['--format=custom', `--file=${partial}`], database.url);
      await rename(partial, file);
    } finally {
      await rm(partial, { force: true });
    }
  });
  return { file, bytes: (await stat(file)).size };
}

/** Restores FILE into the configured database, which must have no tables; all of it or, on any error, none of it. */
export async function restore(config: Config, file: string): Promise<{ database: string; tables: number }> {
  await checkIsBackupFile(file);
  const pgRestore = await findClientTool(config, 'pg_restore');
  return withDatabase(config, async (database) => {
    await checkToolIsNotOlderThanServer(database.client, pgRestore);
    const name = databaseName(database.url);
    const tables = await countTables(database.client);
    if (tables > 0) {
      const howTo = config.databaseUrl
        ? 'point DATABASE_URL at a new, empty database and run the restore again'
        : `stop npm start, move ${shortPath(path.join(config.dataDir, 'postgres'))} aside and run the restore again (it makes a new, empty database)`;
      throw new BackupError(`The database ${name} is not empty (${tables} tables); restore only goes into an empty database: ${howTo}`);
    }
    // The restoring user owns everything, whoever owned it where the backup was made.
    await runClientTool(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', file], database.url);
    return { database: name, tables: await countTables(database.client) };
  });
}

/** A plain client for the few questions asked here: Knex's pool prints a stack trace when it cannot connect. */
async function withDatabase<T>(config: Config, work: (database: { client: pg.Client; url: string }) => Promise<T>): Promise<T> {
  const database = await openDatabaseForCommand({
    databaseUrl: config.databaseUrl,
    migrationDatabaseUrl: config.migrationDatabaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
  });
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    return await work({ client, url: database.url });
  } finally {
    await client.end().catch(() => undefined);
    await database.close();
  }
}

async function checkIsBackupFile(file: string): Promise<void> {
  let start: string;
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
      start = buffer.toString('latin1', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new BackupError(`Cannot read ${file}: ${describeFileError(error)}`);
  }
  if (start !== 'PGDMP') throw new BackupError(`${file} is not a backup: it is not a pg_dump custom-format archive`);
}

async function findClientTool(config: Config, name: ClientTool['name']): Promise<ClientTool> {
  const toolPath = config.pgBinDir ? path.join(config.pgBinDir, name) : name;
  let printed: string;
  try {
    printed = (await promisify(execFile)(toolPath, ['--version'])).stdout;
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code !== 'ENOENT' && code !== 'EACCES') throw error;
    const where = config.pgBinDir ? `in PG_BIN_DIR (${config.pgBinDir})` : 'on the PATH';
    throw new BackupError(
      `${name} was not found ${where}: install postgresql-client (apt-get install -y postgresql-client) or set PG_BIN_DIR to the folder that holds it`,
    );
  }
  const version = /\(PostgreSQL\) (\d+)(\.\d+)?/.exec(printed);
  if (!version?.[1]) throw new BackupError(`${toolPath} --version did not print a PostgreSQL version: ${printed.trim()}`);
  return { name, path: toolPath, version: `${version[1]}${version[2] ?? ''}`, major: Number(version[1]) };
}

/** pg_dump refuses a server newer than itself; the restore is held to the same rule so both fail early and alike. */
async function checkToolIsNotOlderThanServer(client: pg.Client, tool: ClientTool): Promise<void> {
  const result = await client.query<{ server_version_num: string }>('show server_version_num');
  const versionNumber = Number(result.rows[0]?.server_version_num);
  const serverMajor = Math.floor(versionNumber / 10000);
  if (tool.major >= serverMajor) return;
  throw new BackupError(
    `${tool.name} ${tool.version} is older than the database server (PostgreSQL ${serverMajor}.${versionNumber % 10000}): ` +
      `install postgresql-client-${serverMajor}, or set PG_BIN_DIR to the folder of a ${tool.name} ${serverMajor} or newer`,
  );
}

async function countTables(client: pg.Client): Promise<number> {
  const result = await client.query<{ tables: number }>(`
    select count(*)::int as tables
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
  `);
  return result.rows[0]?.tables ?? 0;
}

/**
 * The password goes in PGPASSWORD, never on the command line, where any user of the machine
 * could read it in the process list.
 */
function runClientTool(tool: ClientTool, args: readonly string[], url: string): Promise<void> {
  const target = new URL(url);
  const password = decodeURIComponent(target.password);
  target.password = '';
  const env = password === '' ? process.env : { ...process.env, PGPASSWORD: password };
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, ['--no-password', `--dbname=${target.toString()}`, ...args], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const nothingDone = tool.name === 'pg_restore' ? ', and nothing was restored' : '';
      const reason = firstErrorLine(stderr) ?? (signal ? `stopped by ${signal}` : `exit code ${code}`);
      reject(new BackupError(`${tool.name} failed${nothingDone}: ${reason}`));
    });
  });
}

/** pg_dump and pg_restore put the reason on the first "error:" line; what follows repeats the failing SQL. */
function firstErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((line) => line.trim());
  const line = lines.find((candidate) => /\berror:/i.test(candidate)) ?? lines.find((candidate) => candidate !== '');
  return line?.replace(/^pg_(dump|restore): (error: )?/, '').replace(/\s+/g, ' ');
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

function shortPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
}
