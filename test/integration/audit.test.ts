import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, editFormFields, personFormFields } from '../support/forms.js';
import { signIn, submitForm, type Agent } from '../support/http.js';

let t: TestApp;
let teamId: number;
let careManager: TestUser;
let admin: TestUser;
let careManagerAgent: Agent;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  teamId = (await aTeam(t.db, 'North')).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  admin = await aUser(t.db, { role: 'admin' });
  careManagerAgent = await signIn(t.app, careManager.email, careManager.password);
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

/** The audit entries listed on the admin search page, as "what" and "record" columns. */
function entriesListed(html: string): { what: string; record: string }[] {
  const table = /<table[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const rows = [...table.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1);
  return rows.map((row) => {
    const cells = [...(row[1] ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => (cell[1] ?? '').trim());
    return { what: cells[2] ?? '', record: cells[3] ?? '' };
  });
}

/** A raw event at a chosen instant: the table refuses changes, but inserts with a past time are allowed. */
async function anEventAt(occurredAt: string, entityId: string) {
  await t.db('audit_events').insert({ occurred_at: occurredAt, action: 'test_event', entity_type: 'test', entity_id: entityId });
}

describe('the audit trail is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on audit_events at the database', async () => {
    await anEventAt('2026-01-01T12:00:00Z', 'append-only');
    const before = await t.db('audit_events').orderBy('id');

    await expect(t.db('audit_events').where({ entity_id: 'append-only' }).update({ action: 'rewritten' })).rejects.toThrow(
      /append-only: UPDATE is not allowed/,
    );
    await expect(t.db('audit_events').where({ entity_id: 'append-only' }).delete()).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(t.db.raw('truncate audit_events')).rejects.toThrow(/append-only: TRUNCATE is not allowed/);

    expect(await t.db('audit_events').orderBy('id')).toEqual(before);
  });
});

describe('a change and its audit event are one transaction', () => {
  const failingAction = (action: string) => `
    create function fail_audit_insert() returns trigger language plpgsql as $$
    begin
      raise exception 'injected audit failure for %', new.action;
    end;
    $$;
    create trigger fail_audit_insert before insert on audit_events
      for each row when (new.action = '${action}') execute function fail_audit_insert();`;
  const removeFailure = `drop trigger if exists fail_audit_insert on audit_events; drop function if exists fail_audit_insert();`;

  it('rolls back an edit when its audit event cannot be written, with a 500 page that hides the error', async () => {
    const person: PersonRow = await aPerson(t.db, { teamId });
    await t.db.raw(failingAction('person_updated'));
    try {
      const response = await submitForm(
        careManagerAgent,
        `/people/${person.id}/edit`,
        `/people/${person.id}/edit`,
        editFormFields(person, { familyName: 'Neversaved' }),
      );

      expect(response.status).toBe(500);
      expect(response.text).toContain('Sorry, there is a problem with the service');
      expect(response.text).toContain('govuk-generic-header');
      expect(response.text).not.toContain('injected audit failure');
      expect(response.text).not.toMatch(/\bat .+:\d+:\d+/);
      expect(response.text).not.toContain('node_modules');
      expect(await t.db('people').where({ id: person.id }).first()).toEqual(person);
    } finally {
      await t.db.raw(removeFailure);
    }
  });

  it('rolls back a new person when their audit event cannot be written', async () => {
    const fields = personFormFields({ familyName: 'Rolledback' });
    const peopleBefore = await countRows(t.db, 'people');
    await t.db.raw(failingAction('person_created'));
    try {
      const response = await submitForm(careManagerAgent, '/people/new', '/people', fields);
      expect(response.status).toBe(500);
      expect(response.text).not.toContain('injected audit failure');
    } finally {
      await t.db.raw(removeFailure);
    }
    expect(await countRows(t.db, 'people')).toBe(peopleBefore);
    expect(await countRows(t.db, 'people', { family_name: 'Rolledback' })).toBe(0);
  });
});

describe('searching the audit trail', () => {
  it('finds every event about a person by their council reference, and only those', async () => {
    const created = await submitForm(careManagerAgent, '/people/new', '/people', personFormFields());
    const id = Number(created.headers.location?.split('/').pop());
    const person = (await t.db('people').where({ id }).first()) as PersonRow;
    await submitForm(careManagerAgent, `/people/${id}/edit`, `/people/${id}/edit`, editFormFields(person, { phone: '0113 496 0321' }));
    await submitForm(careManagerAgent, '/people/new', '/people', personFormFields());

    const response = await adminAgent.get('/admin/audit').query({ person: person.reference.toLowerCase() });

    expect(response.status).toBe(200);
    expect(response.text).toContain('2 entries');
    expect(entriesListed(response.text)).toEqual([
      { what: 'Details changed', record: `person ${id}` },
      { what: 'Person added', record: `person ${id}` },
    ]);
  });

  it('finds every event by a user from their email address', async () => {
    const user = await aUser(t.db, { role: 'care_manager', teamId });
    const agent = await signIn(t.app, user.email, user.password);
    const created = await submitForm(agent, '/people/new', '/people', personFormFields());
    const id = created.headers.location?.split('/').pop();

    const response = await adminAgent.get('/admin/audit').query({ user: user.email.toUpperCase() });

    expect(response.status).toBe(200);
    expect(response.text).toContain('2 entries');
    expect(entriesListed(response.text)).toEqual([
      { what: 'Person added', record: `person ${id}` },
      { what: 'Signed in', record: `user ${user.id}` },
    ]);
  });

  it('takes a date range as whole London days, in summer time and in winter', async () => {
    // 15 June 2001 in London (BST, UTC+1) runs from 23:00 UTC on the 14th to 22:59:59 UTC on the 15th.
    await anEventAt('2001-06-14T22:59:59Z', 'june-14-last-second');
    await anEventAt('2001-06-14T23:00:00Z', 'june-15-first-second');
    await anEventAt('2001-06-15T22:59:59Z', 'june-15-last-second');
    await anEventAt('2001-06-15T23:00:00Z', 'june-16-first-second');
    // In January London is on UTC.
    await anEventAt('2001-01-15T23:59:59Z', 'january-15-last-second');
    await anEventAt('2001-01-16T00:00:00Z', 'january-16-first-second');

    const june = await adminAgent
      .get('/admin/audit')
      .query({ 'from[day]': '15', 'from[month]': '6', 'from[year]': '2001', 'to[day]': '15', 'to[month]': '6', 'to[year]': '2001' });
    expect(june.status).toBe(200);
    expect(entriesListed(june.text).map((entry) => entry.record)).toEqual(['test june-15-last-second', 'test june-15-first-second']);

    const january = await adminAgent
      .get('/admin/audit')
      .query({ 'from[day]': '1', 'from[month]': '1', 'from[year]': '2001', 'to[day]': '15', 'to[month]': '1', 'to[year]': '2001' });
    expect(entriesListed(january.text).map((entry) => entry.record)).toEqual(['test january-15-last-second']);
  });

  it('refuses a date range that ends before it starts, with a 400 and the error summary', async () => {
    const response = await adminAgent
      .get('/admin/audit')
      .query({ 'from[day]': '10', 'from[month]': '3', 'from[year]': '2026', 'to[day]': '9', 'to[month]': '3', 'to[year]': '2026' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('govuk-error-summary');
    expect(response.text).toContain('<a href="#to-day">The to date must be the same as or after the from date</a>');
    expect(response.text).toMatch(/id="from-day"[^>]*value="10"/);
  });

  it('refuses a date that does not exist, with a 400 pointing at its day box', async () => {
    const response = await adminAgent.get('/admin/audit').query({ 'from[day]': '30', 'from[month]': '2', 'from[year]': '2026' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#from-day">The from date must be a real date</a>');
  });

  it('refuses a NUL byte in the council reference with a 400 and a message by the box, before any query', async () => {
    const response = await adminAgent.get('/admin/audit').query({ person: 'SD-\u000001001' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#person">Council reference must not include control characters</a>');
    expect(response.text).toMatch(
      /id="person-error"[^>]*>[^<]*<span[^>]*>Error:<\/span> Council reference must not include control characters/,
    );
  });
});
