import { existsSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.js';
import { createDb } from '../../src/db/knex.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { runAppUntilItStops, startAppProcess, type AppProcess } from '../support/app-process.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, signIn } from '../support/http.js';
import { freePort } from '../support/ports.js';

/**
 * The app in its own process, as an operator runs it, on a PostgreSQL of this file's own that the
 * tests stop and start under it.
 */
const dataDir = path.resolve(`.data/test-resilience-${process.pid}`);
let postgresPort: number;
let postgres: EmbeddedServer;
let databaseUrl: string;
let worker: TestUser;
const running: AppProcess[] = [];

async function startPostgres(): Promise<EmbeddedServer> {
  return startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: postgresPort });
}

async function startApp(env: Record<string, string> = {}): Promise<AppProcess> {
  const app = await startAppProcess({ DATABASE_URL: databaseUrl, ...env }, await freePort());
  running.push(app);
  return app;
}

beforeAll(async () => {
  postgresPort = await freePort();
  rmSync(dataDir, { recursive: true, force: true });
  postgres = await startPostgres();
  await postgres.createDatabase('selfdirect');
  databaseUrl = postgres.url('selfdirect');
  const db = createDb(databaseUrl, 1);
  await migrateToLatest(db);
  worker = await aUser(db, { role: 'care_manager', teamId: (await aTeam(db)).id });
  await db.destroy();
}, 120_000);

afterAll(async () => {
  for (const app of running) if (app.running()) app.child.kill('SIGKILL');
  await postgres.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe('while the database is away', () => {
  it('answers 503 within 2 s, stays up, and serves the same session again when the database is back', { timeout: 120_000 }, async () => {
    const app = await startApp();
    const agent = await signIn(app.baseUrl, worker.email, worker.password);
    expect((await agent.get('/people')).status).toBe(200);

    await postgres.stop();
    for (const page of ['/people', '/', `/people?q=Smith`]) {
      const { result, ms } = await timed(() => agent.get(page));
      expect(result.status, page).toBe(503);
      expect(result.text).toContain('Sorry, the service is unavailable');
      expect(result.headers['retry-after']).toBe('30');
      expect(ms, page).toBeLessThan(2_000);
    }
    const health = await timed(() => request(app.baseUrl).get('/healthz'));
    expect(health.result.status).toBe(503);
    expect(health.ms).toBeLessThan(2_000);
    // The session store's idle connections were cut when PostgreSQL stopped; that must not end the app.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(app.running(), app.output()).toBe(true);

    postgres = await startPostgres();
    expect((await request(app.baseUrl).get('/healthz')).status).toBe(200);
    const again = await agent.get('/people');
    expect(again.status).toBe(200);
    expect(again.text).toContain('Sign out');
    const freshSignIn = await signIn(app.baseUrl, worker.email, worker.password);
    expect((await freshSignIn.get('/')).status).toBe(200);
    expect(app.running()).toBe(true);
  });
});

/**
 * Sign-in posts whose last byte is held back: the server has the request and waits for the rest,
 * so each is certainly in flight when the signal arrives. `finish` sends the last bytes and reads
 * each whole response until the server closes the connection.
 */
async function signInsHeldInFlight(baseUrl: string, count: number, user: { email: string; password: string }) {
  const { port } = new URL(baseUrl);
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const page = await fetch(`${baseUrl}/sign-in`);
      const cookie = page.headers.getSetCookie()[0]?.split(';')[0] ?? '';
      const body = new URLSearchParams({ email: user.email, password: user.password, _csrf: csrfTokenFrom(await page.text()) }).toString();
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      let response = '';
      socket.on('data', (chunk: Buffer) => (response += chunk.toString()));
      const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(response)));
      socket.write(
        `POST /sign-in HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\nCookie: ${cookie}\r\n` +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, -1)}`,
      );
      return { finish: () => socket.write(body.slice(-1)), closed };
    }),
  );
  return {
    finish: async () => {
      for (const socket of sockets) socket.finish();
      return Promise.all(sockets.map((socket) => socket.closed));
    },
  };
}

function connectionRefused(baseUrl: string): Promise<boolean> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function expectGracefulStop(app: AppProcess, signal: NodeJS.Signals, user: { email: string; password: string }) {
  const inFlight = await signInsHeldInFlight(app.baseUrl, 20, user);
  // Time for the server to read each request's headers: until it has, Node counts the connection
  // as idle, and the stop closes idle connections (on a busy machine 300 ms was sometimes short).
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  app.child.kill(signal);
  // On a busy machine the signal can take a moment to be handled: ask again until the listener
  // has closed, well inside the grace the requests in flight are given.
  let refused = false;
  for (let attempt = 0; attempt < 25 && !refused; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    refused = await connectionRefused(app.baseUrl);
  }
  expect(refused, 'no new connections once stopping').toBe(true);
  expect(app.running(), 'the app waits for the requests in flight').toBe(true);

  const responses = await inFlight.finish();
  // Every request in flight gets its whole answer. Attempts from one address for one account are
  // counted before they are checked, so past 5 still unanswered at once the rest are refused.
  const statusLines = responses.map((response) => response.split('\r\n')[0]);
  for (const line of statusLines) expect(['HTTP/1.1 302 Found', 'HTTP/1.1 429 Too Many Requests']).toContain(line);
  expect(statusLines.filter((line) => line === 'HTTP/1.1 302 Found').length).toBeGreaterThanOrEqual(5);
  for (const response of responses.filter((response) => response.startsWith('HTTP/1.1 302'))) {
    expect(response).toMatch(/\r\nLocation: \/sign-in\/code\r\n/i);
  }
  expect(await app.exited, app.output()).toBe(0);
}

describe('stopping the app', () => {
  it('lets 20 sign-ins in flight finish after SIGTERM, takes no new connections, and exits 0', { timeout: 120_000 }, async () => {
    const app = await startApp();
    await expectGracefulStop(app, 'SIGTERM', worker);
    expect(app.output()).not.toMatch(/error/i);
  });

  it(
    'on its embedded PostgreSQL, finishes the requests, then stops PostgreSQL cleanly, and exits 0 on SIGINT',
    { timeout: 180_000 },
    async () => {
      const embeddedDir = path.resolve(`.data/test-resilience-embedded-${process.pid}`);
      const embeddedPort = await freePort();
      rmSync(embeddedDir, { recursive: true, force: true });
      try {
        const app = await startApp({
          DATABASE_URL: '',
          DATA_DIR: embeddedDir,
          EMBEDDED_POSTGRES_PORT: String(embeddedPort),
          DEMO_DATA: 'true',
        });
        expect(app.output()).toContain('Database: embedded PostgreSQL');
        await expectGracefulStop(app, 'SIGINT', { email: 'care.manager@example.gov.uk', password: 'Selfdirect-demo-2026' });
        // PostgreSQL removes its pid file only when it shuts down cleanly.
        expect(existsSync(path.join(embeddedDir, 'postgres', 'postmaster.pid'))).toBe(false);
        expect(await connectionRefused(`http://127.0.0.1:${embeddedPort}`)).toBe(true);
      } finally {
        rmSync(embeddedDir, { recursive: true, force: true });
      }
    },
  );
});

describe('starting up', () => {
  it.each([
    [
      'nothing listens at the address',
      async () => `postgres://selfdirect:x@127.0.0.1:${await freePort()}/selfdirect`,
      /^Selfdirect could not start: Cannot reach the database at 127\.0\.0\.1:\d+: connection refused/,
    ],
    [
      'the password is wrong',
      async () => databaseUrl.replace(/:[^:@/]+@/, ':wrong-password@'),
      /^Selfdirect could not start: The database at 127\.0\.0\.1:\d+ refused user "selfdirect"/,
    ],
    [
      'the database does not exist',
      async () => databaseUrl.replace(/\/selfdirect$/, '/no_such_database'),
      /^Selfdirect could not start: The database "no_such_database" does not exist/,
    ],
  ])('says in one line, without a stack trace, when %s', async (_case, url, expected) => {
    const { code, output } = await runAppUntilItStops({ DATABASE_URL: await url() }, await freePort());
    expect(code).toBe(1);
    expect(output.trim()).toMatch(expected);
    expect(output.trim().split('\n')).toHaveLength(1);
    expect(output).not.toContain('wrong-password');
  });

  it('refuses a database migrated by a newer version and says so', async () => {
    const db = createDb(databaseUrl, 1);
    await db('knex_migrations').insert({ name: '999_from_the_future.ts', batch: 99, migration_time: new Date() });
    try {
      const { code, output } = await runAppUntilItStops({ DATABASE_URL: databaseUrl }, await freePort());
      expect(code).toBe(1);
      expect(output.trim()).toMatch(
        /^Selfdirect could not start: The database has migrations this version of Selfdirect does not have \(999_from_the_future\.ts\)/,
      );
      expect(output.trim().split('\n')).toHaveLength(1);
    } finally {
      await db('knex_migrations').where({ name: '999_from_the_future.ts' }).delete();
      await db.destroy();
    }
  });
});
