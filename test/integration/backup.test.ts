import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insertAuditEvent } from '../../src/audit/repo.js';
import { createDb } from '../../src/db/knex.js';
import { aPerson, aTeam, aUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// Absolute, so that a command run from another folder still finds them.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const cli = path.resolve('src/db/backup-cli.ts');

/** Like the browser tests: skipped on a machine without the client tools, but never in CI. */
const pgDumpFound = spawnSync(path.join(process.env.PG_BIN_DIR ?? '', 'pg_dump'), ['--version']).error === undefined;
const runnable = pgDumpFound || Boolean(process.env.CI);
if (!runnable) {
  process.stderr.write('\n[backup tests] Skipping: no pg_dump. Install it with: apt-get install -y postgresql-client\n');
}

type Run = { code: number | null; stdout: string; stderr: string };

/** The command as `npm run backup` / `npm run restore` runs it, in a process of its own. */
function run(args: string[], options: { databaseUrl: string; cwd?: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, cli, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NODE_ENV: 'test', DATABASE_URL: options.databaseUrl, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function snapshot(db: Knex) {
  return {
    teams: await db('teams').orderBy('id'),
    users: await db('users').orderBy('id'),
    people: await db('people').orderBy('id'),
    auditEvents: await countRows(db, 'audit_events'),
  };
}

/** A database with nothing in it, not even the migrations, as a council would create for a restore. */
async function createEmptyDatabase(): Promise<{ db: Knex; url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `selfdirect_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 2);
  return {
    db,
    url: url.toString(),
    name,
    drop: async () => {
      await db.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

function fakeClientTool(folder: string, name: string, script: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(folder, name), 0o755);
}

describe.skipIf(!runnable)('npm run backup and npm run restore', () => {
  let source: TestDatabase;
  let folder: string;
  let file: string;
  let backup: Run;
  let atBackup: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    source = await createTestDatabase();
    const north = await aTeam(source.db, 'North');
    await aTeam(source.db, 'Closed team');
    const worker = await aUser(source.db, { role: 'care_manager', teamId: north.id });
    await aUser(source.db, { role: 'finance_officer' });
    const person = await aPerson(source.db, { teamId: north.id, givenName: 'Ada', familyName: 'Lovelace', allocatedWorkerId: worker.id });
    await aPerson(source.db, { teamId: north.id, clientGroup: 'learning_disability' });
    await insertAuditEvent(source.db, {
      userId: worker.id,
      requestId: null,
      action: 'person_created',
      entityType: 'person',
      entityId: person.id,
      personId: person.id,
    });
    folder = mkdtempSync(path.join(tmpdir(), 'selfdirect-backup-'));
    file = path.join(folder, 'before-upgrade.dump');
    backup = await run(['backup', file], { databaseUrl: source.url });
    atBackup = await snapshot(source.db);
  });
  afterAll(async () => {
    await source.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('backs up to the file given, readable by its owner only, and prints the file and its size', () => {
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^Backed up to ${file.replaceAll('.', '\\.')} \\(\\d+\\.\\d KB\\)\\n$`));
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['before-upgrade.dump']);
  });

  it('restores into a new, empty database the data as it was at backup time, not as it is now', async () => {
    const [ada] = atBackup.people;
    await source.db('people').where({ id: ada.id }).update({ given_name: 'Augusta' });
    await source.db('teams').where({ name: 'Closed team' }).delete();
    const north = atBackup.teams[0] as { id: number };
    await aPerson(source.db, { teamId: north.id });
    await insertAuditEvent(source.db, { userId: null, requestId: null, action: 'person_updated', entityType: 'person', entityId: ada.id });
    expect(await snapshot(source.db)).not.toEqual(atBackup);

    const target = await createEmptyDatabase();
    try {
      const restored = await run(['restore', file], { databaseUrl: target.url });
      expect(restored.stderr).toBe('');
      expect(restored.code).toBe(0);
      expect(restored.stdout).toMatch(
        new RegExp(`^Restored ${file.replaceAll('.', '\\.')} into the database ${target.name} \\(\\d+ tables\\)\\n$`),
      );
      expect(await snapshot(target.db)).toEqual(atBackup);
      expect(await target.db('knex_migrations').pluck('name')).toEqual(await source.db('knex_migrations').pluck('name'));
    } finally {
      await target.drop();
    }
  });

  it('refuses to restore into a database that is not empty, in one line, and changes nothing', async () => {
    const before = await snapshot(source.db);
    const refused = await run(['restore', file], { databaseUrl: source.url });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      /^The database selfdirect_test_\w+ is not empty \(\d+ tables\); restore only goes into an empty database: point DATABASE_URL at a new, empty database and run the restore again\n$/,
    );
    expect(await snapshot(source.db)).toEqual(before);
  });

  it('restores all or nothing: a restore that fails part way leaves no table behind', async () => {
    const target = await createEmptyDatabase();
    try {
      // A database with no tables passes the check, but this name is in the backup, after the tables sort before it.
      await target.db.raw('create sequence teams_id_seq');
      const failed = await run(['restore', file], { databaseUrl: target.url });
      expect(failed).toEqual({
        code: 1,
        stdout: '',
        stderr: 'pg_restore failed, and nothing was restored: could not execute query: ERROR: relation "teams_id_seq" already exists\n',
      });
      const tables = await target.db('pg_tables').where({ schemaname: 'public' }).count({ count: '*' });
      expect(tables).toEqual([{ count: 0 }]);
    } finally {
      await target.drop();
    }
  });

  it('refuses a file that is not a backup, or is not there, before it connects to any database', async () => {
    const notABackup = path.join(folder, 'people.csv');
    writeFileSync(notABackup, 'reference,given_name\nT-00001,Ada\n');
    const missing = path.join(folder, 'no-such.dump');
    const nowhere = 'postgres://selfdirect@127.0.0.1:1/nowhere';
    const [wrongFile, noFile] = await Promise.all([
      run(['restore', notABackup], { databaseUrl: nowhere }),
      run(['restore', missing], { databaseUrl: nowhere }),
    ]);
    expect(wrongFile).toEqual({
      code: 1,
      stdout: '',
      stderr: `${notABackup} is not a backup: it is not a pg_dump custom-format archive\n`,
    });
    expect(noFile).toEqual({ code: 1, stdout: '', stderr: `Cannot read ${missing}: no such file\n` });
  });

  it('names the backup by the UTC time, in backups/, when no file is given', async () => {
    const workingDir = path.join(folder, 'working');
    mkdirSync(workingDir);
    const started = new Date();
    started.setUTCMilliseconds(0);
    const result = await run(['backup'], { databaseUrl: source.url, cwd: workingDir });
    expect(result.stderr).toBe('');
    const name = /^Backed up to (backups\/selfdirect-(\d{4}-\d\d-\d\dT\d\d)-(\d\d)-(\d\d)\.dump) \(.+\)\n$/.exec(result.stdout);
    expect(name).not.toBeNull();
    const [, relative, dateAndHour, minutes, seconds] = name as unknown as string[];
    const written = new Date(`${dateAndHour}:${minutes}:${seconds}Z`);
    expect(written.getTime()).toBeGreaterThanOrEqual(started.getTime());
    expect(written.getTime()).toBeLessThanOrEqual(Date.now());
    expect(existsSync(path.join(workingDir, relative as string))).toBe(true);
  });

  it('leaves no file that looks like a backup when pg_dump fails, and says why in one line', async () => {
    const tools = path.join(folder, 'failing-tools');
    fakeClientTool(
      tools,
      'pg_dump',
      `[ "$1" = --version ] && { echo 'pg_dump (PostgreSQL) 15.18'; exit 0; }
for arg; do case "$arg" in --file=*) printf PGDMP-half-written > "\${arg#--file=}";; esac; done
echo 'pg_dump: error: query failed: server closed the connection unexpectedly' >&2; exit 1`,
    );
    const failed = path.join(folder, 'failed', 'nightly.dump');
    const result = await run(['backup', failed], { databaseUrl: source.url, env: { PG_BIN_DIR: tools } });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'pg_dump failed: query failed: server closed the connection unexpectedly\n' });
    expect(readdirSync(path.dirname(failed))).toEqual([]);
  });

  it('refuses a pg_dump older than the server, or none at all, naming what to install', async () => {
    const oldTools = path.join(folder, 'old-tools');
    fakeClientTool(oldTools, 'pg_dump', `echo 'pg_dump (PostgreSQL) 9.6.24'`);
    const noTools = path.join(folder, 'no-tools');
    mkdirSync(noTools);
    const [tooOld, none] = await Promise.all([
      run(['backup', path.join(folder, 'old.dump')], { databaseUrl: source.url, env: { PG_BIN_DIR: oldTools } }),
      run(['backup', path.join(folder, 'none.dump')], { databaseUrl: source.url, env: { PG_BIN_DIR: noTools } }),
    ]);
    expect(tooOld.code).toBe(1);
    expect(tooOld.stderr).toMatch(
      /^pg_dump 9\.6 is older than the database server \(PostgreSQL (\d+)\.\d+\): install postgresql-client-\1, or set PG_BIN_DIR to the folder of a pg_dump \1 or newer\n$/,
    );
    expect(none).toEqual({
      code: 1,
      stdout: '',
      stderr: `pg_dump was not found in PG_BIN_DIR (${noTools}): install postgresql-client (apt-get install -y postgresql-client) or set PG_BIN_DIR to the folder that holds it\n`,
    });
    expect(existsSync(path.join(folder, 'old.dump')) || existsSync(path.join(folder, 'none.dump'))).toBe(false);
  });
});
