import request from 'supertest';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import type { Knex } from 'knex';
import { aTeam, aUser, type TestUser } from './builders.js';
import { csrfTokenFrom, signIn, type Agent } from './http.js';

/** The columns of every route x role table. */
export const roles = ['care manager', 'care manager of another team', 'team manager', 'finance officer', 'admin', 'signed out'] as const;
export type RoleName = (typeof roles)[number];
export type Method = 'GET' | 'POST';
export type Expected = number | { status: 302; location: string | RegExp };
export type Case = { method: Method; path: string; role: RoleName; status: number; location?: string | RegExp };
export type RouteTable = [Method, string, [Expected, Expected, Expected, Expected, Expected, Expected]][];

export const toSignIn = { status: 302, location: '/sign-in' } as const;
export const to = (location: string | RegExp) => ({ status: 302, location }) as const;

/** One case per cell, so each route and role is its own named test. */
export function casesFrom(table: RouteTable): Case[] {
  return table.flatMap(([method, path, expectations]) =>
    expectations.map((expected, column) => ({
      method,
      path,
      role: roles[column] as RoleName,
      ...(typeof expected === 'number' ? { status: expected } : expected),
    })),
  );
}

/** Signs each role in once, keeping a CSRF token from a page it can open, so POSTs test the permission and nothing else. */
export async function signInEveryRole(
  t: TestApp,
  users: Record<Exclude<RoleName, 'signed out'>, TestUser>,
): Promise<{ agents: Map<RoleName, Agent>; csrfTokens: Map<RoleName, string> }> {
  const agents = new Map<RoleName, Agent>();
  const csrfTokens = new Map<RoleName, string>();
  for (const [role, user] of Object.entries(users) as [RoleName, TestUser][]) {
    const agent = await signIn(t.app, user.email, user.password);
    const people = await agent.get('/people');
    expect(people.status).toBe(200);
    agents.set(role, agent);
    csrfTokens.set(role, csrfTokenFrom(people.text));
  }
  const signedOut = request.agent(t.app);
  agents.set('signed out', signedOut);
  csrfTokens.set('signed out', csrfTokenFrom((await signedOut.get('/sign-in')).text));
  return { agents, csrfTokens };
}

export type EveryRole = { northTeamId: number; users: Record<Exclude<RoleName, 'signed out'>, TestUser> };

/** Teams North and South and one user for each column: the care manager, team manager, etc. of North. */
export async function aUserForEveryRole(db: Knex): Promise<EveryRole> {
  const north = await aTeam(db, 'North');
  const south = await aTeam(db, 'South');
  return {
    northTeamId: north.id,
    users: {
      'care manager': await aUser(db, { role: 'care_manager', teamId: north.id }),
      'care manager of another team': await aUser(db, { role: 'care_manager', teamId: south.id }),
      'team manager': await aUser(db, { role: 'team_manager', teamId: north.id }),
      'finance officer': await aUser(db, { role: 'finance_officer' }),
      admin: await aUser(db, { role: 'admin' }),
    },
  };
}
