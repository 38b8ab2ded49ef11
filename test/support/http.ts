import type { Express } from 'express';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { expect } from 'vitest';
import { demoLogins } from '../../seeds/demo.js';
import { currentCode } from '../../src/auth/two-factor.js';
import { TEST_TOTP_SECRET } from './builders.js';

export type Agent = TestAgent;

export function csrfTokenFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token on the page');
  return match[1];
}

/** Opens the page as a person would, takes its CSRF token, and posts the form. */
export async function submitForm(agent: Agent, pageUrl: string, postUrl: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(pageUrl);
  expect(page.status, `GET ${pageUrl}`).toBe(200);
  return agent
    .post(postUrl)
    .type('form')
    .send({ ...fields, _csrf: csrfTokenFrom(page.text) });
}

/** The set-up key as the set-up page shows it, in groups of four, without the spaces. */
export function setUpKeyFrom(html: string): string {
  const match = /id="setup-key">([A-Z2-7 ]+)</.exec(html);
  if (!match?.[1]) throw new Error('No set-up key on the page');
  return match[1].replaceAll(' ', '');
}

/** The code step after a right password: the code the test users' app (TEST_TOTP_SECRET) shows now. */
export async function enterCode(agent: Agent, secret = TEST_TOTP_SECRET) {
  const page = await agent.get('/sign-in/code');
  expect(page.status, 'GET /sign-in/code').toBe(200);
  return agent
    .post('/sign-in/code')
    .type('form')
    .send({ code: currentCode(secret), _csrf: csrfTokenFrom(page.text) });
}

/**
 * Signs in as a person would: the password, then the code their authenticator app shows (the
 * test users' app holds TEST_TOTP_SECRET, the demo accounts' the demo secret). Someone not yet
 * enrolled sets up the app first, with the key the page shows. `app` is the app itself, or the
 * base URL of one running in another process.
 */
export async function signIn(app: Express | string, email: string, password: string): Promise<Agent> {
  const agent = request.agent(app);
  const response = await submitForm(agent, '/sign-in', '/sign-in', { email, password });
  expect(response.status, `sign in as ${email}: ${response.text.slice(0, 200)}`).toBe(302);
  const step = String(response.headers.location);
  const appSecret = demoLogins.accounts.some((account) => account.email === email) ? demoLogins.totpSecret : TEST_TOTP_SECRET;
  if (step === '/sign-in/code') {
    const codeStep = await enterCode(agent, appSecret);
    expect(codeStep.status, `code step for ${email}: ${codeStep.text.slice(0, 200)}`).toBe(302);
    return agent;
  }
  const page = await agent.get(step);
  expect(page.status, `GET ${step}`).toBe(200);
  const enrolled = await agent
    .post(step)
    .type('form')
    .send({ code: currentCode(setUpKeyFrom(page.text)), _csrf: csrfTokenFrom(page.text) });
  expect(enrolled.status, `setting up the app for ${email}: ${enrolled.text.slice(0, 200)}`).toBe(200);
  return agent;
}

export function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((cookie) => cookie.startsWith('selfdirect.sid='))?.split(';')[0];
}

/** A Cookie header holding every cookie the responses set, later ones replacing earlier ones of the same name. */
export function cookieHeader(...setCookies: (string[] | string | undefined)[]): string {
  const jar = new Map<string, string>();
  for (const cookie of setCookies.flatMap((setCookie) => (Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []))) {
    const pair = cookie.split(';')[0] ?? '';
    jar.set(pair.slice(0, pair.indexOf('=')), pair);
  }
  return [...jar.values()].join('; ');
}
