import request from 'supertest';
import { expect } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import type { TestApp } from './app.js';
import { aPerson } from './builders.js';
import { eligibleFacts, postPage, workedExampleAnswers } from './questionnaire.js';
import { csrfTokenFrom, type Agent } from './http.js';

/** The code as the letter prints it. */
export function codeFrom(html: string): string {
  const match = /id="access-code">([A-Z2-9-]+)</.exec(html);
  if (!match?.[1]) throw new Error(`No access code on the page: ${html.slice(0, 300)}`);
  return match[1];
}

export const dateOfBirthFields = (iso: string) => {
  const [year, month, day] = iso.split('-');
  return { 'dateOfBirth[day]': String(Number(day)), 'dateOfBirth[month]': String(Number(month)), 'dateOfBirth[year]': year as string };
};

/** A care manager's agent gives the person a code: the letter is the answer to the post. */
export async function inviteOnline(careManager: Agent, person: PersonRow): Promise<string> {
  const page = await careManager.get(`/people/${person.id}`);
  const response = await careManager
    .post(`/people/${person.id}/self-assessment/access-code`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text) });
  expect(response.status, response.text.slice(0, 300)).toBe(200);
  return codeFrom(response.text);
}

export async function signInAsPerson(t: TestApp, person: Pick<PersonRow, 'reference' | 'date_of_birth'>, code: string) {
  const agent = request.agent(t.app);
  const page = await agent.get('/your-assessment');
  expect(page.status).toBe(200);
  const response = await agent
    .post('/your-assessment')
    .type('form')
    .send({ reference: person.reference, ...dateOfBirthFields(person.date_of_birth), code, _csrf: csrfTokenFrom(page.text) });
  return { agent, response };
}

export async function signedInPerson(t: TestApp, person: PersonRow, code: string): Promise<Agent> {
  const { agent, response } = await signInAsPerson(t, person, code);
  expect(response.status, response.text.slice(0, 500)).toBe(302);
  expect(response.headers.location).toBe('/your-assessment/overview');
  return agent;
}

/** A person who has signed in and sent DOMAIN.md's worked example (83 points) with no help from family. */
export async function aSentSelfAssessment(
  t: TestApp,
  staff: Agent,
  teamId: number,
): Promise<{ person: PersonRow; id: number; agent: Agent }> {
  const person = await aPerson(t.db, { teamId });
  const agent = await signedInPerson(t, person, await inviteOnline(staff, person));
  await postPage(agent, '/your-assessment/overview', {}, '/your-assessment/start');
  const [row] = await t.db('self_assessments').where({ person_id: person.id });
  await t
    .db('self_assessments')
    .where({ id: row.id })
    .update({ answers: JSON.stringify({ ...workedExampleAnswers, informal_support: 'none' }) });
  const sent = await postPage(agent, '/your-assessment/check-answers', {}, '/your-assessment/submit');
  expect(sent.status).toBe(302);
  return { person, id: row.id as number, agent };
}

/**
 * The care manager goes through the sent answers, agreeing every one as the person gave it,
 * records eligibility and submits: the staff assessment and the indicative budget exist after this.
 */
export async function goneThrough(t: TestApp, staff: Agent, id: number): Promise<number> {
  const assessmentId = await everyAnswerAgreed(t, staff, id);
  const submitted = await postPage(staff, `/self-assessments/${id}/review`, {}, `/self-assessments/${id}/review/submit`);
  expect(submitted.status, submitted.text.slice(0, 300)).toBe(302);
  return assessmentId;
}

/** The person's answers, as the care manager's form posts them agreed unchanged. */
export const agreedUnchanged = Object.fromEntries(
  Object.entries({ ...workedExampleAnswers, informal_support: 'none' }).map(([key, value]) => [`agreed[${key}]`, value]),
);

/** Everything the care manager does before submitting: going through every answer, and eligibility. */
export async function everyAnswerAgreed(t: TestApp, staff: Agent, id: number): Promise<number> {
  await postPage(staff, `/self-assessments/${id}/review`, {}, `/self-assessments/${id}/review/start`);
  const agreed = await postPage(staff, `/self-assessments/${id}/review`, agreedUnchanged);
  expect(agreed.status, agreed.text.slice(0, 300)).toBe(302);
  const [link] = await t.db('self_assessments').where({ id });
  const assessmentId = link.assessment_id as number;
  await postPage(staff, `/assessments/${assessmentId}/eligibility`, {
    ...Object.fromEntries(Object.entries(eligibleFacts).filter(([name]) => !name.endsWith('[reasons]'))),
    action: 'continue',
  });
  await postPage(staff, `/assessments/${assessmentId}/eligibility/reasons`, {
    ...Object.fromEntries(Object.entries(eligibleFacts).filter(([name]) => name.endsWith('[reasons]'))),
    action: 'continue',
  });
  return assessmentId;
}
