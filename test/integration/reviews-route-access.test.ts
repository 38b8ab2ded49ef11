import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aUser, type TestUser } from '../support/builders.js';
import { countRows, type FormFields } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';
import { anApprovedBudget } from '../support/review-builders.js';

const toReview = /^\/reviews\/\d+(\?completed=yes)?$/;
const toPersonReviews = /^\/people\/\d+#reviews$/;

/**
 * Who may reach the home page, the review routes and the dashboard. `:reviewId` is the first
 * review of a North person's approved budget, assigned to North's care manager (the first
 * column); `:personId` is that person. A person in a team the user cannot see is "not found",
 * checked after the role: so another team's care manager gets 404 where care managers may go,
 * and finance and admin, who may read every person, get 403 where they may not act.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                             care manager        other team  team manager          finance  admin                    signed out
  ['GET',  '/',                                  [200,                200,        200,                  200,     200,                     toSignIn]],
  ['GET',  '/reviews/:reviewId',                 [200,                404,        200,                  200,     200,                     toSignIn]],
  ['POST', '/reviews/:reviewId/complete',        [to(toReview),       404,        to(toReview),         403,     403,                     toSignIn]],
  ['GET',  '/reviews/:reviewId/reassign',        [200,                404,        200,                  403,     403,                     toSignIn]],
  ['POST', '/reviews/:reviewId/reassign',        [to(toReview),       404,        to(toReview),         403,     403,                     toSignIn]],
  ['GET',  '/people/:personId/reviews/new',      [200,                404,        200,                  403,     403,                     toSignIn]],
  ['POST', '/people/:personId/reviews',          [to(toPersonReviews), 404,       to(toPersonReviews),  403,     403,                     toSignIn]],
  ['GET',  '/reports/dashboard',                 [403,                403,        200,                  403,     200,                     toSignIn]],
];

const cases = casesFrom(matrix);

let t: TestApp;
let services: Services;
let northTeamId: number;
let northCareManager: TestUser;
let northSecondWorker: TestUser;
let financeOfficer: TestUser;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  northCareManager = everyone.users['care manager'];
  northSecondWorker = await aUser(t.db, { role: 'care_manager', teamId: northTeamId });
  financeOfficer = everyone.users['finance officer'];
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

async function validBody(path: string, reviewId: number, planId: number): Promise<FormFields> {
  switch (path) {
    case '/reviews/:reviewId/complete': {
      const outcomes = (await t.db('plan_outcomes').where({ plan_id: planId }).pluck('id')) as number[];
      return {
        ...Object.fromEntries(outcomes.map((id) => [`outcome-${id}-result`, 'met'])),
        budgetUse: 'As planned',
        personView: 'Going well',
        'reviewDate[day]': '10',
        'reviewDate[month]': '6',
        'reviewDate[year]': '2026',
        decision: 'continue',
        version: '1',
      };
    }
    case '/reviews/:reviewId/reassign':
      return { assignedTo: String(northSecondWorker.id), version: '1' };
    case '/people/:personId/reviews':
      return { reason: 'Their carer asked for one', 'dueDate[day]': '1', 'dueDate[month]': '7', 'dueDate[year]': '2026' };
    default:
      throw new Error(`No body for POST ${path} (review ${reviewId})`);
  }
}

/** Everything these routes could change, to prove a refused request changed none of it. */
async function snapshot(personId: number, reviewId: number) {
  return {
    review: await t.db('reviews').where({ id: reviewId }).first(),
    reviews: await countRows(t.db, 'reviews', { person_id: personId }),
    plans: await countRows(t.db, 'support_plans'),
    settings: await t.db('council_settings').where({ id: 1 }).first(),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can reach the home page, reviews and the dashboard', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const person: PersonRow = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
      const { plan, reviews } = await anApprovedBudget(services, t.db, t.clock, {
        person,
        careManager: northCareManager,
        financeOfficer,
        items: [{ weeklyPence: 9_000 }],
        startDate: '2026-04-01',
      });
      const reviewId = (reviews[0] as { id: number }).id;
      const url = c.path.replace(':reviewId', String(reviewId)).replace(':personId', String(person.id));
      const agent = agents.get(c.role) as Agent;
      const body = c.method === 'POST' ? await validBody(c.path, reviewId, plan.id) : {};
      const before = await snapshot(person.id, reviewId);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);

      const after = await snapshot(person.id, reviewId);
      if (changes) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    });
  }
});
