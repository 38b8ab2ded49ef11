import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoLogins, seedDemoDataIfEmpty } from '../../seeds/demo.js';
import { issueSetPasswordLink } from '../../src/auth/service.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aUser } from '../support/builders.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { aDraftRas, defaultRasCopy } from '../support/ras-builders.js';
import { formsOn, type PageForm } from '../support/page-forms.js';

/**
 * No form or search answers 500 for hostile input. Every role crawls the demo council from its
 * home page, and every form found is sent again with one field at a time made hostile: empty,
 * very long, a NUL byte, invisible or direction-changing text, SQL and HTML, numbers no form
 * expects, 30 February, the field twice, as an object, or left out. The forms must refuse such
 * input themselves, so no query may fail on a value (SQLSTATE class 22); a box a person types
 * into gets its own message, with what was typed, rather than the generic "problem with that
 * request" page; and a refused post changes no row.
 */

const NUL_TEXT = 'a\u0000b';
const NOT_A_DATE = { day: '30', month: '2', year: '2026' };

/**
 * What replaces a field's value. `byTheField`: text the field's own rules must explain beside it
 * when a person could have typed it (a labelled text box), keeping what was typed.
 */
const hostileValues: { what: string; value: string; byTheField?: boolean }[] = [
  { what: 'empty', value: '' },
  { what: '10,000 characters', value: 'x'.repeat(10_000) },
  { what: 'a NUL byte', value: NUL_TEXT, byTheField: true },
  { what: 'only zero-width spaces', value: '\u200b\u200b\u200b', byTheField: true },
  { what: 'a right-to-left override', value: 'Ann \u202enhoJ', byTheField: true },
  { what: 'SQL', value: "1'; DROP TABLE people; --" },
  { what: 'a script', value: '<script>alert(1)</script>' },
  { what: '-1', value: '-1' },
  { what: '1e308', value: '1e308' },
];

/** Bounds, so the attack stays well inside a test's time: the RAS editor's forms alone have hundreds of fields. */
const PAGES_PER_ROLE = 70;
const URLS_PER_SHAPE = 2;
const FORMS_PER_ACTION = 1;
const FIELDS_PER_FORM = 6;

/**
 * Tables a refused request may write: its session (connect-pg-simple's table), the count of failed
 * sign-ins that slows guessing, and the audit trail, where a failed sign-in is itself recorded.
 */
const WRITTEN_BY_ANY_REQUEST = ['session', 'sign_in_throttles'];
// A failed sign-in is audited, and each audit event moves the head of the audit trail's hash chain.
const writtenWhenRefused = (action: string) => (action.startsWith('/sign-in') ? ['audit_events', 'audit_chain_head'] : []);

const GENERIC_REFUSAL = 'Sorry, there is a problem with that request';

let t: TestApp;
const refusedValues: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  // As the server starts: the default RAS first, then the demo council that is assessed with it.
  await ensureDefaultRas(t.db, t.clock);
  await seedDemoDataIfEmpty(t.db, t.clock);
  // A draft being worked on, so the RAS editor's forms are among those crawled.
  await aDraftRas(t.db, defaultRasCopy());
  await noteEveryRowChange();
  t.db.on('query-error', (error: { code?: string; message?: string }, query: { sql?: string }) => {
    // knex puts the whole statement in the message; PostgreSQL's own words come after the last " - ".
    if (/^22/.test(error.code ?? ''))
      refusedValues.push(`${error.code} ${error.message?.split(' - ').at(-1)} in: ${query.sql?.slice(0, 60)}`);
  });
}, 120_000);
afterAll(() => t.drop());

/**
 * Every row inserted, updated or deleted from here on is noted (by its table) in a table of the
 * test's own, so a refused post can be shown to have changed nothing. SECURITY DEFINER: the note
 * is written whatever the role the app connects as may write.
 */
async function noteEveryRowChange() {
  await t.db.raw(`
    create table test_row_changes (id bigserial primary key, table_name text not null);
    create function test_note_row_change() returns trigger language plpgsql security definer as $$
      begin insert into test_row_changes (table_name) values (tg_table_name); return null; end $$;
  `);
  const tables = (await t.db('pg_tables').where({ schemaname: 'public' }).pluck('tablename')) as string[];
  for (const table of tables.filter(
    (name) => !/^(test_row_changes|knex_migrations.*)$/.test(name) && !WRITTEN_BY_ANY_REQUEST.includes(name),
  )) {
    await t.db.raw(
      'create trigger test_note_row_change after insert or update or delete on ?? for each row execute function test_note_row_change()',
      [table],
    );
  }
}

let rowChangesSeen = 0;

/** The tables changed since the last call. */
async function tablesChanged(): Promise<string[]> {
  const rows = (await t.db('test_row_changes').where('id', '>', rowChangesSeen).orderBy('id').select('id', 'table_name')) as {
    id: string;
    table_name: string;
  }[];
  if (rows.length > 0) rowChangesSeen = Number(rows.at(-1)?.id);
  return [...new Set(rows.map((row) => row.table_name))];
}

/** "/people/12/plans/3" and "/people/40/plans/7" are one shape; so are two sort orders of one table. */
function shapeOf(url: URL): string {
  const path = url.pathname.replace(/\/\d+(?=\/|$)/g, '/:n');
  const keys = [...new Set(url.searchParams.keys())].sort().join('&');
  return keys ? `${path}?${keys}` : path;
}

function sameOriginUrl(href: string, base: URL): URL | undefined {
  const url = new URL(href.replaceAll('&amp;', '&'), base);
  if (url.origin !== base.origin) return undefined;
  url.hash = '';
  return url;
}

/** Links that sign out, download a file or fetch an asset: not pages with forms. */
function skipped(url: URL): boolean {
  return /^\/(sign-out|public\/)|\/export$|\.(csv|json)$/.test(url.pathname);
}

type FoundForm = PageForm & { page: string; url: URL };

/**
 * The forms on the pages reachable by links from the home page, a few of each shape. Forms are
 * counted across roles (`formsPerAction`): a second role's copy of a form is validated the same way.
 */
async function crawl(agent: Agent, formsPerAction: Map<string, number>, start: string): Promise<{ pages: number; forms: FoundForm[] }> {
  const origin = new URL('http://selfdirect.test/');
  const queue = [new URL(start, origin)];
  const visitedShapes = new Map<string, number>();
  const seen = new Set<string>();
  const forms: FoundForm[] = [];
  let pages = 0;
  while (queue.length > 0 && pages < PAGES_PER_ROLE) {
    const url = queue.shift() as URL;
    const path = url.pathname + url.search;
    if (seen.has(path) || skipped(url)) continue;
    seen.add(path);
    const shape = shapeOf(url);
    if ((visitedShapes.get(shape) ?? 0) >= URLS_PER_SHAPE) continue;
    visitedShapes.set(shape, (visitedShapes.get(shape) ?? 0) + 1);
    const response = await agent.get(path);
    expect(response.status, `GET ${path}`).toBeLessThan(500);
    if (response.status >= 300 && response.status < 400 && response.headers.location) {
      const next = sameOriginUrl(response.headers.location, url);
      if (next) queue.push(next);
      continue;
    }
    if (response.status !== 200 || !/html/.test(response.headers['content-type'] ?? '') || response.headers['content-disposition'])
      continue;
    pages += 1;
    for (const link of response.text.matchAll(/<a\b[^>]*\bhref="([^"]+)"/g)) {
      const next = sameOriginUrl(link[1] ?? '', url);
      if (next) queue.push(next);
    }
    for (const form of formsOn(response.text)) {
      const action = new URL((form.action || path).replaceAll('&amp;', '&'), url);
      if (skipped(action)) continue;
      const key = `${form.method} ${shapeOf(action)}`;
      if ((formsPerAction.get(key) ?? 0) >= FORMS_PER_ACTION) continue;
      formsPerAction.set(key, (formsPerAction.get(key) ?? 0) + 1);
      forms.push({ ...form, page: path, url: action });
    }
  }
  return { pages, forms };
}

/** `typed`: what a person typed into `field`, which the form shown again must keep. */
type Attack = { form: FoundForm; what: string; values: [string, string][]; field?: string; typed?: string };

/** An empty email or password box filled in, so the other field of a sign-in form is all that can be wrong. */
const fillers: Record<string, string> = { email: 'someone@example.gov.uk', password: 'Not-the-password-2026' };

/**
 * The form once for each field and each hostile value, the field twice, as `field[x]=1`, and left
 * out; and once for each date input with 30 February in it.
 */
function attacksOn(form: FoundForm): Attack[] {
  const typeOf = new Map(form.fields.map((field) => [field.name, field.type]));
  const filled = form.values.map(([name, value]): [string, string] => [name, value || (fillers[typeOf.get(name) ?? ''] ?? '')]);
  const attackable = form.fields.filter((field) => field.name !== '_csrf').slice(0, FIELDS_PER_FORM);
  const attacks: Attack[] = attackable.flatMap((field) => {
    const others = filled.filter(([name]) => name !== field.name);
    const own = filled.filter(([name]) => name === field.name);
    // A password box is never filled in again, so only its message is looked for.
    const typedInto = field.labelled && (field.kind === 'text' || field.kind === 'textarea') && field.type !== 'password';
    return [
      ...hostileValues.map(({ what, value, byTheField }) => ({
        form,
        what: `${field.name} = ${what}`,
        field: field.name,
        typed: typedInto && byTheField ? value : undefined,
        values: [...others, [field.name, value]] as [string, string][],
      })),
      { form, what: `${field.name} twice`, values: [...filled, ...(own.length > 0 ? own : [[field.name, '1'] as [string, string]])] },
      { form, what: `${field.name}[x]=1`, values: [...others, [`${field.name}[x]`, '1']] },
      { form, what: `${field.name} left out`, values: others },
    ];
  });
  const dateInputs = new Set(form.fields.flatMap((field) => /^(.+)\[day\]$/.exec(field.name)?.[1] ?? []));
  for (const date of dateInputs) {
    const parts = Object.entries(NOT_A_DATE).map(([part, value]) => [`${date}[${part}]`, value] as [string, string]);
    attacks.push({
      form,
      what: `${date} = 30 February 2026`,
      values: [...filled.filter(([name]) => !parts.some(([part]) => part === name)), ...parts],
    });
  }
  return attacks;
}

async function send(agent: Agent, attack: Attack) {
  const body = new URLSearchParams(attack.values).toString();
  const { form } = attack;
  if (form.method === 'get') return agent.get(`${form.url.pathname}?${body}`);
  return agent
    .post(form.url.pathname + form.url.search)
    .type('form')
    .send(body);
}

const escapedHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&#34;').replaceAll("'", '&#39;');

/** What went wrong with one hostile submission, or undefined if it was refused properly (or harmlessly ignored). */
async function problemWith(attack: Attack, response: { status: number; text: string }): Promise<string | undefined> {
  const where = `${attack.form.method.toUpperCase()} ${attack.form.url.pathname} (form on ${attack.form.page}) with ${attack.what}`;
  if (response.status >= 500) return `${where}: ${response.status}`;
  const refused = response.status >= 400;
  if (attack.typed !== undefined && response.status === 400) {
    if (response.text.includes(GENERIC_REFUSAL)) return `${where}: the generic 400 page, not a message by the field`;
    // Unless the form is gone: an earlier attack may have made the decision the form was for.
    const shownAgain = response.text.includes(`name="${attack.field}"`);
    if (shownAgain && !response.text.includes(escapedHtml(attack.typed))) return `${where}: what was typed is not in the form shown again`;
  }
  if (attack.form.method === 'post') {
    const allowed = writtenWhenRefused(attack.form.url.pathname);
    const changed = (await tablesChanged()).filter((table) => !allowed.includes(table));
    if (refused && changed.length > 0) return `${where}: refused with ${response.status} but changed ${changed.join(', ')}`;
  }
  return undefined;
}

describe('hostile input on every form and search', () => {
  it('never answers 500, never sends a refused value to the database, and explains each refusal by its field', async () => {
    const problems: string[] = [];
    const counts = { pages: 0, forms: 0, attacks: 0 };
    const formsPerAction = new Map<string, number>();
    const visitors: { who: string; agent: Agent; start?: string }[] = [{ who: 'signed out', agent: request.agent(t.app) }];
    const oneOfEachRole = demoLogins.accounts.filter(
      (account, index, all) => all.findIndex((other) => other.role === account.role) === index,
    );
    for (const account of oneOfEachRole) {
      visitors.push({ who: account.role, agent: await signIn(t.app, account.email, demoLogins.password) });
    }
    // Halfway through signing in (the code step, or setting up an app), and holding a set-password link.
    const demoAccount = oneOfEachRole[0] as { email: string };
    const atCodeStep = request.agent(t.app);
    await submitForm(atCodeStep, '/sign-in', '/sign-in', { email: demoAccount.email, password: demoLogins.password });
    visitors.push({ who: 'at the code step', agent: atCodeStep });
    const { id: teamId } = (await t.db('teams').first('id')) as { id: number };
    const newcomer = await aUser(t.db, { role: 'care_manager', teamId, enrolled: false });
    const settingUp = request.agent(t.app);
    await submitForm(settingUp, '/sign-in', '/sign-in', { email: newcomer.email, password: newcomer.password });
    visitors.push({ who: 'setting up an app', agent: settingUp });
    const token = await t.db.transaction((trx) => issueSetPasswordLink(trx, t.clock, newcomer.id, null));
    visitors.push({ who: 'holding a set-password link', agent: request.agent(t.app), start: `/set-password/${token}` });
    await tablesChanged();

    for (const { who, agent, start } of visitors) {
      const { pages, forms } = await crawl(agent, formsPerAction, start ?? '/');
      counts.pages += pages;
      counts.forms += forms.length;
      const attacks = forms.flatMap(attacksOn);
      counts.attacks += attacks.length;
      for (const attack of attacks) {
        // Only this attack's own writes count: a search before it is audited, and rightly so.
        await tablesChanged();
        const problem = await problemWith(attack, await send(agent, attack));
        if (problem) problems.push(`${who}: ${problem}`);
      }
      if (oneOfEachRole.some((account) => account.role === who)) {
        for (const q of ['2026-02-30', '31/02/2020', '1/13/2020', '29/02/2023', NUL_TEXT]) {
          const response = await agent.get('/people').query({ q });
          if (response.status >= 500) problems.push(`${who}: GET /people?q=${JSON.stringify(q)}: ${response.status}`);
        }
      }
    }

    expect(problems).toEqual([]);
    expect(refusedValues).toEqual([]);
    // A crawl that found little would pass vacuously: the demo council has over 150 pages and 90 forms.
    expect(counts.pages).toBeGreaterThan(100);
    expect(counts.forms).toBeGreaterThan(60);
    expect(counts.attacks).toBeGreaterThan(1_500);
    // Over 2,000 hostile requests, each checked: about 4 minutes on this shared machine under load, and the whole suite runs beside it.
  }, 480_000);
});
