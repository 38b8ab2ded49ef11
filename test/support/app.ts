import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import { createApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** A clock a test can set and move, so lock-outs and due dates can be tested at their edges. */
export type TestClock = Clock & { set: (iso: string) => void; advanceMinutes: (minutes: number) => void };

export function testClock(start = '2026-06-15T10:00:00Z'): TestClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso) => {
      current = new Date(iso);
    },
    advanceMinutes: (minutes) => {
      current = new Date(current.getTime() + minutes * 60_000);
    },
  };
}

export type TestApp = TestDatabase & { app: Express; clock: TestClock };

export async function buildTestApp(options: { clock?: TestClock; logger?: Logger } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = options.clock ?? testClock();
  const config = {
    ...loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' }),
    databaseUrl: database.appUrl,
  };
  const app = createApp({
    config,
    db: database.appDb,
    sessionPool: database.sessionPool,
    logger: options.logger ?? pino({ level: 'silent' }),
    clock,
  });
  return { ...database, app, clock };
}
