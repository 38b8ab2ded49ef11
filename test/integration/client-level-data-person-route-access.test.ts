import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

const toRequests = /^\/people\/\d+#requests$/;
const toCaresFor = /^\/people\/\d+\/cares-for$/;

/**
 * Who may record a person's requests for support and change who a carer cares for: whoever may
 * change the person's details, that is a care or team manager of their team. `:id` is a person
 * (a carer, for the cares-for routes) in team North; another team's care manager is told they
 * are not found, checked after the role, so finance and admin are refused first.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                  care manager      other team  team manager      finance  admin  signed out
  ['GET',  '/people/:id/requests/new',                 [200,              404,        200,              403,     403,   toSignIn]],
  ['POST', '/people/:id/requests',                     [to(toRequests),   404,        to(toRequests),   403,     403,   toSignIn]],
  ['GET',  '/people/:id/requests/:requestId/outcome',  [200,              404,        200,              403,     403,   toSignIn]],
  ['POST', '/people/:id/requests/:requestId/outcome',  [to(toRequests),   404,        to(toRequests),   403,     403,   toSignIn]],
  ['GET',  '/people/:id/requests/:requestId/cancel',   [200,              404,        200,              403,     403,   toSignIn]],
  ['POST', '/people/:id/requests/:requestId/cancel',   [to(toRequests),   404,        to(toRequests),   403,     403,   toSignIn]],
  ['GET',  '/people/:id/cares-for',                    [200,              404,        200,              403,     403,   toSignIn]],
  ['POST', '/people/:id/cares-for',                    [to(toCaresFor),   404,        to(toCaresFor),   403,     403,   toSignIn]],
  ['POST', '/people/:id/cares-for/:caredForId/remove', [to(toCaresFor),   404,        to(toCaresFor),   403,     403,   toSignIn]],
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

/** Everything these routes could change, to prove a refused request changed none of it. */
async function snapshot(carerId: number, personId: number) {
  return {
    requests: await t.db('support_requests').where({ person_id: personId }).orderBy('id'),
    links: await t.db('carer_links').where({ carer_id: carerId }).orderBy('cared_for_id').select('carer_id', 'cared_for_id'),
    audit: await countRows(t.db, 'audit_events'),
  };
}

const bodies: Record<string, (reference: string) => Record<string, string>> = {
  '/people/:id/requests': () => ({
    'receivedOn[day]': '1',
    'receivedOn[month]': '6',
    'receivedOn[year]': '2026',
    routeOfAccess: 'discharge_from_hospital',
  }),
  '/people/:id/requests/:requestId/outcome': () => ({
    outcome: 'progress_to_assessment',
    'decidedOn[day]': '10',
    'decidedOn[month]': '6',
    'decidedOn[year]': '2026',
    version: '1',
  }),
  '/people/:id/requests/:requestId/cancel': () => ({ version: '1' }),
  '/people/:id/cares-for': (reference) => ({ reference }),
  '/people/:id/cares-for/:caredForId/remove': () => ({}),
};

describe('who can reach the request and carer link routes', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const carer = await aPerson(t.db, { teamId: northTeamId, clientGroup: 'carer', allocatedWorkerId: northCareManager.id });
      const caredFor = await aPerson(t.db, { teamId: northTeamId });
      const other = await aPerson(t.db, { teamId: northTeamId });
      await t.db('carer_links').insert({ carer_id: carer.id, cared_for_id: caredFor.id });
      const subject = c.path.includes('cares-for') ? carer : caredFor;
      const [request] = (await t
        .db('support_requests')
        .insert({ person_id: subject.id, received_on: '2026-05-20', route_of_access: 'community_other' })
        .returning('id')) as { id: number }[];
      const url = c.path
        .replace(':id', String(subject.id))
        .replace(':requestId', String(request?.id))
        .replace(':caredForId', String(caredFor.id));
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot(carer.id, subject.id);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...bodies[c.path]?.(other.reference), _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);
      const after = await snapshot(carer.id, subject.id);
      if (changes) {
        expect(after).not.toEqual(before);
        expect(after.audit).toBe(before.audit + 1);
      } else expect(after).toEqual(before);
    });
  }
});
