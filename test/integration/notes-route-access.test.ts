import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

const toTimeline = /^\/people\/\d+#what-has-happened$/;

/**
 * Who may read a person's timeline and write or correct notes. `:personId` is a North person;
 * `:noteId` a note about them written by North's care manager (the first column) a moment ago.
 * Another team's person is "not found"; a note may be corrected only by its author, so North's
 * team manager, who may add notes, is refused the correction.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                             care manager     other team  team manager      finance  admin  signed out
  ['GET',  '/people/:personId/timeline',         [200,             404,        200,              200,     200,   toSignIn]],
  ['GET',  '/people/:personId/notes/new',        [200,             404,        200,              403,     403,   toSignIn]],
  ['POST', '/people/:personId/notes',            [to(toTimeline),  404,        to(toTimeline),   403,     403,   toSignIn]],
  ['GET',  '/notes/:noteId/edit',                [200,             404,        403,              403,     403,   toSignIn]],
  ['POST', '/notes/:noteId/edit',                [to(toTimeline),  404,        403,              403,     403,   toSignIn]],
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

const noteFields = {
  kind: 'visit',
  'contactDate[day]': '15',
  'contactDate[month]': '6',
  'contactDate[year]': '2026',
  contactTime: '09:00',
  involved: 'Her son',
  body: 'Visited at home',
};

async function snapshot(personId: number, noteId: number) {
  return {
    note: await t.db('case_notes').where({ id: noteId }).first(),
    notes: await countRows(t.db, 'case_notes', { person_id: personId }),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can read a timeline and write or correct notes', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const person = await aPerson(t.db, { teamId: northTeamId, allocatedWorkerId: northCareManager.id });
      const [note] = (await t
        .db('case_notes')
        .insert({
          person_id: person.id,
          kind: 'note',
          contact_at: t.clock.now(),
          body: 'First thoughts',
          written_by: northCareManager.id,
          written_at: t.clock.now(),
        })
        .returning('id')) as { id: number }[];
      const noteId = (note as { id: number }).id;
      const url = c.path.replace(':personId', String(person.id)).replace(':noteId', String(noteId));
      const agent = agents.get(c.role) as Agent;
      const body = c.path === '/notes/:noteId/edit' ? { ...noteFields, version: '1' } : noteFields;
      const before = await snapshot(person.id, noteId);

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);
      const after = await snapshot(person.id, noteId);
      if (changes) expect(after).not.toEqual(before);
      else expect(after).toEqual(before);
    });
  }
});
