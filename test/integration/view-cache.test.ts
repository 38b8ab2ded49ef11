import ejs from 'ejs';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { buildTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.drop());
afterEach(() => {
  vi.restoreAllMocks();
});

function appIn(environment: Record<string, string>): Express {
  const config = {
    ...loadConfig({ SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema', ...environment }),
    databaseUrl: t.appUrl,
  };
  return createApp({ config, db: t.appDb, sessionPool: t.sessionPool, logger: pino({ level: 'silent' }), clock: t.clock });
}

/** How many templates (the page and its partials) were compiled to serve the sign-in page once more. */
async function compiledForSecondPage(app: Express): Promise<number> {
  expect((await request(app).get('/sign-in')).status).toBe(200);
  const compile = vi.spyOn(ejs, 'compile');
  expect((await request(app).get('/sign-in')).status).toBe(200);
  return compile.mock.calls.length;
}

describe('templates', () => {
  for (const mode of ['development', 'test', 'production'] as const) {
    it(`compiles each template once in ${mode} mode, not again for the next page`, async () => {
      // Production wants a real database URL and secret; neither is used to render a page.
      const app = appIn({ NODE_ENV: mode, DATABASE_URL: t.appUrl });
      expect(app.enabled('view cache')).toBe(true);
      expect(await compiledForSecondPage(app)).toBe(0);
    });
  }

  it('compiles them again on every page when a developer sets RELOAD_TEMPLATES=true', async () => {
    const app = appIn({ NODE_ENV: 'development', RELOAD_TEMPLATES: 'true' });
    expect(await compiledForSecondPage(app)).toBeGreaterThan(1);
  });

  it('refuses a RELOAD_TEMPLATES that is not true or false', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', RELOAD_TEMPLATES: 'yes' })).toThrow(/RELOAD_TEMPLATES/);
  });
});
