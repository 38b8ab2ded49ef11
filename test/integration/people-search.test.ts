import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aPerson, aTeam, aUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { signIn, type Agent } from '../support/http.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.drop());

/** "Family, Given" for each person listed, in the order the page shows them. */
function namesListed(html: string): string[] {
  return [...html.matchAll(/<a\b[^>]*href="\/people\/\d+"[^>]*>([^<]+)<\/a>/g)].map((match) => match[1] as string);
}

const countLine = (html: string) => /<p class="govuk-body" id="result-count">([^<]*)<\/p>/.exec(html)?.[1];

/** A team of its own with a signed-in care manager, so each test sees only the people it made. */
async function aTeamWithCareManager(): Promise<{ teamId: number; agent: Agent }> {
  const team = await aTeam(t.db);
  const user = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  return { teamId: team.id, agent: await signIn(t.app, user.email, user.password) };
}

async function search(agent: Agent, q: string) {
  const response = await agent.get('/people').query({ q });
  expect(response.status).toBe(200);
  return namesListed(response.text);
}

describe('people search ranking', () => {
  it('lists an exact council reference first, then names that start with the word (the exact name first), then near misses', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Ada', familyName: 'Okaforth' });
    await aPerson(t.db, { teamId, givenName: 'Bola', familyName: 'Okafer' });
    await aPerson(t.db, { teamId, givenName: 'Chidi', familyName: 'Okafor' });
    await aPerson(t.db, { teamId, givenName: 'Zed', familyName: 'Zulu', reference: 'OKAFOR' });
    await aPerson(t.db, { teamId, givenName: 'Ann', familyName: 'Smith' });

    expect(await search(agent, 'okafor')).toEqual(['Zulu, Zed', 'Okafor, Chidi', 'Okaforth, Ada', 'Okafer, Bola']);
  });

  it('lists a name that is the word before those that only start with it, whether a family or a given name, with or without near misses', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Bob', familyName: 'Annand' });
    await aPerson(t.db, { teamId, givenName: 'Ann', familyName: 'Smith' });
    await aPerson(t.db, { teamId, givenName: 'Zac', familyName: 'Ann' });
    await aPerson(t.db, { teamId, givenName: 'Annie', familyName: 'Jones' });
    expect(await search(agent, 'ann')).toEqual(['Ann, Zac', 'Smith, Ann', 'Annand, Bob', 'Jones, Annie']);

    // Twenty who start with it fill the page, so near misses are not looked for.
    for (const givenName of ['Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ike', 'Jo', 'Kit', 'Lu', 'Mo', 'Ned', 'Oz', 'Pip', 'Quin', 'Roy'])
      await aPerson(t.db, { teamId, givenName, familyName: 'Annand' });
    const annands = ['Bob', 'Cy', 'Di', 'Ed', 'Flo', 'Gus', 'Hal', 'Ike', 'Jo', 'Kit', 'Lu', 'Mo', 'Ned', 'Oz', 'Pip', 'Quin', 'Roy'];
    const ranked = ['Ann, Zac', 'Smith, Ann', ...annands.map((given) => `Annand, ${given}`), 'Jones, Annie'];
    expect(await search(agent, 'ann')).toEqual(ranked);

    // The person whose council reference it is comes first, whatever their name, and once.
    await aPerson(t.db, { teamId, givenName: 'Zeb', familyName: 'Annand', reference: 'ANN' });
    expect(await search(agent, 'ann')).toEqual(['Annand, Zeb', ...ranked.slice(0, -1)]);
    await aPerson(t.db, { teamId, givenName: 'Yan', familyName: 'Young', reference: 'ANNAND' });
    // Nineteen do not fill the page: the closest near miss follows them.
    expect(await search(agent, 'annand')).toEqual(['Young, Yan', ...annands.map((given) => `Annand, ${given}`), 'Annand, Zeb', 'Ann, Zac']);
  });

  it('finds Okafor from the near miss "Okafer", after the Okafers spelt that way', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Chidi', familyName: 'Okafor' });
    await aPerson(t.db, { teamId, givenName: 'Bola', familyName: 'Okafer' });
    await aPerson(t.db, { teamId, givenName: 'Olu', familyName: 'Oyelaran' });

    expect(await search(agent, 'Okafer')).toEqual(['Okafer, Bola', 'Okafor, Chidi']);
  });

  it('puts the closest near miss first', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfold' });
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield' });

    expect(await search(agent, 'Dorris Whitfeld')).toEqual(['Whitfield, Doris', 'Whitfold, Doris']);
  });

  it('finds "Whitfield, Doris", "Doris Whitfield" and "whit dor" alike', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield' });
    await aPerson(t.db, { teamId, givenName: 'Doreen', familyName: 'Blake' });
    await aPerson(t.db, { teamId, givenName: 'Walter', familyName: 'Whitfield' });

    for (const q of ['Whitfield, Doris', 'Doris Whitfield', 'whit dor', 'WHITFIELD DORIS']) {
      expect(await search(agent, q)).toEqual(['Whitfield, Doris']);
    }
  });

  it('finds people by date of birth typed in each of the usual ways', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield', dateOfBirth: '1938-03-14' });
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Other', dateOfBirth: '1938-03-15' });

    for (const q of ['14/3/1938', '14 3 1938', '14 March 1938', '14 Mar 1938', '1938-03-14']) {
      expect(await search(agent, q)).toEqual(['Whitfield, Doris']);
    }
  });

  it('narrows a name by the date of birth typed with it', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield', dateOfBirth: '1938-03-14' });
    await aPerson(t.db, { teamId, givenName: 'Doris', familyName: 'Whitfield', dateOfBirth: '1941-07-02', reference: 'DW-00002' });
    await aPerson(t.db, { teamId, givenName: 'Walter', familyName: 'Stone', dateOfBirth: '1938-03-14' });

    const response = await agent.get('/people').query({ q: 'Whitfield 14/3/1938' });
    expect(namesListed(response.text)).toEqual(['Whitfield, Doris']);
    expect(response.text).not.toContain('DW-00002');
  });

  it('shows the closest 20 with the count of names that start with the word and how to narrow them, and no second page; near misses only when those do not fill it', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await t.db.raw(
      `insert into people (reference, given_name, family_name, date_of_birth, postcode, client_group, team_id)
       select 'CAP-' || n, 'Pat', 'Capper' || n, date '1950-01-01', 'LS1 4AP', 'carer', ? from generate_series(1, 60) n`,
      [teamId],
    );
    await aPerson(t.db, { teamId, givenName: 'Pat', familyName: 'Capper' });
    // Found both by the reference typed and by name: first, and once.
    await aPerson(t.db, { teamId, givenName: 'Zoe', familyName: 'Capper', reference: 'CAPPER' });
    // A near miss, which would rank after all 62: not looked for, and not counted, when they fill the page.
    await aPerson(t.db, { teamId, givenName: 'Pat', familyName: 'Caper' });

    const response = await agent.get('/people').query({ q: 'capper' });
    expect(countLine(response.text)).toBe(
      'Showing the 20 closest of 62 matches in your team: add more of the name or the date of birth to narrow it',
    );
    const names = namesListed(response.text);
    expect(names).toHaveLength(20);
    expect(names.slice(0, 2)).toEqual(['Capper, Zoe', 'Capper, Pat']);
    expect(names.filter((name) => name === 'Capper, Zoe')).toHaveLength(1);
    expect(response.text).not.toContain('govuk-pagination');

    for (const givenName of ['Ada', 'Bea', 'Cy']) await aPerson(t.db, { teamId, givenName, familyName: 'Quennell' });
    await aPerson(t.db, { teamId, givenName: 'Di', familyName: 'Quenell' });
    const few = await agent.get('/people').query({ q: 'quennell' });
    expect(countLine(few.text)).toBe('4 people matching “quennell” in your team, closest first');
    expect(namesListed(few.text)).toEqual(['Quennell, Ada', 'Quennell, Bea', 'Quennell, Cy', 'Quenell, Di']);
  });

  it('counts the names that start with the word up to 100, and past them says "more than 100"', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    const addPeople = (count: number, givenName: string, familyName: string) =>
      t.db.raw(
        `insert into people (reference, given_name, family_name, date_of_birth, postcode, client_group, team_id)
         select ? || n, ?, ?, date '1950-01-01', 'LS1 4AP', 'carer', ? from generate_series(1, ?) n`,
        [`${givenName}-${familyName}-`, givenName, familyName, teamId, count],
      );
    const countFor = async (q: string) => countLine((await agent.get('/people').query({ q })).text);

    await addPeople(100, 'Pat', 'Hundred');
    expect(await countFor('hundred')).toBe(
      'Showing the 20 closest of 100 matches in your team: add more of the name or the date of birth to narrow it',
    );
    // The 101st by given name: each kind of name is counted up to 100, and the two together.
    await addPeople(1, 'Hundred', 'Jones');
    expect(await countFor('hundred')).toBe(
      'Showing the 20 closest of more than 100 matches in your team: add more of the name or the date of birth to narrow it',
    );
    await addPeople(300, 'Sam', 'Hundreds');
    expect(await countFor('hundred')).toBe(
      'Showing the 20 closest of more than 100 matches in your team: add more of the name or the date of birth to narrow it',
    );
  });
});

describe('people search and what it is given', () => {
  it('takes the characters of a LIKE pattern as themselves, so "%" or "_" does not list everyone', async () => {
    const { teamId, agent } = await aTeamWithCareManager();
    await aPerson(t.db, { teamId, givenName: 'Ann', familyName: 'Smith' });
    await aPerson(t.db, { teamId, givenName: 'Seán', familyName: "O'Brien" });

    for (const q of ['%', '_', '%%%', '\\', "'", 'a%', '_nn']) expect(await search(agent, q)).toEqual([]);
    // The page escapes the apostrophe as HTML does.
    expect(await search(agent, "o'brien")).toEqual(['O&#39;Brien, Seán']);
  });

  for (const q of [
    "Robert'); drop table people;--",
    '<script>alert(1)</script>',
    '1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1',
    '¯\\_(ツ)_/¯ ☃ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  ]) {
    it(`answers ${JSON.stringify(q)} with a page, never a server error`, async () => {
      const { agent } = await aTeamWithCareManager();
      const response = await agent.get('/people').query({ q });
      expect(response.status).toBe(200);
      expect(response.text).toContain('No one in your team matches “');
    });
  }

  it('finds only the searcher’s own team for a care manager, and everyone or the chosen team for finance', async () => {
    const mine = await aTeamWithCareManager();
    const theirs = await aTeamWithCareManager();
    await aPerson(t.db, { teamId: mine.teamId, givenName: 'Vera', familyName: 'Okafor', reference: 'VIS-00001' });
    await aPerson(t.db, { teamId: theirs.teamId, givenName: 'Hugo', familyName: 'Okafor', reference: 'VIS-00002' });

    expect(await search(mine.agent, 'okafer')).toEqual(['Okafor, Vera']);
    expect(await search(mine.agent, 'VIS-00002')).toEqual([]);
    const askingForTheirs = await mine.agent.get('/people').query({ q: 'okafer', team: theirs.teamId });
    expect(namesListed(askingForTheirs.text)).toEqual(['Okafor, Vera']);

    const finance = await aUser(t.db, { role: 'finance_officer' });
    const financeAgent = await signIn(t.app, finance.email, finance.password);
    expect((await search(financeAgent, 'okafer vera')).concat(await search(financeAgent, 'okafer hugo'))).toEqual([
      'Okafor, Vera',
      'Okafor, Hugo',
    ]);
    const theirTeam = await financeAgent.get('/people').query({ q: 'okafer', team: theirs.teamId });
    expect(namesListed(theirTeam.text)).toEqual(['Okafor, Hugo']);
  });
});
