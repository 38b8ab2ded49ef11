import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { createApp } from '../../src/app.js';
import { currentCode } from '../../src/auth/two-factor.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, TEST_TOTP_SECRET, type TestUser } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { cookieHeader, csrfTokenFrom, enterCode, sessionCookie, signIn, submitForm, type Agent } from '../support/http.js';

let t: TestApp;
let careManager: TestUser;
let admin: TestUser;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db, 'North');
  teamId = team.id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  admin = await aUser(t.db, { role: 'admin' });
});
afterAll(() => t.drop());

async function sessionRows(): Promise<number> {
  const [row] = (await t.db('session').count({ count: '*' })) as { count: string }[];
  return Number(row?.count);
}

/** The session row of an agent's cookie, so a test can age it as the passing hours would. */
function sessionIdOf(cookie: string): string {
  const signed = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return signed.slice(2, signed.lastIndexOf('.'));
}

/** The code step that follows a right password, answered as the test users' authenticator app would. */
async function passCodeStep(agent: Agent, passwordStep: Response): Promise<Response> {
  expect(passwordStep.headers.location).toBe('/sign-in/code');
  return enterCode(agent);
}

async function signedInWithCookie(user: TestUser): Promise<{ agent: Agent; sid: string }> {
  const agent = request.agent(t.app);
  const passwordStep = await submitForm(agent, '/sign-in', '/sign-in', { email: user.email, password: user.password });
  const response = await passCodeStep(agent, passwordStep);
  expect(response.status).toBe(302);
  const cookie = sessionCookie(response.headers['set-cookie']);
  if (!cookie) throw new Error('No session cookie at sign-in');
  return { agent, sid: sessionIdOf(cookie) };
}

async function setSignedInAt(sid: string, hoursAgo: number | null): Promise<void> {
  await t.db.raw(
    hoursAgo === null
      ? `update session set sess = (sess::jsonb - 'signedInAt')::json where sid = ?`
      : `update session set sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb(?::bigint))::json where sid = ?`,
    hoursAgo === null ? [sid] : [Date.now() - hoursAgo * 60 * 60 * 1000, sid],
  );
}

describe('sessions are stored from sign-in on', () => {
  it('adds no session row for 1,000 signed-out visits to the sign-in page, and signing in still works after them', async () => {
    const before = await sessionRows();
    for (let batch = 0; batch < 50; batch += 1) {
      const responses = await Promise.all(Array.from({ length: 20 }, () => request(t.app).get('/sign-in')));
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(sessionCookie(response.headers['set-cookie'])).toBeUndefined();
      }
    }
    // A protected page, a refused post and a wrong password, signed out, store nothing either.
    expect((await request(t.app).get('/people').query({ q: 'Smith' })).status).toBe(302);
    expect((await request(t.app).post('/sign-in').type('form').send({ email: 'x', password: 'y' })).status).toBe(403);
    const visitor = request.agent(t.app);
    expect((await submitForm(visitor, '/sign-in', '/sign-in', { email: careManager.email, password: 'not-the-password' })).status).toBe(
      401,
    );
    expect(await sessionRows()).toBe(before);

    const agent = await signIn(t.app, careManager.email, careManager.password);
    expect(await sessionRows()).toBe(before + 1);
    expect((await agent.get('/people')).status).toBe(200);
  }, 120_000); // a thousand requests on a machine shared with other test runs

  it('returns the user to the page they asked for before signing in', async () => {
    const person = await aPerson(t.db, { teamId });
    const agent = request.agent(t.app);
    const asked = await agent.get(`/people/${person.id}`);
    expect(asked.headers.location).toBe('/sign-in');
    const passwordStep = await submitForm(agent, '/sign-in', '/sign-in', { email: careManager.email, password: careManager.password });
    const signedIn = await passCodeStep(agent, passwordStep);
    expect(signedIn.headers.location).toBe(`/people/${person.id}`);
    const again = await signIn(t.app, careManager.email, careManager.password);
    expect((await again.get('/sign-in')).headers.location).toBe('/');
  });

  it('refuses a sign-in form token used without the cookie it was made for', async () => {
    const page = await request(t.app).get('/sign-in');
    const response = await request(t.app)
      .post('/sign-in')
      .type('form')
      .send({ email: careManager.email, password: careManager.password, _csrf: csrfTokenFrom(page.text) });
    expect(response.status).toBe(403);
  });

  it('refuses a signed-out form token once signed in, and one session’s token in another', async () => {
    const visitor = request.agent(t.app);
    const signedOutToken = csrfTokenFrom((await visitor.get('/sign-in')).text);
    await passCodeStep(
      visitor,
      await submitForm(visitor, '/sign-in', '/sign-in', { email: careManager.email, password: careManager.password }),
    );
    const other = await signIn(t.app, careManager.email, careManager.password);
    const otherToken = csrfTokenFrom((await other.get('/people')).text);
    for (const token of [signedOutToken, otherToken]) {
      expect((await visitor.post('/sign-out').type('form').send({ _csrf: token })).status).toBe(403);
    }
    expect((await visitor.get('/people')).status).toBe(200);
  });
});

describe('session lifetime', () => {
  it('signs the user out 10 hours after sign-in however busy they are, and says why on the sign-in page', async () => {
    const { agent, sid } = await signedInWithCookie(careManager);
    expect((await agent.get('/people')).status).toBe(200);
    await setSignedInAt(sid, 9.9);
    expect((await agent.get('/people')).status).toBe(200);

    await setSignedInAt(sid, 10.01);
    const ended = await agent.get('/people');
    expect(ended.status).toBe(302);
    expect(ended.headers.location).toBe('/sign-in?signedOut=expired');
    expect(await t.db('session').where({ sid }).first()).toBeUndefined();
    const signInPage = await agent.get(ended.headers.location as string);
    expect(signInPage.status).toBe(200);
    expect(signInPage.text).toContain('You have been signed out');
    expect(signInPage.text).toContain('You can stay signed in for up to 10 hours');
    expect((await agent.get('/people')).headers.location).toBe('/sign-in');
  });

  it('starts the 10 hours when a session without a sign-in time is first seen signed in', async () => {
    const { agent, sid } = await signedInWithCookie(careManager);
    await setSignedInAt(sid, null);
    expect((await agent.get('/people')).status).toBe(200);
    const row = (await t.db('session').where({ sid }).first()) as { sess: { signedInAt?: number } };
    expect(Math.abs((row.sess.signedInAt ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('still signs the user out after 30 minutes without a request', async () => {
    const { agent, sid } = await signedInWithCookie(careManager);
    expect((await agent.get('/people')).status).toBe(200);
    await t
      .db('session')
      .where({ sid })
      .update({ expire: t.db.raw(`now() - interval '1 second'`) });
    const idle = await agent.get('/people');
    expect(idle.status).toBe(302);
    expect(idle.headers.location).toBe('/sign-in');
  });
});

describe('session writes', () => {
  /** The row's transaction stamp, which any write changes even when it writes the same values. */
  async function sessionRow(sid: string): Promise<{ xmin: string; expire: Date; sess: { keptAliveAt?: number } }> {
    const row = (await t.db('session').where({ sid }).first(t.db.raw('xmin::text as xmin'), 'expire', 'sess')) as
      { xmin: string; expire: Date; sess: { keptAliveAt?: number } } | undefined;
    if (!row) throw new Error(`No session row ${sid}`);
    return row;
  }

  it('writes a busy session’s row at most once a minute, and the write a minute on moves the idle expiry on', async () => {
    const { agent, sid } = await signedInWithCookie(careManager);
    expect((await agent.get('/people')).status).toBe(200);
    const first = await sessionRow(sid);

    for (const minutes of [0, 0.5, 0.49]) {
      t.clock.advanceMinutes(minutes);
      const page = await agent.get('/people');
      expect(page.status).toBe(200);
      expect(sessionCookie(page.headers['set-cookie'])).toBeUndefined();
    }
    expect(await sessionRow(sid)).toEqual(first);

    // As if the last write were 25 minutes ago: the next one must give the full 30 minutes again.
    await t
      .db('session')
      .where({ sid })
      .update({ expire: t.db.raw(`now() + interval '5 minutes'`) });
    t.clock.advanceMinutes(0.01);
    const minuteOn = await agent.get('/people');
    expect(minuteOn.status).toBe(200);
    expect(sessionCookie(minuteOn.headers['set-cookie'])).toBeDefined();
    const written = await sessionRow(sid);
    expect(written.xmin).not.toBe(first.xmin);
    expect(written.sess.keptAliveAt).toBe(t.clock.now().getTime());
    expect(written.expire.getTime() - Date.now()).toBeGreaterThan(29 * 60_000);
  });

  it('still writes a change to the session at once, within the minute', async () => {
    const { agent, sid } = await signedInWithCookie(careManager);
    expect((await agent.get('/people')).status).toBe(200);
    await setSignedInAt(sid, null);
    const before = await sessionRow(sid);
    expect((await agent.get('/people')).status).toBe(200);
    const after = await sessionRow(sid);
    expect(after.xmin).not.toBe(before.xmin);
    expect(after.sess).toHaveProperty('signedInAt');
  });
});

/** Every GET route the app has, as its pattern, read from the app itself so a new route cannot be missed. */
function getRoutesOf(app: Express): string[] {
  type Layer = { route?: { path: unknown; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) return layer.route.methods.get && typeof layer.route.path === 'string' ? [layer.route.path] : [];
      return layer.handle?.stack ? walk(layer.handle.stack) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

describe('caching', () => {
  it('sends Cache-Control: no-store with every page and download a signed-in user can open, and with the sign-in page', async () => {
    const person = await aPerson(t.db, { teamId });
    const agent = await signIn(t.app, admin.email, admin.password);
    // The health check is for the load balancer and holds nothing personal.
    const routes = getRoutesOf(t.app).filter((route) => route !== '/sign-in' && route !== '/healthz');
    expect(routes.length).toBeGreaterThan(40);
    const statuses: number[] = [];
    for (const route of routes) {
      const path = route.replace(/:[A-Za-z]+/g, String(person.id));
      const response = await agent.get(path);
      statuses.push(response.status);
      expect(response.headers['cache-control'], `GET ${route} (${response.status})`).toBe('no-store');
    }
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(10);
    expect((await request(t.app).get('/sign-in')).headers['cache-control']).toBe('no-store');
  });
});

describe('TRUST_PROXY', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  function appTrusting(hops: string, secureCookies = false): Express {
    const config = {
      ...loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema', TRUST_PROXY: hops }),
      databaseUrl: database.url,
      secureCookies,
    };
    return createApp({ config, db: database.db, sessionPool: database.sessionPool, logger: pino({ level: 'silent' }), clock: t.clock });
  }

  /** The address a failed sign-in was counted against, as the app saw it. */
  async function addressSeen(app: Express, forwardedFor: string): Promise<string> {
    const agent = request.agent(app);
    const page = await agent.get('/sign-in');
    const response = await agent
      .post('/sign-in')
      .set('X-Forwarded-For', forwardedFor)
      .type('form')
      .send({ email: 'nobody@example.org', password: 'not-the-password', _csrf: csrfTokenFrom(page.text) });
    expect(response.status).toBe(401);
    const event = (await database.db('audit_events').where({ request_id: response.headers['x-request-id'] }).first()) as {
      after: { address: string };
    };
    return event.after.address;
  }

  it('ignores X-Forwarded-For by default, so a client cannot choose the address it is counted against', async () => {
    expect(loadConfig({ NODE_ENV: 'test' }).trustProxy).toBe(0);
    expect(await addressSeen(appTrusting('0'), '203.0.113.9')).toMatch(/127\.0\.0\.1$/);
  });

  it('believes only the nearest proxy with TRUST_PROXY=1, not addresses the client added in front', async () => {
    expect(await addressSeen(appTrusting('1'), '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('names the cookies with the __Host- prefix when cookies are Secure, as in production', async () => {
    const app = appTrusting('1', true);
    const user = await aUser(database.db, { role: 'admin' });
    const page = await request(app).get('/sign-in').set('X-Forwarded-Proto', 'https');
    const passwordStep = await request(app)
      .post('/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookieHeader(page.headers['set-cookie']))
      .type('form')
      .send({ email: user.email, password: user.password, _csrf: csrfTokenFrom(page.text) });
    expect(passwordStep.headers.location).toBe('/sign-in/code');
    const codePage = await request(app)
      .get('/sign-in/code')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookieHeader(page.headers['set-cookie'], passwordStep.headers['set-cookie']));
    const signedIn = await request(app)
      .post('/sign-in/code')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookieHeader(page.headers['set-cookie'], passwordStep.headers['set-cookie'], codePage.headers['set-cookie']))
      .type('form')
      .send({ code: currentCode(TEST_TOTP_SECRET), _csrf: csrfTokenFrom(codePage.text) });
    expect(signedIn.status).toBe(302);
    const responses = [page, passwordStep, codePage, signedIn];
    const cookies = responses.flatMap((response) => (response.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
    const ours = cookies.filter((cookie) => cookie.startsWith('__Host-selfdirect.'));
    expect([...new Set(ours.map((cookie) => cookie.slice(0, cookie.indexOf('='))))].sort()).toEqual([
      '__Host-selfdirect.csrf',
      '__Host-selfdirect.sid',
    ]);
    for (const cookie of ours) {
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\/(;|$)/i);
      expect(cookie).not.toMatch(/Domain=/i);
    }
    const people = await request(app)
      .get('/people')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookieHeader(...responses.map((response) => response.headers['set-cookie'])));
    expect(people.status).toBe(200);
  });

  it('refuses TRUST_PROXY=true with a message asking for a number', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: give the number of proxies/);
  });
});
