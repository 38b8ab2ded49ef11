import type { Express } from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { dashboardDataVersion } from '../../src/dashboard/repo.js';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { editFormFields } from '../support/forms.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { seenText } from '../support/page-forms.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';

/*
 * The dashboard keeps its figures while nothing they count has changed. These tests change data
 * and read the dashboard at once, through the same instance, through a second instance on the
 * same database, and straight in the database, and expect the figures as they are now.
 */
let t: TestApp;
let second: Express;
let helen: TestUser;
let worker: TestUser;
let onFirst: Agent;
let onSecond: Agent;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' });
  second = createApp({ config, db: t.appDb, sessionPool: t.sessionPool, logger: pino({ level: 'silent' }), clock: t.clock });
  teamId = (await aTeam(t.db, 'North')).id;
  helen = await aUser(t.db, { role: 'team_manager', teamId, displayName: 'Helen Marsh' });
  worker = await aUser(t.db, { role: 'care_manager', teamId });
  [onFirst, onSecond] = await Promise.all([signIn(t.app, helen.email, helen.password), signIn(second, helen.email, helen.password)]);
});
afterAll(() => t.drop());

/** Someone whose current assessment found eligible needs, and who has no budget yet. */
async function anEligiblePerson(clientGroup: PersonRow['client_group'] = 'older_people'): Promise<PersonRow> {
  const person = await aPerson(t.db, { teamId, clientGroup });
  await aSubmittedAssessment(t.db, { person, submittedBy: worker.id });
  return person;
}

async function uptakeOf(agent: Agent): Promise<string> {
  const response = await agent.get('/reports/dashboard');
  expect(response.status).toBe(200);
  return /<strong>[^<]*<\/strong> \(\d+ of \d+\)/.exec(response.text)?.[0] ?? '';
}

/** The client group table's rows without the target column: group, eligible, with a budget, share. */
async function clientGroupRows(agent: Agent): Promise<string[]> {
  const response = await agent.get('/reports/dashboard');
  const table =
    /<caption[^>]*>Personal budget uptake by client group, as a table<\/caption>[\s\S]*?<\/table>/.exec(response.text)?.[0] ?? '';
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .slice(0, 4)
      .map((cell) => seenText(cell[1] ?? ''))
      .join(' '),
  );
}

describe('the dashboard’s figures', () => {
  it('count someone added straight to the database a moment before, on an instance that had just read them', async () => {
    await anEligiblePerson();
    expect(await uptakeOf(onFirst)).toBe('<strong>0%</strong> (0 of 1)');
    await anEligiblePerson();
    expect(await uptakeOf(onFirst)).toBe('<strong>0%</strong> (0 of 2)');
  });

  it('show a change made through a second instance at once on the first, and the other way round', async () => {
    const person = await anEligiblePerson('mental_health');
    expect(await clientGroupRows(onFirst)).toContain('Mental health 1 0 0%');
    expect(await clientGroupRows(onSecond)).toContain('Mental health 1 0 0%');

    const saved = await submitForm(
      onSecond,
      `/people/${person.id}/edit`,
      `/people/${person.id}/edit`,
      editFormFields(person, { clientGroup: 'sensory_impairment' }),
    );
    expect(saved.status).toBe(302);
    const onFirstNow = await clientGroupRows(onFirst);
    expect(onFirstNow).toContain('Sensory impairment 1 0 0%');
    expect(onFirstNow.some((row) => row.startsWith('Mental health'))).toBe(false);

    const moved = (await t.db('people').where({ id: person.id }).first()) as PersonRow;
    const back = await submitForm(
      onFirst,
      `/people/${person.id}/edit`,
      `/people/${person.id}/edit`,
      editFormFields(moved, { clientGroup: 'mental_health' }),
    );
    expect(back.status).toBe(302);
    expect(await clientGroupRows(onSecond)).toContain('Mental health 1 0 0%');
  });

  it('are counted again after a change, and not after a search, which changes nothing they count', async () => {
    await anEligiblePerson();
    const counted: string[] = [];
    const listen = (query: { sql: string }) => {
      if (query.sql.includes('budget_flags')) counted.push(query.sql);
    };
    t.appDb.on('query', listen);
    try {
      const before = await uptakeOf(onFirst);
      expect(counted).toHaveLength(1);
      expect((await onFirst.get('/people?q=Person')).status).toBe(200);
      expect(await uptakeOf(onFirst)).toBe(before);
      expect(counted).toHaveLength(1);
      await anEligiblePerson();
      expect(await uptakeOf(onFirst)).not.toBe(before);
      expect(counted).toHaveLength(2);
    } finally {
      t.appDb.off('query', listen);
    }
  });
});

describe('the dashboard data version', () => {
  it('moves once for each committed change, however many rows it wrote, and not for one rolled back', async () => {
    const start = await dashboardDataVersion(t.db);
    await t.db.transaction(async (trx) => {
      await aPerson(trx, { teamId });
      await aPerson(trx, { teamId });
    });
    expect(await dashboardDataVersion(t.db)).toBe(start + 1);
    await expect(
      t.db.transaction(async (trx) => {
        await aPerson(trx, { teamId });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await dashboardDataVersion(t.db)).toBe(start + 1);
    await t.db('uptake_targets').insert({ in_force_from: '2026-01-01', target_percent: 50, added_by: helen.id });
    expect(await dashboardDataVersion(t.db)).toBe(start + 2);
  });

  it('cannot be set by the app’s own database role', async () => {
    await expect(t.appDb('dashboard_data_version').update({ version: 0 })).rejects.toThrow(/permission denied/);
  });
});
