import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aUser, type TestUser } from '../support/builders.js';
import { aDirectPaymentBudget } from '../support/direct-payment-builders.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { actorOf } from '../support/review-builders.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

const toDirectPayments = /^\/people\/\d+\/direct-payments$/;
const toRun = /^\/direct-payments\/runs\/\d+$/;
const toMonitoring = /^\/people\/\d+\/direct-payments#monitoring$/;

/**
 * Who may reach the direct payment routes. `:personId` is a person in team North on a direct
 * payment; `:runId` a run another finance officer created (so the table's finance officer may
 * approve it), approved already for the payment file. Another team's person is "not found".
 * Only finance pays: administrators see runs and change nothing. The figures' lists of people
 * are for those who read the figures: finance, team managers and administrators.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                          care manager  other team  team manager  finance              admin  signed out
  ['GET',  '/people/:personId/direct-payments',                [200,          404,        200,          200,                 200,   toSignIn]],
  ['GET',  '/people/:personId/direct-payments/bank-details',   [403,          404,        403,          200,                 403,   toSignIn]],
  ['POST', '/people/:personId/direct-payments/bank-details',   [403,          404,        403,          to(toDirectPayments), 403,   toSignIn]],
  ['GET',  '/people/:personId/direct-payments/returns/new',    [403,          404,        403,          200,                 403,   toSignIn]],
  ['POST', '/people/:personId/direct-payments/returns/new',    [403,          404,        403,          to(toMonitoring),    403,   toSignIn]],
  ['GET',  '/people/:personId/direct-payments/recoveries/new', [403,          404,        403,          200,                 403,   toSignIn]],
  ['POST', '/people/:personId/direct-payments/recoveries/new', [403,          404,        403,          to(toMonitoring),    403,   toSignIn]],
  ['GET',  '/direct-payments/runs',                            [403,          403,        403,          200,                 200,   toSignIn]],
  ['POST', '/direct-payments/runs',                            [403,          403,        403,          to(toRun),           403,   toSignIn]],
  ['GET',  '/direct-payments/runs/:runId',                     [403,          403,        403,          200,                 200,   toSignIn]],
  ['POST', '/direct-payments/runs/:runId/approve',             [403,          403,        403,          to(toRun),           403,   toSignIn]],
  ['GET',  '/direct-payments/runs/:runId/payments.csv',        [403,          403,        403,          200,                 403,   toSignIn]],
  // The people behind the direct payment figures: every team's for finance and administrators, a team manager's own.
  ['GET',  '/direct-payments/people/on-direct-payments',       [403,          403,        200,          200,                 200,   toSignIn]],
  ['GET',  '/direct-payments/people/returns-overdue',          [403,          403,        200,          200,                 200,   toSignIn]],
];

const cases = casesFrom(matrix);

let t: TestApp;
let services: Services;
let northTeamId: number;
let northCareManager: TestUser;
let financeOfficer: TestUser;
let runMaker: TestUser;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  northCareManager = everyone.users['care manager'];
  financeOfficer = everyone.users['finance officer'];
  runMaker = await aUser(t.db, { role: 'finance_officer' });
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

/** Everything these routes could change, to prove a refused request changed none of it. */
async function snapshot() {
  return {
    accounts: await t.db('direct_payment_bank_accounts').orderBy('id'),
    runs: await t.db('direct_payment_runs').orderBy('id'),
    payments: await countRows(t.db, 'direct_payments'),
    returns: await countRows(t.db, 'direct_payment_returns'),
    recoveries: await countRows(t.db, 'direct_payment_recoveries'),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can reach the direct payment routes', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.status === 302 && c.role !== 'signed out';
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and it is saved' : ''}`, async () => {
      // Each case has its own person with a payment due, so a run always has something to pay.
      const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
      await aDirectPaymentBudget(services, t.db, t.clock, {
        person,
        careManager: northCareManager,
        financeOfficer,
        weeklyPence: 80_00,
        startDate: '2026-06-15',
      });
      let runId = 0;
      if (c.path.includes(':runId')) {
        ({ runId } = await services.directPayments.createRun(actorOf(runMaker), { paymentDate: '2026-06-15' }));
        if (c.path.endsWith('.csv')) await services.directPayments.approveRun(actorOf(financeOfficer), runId, { version: 1 });
      }
      const url = c.path.replace(':personId', String(person.id)).replace(':runId', String(runId));
      const fields: Record<string, string> = c.path.endsWith('bank-details')
        ? { recipientKind: 'person', accountName: 'New Account', sortCode: '112233', accountNumber: '12345678', version: '1' }
        : c.path.endsWith('approve')
          ? { version: '1' }
          : c.path.endsWith('returns/new')
            ? {
                'periodFrom[day]': '15',
                'periodFrom[month]': '6',
                'periodFrom[year]': '2026',
                'periodTo[day]': '15',
                'periodTo[month]': '6',
                'periodTo[year]': '2026',
                openingBalance: '0',
                moneyIn: '0',
                moneyOut: '0',
                closingBalance: '0',
              }
            : c.path.endsWith('recoveries/new')
              ? { amount: '25.00', reason: 'Unspent money found at the review', method: 'owed' }
              : { 'paymentDate[day]': '15', 'paymentDate[month]': '6', 'paymentDate[year]': '2026' };
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot();

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...fields, _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);

      const after = await snapshot();
      if (changes) expect(after.audit).toBe(before.audit + 1);
      else if (c.path.endsWith('.csv') && c.status === 200) expect(after.audit).toBe(before.audit + 1);
      else expect(after).toEqual(before);
    });
  }
});
