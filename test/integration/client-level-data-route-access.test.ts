import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

/** Who may prepare the Client Level Data return: admins for the council, team managers for their team. */
// prettier-ignore
const matrix: RouteTable = [
  //                                                                  care manager  other team  team manager  finance  admin  signed out
  ['GET', '/reports/client-level-data',                               [403,          403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/client-level-data/check?quarter=2026-27%20Q1',    [403,          403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/client-level-data/download?quarter=2026-27%20Q1', [403,          403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/client-level-data/return.csv?quarter=2026-27%20Q1', [403,        403,        200,          403,     200,   toSignIn]],
];

let t: TestApp;
let agents: Map<RoleName, Agent>;

beforeAll(async () => {
  t = await buildTestApp();
  ({ agents } = await signInEveryRole(t, (await aUserForEveryRole(t.db)).users));
});
afterAll(() => t.drop());

describe('who can reach the Client Level Data return', () => {
  for (const c of casesFrom(matrix)) {
    const downloads = c.path.includes('.csv') && c.status === 200;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${downloads ? ' and the download is audited' : ''}`, async () => {
      const before = await countRows(t.db, 'audit_events');
      const response = await (agents.get(c.role) as Agent).get(c.path);
      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      expect(await countRows(t.db, 'audit_events')).toBe(before + (downloads ? 1 : 0));
    });
  }
});
