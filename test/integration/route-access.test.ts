import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, editFormFields, personFormFields, type FormFields } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import {
  aUserForEveryRole,
  casesFrom,
  signInEveryRole,
  to,
  toSignIn,
  type Case,
  type RoleName,
  type RouteTable,
} from '../support/route-table.js';

const toPerson = /^\/people\/\d+$/;

/**
 * Who may do what: the single source the cases below are generated from. `:personId` is a
 * person in team North (the first column's team); `:userId` is another user. Columns follow
 * `roles`. POSTs carry a valid CSRF token and an otherwise valid body, so a refusal here is
 * the permission check and nothing else.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                   care manager   other team    team manager   finance  admin               signed out
  ['GET',  '/',                          [200,           200,           200,           200,     200,                toSignIn]],
  ['GET',  '/people',                    [200,           200,           200,           200,     200,                toSignIn]],
  // All of a list from a home page: only the roles whose home page has it; an unknown list is no page at all.
  ['GET',  '/home/overdue',              [200,           200,           200,           403,     403,                toSignIn]],
  ['GET',  '/home/due-soon',             [200,           200,           200,           403,     403,                toSignIn]],
  ['GET',  '/home/returned',             [200,           200,           200,           403,     403,                toSignIn]],
  ['GET',  '/home/drafts',               [200,           200,           200,           403,     403,                toSignIn]],
  ['GET',  '/home/my-people',            [200,           200,           403,           403,     403,                toSignIn]],
  ['GET',  '/home/unallocated',          [403,           403,           200,           403,     403,                toSignIn]],
  ['GET',  '/home/starting',             [403,           403,           403,           200,     403,                toSignIn]],
  ['GET',  '/home/unassessed',           [403,           403,           403,           200,     403,                toSignIn]],
  // These have pages of their own (the queues, the users page); their home-page lists link there.
  ['GET',  '/home/panel',                [404,           404,           404,           404,     404,                toSignIn]],
  ['GET',  '/home/sign-off',             [404,           404,           404,           404,     404,                toSignIn]],
  ['GET',  '/home/users',                [404,           404,           404,           404,     404,                toSignIn]],
  ['GET',  '/home/no-such-list',         [404,           404,           404,           404,     404,                toSignIn]],
  ['GET',  '/people/new',                [200,           200,           200,           403,     403,                toSignIn]],
  ['POST', '/people',                    [to(toPerson),  to(toPerson),  to(toPerson),  403,     403,                toSignIn]],
  // "Change the details" from the duplicate question: the add form again, nothing saved.
  ['POST', '/people/new',                [200,           200,           200,           403,     403,                toSignIn]],
  ['GET',  '/people/:personId',          [200,           404,           200,           200,     200,                toSignIn]],
  ['GET',  '/people/:personId/edit',     [200,           404,           200,           403,     403,                toSignIn]],
  ['POST', '/people/:personId/edit',     [to(toPerson),  404,           to(toPerson),  403,     403,                toSignIn]],
  // Allocation is refused by role before the person is looked up, so another team's care manager gets 403 too.
  ['GET',  '/people/:personId/allocate', [403,           403,           200,           403,     403,                toSignIn]],
  ['POST', '/people/:personId/allocate', [403,           403,           to(toPerson),  403,     403,                toSignIn]],
  ['GET',  '/admin/users',               [403,           403,           403,           403,     200,                toSignIn]],
  ['GET',  '/admin/users/new',           [403,           403,           403,           403,     200,                toSignIn]],
  ['POST', '/admin/users',               [403,           403,           403,           403,     200,                toSignIn]],
  ['GET',  '/admin/users/:userId/edit',  [403,           403,           403,           403,     200,                toSignIn]],
  ['GET',  '/admin/teams',               [403,           403,           403,           403,     200,                toSignIn]],
  ['GET',  '/admin/teams/:teamId/contact', [403,         403,           403,           403,     200,                toSignIn]],
  ['POST', '/admin/teams/:teamId/contact', [403,         403,           403,           403,     to('/admin/teams'), toSignIn]],
  ['GET',  '/admin/audit',               [403,           403,           403,           403,     200,                toSignIn]],
  ['GET',  '/healthz',                   [200,           200,           200,           200,     200,                200]],
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

let userSequence = 0;
let teamSequence = 0;
function validBody(path: string, person: PersonRow): FormFields {
  switch (path) {
    case '/people':
    case '/people/new':
      return personFormFields();
    case '/people/:personId/edit':
      return editFormFields(person, { familyName: 'Changed' });
    case '/people/:personId/allocate':
      return { allocatedWorkerId: String(northCareManager.id), version: String(person.version) };
    case '/admin/teams/:teamId/contact':
      return { phone: '01632 960 001', email: 'north@example.gov.uk', version: '1' };
    case '/admin/users':
      userSequence += 1;
      return {
        displayName: `New User ${userSequence}`,
        email: `route.access.${userSequence}@example.gov.uk`,
        role: 'care_manager',
        teamId: String(northTeamId),
      };
    default:
      throw new Error(`No body for POST ${path}`);
  }
}

// Adding a user answers 200 with the set-password link to pass on, rather than redirecting.
const changed = (c: Case) =>
  c.method === 'POST' && c.role !== 'signed out' && (c.status === 302 || (c.status === 200 && c.path === '/admin/users'));

describe('who can reach which route', () => {
  for (const c of cases) {
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changed(c) ? ' and the change is saved' : ''}`, async () => {
      const person = await aPerson(t.db, { teamId: northTeamId });
      const otherUser = await aUser(t.db, { role: 'care_manager', teamId: northTeamId });
      // A team of its own each time, so its version is always the first.
      teamSequence += 1;
      const contactTeam = await aTeam(t.db, `Contact team ${teamSequence}`);
      const url = c.path
        .replace(':personId', String(person.id))
        .replace(':userId', String(otherUser.id))
        .replace(':teamId', String(contactTeam.id));
      const agent = agents.get(c.role) as Agent;
      const peopleBefore = await countRows(t.db, 'people');
      const usersBefore = await countRows(t.db, 'users');
      const auditBefore = await countRows(t.db, 'audit_events');

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...validBody(c.path, person), _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);
      if (c.location instanceof RegExp) expect(response.headers.location).toMatch(c.location);

      // A refused request leaves no trace; an allowed change writes its row and exactly one audit event.
      const wrote = changed(c);
      expect(await countRows(t.db, 'audit_events')).toBe(auditBefore + (wrote ? 1 : 0));
      expect(await countRows(t.db, 'people')).toBe(peopleBefore + (wrote && c.path === '/people' ? 1 : 0));
      expect(await countRows(t.db, 'users')).toBe(usersBefore + (wrote && c.path === '/admin/users' ? 1 : 0));
      const personAfter = await t.db('people').where({ id: person.id }).first();
      if (wrote && c.path.startsWith('/people/:personId')) expect(personAfter.version).toBe(person.version + 1);
      else expect(personAfter).toEqual(person);
    });
  }
});
