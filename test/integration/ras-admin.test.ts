import { londonToday } from '../../src/clock.js';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RasDefinition } from '../../src/ras/definition.js';
import { findRasVersionInForce, loadRasDefinition } from '../../src/ras/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryLinks, errorSummaryOf, inlineErrorOf, inputValueOf } from '../support/page-forms.js';
import { aDraftRas, defaultRasCopy, publishedRas } from '../support/ras-builders.js';

let t: TestApp;
let admin: TestUser;
let careManager: TestUser;
let adminAgent: Agent;
let publishedId: number;
let teamId: number;

beforeAll(async () => {
  t = await buildTestApp();
  const team = await aTeam(t.db, 'North');
  teamId = team.id;
  admin = await aUser(t.db, { role: 'admin' });
  careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id });
  publishedId = (await publishedRas(t.db)).id;
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

async function definitionOf(id: number): Promise<RasDefinition> {
  return (await loadRasDefinition(t.db, id)) as RasDefinition;
}

async function versionRow(id: number) {
  return (await t.db('ras_versions').where({ id }).first()) as {
    status: string;
    version: number;
    name: string;
    effective_from: string | null;
    published_by: number | null;
  };
}

/** A fresh draft copied from the published version through the page, as an admin does it. */
async function newDraft(): Promise<number> {
  const list = await adminAgent.get('/admin/ras');
  const response = await adminAgent
    .post(`/admin/ras/${publishedId}/copy`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(list.text) });
  expect(response.status).toBe(302);
  const id = Number(/^\/admin\/ras\/(\d+)\?saved=created$/.exec(response.headers.location ?? '')?.[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

describe('the versions list and drafts', () => {
  it('lists versions with their status, effective date and who published them', async () => {
    const page = await adminAgent.get('/admin/ras');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Default RAS 2026');
    expect(page.text).toContain('govuk-tag--green">Current');
    expect(page.text).toContain('15 June 2026');
    expect(page.text).toContain('Create a draft from the current version');
  });

  it('creates a draft copied from the published version, with based_on_id and an audit event', async () => {
    const id = await newDraft();
    const row = (await t.db('ras_versions').where({ id }).first()) as {
      status: string;
      based_on_id: number;
      created_by: number;
      name: string;
    };
    expect(row).toMatchObject({ status: 'draft', based_on_id: publishedId, created_by: admin.id, name: 'Default RAS 2026 (copy)' });
    const { name: _draftName, ...draft } = await definitionOf(id);
    const { name: _publishedName, ...published } = await definitionOf(publishedId);
    expect(draft).toEqual(published);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_draft_created', entity_id: String(id) })).toBe(1);
  });

  it('deletes a draft after asking, and nothing else', async () => {
    const id = await newDraft();
    const confirm = await adminAgent.get(`/admin/ras/${id}/delete`);
    expect(confirm.text).toContain('Are you sure you want to delete');
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${id}/delete`, `/admin/ras/${id}/delete`);
    expect(response.status).toBe(302);
    expect(await countRows(t.db, 'ras_versions', { id })).toBe(0);
    expect(await countRows(t.db, 'ras_domains', { ras_version_id: id })).toBe(0);
    expect(await countRows(t.db, 'ras_versions', { id: publishedId })).toBe(1);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_draft_deleted', entity_id: String(id) })).toBe(1);
  });
});

describe('published versions cannot change', () => {
  it('is refused by the database itself', async () => {
    await expect(t.db('ras_versions').where({ id: publishedId }).update({ name: 'Changed' })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_price_points').where({ ras_version_id: publishedId }).update({ pence_per_point: 1 })).rejects.toThrow(
      /cannot be changed/,
    );
    await expect(t.db('ras_options').where({ ras_version_id: publishedId }).update({ points: 99 })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_versions').where({ id: publishedId }).delete()).rejects.toThrow(/cannot be deleted/);
  });

  it('refuses every editing page and form with 403 and the reason, and changes nothing', async () => {
    const before = await definitionOf(publishedId);
    for (const path of ['settings', 'domains/1', 'domains/new', 'adjustments', 'carer-bands', 'publish', 'delete']) {
      const page = await adminAgent.get(`/admin/ras/${publishedId}/${path}`);
      expect(page.status, path).toBe(403);
      expect(page.text, path).toContain('is published, so it cannot be changed');
    }
    const token = csrfTokenFrom((await adminAgent.get('/admin/ras')).text);
    const version = String((await versionRow(publishedId)).version);
    for (const [path, fields] of [
      ['settings', { name: 'Changed', minimumPoints: '1', floor: '0', ceiling: '1', version }],
      ['domains/1', { key: 'x', title: 'x', version }],
      ['domains/1/remove', { version }],
      ['domains/1/move', { direction: 'down', version }],
      ['adjustments', { version }],
      ['carer-bands', { version }],
      ['publish', { 'effectiveFrom[day]': '1', 'effectiveFrom[month]': '7', 'effectiveFrom[year]': '2026', version }],
      ['delete', { version }],
    ] as [string, Record<string, string>][]) {
      const response = await adminAgent
        .post(`/admin/ras/${publishedId}/${path}`)
        .type('form')
        .send({ ...fields, _csrf: token });
      expect(response.status, path).toBe(403);
    }
    expect(await definitionOf(publishedId)).toEqual(before);
    expect((await versionRow(publishedId)).status).toBe('published');
  });

  it('shows a published version read-only, with a way to start a draft from it', async () => {
    const page = await adminAgent.get(`/admin/ras/${publishedId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(`/admin/ras/${publishedId}/settings`);
    expect(page.text).toContain('Create a draft from this version');
  });
});

describe('import and export', () => {
  /** Everything a definition can hold, including hints and a second adjustment, so a lossy round trip shows. */
  function customDefinition(): RasDefinition {
    const definition = defaultRasCopy();
    definition.name = 'Imported RAS 2027';
    definition.minimumPoints = 10;
    definition.floorPence = 50_000;
    definition.pricePoints.learning_disability = 16_000;
    definition.domains[0]?.questions.push({
      key: 'food_shopping',
      text: 'How much help do you need with food shopping?',
      options: [
        { key: 'none', label: 'None', points: 0 },
        { key: 'some', label: 'Some', points: 3 },
      ],
    });
    definition.adjustments.push({
      key: 'equipment',
      text: 'Do you have equipment that reduces the help you need?',
      hint: 'For example, a hoist',
      options: [
        { key: 'no', label: 'No', percent: 0 },
        { key: 'yes', label: 'Yes', percent: -5 },
      ],
    });
    definition.carerBands = [
      { minPoints: 8, maxPoints: 30, annualPence: 30_000 },
      { minPoints: 31, maxPoints: 999, annualPence: 80_000 },
    ];
    return definition;
  }

  it('imports a definition as a new draft and exports exactly the same definition as a download', async () => {
    const definition = customDefinition();
    const response = await changeAndSubmit(adminAgent, '/admin/ras/import', '/admin/ras/import', {
      definition: JSON.stringify(definition, null, 2),
    });
    expect(response.status).toBe(302);
    const id = Number(/^\/admin\/ras\/(\d+)\?saved=imported$/.exec(response.headers.location ?? '')?.[1]);
    expect((await versionRow(id)).status).toBe('draft');

    const exported = await adminAgent.get(`/admin/ras/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/json/);
    expect(exported.headers['content-disposition']).toBe(`attachment; filename=ras-${id}-imported-ras-2027.json`);
    expect(JSON.parse(exported.text)).toEqual(definition);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_draft_imported', entity_id: String(id) })).toBe(1);
  });

  it('exports the published version too', async () => {
    const exported = await adminAgent.get(`/admin/ras/${publishedId}/export`);
    expect(JSON.parse(exported.text)).toEqual(await definitionOf(publishedId));
  });

  it('lists every problem of a bad definition with where it is, and stores nothing', async () => {
    const definition = customDefinition() as unknown as {
      domains: { key: string }[];
      pricePoints: Record<string, unknown>;
      carerBands: unknown[];
    };
    (definition.domains[1] as { key: string }).key = 'nutrition';
    delete definition.pricePoints.older_people;
    definition.carerBands = [{ minPoints: 30, maxPoints: 20, annualPence: 100 }];
    const versionsBefore = await countRows(t.db, 'ras_versions');
    const response = await changeAndSubmit(adminAgent, '/admin/ras/import', '/admin/ras/import', {
      definition: JSON.stringify(definition),
    });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual([
      'pricePoints.older_people: There is no price point for older people',
      "domains[1].key: More than one domain has the key 'nutrition'",
      'carerBands[0]: Carer band 1 starts at 30 points but ends at 20 points; its lowest points must not be more than its highest',
    ]);
    expect(response.text).toContain('&#34;Imported RAS 2027&#34;');
    expect(await countRows(t.db, 'ras_versions')).toBe(versionsBefore);
  });

  it('says where an imported definition has a NUL byte, which PostgreSQL cannot store, and stores nothing', async () => {
    const definition = customDefinition();
    const [first] = definition.domains;
    if (first) first.title = 'Food\u0000';
    const versionsBefore = await countRows(t.db, 'ras_versions');
    const response = await changeAndSubmit(adminAgent, '/admin/ras/import', '/admin/ras/import', {
      definition: JSON.stringify(definition, null, 2),
    });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual([
      "domains[0].title: The title of domain 'nutrition' must not include control characters",
    ]);
    expect(await countRows(t.db, 'ras_versions')).toBe(versionsBefore);
  });

  it('says when the text is not JSON', async () => {
    const response = await changeAndSubmit(adminAgent, '/admin/ras/import', '/admin/ras/import', { definition: '{ "name": ' });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)[0]).toMatch(/^The RAS definition is not valid JSON/);
  });
});

describe('editing a draft', () => {
  let draftId: number;
  beforeEach(async () => {
    draftId = await newDraft();
  });

  async function expectNothingStored(before: RasDefinition, version: number) {
    expect(await definitionOf(draftId)).toEqual(before);
    expect((await versionRow(draftId)).version).toBe(version);
  }

  it('saves the settings and price points, counts the version up and audits the change', async () => {
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${draftId}/settings`, `/admin/ras/${draftId}/settings`, {
      name: 'RAS 2027',
      minimumPoints: '10',
      floor: '£500',
      ceiling: '32,000.00',
      'price-older_people': '100.00',
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/admin/ras/${draftId}?saved=settings`);
    const definition = await definitionOf(draftId);
    expect(definition).toMatchObject({ name: 'RAS 2027', minimumPoints: 10, floorPence: 50_000, ceilingPence: 3_200_000 });
    expect(definition.pricePoints.older_people).toBe(10_000);
    expect((await versionRow(draftId)).version).toBe(2);
    const event = (await t
      .db('audit_events')
      .where({ action: 'ras_draft_changed', entity_id: String(draftId) })
      .first()) as { before: { value: { minimumPoints: number } }; after: { section: string; value: { minimumPoints: number } } };
    expect(event.after.section).toBe('settings and price points');
    expect([event.before.value.minimumPoints, event.after.value.minimumPoints]).toEqual([8, 10]);
  });

  it('refuses a missing price point with the rule of ras validate, shown GOV.UK style, keeping what was typed', async () => {
    const before = await definitionOf(draftId);
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${draftId}/settings`, `/admin/ras/${draftId}/settings`, {
      name: 'Typed name',
      'price-older_people': '',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#price-older_people', 'There is no price point for older people']]);
    expect(inlineErrorOf(response.text, 'price-older_people')).toBe('There is no price point for older people');
    expect(inputValueOf(response.text, 'name')).toBe('Typed name');
    expect(response.text).toMatch(/<title>Error: /);
    await expectNothingStored(before, 1);
  });

  it('refuses a price that is not money, before asking the RAS rules', async () => {
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${draftId}/settings`, `/admin/ras/${draftId}/settings`, {
      'price-mental_health': 'lots',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['Enter the price per point for mental health in pounds and pence, like 110.00']);
  });

  it('adds a question to a domain and moves an option, keeping the answers in order', async () => {
    const page = `/admin/ras/${draftId}/domains/1`;
    const added = await changeAndSubmit(adminAgent, page, page, {
      'questions-1-text': 'How much help do you need with food shopping?',
      'questions-1-key': 'food_shopping',
      'questions-1-options-0-label': 'None',
      'questions-1-options-0-key': 'none',
      'questions-1-options-0-points': '0',
      'questions-1-options-1-label': 'Every week',
      'questions-1-options-1-key': 'weekly',
      'questions-1-options-1-points': '4',
    });
    expect(added.status).toBe(302);
    expect(added.headers.location).toBe(`/admin/ras/${draftId}?saved=domain#domains`);
    let domain = (await definitionOf(draftId)).domains[0];
    expect(domain?.questions.map((q) => q.key)).toEqual(['nutrition', 'food_shopping']);
    expect(domain?.questions[1]?.options).toEqual([
      { key: 'none', label: 'None', points: 0 },
      { key: 'weekly', label: 'Every week', points: 4 },
    ]);

    const moved = await changeAndSubmit(adminAgent, page, page, { action: 'option-up-1-1' });
    expect(moved.headers.location).toBe(page);
    domain = (await definitionOf(draftId)).domains[0];
    expect(domain?.questions[1]?.options.map((o) => o.key)).toEqual(['weekly', 'none']);

    const questionMoved = await changeAndSubmit(adminAgent, page, page, { action: 'item-up-1' });
    expect(questionMoved.status).toBe(302);
    expect((await definitionOf(draftId)).domains[0]?.questions.map((q) => q.key)).toEqual(['food_shopping', 'nutrition']);
  });

  it('removes a ticked option and a ticked question', async () => {
    const page = `/admin/ras/${draftId}/domains/2`;
    const response = await changeAndSubmit(adminAgent, page, page, { 'questions-0-options-4-remove': 'yes' });
    expect(response.status).toBe(302);
    expect((await definitionOf(draftId)).domains[1]?.questions[0]?.options.map((o) => o.key)).toEqual([
      'no_help',
      'occasional_prompting',
      'some_days',
      'every_day',
    ]);
  });

  it('adds a domain at the end, moves it up and removes it', async () => {
    const added = await changeAndSubmit(adminAgent, `/admin/ras/${draftId}/domains/new`, `/admin/ras/${draftId}/domains/new`, {
      title: 'Using technology',
      key: 'technology',
      'questions-0-text': 'How much help do you need to use a phone or computer?',
      'questions-0-key': 'technology',
      'questions-0-options-0-label': 'None',
      'questions-0-options-0-key': 'none',
      'questions-0-options-0-points': '0',
      'questions-0-options-1-label': 'Some',
      'questions-0-options-1-key': 'some',
      'questions-0-options-1-points': '3',
    });
    expect(added.status).toBe(302);
    let keys = (await definitionOf(draftId)).domains.map((domain) => domain.key);
    expect(keys.at(-1)).toBe('technology');
    const version = String((await versionRow(draftId)).version);
    const token = csrfTokenFrom((await adminAgent.get(`/admin/ras/${draftId}`)).text);
    const up = await adminAgent
      .post(`/admin/ras/${draftId}/domains/${keys.length}/move`)
      .type('form')
      .send({ direction: 'up', version, _csrf: token });
    expect(up.status).toBe(302);
    keys = (await definitionOf(draftId)).domains.map((domain) => domain.key);
    expect(keys.slice(-2)).toEqual(['technology', 'complexity']);
    const removed = await adminAgent
      .post(`/admin/ras/${draftId}/domains/${keys.length - 1}/remove`)
      .type('form')
      .send({ version: String(Number(version) + 1), _csrf: token });
    expect(removed.status).toBe(302);
    expect((await definitionOf(draftId)).domains.map((domain) => domain.key)).not.toContain('technology');
  });

  it('refuses duplicate option keys with 400, every problem listed and linked to its field, and stores nothing', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/domains/1`;
    const response = await changeAndSubmit(adminAgent, page, page, { 'questions-0-options-1-key': 'no_help', title: 'Typed title' });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#questions-0-options-1-key', "Question 'nutrition' has more than one option with the key 'no_help'"],
    ]);
    expect(inlineErrorOf(response.text, 'questions-0-options-1-key')).toBe(
      "Question 'nutrition' has more than one option with the key 'no_help'",
    );
    expect(inputValueOf(response.text, 'title')).toBe('Typed title');
    expect(response.text).toContain('govuk-error-summary');
    await expectNothingStored(before, 1);
  });

  it('refuses a NUL byte typed into a question, by the box it was typed in, and stores nothing', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/domains/1`;
    const response = await changeAndSubmit(adminAgent, page, page, { 'questions-0-text': 'Eating\u0000 and drinking' });
    expect(response.status).toBe(400);
    const message = "The text of question 'nutrition' must not include control characters";
    expect(errorSummaryLinks(response.text)).toEqual([['#questions-0-text', message]]);
    expect(inlineErrorOf(response.text, 'questions-0-text')).toBe(message);
    await expectNothingStored(before, 1);
  });

  it('refuses a question key another domain already uses', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/domains/2`;
    const response = await changeAndSubmit(adminAgent, page, page, { 'questions-0-key': 'nutrition' });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)[0]).toMatch(
      /The key 'nutrition' is used by question 'nutrition' in domain 'nutrition' and again by question 'nutrition' in domain 'personal_hygiene'/,
    );
    expect(inlineErrorOf(response.text, 'questions-0-key')).toBeDefined();
    await expectNothingStored(before, 1);
  });

  it('refuses a question with no options', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/domains/3`;
    const removeAll = Object.fromEntries([0, 1, 2, 3, 4].map((j) => [`questions-0-options-${j}-remove`, 'yes']));
    const response = await changeAndSubmit(adminAgent, page, page, removeAll);
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#questions-0-options-0-label', "Question 'toilet_needs' has no options"]]);
    expect(response.text).toMatch(
      /id="questions-0-options-0-remove" name="questions-0-options-0-remove" type="checkbox" value="yes" checked/,
    );
    await expectNothingStored(before, 1);
  });

  it('refuses negative points, and points that are not a whole number', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/domains/1`;
    const negative = await changeAndSubmit(adminAgent, page, page, { 'questions-0-options-2-points': '-3' });
    expect(negative.status).toBe(400);
    expect(errorSummaryLinks(negative.text)).toEqual([
      ['#questions-0-options-2-points', "The points for option 'some_days' of question 'nutrition' must be 0 or more"],
    ]);
    expect(inputValueOf(negative.text, 'questions-0-options-2-points')).toBe('-3');
    const notANumber = await changeAndSubmit(adminAgent, page, page, { 'questions-0-options-2-points': 'six' });
    expect(errorSummaryOf(notANumber.text)).toEqual([
      "The points for option 'some_days' of question 'nutrition' must be a whole number, like 6",
    ]);
    await expectNothingStored(before, 1);
  });

  it('refuses a percent out of range on the adjustments page', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/adjustments`;
    const response = await changeAndSubmit(adminAgent, page, page, { 'adjustments-0-options-2-percent': '-150' });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#adjustments-0-options-2-percent', "The percent for option 'a_lot' of adjustment 'informal_support' must be -100 or more"],
    ]);
    await expectNothingStored(before, 1);
  });

  it('saves a new adjustment', async () => {
    const page = `/admin/ras/${draftId}/adjustments`;
    const response = await changeAndSubmit(adminAgent, page, page, {
      'adjustments-1-text': 'Do you have equipment that reduces the help you need?',
      'adjustments-1-key': 'equipment',
      'adjustments-1-options-0-label': 'No',
      'adjustments-1-options-0-key': 'no',
      'adjustments-1-options-0-percent': '0',
      'adjustments-1-options-1-label': 'Yes',
      'adjustments-1-options-1-key': 'yes',
      'adjustments-1-options-1-percent': '−5',
    });
    expect(response.status).toBe(302);
    expect((await definitionOf(draftId)).adjustments[1]?.options.map((o) => o.percent)).toEqual([0, -5]);
  });

  it('refuses overlapping carer bands, and bands out of order', async () => {
    const before = await definitionOf(draftId);
    const page = `/admin/ras/${draftId}/carer-bands`;
    const overlap = await changeAndSubmit(adminAgent, page, page, { 'bands-1-minPoints': '20' });
    expect(overlap.status).toBe(400);
    expect(errorSummaryLinks(overlap.text)).toEqual([
      ['#bands-1-minPoints', 'Carer band 2 (20 to 44 points) overlaps carer band 1 (8 to 24 points)'],
    ]);
    const unordered = await changeAndSubmit(adminAgent, page, page, { 'bands-1-minPoints': '2', 'bands-1-maxPoints': '6' });
    expect(errorSummaryOf(unordered.text)[0]).toBe(
      'Carer bands must be listed from the lowest points up, but carer band 2 (2 to 6 points) comes after carer band 1 (8 to 24 points)',
    );
    await expectNothingStored(before, 1);
  });

  it('saves carer bands, with a new one from the blank row and one removed', async () => {
    const page = `/admin/ras/${draftId}/carer-bands`;
    const response = await changeAndSubmit(adminAgent, page, page, {
      'bands-3-remove': 'yes',
      'bands-4-minPoints': '65',
      'bands-4-maxPoints': '400',
      'bands-4-annual': '1,750.00',
    });
    expect(response.status).toBe(302);
    expect((await definitionOf(draftId)).carerBands.at(-1)).toEqual({ minPoints: 65, maxPoints: 400, annualPence: 175_000 });
  });

  it('refuses removing the last domain with the reason on the version page', async () => {
    const definition = defaultRasCopy();
    definition.domains = definition.domains.slice(0, 1);
    const id = await aDraftRas(t.db, definition, admin.id);
    const token = csrfTokenFrom((await adminAgent.get(`/admin/ras/${id}`)).text);
    const response = await adminAgent.post(`/admin/ras/${id}/domains/1/remove`).type('form').send({ version: '1', _csrf: token });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['The RAS has no domains, so there is nothing to ask']);
    expect((await definitionOf(id)).domains).toHaveLength(1);
  });

  it('returns a stale form with a 409 that keeps what was typed, and saves nothing', async () => {
    const page = await adminAgent.get(`/admin/ras/${draftId}/settings`);
    const token = csrfTokenFrom(page.text);
    await changeAndSubmit(adminAgent, `/admin/ras/${draftId}/settings`, `/admin/ras/${draftId}/settings`, { name: 'Someone else' });
    const stale = await adminAgent.post(`/admin/ras/${draftId}/settings`).type('form').send({
      _csrf: token,
      version: '1',
      name: 'My name',
      minimumPoints: '8',
      floor: '0',
      ceiling: '30000',
      'price-older_people': '110',
      'price-learning_disability': '145',
      'price-physical_disability': '130',
      'price-mental_health': '120',
      'price-sensory_impairment': '125',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('My name');
    expect((await versionRow(draftId)).name).toBe('Someone else');
  });
});

describe('publishing', () => {
  it('shows a confirmation with a summary and the impact headline', async () => {
    const id = await newDraft();
    const page = await adminAgent.get(`/admin/ras/${id}/publish`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Once published, this version cannot be changed');
    expect(page.text).toContain('People re-scored');
    expect(page.text).toContain('Would lose more than 10%');
  });

  it('asks for a real effective date', async () => {
    const id = await newDraft();
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${id}/publish`, `/admin/ras/${id}/publish`, {
      'effectiveFrom[day]': '31',
      'effectiveFrom[month]': '2',
      'effectiveFrom[year]': '2027',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([['#effectiveFrom-day', 'The date this version takes effect must be a real date']]);
    expect((await versionRow(id)).status).toBe('draft');
  });

  it('refuses an effective date before the current version took effect', async () => {
    const id = await newDraft();
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${id}/publish`, `/admin/ras/${id}/publish`, {
      'effectiveFrom[day]': '1',
      'effectiveFrom[month]': '1',
      'effectiveFrom[year]': '2026',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual([
      'The date this version takes effect must be on or after 15 June 2026, when the current RAS took effect',
    ]);
  });

  it('makes the draft current and immutable, retires the old one, and leaves started assessments on their version', async () => {
    const person = await aPerson(t.db, { teamId });
    const [started] = (await t
      .db('assessments')
      .insert({
        person_id: person.id,
        assessment_type: 'person',
        client_group: 'older_people',
        ras_version_id: publishedId,
        started_by: careManager.id,
      })
      .returning('id')) as { id: number }[];
    const id = await newDraft();
    await changeAndSubmit(adminAgent, `/admin/ras/${id}/settings`, `/admin/ras/${id}/settings`, { 'price-older_people': '120.00' });
    const changes = (await adminAgent.get(`/admin/ras/${id}`)).text;
    expect(changes).toContain('Changes from ‘');
    expect(changes.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toContain(
      'Price point: Older people, a point a year £110.00 £120.00 +£10.00',
    );

    const response = await changeAndSubmit(adminAgent, `/admin/ras/${id}/publish`, `/admin/ras/${id}/publish`, {
      'effectiveFrom[day]': '15',
      'effectiveFrom[month]': '6',
      'effectiveFrom[year]': '2026',
    });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/admin/ras/${id}?saved=published`);
    expect(await versionRow(id)).toMatchObject({ status: 'published', effective_from: '2026-06-15', published_by: admin.id });
    expect((await versionRow(publishedId)).status).toBe('retired');
    expect((await findRasVersionInForce(t.db, londonToday(t.clock)))?.id).toBe(id);

    const assessment = (await t.db('assessments').where({ id: started?.id }).first('ras_version_id')) as { ras_version_id: number };
    expect(assessment.ras_version_id).toBe(publishedId);
    expect((await definitionOf(publishedId)).pricePoints.older_people).toBe(11_000);

    const edit = await adminAgent.get(`/admin/ras/${id}/settings`);
    expect(edit.status).toBe(403);
    await expect(t.db('ras_price_points').where({ ras_version_id: id }).delete()).rejects.toThrow(/cannot be changed/);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_published', entity_id: String(id) })).toBe(1);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_retired', entity_id: String(publishedId) })).toBe(1);
    publishedId = id;
  });

  it('keeps a version published for a later date waiting, beside the current one, until that date', async () => {
    const id = await newDraft();
    await changeAndSubmit(adminAgent, `/admin/ras/${id}/settings`, `/admin/ras/${id}/settings`, { name: 'RAS from July' });
    const response = await changeAndSubmit(adminAgent, `/admin/ras/${id}/publish`, `/admin/ras/${id}/publish`, {
      'effectiveFrom[day]': '1',
      'effectiveFrom[month]': '7',
      'effectiveFrom[year]': '2026',
    });
    expect(response.status).toBe(302);
    expect(await versionRow(id)).toMatchObject({ status: 'published', effective_from: '2026-07-01' });
    expect((await versionRow(publishedId)).status).toBe('published');
    expect((await findRasVersionInForce(t.db, londonToday(t.clock)))?.id).toBe(publishedId);
    expect(await countRows(t.db, 'audit_events', { action: 'ras_retired', entity_id: String(publishedId) })).toBe(0);

    const waiting = await adminAgent.get(`/admin/ras/${id}`);
    expect(waiting.text).toContain('govuk-tag--blue">Scheduled');
    expect(waiting.text).toContain('it becomes the current RAS on 1 July 2026');
    const list = await adminAgent.get('/admin/ras');
    expect(list.text).toContain('govuk-tag--green">Current');
    expect(list.text).toContain('govuk-tag--blue">Scheduled');

    t.clock.advanceMinutes(60 * 24 * 16);
    expect(londonToday(t.clock)).toBe('2026-07-01');
    expect((await findRasVersionInForce(t.db, londonToday(t.clock)))?.id).toBe(id);
    expect((await adminAgent.get(`/admin/ras/${id}`)).text).toContain('govuk-tag--green">Current');
    expect((await adminAgent.get(`/admin/ras/${publishedId}`)).text).toContain('govuk-tag--grey">Retired');
    publishedId = id;
  });

  it('lets a version published later for the same waiting date replace the one waiting', async () => {
    const publishFor = (id: number) =>
      changeAndSubmit(adminAgent, `/admin/ras/${id}/publish`, `/admin/ras/${id}/publish`, {
        'effectiveFrom[day]': '1',
        'effectiveFrom[month]': '8',
        'effectiveFrom[year]': '2026',
      });
    const first = await newDraft();
    expect((await publishFor(first)).status).toBe(302);
    const second = await newDraft();
    expect((await publishFor(second)).status).toBe(302);

    expect(await versionRow(first)).toMatchObject({ status: 'retired' });
    expect(await versionRow(second)).toMatchObject({ status: 'published', effective_from: '2026-08-01' });
    expect((await versionRow(publishedId)).status).toBe('published');
    expect(await countRows(t.db, 'audit_events', { action: 'ras_retired', entity_id: String(first) })).toBe(1);
    expect((await findRasVersionInForce(t.db, '2026-08-01'))?.id).toBe(second);
  });
});

describe('who may use the RAS pages', () => {
  const routes: [string, string][] = [
    ['GET', '/admin/ras'],
    ['GET', '/admin/ras/import'],
    ['POST', '/admin/ras/import'],
    ['GET', '/admin/ras/:id'],
    ['POST', '/admin/ras/:published/copy'],
    ['GET', '/admin/ras/:id/export'],
    ['GET', '/admin/ras/:id/settings'],
    ['POST', '/admin/ras/:id/settings'],
    ['GET', '/admin/ras/:id/domains/1'],
    ['POST', '/admin/ras/:id/domains/1'],
    ['GET', '/admin/ras/:id/domains/new'],
    ['POST', '/admin/ras/:id/domains/new'],
    ['POST', '/admin/ras/:id/domains/1/move'],
    ['POST', '/admin/ras/:id/domains/1/remove'],
    ['GET', '/admin/ras/:id/adjustments'],
    ['POST', '/admin/ras/:id/adjustments'],
    ['GET', '/admin/ras/:id/carer-bands'],
    ['POST', '/admin/ras/:id/carer-bands'],
    ['GET', '/admin/ras/:id/impact'],
    ['GET', '/admin/ras/:id/impact.csv'],
    ['GET', '/admin/ras/:id/publish'],
    ['POST', '/admin/ras/:id/publish'],
    ['GET', '/admin/ras/:id/delete'],
    ['POST', '/admin/ras/:id/delete'],
    ['GET', '/reports'],
    ['GET', '/reports/calibration'],
    ['POST', '/reports/calibration/draft'],
  ];
  /** Admin only, except the reports, which team managers read too; nobody else, and signing in first. */
  function expectedFor(role: string, method: string, path: string): number | 'sign-in' {
    if (role === 'signed out') return 'sign-in';
    if (role === 'admin') return -1;
    const isReport = path.startsWith('/reports') && !(method === 'POST');
    return role === 'team_manager' && isReport ? 200 : 403;
  }

  it.each(['care_manager', 'team_manager', 'finance_officer', 'signed out'])(
    '%s gets only what the role allows, and changes nothing',
    async (role) => {
      const draftId = await aDraftRas(t.db, defaultRasCopy(), admin.id);
      const versionsBefore = await countRows(t.db, 'ras_versions');
      let agent: Agent | undefined;
      let token = '';
      if (role !== 'signed out') {
        const user = await aUser(t.db, {
          role: role as 'care_manager',
          teamId: role === 'care_manager' || role === 'team_manager' ? teamId : null,
        });
        agent = await signIn(t.app, user.email, user.password);
        token = csrfTokenFrom((await agent.get('/people')).text);
      }
      for (const [method, template] of routes) {
        const path = template.replace(':published', String(publishedId)).replace(':id', String(draftId));
        const expected = expectedFor(role, method, path);
        const client = agent ?? request(t.app);
        const response =
          method === 'GET'
            ? await client.get(path)
            : await client
                .post(path)
                .type('form')
                .send({ _csrf: token, version: '1', direction: 'up', estimator: 'ratio', definition: '{}' });
        if (expected === 'sign-in') {
          // Signed out, a POST has no session and so no CSRF token: refused before the sign-in check.
          if (method === 'GET') expect([response.status, response.headers.location], `${method} ${path}`).toEqual([302, '/sign-in']);
          else expect(response.status, `${method} ${path}`).toBe(403);
        } else {
          expect(response.status, `${method} ${path}`).toBe(expected);
        }
      }
      expect(await countRows(t.db, 'ras_versions')).toBe(versionsBefore);
      expect((await definitionOf(draftId)).name).toBe('Default RAS 2026');
    },
  );

  it('lets an admin open every page', async () => {
    const draftId = await aDraftRas(t.db, defaultRasCopy(), admin.id);
    for (const [method, template] of routes.filter(([method]) => method === 'GET')) {
      const path = template.replace(':published', String(publishedId)).replace(':id', String(draftId));
      const response = await adminAgent.get(path);
      expect(response.status, `${method} ${path}`).toBe(200);
    }
  });

  it('shows the RAS and Reports links to an admin, Reports to a team manager, and neither to a care manager', async () => {
    const nav = (html: string) => /<ul class="govuk-service-navigation__list"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
    expect(nav((await adminAgent.get('/admin/ras')).text)).toMatch(/href="\/admin\/ras"[\s\S]*href="\/reports"/);
    const teamManager = await aUser(t.db, { role: 'team_manager', teamId });
    const managerNav = nav((await (await signIn(t.app, teamManager.email, teamManager.password)).get('/people')).text);
    expect(managerNav).toContain('href="/reports"');
    expect(managerNav).not.toContain('href="/admin/ras"');
    const careNav = nav((await (await signIn(t.app, careManager.email, careManager.password)).get('/people')).text);
    expect(careNav).not.toContain('/reports');
  });
});
