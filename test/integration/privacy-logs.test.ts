import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/web/errors.js';
import { setUpLocals } from '../../src/web/locals.js';
import { setUpLogging } from '../../src/web/logging.js';
import { setUpSecurity } from '../../src/web/security.js';
import { viewsDir } from '../../src/web/static.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, submitForm, type Agent } from '../support/http.js';

/** Every line the app's logger writes, as written. */
const logLines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  }),
);

type Line = { reqId?: string; method?: string; route?: string; status?: number; responseTimeMs?: number; userId?: number | null };

let t: TestApp;
let careManager: TestUser;
let agent: Agent;
let personId: number;

beforeAll(async () => {
  t = await buildTestApp({ logger });
  const team = await aTeam(t.db, 'North');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  const person = await aPerson(t.db, { teamId: team.id, givenName: 'Zebedee', familyName: 'Quillfeather', dateOfBirth: '1947-03-14' });
  personId = person.id;
  agent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

describe('request logs', () => {
  it('log a people search by name and by date of birth as the route alone, with no trace of what was searched for', async () => {
    const from = logLines.length;
    const byName = await agent.get('/people').query({ q: 'Quillfeather' });
    const byBirth = await agent.get('/people').query({ q: '14/03/1947' });
    const record = await agent.get(`/people/${personId}`);
    expect([byName.status, byBirth.status, record.status]).toEqual([200, 200, 200]);
    expect(byName.text).toContain('Quillfeather');
    expect(byBirth.text).toContain('Quillfeather');

    const written = logLines.slice(from);
    const lines = written.map((line) => JSON.parse(line) as Line);
    expect(lines.map(({ method, route, status, userId }) => ({ method, route, status, userId }))).toEqual([
      { method: 'GET', route: '/people', status: 200, userId: careManager.id },
      { method: 'GET', route: '/people', status: 200, userId: careManager.id },
      { method: 'GET', route: '/people/:id', status: 200, userId: careManager.id },
    ]);
    expect(lines.map((line) => line.reqId)).toEqual([byName, byBirth, record].map((response) => response.headers['x-request-id']));
    for (const line of lines) expect(line.responseTimeMs).toBeGreaterThanOrEqual(0);
    const log = written.join('\n');
    for (const trace of ['Quillfeather', 'Zebedee', '1947', '14/03', '14%2F03', `/people/${personId}`, 'q='])
      expect(log).not.toContain(trace);
  });

  it('keep what was typed into a refused form out of the log', async () => {
    const from = logLines.length;
    const refused = await submitForm(agent, '/people/new', '/people', {
      givenName: 'Zebedee',
      familyName: 'Quillfeather',
      postcode: 'LS1 4AP',
    });
    expect(refused.status).toBe(400);

    const written = logLines.slice(from);
    expect(written.map((line) => (JSON.parse(line) as Line).route)).toEqual(['/people/new', '/people']);
    const log = written.join('\n');
    for (const trace of ['Zebedee', 'Quillfeather', 'LS1', '_csrf']) expect(log).not.toContain(trace);
  });

  it('name no route, rather than the address, for a request that matched none', async () => {
    const from = logLines.length;
    expect((await agent.get('/people-named/Quillfeather')).status).toBe(404);
    const [line] = logLines.slice(from).map((entry) => JSON.parse(entry) as Line);
    expect(line).toMatchObject({ route: '(no route)', status: 404 });
    expect(logLines.slice(from).join('\n')).not.toContain('Quillfeather');
  });
});

describe('error logs', () => {
  /** The app's own logging and error page around a route that sends a person's name to PostgreSQL in a failing query. */
  function appFailingWith(sql: string) {
    const app = express();
    app.set('view engine', 'ejs');
    app.set('views', viewsDir);
    app.use(setUpLogging(logger));
    app.use(setUpSecurity(false));
    app.use(setUpLocals('Example Council', 10));
    app.get('/people/:id', async (_req, _res) => {
      await t.db.raw(sql, ['Zebedee Quillfeather', '1947-03-14']);
    });
    app.use(errorHandler);
    return app;
  }

  const failures: [string, string, number, string][] = [
    ['a value PostgreSQL refused', 'select ?::int, ?::date', 400, '22P02'],
    ['an unexpected database error', 'select ?::regclass, ?::date', 500, '42602'],
  ];
  for (const [what, sql, status, code] of failures) {
    it(`log ${what} by its class, code and route, without the SQL or its parameters`, async () => {
      const from = logLines.length;
      const response = await request(appFailingWith(sql)).get('/people/7');
      expect(response.status).toBe(status);

      const written = logLines.slice(from);
      const lines = written.map((line) => JSON.parse(line) as Line & { errorClass?: string; errorCode?: string });
      expect(lines.find((line) => line.errorCode)).toMatchObject({
        reqId: response.headers['x-request-id'],
        route: '/people/:id',
        status,
        errorClass: 'DatabaseError',
        errorCode: code,
      });
      expect(lines.at(-1)).toMatchObject({ method: 'GET', route: '/people/:id', status });
      const log = written.join('\n');
      for (const trace of ['Zebedee', 'Quillfeather', '1947', 'select', '::int', '::regclass', '$1', '/people/7', 'headers'])
        expect(log).not.toContain(trace);
    });
  }
});
