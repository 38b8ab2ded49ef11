import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, seedDemoDataIfEmpty } from '../../seeds/demo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { buildTestApp, testClock, type TestApp } from '../support/app.js';
import { signIn } from '../support/http.js';

/**
 * The demo council's return for the quarter before a fixed day, as `npm start` seeds it, compared
 * with a file read through row by row: 148 rows (27 requests, 27 assessments, 20 reviews and 74
 * services, each budget once for each way it is managed), no carer rows (the demo's two carers
 * had no event in the quarter), requests decided in the quarter whatever day they came in.
 */
const fixture = new URL('../fixtures/client-level-data/demo-2026-27-Q2.csv', import.meta.url);

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp({ clock: testClock('2026-10-05T09:00:00Z') });
  await ensureDefaultRas(t.db, t.clock);
  await seedDemoDataIfEmpty(t.db, t.clock);
  await t.db('council_settings').update({ local_authority_code: 'E99999999' });
}, 120_000);
afterAll(() => t.drop());

describe('the demo council’s Client Level Data return', () => {
  it('for 2026-27 Q2, seeded as on 5 October 2026, is the file checked by hand', async () => {
    const admin = demoLogins.accounts.find((account) => account.role === 'admin');
    if (!admin) throw new Error('The demo has no administrator');
    const agent = await signIn(t.app, admin.email, demoLogins.password);
    const response = await agent.get('/reports/client-level-data/return.csv?quarter=2026-27%20Q2');
    expect(response.status).toBe(200);
    expect(response.text).toBe(await readFile(fixture, 'utf8'));
  });
});
