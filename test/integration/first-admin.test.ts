import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirstAdministrator } from '../../src/admin/service.js';
import { RuleError } from '../../src/errors.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aUser } from '../support/builders.js';
import { submitForm } from '../support/http.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.drop());

describe('the first administrator of a new installation', () => {
  it('gets a one-time link, not a password, sets their own password with it and is then asked to set up an authenticator app', async () => {
    const account = await createFirstAdministrator(t.db, t.clock, { email: 'first.admin@example.gov.uk', displayName: 'Pat First' });
    const stored = await t.db('users').where({ id: account.id }).first('role', 'password_hash', 'totp_secret');
    expect(stored).toEqual({ role: 'admin', password_hash: null, totp_secret: null });
    const [created] = await t.db('audit_events').where({ action: 'user_created', entity_id: String(account.id) });
    expect(created).toMatchObject({ user_id: null, request_id: 'command line' });

    const link = `/set-password/${account.setPasswordToken}`;
    const password = 'Quarry-violet-harbour-57';
    const set = await submitForm(request.agent(t.app), link, link, { password, confirmPassword: password });
    expect(set.status).toBe(302);

    const agent = request.agent(t.app);
    const signedIn = await submitForm(agent, '/sign-in', '/sign-in', { email: 'first.admin@example.gov.uk', password });
    expect(signedIn.headers.location).toBe('/sign-in/set-up-authenticator');
  });

  it('is refused once an active administrator exists, and nothing is added', async () => {
    await aUser(t.db, { role: 'admin' });
    const before = await t.db('users').count({ n: '*' }).first();
    await expect(createFirstAdministrator(t.db, t.clock, { email: 'second@example.gov.uk', displayName: 'Sam Second' })).rejects.toThrow(
      RuleError,
    );
    expect(await t.db('users').count({ n: '*' }).first()).toEqual(before);
  });
});
