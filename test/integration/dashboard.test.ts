import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonClientGroup } from '../../src/people/client-groups.js';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { seenText } from '../support/page-forms.js';
import { aSubmittedAssessment, type ItemSpec } from '../support/plan-builders.js';
import { anApprovedBudget } from '../support/review-builders.js';

/*
 * A small council worked out by hand. Today is Monday 15 June 2026 (the test clock).
 *
 * North (team manager Helen)                                         eligible?  active budget?
 *   A older people      assessed 1 Apr, budget from 1 May, approved 21 Apr      yes   yes  (council-managed £100)
 *   B older people      assessed, eligible, no plan yet                          yes   no
 *   C older people      assessed below the RAS threshold, found eligible         yes   no
 *   D learning dis.     assessed 1 Mar, budget from 1 Apr, approved 18 Mar      yes   yes  (direct payment £120 + council-managed £80)
 *   E learning dis.     assessed, found not eligible                             no    no
 *   F learning dis.     assessed 1 May, budget from 1 Jul, approved 10 Jun      yes   no   (approved to start later)
 *   G older people      assessed 1 Mar, budget approved 17 Mar 11:30pm, ended 31 May for good  no  no
 * South
 *   H mental health     assessed 20 May, budget from 1 Jun, approved 1 Jun     yes   yes  (individual service fund £90)
 *   I mental health     assessed, eligible, no plan                              yes   no
 *   J carer             carer's assessment in a band (no eligibility decision)   yes   no
 *
 * Uptake (against a target of 100%, then of 40%):
 *   North older people 1 of 3 = 33.3%; North learning disability 1 of 2 = 50%; North 2 of 5 = 40%.
 *   South mental health 1 of 2 = 50%; South carers 0 of 1 = 0%; South 1 of 3 = 33.3%.
 *   Everyone: 3 of 8 = 37.5%. At 100%, older people are 3 - 1 = 2 short and everyone 8 - 3 = 5.
 *   At 40%: North 2 x 100 = 200 >= 40 x 5 = 200, so met; everyone 300 < 320, so needs
 *   ceil(0.4 x 8) = 4 and has 3: 1 short; South needs ceil(0.4 x 3) = 2 and has 1: 1 short;
 *   carers need ceil(0.4 x 1) = 1: 1 short.
 * Management options of the 3 active budgets (A, D, H), a week:
 *   direct payment £120 (1 budget), council-managed £100 + £80 = £180 (2), ISF £90 (1); total £390.
 *   Shares: 120/390 = 30.77% -> 30.8%; 180/390 = 46.15% -> 46.2%; 90/390 = 23.08% -> 23.1%.
 *   North only (A and D): direct payment £120 and council-managed £100 + £80 = £180, of £300: 40% and 60%.
 * Days from assessment to approval, for budgets approved 18 March to 15 June (the last 90 days):
 *   A 1 Apr -> 21 Apr = 20; D 1 Mar -> 18 Mar = 17 (18 March is the first day in); F 1 May -> 10 Jun = 40;
 *   H 20 May -> 1 Jun = 12. G was approved at 11:30pm on 17 March (GMT): one day too early.
 *   Everyone: 12, 17, 20, 40 -> median (17 + 20) / 2 = 18.5 days. North: 17, 20, 40 -> 20 days.
 */

let t: TestApp;
let helen: TestUser;
let admin: TestUser;
let manager: Agent;
let administrator: Agent;
/** The people of the example, A to J, in the order the table above lists them. */
const made: PersonRow[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  const services = createServices(t.db, t.clock);
  // The example is about uptake, not the money rules: D's budget, 14% above its indicative budget, is approved without a panel.
  await t.db('council_settings').where({ id: 1 }).update({ over_indicative_tolerance_percent: 100 });
  const north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  helen = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Helen Marsh' });
  admin = await aUser(t.db, { role: 'admin' });
  const northWorker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  const southWorker = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  const financeOfficer = await aUser(t.db, { role: 'finance_officer' });

  const person = async (teamId: number, clientGroup: PersonClientGroup) => {
    const who = await aPerson(t.db, { teamId, clientGroup });
    made.push(who);
    return who;
  };
  const assessed = async (who: PersonRow, submittedAt: string, extra: Record<string, unknown> = {}) => {
    if (Object.keys(extra).length === 0) return aSubmittedAssessment(t.db, { person: who, submittedBy: northWorker.id, submittedAt });
    // A submitted assessment cannot be changed (a database rule), so the unusual ones are written as they are.
    const ras = (await t.db('ras_versions').where({ status: 'published' }).first('id')) as { id: number };
    await t.db('assessments').insert({
      person_id: who.id,
      assessment_type: 'person',
      client_group: who.client_group,
      ras_version_id: ras.id,
      status: 'submitted',
      started_by: northWorker.id,
      submitted_by: northWorker.id,
      submitted_at: submittedAt,
      eligible: true,
      raw_points: 40,
      modifier_percent: 0,
      annual_pence: 440_000,
      weekly_pence: 8_462,
      below_threshold: false,
      exceeds_ceiling: false,
      ...extra,
    });
    return undefined;
  };
  const budget = async (who: PersonRow, worker: TestUser, submittedAt: string, items: ItemSpec[], startDate: string, approvedAt: string) =>
    anApprovedBudget(services, t.db, t.clock, {
      person: who,
      careManager: worker,
      financeOfficer,
      items,
      startDate,
      approvedAt,
      assessment: await aSubmittedAssessment(t.db, { person: who, submittedBy: worker.id, submittedAt }),
    });

  await budget(
    await person(north.id, 'older_people'),
    northWorker,
    '2026-04-01T09:00:00Z',
    [{ weeklyPence: 10_000 }],
    '2026-05-01',
    '2026-04-21T10:00:00Z',
  );
  await assessed(await person(north.id, 'older_people'), '2026-05-01T09:00:00Z');
  await assessed(await person(north.id, 'older_people'), '2026-05-01T09:00:00Z', {
    below_threshold: true,
    raw_points: 4,
    annual_pence: 0,
    weekly_pence: 0,
  });
  await budget(
    await person(north.id, 'learning_disability'),
    northWorker,
    '2026-03-01T09:00:00Z',
    [{ weeklyPence: 12_000, managementOption: 'direct_payment' }, { weeklyPence: 8_000 }],
    '2026-04-01',
    '2026-03-18T00:30:00Z',
  );
  await assessed(await person(north.id, 'learning_disability'), '2026-05-01T09:00:00Z', { eligible: false });
  await budget(
    await person(north.id, 'learning_disability'),
    northWorker,
    '2026-05-01T09:00:00Z',
    [{ weeklyPence: 15_000 }],
    '2026-07-01',
    '2026-06-10T10:00:00Z',
  );
  const g = await budget(
    await person(north.id, 'older_people'),
    northWorker,
    '2026-03-01T09:00:00Z',
    [{ weeklyPence: 5_000 }],
    '2026-03-20',
    '2026-03-17T23:30:00Z',
  );
  await t.db('personal_budgets').where({ id: g.budget.id }).update({ end_date: '2026-05-31', end_reason: 'moved_out_of_area' });

  await budget(
    await person(south.id, 'mental_health'),
    southWorker,
    '2026-05-20T09:00:00Z',
    [{ weeklyPence: 9_000, managementOption: 'individual_service_fund' }],
    '2026-06-01',
    '2026-06-01T10:00:00Z',
  );
  await assessed(await person(south.id, 'mental_health'), '2026-05-01T09:00:00Z');
  await assessed(await person(south.id, 'carer'), '2026-05-01T09:00:00Z', {
    assessment_type: 'carer',
    eligible: null,
    annual_pence: 50_000,
    weekly_pence: 962,
  });

  [manager, administrator] = await Promise.all([signIn(t.app, helen.email, helen.password), signIn(t.app, admin.email, admin.password)]);
});
afterAll(() => t.drop());

/** The council's uptake targets are these, [in force from, percent], and no others. */
async function targetsAre(targets: [string, number][]) {
  await t.db('uptake_targets').delete();
  if (targets.length > 0) {
    await t
      .db('uptake_targets')
      .insert(targets.map(([from, percent]) => ({ in_force_from: from, target_percent: percent, added_by: admin.id })));
  }
}

/** A table's body rows as text, found by its caption. */
function tableRows(html: string, caption: string): string[][] {
  const table = new RegExp(`<caption[^>]*>${caption}</caption>[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(table)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => seenText(cell[1] ?? '')),
  );
}

function summaryValue(html: string, key: string): string {
  const match = new RegExp(
    `<dt class="govuk-summary-list__key">${key}</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
  ).exec(html);
  return seenText(match?.[1] ?? '');
}

describe('the team dashboard', () => {
  it('shows an administrator every team’s uptake, management options and median wait, matching the figures worked by hand', async () => {
    await targetsAre([['2026-04-01', 100]]);
    const response = await administrator.get('/reports/dashboard');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<strong>37.5%</strong> (3 of 8)');
    expect(tableRows(response.text, 'Personal budget uptake by client group, as a table')).toEqual([
      ['Older people', '3', '1', '33.3%', '2 short'],
      ['Learning disability', '2', '1', '50%', '1 short'],
      ['Mental health', '2', '1', '50%', '1 short'],
      ['Carer', '1', '0', '0%', '1 short'],
      ['All', '8', '3', '37.5%', '5 short'],
    ]);
    expect(tableRows(response.text, 'Personal budget uptake by team, as a table')).toEqual([
      ['North', '5', '2', '40%', '3 short'],
      ['South', '3', '1', '33.3%', '2 short'],
      ['All', '8', '3', '37.5%', '5 short'],
    ]);
    expect(tableRows(response.text, 'Active personal budgets by management option, as a table')).toEqual([
      ['Direct payment', '1', '£120.00', '30.8%'],
      ['Council-managed budget', '2', '£180.00', '46.2%'],
      ['Individual service fund (held by a provider)', '1', '£90.00', '23.1%'],
      ['Prepaid card', '0', '£0.00', '0%'],
    ]);
    expect(summaryValue(response.text, 'Median wait')).toBe('18.5 days');
    expect(summaryValue(response.text, 'Budgets counted')).toBe('4');
    expect(summaryValue(response.text, 'Period')).toBe('18 March 2026 to 15 June 2026');
    // Each chart is an image with a name and a description carrying the same figures.
    expect(response.text).toMatch(
      /<svg [^>]*id="uptake-by-client-group" role="img" aria-labelledby="uptake-by-client-group-title uptake-by-client-group-desc"/,
    );
    expect(response.text).toContain('Older people: 33.3%; Learning disability: 50%; Mental health: 50%; Carer: 0%.');
  });

  it('shows a team manager their own team only', async () => {
    await targetsAre([['2026-04-01', 100]]);
    const response = await manager.get('/reports/dashboard');
    expect(response.status).toBe(200);
    expect(tableRows(response.text, 'Personal budget uptake by client group, as a table')).toEqual([
      ['Older people', '3', '1', '33.3%', '2 short'],
      ['Learning disability', '2', '1', '50%', '1 short'],
      ['All', '5', '2', '40%', '3 short'],
    ]);
    expect(response.text).not.toContain('Personal budget uptake by team, as a table');
    expect(response.text).not.toContain('/admin/settings');
    expect(tableRows(response.text, 'Active personal budgets by management option, as a table').map((row) => row.slice(2))).toEqual([
      ['£120.00', '40%'],
      ['£180.00', '60%'],
      ['£0.00', '0%'],
      ['£0.00', '0%'],
    ]);
    expect(summaryValue(response.text, 'Median wait')).toBe('20 days');
  });
});

describe('the uptake target', () => {
  const fortyPercentByTeam = [
    ['North', '5', '2', '40%', 'Met'],
    ['South', '3', '1', '33.3%', '1 short'],
    ['All', '8', '3', '37.5%', '1 short'],
  ];

  it('measures uptake against the target in force today, the latest dated on or before it', async () => {
    await targetsAre([
      ['2026-01-01', 100],
      ['2026-06-15', 40],
      ['2026-06-16', 100],
    ]);
    const dashboard = await administrator.get('/reports/dashboard');
    expect(dashboard.text).toContain('The council’s target is <strong>40%</strong>, in force since 15 June 2026.');
    expect(dashboard.text).toContain(
      '<a class="govuk-link" href="/admin/settings#uptake-targets">Change the targets in council settings</a>',
    );
    expect(tableRows(dashboard.text, 'Personal budget uptake by team, as a table')).toEqual(fortyPercentByTeam);
    expect(tableRows(dashboard.text, 'Personal budget uptake by client group, as a table').find((row) => row[0] === 'Carer')).toEqual([
      'Carer',
      '1',
      '0',
      '0%',
      '1 short',
    ]);
  });

  it('measures uptake against the first target to come when none is in force yet, saying when it starts', async () => {
    await targetsAre([
      ['2026-06-16', 40],
      ['2026-09-01', 100],
    ]);
    const dashboard = await administrator.get('/reports/dashboard');
    expect(dashboard.text).toContain(
      'The council has no target in force yet: its first, <strong>40%</strong>, comes into force on 16 June 2026, and uptake is measured against it.',
    );
    expect(tableRows(dashboard.text, 'Personal budget uptake by team, as a table')).toEqual(fortyPercentByTeam);
  });

  it('shows uptake with no target column when the council has no target, and offers an administrator to set one', async () => {
    await targetsAre([]);
    const dashboard = await administrator.get('/reports/dashboard');
    expect(dashboard.text).toContain('The council has not set an uptake target.');
    expect(dashboard.text).toContain('Set a target in council settings');
    expect(tableRows(dashboard.text, 'Personal budget uptake by team, as a table')).toEqual([
      ['North', '5', '2', '40%'],
      ['South', '3', '1', '33.3%'],
      ['All', '8', '3', '37.5%'],
    ]);
    expect(dashboard.text).not.toContain('Target of');
    expect(dashboard.text).not.toContain('The target is');
  });
});

describe('the people behind the dashboard’s figures', () => {
  const letter = (id: number) => String.fromCharCode(65 + made.findIndex((person) => person.id === id));

  /** Every person a list holds, all its pages followed, as the letters of the example. */
  async function listedLetters(agent: Agent, href: string): Promise<string[]> {
    const letters: string[] = [];
    let next: string | undefined = href;
    while (next) {
      const page = await agent.get(next);
      expect(page.status, next).toBe(200);
      letters.push(...[...page.text.matchAll(/<a class="govuk-link" href="\/people\/(\d+)">/g)].map((match) => letter(Number(match[1]))));
      next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next">/.exec(page.text)?.[1]?.replace(/&amp;/g, '&');
    }
    return letters.sort();
  }

  /** Each count in an uptake table beside the list its link leads to. */
  function countLinks(html: string, caption: string) {
    const table = new RegExp(`<caption[^>]*>${caption}</caption>[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';
    return [...table.matchAll(/<a class="govuk-link" href="([^"]+)">([^<]+)<span class="govuk-visually-hidden">/g)].map((match) => ({
      href: (match[1] as string).replace(/&amp;/g, '&'),
      text: match[2] as string,
    }));
  }

  it('lead from each uptake count to exactly the people counted, and from "short" to those without a budget', async () => {
    await targetsAre([['2026-04-01', 100]]);
    const dashboard = await administrator.get('/reports/dashboard');
    const links = [
      ...countLinks(dashboard.text, 'Personal budget uptake by client group, as a table'),
      ...countLinks(dashboard.text, 'Personal budget uptake by team, as a table'),
    ];
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) {
      const listed = await listedLetters(administrator, link.href);
      const counted = Number(link.text.replace(' short', ''));
      if (link.text.endsWith('short')) expect(listed.length, link.href).toBeGreaterThanOrEqual(counted);
      else expect(listed.length, link.href).toBe(counted);
    }
    expect(await listedLetters(administrator, '/reports/dashboard/people/eligible?group=older_people')).toEqual(['A', 'B', 'C']);
    expect(await listedLetters(administrator, '/reports/dashboard/people/with-budget')).toEqual(['A', 'D', 'H']);
    const short = links.find((link) => link.text === '5 short');
    expect(await listedLetters(administrator, short?.href ?? '')).toEqual(['B', 'C', 'F', 'I', 'J']);
  });

  it('lead from the budgets counted in the wait to those budgets, longest wait first', async () => {
    const dashboard = await administrator.get('/reports/dashboard');
    expect(dashboard.text).toContain('href="/reports/dashboard/people/waits"');
    const page = await administrator.get('/reports/dashboard/people/waits');
    const rows = tableRows(page.text, 'Budgets in the wait for sign-off');
    expect(rows.map((row) => row[2])).toEqual(['40', '20', '17', '12']);
    expect(await listedLetters(administrator, '/reports/dashboard/people/waits')).toEqual(['A', 'D', 'F', 'H']);
  });

  it('show a team manager their own team’s people only, and refuse another team’s', async () => {
    expect(await listedLetters(manager, '/reports/dashboard/people/eligible')).toEqual(['A', 'B', 'C', 'D', 'F']);
    expect(await listedLetters(manager, '/reports/dashboard/people/waits')).toEqual(['A', 'D', 'F']);
    const south = made[7] as PersonRow;
    expect((await manager.get(`/reports/dashboard/people/eligible?team=${south.team_id}`)).status).toBe(403);
    expect((await manager.get('/reports/dashboard/people/eligible?group=nobody')).status).toBe(404);
    expect((await manager.get('/reports/dashboard/people/everyone')).status).toBe(404);
  });
});
