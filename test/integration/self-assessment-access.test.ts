import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { appRoutes } from '../support/app-routes.js';
import { aPerson, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, type Agent } from '../support/http.js';
import { publishedRas } from '../support/ras-builders.js';
import { inviteOnline, signInAsPerson as signInAsPersonTo, signedInPerson as signedInPersonTo } from '../support/self-assessment.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

let t: TestApp;
let careManager: TestUser;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;
let northTeamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  const everyone = await aUserForEveryRole(t.db);
  northTeamId = everyone.northTeamId;
  careManager = everyone.users['care manager'];
  ({ agents, csrfTokens } = await signInEveryRole(t, everyone.users));
});
afterAll(() => t.drop());

const aNorthPerson = (options: Partial<Parameters<typeof aPerson>[1]> = {}) => aPerson(t.db, { teamId: northTeamId, ...options });

const invite = (person: PersonRow) => inviteOnline(agents.get('care manager') as Agent, person);
const signInAsPerson = (person: Pick<PersonRow, 'reference' | 'date_of_birth'>, code: string) => signInAsPersonTo(t, person, code);
const signedInPerson = (person: PersonRow, code: string) => signedInPersonTo(t, person, code);

describe('giving a person an access code', () => {
  // prettier-ignore
  const matrix: RouteTable = [
    //                                                            care manager  other team  team manager  finance  admin  signed out
    ['POST', '/people/:personId/self-assessment/access-code',        [200,         404,        200,          403,     403,   toSignIn]],
    ['POST', '/people/:personId/self-assessment/access-code/revoke', [302,         404,        302,          403,     403,   toSignIn]],
  ];
  it.each(casesFrom(matrix))('$method $path as $role: $status', async ({ method, path, role, status, location }) => {
    const person = await aNorthPerson();
    const agent = agents.get(role) as Agent;
    const url = path.replace(':personId', String(person.id));
    const response =
      method === 'GET'
        ? await agent.get(url)
        : await agent
            .post(url)
            .type('form')
            .send({ _csrf: csrfTokens.get(role) });
    expect(response.status).toBe(status);
    if (location) expect(response.headers.location).toMatch(location);
    if (status !== 200 && status !== 302) expect(await t.db('self_assessment_invitations').where({ person_id: person.id })).toEqual([]);
  });

  it('prints a 12-character code on the letter, keeps only an argon2id hash of it, and audits who gave it', async () => {
    const person = await aNorthPerson();
    const code = await invite(person);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [row] = await t.db('self_assessment_invitations').where({ person_id: person.id });
    expect(row.code_hash).toMatch(/^\$argon2id\$/);
    expect(row.code_hash).not.toContain(code.replaceAll('-', ''));
    expect(new Date(row.expires_at).getTime() - new Date(row.created_at).getTime()).toBe(28 * 24 * 3_600_000);
    const events = await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_invited' });
    expect(events).toHaveLength(1);
    expect(events[0].user_id).toBe(careManager.id);
  });

  it('shows the code on the person page as given, and offers a new one or revoking it', async () => {
    const person = await aNorthPerson();
    await invite(person);
    const page = await (agents.get('care manager') as Agent).get(`/people/${person.id}`);
    expect(page.text).toContain('Online self-assessment');
    expect(page.text).toContain('Give a new access code');
    expect(page.text).toContain('Revoke the access code');
    const financePage = await (agents.get('finance officer') as Agent).get(`/people/${person.id}`);
    expect(financePage.text).toContain('Online self-assessment');
    expect(financePage.text).not.toContain('Give a new access code');
  });
});

describe('the person signing in', () => {
  it('signs in with reference, date of birth and code, in a new session holding only who they are', async () => {
    const person = await aNorthPerson({ givenName: 'Ada', familyName: 'Online' });
    const code = await invite(person);
    const agent = await signedInPerson(person, code.toLowerCase().replaceAll('-', ' '));
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('Ada Online');
    const [session] = await t.db('session').whereRaw(`sess->'personAccess'->>'personId' = ?`, [String(person.id)]);
    expect(Object.keys(session.sess).sort()).toEqual(['cookie', 'keptAliveAt', 'personAccess', 'signedInAt']);
    const events = await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_signed_in' });
    expect(events).toHaveLength(1);
    expect(events[0].user_id).toBeNull();
    expect(events[0].after).toEqual({ by: 'the person' });
  });

  it('refuses wrong details with one message, whichever detail was wrong, and keeps no code on the page', async () => {
    const person = await aNorthPerson({ dateOfBirth: '1944-02-29' });
    const other = await aNorthPerson();
    const code = await invite(person);
    const otherCode = await invite(other);
    const attempts: [Pick<PersonRow, 'reference' | 'date_of_birth'>, string][] = [
      [{ ...person, reference: 'NO-SUCH-REF' }, code],
      [{ ...person, date_of_birth: '1944-03-01' }, code],
      // Another person's code works for them alone.
      [person, otherCode],
    ];
    for (const [details, typed] of attempts) {
      const { response } = await signInAsPerson(details, typed);
      expect(response.status).toBe(401);
      expect(response.text).toContain('Enter your council reference, date of birth and access code as they are on your letter');
      expect(response.text).not.toContain(code);
    }
    const { response } = await signInAsPerson(other, code);
    expect(response.status).toBe(401);
  });

  it('stops a code working after 28 days, and ends the session signed in with it', async () => {
    const person = await aNorthPerson();
    const code = await invite(person);
    const agent = await signedInPerson(person, code);
    t.clock.advanceMinutes(28 * 24 * 60 - 1);
    expect((await agent.get('/your-assessment/overview')).status).toBe(200);
    expect((await signInAsPerson(person, code)).response.status).toBe(302);
    t.clock.advanceMinutes(2);
    try {
      const overview = await agent.get('/your-assessment/overview');
      expect(overview.status).toBe(302);
      expect(overview.headers.location).toBe('/your-assessment');
      expect((await signInAsPerson(person, code)).response.status).toBe(401);
    } finally {
      t.clock.set('2026-06-15T10:00:00Z');
    }
  });

  it('revokes the old code when a new one is given, and when the care manager revokes it', async () => {
    const person = await aNorthPerson();
    const first = await invite(person);
    const signedInWithFirst = await signedInPerson(person, first);
    const second = await invite(person);
    expect(second).not.toBe(first);
    expect((await signInAsPerson(person, first)).response.status).toBe(401);
    expect((await signedInWithFirst.get('/your-assessment/overview')).headers.location).toBe('/your-assessment');
    const signedInWithSecond = await signedInPerson(person, second);
    expect(await t.db('self_assessment_invitations').where({ person_id: person.id }).whereNull('revoked_at')).toHaveLength(1);

    const revoked = await (agents.get('care manager') as Agent)
      .post(`/people/${person.id}/self-assessment/access-code/revoke`)
      .type('form')
      .send({ _csrf: csrfTokens.get('care manager') });
    expect(revoked.headers.location).toBe(`/people/${person.id}`);
    expect((await signInAsPerson(person, second)).response.status).toBe(401);
    expect((await signedInWithSecond.get('/your-assessment/overview')).status).toBe(302);
    expect(await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_invitation_revoked' })).toHaveLength(2);
  });

  it('slows down wrong codes: after five for a reference, even the right code waits', async () => {
    const person = await aNorthPerson();
    const code = await invite(person);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      expect((await signInAsPerson(person, 'AAAA-BBBB-CCCC')).response.status).toBe(401);
    }
    const { response } = await signInAsPerson(person, code);
    expect(response.status).toBe(429);
    expect(response.text).toContain('There have been too many attempts to sign in. Wait 15 minutes and try again');
    expect(await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_sign_in_failed' })).toHaveLength(5);
    expect(await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_sign_in_refused' })).toHaveLength(1);
    t.clock.advanceMinutes(16);
    try {
      expect((await signInAsPerson(person, code)).response.status).toBe(302);
    } finally {
      t.clock.set('2026-06-15T10:00:00Z');
    }
  });
});

/**
 * The route x role table's "person" column: every route the app has, walked with a person's
 * session. Staff routes treat it as signed out (to staff sign-in) or refuse it; only the
 * public pages and the person's own pages answer.
 */
describe('what a person’s session reaches', () => {
  /** Open to anyone, and showing nothing of anyone: what a signed-out visitor gets too. */
  const publicPages: Record<string, number[]> = {
    'GET /healthz': [200],
    'GET /sign-in': [200],
    'POST /sign-in': [400],
    'GET /set-password/:token': [410],
    'POST /set-password/:token': [400, 410],
  };

  it('gets staff sign-in, 403 or 404 on every staff route, and its own pages only', async () => {
    const person = await aNorthPerson({ givenName: 'Isolde', familyName: 'Apart' });
    const other = await aNorthPerson({ givenName: 'Otto', familyName: 'Else' });
    const agent = await signedInPerson(person, await invite(person));
    const overview = await agent.get('/your-assessment/overview');
    const csrf = csrfTokenFrom(overview.text);
    const routes = appRoutes(t.app);
    expect(routes.length).toBeGreaterThan(100);
    const answers: string[] = [];
    for (const { method, path } of routes) {
      const key = `${method} ${path}`;
      if (key === 'POST /sign-out' || key === 'POST /your-assessment/sign-out') continue;
      // Ids of the person themselves and of someone else: neither opens a staff page.
      for (const id of [person.id, other.id]) {
        const url = path.replace(/:(\w+)/g, (_match, name: string) => (name === 'list' || name === 'table' ? 'overdue' : String(id)));
        const response = method === 'GET' ? await agent.get(url) : await agent.post(url).type('form').send({ _csrf: csrf });
        const location = String(response.headers.location ?? '');
        const answer = `${key} ${response.status} ${location}`;
        // The person's own pages stay among themselves; an empty post to one (a new sign-in, a page of answers) is refused.
        if (path.startsWith('/your-assessment')) {
          expect([200, 302, 400, 404], answer).toContain(response.status);
          if (response.status === 302) expect(location, answer).toMatch(/^\/your-assessment/);
        } else if (publicPages[key]) expect(publicPages[key], answer).toContain(response.status);
        else if (response.status === 302) expect(location, answer).toMatch(/^\/sign-in/);
        // 401 comes from the timeout dialog's "stay signed in" call, which only a staff session may make.
        else expect([401, 403, 404], answer).toContain(response.status);
        expect(response.text ?? '', answer).not.toContain('Otto');
        answers.push(answer);
      }
    }
    // Still signed in as the person after all that: none of it ended or changed the session.
    const again = await agent.get('/your-assessment/overview');
    expect(again.status).toBe(200);
    expect(again.text).toContain('Isolde Apart');
    expect(answers.length).toBeGreaterThan(200);
  });

  it('is a signed-out visitor to staff sign-out, and the person’s own sign-out ends it', async () => {
    const person = await aNorthPerson();
    const agent = await signedInPerson(person, await invite(person));
    const csrf = csrfTokenFrom((await agent.get('/your-assessment/overview')).text);
    const out = await agent.post('/your-assessment/sign-out').type('form').send({ _csrf: csrf });
    expect(out.headers.location).toBe('/your-assessment');
    expect((await agent.get('/your-assessment/overview')).headers.location).toBe('/your-assessment');
    expect(await t.db('audit_events').where({ person_id: person.id, action: 'self_assessment_signed_out' })).toHaveLength(1);
  });

  it('reaches none of the person’s pages signed out or signed in as staff', async () => {
    for (const agent of [request.agent(t.app), agents.get('care manager') as Agent]) {
      const response = await agent.get('/your-assessment/overview');
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/your-assessment');
    }
  });
});
