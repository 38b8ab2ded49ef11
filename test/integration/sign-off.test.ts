import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../src/audit/repo.js';
import type { PersonalBudgetRow } from '../../src/finance/repo.js';
import type { ReviewRecordRow as ReviewRow } from '../../src/reviews/repo.js';
import type { SupportPlanRow } from '../../src/plans/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { aSubmittedPlan, type ItemSpec } from '../support/plan-builders.js';

let t: TestApp;
let north: { id: number; name: string };
let careManager: TestUser;
let teamManager: TestUser;
let southTeamManager: TestUser;
let financeOfficer: TestUser;
let secondFinanceOfficer: TestUser;
let finance: Agent;
let secondFinance: Agent;
let panel: Agent;
let southPanel: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Carol Manning' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Tom Mercer' });
  southTeamManager = await aUser(t.db, { role: 'team_manager', teamId: south.id });
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  secondFinanceOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Fiona Hart' });
  [finance, secondFinance, panel, southPanel] = await Promise.all([
    signIn(t.app, financeOfficer.email, financeOfficer.password),
    signIn(t.app, secondFinanceOfficer.email, secondFinanceOfficer.password),
    signIn(t.app, teamManager.email, teamManager.password),
    signIn(t.app, southTeamManager.email, southTeamManager.password),
  ]);
});
afterAll(() => t.drop());

/** A North person, allocated to the care manager, with a submitted plan the care manager wrote. */
async function aPlanFor(
  items: ItemSpec[],
  options: { panelStatus?: 'not_needed' | 'awaiting' | 'approved'; submittedAt?: string; teamId?: number } = {},
) {
  const person = await aPerson(t.db, { teamId: options.teamId ?? north.id, allocatedWorkerId: careManager.id });
  return aSubmittedPlan(t.db, { person, createdBy: careManager.id, items, ...options });
}

async function planRow(id: number): Promise<SupportPlanRow> {
  return (await t.db('support_plans').where({ id }).first()) as SupportPlanRow;
}

async function budgetsOf(personId: number): Promise<PersonalBudgetRow[]> {
  return (await t.db('personal_budgets').where({ person_id: personId }).orderBy('id')) as PersonalBudgetRow[];
}

async function reviewsOf(personId: number): Promise<ReviewRow[]> {
  return (await t.db('reviews').where({ person_id: personId }).orderBy('id')) as ReviewRow[];
}

/** Opens a decision page as the officer would and takes its CSRF token and the plan version in the form. */
async function openPage(agent: Agent, url: string) {
  const page = await agent.get(url);
  expect(page.status, `GET ${url}`).toBe(200);
  const version = /name="version" value="(\d+)"/.exec(page.text)?.[1];
  return { page, csrf: csrfTokenFrom(page.text), version: version ?? '' };
}

function startDate(iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { 'startDate[day]': String(Number(day)), 'startDate[month]': String(Number(month)), 'startDate[year]': year };
}

async function approve(agent: Agent, planId: number, fields: Record<string, string>) {
  const { csrf, version } = await openPage(agent, `/plans/${planId}/sign-off`);
  return agent
    .post(`/plans/${planId}/approve`)
    .type('form')
    .send({ version, weeklyAmount: '', amountReason: '', ...fields, _csrf: csrf });
}

/** The rows the queue shows, in order: plan id and the "Waiting" cell. */
function queueRows(html: string): { planId: number; waiting: string }[] {
  return [
    ...html.matchAll(/href="\/plans\/(\d+)\/sign-off"[\s\S]*?<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)<\/td>/g),
  ].map((match) => ({
    planId: Number(match[1]),
    waiting: (match[2] ?? '').trim(),
  }));
}

describe('the sign-off queue', () => {
  it('lists submitted plans oldest first with London calendar days waiting, and filters by team and client group', async () => {
    const team = await aTeam(t.db, 'Queue Team');
    const person = (clientGroup: 'older_people' | 'mental_health') => aPerson(t.db, { teamId: team.id, clientGroup });
    const oldest = await aSubmittedPlan(t.db, {
      person: await person('older_people'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 15_000 }],
      submittedAt: '2026-06-01T23:30:00Z',
    });
    const newest = await aSubmittedPlan(t.db, {
      person: await person('mental_health'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 15_000 }],
      submittedAt: '2026-06-14T22:59:00Z',
    });
    const middle = await aSubmittedPlan(t.db, {
      person: await person('older_people'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 20_000 }],
      submittedAt: '2026-06-10T09:00:00Z',
      panelStatus: 'approved',
    });
    const awaitingPanel = await aSubmittedPlan(t.db, {
      person: await person('older_people'),
      createdBy: careManager.id,
      items: [{ weeklyPence: 60_000 }],
      submittedAt: '2026-05-01T09:00:00Z',
      panelStatus: 'awaiting',
    });

    const response = await finance.get(`/finance/queue?team=${team.id}`);
    expect(response.status).toBe(200);
    // 23:30 UTC on 1 June is 00:30 on 2 June in London; "today" is 15 June.
    expect(queueRows(response.text)).toEqual([
      { planId: oldest.id, waiting: '13 days' },
      { planId: middle.id, waiting: '5 days' },
      { planId: newest.id, waiting: '1 day' },
    ]);
    expect(response.text).not.toContain(`/plans/${awaitingPanel.id}/sign-off`);
    expect(response.text).toContain('3 plans waiting');
    // The indicative budget is £175.58 a week; £200 planned is £24.42 over.
    expect(response.text).toContain('Over by £24.42');

    const mentalHealth = await finance.get(`/finance/queue?team=${team.id}&clientGroup=mental_health`);
    expect(queueRows(mentalHealth.text).map((row) => row.planId)).toEqual([newest.id]);
  });
});

describe('approving a plan', () => {
  it('approves the planned amount, starts the budget with its split and schedules the first and direct payment reviews', async () => {
    const plan = await aPlanFor([
      { weeklyPence: 10_000, managementOption: 'direct_payment' },
      { weeklyPence: 5_000, managementOption: 'council_managed' },
      { weeklyPence: 2_000, fundingStream: 'health', managementOption: 'council_managed' },
    ]);
    const page = await finance.get(`/plans/${plan.id}/sign-off`);
    expect(page.text).toContain('I want to stay in my own home');
    expect(page.text).toContain('Planned personal budget (social care)');
    expect(page.text).toContain('£150.00');
    expect(page.text).toContain('£175.58');

    const response = await approve(finance, plan.id, startDate('2026-08-03'));

    expect(response.status, response.text.slice(0, 400)).toBe(302);
    expect(response.headers.location).toBe(`/people/${plan.person_id}`);
    expect(await planRow(plan.id)).toMatchObject({ status: 'approved', approved_by: financeOfficer.id, version: plan.version + 1 });
    const [budget, ...others] = await budgetsOf(plan.person_id);
    expect(others).toEqual([]);
    expect(budget).toMatchObject({
      plan_id: plan.id,
      assessment_id: plan.assessment_id,
      start_date: '2026-08-03',
      end_date: null,
      weekly_pence: 15_000,
      annual_pence: 780_000,
      planned_weekly_pence: 15_000,
      individual_budget_weekly_pence: 17_000,
      direct_payment_weekly_pence: 10_000,
      council_managed_weekly_pence: 5_000,
      individual_service_fund_weekly_pence: 0,
      prepaid_card_weekly_pence: 0,
      approved_by: financeOfficer.id,
    });
    expect(await reviewsOf(plan.person_id)).toMatchObject([
      {
        kind: 'first',
        due_date: '2026-09-28',
        status: 'scheduled',
        assigned_to: careManager.id,
        budget_id: budget?.id,
        plan_id: plan.id,
        created_by: financeOfficer.id,
      },
      {
        kind: 'direct_payment',
        due_date: '2027-02-03',
        status: 'scheduled',
        assigned_to: careManager.id,
        budget_id: budget?.id,
        plan_id: plan.id,
        created_by: financeOfficer.id,
      },
    ]);
    const actions = (await t
      .db('audit_events')
      .where({ person_id: plan.person_id, user_id: financeOfficer.id })
      .orderBy('id')
      .pluck('action')) as string[];
    expect(actions).toEqual(['plan_approved', 'budget_created', 'review_scheduled', 'review_scheduled']);

    const personPage = await finance.get(`/people/${plan.person_id}`);
    expect(personPage.text).toContain('£150.00 a week (£7,800.00 a year)');
    expect(personPage.text).toContain('Direct payment: £100.00 a week');
    expect(personPage.text).toContain('First review');
    expect(personPage.text).toContain('28 September 2026');
  });

  it('schedules no direct payment review when none of the budget is a direct payment', async () => {
    const plan = await aPlanFor([{ weeklyPence: 9_000, managementOption: 'individual_service_fund' }]);
    expect((await approve(finance, plan.id, startDate('2026-07-01'))).status).toBe(302);
    expect((await reviewsOf(plan.person_id)).map((review) => [review.kind, review.due_date])).toEqual([['first', '2026-08-26']]);
  });

  it('asks for a start date and a reason for a different amount, keeping what was typed, and saves nothing', async () => {
    const plan = await aPlanFor([{ weeklyPence: 10_000, managementOption: 'direct_payment' }, { weeklyPence: 5_000 }]);
    const response = await approve(finance, plan.id, { weeklyAmount: '£120', amountReason: '' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('govuk-error-summary');
    expect(response.text).toContain('<a href="#startDate-day">Enter the start date</a>');
    expect(response.text).toContain('<a href="#amountReason">Enter the reason for approving a different amount from the plan</a>');
    expect(response.text).toContain('value="£120"');
    expect(await planRow(plan.id)).toMatchObject({ status: 'submitted', version: plan.version });
    expect(await budgetsOf(plan.person_id)).toEqual([]);
  });

  it('approves a different amount with a reason, sharing it between management options in proportion', async () => {
    const plan = await aPlanFor([
      { weeklyPence: 10_000, managementOption: 'direct_payment' },
      { weeklyPence: 5_000, managementOption: 'council_managed' },
      { weeklyPence: 2_000, fundingStream: 'supporting_people' },
    ]);
    const response = await approve(finance, plan.id, {
      ...startDate('2026-08-03'),
      weeklyAmount: '100.01',
      amountReason: 'Day centre place is cheaper than planned',
    });

    expect(response.status).toBe(302);
    const [budget] = await budgetsOf(plan.person_id);
    // £100.01 in the plan's 2:1 split is £66.67 and £33.33 rounded down; the penny left over goes on the larger share.
    expect(budget).toMatchObject({
      weekly_pence: 10_001,
      annual_pence: 520_052,
      planned_weekly_pence: 15_000,
      individual_budget_weekly_pence: 12_001,
      direct_payment_weekly_pence: 6_668,
      council_managed_weekly_pence: 3_333,
      approval_reason: 'Day centre place is cheaper than planned',
    });
  });

  it('ends the previous budget the day before a new one starts, replaces its plan and cancels its reviews', async () => {
    const first = await aPlanFor([{ weeklyPence: 8_000, managementOption: 'direct_payment' }]);
    expect((await approve(finance, first.id, startDate('2026-07-01'))).status).toBe(302);
    const [previous] = await budgetsOf(first.person_id);
    const second = await aSubmittedPlan(t.db, { person: first.person, createdBy: careManager.id, items: [{ weeklyPence: 12_000 }] });

    const tooEarly = await approve(finance, second.id, startDate('2026-07-01'));
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.text).toContain('The start date must be after 1 July 2026, when the current personal budget started');
    expect(await budgetsOf(first.person_id)).toHaveLength(1);

    const response = await approve(finance, second.id, startDate('2026-09-01'));
    expect(response.status).toBe(302);

    const [ended, current] = await budgetsOf(first.person_id);
    expect(current).toMatchObject({ plan_id: second.id, start_date: '2026-09-01', end_date: null, weekly_pence: 12_000 });
    expect(ended).toMatchObject({
      id: previous?.id,
      end_date: '2026-08-31',
      replaced_by_id: current?.id,
      end_reason: 'Replaced by a new personal budget',
    });
    expect(await planRow(first.id)).toMatchObject({ status: 'replaced' });
    const reviews = await reviewsOf(first.person_id);
    expect(reviews.filter((review) => review.budget_id === previous?.id).map((review) => review.status)).toEqual([
      'cancelled',
      'cancelled',
    ]);
    expect(
      reviews.filter((review) => review.budget_id === current?.id).map((review) => [review.kind, review.due_date, review.status]),
    ).toEqual([['first', '2026-10-27', 'scheduled']]);
    const actions = (await t.db('audit_events').where({ person_id: first.person_id }).orderBy('id').pluck('action')) as string[];
    expect(actions.slice(-7)).toEqual([
      'plan_approved',
      'budget_ended',
      'plan_replaced',
      'review_cancelled',
      'review_cancelled',
      'budget_created',
      'review_scheduled',
    ]);
  });

  it('lets a double-clicked approve make one budget, and lands both clicks on the person page', async () => {
    const plan = await aPlanFor([{ weeklyPence: 10_000 }]);
    const { csrf, version } = await openPage(finance, `/plans/${plan.id}/sign-off`);
    const send = () =>
      finance
        .post(`/plans/${plan.id}/approve`)
        .type('form')
        .send({ ...startDate('2026-08-03'), weeklyAmount: '', amountReason: '', version, _csrf: csrf });

    const clicks = await Promise.all([send(), send()]);
    const again = await send();

    for (const click of [...clicks, again]) {
      expect(click.status).toBe(302);
      expect(click.headers.location).toBe(`/people/${plan.person_id}`);
    }
    expect(await budgetsOf(plan.person_id)).toHaveLength(1);
    expect(await reviewsOf(plan.person_id)).toHaveLength(1);
    expect(
      await countRows(t.db, 'audit_events', { entity_type: 'support_plan', entity_id: String(plan.id), action: 'plan_approved' }),
    ).toBe(1);
  });

  it('gives exactly one of two finance officers approving at once the approval, and the other the 409 page with what they typed', async () => {
    const plan = await aPlanFor([{ weeklyPence: 10_000 }]);
    const [pageA, pageB] = await Promise.all([
      openPage(finance, `/plans/${plan.id}/sign-off`),
      openPage(secondFinance, `/plans/${plan.id}/sign-off`),
    ]);
    const fields = (reason: string) => ({ ...startDate('2026-08-03'), weeklyAmount: '90.00', amountReason: reason });

    const [a, b] = await Promise.all([
      finance
        .post(`/plans/${plan.id}/approve`)
        .type('form')
        .send({ ...fields('Reason typed by Gareth'), version: pageA.version, _csrf: pageA.csrf }),
      secondFinance
        .post(`/plans/${plan.id}/approve`)
        .type('form')
        .send({ ...fields('Reason typed by Fiona'), version: pageB.version, _csrf: pageB.csrf }),
    ]);

    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const loser = a.status === 409 ? { response: a, reason: 'Reason typed by Gareth' } : { response: b, reason: 'Reason typed by Fiona' };
    expect(loser.response.text).toContain('Someone else changed');
    expect(loser.response.text).toContain(loser.reason);
    expect(loser.response.text).toContain('3/8/2026');
    expect(loser.response.text).toContain(`href="/plans/${plan.id}/sign-off"`);
    expect(await budgetsOf(plan.person_id)).toHaveLength(1);
    expect(
      await countRows(t.db, 'audit_events', { entity_type: 'support_plan', entity_id: String(plan.id), action: 'plan_approved' }),
    ).toBe(1);
  });

  it('refuses a finance officer who changed the plan (four-eyes) with a 403 and changes nothing', async () => {
    const plan = await aPlanFor([{ weeklyPence: 10_000 }]);
    await insertAuditEvent(t.db, {
      userId: financeOfficer.id,
      requestId: null,
      action: 'plan_changed',
      entityType: 'support_plan',
      entityId: plan.id,
      personId: plan.person_id,
    });
    const auditBefore = await countRows(t.db, 'audit_events');

    const page = await finance.get(`/plans/${plan.id}/sign-off`);
    expect(page.text).toContain('another finance officer must sign it off');
    expect(page.text).not.toContain('Approve personal budget');
    const response = await finance
      .post(`/plans/${plan.id}/approve`)
      .type('form')
      .send({ ...startDate('2026-08-03'), version: String(plan.version), _csrf: csrfTokenFrom(page.text) });

    expect(response.status).toBe(403);
    expect(response.text).toContain('someone else must approve it');
    expect(await planRow(plan.id)).toMatchObject({ status: 'submitted', version: plan.version, approved_by: null });
    expect(await budgetsOf(plan.person_id)).toEqual([]);
    expect(await countRows(t.db, 'audit_events')).toBe(auditBefore);

    expect((await approve(secondFinance, plan.id, startDate('2026-08-03'))).status).toBe(302);
  });

  it('leaves nothing half-done when approval fails part-way through', async () => {
    const first = await aPlanFor([{ weeklyPence: 8_000 }]);
    expect((await approve(finance, first.id, startDate('2026-07-01'))).status).toBe(302);
    const second = await aSubmittedPlan(t.db, { person: first.person, createdBy: careManager.id, items: [{ weeklyPence: 12_000 }] });
    const budgetsBefore = await budgetsOf(first.person_id);
    const reviewsBefore = await reviewsOf(first.person_id);
    const auditBefore = await countRows(t.db, 'audit_events');
    // The reviews are the last thing approval writes, so failing there means everything before it must roll back.
    await t.db.raw(`
      create function refuse_reviews_for_test() returns trigger language plpgsql as $$ begin raise exception 'review scheduling failed (test)'; end $$;
      create trigger refuse_reviews_for_test before insert on reviews for each row execute function refuse_reviews_for_test();
    `);
    try {
      const response = await approve(finance, second.id, startDate('2026-09-01'));
      expect(response.status).toBe(500);
      expect(response.text).toContain('Sorry, there is a problem with the service');
    } finally {
      await t.db.raw('drop trigger refuse_reviews_for_test on reviews; drop function refuse_reviews_for_test();');
    }

    expect(await planRow(second.id)).toMatchObject({ status: 'submitted', version: second.version, approved_by: null });
    expect(await planRow(first.id)).toMatchObject({ status: 'approved' });
    expect(await budgetsOf(first.person_id)).toEqual(budgetsBefore);
    expect(await reviewsOf(first.person_id)).toEqual(reviewsBefore);
    expect(await countRows(t.db, 'audit_events')).toBe(auditBefore);
  });
});

describe('returning a plan', () => {
  it('needs a reason, then returns the plan to the care manager with it and takes it off the queue', async () => {
    const plan = await aPlanFor([{ weeklyPence: 10_000 }], { panelStatus: 'approved' });
    const { csrf, version } = await openPage(finance, `/plans/${plan.id}/sign-off`);

    const withoutReason = await finance.post(`/plans/${plan.id}/return`).type('form').send({ returnReason: '  ', version, _csrf: csrf });
    expect(withoutReason.status).toBe(400);
    expect(withoutReason.text).toContain('Enter the reason for returning the plan');
    expect((await planRow(plan.id)).status).toBe('submitted');

    const response = await finance
      .post(`/plans/${plan.id}/return`)
      .type('form')
      .send({ returnReason: 'The care costs do not match the provider’s rates', version, _csrf: csrf });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/finance/queue');
    // A panel's agreement does not survive a return: if the plan is still over the ceiling it goes to panel again.
    expect(await planRow(plan.id)).toMatchObject({
      status: 'returned',
      return_reason: 'The care costs do not match the provider’s rates',
      returned_by: financeOfficer.id,
      panel_status: 'not_needed',
      panel_decided_by: null,
      version: plan.version + 1,
    });
    expect((await finance.get('/finance/queue')).text).not.toContain(`/plans/${plan.id}/sign-off`);
    expect(await countRows(t.db, 'audit_events', { entity_id: String(plan.id), action: 'plan_returned' })).toBe(1);
  });
});

describe('a plan above the RAS ceiling', () => {
  it('never reaches finance before a team manager agrees it at panel, then finance can approve it', async () => {
    // £600 a week is £31,200 a year, above the default ceiling of £30,000.
    const plan = await aPlanFor([{ weeklyPence: 60_000 }], { panelStatus: 'awaiting' });

    expect((await finance.get('/finance/queue')).text).not.toContain(`/plans/${plan.id}/sign-off`);
    const signOff = await finance.get(`/plans/${plan.id}/sign-off`);
    expect(signOff.text).toContain('A team manager’s panel must agree it before you can approve it');
    expect(signOff.text).not.toContain('Approve personal budget');
    const refused = await finance
      .post(`/plans/${plan.id}/approve`)
      .type('form')
      .send({ ...startDate('2026-08-03'), version: String(plan.version), _csrf: csrfTokenFrom(signOff.text) });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('a team manager’s panel must agree it before finance can approve it');
    expect(await planRow(plan.id)).toMatchObject({ status: 'submitted', panel_status: 'awaiting', version: plan.version });
    expect(await budgetsOf(plan.person_id)).toEqual([]);

    expect((await southPanel.get('/finance/panel')).text).not.toContain(`/plans/${plan.id}/panel`);
    expect((await southPanel.get(`/plans/${plan.id}/panel`)).status).toBe(404);
    expect((await panel.get('/finance/panel')).text).toContain(`/plans/${plan.id}/panel`);

    const { csrf, version } = await openPage(panel, `/plans/${plan.id}/panel`);
    const noNote = await panel.post(`/plans/${plan.id}/panel-approve`).type('form').send({ panelNote: '', version, _csrf: csrf });
    expect(noNote.status).toBe(400);
    expect(noNote.text).toContain('Enter the panel’s reasons for agreeing the budget');

    const agreed = await panel
      .post(`/plans/${plan.id}/panel-approve`)
      .type('form')
      .send({ panelNote: 'Two carers needed for every transfer', version, _csrf: csrf });
    expect(agreed.status).toBe(302);
    expect(agreed.headers.location).toBe('/finance/panel');
    expect(await planRow(plan.id)).toMatchObject({
      status: 'submitted',
      panel_status: 'approved',
      panel_decided_by: teamManager.id,
      panel_note: 'Two carers needed for every transfer',
    });

    expect((await finance.get('/finance/queue')).text).toContain(`/plans/${plan.id}/sign-off`);
    const signOffAfterPanel = await finance.get(`/plans/${plan.id}/sign-off`);
    expect(signOffAfterPanel.text).toContain('Two carers needed for every transfer');
    expect((await approve(finance, plan.id, startDate('2026-08-03'))).status).toBe(302);
    expect(await budgetsOf(plan.person_id)).toHaveLength(1);
  });

  it('refuses a team manager who wrote the plan at panel with a 403 and changes nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const plan = await aSubmittedPlan(t.db, {
      person,
      createdBy: teamManager.id,
      items: [{ weeklyPence: 60_000 }],
      panelStatus: 'awaiting',
    });
    const page = await panel.get(`/plans/${plan.id}/panel`);
    expect(page.text).toContain('another team manager must decide at panel');

    const response = await panel
      .post(`/plans/${plan.id}/panel-approve`)
      .type('form')
      .send({ panelNote: 'Agreed', version: String(plan.version), _csrf: csrfTokenFrom(page.text) });

    expect(response.status).toBe(403);
    expect(await planRow(plan.id)).toMatchObject({ panel_status: 'awaiting', panel_decided_by: null, version: plan.version });
  });

  it('lets the panel return a plan with a reason', async () => {
    const plan = await aPlanFor([{ weeklyPence: 60_000 }], { panelStatus: 'awaiting' });
    const { csrf, version } = await openPage(panel, `/plans/${plan.id}/panel`);
    const response = await panel
      .post(`/plans/${plan.id}/panel-return`)
      .type('form')
      .send({ returnReason: 'Look again at informal support', version, _csrf: csrf });
    expect(response.status).toBe(302);
    expect(await planRow(plan.id)).toMatchObject({
      status: 'returned',
      return_reason: 'Look again at informal support',
      returned_by: teamManager.id,
      panel_status: 'not_needed',
    });
  });
});
