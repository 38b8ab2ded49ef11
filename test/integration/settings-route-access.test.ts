import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows, type FormFields } from '../support/forms.js';
import type { Agent } from '../support/http.js';
import { aUserForEveryRole, casesFrom, signInEveryRole, to, toSignIn, type RoleName, type RouteTable } from '../support/route-table.js';

/**
 * Who may reach the council settings. `:targetId` is an uptake target made for the case. The
 * dashboard's own target page has gone, the targets being kept on the settings page now: those
 * who may open reports find nothing there, and everyone else is refused reports altogether.
 */
// prettier-ignore
const matrix: RouteTable = [
  //                                                   care manager  other team  team manager  finance  admin                  signed out
  ['GET',  '/admin/settings',                          [403,          403,        403,          403,     200,                   toSignIn]],
  ['POST', '/admin/settings',                          [403,          403,        403,          403,     to('/admin/settings'), toSignIn]],
  ['POST', '/admin/settings/uptake-targets',           [403,          403,        403,          403,     to('/admin/settings'), toSignIn]],
  ['POST', '/admin/settings/uptake-targets/:targetId/remove', [403,   403,        403,          403,     to('/admin/settings'), toSignIn]],
  ['GET',  '/reports/dashboard/target',                [403,          403,        404,          403,     404,                   toSignIn]],
  ['POST', '/reports/dashboard/target',                [403,          403,        404,          403,     404,                   toSignIn]],
];

const cases = casesFrom(matrix);

let t: TestApp;
let agents: Map<RoleName, Agent>;
let csrfTokens: Map<RoleName, string>;

beforeAll(async () => {
  t = await buildTestApp();
  ({ agents, csrfTokens } = await signInEveryRole(t, (await aUserForEveryRole(t.db)).users));
});
afterAll(() => t.drop());

let days = 0;
/** A date no other case has a target for, so adding one is always allowed. */
function freshDate(): { day: string; month: string; year: string; iso: string } {
  days += 1;
  const date = new Date(Date.UTC(2027, 0, days));
  const iso = date.toISOString().slice(0, 10);
  return { day: String(date.getUTCDate()), month: String(date.getUTCMonth() + 1), year: String(date.getUTCFullYear()), iso };
}

async function validBody(path: string): Promise<FormFields> {
  switch (path) {
    case '/admin/settings': {
      const settings = await t.db('council_settings').where({ id: 1 }).first();
      return {
        overIndicativeTolerancePercent: String(settings.over_indicative_tolerance_percent),
        ceilingBehaviour: settings.ceiling_behaviour,
        // A different number each time, so an allowed post always changes something.
        directPaymentSurplusWeeks: String((settings.direct_payment_surplus_weeks % 52) + 1),
        localAuthorityCode: settings.local_authority_code,
        referencePrefix: settings.reference_prefix,
        referenceDigits: String(settings.reference_digits),
        version: String(settings.version),
      };
    }
    case '/admin/settings/uptake-targets': {
      const date = freshDate();
      return { 'inForceFrom[day]': date.day, 'inForceFrom[month]': date.month, 'inForceFrom[year]': date.year, targetPercent: '65' };
    }
    case '/admin/settings/uptake-targets/:targetId/remove':
      return {};
    case '/reports/dashboard/target': {
      const settings = await t.db('council_settings').where({ id: 1 }).first('version');
      return { targetPercent: '75', version: String(settings.version) };
    }
    default:
      throw new Error(`No body for POST ${path}`);
  }
}

/** Everything these routes could change, to prove a refused request changed none of it. */
async function snapshot() {
  return {
    settings: await t.db('council_settings').where({ id: 1 }).first(),
    targets: await t.db('uptake_targets').orderBy('id').select(),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('who can reach the council settings', () => {
  for (const c of cases) {
    const changes = c.method === 'POST' && c.role !== 'signed out' && c.status === 302;
    const outcome = c.status === 302 ? `is redirected to ${String(c.location)}` : `gets ${c.status}`;
    it(`${c.role}: ${c.method} ${c.path} ${outcome}${changes ? ' and the change is saved' : ''}`, async () => {
      const [target] = (await t.db('uptake_targets').insert({ in_force_from: freshDate().iso, target_percent: 50 }).returning('id')) as {
        id: number;
      }[];
      const url = c.path.replace(':targetId', String(target?.id));
      const agent = agents.get(c.role) as Agent;
      const body = c.method === 'POST' ? await validBody(c.path) : {};
      const before = await snapshot();

      const response =
        c.method === 'GET'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ ...body, _csrf: csrfTokens.get(c.role) as string });

      expect(response.status, response.text.slice(0, 300)).toBe(c.status);
      if (typeof c.location === 'string') expect(response.headers.location).toBe(c.location);

      const after = await snapshot();
      if (changes) {
        expect(after).not.toEqual(before);
        expect(after.audit).toBe(before.audit + 1);
      } else expect(after).toEqual(before);
    });
  }
});
