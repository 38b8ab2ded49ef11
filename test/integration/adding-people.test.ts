import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, personFormFields } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryLinks, formFieldsFrom, inputValueOf } from '../support/page-forms.js';

let t: TestApp;
let northId: number;
let southId: number;
let careManager: Agent;
let admin: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  northId = (await aTeam(t.db, 'Adding North')).id;
  southId = (await aTeam(t.db, 'Adding South')).id;
  const user = await aUser(t.db, { role: 'care_manager', teamId: northId });
  careManager = await signIn(t.app, user.email, user.password);
  const administrator = await aUser(t.db, { role: 'admin' });
  admin = await signIn(t.app, administrator.email, administrator.password);
});
afterAll(() => t.drop());

const addedId = (location: string | undefined) => Number(/^\/people\/(\d+)$/.exec(location ?? '')?.[1]);
const personRow = async (id: number) => (await t.db('people').where({ id }).first()) as PersonRow;

/** The form an administrator saves on the council settings page, with the reference format changed. */
async function setReferenceFormat(referencePrefix: string, referenceDigits: string) {
  const response = await changeAndSubmit(admin, '/admin/settings', '/admin/settings', { referencePrefix, referenceDigits });
  expect(response.status, response.text.slice(0, 300)).toBe(302);
}

async function add(fields: Record<string, string>) {
  return submitForm(careManager, '/people/new', '/people', fields);
}

describe('council references given when a person is added', () => {
  it('no longer asks for the reference on the add form, but keeps it on the change form to correct it', async () => {
    const form = await careManager.get('/people/new');
    expect(form.text).not.toContain('name="reference"');
    const person = await aPerson(t.db, { teamId: northId });
    const edit = await careManager.get(`/people/${person.id}/edit`);
    expect(inputValueOf(edit.text, 'reference')).toBe(person.reference);
  });

  it('gives the next reference in the format from the council settings, and ignores a reference posted anyway', async () => {
    await setReferenceFormat('nl-', '7');
    const first = await add(personFormFields({ reference: 'TYPED-001' }));
    const second = await add(personFormFields());
    expect(first.status).toBe(302);
    const [one, two] = [await personRow(addedId(first.headers.location)), await personRow(addedId(second.headers.location))];
    expect(one.reference).toMatch(/^NL-\d{7}$/);
    expect(Number(two.reference.slice(3))).toBe(Number(one.reference.slice(3)) + 1);

    await setReferenceFormat('', '4');
    const third = await personRow(addedId((await add(personFormFields())).headers.location));
    expect(third.reference).toBe(String(Number(two.reference.slice(3)) + 1).padStart(4, '0'));
  });

  it('refuses a prefix that would not make a council reference, by its field', async () => {
    const response = await changeAndSubmit(admin, '/admin/settings', '/admin/settings', {
      referencePrefix: 'TOO LONG PREFIX',
      referenceDigits: '2',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#referencePrefix', 'The reference prefix must be up to 10 letters, numbers or hyphens, starting with a letter or number, like SD-'],
      ['#referenceDigits', 'The number of digits must be between 3 and 10'],
    ]);
  });

  it('passes over a number whose reference someone already has', async () => {
    await setReferenceFormat('SKIP-', '5');
    const before = await personRow(addedId((await add(personFormFields())).headers.location));
    const next = Number(before.reference.slice(5)) + 1;
    await aPerson(t.db, { teamId: southId, reference: `SKIP-${String(next).padStart(5, '0')}` });
    const after = await personRow(addedId((await add(personFormFields())).headers.location));
    expect(after.reference).toBe(`SKIP-${String(next + 1).padStart(5, '0')}`);
  });

  it('gives two people added at the same moment different references', async () => {
    await setReferenceFormat('SD-', '5');
    const page = await careManager.get('/people/new');
    const token = csrfTokenFrom(page.text);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        careManager
          .post('/people')
          .type('form')
          .send({ ...personFormFields(), _csrf: token }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual([302, 302, 302, 302, 302, 302]);
    const references = await Promise.all(
      responses.map(async (response) => (await personRow(addedId(response.headers.location))).reference),
    );
    expect(new Set(references).size).toBe(6);
  });
});

describe('the check for someone already on record', () => {
  it('asks "Is this a different person?" for the same name in any case and date of birth, showing the match, and saves nothing yet', async () => {
    const doris = await aPerson(t.db, {
      teamId: northId,
      givenName: 'Doris',
      familyName: 'Whitfield',
      dateOfBirth: '1938-03-14',
      postcode: 'LS6 2QB',
    });
    const people = await countRows(t.db, 'people');
    const response = await add(
      personFormFields({
        givenName: 'doris',
        familyName: 'WHITFIELD',
        'dateOfBirth[day]': '14',
        'dateOfBirth[month]': '3',
        'dateOfBirth[year]': '1938',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.text).toContain('This person may already have a record');
    expect(response.text).toContain('Is this a different person?');
    expect(response.text).toContain(`href="/people/${doris.id}"`);
    expect(response.text).toContain(doris.reference);
    expect(response.text).toContain('14 March 1938');
    expect(response.text).toContain('>Adding North<');
    expect(response.text).toContain('Same name and date of birth');
    expect(await countRows(t.db, 'people')).toBe(people);
  });

  it('asks for the same date of birth and postcode however the postcode is spaced, and confirming saves with what was typed', async () => {
    const existing = await aPerson(t.db, {
      teamId: northId,
      givenName: 'Olu',
      familyName: 'Oyelaran',
      dateOfBirth: '1941-07-02',
      postcode: 'BD1 1HY',
    });
    const typed = personFormFields({
      givenName: 'Ade',
      familyName: 'Oyelaran',
      'dateOfBirth[day]': '2',
      'dateOfBirth[month]': '7',
      'dateOfBirth[year]': '1941',
      postcode: 'bd11hy',
      address: '3 Mill Lane\r\nBradford',
      phone: '01274 496 000',
    });
    const question = await add(typed);
    expect(question.status).toBe(200);
    expect(question.text).toContain(`href="/people/${existing.id}"`);
    expect(question.text).toContain('Same date of birth and postcode');

    // Everything typed travels in the question's hidden fields, exactly as it was sent.
    const hidden = formFieldsFrom(question.text, '/people');
    for (const [name, value] of Object.entries(typed)) expect(hidden[name], name).toBe(value);

    const people = await countRows(t.db, 'people');
    const saved = await careManager
      .post('/people')
      .type('form')
      .send({ ...hidden, differentPerson: 'yes' });
    expect(saved.status).toBe(302);
    const id = addedId(saved.headers.location);
    expect(await countRows(t.db, 'people')).toBe(people + 1);
    expect(await personRow(id)).toMatchObject({
      given_name: 'Ade',
      postcode: 'BD1 1HY',
      address: '3 Mill Lane\r\nBradford',
      phone: '01274 496 000',
      date_of_birth: '1941-07-02',
    });
    const event = await t.db('audit_events').where({ person_id: id, action: 'person_created' }).first();
    expect(event.after.said_different_from).toEqual([existing.id]);
  });

  it('says a record exists in another team without its name, reference or team', async () => {
    const hidden = await aPerson(t.db, {
      teamId: southId,
      givenName: 'Secret',
      familyName: 'Southerner',
      dateOfBirth: '1936-01-09',
      postcode: 'HX1 1UJ',
    });
    const question = await add(
      personFormFields({
        givenName: 'Secret',
        familyName: 'Southerner',
        'dateOfBirth[day]': '9',
        'dateOfBirth[month]': '1',
        'dateOfBirth[year]': '1936',
      }),
    );
    expect(question.status).toBe(200);
    expect(question.text).toContain(
      'A record with the same name and date of birth, or the same date of birth and postcode, exists in another team',
    );
    expect(question.text).not.toContain(hidden.reference);
    expect(question.text).not.toContain(`/people/${hidden.id}`);
    expect(question.text).not.toContain('Adding South');
  });

  it('saves nothing when the answer is no, and says so', async () => {
    await aPerson(t.db, { teamId: northId, givenName: 'Ivy', familyName: 'Nolan', dateOfBirth: '1939-05-05' });
    const question = await add(
      personFormFields({
        givenName: 'Ivy',
        familyName: 'Nolan',
        'dateOfBirth[day]': '5',
        'dateOfBirth[month]': '5',
        'dateOfBirth[year]': '1939',
      }),
    );
    const people = await countRows(t.db, 'people');
    const audit = await countRows(t.db, 'audit_events');
    const cancelled = await careManager
      .post('/people')
      .type('form')
      .send({ ...formFieldsFrom(question.text, '/people'), differentPerson: 'no' });
    expect(cancelled.status).toBe(302);
    expect(cancelled.headers.location).toBe('/people');
    expect(await countRows(t.db, 'people')).toBe(people);
    expect(await countRows(t.db, 'audit_events')).toBe(audit);
    expect((await careManager.get('/people')).text).toContain('Ivy Nolan was not added');
  });

  it('asks again, with an error, when the question is not answered; "Change the details" opens the form with what was typed', async () => {
    await aPerson(t.db, { teamId: northId, givenName: 'Rhys', familyName: 'Evans', dateOfBirth: '1945-12-25' });
    const typed = personFormFields({
      givenName: 'Rhys',
      familyName: 'Evans',
      'dateOfBirth[day]': '25',
      'dateOfBirth[month]': '12',
      'dateOfBirth[year]': '1945',
    });
    const question = await add(typed);
    const hidden = formFieldsFrom(question.text, '/people');

    const unanswered = await careManager.post('/people').type('form').send(hidden);
    expect(unanswered.status).toBe(400);
    expect(errorSummaryLinks(unanswered.text)).toEqual([['#differentPerson', 'Select yes if this is a different person']]);
    expect(formFieldsFrom(unanswered.text, '/people').givenName).toBe('Rhys');

    const form = await careManager.post('/people/new').type('form').send(hidden);
    expect(form.status).toBe(200);
    expect(inputValueOf(form.text, 'givenName')).toBe('Rhys');
    expect(inputValueOf(form.text, 'dateOfBirth-day')).toBe('25');
    expect(inputValueOf(form.text, 'postcode')).toBe(typed.postcode);
    expect(form.text).not.toContain('name="askedIfDifferent"');
  });
});

describe('contact details needed only for the way they want to be contacted', () => {
  it('chooses no contact method for the user, and no box is marked optional or required until one is chosen', async () => {
    const form = await careManager.get('/people/new');
    expect(form.text).not.toMatch(/name="preferredContact"[^>]*checked/);
    expect(form.text).not.toContain('Phone number (optional)');
    expect(form.text).toContain('Needed if they want to be contacted by phone');
  });

  const cases: { chosen: string; cleared: Record<string, string>; saves: boolean; error?: [string, string] }[] = [
    {
      chosen: 'phone',
      cleared: { phone: '' },
      saves: false,
      error: ['#phone', 'Enter a phone number if they want to be contacted by phone'],
    },
    { chosen: 'email', cleared: { phone: '' }, saves: true },
    {
      chosen: 'email',
      cleared: { email: '' },
      saves: false,
      error: ['#email', 'Enter an email address if they want to be contacted by email'],
    },
    { chosen: 'phone', cleared: { email: '', address: '' }, saves: true },
    {
      chosen: 'letter',
      cleared: { address: '' },
      saves: false,
      error: ['#address', 'Enter their address if they want to be contacted by letter'],
    },
    { chosen: 'letter', cleared: { phone: '', email: '' }, saves: true },
  ];
  for (const { chosen, cleared, saves, error } of cases) {
    const without = Object.keys(cleared).join(' and ');
    it(`${saves ? 'saves' : 'refuses'} ${chosen} as the way to contact them without ${without}`, async () => {
      const response = await add(personFormFields({ preferredContact: chosen, ...cleared }));
      expect(response.status).toBe(saves ? 302 : 400);
      if (error) expect(errorSummaryLinks(response.text)).toEqual([error]);
    });
  }

  it('asks how they want to be contacted when nothing is chosen', async () => {
    const fields = personFormFields();
    delete fields.preferredContact;
    const response = await add(fields);
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#preferredContact', 'Select how they want to be contacted']]);
  });
});
