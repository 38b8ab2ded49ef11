import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { publishedRas } from '../support/ras-builders.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';
import { agreedUnchanged, aSentSelfAssessment, everyAnswerAgreed } from '../support/self-assessment.js';

const toReview = /^\/self-assessments\/\d+\/review$/;
const toResult = /^\/assessments\/\d+\/result$/;

/**
 * Who may go through a person's sent self-assessment. `:id` is a North person's, sent a moment ago
 * and, for the agreeing and submitting routes, already started (and every answer agreed, for
 * submitting) by North's care manager. Anyone who may see the person may read the answers; only
 * the person's team's care and team managers may go through them.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                          care manager    other team  team manager    finance  admin  signed out
  ['GET',  '/self-assessments/:id/review',        [200,           404,        200,            200,     200,   toSignIn]],
  ['POST', '/self-assessments/:id/review/start',  [to(toReview),  404,        to(toReview),   403,     403,   toSignIn]],
  ['POST', '/self-assessments/:id/review',        [to(toReview),  404,        to(toReview),   403,     403,   toSignIn]],
  ['POST', '/self-assessments/:id/review/submit', [to(toResult),  404,        to(toResult),   403,     403,   toSignIn]],
];

let t: TestApp;
let northTeamId: number;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

async function snapshot(id: number, personId: number) {
  return {
    selfAssessment: await t.db('self_assessments').where({ id }).first(),
    agreed: await countRows(t.db, 'self_assessment_agreed_answers', { self_assessment_id: id }),
    assessments: await t.db('assessments').where({ person_id: personId }).orderBy('id'),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can go through a person’s online self-assessment', () => {
  for (const c of casesFrom(matrix)) {
    const changes = c.method === 'POST' && c.status === 302 && c.role !== 'signed out';
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const careManager = agents.get('care manager') as Agent;
      const { person, id } = await aSentSelfAssessment(t, careManager, northTeamId);
      if (c.path.endsWith('/submit')) await everyAnswerAgreed(t, careManager, id);
      else if (c.path === '/self-assessments/:id/review' && c.method === 'POST') {
        await careManager
          .post(`/self-assessments/${id}/review/start`)
          .type('form')
          .send({ _csrf: csrfTokens.get('care manager') as string });
      }
      const url = c.path.replace(':id', String(id));
      const agent = agents.get(c.role) as Agent;
      const before = await snapshot(id, person.id);
      const version = String(before.selfAssessment.version);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...(c.path.endsWith('/review') ? agreedUnchanged : {}), version, _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);
      const after = await snapshot(id, person.id);
      if (changes) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    });
  }
});
