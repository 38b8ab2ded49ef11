import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { createServices } from '../../src/services.js';
import { actorOf } from '../support/review-builders.js';

const toPerson = /^\/people\/\d+$/;

/**
 * Who may withdraw a support plan. `:draftPlanId` is a draft for a person in team North, started
 * by North's care manager; `:submittedPlanId` one waiting for sign-off, which nobody may withdraw
 * until finance returns it. A person in a team the user cannot see is "not found", checked
 * before anything else, so another team's care manager gets 404 throughout.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                          care manager   other team  team manager   finance  admin  signed out
  ['GET',  '/plans/:draftPlanId/withdraw',      [200,           404,        200,           403,     403,   toSignIn]],
  ['POST', '/plans/:draftPlanId/withdraw',      [to(toPerson),  404,        to(toPerson),  403,     403,   toSignIn]],
  ['GET',  '/plans/:submittedPlanId/withdraw',  [409,           404,        409,           403,     403,   toSignIn]],
  ['POST', '/plans/:submittedPlanId/withdraw',  [409,           404,        409,           403,     403,   toSignIn]],
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

async function aPlan(submitted: boolean) {
  const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
  if (submitted) return aSubmittedPlan(t.db, { person, createdBy: northCareManager.id, items: [{ weeklyPence: 15_000 }] });
  await aSubmittedAssessment(t.db, { person, submittedBy: northCareManager.id });
  const planId = await createServices(t.db, t.clock).plans.startPlan(actorOf(northCareManager), person.id);
  return t.db('support_plans').where({ id: planId }).first();
}

/** Everything a withdrawal could change, to prove a refused request changed none of it. */
async function snapshot(planId: number) {
  return {
    plan: await t.db('support_plans').where({ id: planId }).first(),
    audit: await countRows(t.db, 'audit_events', { entity_type: 'support_plan' }),
  };
}

describe('who can reach which plan withdrawal route', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the plan is withdrawn' : ''}`, async () => {
      const plan = await aPlan(c.path.includes(':submittedPlanId'));
      const url = c.path.replace(/:\w+PlanId/, String(plan.id));
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot(plan.id);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ reason: 'The person has moved away', version: String(plan.version), _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);

      const after = await snapshot(plan.id);
      if (changes) expect(after.plan.status).toBe('withdrawn');
      else expect(after).toEqual(before);
    });
  }
});
