import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';

let t: TestApp;
let teamId: number;
let admin: TestUser;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  teamId = (await aTeam(t.db, 'North')).id;
  admin = await aUser(t.db, { role: 'admin' });
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

const strongPassword = 'Kettle-orbit-lantern-93';

/** An administrator's "Create a new set-password link" for the user; the path of the link shown. */
async function newLinkFor(userId: number): Promise<string> {
  const response = await submitForm(adminAgent, `/admin/users/${userId}/edit`, `/admin/users/${userId}/set-password-link`, {});
  expect(response.status).toBe(200);
  return /value="https?:\/\/[^/"]+(\/set-password\/[A-Za-z0-9_-]{43})"/.exec(response.text)?.[1] as string;
}

function setPassword(link: string, password: string, confirmPassword = password) {
  return submitForm(request.agent(t.app), link, link, { password, confirmPassword });
}

describe('set-password links', () => {
  it('works once: the password is set, the old one stops working, and the link then says it cannot be used', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const link = await newLinkFor(user.id);
    expect((await t.db('users').where({ id: user.id }).first('password_hash')).password_hash).toBeNull();
    const [created] = await t.db('audit_events').where({ action: 'password_link_created', entity_id: String(user.id) });
    expect(created).toMatchObject({ user_id: admin.id });

    const set = await setPassword(link, strongPassword);
    expect(set.status).toBe(302);
    expect(set.headers.location).toBe('/sign-in');
    const [event] = await t.db('audit_events').where({ action: 'password_set', entity_id: String(user.id) });
    expect(event).toMatchObject({ user_id: user.id });
    await signIn(t.app, user.email, strongPassword);

    const reopened = await request(t.app).get(link);
    expect(reopened.status).toBe(410);
    expect(reopened.text).toContain('This link cannot be used');
    const agent = request.agent(t.app);
    const page = await agent.get('/sign-in');
    const reused = await agent
      .post(link)
      .type('form')
      .send({ password: 'Another-fine-password-77', confirmPassword: 'Another-fine-password-77', _csrf: csrfTokenFrom(page.text) });
    expect(reused.status).toBe(410);
    const refusedOld = await submitForm(request.agent(t.app), '/sign-in', '/sign-in', {
      email: user.email,
      password: 'Another-fine-password-77',
    });
    expect(refusedOld.status).toBe(401);
  });

  it('expires 24 hours after it was made', async () => {
    const user = await aUser(t.db, { role: 'finance_officer' });
    const link = await newLinkFor(user.id);
    t.clock.advanceMinutes(24 * 60 - 1);
    expect((await request(t.app).get(link)).status).toBe(200);
    t.clock.advanceMinutes(1);
    expect((await request(t.app).get(link)).status).toBe(410);
  });

  it('stops working when a newer link is made', async () => {
    const user = await aUser(t.db, { role: 'finance_officer' });
    const first = await newLinkFor(user.id);
    const second = await newLinkFor(user.id);
    expect((await request(t.app).get(first)).status).toBe(410);
    expect((await request(t.app).get(second)).status).toBe(200);
  });

  it('refuses short, common and mismatched passwords with a message by the field, and sets nothing', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId, displayName: 'Maureen Oduya' });
    const link = await newLinkFor(user.id);
    const cases: [string, string, string, string][] = [
      ['Short-1', 'Short-1', 'password', 'Password must be 12 characters or more'],
      ['password1234', 'password1234', 'password', 'Choose a password that is harder to guess'],
      ['MaureenOduya', 'MaureenOduya', 'password', 'Choose a password that is harder to guess'],
      [strongPassword, `${strongPassword}x`, 'confirmPassword', 'The passwords do not match'],
    ];
    for (const [password, confirmPassword, field, message] of cases) {
      const response = await setPassword(link, password, confirmPassword);
      expect(response.status, password).toBe(400);
      expect(response.text).toContain(`<a href="#${field}">${message}`);
      expect(response.text).toMatch(new RegExp(`id="${field}-error"[^>]*>[^<]*<span[^>]*>Error:</span> ${message}`));
      expect(response.text).not.toContain(`value="${password}"`);
    }
    expect((await t.db('users').where({ id: user.id }).first('password_hash')).password_hash).toBeNull();
    expect((await request(t.app).get(link)).status).toBe(200);
  });
});

describe('changing your own password', () => {
  it('needs the current password, and ends the user’s other sessions but not this one', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId, password: 'First-careful-password-1' });
    const here = await signIn(t.app, user.email, user.password);
    const elsewhere = await signIn(t.app, user.email, user.password);

    const wrongCurrent = await submitForm(here, '/account/password', '/account/password', {
      currentPassword: 'not-my-password',
      newPassword: strongPassword,
      confirmPassword: strongPassword,
    });
    expect(wrongCurrent.status).toBe(400);
    expect(wrongCurrent.text).toContain('<a href="#currentPassword">Your current password is not right</a>');

    const weak = await submitForm(here, '/account/password', '/account/password', {
      currentPassword: user.password,
      newPassword: 'qwertyuiop123',
      confirmPassword: 'qwertyuiop123',
    });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('<a href="#newPassword">Choose a password that is harder to guess');

    const changed = await submitForm(here, '/account/password', '/account/password', {
      currentPassword: user.password,
      newPassword: strongPassword,
      confirmPassword: strongPassword,
    });
    expect(changed.status).toBe(302);
    expect((await here.get('/people')).status).toBe(200);
    expect((await elsewhere.get('/people')).headers.location).toBe('/sign-in');
    const [event] = await t.db('audit_events').where({ action: 'password_changed', user_id: user.id });
    expect(event).toMatchObject({ entity_id: String(user.id) });
    expect(JSON.stringify(event)).not.toContain(strongPassword);
    await signIn(t.app, user.email, strongPassword);
  });
});
