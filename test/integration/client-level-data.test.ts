import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testClock, type TestApp } from '../support/app.js';
import { aSmallCouncil, type SmallCouncil } from '../support/client-level-data-builders.js';
import { signIn, type Agent } from '../support/http.js';

const fixture = new URL('../fixtures/client-level-data/small-council-2026-27-Q2.csv', import.meta.url);

let t: TestApp;
let council: SmallCouncil;
let admin: Agent;
let manager: Agent;

beforeAll(async () => {
  t = await buildTestApp({ clock: testClock('2026-10-05T09:00:00Z') });
  council = await aSmallCouncil(t);
  admin = await signIn(t.app, council.admin.email, council.admin.password);
  manager = await signIn(t.app, council.northManager.email, council.northManager.password);
});
afterAll(() => t.drop());

const downloads = () => t.db('audit_events').where({ action: 'client_level_data_downloaded' }).orderBy('id');

describe('the Client Level Data return', () => {
  it('for a small council at a fixed date is the file worked out by hand', async () => {
    const response = await admin.get('/reports/client-level-data/return.csv?quarter=2026-27%20Q2');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename=client-level-data-2026-27-Q2.csv');
    expect(response.text).toBe(await readFile(fixture, 'utf8'));
  });

  it('records every download in the audit trail with what the file held', async () => {
    const before = (await downloads()).length;
    await admin.get('/reports/client-level-data/return.csv?quarter=2026-27%20Q2').expect(200);
    const events = await downloads();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({
      user_id: council.admin.id,
      entity_type: 'client_level_data_return',
      entity_id: '2026-27 Q2',
      after: { quarter: '2026-27 Q2', team: null, people: 5, rows: 9, peopleWithGaps: 3 },
    });
  });

  it('gives a team manager their own team’s people only, and says so', async () => {
    const csv = (await manager.get('/reports/client-level-data/return.csv?quarter=2026-27%20Q2').expect(200)).text;
    const references = new Set(
      csv
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[4]),
    );
    expect([...references].sort()).toEqual(['N-001', 'N-002', 'N-003', 'N-004']);
    const page = await manager.get('/reports/client-level-data/check?quarter=2026-27+Q2').expect(200);
    expect(page.text).toContain('As a team manager you see your own team’s people only.');
    expect((await downloads()).at(-1)).toMatchObject({ user_id: council.northManager.id, after: { team: council.northTeamId } });
  });

  it('lists everyone missing a mandatory field, each with a link to the field on their details', async () => {
    const page = (await admin.get('/reports/client-level-data/check?quarter=2026-27+Q2').expect(200)).text;
    const { gaps, died, earlier, complete, carer } = council.people;
    for (const href of [
      `/people/${gaps.id}/edit#nhsNumber`,
      `/people/${gaps.id}/edit#ethnicity`,
      `/people/${gaps.id}/edit#employmentStatus`,
      `/people/${died.id}/edit#dateOfDeath-day`,
      `/people/${council.people.south.id}/edit#hasUnpaidCarer`,
    ]) {
      expect(page).toContain(`href="${href}"`);
    }
    // Nothing in the quarter, so not in the return and not checked; the others are complete.
    for (const person of [earlier, complete, carer]) expect(page).not.toContain(`href="/people/${person.id}/edit`);
    expect(page).toContain('These people are still in the file, with the missing fields left empty');
  });

  it('says when the local authority code every row needs is not set, with a link for an admin to set it', async () => {
    await t.db('council_settings').where({ id: 1 }).update({ local_authority_code: '' });
    try {
      const page = (await admin.get('/reports/client-level-data/check?quarter=2026-27+Q2').expect(200)).text;
      expect(page).toContain('Not set: every row needs it');
      expect(page).toContain('href="/admin/settings#localAuthorityCode"');
      const managerPage = (await manager.get('/reports/client-level-data/check?quarter=2026-27+Q2').expect(200)).text;
      expect(managerPage).toContain('Not set: every row needs it');
      expect(managerPage).not.toContain('href="/admin/settings');
    } finally {
      await t.db('council_settings').where({ id: 1 }).update({ local_authority_code: 'E10000003' });
    }
  });

  it('refuses a quarter it cannot read, with the message by the field and what was typed kept', async () => {
    const response = await admin.get('/reports/client-level-data/check?quarter=2026-28+Q2');
    expect(response.status).toBe(400);
    expect(response.text).toContain('<a href="#quarter">Enter a quarter like 2026-27 Q2</a>');
    expect(response.text).toContain('value="2026-28 Q2"');
    expect((await admin.get('/reports/client-level-data/return.csv?quarter=%3D1%2B1')).status).toBe(400);
    expect((await admin.get('/reports/client-level-data/check?quarter[a]=1')).status).toBe(400);
  });

  it('suggests the last quarter to have ended', async () => {
    const page = (await admin.get('/reports/client-level-data').expect(200)).text;
    expect(page).toContain('value="2026-27 Q2"');
  });
});
