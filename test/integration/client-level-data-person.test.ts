import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, editFormFields, personFormFields } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { errorSummaryLinks, inlineErrorOf } from '../support/page-forms.js';

let t: TestApp;
let services: Services;
let teamId: number;
let otherTeamId: number;
let careManager: TestUser;
let agent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  teamId = (await aTeam(t.db)).id;
  otherTeamId = (await aTeam(t.db)).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  agent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

const personRow = async (id: number) => (await t.db('people').where({ id }).first()) as PersonRow;
const requestsOf = (personId: number) => t.db('support_requests').where({ person_id: personId }).orderBy('id');
const idFrom = (location: string | undefined) => Number(/^\/people\/(\d+)/.exec(location ?? '')?.[1]);

const statutoryFields = {
  gender: 'female',
  ethnicity: 'H',
  primarySupportReason: 'memory_cognition',
  accommodationStatus: 'tenant_council',
  employmentStatus: 'not_seeking_work',
  hasUnpaidCarer: 'yes',
};

describe('the person form’s statutory return section', () => {
  it('has the fields the return’s check page links to, by these exact ids', async () => {
    const person = await aPerson(t.db, { teamId });
    const page = await agent.get(`/people/${person.id}/edit`);
    expect(page.status).toBe(200);
    for (const id of [
      'gender',
      'ethnicity',
      'primarySupportReason',
      'accommodationStatus',
      'employmentStatus',
      'hasUnpaidCarer',
      'dateOfDeath-day',
    ]) {
      expect(page.text, id).toMatch(new RegExp(`id="${id}"`));
    }
    expect(page.text).toContain('For the statutory return');
  });

  it('adds a person with every statutory detail and their first request, received on the referral date by the route chosen', async () => {
    const response = await submitForm(
      agent,
      '/people/new',
      '/people',
      personFormFields({ ...statutoryFields, routeOfAccess: 'discharge_from_hospital' }),
    );
    expect(response.status, response.text.slice(0, 500)).toBe(302);
    const id = idFrom(response.headers.location);
    expect(await personRow(id)).toMatchObject({
      gender: 'female',
      ethnicity: 'H',
      primary_support_reason: 'memory_cognition',
      accommodation_status: 'tenant_council',
      employment_status: 'not_seeking_work',
      has_unpaid_carer: true,
      date_of_death: null,
    });
    expect(await requestsOf(id)).toMatchObject([
      { received_on: '2026-01-05', route_of_access: 'discharge_from_hospital', outcome: null, recorded_by: careManager.id },
    ]);
    const events = await t.db('audit_events').where({ person_id: id });
    expect(events.map((event) => event.action as string)).toEqual(['person_created']);
    expect(events[0].after).toMatchObject({
      gender: 'female',
      first_request: { route_of_access: 'discharge_from_hospital', outcome: null },
    });

    const page = await agent.get(`/people/${id}`);
    expect(page.text).toContain('Support with memory and cognition');
    expect(page.text).toContain('Asian or Asian British: Indian');
    expect(page.text).toContain('Discharge from hospital');
    expect(page.text).toMatch(/govuk-tag[^>]*>\s*Open/);
  });

  it('leaves every statutory detail empty when none is given, "not asked" for an unpaid carer', async () => {
    const response = await submitForm(agent, '/people/new', '/people', personFormFields());
    const row = await personRow(idFrom(response.headers.location));
    expect(row).toMatchObject({ gender: null, ethnicity: null, primary_support_reason: null, has_unpaid_carer: null, date_of_death: null });
  });

  it('asks how the request reached the council, none chosen at first, and saves nothing without it', async () => {
    const form = await agent.get('/people/new');
    expect(form.text).not.toMatch(/name="routeOfAccess"[^>]*checked/);
    const people = await countRows(t.db, 'people');
    const response = await submitForm(agent, '/people/new', '/people', personFormFields({ routeOfAccess: '' }));
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#routeOfAccess', 'Select how the request for support reached the council']]);
    expect(await countRows(t.db, 'people')).toBe(people);
  });

  const refused: [string, Record<string, string | string[]>, string, string][] = [
    ['an unknown gender code', { gender: 'martian' }, '#gender', 'Select their gender from the list'],
    ['an unknown ethnicity code', { ethnicity: 'Q' }, '#ethnicity', 'Select their ethnicity from the list'],
    [
      'an unknown primary support reason',
      { primarySupportReason: "'; drop table people; --" },
      '#primarySupportReason',
      'Select their primary support reason from the list',
    ],
    ['an unknown accommodation status', { accommodationStatus: 'castle' }, '#accommodationStatus', 'Select where they live from the list'],
    [
      'an employment status posted twice',
      { employmentStatus: ['unknown', 'seeking_work'] },
      '#employmentStatus',
      'Select their employment status from the list',
    ],
    [
      'an unpaid carer answer that is not yes, no or not asked',
      { hasUnpaidCarer: 'maybe' },
      '#hasUnpaidCarer',
      'Select yes, no or not asked yet',
    ],
    [
      'an unknown route of access',
      { routeOfAccess: 'teleport' },
      '#routeOfAccess',
      'Select how the request for support reached the council',
    ],
    [
      'a date of death before the date of birth',
      {
        'dateOfBirth[day]': '4',
        'dateOfBirth[month]': '11',
        'dateOfBirth[year]': '1950',
        'dateOfDeath[day]': '3',
        'dateOfDeath[month]': '11',
        'dateOfDeath[year]': '1950',
      },
      '#dateOfDeath-day',
      'Date of death must be the same as or after their date of birth',
    ],
    [
      'a date of death in the future',
      { 'dateOfDeath[day]': '1', 'dateOfDeath[month]': '1', 'dateOfDeath[year]': '2030' },
      '#dateOfDeath-day',
      'Date of death must be today or in the past',
    ],
    [
      'a date of death without a month',
      { 'dateOfDeath[day]': '1', 'dateOfDeath[month]': '', 'dateOfDeath[year]': '2026' },
      '#dateOfDeath-day',
      'Date of death must include a month',
    ],
  ];
  for (const [problem, fields, anchor, message] of refused) {
    it(`refuses ${problem} by its field, keeping what was typed and saving nothing`, async () => {
      const people = await countRows(t.db, 'people');
      const response = await submitForm(
        agent,
        '/people/new',
        '/people',
        personFormFields({ givenName: 'Keepme', ...statutoryFields, ...fields }),
      );
      expect(response.status).toBe(400);
      expect(errorSummaryLinks(response.text)).toEqual([[anchor, message]]);
      expect(inlineErrorOf(response.text, anchor.slice(1).replace(/-day$/, ''))).toBe(message);
      expect(response.text).toMatch(/id="givenName"[^>]*value="Keepme"/);
      expect(await countRows(t.db, 'people')).toBe(people);
    });
  }

  it('changes the statutory details and audits them before and after, as every edit', async () => {
    const person = await aPerson(t.db, { teamId });
    const fields = editFormFields(person, {
      ...statutoryFields,
      hasUnpaidCarer: 'no',
      'dateOfDeath[day]': '2',
      'dateOfDeath[month]': '6',
      'dateOfDeath[year]': '2026',
    });
    const response = await submitForm(agent, `/people/${person.id}/edit`, `/people/${person.id}/edit`, fields);
    expect(response.status, response.text.slice(0, 500)).toBe(302);
    expect(await personRow(person.id)).toMatchObject({
      gender: 'female',
      has_unpaid_carer: false,
      date_of_death: '2026-06-02',
      version: 2,
    });
    const [event] = await t.db('audit_events').where({ person_id: person.id, action: 'person_updated' });
    expect(event.before).toMatchObject({ gender: null, has_unpaid_carer: null, date_of_death: null });
    expect(event.after).toMatchObject({ gender: 'female', ethnicity: 'H', has_unpaid_carer: false, date_of_death: '2026-06-02' });

    const edit = await agent.get(`/people/${person.id}/edit`);
    expect(edit.text).toMatch(/<option value="H" selected>/);
    expect(edit.text).toMatch(/id="hasUnpaidCarer-2"[^>]*value="no" checked/);
    expect(edit.text).toMatch(/id="dateOfDeath-day"[^>]*value="2"/);
    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('2 June 2026');
  });
});

describe('requests for support', () => {
  async function aRequest(personId: number, receivedOn = '2026-05-01') {
    const [row] = (await t
      .db('support_requests')
      .insert({ person_id: personId, received_on: receivedOn, route_of_access: 'community_other' })
      .returning('*')) as { id: number; version: number }[];
    return row as { id: number; version: number };
  }

  it('records a new request, listed on the person page newest first; saving it twice records one', async () => {
    const person = await aPerson(t.db, { teamId });
    const fields = { 'receivedOn[day]': '3', 'receivedOn[month]': '6', 'receivedOn[year]': '2026', routeOfAccess: 'prison' };
    const first = await submitForm(agent, `/people/${person.id}/requests/new`, `/people/${person.id}/requests`, fields);
    const again = await submitForm(agent, `/people/${person.id}/requests/new`, `/people/${person.id}/requests`, fields);
    expect([first.status, again.status]).toEqual([302, 302]);
    expect(first.headers.location).toBe(`/people/${person.id}#requests`);
    expect(await requestsOf(person.id)).toMatchObject([{ received_on: '2026-06-03', route_of_access: 'prison', outcome: null }]);
    expect(await countRows(t.db, 'audit_events', { person_id: person.id, action: 'support_request_recorded' })).toBe(1);
  });

  it('refuses a request received in the future or by an unknown route, by the field', async () => {
    const person = await aPerson(t.db, { teamId });
    const response = await submitForm(agent, `/people/${person.id}/requests/new`, `/people/${person.id}/requests`, {
      'receivedOn[day]': '1',
      'receivedOn[month]': '1',
      'receivedOn[year]': '2027',
      routeOfAccess: 'carrier_pigeon',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#receivedOn-day', 'Date the request was received must be today or in the past'],
      ['#routeOfAccess', 'Select how the request for support reached the council'],
    ]);
    expect(await requestsOf(person.id)).toEqual([]);
  });

  it('records the outcome with the date decided, audited before and after', async () => {
    const person = await aPerson(t.db, { teamId });
    const request = await aRequest(person.id);
    const url = `/people/${person.id}/requests/${request.id}/outcome`;
    const response = await submitForm(agent, url, url, {
      outcome: 'nfa_information_signposting',
      'decidedOn[day]': '8',
      'decidedOn[month]': '5',
      'decidedOn[year]': '2026',
      version: '1',
    });
    expect(response.status, response.text.slice(0, 500)).toBe(302);
    expect(await requestsOf(person.id)).toMatchObject([{ outcome: 'nfa_information_signposting', decided_on: '2026-05-08', version: 2 }]);
    const [event] = await t.db('audit_events').where({ person_id: person.id, action: 'support_request_decided' });
    expect(event.before).toMatchObject({ outcome: null });
    expect(event.after).toMatchObject({ outcome: 'nfa_information_signposting', decided_on: '2026-05-08' });
    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('No further action: information, advice or signposting only');
    expect(page.text).toContain('Decided 8 May 2026');
  });

  it('refuses an outcome decided before the request was received, or an unknown outcome', async () => {
    const person = await aPerson(t.db, { teamId });
    const request = await aRequest(person.id);
    const url = `/people/${person.id}/requests/${request.id}/outcome`;
    const early = { outcome: 'nfa_other', 'decidedOn[day]': '30', 'decidedOn[month]': '4', 'decidedOn[year]': '2026', version: '1' };
    const response = await submitForm(agent, url, url, early);
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#decidedOn-day', 'Date decided must be the same as or after the day the request was received, 1 May 2026'],
    ]);
    const unknown = await submitForm(agent, url, url, {
      ...early,
      outcome: 'went_fishing',
      'decidedOn[day]': '9',
      'decidedOn[month]': '5',
    });
    expect(errorSummaryLinks(unknown.text)).toEqual([['#outcome', 'Select what was decided']]);
    expect(await requestsOf(person.id)).toMatchObject([{ outcome: null, version: 1 }]);
  });

  it('returns a stale outcome with a 409 that keeps what was chosen, and overwrites nothing', async () => {
    const person = await aPerson(t.db, { teamId });
    const request = await aRequest(person.id);
    const url = `/people/${person.id}/requests/${request.id}/outcome`;
    const form = await agent.get(url);
    await services.supportRequests.decideRequest({ ...careManager, requestId: 'test' }, person.id, request.id, {
      outcome: 'progress_to_assessment',
      decidedOn: '2026-05-02',
      version: 1,
    });
    const response = await agent
      .post(url)
      .type('form')
      .send({
        outcome: 'nfa_support_declined',
        'decidedOn[day]': '3',
        'decidedOn[month]': '5',
        'decidedOn[year]': '2026',
        version: '1',
        _csrf: csrfTokenFrom(form.text),
      });
    expect(response.status).toBe(409);
    expect(response.text).toContain('No further action: support declined');
    expect(response.text).toContain('Went on to a needs assessment');
    expect(await requestsOf(person.id)).toMatchObject([{ outcome: 'progress_to_assessment', version: 2 }]);
  });

  it('cancels a request recorded in error: kept, labelled on the person page, and no longer open to an outcome', async () => {
    const person = await aPerson(t.db, { teamId });
    const request = await aRequest(person.id);
    const url = `/people/${person.id}/requests/${request.id}/cancel`;
    const response = await submitForm(agent, url, url, { version: '1' });
    expect(response.status).toBe(302);
    const [row] = await requestsOf(person.id);
    expect(row.cancelled_at).not.toBeNull();
    expect(await countRows(t.db, 'audit_events', { person_id: person.id, action: 'support_request_cancelled' })).toBe(1);
    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('Cancelled: recorded in error');
    expect(page.text).toContain('app-struck');
    expect(page.text).not.toContain(`/requests/${request.id}/outcome`);

    const outcomeUrl = `/people/${person.id}/requests/${request.id}/outcome`;
    const late = await submitForm(agent, outcomeUrl, outcomeUrl, {
      outcome: 'nfa_other',
      'decidedOn[day]': '9',
      'decidedOn[month]': '5',
      'decidedOn[year]': '2026',
      version: '2',
    });
    expect(late.status).toBe(400);
    expect(late.text).toContain('This request was cancelled as recorded in error, so it has no outcome');
  });

  it('treats another person’s request, or another team’s person, as not found', async () => {
    const person = await aPerson(t.db, { teamId });
    const someoneElse = await aPerson(t.db, { teamId });
    const request = await aRequest(someoneElse.id);
    expect((await agent.get(`/people/${person.id}/requests/${request.id}/outcome`)).status).toBe(404);
    const stranger = await aPerson(t.db, { teamId: otherTeamId });
    expect((await agent.get(`/people/${stranger.id}/requests/new`)).status).toBe(404);
  });
});

describe('a carer’s links to the people they care for', () => {
  const link = (carerId: number, reference: string) =>
    submitForm(agent, `/people/${carerId}/cares-for`, `/people/${carerId}/cares-for`, { reference });

  it('links people by council reference, shown on both pages, audited, and unlinks them', async () => {
    const carer = await aPerson(t.db, { teamId, clientGroup: 'carer', givenName: 'Carla' });
    const caredFor = await aPerson(t.db, { teamId, givenName: 'Cedric' });
    const response = await link(carer.id, caredFor.reference.toLowerCase());
    expect(response.status, response.text.slice(0, 500)).toBe(302);
    expect(await t.db('carer_links').where({ carer_id: carer.id }).select('cared_for_id')).toEqual([{ cared_for_id: caredFor.id }]);
    const [event] = await t.db('audit_events').where({ person_id: carer.id, action: 'carer_linked' });
    expect(event.after).toEqual({ carer_id: carer.id, cared_for_id: caredFor.id });

    const carerPage = await agent.get(`/people/${carer.id}`);
    expect(carerPage.text).toMatch(/Cares for<\/h2>[\s\S]*Cedric/);
    const caredForPage = await agent.get(`/people/${caredFor.id}`);
    expect(caredForPage.text).toMatch(/Their unpaid carers<\/h2>[\s\S]*Carla/);

    const page = await agent.get(`/people/${carer.id}/cares-for`);
    const removed = await agent
      .post(`/people/${carer.id}/cares-for/${caredFor.id}/remove`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) });
    expect(removed.status).toBe(302);
    expect(await countRows(t.db, 'carer_links', { carer_id: carer.id })).toBe(0);
    expect(await countRows(t.db, 'audit_events', { person_id: carer.id, action: 'carer_unlinked' })).toBe(1);
    expect((await agent.get(`/people/${caredFor.id}`)).text).not.toContain('Their unpaid carers');
  });

  it('refuses a fourth person, the carer themselves, someone already linked, and an unknown reference, by the field', async () => {
    const carer = await aPerson(t.db, { teamId, clientGroup: 'carer' });
    const three = [await aPerson(t.db, { teamId }), await aPerson(t.db, { teamId }), await aPerson(t.db, { teamId })];
    for (const person of three) expect((await link(carer.id, person.reference)).status).toBe(302);
    const fourth = await aPerson(t.db, { teamId });
    const stranger = await aPerson(t.db, { teamId: otherTeamId });
    const refusals: [string, string][] = [
      [fourth.reference, 'A carer can be linked to up to 3 people they care for: unlink someone first'],
      [carer.reference, 'A carer cannot be linked as caring for themselves'],
      [three[0]?.reference ?? '', `${three[0]?.given_name} ${three[0]?.family_name} is already linked to this carer`],
      ['NOBODY-999', 'No one you can see has the council reference NOBODY-999'],
      [stranger.reference, `No one you can see has the council reference ${stranger.reference}`],
      ['<script>', 'Council reference must be 3 to 20 letters, numbers or hyphens, like SD-00123'],
    ];
    for (const [reference, message] of refusals) {
      const response = await link(carer.id, reference);
      expect(response.status, reference).toBe(400);
      expect(errorSummaryLinks(response.text)).toEqual([['#reference', message]]);
    }
    expect(await countRows(t.db, 'carer_links', { carer_id: carer.id })).toBe(3);
  });

  it('keeps to three when four links are saved at the same moment', async () => {
    const carer = await aPerson(t.db, { teamId, clientGroup: 'carer' });
    const four = await Promise.all([1, 2, 3, 4].map(() => aPerson(t.db, { teamId })));
    const actor = { ...careManager, requestId: 'race' };
    const results = await Promise.allSettled(four.map((person) => services.carers.link(actor, carer.id, person.reference)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    expect(await countRows(t.db, 'carer_links', { carer_id: carer.id })).toBe(3);
  });

  it('has no "cares for" page for someone who is not a carer', async () => {
    const person = await aPerson(t.db, { teamId });
    expect((await agent.get(`/people/${person.id}/cares-for`)).status).toBe(404);
    expect((await agent.get(`/people/${person.id}`)).text).not.toContain('Cares for</h2>');
  });
});
