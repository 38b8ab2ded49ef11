import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

/**
 * Who may open the timeliness report and download the report tables and lists. Reports are for
 * team managers and administrators, the sign-off queue for finance, reviews lists for those who work them; every download they are allowed is recorded in the audit trail,
 * and a refused one leaves no trace. The lists of the people behind the dashboard's figures are
 * read like the dashboard: they change nothing and are not downloads.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                        care manager  other team  team manager  finance  admin  signed out
  ['GET', '/reports/timeliness',                              [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/timeliness.csv',                          [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/calibration.csv',                         [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/uptake-by-client-group.csv',    [403,         403,        200,          403,     200,   toSignIn]],
  // A team manager's file has their own team's line only, as their dashboard does.
  ['GET', '/reports/dashboard/uptake-by-team.csv',            [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/management-options.csv',        [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/sign-off-waits.csv',            [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/no-such-table.csv',             [403,         403,        404,          403,     404,   toSignIn]],
  // The people behind the dashboard's figures: a team manager's own team's, as their dashboard counts.
  ['GET', '/reports/dashboard/people/without-budget',         [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/people/eligible?group=carer',   [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/people/waits',                  [403,         403,        200,          403,     200,   toSignIn]],
  ['GET', '/reports/dashboard/people/no-such-list',           [403,         403,        404,          403,     404,   toSignIn]],
  ['GET', '/finance/queue.csv',                               [403,         403,        403,          200,     200,   toSignIn]],
  // The reviews lists of the roles whose home page has them: a care manager's own, a team manager's team's.
  ['GET', '/home/overdue.csv',                                [200,         200,        200,          403,     403,   toSignIn]],
  ['GET', '/home/due-soon.csv',                               [200,         200,        200,          403,     403,   toSignIn]],
  ['GET', '/home/drafts.csv',                                 [404,         404,        404,          404,     404,   toSignIn]],
];

let t: TestApp;
let agents: Map<RoleName, Agent>;

beforeAll(async () => {
  t = await buildTestApp();
  ({ agents } = await signInEveryRole(t, (await aUserForEveryRole(t.db)).users));
});
afterAll(() => t.drop());

const auditCount = async () => Number(((await t.db('audit_events').count('* as count').first()) as { count: string }).count);

describe('who can reach the timeliness report and the report downloads', () => {
  for (const c of casesFrom(matrix)) {
    const download = c.path.endsWith('.csv') && c.status === 200;
    it(`${c.role}: ${c.method} ${c.path} ${c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`}${download ? ' and the download is recorded' : ''}`, async () => {
      const before = await auditCount();
      const response = await (agents.get(c.role) as Agent).get(c.path);
      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (download) {
        expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(response.headers['cache-control']).toBe('no-store');
      }
      expect(await auditCount()).toBe(before + (download ? 1 : 0));
    });
  }
});
