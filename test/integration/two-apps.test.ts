import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { signIn } from '../support/http.js';

let first: TestApp;
let second: TestApp;
let firstUser: TestUser;
let secondUser: TestUser;

beforeAll(async () => {
  first = await buildTestApp();
  firstUser = await aUser(first.db, { role: 'care_manager', teamId: (await aTeam(first.db)).id });
  second = await buildTestApp();
  secondUser = await aUser(second.db, { role: 'care_manager', teamId: (await aTeam(second.db)).id });
});
afterAll(async () => {
  await first.drop();
  await second.drop();
});

describe('two apps in one process', () => {
  it('each signs people in against its own database and keeps them signed in', async () => {
    for (const [t, user] of [
      [first, firstUser],
      [second, secondUser],
    ] as const) {
      const agent = await signIn(t.app, user.email, user.password);
      const people = await agent.get('/people');
      expect(people.status).toBe(200);
      expect(people.text).toContain(user.displayName);
    }
  });
});
