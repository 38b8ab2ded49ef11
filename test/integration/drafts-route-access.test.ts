import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

const toReviewDraft = /^\/reviews\/\d+\?draft=continue$/;
const toReview = /^\/reviews\/\d+$/;
const toDetailsDraft = /^\/plans\/\d+\/details\?draft=continue$/;
const toDetails = /^\/plans\/\d+\/details$/;
const toNoteDraft = /^\/people\/\d+\/notes\/new\?draft=continue$/;
const toNewNote = /^\/people\/\d+\/notes\/new$/;

/**
 * Who may keep a draft of a long form, and stay signed in. `:reviewId` is a scheduled review of a
 * North person, `:draftPlanId` a North draft plan, `:submittedPlanId` one waiting for sign-off
 * (its form is closed, so there is nothing to keep), `:personId` a North person a note is being
 * written about. Another team's records are "not found";
 * finance and admin never fill these forms in. "Stay signed in" is for anyone signed in.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                      care manager        other team  team manager        finance  admin  signed out
  ['POST', '/reviews/:reviewId/draft',                      [to(toReviewDraft),  404,        to(toReviewDraft),  403,     403,   toSignIn]],
  ['POST', '/reviews/:reviewId/draft/discard',              [to(toReview),       404,        to(toReview),       403,     403,   toSignIn]],
  ['POST', '/plans/:draftPlanId/details/draft',             [to(toDetailsDraft), 404,        to(toDetailsDraft), 403,     403,   toSignIn]],
  ['POST', '/plans/:draftPlanId/details/draft/discard',     [to(toDetails),      404,        to(toDetails),      403,     403,   toSignIn]],
  ['POST', '/plans/:submittedPlanId/details/draft',         [403,                404,        403,                403,     403,   toSignIn]],
  ['POST', '/people/:personId/notes/new/draft',             [to(toNoteDraft),    404,        to(toNoteDraft),    403,     403,   toSignIn]],
  ['POST', '/people/:personId/notes/new/draft/discard',     [to(toNewNote),      404,        to(toNewNote),      403,     403,   toSignIn]],
  ['POST', '/session/stay-signed-in',                       [204,                204,        204,                204,     204,   401]],
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

async function recordFor(path: string): Promise<number> {
  const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
  if (path.includes(':personId')) return person.id;
  if (path.includes(':reviewId')) {
    const { reviews } = await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager: northCareManager,
      financeOfficer,
      items: [{ weeklyPence: 9_000 }],
      startDate: '2026-04-01',
    });
    return (reviews[0] as { id: number }).id;
  }
  if (path.includes(':submittedPlanId')) {
    return (await aSubmittedPlan(t.db, { person, createdBy: northCareManager.id, items: [{ weeklyPence: 15_000 }] })).id;
  }
  await aSubmittedAssessment(t.db, { person, submittedBy: northCareManager.id });
  return services.plans.startPlan(actorOf(northCareManager), person.id);
}

async function snapshot() {
  return { drafts: await countRows(t.db, 'form_drafts'), audit: await countRows(t.db, 'audit_events') };
}

describe('who can keep drafts and stay signed in', () => {
  for (const c of cases) {
    const keeps = c.path.endsWith('/draft') && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${keeps ? ' and the draft is kept' : ''}`, async () => {
      const id = c.path.includes(':') ? await recordFor(c.path) : 0;
      const url = c.path.replace(/:\w+Id/, String(id));
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot();

      const response = await agent
        .post(url)
        .type('form')
        .send({ budgetUse: 'Half typed', peopleInvolved: 'Half typed', body: 'Half typed', _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);
      expect(await snapshot()).toEqual(keeps ? { ...before, drafts: before.drafts + 1 } : before);
    });
  }
});
