import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { aPerson, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { anApprovedBudget } from '../support/review-builders.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

const toPerson = /^\/people\/\d+#personal-budget$/;

/**
 * Who may end a personal budget. `:budgetId` is the open budget of a person in team North, with
 * its first review scheduled. A person in a team the user cannot see is "not found", checked
 * before the role, so another team's care manager gets 404 on both.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                               care manager  other team  team manager   finance        admin  signed out
  ['GET',  '/budgets/:budgetId/end', [403,          404,        200,           200,           200,   toSignIn]],
  ['POST', '/budgets/:budgetId/end', [403,          404,        to(toPerson),  to(toPerson),  403,   toSignIn]],
];

const cases = casesFrom(matrix);

let t: TestApp;
let services: Services;
let northTeamId: number;
let northCareManager: TestUser;
let financeOfficer: TestUser;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  northCareManager = everyone.users['care manager'];
  financeOfficer = everyone.users['finance officer'];
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

/** Everything ending a budget could change, to prove a refused request changed none of it. */
async function snapshot(budgetId: number) {
  return {
    budget: await t.db('personal_budgets').where({ id: budgetId }).first(),
    scheduledReviews: await countRows(t.db, 'reviews', { status: 'scheduled' }),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can reach the "End this budget" routes', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the budget is ended' : ''}`, async () => {
      const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
      const { budget } = await anApprovedBudget(services, t.db, t.clock, {
        person,
        careManager: northCareManager,
        financeOfficer,
        items: [{ weeklyPence: 12_000 }],
        startDate: '2026-04-01',
      });
      const url = c.path.replace(':budgetId', String(budget.id));
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot(budget.id);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({
                'endDate[day]': '31',
                'endDate[month]': '7',
                'endDate[year]': '2026',
                endReason: 'moved_out_of_area',
                endNote: '',
                version: '1',
                _csrf: csrfTokens.get(c.role) as string,
              });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);

      const after = await snapshot(budget.id);
      if (changes) {
        expect(after.budget).toMatchObject({ end_date: '2026-07-31', end_reason: 'moved_out_of_area' });
        expect(after.scheduledReviews).toBe(before.scheduledReviews - 1);
      } else expect(after).toEqual(before);
    });
  }
});
