import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, type FormFields } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';

let t: TestApp;
let north: { id: number; name: string };
let south: { id: number; name: string };
let admin: TestUser;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  south = await aTeam(t.db, 'South');
  admin = await aUser(t.db, { role: 'admin' });
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

type UserRow = {
  id: number;
  email: string;
  display_name: string;
  password_hash: string;
  role: string;
  team_id: number | null;
  active: boolean;
  version: number;
};

async function userRow(id: number): Promise<UserRow> {
  return (await t.db('users').where({ id }).first()) as UserRow;
}

/** The edit form as the page fills it for the user as saved now. */
async function editFields(id: number, overrides: FormFields = {}): Promise<FormFields> {
  const user = await userRow(id);
  return {
    displayName: user.display_name,
    role: user.role,
    teamId: user.team_id === null ? '' : String(user.team_id),
    active: user.active ? 'yes' : 'no',
    version: String(user.version),
    ...overrides,
  };
}

function editUser(id: number, fields: FormFields) {
  return submitForm(adminAgent, `/admin/users/${id}/edit`, `/admin/users/${id}/edit`, fields);
}

async function sessionsOf(userId: number): Promise<number> {
  const [row] = (await t.db('session').whereRaw(`(sess->'passport'->>'user')::int = ?`, [userId]).count({ count: '*' })) as {
    count: string;
  }[];
  return Number(row?.count);
}

describe('adding a user', () => {
  it('creates a user with no password and shows a one-time link once, with which they set their own and sign in', async () => {
    const response = await submitForm(adminAgent, '/admin/users/new', '/admin/users', {
      displayName: 'Nadia Newcomer',
      email: 'Nadia.Newcomer@Example.gov.uk',
      role: 'care_manager',
      teamId: String(north.id),
    });

    expect(response.status).toBe(200);
    expect(response.text).toContain('Nadia Newcomer’s account has been created');
    const link = /value="https?:\/\/[^/"]+(\/set-password\/[A-Za-z0-9_-]{43})"/.exec(response.text)?.[1] as string;
    expect(link).toBeDefined();
    const row = (await t.db('users').where({ email: 'nadia.newcomer@example.gov.uk' }).first()) as UserRow;
    expect(row).toMatchObject({ display_name: 'Nadia Newcomer', role: 'care_manager', team_id: north.id, active: true, version: 1 });
    expect(row.password_hash).toBeNull();
    const token = link.split('/').pop() as string;
    expect(JSON.stringify(await t.db('set_password_links').where({ user_id: row.id }))).not.toContain(token);

    const events = await t.db('audit_events').where({ action: 'user_created', entity_id: String(row.id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      user_id: admin.id,
      after: { email: 'nadia.newcomer@example.gov.uk', role: 'care_manager', team_id: north.id },
    });
    expect(JSON.stringify(events[0])).not.toContain(token);

    const password = 'Nadia-chose-this-herself-7';
    const set = await submitForm(request.agent(t.app), link, link, { password, confirmPassword: password });
    expect(set.status).toBe(302);
    const hashed = await userRow(row.id);
    expect(hashed.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const newcomer = await signIn(t.app, 'nadia.newcomer@example.gov.uk', password);
    expect((await newcomer.get('/people')).status).toBe(200);
  });

  it('refuses an email address that already has an account, whatever its case, with a 400 and nothing saved', async () => {
    const existing = await aUser(t.db, { role: 'finance_officer' });
    const usersBefore = await countRows(t.db, 'users');

    const response = await submitForm(adminAgent, '/admin/users/new', '/admin/users', {
      displayName: 'Double Booked',
      email: existing.email.toUpperCase(),
      role: 'finance_officer',
      teamId: '',
    });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#email">A user with this email address already exists</a>');
    expect(response.text).toMatch(/id="displayName"[^>]*value="Double Booked"/);
    expect(await countRows(t.db, 'users')).toBe(usersBefore);
  });

  it('refuses a care manager or a team manager without a team, with a 400 and nothing saved', async () => {
    const usersBefore = await countRows(t.db, 'users');
    for (const role of ['care_manager', 'team_manager']) {
      const response = await submitForm(adminAgent, '/admin/users/new', '/admin/users', {
        displayName: 'No Team',
        email: `no.team.${role}@example.gov.uk`,
        role,
        teamId: '',
      });
      expect(response.status, role).toBe(400);
      expect(response.text).toContain('<a href="#teamId">Select a team for a care manager or team manager</a>');
    }
    expect(await countRows(t.db, 'users')).toBe(usersBefore);
  });
});

describe('changing a user', () => {
  it('changes role and team, audits before and after, and the change applies to their open session at once', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId: north.id });
    const southPerson = await aPerson(t.db, { teamId: south.id });
    const userAgent = await signIn(t.app, user.email, user.password);
    expect((await userAgent.get(`/people/${southPerson.id}`)).status).toBe(404);

    const response = await editUser(user.id, await editFields(user.id, { role: 'team_manager', teamId: String(south.id) }));

    expect(response.status).toBe(302);
    expect(await userRow(user.id)).toMatchObject({ role: 'team_manager', team_id: south.id, version: 2 });
    const events = await t.db('audit_events').where({ action: 'user_updated', entity_id: String(user.id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      user_id: admin.id,
      before: { role: 'care_manager', team_id: north.id, active: true },
      after: { role: 'team_manager', team_id: south.id, active: true },
    });
    expect((await userAgent.get(`/people/${southPerson.id}/allocate`)).status).toBe(200);
  });

  it('refuses to take the team away from a care manager, with a 400 and nothing saved', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId: north.id });
    const before = await userRow(user.id);

    const response = await editUser(user.id, await editFields(user.id, { teamId: '' }));

    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#teamId"');
    expect(await userRow(user.id)).toEqual(before);
  });

  it('deactivates a user, ends their open session at its next request, and audits it', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId: north.id });
    const userAgent = await signIn(t.app, user.email, user.password);
    expect((await userAgent.get('/people')).status).toBe(200);

    const response = await editUser(user.id, await editFields(user.id, { active: 'no' }));

    expect(response.status).toBe(302);
    expect(await userRow(user.id)).toMatchObject({ active: false });
    const next = await userAgent.get('/people');
    expect(next.status).toBe(302);
    expect(next.headers.location).toBe('/sign-in');
    expect(await sessionsOf(user.id)).toBe(0);
    const events = await t.db('audit_events').where({ action: 'user_deactivated', entity_id: String(user.id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ user_id: admin.id, before: { active: true }, after: { active: false } });

    const again = await submitForm(request.agent(t.app), '/sign-in', '/sign-in', { email: user.email, password: user.password });
    expect(again.status).toBe(401);
  });

  it('returns a stale user edit with a 409 that keeps what was typed, and overwrites nothing', async () => {
    const user = await aUser(t.db, { role: 'finance_officer', displayName: 'Original Name' });
    const firstForm = await adminAgent.get(`/admin/users/${user.id}/edit`);
    const secondForm = await adminAgent.get(`/admin/users/${user.id}/edit`);
    const fields = await editFields(user.id);

    const first = await adminAgent
      .post(`/admin/users/${user.id}/edit`)
      .type('form')
      .send({ ...fields, displayName: 'First Saved', _csrf: csrfTokenFrom(firstForm.text) });
    expect(first.status).toBe(302);
    const second = await adminAgent
      .post(`/admin/users/${user.id}/edit`)
      .type('form')
      .send({ ...fields, displayName: 'Second Typed', _csrf: csrfTokenFrom(secondForm.text) });

    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else changed this record');
    expect(second.text).toContain('Second Typed');
    expect(await userRow(user.id)).toMatchObject({ display_name: 'First Saved', version: 2 });
    expect(await countRows(t.db, 'audit_events', { action: 'user_updated', entity_id: String(user.id) })).toBe(1);
  });

  it('does not let an admin deactivate themselves or give up their own admin role', async () => {
    const before = await userRow(admin.id);
    const changes: FormFields[] = [{ active: 'no' }, { role: 'finance_officer' }];
    for (const change of changes) {
      const response = await editUser(admin.id, await editFields(admin.id, change));
      expect(response.status, JSON.stringify(change)).toBe(400);
      expect(response.text).toContain('You cannot remove your own administrator access');
    }
    expect(await userRow(admin.id)).toEqual(before);
    expect((await adminAgent.get('/admin/users')).status).toBe(200);
  });
});
