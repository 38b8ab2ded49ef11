import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { currentCode } from '../../src/auth/two-factor.js';
import { loadConfig } from '../../src/config.js';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, TEST_TOTP_SECRET, type TestUser } from '../support/builders.js';
import { editFormFields } from '../support/forms.js';
import { cookieHeader, csrfTokenFrom } from '../support/http.js';

/**
 * DESIGN.md's scale-out promise: the app keeps nothing in memory, so two instances on two ports
 * behind any load balancer serve one council. Both instances here share one database.
 */
let t: TestApp;
let careManager: TestUser;
let person: PersonRow;
const servers: Server[] = [];
let urls: [string, string];

function listen(app: ReturnType<typeof createApp>): Promise<string> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    servers.push(server);
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db);
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  person = await aPerson(t.db, { teamId: team.id, familyName: 'Shared' });
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' });
  const second = createApp({ config, db: t.db, sessionPool: t.sessionPool, logger: pino({ level: 'silent' }), clock: t.clock });
  urls = [await listen(t.app), await listen(second)];
});
afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await t.drop();
});

/** The password on one instance and the code on the other, so even a sign-in half done is shared. */
async function signInAt(url: string, codeUrl: string): Promise<string> {
  const page = await request(url).get('/sign-in');
  const password = await request(url)
    .post('/sign-in')
    .set('Cookie', cookieHeader(page.headers['set-cookie']))
    .type('form')
    .send({ email: careManager.email, password: careManager.password, _csrf: csrfTokenFrom(page.text) });
  expect(password.headers.location).toBe('/sign-in/code');
  const halfway = cookieHeader(page.headers['set-cookie'], password.headers['set-cookie']);
  const codePage = await request(codeUrl).get('/sign-in/code').set('Cookie', halfway);
  const code = await request(codeUrl)
    .post('/sign-in/code')
    .set('Cookie', halfway)
    .type('form')
    .send({ code: currentCode(TEST_TOTP_SECRET), _csrf: csrfTokenFrom(codePage.text) });
  expect(code.status).toBe(302);
  return cookieHeader(page.headers['set-cookie'], password.headers['set-cookie'], code.headers['set-cookie']);
}

describe('two instances on two ports', () => {
  it('share sessions: signed in on one, signed in on the other', async () => {
    const cookie = await signInAt(urls[0], urls[1]);
    const onSecond = await request(urls[1]).get('/people').set('Cookie', cookie);
    expect(onSecond.status).toBe(200);
    expect(onSecond.text).toContain('Signed in as');
  });

  it('refuse a conflicting write: the stale form on the second instance gets 409 and the first edit stays', async () => {
    const cookie = await signInAt(urls[0], urls[1]);
    const formOnFirst = await request(urls[0]).get(`/people/${person.id}/edit`).set('Cookie', cookie);
    const formOnSecond = await request(urls[1]).get(`/people/${person.id}/edit`).set('Cookie', cookie);
    const saved = await request(urls[0])
      .post(`/people/${person.id}/edit`)
      .set('Cookie', cookie)
      .type('form')
      .send({ ...editFormFields(person, { familyName: 'First' }), _csrf: csrfTokenFrom(formOnFirst.text) });
    expect(saved.status).toBe(302);
    const stale = await request(urls[1])
      .post(`/people/${person.id}/edit`)
      .set('Cookie', cookie)
      .type('form')
      .send({ ...editFormFields(person, { familyName: 'Second' }), _csrf: csrfTokenFrom(formOnSecond.text) });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Second');
    expect((await t.db('people').where({ id: person.id }).first()).family_name).toBe('First');
  });
});
