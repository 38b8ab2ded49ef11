import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/web/format.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryOf, formFieldsFrom, inlineErrorOf, inputValueOf } from '../support/page-forms.js';

/* Today is Monday 15 June 2026 (the test clock). */

let t: TestApp;
let admin: TestUser;
let administrator: Agent;
let otherAdministrator: Agent;
let manager: Agent;
/** The uptake targets as migration 051 left them, before any test adds or removes one. */
let migratedTargets: { in_force_from: string; target_percent: number; added_by: number | null; added_at: Date }[];

beforeAll(async () => {
  t = await buildTestApp();
  migratedTargets = await t.db('uptake_targets').select();
  admin = await aUser(t.db, { role: 'admin', displayName: 'Ada Okoro' });
  const other = await aUser(t.db, { role: 'admin', displayName: 'Ben Hale' });
  const teamManager = await aUser(t.db, { role: 'team_manager', teamId: (await aTeam(t.db)).id });
  [administrator, otherAdministrator, manager] = await Promise.all([
    signIn(t.app, admin.email, admin.password),
    signIn(t.app, other.email, other.password),
    signIn(t.app, teamManager.email, teamManager.password),
  ]);
});
afterAll(() => t.drop());

const PAGE = '/admin/settings';

/** A table's body rows as text, found by its caption. */
function tableRows(html: string, caption: string): string[][] {
  const table = new RegExp(`<caption[^>]*>${caption}</caption>[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

const historyOf = (html: string) => tableRows(html, 'History of changes, newest first');
const targetsOf = (html: string) => tableRows(html, 'Personal budget uptake targets');
const settingsRow = () => t.db('council_settings').where({ id: 1 }).first();
const bannerOf = (html: string) =>
  (/<div class="govuk-notification-banner__content">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
const latestEvent = (action: string) => t.db('audit_events').where({ action }).orderBy('id', 'desc').first();

/** The fields of the settings form as the page fills them, with some changed. */
async function settingsFields(agent: Agent, changes: Record<string, string | null> = {}) {
  const page = await agent.get(PAGE);
  expect(page.status).toBe(200);
  const fields = formFieldsFrom(page.text, PAGE);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  return fields;
}

async function addTarget(day: string, month: string, year: string, targetPercent: string) {
  const page = await administrator.get(PAGE);
  return administrator
    .post(`${PAGE}/uptake-targets`)
    .type('form')
    .send({
      'inForceFrom[day]': day,
      'inForceFrom[month]': month,
      'inForceFrom[year]': year,
      targetPercent,
      _csrf: csrfTokenFrom(page.text),
    });
}

async function removeTarget(id: number) {
  const page = await administrator.get(PAGE);
  return administrator
    .post(`${PAGE}/uptake-targets/${id}/remove`)
    .type('form')
    .send({ _csrf: csrfTokenFrom(page.text) });
}

describe('the council settings page', () => {
  it('shows the money rules as saved, and the target carried over from the single target with the day of the migration', async () => {
    const page = await administrator.get(PAGE);
    expect(page.status).toBe(200);
    const settings = await settingsRow();
    expect(inputValueOf(page.text, 'overIndicativeTolerancePercent')).toBe(String(settings.over_indicative_tolerance_percent));
    expect(inputValueOf(page.text, 'directPaymentSurplusWeeks')).toBe(String(settings.direct_payment_surplus_weeks));
    expect(inputValueOf(page.text, 'localAuthorityCode')).toBe(settings.local_authority_code);
    expect(settings).not.toHaveProperty('pb_uptake_target_percent');

    expect(migratedTargets).toHaveLength(1);
    const [carried] = migratedTargets;
    expect(carried).toMatchObject({ target_percent: 100, added_by: null });
    const londonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(carried?.added_at);
    expect(carried?.in_force_from).toBe(londonDay);
  });

  it.each([
    [
      'overIndicativeTolerancePercent',
      'over_indicative_tolerance_percent',
      10,
      '0',
      0,
      ['Tolerance above the indicative budget', '10%', '0%'],
    ],
    [
      'ceilingBehaviour',
      'ceiling_behaviour',
      'panel',
      'not_used',
      'not_used',
      ['What happens above the RAS ceiling', 'It goes to a team manager’s panel', 'It is shown, but does not go to a panel'],
    ],
    ['directPaymentSurplusWeeks', 'direct_payment_surplus_weeks', 8, '6', 6, ['Direct-payment surplus', '8 weeks', '6 weeks']],
    ['localAuthorityCode', 'local_authority_code', '', ' e10000003 ', 'E10000003', ['Local authority code', 'None', 'E10000003']],
    ['referencePrefix', 'reference_prefix', 'SD-', ' nl- ', 'NL-', ['Reference prefix', 'SD-', 'NL-']],
    ['referenceDigits', 'reference_digits', 5, '7', 7, ['Digits in a reference', '5', '7']],
  ] as const)(
    'changes %s alone, audited before and after, with a banner and a line in the history',
    async (field, column, from, typed, saved, line) => {
      await t
        .db('council_settings')
        .where({ id: 1 })
        .update({ [column]: from });
      const before = await settingsRow();
      const response = await changeAndSubmit(administrator, PAGE, PAGE, { [field]: typed });
      expect(response.status, response.text.slice(0, 300)).toBe(302);
      expect(response.headers.location).toBe(PAGE);

      const after = await settingsRow();
      expect(after).toMatchObject({ [column]: saved, version: before.version + 1, updated_by: admin.id });
      expect(after.updated_at).toEqual(t.clock.now());
      const { [column]: _changed, version: _version, updated_by: _by, updated_at: _at, ...others } = after;
      expect(before).toMatchObject(others);

      const event = await latestEvent('council_settings_changed');
      expect(event).toMatchObject({
        user_id: admin.id,
        entity_type: 'council_settings',
        entity_id: '1',
        before: { [column]: from },
        after: { [column]: saved },
      });
      expect(Object.keys(event.after)).toEqual([column]);

      const page = await administrator.get(PAGE);
      expect(bannerOf(page.text)).toContain('Council settings saved');
      expect(historyOf(page.text)[0]).toEqual([formatDateTime(event.occurred_at), 'Ada Okoro', ...line]);
      // Shown once only.
      expect(bannerOf((await administrator.get(PAGE)).text)).toBe('');
    },
  );

  it('names every setting changed at once, and writes one event with only those', async () => {
    await changeAndSubmit(administrator, PAGE, PAGE, {
      overIndicativeTolerancePercent: '25',
      directPaymentSurplusWeeks: '12',
      localAuthorityCode: '',
    });
    const events = await countRows(t.db, 'audit_events', { action: 'council_settings_changed' });
    const response = await changeAndSubmit(administrator, PAGE, PAGE, {
      overIndicativeTolerancePercent: '15%',
      directPaymentSurplusWeeks: '10',
      localAuthorityCode: '305',
    });
    expect(response.status).toBe(302);
    expect(await countRows(t.db, 'audit_events', { action: 'council_settings_changed' })).toBe(events + 1);
    expect(await latestEvent('council_settings_changed')).toMatchObject({
      before: { over_indicative_tolerance_percent: 25, direct_payment_surplus_weeks: 12, local_authority_code: '' },
      after: { over_indicative_tolerance_percent: 15, direct_payment_surplus_weeks: 10, local_authority_code: '305' },
    });
    const page = await administrator.get(PAGE);
    expect(bannerOf(page.text)).toBe(
      'Council settings saved You changed the tolerance above the indicative budget, the direct-payment surplus and the local authority code.',
    );
    expect(
      historyOf(page.text)
        .slice(0, 3)
        .map((row) => row.slice(2)),
    ).toEqual([
      ['Tolerance above the indicative budget', '25%', '15%'],
      ['Direct-payment surplus', '12 weeks', '10 weeks'],
      ['Local authority code', 'None', '305'],
    ]);
  });

  it('saves nothing and writes no event when nothing was changed', async () => {
    const before = await settingsRow();
    const events = await countRows(t.db, 'audit_events');
    const response = await changeAndSubmit(administrator, PAGE, PAGE);
    expect(response.status).toBe(302);
    expect(await settingsRow()).toEqual(before);
    expect(await countRows(t.db, 'audit_events')).toBe(events);
    expect(bannerOf((await administrator.get(PAGE)).text)).toBe('Council settings saved Nothing had changed.');
  });

  describe('refuses what is not a setting, by its field, keeping what was typed', () => {
    it.each([
      ['overIndicativeTolerancePercent', '', 'Enter the tolerance'],
      ['overIndicativeTolerancePercent', 'ten', 'The tolerance must be a number, like 10'],
      ['overIndicativeTolerancePercent', '2.5', 'The tolerance must be a whole number, like 10'],
      ['overIndicativeTolerancePercent', '101', 'The tolerance must be between 0% and 100%'],
      ['overIndicativeTolerancePercent', '-1', 'The tolerance must be between 0% and 100%'],
      ['directPaymentSurplusWeeks', '', 'Enter the number of weeks'],
      ['directPaymentSurplusWeeks', 'eight', 'The number of weeks must be a number, like 8'],
      ['directPaymentSurplusWeeks', '8.5', 'The number of weeks must be a whole number, like 8'],
      ['directPaymentSurplusWeeks', '0', 'The number of weeks must be between 1 and 52'],
      ['directPaymentSurplusWeeks', '53', 'The number of weeks must be between 1 and 52'],
      ['localAuthorityCode', 'E11000001', 'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305'],
      ['localAuthorityCode', 'E1000000', 'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305'],
      ['localAuthorityCode', 'W06000001', 'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305'],
      ['localAuthorityCode', '30', 'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305'],
      ['localAuthorityCode', 'E10\u0000000003', 'Local authority code must not include control characters'],
    ])('%s typed as "%s": %s', async (field, typed, message) => {
      const before = await settingsRow();
      const events = await countRows(t.db, 'audit_events');
      const response = await administrator
        .post(PAGE)
        .type('form')
        .send({ ...(await settingsFields(administrator)), [field]: typed });
      expect(response.status).toBe(400);
      expect(errorSummaryOf(response.text)).toEqual([message]);
      expect(response.text).toContain(`<a href="#${field}">`);
      expect(inlineErrorOf(response.text, field)).toBe(message);
      if (!typed.includes('\u0000')) expect(inputValueOf(response.text, field)).toBe(typed);
      expect(await settingsRow()).toEqual(before);
      expect(await countRows(t.db, 'audit_events')).toBe(events);
    });

    it('asks for what happens above the RAS ceiling when no choice, or an unknown one, is sent', async () => {
      for (const ceilingBehaviour of [null, 'sometimes']) {
        const fields = await settingsFields(administrator, { ceilingBehaviour, directPaymentSurplusWeeks: '9' });
        const response = await administrator.post(PAGE).type('form').send(fields);
        expect(response.status).toBe(400);
        expect(errorSummaryOf(response.text)).toEqual(['Select what happens to an amount above the RAS ceiling']);
        expect(inlineErrorOf(response.text, 'ceilingBehaviour')).toBe('Select what happens to an amount above the RAS ceiling');
        expect(response.text).not.toMatch(/name="ceilingBehaviour" type="radio" value="[a-z_]+" checked/);
        expect(inputValueOf(response.text, 'directPaymentSurplusWeeks')).toBe('9');
      }
    });

    it('shows every mistake at once, in the order of the form, and keeps the target form empty', async () => {
      const fields = await settingsFields(administrator, {
        overIndicativeTolerancePercent: '150',
        ceilingBehaviour: null,
        directPaymentSurplusWeeks: '',
        localAuthorityCode: 'LEEDS',
      });
      const response = await administrator.post(PAGE).type('form').send(fields);
      expect(response.status).toBe(400);
      expect(response.text).toContain('<title>Error: Council settings');
      expect(errorSummaryOf(response.text)).toEqual([
        'The tolerance must be between 0% and 100%',
        'Select what happens to an amount above the RAS ceiling',
        'Enter the number of weeks',
        'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305',
      ]);
      expect(inputValueOf(response.text, 'overIndicativeTolerancePercent')).toBe('150');
      expect(inputValueOf(response.text, 'localAuthorityCode')).toBe('LEEDS');
      expect(inputValueOf(response.text, 'targetPercent')).toBe('');
    });
  });

  it('saves a change posted twice (a double-click) once, and shows no conflict', async () => {
    const fields = await settingsFields(administrator, { directPaymentSurplusWeeks: '40' });
    const events = await countRows(t.db, 'audit_events', { action: 'council_settings_changed' });
    const first = await administrator.post(PAGE).type('form').send(fields);
    const second = await administrator.post(PAGE).type('form').send(fields);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(await settingsRow()).toMatchObject({ direct_payment_surplus_weeks: 40, version: Number(fields.version) + 1 });
    expect(await countRows(t.db, 'audit_events', { action: 'council_settings_changed' })).toBe(events + 1);
  });

  it('returns a stale change with a 409 that keeps what was typed, and overwrites nothing', async () => {
    const stale = await settingsFields(administrator, { directPaymentSurplusWeeks: '20', localAuthorityCode: 'E08000035' });
    const theirWeeks = (await settingsRow()).direct_payment_surplus_weeks === 4 ? '5' : '4';
    const first = await changeAndSubmit(otherAdministrator, PAGE, PAGE, { directPaymentSurplusWeeks: theirWeeks });
    expect(first.status).toBe(302);
    const saved = await settingsRow();
    const events = await countRows(t.db, 'audit_events');

    const response = await administrator.post(PAGE).type('form').send(stale);
    expect(response.status).toBe(409);
    expect(response.text).toContain('Someone else changed the council settings');
    expect(tableRows(response.text, 'Saved now and what you typed')).toEqual(
      expect.arrayContaining([
        ['Direct-payment surplus (weeks)', theirWeeks, '20'],
        ['Local authority code', saved.local_authority_code, 'E08000035'],
      ]),
    );
    expect(response.text).toContain(`href="${PAGE}"`);
    expect(await settingsRow()).toEqual(saved);
    expect(await countRows(t.db, 'audit_events')).toBe(events);
  });

  it('refuses a change posted without the CSRF token', async () => {
    const { _csrf: _token, ...fields } = await settingsFields(administrator, { directPaymentSurplusWeeks: '30' });
    const before = await settingsRow();
    const response = await administrator.post(PAGE).type('form').send(fields);
    expect(response.status).toBe(403);
    expect(await settingsRow()).toEqual(before);
  });
});

describe('personal budget uptake targets', () => {
  it('adds a target, audited, and lists targets by date with where each stands today', async () => {
    await t.db('uptake_targets').delete();
    const earlier = await addTarget('1', '4', '2025', '30');
    expect(earlier.status).toBe(302);
    const response = await addTarget('1', '4', '2026', '45%');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(PAGE);
    await addTarget('1', '4', '2027', '60');

    const row = await t.db('uptake_targets').where({ in_force_from: '2026-04-01' }).first();
    expect(row).toMatchObject({ target_percent: 45, added_by: admin.id });
    expect(row.added_at).toEqual(t.clock.now());
    const event = await t
      .db('audit_events')
      .where({ action: 'uptake_target_added', entity_id: String(row.id) })
      .first();
    expect(event).toMatchObject({
      user_id: admin.id,
      entity_type: 'uptake_target',
      after: { in_force_from: '2026-04-01', target_percent: 45 },
    });

    const page = await administrator.get(PAGE);
    expect(bannerOf(page.text)).toBe('Uptake target added 60% from 1 April 2027.');
    expect(targetsOf(page.text).map((cells) => cells.slice(0, 4))).toEqual([
      ['1 April 2025', '30%', 'Replaced', expect.stringMatching(/^Ada Okoro /)],
      ['1 April 2026', '45%', 'In force', expect.stringMatching(/^Ada Okoro /)],
      ['1 April 2027', '60%', 'Not yet in force', expect.stringMatching(/^Ada Okoro /)],
    ]);
    expect(historyOf(page.text)[0]?.slice(1)).toEqual(['Ada Okoro', 'Personal budget uptake target from 1 April 2027', 'None', '60%']);
  });

  it('allows one target a date: a second for the same date is refused by the date, keeping what was typed', async () => {
    await addTarget('1', '10', '2026', '50');
    const targets = await countRows(t.db, 'uptake_targets');
    const response = await addTarget('1', '10', '2026', '55');
    expect(response.status).toBe(400);
    const message = 'There is already a target from this date: remove it first to set a different one';
    expect(errorSummaryOf(response.text)).toEqual([message]);
    expect(response.text).toContain('<a href="#inForceFrom-day">');
    expect(inlineErrorOf(response.text, 'inForceFrom')).toBe(message);
    expect(inputValueOf(response.text, 'inForceFrom-day')).toBe('1');
    expect(inputValueOf(response.text, 'inForceFrom-month')).toBe('10');
    expect(inputValueOf(response.text, 'inForceFrom-year')).toBe('2026');
    expect(inputValueOf(response.text, 'targetPercent')).toBe('55');
    expect(await countRows(t.db, 'uptake_targets')).toBe(targets);
    expect((await t.db('uptake_targets').where({ in_force_from: '2026-10-01' }).first()).target_percent).toBe(50);
  });

  it.each([
    [['', '', ''], '40', 'inForceFrom', 'Enter the date the target comes into force'],
    [['', '5', '2027'], '40', 'inForceFrom', 'The date the target comes into force must include a day'],
    [['30', '2', '2027'], '40', 'inForceFrom', 'The date the target comes into force must be a real date'],
    [['1', '5', '2027'], '', 'targetPercent', 'Enter the target'],
    [['1', '5', '2027'], '40.5', 'targetPercent', 'The target must be a whole number, like 70'],
    [['1', '5', '2027'], '120', 'targetPercent', 'The target must be between 0% and 100%'],
  ])('refuses the date %j with the target "%s" by %s: %s', async ([day, month, year], percent, field, message) => {
    const targets = await countRows(t.db, 'uptake_targets');
    const response = await addTarget(day as string, month as string, year as string, percent);
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual([message]);
    expect(inlineErrorOf(response.text, field)).toBe(message);
    expect(inputValueOf(response.text, 'inForceFrom-month')).toBe(month);
    expect(inputValueOf(response.text, 'targetPercent')).toBe(percent);
    expect(await countRows(t.db, 'uptake_targets')).toBe(targets);
  });

  it('removes a target, audited, and says so when it had already gone', async () => {
    await addTarget('1', '1', '2028', '80');
    const target = await t.db('uptake_targets').where({ in_force_from: '2028-01-01' }).first();
    const response = await removeTarget(target.id);
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(PAGE);
    expect(await t.db('uptake_targets').where({ id: target.id }).first()).toBeUndefined();
    expect(
      await t
        .db('audit_events')
        .where({ action: 'uptake_target_removed', entity_id: String(target.id) })
        .first(),
    ).toMatchObject({
      user_id: admin.id,
      before: { in_force_from: '2028-01-01', target_percent: 80 },
      after: null,
    });
    const page = await administrator.get(PAGE);
    expect(bannerOf(page.text)).toBe('Uptake target removed 80% from 1 January 2028.');
    expect(targetsOf(page.text).map((cells) => cells[0])).not.toContain('1 January 2028');
    expect(historyOf(page.text)[0]?.slice(2)).toEqual(['Personal budget uptake target from 1 January 2028', '80%', 'None']);

    const events = await countRows(t.db, 'audit_events');
    const again = await removeTarget(target.id);
    expect(again.status).toBe(302);
    expect(await countRows(t.db, 'audit_events')).toBe(events);
    expect(bannerOf((await administrator.get(PAGE)).text)).toBe('That uptake target had already been removed Nothing else was changed.');
  });

  it('gives a 404 for a target address that names no target', async () => {
    const page = await administrator.get(PAGE);
    const response = await administrator
      .post(`${PAGE}/uptake-targets/first/remove`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text) });
    expect(response.status).toBe(404);
  });
});

describe('the dashboard and the target in force', () => {
  const uptakeSentence = async (agent: Agent) => {
    const page = await agent.get('/reports/dashboard');
    expect(page.status).toBe(200);
    return (/<h2 class="govuk-heading-m">Personal budget uptake<\/h2>\s*<p class="govuk-body">([\s\S]*?)<\/p>/.exec(page.text)?.[1] ?? '')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  };

  it('measures against the latest target dated on or before today, or else the first to come, saying its date', async () => {
    await t.db('uptake_targets').delete();
    expect(await uptakeSentence(administrator)).toContain('The council has not set an uptake target. Set a target in council settings');

    await addTarget('1', '9', '2026', '90');
    await addTarget('16', '6', '2026', '75');
    expect(await uptakeSentence(administrator)).toContain(
      'The council has no target in force yet: its first, 75%, comes into force on 16 June 2026, and uptake is measured against it.',
    );

    await addTarget('15', '6', '2026', '60');
    await addTarget('1', '1', '2026', '50');
    expect(await uptakeSentence(administrator)).toContain('The council’s target is 60%, in force since 15 June 2026.');

    const today = await t.db('uptake_targets').where({ in_force_from: '2026-06-15' }).first();
    await removeTarget(today.id);
    expect(await uptakeSentence(administrator)).toContain('The council’s target is 50%, in force since 1 January 2026.');
    expect(await uptakeSentence(administrator)).toContain('Change the targets in council settings');
  });

  it('links an administrator to the settings, and not a team manager', async () => {
    const forAdmin = await administrator.get('/reports/dashboard');
    expect(forAdmin.text).toContain('href="/admin/settings#uptake-targets"');
    const forManager = await manager.get('/reports/dashboard');
    expect(forManager.status).toBe(200);
    expect(forManager.text).not.toContain('/admin/settings');
  });
});
