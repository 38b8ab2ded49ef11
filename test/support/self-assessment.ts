import request from 'supertest';
import { expect } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import type { TestApp } from './app.js';
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
