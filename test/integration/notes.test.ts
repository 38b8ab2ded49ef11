import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { errorSummaryOf, inlineErrorOf, inputValueOf } from '../support/page-forms.js';

// The test clock starts each test at 10:00 UTC (11:00 in London) on Monday 15 June 2026.
const logLines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  }),
);

let t: TestApp;
let careManager: TestUser;
let colleague: TestUser;
let otherTeamCareManager: TestUser;
let agent: Agent;
let colleagueAgent: Agent;
let otherTeamAgent: Agent;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp({ logger });
  const team = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  teamId = team.id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Carol Manning' });
  colleague = await aUser(t.db, { role: 'team_manager', teamId: team.id, displayName: 'Tess Manager' });
  otherTeamCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  agent = await signIn(t.app, careManager.email, careManager.password);
  colleagueAgent = await signIn(t.app, colleague.email, colleague.password);
  otherTeamAgent = await signIn(t.app, otherTeamCareManager.email, otherTeamCareManager.password);
});
afterAll(() => t.drop());
beforeEach(() => t.clock.set('2026-06-15T10:00:00Z'));

const aPhoneCall = (overrides: Record<string, string> = {}) => ({
  kind: 'phone_call',
  'contactDate[day]': '15',
  'contactDate[month]': '6',
  'contactDate[year]': '2026',
  contactTime: '9:30am',
  involved: 'Doris and her daughter',
  body: 'Doris fell on Saturday.\nHer daughter is staying for a week.',
  ...overrides,
});

async function addNote(person: PersonRow, fields: Record<string, string> = aPhoneCall()) {
  const response = await submitForm(agent, `/people/${person.id}/notes/new`, `/people/${person.id}/notes`, fields);
  expect(response.status, response.text.slice(0, 500)).toBe(302);
  return (await t.db('case_notes').where({ person_id: person.id }).orderBy('id', 'desc').first()) as {
    id: number;
    body: string;
    involved: string;
    kind: string;
    contact_at: Date;
    version: number;
  };
}

const newPerson = () => aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield', allocatedWorkerId: careManager.id });

describe('recording a note or contact', () => {
  it('adds a phone call to the person’s timeline, with who was involved and when, and audits it', async () => {
    const person = await newPerson();
    const response = await submitForm(agent, `/people/${person.id}/notes/new`, `/people/${person.id}/notes`, aPhoneCall());
    expect(response.headers.location).toBe(`/people/${person.id}#what-has-happened`);

    const note = await t.db('case_notes').where({ person_id: person.id }).first();
    expect(note).toMatchObject({ kind: 'phone_call', involved: 'Doris and her daughter', written_by: careManager.id, version: 1 });
    // 9:30am in London in June is 8:30 UTC.
    expect((note as { contact_at: Date }).contact_at.toISOString()).toBe('2026-06-15T08:30:00.000Z');

    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('<strong>Phone call</strong> With Doris and her daughter');
    expect(page.text).toContain('15 June 2026 at 9:30am');
    expect(page.text).toContain('Doris fell on Saturday.\nHer daughter is staying for a week.');
    expect(page.text).toContain('Recorded 15 June 2026 at 11:00am by Carol Manning');
    // Shown as itself, not again as an audit line.
    expect(page.text).not.toContain('Case note or contact recorded');

    const events = await t.db('audit_events').where({ person_id: person.id, action: 'case_note_added' });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ user_id: careManager.id, entity_type: 'case_note', entity_id: String(note.id) });
    expect((events[0] as { after: { body: string } }).after.body).toBe(note.body);
  });

  it('shows every problem at once, by its field, and keeps what was typed', async () => {
    const person = await newPerson();
    const empty = await submitForm(agent, `/people/${person.id}/notes/new`, `/people/${person.id}/notes`, {
      involved: 'Her son',
      'contactDate[day]': '31',
      'contactDate[month]': '2',
      'contactDate[year]': '2026',
      contactTime: '25:00',
    });
    expect(empty.status).toBe(400);
    expect(errorSummaryOf(empty.text)).toEqual([
      'Select what kind of contact or note this is',
      'The date of the contact must be a real date',
      'The time of the contact must be a real time, like 14:30 or 2:30pm',
      'Enter what happened',
    ]);
    expect(empty.text).toContain('href="#contactDate-day"');
    expect(inputValueOf(empty.text, 'involved')).toBe('Her son');
    expect(inputValueOf(empty.text, 'contactTime')).toBe('25:00');

    // 11:30 in London is later than now (11:00); a visit needs to say who was there.
    const later = await submitForm(
      agent,
      `/people/${person.id}/notes/new`,
      `/people/${person.id}/notes`,
      aPhoneCall({ kind: 'visit', contactTime: '11:30', involved: '' }),
    );
    expect(later.status).toBe(400);
    expect(errorSummaryOf(later.text)).toEqual(['The time of the contact must be now or in the past', 'Enter who was involved']);
    expect(inlineErrorOf(later.text, 'involved')).toBe('Enter who was involved');

    const tomorrow = await submitForm(
      agent,
      `/people/${person.id}/notes/new`,
      `/people/${person.id}/notes`,
      aPhoneCall({ 'contactDate[day]': '16', contactTime: '09:00' }),
    );
    expect(errorSummaryOf(tomorrow.text)).toEqual(['The date of the contact must be today or in the past']);
    expect(await countRows(t.db, 'case_notes', { person_id: person.id })).toBe(0);

    // A note of the worker's own needs nobody else.
    await addNote(person, aPhoneCall({ kind: 'note', involved: '', contactTime: '10:59' }));
    expect(await countRows(t.db, 'case_notes', { person_id: person.id })).toBe(1);
  });

  it('saves a double-clicked note once', async () => {
    const person = await newPerson();
    const page = await agent.get(`/people/${person.id}/notes/new`);
    const send = () =>
      agent
        .post(`/people/${person.id}/notes`)
        .type('form')
        .send({ ...aPhoneCall(), _csrf: csrfTokenFrom(page.text) });
    const responses = await Promise.all([send(), send()]);
    expect(responses.map((response) => response.status)).toEqual([302, 302]);
    expect(await countRows(t.db, 'case_notes', { person_id: person.id })).toBe(1);
  });

  it('never writes the note to the log', async () => {
    const person = await newPerson();
    const secret = 'Disclosed a private matter: Quillfeather-7731';
    await addNote(person, aPhoneCall({ body: secret, involved: 'Zebedee Inkwell' }));
    await agent.get(`/people/${person.id}/timeline?kind=notes`);
    const logs = logLines.join('\n');
    expect(logs).toContain('"route":"/people/:id/notes"');
    expect(logs).not.toContain('Quillfeather');
    expect(logs).not.toContain('Inkwell');
  });
});

describe('correcting a note', () => {
  it('lets the author correct it within 24 hours, keeping the original and the correction in the audit trail', async () => {
    const person = await newPerson();
    const note = await addNote(person);
    t.clock.advanceMinutes(23 * 60 + 59);

    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain(`href="/notes/${note.id}/edit">Correct this note`);
    const form = await agent.get(`/notes/${note.id}/edit`);
    expect(form.status).toBe(200);
    expect(inputValueOf(form.text, 'contactTime')).toBe('09:30');
    expect(inputValueOf(form.text, 'involved')).toBe('Doris and her daughter');

    const corrected = await submitForm(agent, `/notes/${note.id}/edit`, `/notes/${note.id}/edit`, {
      ...aPhoneCall({ body: 'Doris fell on Sunday, not Saturday.' }),
      version: '1',
    });
    expect(corrected.status).toBe(302);
    const after = await t.db('case_notes').where({ id: note.id }).first();
    expect(after).toMatchObject({ body: 'Doris fell on Sunday, not Saturday.', version: 2 });

    const [event] = await t.db('audit_events').where({ action: 'case_note_corrected', entity_id: String(note.id) });
    expect(event).toMatchObject({ user_id: careManager.id, person_id: person.id });
    const { before, after: changed } = event as { before: { body: string }; after: { body: string } };
    expect(before.body).toBe('Doris fell on Saturday.\nHer daughter is staying for a week.');
    expect(changed.body).toBe('Doris fell on Sunday, not Saturday.');
    expect((await agent.get(`/people/${person.id}`)).text).toContain('corrected 16 June 2026 at 10:59am');
  });

  it('sends a stale correction to the 409 page with what was typed, changing nothing', async () => {
    const person = await newPerson();
    const note = await addNote(person);
    await submitForm(agent, `/notes/${note.id}/edit`, `/notes/${note.id}/edit`, {
      ...aPhoneCall({ body: 'First correction' }),
      version: '1',
    });

    const stale = await submitForm(agent, `/notes/${note.id}/edit`, `/notes/${note.id}/edit`, {
      ...aPhoneCall({ body: 'From an older tab' }),
      version: '1',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('From an older tab');
    expect(stale.text).toContain('First correction');
    expect((await t.db('case_notes').where({ id: note.id }).first()).body).toBe('First correction');
  });

  it('refuses a correction after 24 hours: no link, and the form and the post are refused', async () => {
    const person = await newPerson();
    const note = await addNote(person);
    const token = csrfTokenFrom((await agent.get(`/notes/${note.id}/edit`)).text);
    t.clock.advanceMinutes(24 * 60);

    expect((await agent.get(`/people/${person.id}`)).text).not.toContain(`/notes/${note.id}/edit`);
    const form = await agent.get(`/notes/${note.id}/edit`);
    expect(form.status).toBe(403);
    expect(form.text).toContain('A note can be corrected for 24 hours after it was written');
    const post = await agent
      .post(`/notes/${note.id}/edit`)
      .type('form')
      .send({ ...aPhoneCall({ body: 'Too late' }), version: '1', _csrf: token });
    expect(post.status).toBe(403);
    expect((await t.db('case_notes').where({ id: note.id }).first()).body).not.toBe('Too late');
    expect(await countRows(t.db, 'audit_events', { action: 'case_note_corrected', entity_id: String(note.id) })).toBe(0);
  });

  it('refuses a correction by anyone but the author, even their team manager', async () => {
    const person = await newPerson();
    const note = await addNote(person);
    expect((await colleagueAgent.get(`/people/${person.id}`)).text).not.toContain(`/notes/${note.id}/edit`);
    expect((await colleagueAgent.get(`/notes/${note.id}/edit`)).status).toBe(403);
    const token = csrfTokenFrom((await colleagueAgent.get(`/people/${person.id}/notes/new`)).text);
    const post = await colleagueAgent
      .post(`/notes/${note.id}/edit`)
      .type('form')
      .send({ ...aPhoneCall({ body: 'Not mine to change' }), version: '1', _csrf: token });
    expect(post.status).toBe(403);
    expect(post.text).toContain('Only the person who wrote a note can correct it.');
    expect((await t.db('case_notes').where({ id: note.id }).first()).version).toBe(1);
  });
});

describe('another team’s care manager', () => {
  it('can neither read nor add notes about someone outside their team', async () => {
    const person = await newPerson();
    const note = await addNote(person, aPhoneCall({ body: 'Only for North to read' }));
    for (const path of [`/people/${person.id}`, `/people/${person.id}/timeline?kind=notes`, `/people/${person.id}/notes/new`]) {
      const response = await otherTeamAgent.get(path);
      expect(response.status, path).toBe(404);
      expect(response.text).not.toContain('Only for North to read');
    }
    expect((await otherTeamAgent.get(`/notes/${note.id}/edit`)).status).toBe(404);
    const token = csrfTokenFrom((await otherTeamAgent.get('/people')).text);
    const added = await otherTeamAgent
      .post(`/people/${person.id}/notes`)
      .type('form')
      .send({ ...aPhoneCall(), _csrf: token });
    expect(added.status).toBe(404);
    expect(await countRows(t.db, 'case_notes', { person_id: person.id })).toBe(1);
  });
});

describe('the full timeline', () => {
  it('filters by kind with a plain GET form, and pages 50 at a time keeping the filter', async () => {
    const person = await newPerson();
    await t.db('audit_events').insert([
      { user_id: careManager.id, action: 'review_scheduled', entity_type: 'review', entity_id: '1', person_id: person.id },
      { user_id: careManager.id, action: 'assessment_submitted', entity_type: 'assessment', entity_id: '1', person_id: person.id },
    ]);
    await addNote(person, aPhoneCall({ body: 'The one note' }));

    const all = await agent.get(`/people/${person.id}/timeline`);
    expect(all.status).toBe(200);
    expect(all.text).toContain('<form method="get" action="/people/' + String(person.id) + '/timeline"');
    for (const shown of ['The one note', 'Review scheduled', 'Assessment submitted']) expect(all.text).toContain(shown);

    const notes = await agent.get(`/people/${person.id}/timeline?kind=notes`);
    expect(notes.text).toContain('The one note');
    expect(notes.text).not.toContain('Review scheduled');
    expect(notes.text).toContain('<option value="notes" selected>');

    const reviews = await agent.get(`/people/${person.id}/timeline?kind=reviews`);
    expect(reviews.text).toContain('Review scheduled');
    expect(reviews.text).not.toContain('The one note');
    expect(reviews.text).not.toContain('Assessment submitted');

    const nonsense = await agent.get(`/people/${person.id}/timeline?kind=everything-please`);
    expect(nonsense.status).toBe(200);
    expect(nonsense.text).toContain('The one note');

    await t.db('case_notes').insert(
      Array.from({ length: 55 }, (_, index) => ({
        person_id: person.id,
        kind: 'note',
        contact_at: new Date(Date.UTC(2026, 4, 1, 9, index)),
        body: `Old note ${index}`,
        written_by: careManager.id,
        written_at: new Date(Date.UTC(2026, 4, 1, 9, index)),
      })),
    );
    const first = await agent.get(`/people/${person.id}/timeline?kind=notes`);
    expect(first.text).toContain('Showing 1 to 50 of 56 notes and contacts');
    expect(first.text).toContain(`href="/people/${person.id}/timeline?kind=notes&amp;page=2"`);
    const second = await agent.get(`/people/${person.id}/timeline?kind=notes&page=2`);
    expect(second.text).toContain('Showing 51 to 56 of 56 notes and contacts');
    expect(second.text).toContain('Old note 0');
    expect(second.text).not.toContain('The one note');
  });
});
