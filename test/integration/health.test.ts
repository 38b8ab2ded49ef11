import { createServer, type Server, type Socket } from 'node:net';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDb, createSessionPool } from '../../src/db/knex.js';
import { buildTestApp, testClock, type TestApp } from '../support/app.js';
import { freePort } from '../support/ports.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.drop());

const quiet = () => undefined;

/** The real app, wired to a database URL that may not answer; the health check needs nothing else. */
function appWithDatabaseAt(url: string) {
  const db = createDb(url, 2);
  const sessionPool = createSessionPool(url, quiet, 1);
  const config = {
    ...loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' }),
    databaseUrl: url,
  };
  const app: Express = createApp({ config, db, sessionPool, logger: pino({ level: 'silent' }), clock: testClock() });
  return { app, db, close: async () => Promise.all([db.destroy(), sessionPool.end()]) };
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
    const down = appWithDatabaseAt(urlOnPort(await freePort()));
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
