import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { csrfTokenFrom, sessionCookie, signIn, submitForm } from '../support/http.js';

let t: TestApp;
let careManager: TestUser;

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db, 'North');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id });
});
afterAll(() => t.drop());

async function auditActions(entityId: string) {
  return (await t.db('audit_events').where({ entity_id: entityId }).orderBy('id').pluck('action')) as string[];
}

describe('signing in', () => {
  it('signs in with the right password and lands on the people list', async () => {
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const home = await agent.get('/').redirects(1);
    expect(home.status).toBe(200);
    expect(home.text).toContain('Signed in as');
    expect(await auditActions(String(careManager.id))).toContain('signed_in');
  });

  it('gives one generic message for a wrong password and for an unknown address', async () => {
    const agent = request.agent(t.app);
    const wrongPassword = await submitForm(agent, '/sign-in', '/sign-in', { email: careManager.email, password: 'not-it' });
    const unknown = await submitForm(agent, '/sign-in', '/sign-in', { email: 'nobody@example.gov.uk', password: 'not-it' });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    const message = 'Enter a correct email address and password';
    expect(wrongPassword.text).toContain(message);
    expect(unknown.text).toContain(message);
    expect(wrongPassword.text).toContain('govuk-error-summary');
    expect(wrongPassword.text).toContain(`value="${careManager.email}"`);
    await t.db('sign_in_throttles').delete();
  });

  it('asks for both fields with a 400 and keeps the address typed', async () => {
    const agent = request.agent(t.app);
    const response = await submitForm(agent, '/sign-in', '/sign-in', { email: 'someone@example.gov.uk', password: '' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Enter your password');
    expect(response.text).toContain('href="#password"');
    expect(response.text).toContain('value="someone@example.gov.uk"');
  });

  it('refuses a NUL byte in the email address with a 400 and a message by the box, keeping what was typed', async () => {
    const agent = request.agent(t.app);
    const response = await submitForm(agent, '/sign-in', '/sign-in', { email: `${careManager.email}\u0000`, password: 'not-it' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#email">Email address must not include control characters</a>');
    expect(response.text).toMatch(/id="email-error"[^>]*>[^<]*<span[^>]*>Error:<\/span> Email address must not include control characters/);
    expect(response.text).toContain(`value="${careManager.email}\u0000"`);
  });

  it('refuses a NUL byte in the password with a 400 and a message by the box', async () => {
    const agent = request.agent(t.app);
    const response = await submitForm(agent, '/sign-in', '/sign-in', { email: careManager.email, password: 'pass\u0000word' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#password">Password must not include control characters</a>');
    expect(response.text).toContain(`value="${careManager.email}"`);
  });

  it('gives a session id only at sign-in, never the one a visitor arrived with', async () => {
    const page = await request(t.app).get('/sign-in');
    expect(sessionCookie(page.headers['set-cookie'])).toBeUndefined();
    const csrfCookie = (page.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('selfdirect.csrf='))?.split(';')[0];
    const planted = 'selfdirect.sid=s%3Aplanted-by-someone-else.c2lnbmF0dXJl';
    const response = await request(t.app)
      .post('/sign-in')
      .set('Cookie', `${csrfCookie}; ${planted}`)
      .type('form')
      .send({ email: careManager.email, password: careManager.password, _csrf: csrfTokenFrom(page.text) });
    expect(response.status).toBe(302);
    const after = sessionCookie(response.headers['set-cookie']);
    expect(after).toBeDefined();
    expect(after).not.toBe(planted);
    const withPlanted = await request(t.app).get('/people').set('Cookie', planted);
    expect(withPlanted.status).toBe(302);
    expect(withPlanted.headers.location).toBe('/sign-in');
  });

  it('sets an httpOnly, SameSite=Lax session cookie with a 30-minute idle timeout', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    const signedIn = await agent
      .post('/sign-in')
      .type('form')
      .send({ email: careManager.email, password: careManager.password, _csrf: csrfTokenFrom(page.text) });
    const cookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('selfdirect.sid=')) ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const expires = new Date(/Expires=([^;]+)/i.exec(cookie)?.[1] ?? 0).getTime();
    expect(Math.round((expires - Date.now()) / 60_000)).toBe(30);
  });

  it('signs out, destroying the session', async () => {
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const people = await agent.get('/people');
    expect(people.status).toBe(200);
    const signOut = await agent
      .post('/sign-out')
      .type('form')
      .send({ _csrf: csrfTokenFrom(people.text) });
    expect(signOut.status).toBe(302);
    const after = await agent.get('/people');
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/sign-in');
    expect(await auditActions(String(careManager.id))).toContain('signed_out');
  });

  it('refuses a POST without a CSRF token with the 403 page', async () => {
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const response = await agent.post('/sign-out').type('form').send({});
    expect(response.status).toBe(403);
    expect(response.text).toContain('your form has expired');
    const still = await agent.get('/people');
    expect(still.status).toBe(200);
  });

  it('refuses a POST with a wrong CSRF token', async () => {
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const response = await agent.post('/sign-out').type('form').send({ _csrf: 'forged' });
    expect(response.status).toBe(403);
  });
});

describe('locking out', () => {
  it('refuses a sixth attempt from the address that failed 5 times, audits it by account id, and lets it try again 15 minutes later', async () => {
    const locked = await aUser(t.db, { role: 'care_manager', teamId: careManager.teamId });
    const agent = request.agent(t.app);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const response = await submitForm(agent, '/sign-in', '/sign-in', { email: locked.email, password: 'wrong' });
      expect(response.status).toBe(401);
      t.clock.advanceMinutes(1);
    }
    const rightPasswordWhileRefused = await submitForm(agent, '/sign-in', '/sign-in', { email: locked.email, password: locked.password });
    expect(rightPasswordWhileRefused.status).toBe(429);
    expect(rightPasswordWhileRefused.text).toContain('too many failed attempts to sign in. Wait 10 minutes');

    const actions = await auditActions(String(locked.id));
    expect(actions.filter((action) => action === 'sign_in_failed')).toHaveLength(5);
    expect(actions).toContain('sign_in_refused_locked');

    // The window runs 15 minutes from the first failure, which was five minutes ago.
    t.clock.advanceMinutes(9);
    const stillRefused = await submitForm(agent, '/sign-in', '/sign-in', { email: locked.email, password: locked.password });
    expect(stillRefused.status).toBe(429);
    t.clock.advanceMinutes(1);
    const again = await submitForm(agent, '/sign-in', '/sign-in', { email: locked.email, password: locked.password });
    expect(again.status).toBe(302);
    expect(again.headers.location).toBe('/sign-in/code');
  });

  it('keeps the count in the database, so a new app instance still refuses', async () => {
    const locked = await aUser(t.db, { role: 'care_manager', teamId: careManager.teamId });
    const agent = request.agent(t.app);
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await submitForm(agent, '/sign-in', '/sign-in', { email: locked.email, password: 'wrong' });
    }
    const { createApp } = await import('../../src/app.js');
    const { pino } = await import('pino');
    const { loadConfig } = await import('../../src/config.js');
    const restarted = createApp({
      config: loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' }),
      db: t.db,
      sessionPool: t.sessionPool,
      logger: pino({ level: 'silent' }),
      clock: t.clock,
    });
    const response = await submitForm(request.agent(restarted), '/sign-in', '/sign-in', { email: locked.email, password: locked.password });
    expect(response.status).toBe(429);
  });

  it('counts failures in a 15-minute window: 4 failures, a pause, then more are not refused', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId: careManager.teamId });
    const agent = request.agent(t.app);
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: 'wrong' });
    }
    t.clock.advanceMinutes(16);
    const fresh = await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: 'wrong' });
    expect(fresh.status).toBe(401);
    const ok = await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: user.password });
    expect(ok.status).toBe(302);
  });
});

describe('deactivated users', () => {
  it('stops a deactivated user’s open session at the next request', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId: careManager.teamId });
    const agent = await signIn(t.app, user.email, user.password);
    expect((await agent.get('/people')).status).toBe(200);
    await t.db('users').where({ id: user.id }).update({ active: false });
    const next = await agent.get('/people');
    expect(next.status).toBe(302);
    expect(next.headers.location).toBe('/sign-in');
  });
});
