import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authService } from '../../src/auth/service.js';
import { currentCode } from '../../src/auth/two-factor.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, TEST_PASSWORD, TEST_TOTP_SECRET, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';

let t: TestApp;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  teamId = (await aTeam(t.db, 'North')).id;
});
afterAll(() => t.drop());

/** Signs in with the password only, leaving the agent at the code step. */
async function passwordOnly(user: TestUser): Promise<{ agent: Agent; step: string }> {
  const agent = request.agent(t.app);
  const response = await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: user.password });
  expect(response.status).toBe(302);
  return { agent, step: String(response.headers.location) };
}

async function postCode(agent: Agent, code: string, step = '/sign-in/code') {
  const page = await agent.get(step);
  return agent
    .post(step)
    .type('form')
    .send({ code, _csrf: csrfTokenFrom(page.text) });
}

/** Every route of every route x role table that is closed to the signed out (not the health check), ids filled in. */
function everyTabledRoute(): { method: 'GET' | 'POST'; path: string }[] {
  const dir = path.resolve('test/integration');
  const routes = readdirSync(dir)
    .filter((file) => file.endsWith('route-access.test.ts'))
    .flatMap((file) => [...readFileSync(path.join(dir, file), 'utf8').matchAll(/\['(GET|POST)',\s*'(\/[^']*)',\s*\[[^\]]*toSignIn\]\]/g)])
    .map((match) => ({ method: match[1] as 'GET' | 'POST', path: (match[2] as string).replace(/:\w+/g, '1') }));
  return [...new Map(routes.map((route) => [`${route.method} ${route.path}`, route])).values()];
}

describe('the code step', () => {
  it('opens no page and takes no post on a password alone: every route of every route table goes to the code step', async () => {
    const user = await aUser(t.db, { role: 'admin' });
    const { agent, step } = await passwordOnly(user);
    expect(step).toBe('/sign-in/code');
    const token = csrfTokenFrom((await agent.get(step)).text);
    const routes = everyTabledRoute();
    expect(routes.length).toBeGreaterThan(30);
    const auditBefore = await t.db('audit_events').count({ count: '*' });
    for (const route of routes) {
      const response =
        route.method === 'GET' ? await agent.get(route.path) : await agent.post(route.path).type('form').send({ _csrf: token });
      expect(response.status, `${route.method} ${route.path}`).toBe(302);
      expect(response.headers.location, `${route.method} ${route.path}`).toBe('/sign-in/code');
    }
    expect(await t.db('audit_events').count({ count: '*' })).toEqual(auditBefore);
  });

  it('sends someone without an authenticator app to set one up, and opens nothing else until they have', async () => {
    const user = await aUser(t.db, { role: 'finance_officer', enrolled: false });
    const { agent, step } = await passwordOnly(user);
    expect(step).toBe('/sign-in/set-up-authenticator');
    for (const url of ['/', '/people', '/sign-in/code', '/account/password']) {
      const response = await agent.get(url);
      expect(response.headers.location, url).toBe('/sign-in/set-up-authenticator');
    }
  });

  it('signs in with the code and records it', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const { agent } = await passwordOnly(user);
    const response = await postCode(agent, currentCode(TEST_TOTP_SECRET));
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/');
    expect((await agent.get('/people')).status).toBe(200);
    const actions = await t.db('audit_events').where({ user_id: user.id }).pluck('action');
    expect(actions).toEqual(['signed_in']);
  });

  it('slows down wrong codes: five are refused as wrong, then even the right code waits out the 15 minutes', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const { agent } = await passwordOnly(user);
    const wrong = currentCode(TEST_TOTP_SECRET) === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await postCode(agent, wrong);
      expect(response.status, `attempt ${attempt}`).toBe(401);
      expect(response.text).toContain('The code is not right');
    }
    const slowed = await postCode(agent, currentCode(TEST_TOTP_SECRET));
    expect(slowed.status).toBe(429);
    expect(slowed.text).toContain('There have been too many wrong codes. Wait 15 minutes and try again');
    expect(slowed.text).toMatch(/id="code-error"/);
    const actions = await t.db('audit_events').where({ user_id: user.id }).pluck('action');
    expect(actions.filter((action) => action === 'second_factor_failed')).toHaveLength(5);
    expect(actions).toContain('second_factor_refused');

    t.clock.advanceMinutes(15);
    const later = await postCode(agent, currentCode(TEST_TOTP_SECRET));
    expect(later.status).toBe(302);
  });
});

describe('setting up an authenticator app and recovery codes', () => {
  it('keeps the app’s secret only after a right code, shows ten recovery codes once, and each recovery code works once', async () => {
    const user = await aUser(t.db, { role: 'team_manager', teamId, enrolled: false });
    const { agent, step } = await passwordOnly(user);
    const page = await agent.get(step);
    expect(page.text).toContain('<svg');
    const secret = (/id="setup-key">([A-Z2-7 ]+)</.exec(page.text)?.[1] ?? '').replaceAll(' ', '');
    expect(secret).toHaveLength(32);

    const refused = await agent
      .post(step)
      .type('form')
      .send({ code: '12345', _csrf: csrfTokenFrom(page.text) });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The code must be 6 digits');
    expect((await t.db('users').where({ id: user.id }).first('totp_secret')).totp_secret).toBeNull();

    const enrolled = await agent
      .post(step)
      .type('form')
      .send({ code: currentCode(secret), _csrf: csrfTokenFrom(page.text) });
    expect(enrolled.status).toBe(200);
    const codes = [...enrolled.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((match) => match[1] as string);
    expect(codes).toHaveLength(10);
    const stored = (await t.db('recovery_codes').where({ user_id: user.id }).pluck('code_hash')) as string[];
    expect(stored).toHaveLength(10);
    for (const hash of stored) expect(hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    expect((await agent.get('/people')).status).toBe(200);

    const first = await passwordOnly({ ...user });
    const withRecoveryCode = await postCode(first.agent, (codes[3] as string).toUpperCase().replace('-', ' '));
    expect(withRecoveryCode.status).toBe(302);
    const landing = await first.agent.get('/');
    expect(landing.text).toContain('You have 9 recovery codes left');

    const second = await passwordOnly({ ...user });
    const again = await postCode(second.agent, codes[3] as string);
    expect(again.status).toBe(401);
    const actions = await t.db('audit_events').where({ user_id: user.id }).pluck('action');
    expect(actions).toEqual(expect.arrayContaining(['second_factor_enrolled', 'signed_in_with_recovery_code', 'second_factor_failed']));
  });

  it('lets an administrator reset someone’s app: audited, their sessions end, and they set up an app again at the next sign-in', async () => {
    const admin = await aUser(t.db, { role: 'admin' });
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const adminAgent = await signIn(t.app, admin.email, admin.password);
    const userAgent = await signIn(t.app, user.email, user.password);
    expect((await userAgent.get('/people')).status).toBe(200);

    const reset = await submitForm(adminAgent, `/admin/users/${user.id}/edit`, `/admin/users/${user.id}/reset-authenticator`, {});
    expect(reset.status).toBe(302);
    expect((await adminAgent.get('/admin/users')).text).toContain('authenticator app has been reset');
    const [event] = await t.db('audit_events').where({ action: 'second_factor_reset', entity_id: String(user.id) });
    expect(event).toMatchObject({ user_id: admin.id, entity_type: 'user', before: { had_authenticator: true } });
    expect((await t.db('users').where({ id: user.id }).first('totp_secret')).totp_secret).toBeNull();

    expect((await userAgent.get('/people')).headers.location).toBe('/sign-in');
    const { step } = await passwordOnly(user);
    expect(step).toBe('/sign-in/set-up-authenticator');
  });

  it('does not let anyone but an administrator reset an app', async () => {
    const manager = await aUser(t.db, { role: 'team_manager', teamId });
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const agent = await signIn(t.app, manager.email, manager.password);
    const token = csrfTokenFrom((await agent.get('/people')).text);
    const response = await agent.post(`/admin/users/${user.id}/reset-authenticator`).type('form').send({ _csrf: token });
    expect(response.status).toBe(403);
    expect((await t.db('users').where({ id: user.id }).first('totp_secret')).totp_secret).not.toBeNull();
  });
});

describe('counting wrong passwords', () => {
  it('counts a burst of 20 wrong passwords exactly: 5 are checked and refused as wrong, 15 are refused unchecked', async () => {
    const user = await aUser(t.db, { role: 'finance_officer' });
    const agent = request.agent(t.app);
    const token = csrfTokenFrom((await agent.get('/sign-in')).text);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        agent.post('/sign-in').type('form').send({ email: user.email, password: 'not-the-password', _csrf: token }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    const [counted] = (await t.db('sign_in_throttles').where('key', 'like', `account:${user.id}:address:%`).pluck('failures')) as number[];
    expect(counted).toBe(20);
    const actions = await t.db('audit_events').where({ user_id: user.id }).pluck('action');
    expect(actions.filter((action) => action === 'sign_in_failed')).toHaveLength(5);
    expect(actions.filter((action) => action === 'sign_in_refused_locked')).toHaveLength(15);

    // The right password, and then the right code, from another address still gets the owner in.
    const auth = authService(t.db, t.clock);
    const elsewhere = await auth.checkPassword(user.email, TEST_PASSWORD, '198.51.100.7', 'test');
    expect(elsewhere).toMatchObject({ ok: true, user: { id: user.id }, enrolled: true });
    expect(await auth.checkCode(user.id, currentCode(TEST_TOTP_SECRET), 'test')).toMatchObject({ ok: true });
    // ...while the address that failed is still refused, even with the right password.
    const fromThere = await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: user.password });
    expect(fromThere.status).toBe(429);
  });

  it('keeps no trace of a password typed into the email box', async () => {
    const typed = 'My-Secret-Passw0rd-Typed-Here';
    const agent = request.agent(t.app);
    const response = await submitForm(agent, '/sign-in', '/sign-in', { email: typed, password: typed });
    expect(response.status).toBe(401);
    const events = await t.db('audit_events').where({ action: 'sign_in_failed' }).select('*');
    expect(JSON.stringify(events)).not.toContain(typed);
    expect(JSON.stringify(events).toLowerCase()).not.toContain(typed.toLowerCase());
    expect(events.some((event) => event.entity_id === 'unknown account')).toBe(true);
    expect(JSON.stringify(await t.db('sign_in_throttles').select('*')).toLowerCase()).not.toContain(typed.toLowerCase());
  });

  it('records a failed sign-in for a real account by its id, not by what was typed', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const agent = request.agent(t.app);
    await submitForm(agent, '/sign-in', '/sign-in', { email: `  ${user.email.toUpperCase()}`, password: 'wrong' });
    const [event] = await t.db('audit_events').where({ action: 'sign_in_failed', user_id: user.id });
    expect(event).toMatchObject({ entity_type: 'user', entity_id: String(user.id) });
    expect(JSON.stringify(event)).not.toContain(user.email.toUpperCase());
  });
});
