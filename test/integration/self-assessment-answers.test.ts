import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { errorSummaryOf } from '../support/page-forms.js';
import { domainKeys, postPage, workedExampleAnswers } from '../support/questionnaire.js';
import { publishedRas } from '../support/ras-builders.js';
import { inviteOnline, signedInPerson } from '../support/self-assessment.js';

let t: TestApp;
let teamId: number;
let careManager: TestUser;
let staff: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  teamId = (await aTeam(t.db)).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  staff = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

async function personOnline(options: Partial<Parameters<typeof aPerson>[1]> = {}): Promise<{ person: PersonRow; agent: Agent }> {
  const person = await aPerson(t.db, { teamId, ...options });
  const agent = await signedInPerson(t, person, await inviteOnline(staff, person));
  return { person, agent };
}

async function start(agent: Agent): Promise<string> {
  const response = await postPage(agent, '/your-assessment/overview', {}, '/your-assessment/start');
  expect(response.status).toBe(302);
  return response.headers.location as string;
}

/** Answers every page with "Save and continue", as a browser would, and returns the pages seen. */
async function answerEveryPage(agent: Agent, answers: Record<string, string>, informalSupport = 'none'): Promise<string[]> {
  let url = await start(agent);
  const seen: string[] = [];
  while (url !== '/your-assessment/check-answers') {
    seen.push(url);
    const key = url.split('/').pop() as string;
    const fields: Record<string, string> =
      key === 'family-and-friends' ? { 'answers[informal_support]': informalSupport } : { [`answers[${key}]`]: answers[key] as string };
    const response = await postPage(agent, url, { ...fields, action: 'continue' });
    expect(response.status, response.text.slice(0, 400)).toBe(302);
    url = response.headers.location as string;
  }
  return seen;
}

describe('the person filling in their self-assessment', () => {
  it('walks one page per question group in plain words, saving each, then checks and sends the answers', async () => {
    const { person, agent } = await personOnline();
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.text).toContain('Start now');
    const seen = await answerEveryPage(agent, workedExampleAnswers, 'some');
    expect(seen).toEqual([...domainKeys, 'family-and-friends'].map((key) => `/your-assessment/questions/${key}`));

    const page = await agent.get('/your-assessment/questions/nutrition');
    expect(page.text).toContain('Eating and drinking: page 1 of 14');
    expect(page.text).toContain('What this means');
    expect(page.text).not.toMatch(/points|£/);

    const check = await agent.get('/your-assessment/check-answers');
    expect(check.status).toBe(200);
    expect(check.text).toContain('Do family or friends help you, and want to keep helping?');
    expect(check.text).toContain('Yes, with some things');
    const sent = await postPage(agent, '/your-assessment/check-answers', {}, '/your-assessment/submit');
    expect(sent.headers.location).toBe('/your-assessment/overview');
    expect((await agent.get('/your-assessment/overview')).text).toContain('Your answers have been sent');

    const [row] = await t.db('self_assessments').where({ person_id: person.id });
    expect(row.status).toBe('submitted');
    expect(row.answers).toEqual({ ...workedExampleAnswers, informal_support: 'some' });
    // No staff assessment yet: the care manager makes it when going through the answers.
    expect(await t.db('assessments').where({ person_id: person.id })).toEqual([]);

    const actions = (await t.db('audit_events').where({ person_id: person.id }).orderBy('id').select('action', 'user_id')) as {
      action: string;
      user_id: number | null;
    }[];
    const byPerson = actions.filter((event) => event.user_id === null).map((event) => event.action);
    expect(byPerson[0]).toBe('self_assessment_signed_in');
    expect(byPerson[1]).toBe('self_assessment_started');
    expect(byPerson.filter((action) => action === 'self_assessment_saved')).toHaveLength(14);
    expect(byPerson.at(-1)).toBe('self_assessment_submitted');

    // Sent means sent: the questions now go back to the overview, and a late post is refused.
    expect((await agent.get('/your-assessment/questions/nutrition')).headers.location).toBe('/your-assessment/overview');
    expect((await agent.get('/your-assessment/check-answers')).headers.location).toBe('/your-assessment/overview');

    const personPage = await staff.get(`/people/${person.id}`);
    expect(personPage.text).toContain('Ready to go through');
  });

  it('shows what is missing by the question, keeps what was chosen, and saves part of a page to come back later', async () => {
    const { person, agent } = await personOnline();
    await start(agent);
    const missing = await postPage(agent, '/your-assessment/questions/nutrition', { action: 'continue' });
    expect(missing.status).toBe(400);
    expect(errorSummaryOf(missing.text)).toEqual(['Select how much help you need to manage and maintain nutrition']);
    const notAnOption = await postPage(agent, '/your-assessment/questions/nutrition', { 'answers[nutrition]': 'lots', action: 'continue' });
    expect(notAnOption.status).toBe(400);
    const later = await postPage(agent, '/your-assessment/questions/clothing', { 'answers[clothing]': 'some_days', action: 'later' });
    expect(later.headers.location).toBe('/your-assessment/overview');
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.text).toContain('Your answers are saved');
    expect(overview.text).toContain('Carry on');
    const [row] = await t.db('self_assessments').where({ person_id: person.id });
    expect(row.answers).toEqual({ clothing: 'some_days' });
    expect((await agent.get('/your-assessment/check-answers')).headers.location).toBe('/your-assessment/questions/nutrition');
    expect((await agent.get('/your-assessment/questions/no-such-page')).status).toBe(404);
  });

  it('refuses a save from a page drawn before another tab saved, with the 409 page keeping the choice', async () => {
    const { agent } = await personOnline();
    await start(agent);
    const page = await agent.get('/your-assessment/questions/nutrition');
    await postPage(agent, '/your-assessment/questions/clothing', { 'answers[clothing]': 'some_days', action: 'continue' });
    const stale = await agent
      .post('/your-assessment/questions/nutrition')
      .type('form')
      .send({ version: '1', 'answers[nutrition]': 'every_day', action: 'continue', _csrf: csrfTokenFrom(page.text) });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('I need help every day');
  });

  it('gives a carer the domains only, as the staff questionnaire does', async () => {
    const { agent } = await personOnline({ clientGroup: 'carer' });
    await start(agent);
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.text).not.toContain('Help from family and friends');
    expect(overview.text).toContain('Getting dressed');
  });
});
