import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { csrfTokenFrom, sessionCookie, signIn, type Agent } from '../support/http.js';

/** Every log line the app writes, parsed, so a test can look at what a request left behind. */
const logLines: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let t: TestApp;
let careManager: TestUser;
let agent: Agent;

beforeAll(async () => {
  t = await buildTestApp({ logger: pino({ level: 'info' }, logStream) });
  const team = await aTeam(t.db, 'North');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  agent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

function directives(csp: string | undefined): Map<string, string[]> {
  return new Map(
    (csp ?? '')
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values]),
  );
}

function nonceOf(csp: string | undefined): string {
  const source = directives(csp)
    .get('script-src')
    ?.find((value) => value.startsWith("'nonce-"));
  if (!source) throw new Error(`No nonce in script-src: ${csp}`);
  return source.slice("'nonce-".length, -1);
}

describe('content security policy', () => {
  it('names a fresh nonce in script-src on every response and never allows inline script', async () => {
    const first = await agent.get('/people');
    const second = await agent.get('/people');
    const signInPage = await request(t.app).get('/sign-in');

    for (const response of [first, second, signInPage]) {
      const csp = response.headers['content-security-policy'];
      expect(csp).toBeDefined();
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(directives(csp).get('script-src')).toContain("'self'");
      expect(nonceOf(csp)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    }
    const nonces = new Set([first, second, signInPage].map((response) => nonceOf(response.headers['content-security-policy'])));
    expect(nonces.size).toBe(3);
  });

  it('puts the response’s nonce on every script tag of a page', async () => {
    for (const response of [
      await agent.get('/people'),
      await agent.get('/people/new'),
      await request(t.app).get('/sign-in'),
      await agent.get('/no-such-page'),
    ]) {
      const nonce = nonceOf(response.headers['content-security-policy']);
      const scripts = [...response.text.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
      expect(response.text).not.toMatch(/\son[a-z]+="/);
    }
  });
});

describe('other security headers', () => {
  it('forbids framing and does not say what the server runs on', async () => {
    for (const response of [
      await agent.get('/people'),
      await request(t.app).get('/sign-in'),
      await request(t.app).get('/healthz'),
      await agent.get('/nowhere'),
    ]) {
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(directives(response.headers['content-security-policy']).get('frame-ancestors')).toEqual(["'none'"]);
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('pages that do not exist', () => {
  it('answers an unknown address with a 404 page in the service’s own style', async () => {
    const response = await agent.get('/no-such-page');

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(response.text).toContain('govuk-generic-header');
    expect(response.text).toContain('Example Council');
    expect(response.text).toContain('Signed in as');
  });

  it('answers a person id that is not a number with the same 404 page', async () => {
    const response = await agent.get('/people/not-a-number');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Page not found');
  });
});

describe('forms without a valid CSRF token', () => {
  it('are refused with the “form has expired” page in the service’s style, signed in or not, and change nothing', async () => {
    const auditBefore = await t.db('audit_events').count({ count: '*' });
    const responses = [
      await agent.post('/people').type('form').send({ givenName: 'Forged' }),
      await agent.post('/sign-out').type('form').send({ _csrf: 'forged' }),
      await request(t.app).post('/sign-in').type('form').send({ email: careManager.email, password: careManager.password }),
    ];
    for (const response of responses) {
      expect(response.status).toBe(403);
      expect(response.text).toContain('<h1 class="govuk-heading-l">Sorry, your form has expired</h1>');
      expect(response.text).toContain('govuk-generic-header');
      expect(response.text).not.toMatch(/Error:|\.ejs|node_modules/);
    }
    expect(responses[0]?.text).toContain('Signed in as');
    expect(await t.db('audit_events').count({ count: '*' })).toEqual(auditBefore);
    expect((await agent.get('/people')).status).toBe(200);
  });
});

describe('refused request bodies', () => {
  const refusals: [string, () => request.Test][] = [
    [
      'a form over the size limit',
      () =>
        request(t.app)
          .post('/sign-in')
          .type('form')
          .send({ email: 'x'.repeat(300_000), password: 'y' }),
    ],
    [
      'a form with too many fields',
      () =>
        request(t.app)
          .post('/sign-in')
          .type('form')
          .send(Object.fromEntries(Array.from({ length: 2100 }, (_, i) => [`field${i}`, 'v']))),
    ],
    [
      'a form in a character set the service does not read',
      () =>
        request(t.app).post('/sign-in').set('Content-Type', 'application/x-www-form-urlencoded; charset=koi8-r').send('email=a&password=b'),
    ],
  ];
  for (const [what, send] of refusals) {
    it(`answers ${what} with a 400 that shows no stack trace or template source`, async () => {
      const response = await send();
      expect(response.status).toBe(400);
      expect(response.text).toContain('Sorry, there is a problem with that request');
      expect(response.text).not.toMatch(/Error:|\.ejs|node_modules|\bat .+:\d+:\d+/);
    });
  }
});

describe('request logs', () => {
  it('log each request with its id but never the password typed or a cookie', async () => {
    const visitor = request.agent(t.app);
    const page = await visitor.get('/sign-in');
    const linesBefore = logLines.length;

    const wrong = await visitor
      .post('/sign-in')
      .type('form')
      .send({ email: careManager.email, password: 'Wrong-but-secret-9931', _csrf: csrfTokenFrom(page.text) });
    expect(wrong.status).toBe(401);
    const right = await visitor
      .post('/sign-in')
      .type('form')
      .send({ email: careManager.email, password: careManager.password, _csrf: csrfTokenFrom(wrong.text) });
    expect(right.status).toBe(302);
    const cookies = [...(page.headers['set-cookie'] as unknown as string[]), ...(right.headers['set-cookie'] as unknown as string[])];
    expect(sessionCookie(right.headers['set-cookie'])).toBeDefined();

    const written = logLines.slice(linesBefore);
    type Entry = { reqId?: string; method?: string; route?: string; status?: number; userId?: number | null };
    const entries = written.map((line) => JSON.parse(line) as Entry);
    const signIns = entries.filter((entry) => entry.method === 'POST' && entry.route === '/sign-in');
    expect(signIns.map((entry) => [entry.reqId, entry.status])).toEqual([
      [wrong.headers['x-request-id'], 401],
      [right.headers['x-request-id'], 302],
    ]);

    const log = written.join('\n');
    for (const secret of ['Wrong-but-secret-9931', careManager.password, careManager.email]) expect(log).not.toContain(secret);
    for (const cookie of cookies) {
      const value = cookie.slice(cookie.indexOf('=') + 1, cookie.indexOf(';'));
      expect(log).not.toContain(value);
      expect(log).not.toContain(decodeURIComponent(value));
    }
  });
});
