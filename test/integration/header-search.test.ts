import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, aTeam, aUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';
import { formsOn, type PageForm } from '../support/page-forms.js';

let t: TestApp;
let careManager: Agent;
let doris: { id: number };
let okafor: { id: number };

const TEAM = 'Header Search Team';

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db, TEAM);
  const other = await aTeam(t.db, 'Header Search Other Team');
  const user = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  careManager = await signIn(t.app, user.email, user.password);
  doris = await aPerson(t.db, {
    teamId: team.id,
    givenName: 'Doris',
    familyName: 'Whitfield',
    dateOfBirth: '1938-03-14',
    reference: 'HS-00001',
    postcode: 'WF1 2EB',
    nhsNumber: '9434765919',
  });
  okafor = await aPerson(t.db, { teamId: team.id, givenName: 'Chidi', familyName: 'Okafor', dateOfBirth: '1941-07-02' });
  // Near enough to everything above to be found, were the search not kept to the care manager's own team.
  await aPerson(t.db, { teamId: other.id, givenName: 'Hidden', familyName: 'Whitfield', dateOfBirth: '1938-03-14', postcode: 'WF1 2EB' });
  await aPerson(t.db, { teamId: other.id, givenName: 'Ruth', familyName: 'Elsewhere', reference: 'HS-00999' });
});
afterAll(() => t.drop());

/** The header's search form on a page: the same on every page a member of staff opens. */
function headerSearchOn(html: string): PageForm {
  const header = /<header\b[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';
  const [form] = formsOn(header);
  expect(form, 'a form in the header').toBeDefined();
  expect(header).toContain('role="search" aria-label="Find a person"');
  return form as PageForm;
}

/** What the header search finds for `q`, typed on the home page: the links to people and the whole page. */
async function findFromHeader(agent: Agent, q: string) {
  const home = await agent.get('/');
  expect(home.status).toBe(200);
  const form = headerSearchOn(home.text);
  expect(form.fields.map((field) => field.name)).toEqual(['q']);
  const response = await agent.get(form.action).query({ q });
  expect(response.status).toBe(200);
  const found = [...response.text.matchAll(/<a\b[^>]*href="\/people\/(\d+)"[^>]*>/g)].map((match) => Number(match[1]));
  return { found, page: response.text };
}

describe('the search box in the header', () => {
  it('is on every staff page, labelled, and sends a GET to the People search', async () => {
    for (const path of ['/', '/people', `/people/${doris.id}`, '/people/new', '/no-such-page']) {
      const page = await careManager.get(path);
      const form = headerSearchOn(page.text);
      expect(form.action).toBe('/people');
      expect(form.fields).toEqual([{ name: 'q', kind: 'text', type: 'search', labelled: true }]);
    }
  });

  it('is not shown to someone signed out', async () => {
    const page = await request(t.app).get('/sign-in');
    expect(page.text).not.toContain('Find a person');
  });

  const finds = [
    { format: 'a name, given name first', q: 'Doris Whitfield' },
    { format: 'a name, family name first', q: 'Whitfield Doris' },
    { format: 'a name with a comma', q: 'Whitfield, Doris' },
    { format: 'the start of a name', q: 'whitf' },
    { format: 'the council reference', q: 'HS-00001' },
    { format: 'the council reference in lower case', q: 'hs-00001' },
    { format: 'the NHS number, spaced as on a letter', q: '943 476 5919' },
    { format: 'the postcode', q: 'WF1 2EB' },
    { format: 'the postcode without its space', q: 'WF12EB' },
    { format: 'the postcode in lower case', q: 'wf1 2eb' },
    { format: 'the date of birth as 14/3/1938', q: '14/3/1938' },
    { format: 'the date of birth as 14-03-1938', q: '14-03-1938' },
    { format: 'the date of birth as 14 3 1938', q: '14 3 1938' },
    { format: 'the date of birth as 14 March 1938', q: '14 March 1938' },
    { format: 'the date of birth as 14 Mar 1938', q: '14 Mar 1938' },
    { format: 'the date of birth as 1938-03-14', q: '1938-03-14' },
  ];
  for (const { format, q } of finds) {
    it(`finds the person by ${format} ("${q}"), showing their team`, async () => {
      const { found, page } = await findFromHeader(careManager, q);
      expect(found).toEqual([doris.id]);
      expect(page).toContain(`>${TEAM}<`);
    });
  }

  it('finds Okafor from the near-miss spelling "Okafer"', async () => {
    const { found } = await findFromHeader(careManager, 'Okafer');
    expect(found).toEqual([okafor.id]);
  });

  it('does not find another team’s person for a care manager, by name, reference or postcode', async () => {
    expect((await findFromHeader(careManager, 'Ruth Elsewhere')).found).toEqual([]);
    expect((await findFromHeader(careManager, 'HS-00999')).found).toEqual([]);
    const byPostcode = await findFromHeader(careManager, 'WF1 2EB');
    expect(byPostcode.found).toEqual([doris.id]);
    expect(byPostcode.page).not.toContain('Hidden');
  });

  it('finds people in every team for a finance officer, each with their team', async () => {
    const finance = await aUser(t.db, { role: 'finance_officer' });
    const agent = await signIn(t.app, finance.email, finance.password);
    const { found, page } = await findFromHeader(agent, 'wf12eb');
    expect(found).toHaveLength(2);
    expect(page).toContain(`>${TEAM}<`);
    expect(page).toContain('>Header Search Other Team<');
  });
});
