import { createServer, type Server, type Socket } from 'node:net';
import type { Express } from 'express';
import knex from 'knex';
import pg from 'pg';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildTestApp, testClock, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.drop());

const quiet = () => undefined;

/** The real app, wired to a database URL that may not answer; the health check needs nothing else. */
function appWithDatabaseAt(url: string) {
  // knex would print each failed connection attempt; here they are the point of the test.
  const db = knex({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 2 },
    log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
  });
  const sessionPool = new pg.Pool({ connectionString: url, max: 1 });
  const config = {
    ...loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' }),
    databaseUrl: url,
  };
  const app: Express = createApp({ config, db, sessionPool, logger: pino({ level: 'silent' }), clock: testClock() });
  return { app, db, close: async () => Promise.all([db.destroy(), sessionPool.end()]) };
}

/** A port with nothing listening on it: take one from the OS and give it back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function urlOnPort(port: number): string {
  const url = new URL(t.url);
  url.port = String(port);
  return url.toString();
}

describe('the health check', () => {
  it('answers 200 without signing in and without starting a session while the database is up', async () => {
    const response = await request(t.app).get('/healthz');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('answers 503 when nothing is listening where the database should be', async () => {
    const down = appWithDatabaseAt(urlOnPort(await closedPort()));
    try {
      const response = await request(down.app).get('/healthz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'database unavailable' });
    } finally {
      await down.close();
    }
  });

  it('answers 503 once the connection pool has been closed', async () => {
    const closing = appWithDatabaseAt(t.url);
    expect((await request(closing.app).get('/healthz')).status).toBe(200);
    await closing.close();

    const response = await request(closing.app).get('/healthz');
    expect(response.status).toBe(503);
  });

  describe('when the database accepts connections but never answers', () => {
    let blackHole: Server;
    const sockets = new Set<Socket>();
    beforeAll(async () => {
      blackHole = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => blackHole.close(() => resolve()));
    });

    it('answers 503 within a few seconds rather than waiting on the database', async () => {
      const hung = appWithDatabaseAt(urlOnPort((blackHole.address() as { port: number }).port));
      try {
        const started = Date.now();
        const response = await request(hung.app).get('/healthz');
        expect(response.status).toBe(503);
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        for (const socket of sockets) socket.destroy();
        await hung.close();
      }
    });
  });
});
