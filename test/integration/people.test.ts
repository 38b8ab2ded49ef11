import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, editFormFields, personFormFields, type FormFields } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { errorSummaryLinks, inlineErrorOf, inputValueOf } from '../support/page-forms.js';

let t: TestApp;
let north: { id: number; name: string };
let south: { id: number; name: string };
let careManager: TestUser;
let teamManager: TestUser;
let southCareManager: TestUser;
let careManagerAgent: Agent;
let teamManagerAgent: Agent;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Carol Manning' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Tom Mercer' });
  southCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id, displayName: 'Sam Southgate' });
  careManagerAgent = await signIn(t.app, careManager.email, careManager.password);
  teamManagerAgent = await signIn(t.app, teamManager.email, teamManager.password);
  const admin = await aUser(t.db, { role: 'admin' });
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

/** "Family, Given" for each person listed, in the order the page shows them. */
function namesListed(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*href="\/people\/\d+"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1] as string);
}

async function personRow(id: number): Promise<PersonRow> {
  return (await t.db('people').where({ id }).first()) as PersonRow;
}

async function auditEventsFor(personId: number, action: string) {
  return t.db('audit_events').where({ person_id: personId, action }).orderBy('id');
}

/** A team of its own with a signed-in care manager, so a search test sees only the rows it made. */
async function aTeamWithCareManager() {
  const team = await aTeam(t.db);
  const user = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  return { team, user, agent: await signIn(t.app, user.email, user.password) };
}

describe('adding a person', () => {
  it('saves every field from the form, redirects to the person, and audits it once with the request id', async () => {
    const fields = personFormFields({
      givenName: 'Margaret',
      familyName: 'Oyelaran',
      'dateOfBirth[day]': '4',
      'dateOfBirth[month]': '11',
      'dateOfBirth[year]': '1950',
      clientGroup: 'learning_disability',
      'referralDate[day]': '14',
      'referralDate[month]': '1',
      'referralDate[year]': '2026',
      address: '12 Cherry Lane, Leeds',
      postcode: 'ls1 5ab',
      phone: '07700 900 982',
      email: 'margaret@example.com',
      preferredContact: 'email',
      allocatedWorkerId: String(careManager.id),
    });
    const response = await submitForm(careManagerAgent, '/people/new', '/people', fields);

    expect(response.status).toBe(302);
    const id = Number(/^\/people\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    const saved = await personRow(id);
    // The next in the council's format (SD- and 5 digits unless an administrator changed them).
    expect(saved.reference).toMatch(/^SD-\d{5}$/);
    expect(saved).toMatchObject({
      given_name: 'Margaret',
      family_name: 'Oyelaran',
      date_of_birth: '1950-11-04',
      postcode: 'LS1 5AB',
      client_group: 'learning_disability',
      team_id: north.id,
      allocated_worker_id: careManager.id,
      address: '12 Cherry Lane, Leeds',
      phone: '07700 900 982',
      email: 'margaret@example.com',
      preferred_contact: 'email',
      referral_date: '2026-01-14',
      version: 1,
    });

    const events = await t.db('audit_events').where({ entity_type: 'person', entity_id: String(id) });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'person_created', user_id: careManager.id, person_id: id, before: null });
    expect(events[0].after).toMatchObject({ id, reference: saved.reference, family_name: 'Oyelaran', date_of_birth: '1950-11-04' });
    expect(events[0].request_id).toBe(response.headers['x-request-id']);
    expect(events[0].request_id).toMatch(/^[0-9a-f-]{36}$/);

    const page = await careManagerAgent.get(response.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Margaret Oyelaran');
    expect(page.text).toContain(saved.reference);
  });

  const invalidForms: {
    problem: string;
    fields: () => Promise<FormFields>;
    anchor: string;
    errorId: string;
    message: string;
    kept: RegExp;
  }[] = [
    {
      problem: 'a postcode that is not a UK postcode',
      fields: async () => ({ postcode: 'NOT A CODE' }),
      anchor: '#postcode',
      errorId: 'postcode-error',
      message: 'Enter a real UK postcode',
      kept: /id="postcode"[^>]*value="NOT A CODE"/,
    },
    {
      problem: 'a date of birth in the future',
      fields: async () => ({ 'dateOfBirth[day]': '1', 'dateOfBirth[month]': '2', 'dateOfBirth[year]': '2030' }),
      anchor: '#dateOfBirth-day',
      errorId: 'dateOfBirth-error',
      message: 'Date of birth must be in the past',
      kept: /id="dateOfBirth-year"[^>]*value="2030"/,
    },
    {
      problem: 'a date of birth that is not a real date',
      fields: async () => ({ 'dateOfBirth[day]': '31', 'dateOfBirth[month]': '2', 'dateOfBirth[year]': '1950' }),
      anchor: '#dateOfBirth-day',
      errorId: 'dateOfBirth-error',
      message: 'Date of birth must be a real date',
      kept: /id="dateOfBirth-day"[^>]*value="31"/,
    },
    {
      problem: 'an NHS number whose check digit does not match',
      fields: async () => ({ nhsNumber: '943 476 5918' }),
      anchor: '#nhsNumber',
      errorId: 'nhsNumber-error',
      message: 'Enter a real NHS number: its last digit does not match the nine before it, so one of them is mistyped',
      kept: /id="nhsNumber"[^>]*value="943 476 5918"/,
    },
    {
      problem: 'an NHS number that is not 10 digits',
      fields: async () => ({ nhsNumber: '943 476 591' }),
      anchor: '#nhsNumber',
      errorId: 'nhsNumber-error',
      message: 'Enter the NHS number as 10 digits, like 943 476 5919',
      kept: /id="nhsNumber"[^>]*value="943 476 591"/,
    },
    {
      problem: 'an NHS number another person already has',
      fields: async () => {
        await t
          .db('people')
          .where({ id: (await aPerson(t.db, { teamId: south.id })).id })
          .update({ nhs_number: '4010232137' });
        return { nhsNumber: '401-023-2137' };
      },
      anchor: '#nhsNumber',
      errorId: 'nhsNumber-error',
      message: 'That NHS number is already recorded for another person',
      kept: /id="nhsNumber"[^>]*value="401-023-2137"/,
    },
    {
      problem: 'no given name',
      fields: async () => ({ givenName: '   ' }),
      anchor: '#givenName',
      errorId: 'givenName-error',
      message: 'Enter given name',
      kept: /id="familyName"[^>]*value="Quartermaine"/,
    },
    {
      problem: 'a NUL byte in the family name, which the database cannot store',
      fields: async () => ({ familyName: 'Quarter\u0000maine' }),
      anchor: '#familyName',
      errorId: 'familyName-error',
      message: 'Family name must not include control characters',
      kept: /id="givenName"[^>]*value="Zebedee"/,
    },
    {
      problem: 'email as the preferred contact but no email address',
      fields: async () => ({ preferredContact: 'email', email: '' }),
      anchor: '#email',
      errorId: 'email-error',
      message: 'Enter an email address if they want to be contacted by email',
      kept: /id="givenName"[^>]*value="Zebedee"/,
    },
  ];

  for (const invalid of invalidForms) {
    it(`refuses ${invalid.problem} with a 400, points the error summary at the field, keeps what was typed and saves nothing`, async () => {
      const fields = personFormFields({ givenName: 'Zebedee', familyName: 'Quartermaine', ...(await invalid.fields()) });
      const peopleBefore = await countRows(t.db, 'people');
      const auditBefore = await countRows(t.db, 'audit_events');

      const response = await submitForm(careManagerAgent, '/people/new', '/people', fields);

      expect(response.status).toBe(400);
      expect(response.text).toContain('govuk-error-summary');
      expect(response.text).toMatch(new RegExp(`<a href="${invalid.anchor}">${invalid.message}`));
      expect(response.text).toMatch(new RegExp(`id="${invalid.errorId}"[^>]*>[^<]*<span[^>]*>Error:</span> ${invalid.message}`));
      expect(response.text).toMatch(invalid.kept);
      expect(response.text).toMatch(/id="address"[^>]*>1 Park Row, Leeds</);
      expect(await countRows(t.db, 'people')).toBe(peopleBefore);
      expect(await countRows(t.db, 'audit_events')).toBe(auditBefore);
    });
  }
});

describe('multi-line text', () => {
  it('keeps the line breaks and tabs typed in the address, a textarea, and refuses other control characters', async () => {
    const address = 'Flat 2\r\n\t12 Cherry Lane\r\nLeeds';
    const saved = await submitForm(careManagerAgent, '/people/new', '/people', personFormFields({ address }));
    expect(saved.status).toBe(302);
    const id = Number(saved.headers.location?.split('/').pop());
    expect((await personRow(id)).address).toBe(address);

    const refused = await submitForm(careManagerAgent, '/people/new', '/people', personFormFields({ address: 'Flat 2\u0007\r\nLeeds' }));
    expect(refused.status).toBe(400);
    expect(errorSummaryLinks(refused.text)).toEqual([['#address', 'Address must not include control characters']]);
    expect(inlineErrorOf(refused.text, 'address')).toBe('Address must not include control characters');
  });
});

describe('finding people', () => {
  it('treats a search box sent as a nested or repeated value as no search, not as an error', async () => {
    const response = await careManagerAgent.get('/people?q[name]=Ann&clientGroup=older_people&clientGroup=carer&page[x]=2');
    expect(response.status).toBe(200);
    expect(response.text).toContain('sorted by family name');
  });

  it('says in words that nobody is there, naming where it looked, rather than "0 people"', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, clientGroup: 'older_people' });
    const noneInGroup = await agent.get('/people').query({ clientGroup: 'learning_disability' });
    expect(noneInGroup.text).toContain('There is no one to list in your team in this client group.');
    expect(noneInGroup.text).not.toContain('0 people');

    const noneInTeam = await adminAgent.get('/people').query({ q: 'quorn', team: String(team.id) });
    expect(noneInTeam.text).toContain('No one in this team matches “quorn”. Check the spelling, or search by council reference.');
    expect(noneInTeam.text).not.toContain('0 people');
  });

  it('says where it counted, in the same words as when it finds nobody', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, givenName: 'Olive', familyName: 'Ogden', clientGroup: 'older_people' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Lena', familyName: 'Ogden', clientGroup: 'learning_disability' });
    const inGroup = await agent.get('/people').query({ clientGroup: 'older_people' });
    expect(inGroup.text).toContain('1 person in your team in this client group, sorted by family name');
    const matching = await agent.get('/people').query({ q: 'ogden', clientGroup: 'learning_disability' });
    expect(matching.text).toContain('1 person matching “ogden” in your team in this client group, closest first');

    const inTeam = await adminAgent.get('/people').query({ team: String(team.id) });
    expect(inTeam.text).toContain('2 people in this team, sorted by family name');
    const everywhere = await adminAgent.get('/people').query({ q: 'ogden', team: String(team.id) });
    expect(everywhere.text).toContain('2 people matching “ogden” in this team, closest first');
  });

  it('finds people whose given or family name starts with every word typed', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, givenName: 'Ann', familyName: 'Smith' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Anne', familyName: 'Smithers' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Ann', familyName: 'Jones' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Bob', familyName: 'Smith' });

    const both = await agent.get('/people').query({ q: 'ann smi' });
    expect(both.status).toBe(200);
    expect(namesListed(both.text)).toEqual(['Smith, Ann', 'Smithers, Anne']);
    const oneWord = await agent.get('/people').query({ q: 'SMITH' });
    expect(namesListed(oneWord.text)).toEqual(['Smith, Ann', 'Smith, Bob', 'Smithers, Anne']);
    const nobody = await agent.get('/people').query({ q: 'quorn' });
    expect(namesListed(nobody.text)).toEqual([]);
    expect(nobody.text).toContain('No one in your team matches “quorn”. Check the spelling');
    expect(nobody.text).not.toContain('0 people');
  });

  it('finds a person by council reference, whatever the case typed', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, reference: 'REF-10001', givenName: 'Rita', familyName: 'Reference' });
    await aPerson(t.db, { teamId: team.id, reference: 'REF-10002', givenName: 'Other', familyName: 'Person' });

    const response = await agent.get('/people').query({ q: 'ref-10001' });
    expect(namesListed(response.text)).toEqual(['Reference, Rita']);
  });

  it('finds a person by NHS number however it is spaced, and shows it on their page as the NHS prints it', async () => {
    const { team, agent } = await aTeamWithCareManager();
    const nina = await aPerson(t.db, { teamId: team.id, givenName: 'Nina', familyName: 'Numbered' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Other', familyName: 'Person' });
    await t.db('people').where({ id: nina.id }).update({ nhs_number: '9434765919' });

    for (const q of ['9434765919', '943 476 5919', '943-476-5919']) {
      expect(namesListed((await agent.get('/people').query({ q })).text)).toEqual(['Numbered, Nina']);
    }
    expect(namesListed((await agent.get('/people').query({ q: '4857773457' })).text)).toEqual([]);
    expect((await agent.get(`/people/${nina.id}`)).text).toMatch(/NHS number\s*<\/dt>\s*<dd[^>]*>\s*943 476 5919/);
  });

  for (const q of ['2026-02-30', '31/02/2020', '1/13/2020', '29/02/2023']) {
    it(`says ${q} is not a real date with a 400, keeps it in the box and searches for nobody`, async () => {
      const peopleQueries: string[] = [];
      const recordPeopleQuery = (query: { sql: string }) => {
        if (/from "people"/.test(query.sql)) peopleQueries.push(query.sql);
      };
      t.db.on('query', recordPeopleQuery);
      const response = await careManagerAgent.get('/people').query({ q });
      t.db.off('query', recordPeopleQuery);

      const message = `${q} is not a real date: enter a date of birth like 14/3/1938, or a name, council reference or postcode`;
      expect(response.status).toBe(400);
      expect(errorSummaryLinks(response.text)).toEqual([['#q', message]]);
      expect(inlineErrorOf(response.text, 'q')).toBe(message);
      expect(inputValueOf(response.text, 'q')).toBe(q);
      expect(response.text).not.toContain('sorted by family name');
      expect(peopleQueries).toEqual([]);
    });
  }

  it('refuses a NUL byte in the search box with a 400 and a message by the box', async () => {
    const response = await careManagerAgent.get('/people').query({ q: 'Ann\u0000' });

    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#q', 'The search must not include control characters']]);
    expect(inlineErrorOf(response.text, 'q')).toBe('The search must not include control characters');
  });

  it('keeps the team and client group chosen when the search box is refused', async () => {
    const response = await adminAgent.get('/people').query({ q: '30/2/2026', team: String(south.id), clientGroup: 'carer' });

    expect(response.status).toBe(400);
    expect(response.text).toMatch(new RegExp(`<option value="${south.id}" selected>South</option>`));
    expect(response.text).toMatch(/<option value="carer" selected>/);
  });

  it('finds people by date of birth typed as d/m/yyyy', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, givenName: 'Dora', familyName: 'Born', dateOfBirth: '1950-11-04' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Dan', familyName: 'Born', dateOfBirth: '1950-04-11' });

    const response = await agent.get('/people').query({ q: '4/11/1950' });
    expect(namesListed(response.text)).toEqual(['Born, Dora']);
  });

  it('filters by client group', async () => {
    const { team, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: team.id, givenName: 'Cara', familyName: 'Carer', clientGroup: 'carer' });
    await aPerson(t.db, { teamId: team.id, givenName: 'Olive', familyName: 'Older', clientGroup: 'older_people' });

    const response = await agent.get('/people').query({ clientGroup: 'carer' });
    expect(namesListed(response.text)).toEqual(['Carer, Cara']);
  });

  it('pages a long list 50 at a time, sorted by family name, with the rest on page 2', async () => {
    const { team, agent } = await aTeamWithCareManager();
    const familyNames = Array.from({ length: 52 }, (_, i) => `Fam${String.fromCharCode(97 + ((i * 7) % 26))}${String(i).padStart(2, '0')}`);
    for (const familyName of familyNames) await aPerson(t.db, { teamId: team.id, givenName: 'Pat', familyName });
    const sorted = [...familyNames].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).map((name) => `${name}, Pat`);

    const first = await agent.get('/people');
    expect(first.text).toContain('52 people in your team');
    expect(namesListed(first.text)).toEqual(sorted.slice(0, 50));
    expect(first.text).toContain('href="/people?page=2"');

    const second = await agent.get('/people').query({ page: 2 });
    expect(second.status).toBe(200);
    expect(namesListed(second.text)).toEqual(sorted.slice(50));

    const pastTheEnd = await agent.get('/people').query({ page: 99999 });
    expect(pastTheEnd.status).toBe(200);
    expect(pastTheEnd.text).toContain('There are no more people');
    expect(pastTheEnd.text).toContain('href="/people?page=2"');
  });

  it('shows a care manager only their own team, even when they ask for another team', async () => {
    const mine = await aTeamWithCareManager();
    const theirs = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: mine.team.id, givenName: 'Vera', familyName: 'Visible' });
    await aPerson(t.db, { teamId: theirs.team.id, givenName: 'Hugo', familyName: 'Visible' });

    const list = await mine.agent.get('/people').query({ q: 'visible' });
    expect(namesListed(list.text)).toEqual(['Visible, Vera']);
    const askingForTheirs = await mine.agent.get('/people').query({ team: theirs.team.id });
    expect(namesListed(askingForTheirs.text)).toEqual(['Visible, Vera']);

    const finance = await aUser(t.db, { role: 'finance_officer' });
    const financeAgent = await signIn(t.app, finance.email, finance.password);
    const everyone = await financeAgent.get('/people').query({ q: 'visible' });
    expect(namesListed(everyone.text).sort()).toEqual(['Visible, Hugo', 'Visible, Vera']);
  });
});

describe('changing a person’s details', () => {
  it('saves an edit made on the current version and audits what it was and what it became', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const response = await submitForm(
      careManagerAgent,
      `/people/${person.id}/edit`,
      `/people/${person.id}/edit`,
      editFormFields(person, { phone: '0113 496 0999', address: 'Flat 2, 3 New Street' }),
    );

    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/people/${person.id}`);
    const after = await personRow(person.id);
    expect(after).toMatchObject({ phone: '0113 496 0999', address: 'Flat 2, 3 New Street', version: person.version + 1 });
    const events = await auditEventsFor(person.id, 'person_updated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ user_id: careManager.id, request_id: response.headers['x-request-id'] });
    expect(events[0].before).toMatchObject({ phone: person.phone, address: person.address, version: person.version });
    expect(events[0].after).toMatchObject({ phone: '0113 496 0999', address: 'Flat 2, 3 New Street', version: person.version + 1 });
  });

  it('returns a stale edit with a 409 that shows the saved values and what was typed, and overwrites nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id, familyName: 'Original' });
    const firstForm = await careManagerAgent.get(`/people/${person.id}/edit`);
    const secondForm = await teamManagerAgent.get(`/people/${person.id}/edit`);
    for (const form of [firstForm, secondForm]) expect(form.text).toContain(`name="version" value="${person.version}"`);

    const first = await careManagerAgent
      .post(`/people/${person.id}/edit`)
      .type('form')
      .send({ ...editFormFields(person, { familyName: 'Firstsaved' }), _csrf: csrfTokenFrom(firstForm.text) });
    expect(first.status).toBe(302);

    const second = await teamManagerAgent
      .post(`/people/${person.id}/edit`)
      .type('form')
      .send({ ...editFormFields(person, { familyName: 'Secondtyped', phone: '0113 496 0555' }), _csrf: csrfTokenFrom(secondForm.text) });

    expect(second.status).toBe(409);
    expect(second.text).toContain('Someone else changed');
    expect(second.text).toContain('Firstsaved');
    expect(second.text).toContain('Secondtyped');
    expect(second.text).toContain('0113 496 0555');
    expect(await personRow(person.id)).toMatchObject({ family_name: 'Firstsaved', phone: person.phone, version: person.version + 1 });
    expect(await auditEventsFor(person.id, 'person_updated')).toHaveLength(1);
  });

  it('refuses a council reference another person has, with a 400 and nothing saved', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const other = await aPerson(t.db, { teamId: south.id });
    const response = await submitForm(
      careManagerAgent,
      `/people/${person.id}/edit`,
      `/people/${person.id}/edit`,
      editFormFields(person, { reference: other.reference }),
    );

    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#reference"');
    expect(await personRow(person.id)).toEqual(person);
    expect(await auditEventsFor(person.id, 'person_updated')).toHaveLength(0);
  });

  it('lets a care manager change details of a person whose allocated worker has since left the team, and still names that worker', async () => {
    const leaver = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Lena Leaver' });
    const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: leaver.id });
    await t.db('users').where({ id: leaver.id }).update({ team_id: south.id });

    const response = await submitForm(
      careManagerAgent,
      `/people/${person.id}/edit`,
      `/people/${person.id}/edit`,
      editFormFields(person, { phone: '0113 496 0777' }),
    );

    expect(response.status, response.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).toBe(302);
    expect(await personRow(person.id)).toMatchObject({ phone: '0113 496 0777', allocated_worker_id: leaver.id });
    const page = await careManagerAgent.get(`/people/${person.id}`);
    expect(page.text).toMatch(/Allocated worker\s*<\/dt>\s*<dd[^>]*>\s*Lena Leaver/);
  });
});

describe('allocating a worker', () => {
  it('lets a team manager allocate a worker of the team, and audits the change', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const page = await teamManagerAgent.get(`/people/${person.id}/allocate`);
    expect(page.text).toContain('Carol Manning');
    expect(page.text).not.toContain('Sam Southgate');

    const response = await submitForm(teamManagerAgent, `/people/${person.id}/allocate`, `/people/${person.id}/allocate`, {
      allocatedWorkerId: String(careManager.id),
      version: String(person.version),
    });

    expect(response.status).toBe(302);
    expect(await personRow(person.id)).toMatchObject({ allocated_worker_id: careManager.id, version: person.version + 1 });
    const events = await auditEventsFor(person.id, 'person_allocated');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      user_id: teamManager.id,
      before: { allocated_worker_id: null },
      after: { allocated_worker_id: careManager.id },
    });
    const personPage = await teamManagerAgent.get(`/people/${person.id}`);
    expect(personPage.text).toMatch(/Allocated worker\s*<\/dt>\s*<dd[^>]*>\s*Carol Manning/);
  });

  it('refuses to allocate a worker from another team with a 400 and changes nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const response = await submitForm(teamManagerAgent, `/people/${person.id}/allocate`, `/people/${person.id}/allocate`, {
      allocatedWorkerId: String(southCareManager.id),
      version: String(person.version),
    });

    expect(response.status).toBe(400);
    expect(response.text).toContain('Select a worker from this team');
    expect(response.text).toContain('href="#allocatedWorkerId"');
    expect(await personRow(person.id)).toEqual(person);
    expect(await auditEventsFor(person.id, 'person_allocated')).toHaveLength(0);
  });
});

describe('the person page', () => {
  it('shows what has happened to the person, newest first, from the audit trail', async () => {
    const created = await submitForm(
      careManagerAgent,
      '/people/new',
      '/people',
      personFormFields({ givenName: 'Tina', familyName: 'Timeline' }),
    );
    const id = Number(created.headers.location?.split('/').pop());
    const person = await personRow(id);
    await submitForm(careManagerAgent, `/people/${id}/edit`, `/people/${id}/edit`, editFormFields(person, { phone: '0113 496 0123' }));
    await submitForm(teamManagerAgent, `/people/${id}/allocate`, `/people/${id}/allocate`, {
      allocatedWorkerId: String(careManager.id),
      version: String(person.version + 1),
    });

    const page = await careManagerAgent.get(`/people/${id}`);
    const timeline = /<ol class="app-timeline"[\s\S]*?<\/ol>/.exec(page.text)?.[0] ?? '';
    const entries = [...timeline.matchAll(/<strong>([^<]+)<\/strong>[\s\S]*?<p[^>]*>([^<]+)<\/p>/g)].map((m) => [
      m[1],
      m[2]?.replace(/.* by /, ''),
    ]);
    expect(entries).toEqual([
      ['Worker allocated', 'Tom Mercer'],
      ['Details changed', 'Carol Manning'],
      ['Person added', 'Carol Manning'],
    ]);
  });
});
