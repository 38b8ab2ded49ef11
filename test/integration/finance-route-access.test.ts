import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, type FormFields } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';
import { aSubmittedPlan, type SubmittedPlan } from '../support/plan-builders.js';

const toPerson = /^\/people\/\d+(#personal-budget)?$/;

/**
 * Who may reach the finance routes. `:planId` is a submitted plan ready for finance and
 * `:panelPlanId` one waiting for panel, both for a person in team North written by North's care
 * manager; `:returnedPlanId` one finance returned; `:personId` is a North person. A person in a team the user cannot see is "not
 * found", checked before the role, so another team's care manager gets 404 throughout.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                  care manager  other team  team manager         finance                 admin  signed out
  ['GET',  '/finance/queue',                          [403,          403,        403,                 200,                    200,   toSignIn]],
  ['GET',  '/finance/panel',                          [403,          403,        200,                 403,                    200,   toSignIn]],
  ['GET',  '/plans/:planId/sign-off',                 [403,          404,        403,                 200,                    200,   toSignIn]],
  ['POST', '/plans/:planId/approve',                  [403,          404,        403,                 to(toPerson),           403,   toSignIn]],
  ['POST', '/plans/:planId/return',                   [403,          404,        403,                 to('/finance/queue'),   403,   toSignIn]],
  ['GET',  '/plans/:panelPlanId/panel',               [403,          404,        200,                 403,                    200,   toSignIn]],
  ['POST', '/plans/:panelPlanId/panel-approve',       [403,          404,        to('/finance/panel'), 403,                   403,   toSignIn]],
  ['POST', '/plans/:panelPlanId/panel-return',        [403,          404,        to('/finance/panel'), 403,                   403,   toSignIn]],
  ['GET',  '/plans/:returnedPlanId/decision-letter',  [200,          404,        200,                 200,                    200,   toSignIn]],
  ['GET',  '/people/:personId/financial-assessment',  [403,          404,        403,                 200,                    403,   toSignIn]],
  ['POST', '/people/:personId/financial-assessment',  [403,          404,        403,                 to(toPerson),           403,   toSignIn]],
];

const cases = casesFrom(matrix);

let t: TestApp;
let northTeamId: number;
let northCareManager: TestUser;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  northCareManager = everyone.users['care manager'];
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

function validBody(path: string, plan: SubmittedPlan): FormFields {
  const version = String(plan.version);
  switch (path) {
    case '/plans/:planId/approve':
      return { 'startDate[day]': '3', 'startDate[month]': '8', 'startDate[year]': '2026', weeklyAmount: '', amountReason: '', version };
    case '/plans/:planId/return':
    case '/plans/:panelPlanId/panel-return':
      return { returnReason: 'Costs need checking', version };
    case '/plans/:panelPlanId/panel-approve':
      return { panelNote: 'Agreed at panel', version };
    case '/people/:personId/financial-assessment':
      return {
        weeklyIncome: '200',
        weeklyAllowances: '190',
        capital: '1000',
        'effectiveFrom[day]': '1',
        'effectiveFrom[month]': '6',
        'effectiveFrom[year]': '2026',
        latestSeenId: '0',
      };
    default:
      throw new Error(`No body for POST ${path}`);
  }
}

/** Everything a finance route could change, to prove a refused request changed none of it. */
async function snapshot(personId: number, planId: number) {
  return {
    plan: await t.db('support_plans').where({ id: planId }).first(),
    budgets: await countRows(t.db, 'personal_budgets'),
    reviews: await countRows(t.db, 'reviews'),
    assessments: await countRows(t.db, 'financial_assessments', { person_id: personId }),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can reach which finance route', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
      const forPanel = c.path.includes(':panelPlanId');
      const plan = await aSubmittedPlan(t.db, {
        person,
        createdBy: northCareManager.id,
        items: [{ weeklyPence: forPanel ? 60_000 : 15_000 }],
        panelStatus: forPanel ? 'awaiting' : 'not_needed',
      });
      const url = c.path
        .replace(':planId', String(plan.id))
        .replace(':panelPlanId', String(plan.id))
        .replace(':returnedPlanId', String(plan.id))
        .replace(':personId', String(person.id));
      // A returned plan has a decision letter.
      if (c.path.includes(':returnedPlanId'))
        await t.db('support_plans').where({ id: plan.id }).update({ status: 'returned', return_reason: 'Check the costs' });
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot(person.id, plan.id);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...validBody(c.path, plan), _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);

      const after = await snapshot(person.id, plan.id);
      // Opening a decision letter, to print or send, is recorded in the audit trail and changes nothing else.
      const audited = c.path.endsWith('/decision-letter') && c.status === 200 ? 1 : 0;
      if (changes) expect(after).not.toEqual(before);
      else expect(after).toEqual({ ...before, audit: before.audit + audited });
    });
  }
});
