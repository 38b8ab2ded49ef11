import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { aDirectPaymentBudget } from '../support/direct-payment-builders.js';
import { signIn, type Agent } from '../support/http.js';
import { actorOf } from '../support/review-builders.js';

/*
 * Today is Monday 15 June 2026 (the test clock). A quarter's return is overdue 28 days after the
 * quarter ends, so on 15 June the returns up to 31 March are due and those for April to June not yet.
 *
 *                 team   direct payment        bank details  account return                          counted as
 *   Ada           North  £100 a week from 5 Jan   yes         5 Jan to 31 Mar, closing £800 = 8 weeks  on DP, paid, surplus
 *   Bert          North  £70 a week from 2 Feb    yes         none                                     on DP, paid, return overdue from 2 Feb
 *   Cath          South  £50 a week from 1 Jun    no          none (nothing due before 31 Mar)         on DP
 *   Dan           North  £40 a week from 1 Jul    yes         none                                     nothing yet: starts later
 *
 * The one payment run, for 15 June, approved: Ada and Bert are paid every 4-weekly period from their
 * start to the one starting 15 June; Cath has no bank details, so is left out.
 */

let t: TestApp;
let services: Services;
let finance: TestUser;
let people: Record<'ada' | 'bert' | 'cath' | 'dan', PersonRow>;
let adminAgent: Agent;
let managerAgent: Agent;
let financeAgent: Agent;
let careManagerAgent: Agent;
let paidPence: Record<number, number>;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  const north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  const northWorker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  const southWorker = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  const manager = await aUser(t.db, { role: 'team_manager', teamId: north.id });
  const admin = await aUser(t.db, { role: 'admin' });
  finance = await aUser(t.db, { role: 'finance_officer' });
  const approver = await aUser(t.db, { role: 'finance_officer' });

  const onDirectPayments = async (teamId: number, worker: TestUser, weeklyPence: number, startDate: string, bank = true) => {
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: worker.id });
    await aDirectPaymentBudget(services, t.db, t.clock, {
      person,
      careManager: worker,
      financeOfficer: finance,
      weeklyPence,
      startDate,
      bankDetails: bank ? undefined : null,
    });
    return person;
  };
  people = {
    ada: await onDirectPayments(north.id, northWorker, 100_00, '2026-01-05'),
    bert: await onDirectPayments(north.id, northWorker, 70_00, '2026-02-02'),
    cath: await onDirectPayments(south.id, southWorker, 50_00, '2026-06-01', false),
    dan: await onDirectPayments(north.id, northWorker, 40_00, '2026-07-01'),
  };
  await services.directPayments.recordReturn(actorOf(finance), people.ada.id, {
    periodFrom: '2026-01-05',
    periodTo: '2026-03-31',
    openingBalance: 0,
    moneyIn: 1_200_00,
    moneyOut: 400_00,
    closingBalance: 800_00,
  });
  const { runId } = await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-06-15' });
  await services.directPayments.approveRun(actorOf(approver), runId, { version: 1 });
  const sums = (await t
    .db('direct_payments')
    .where({ run_id: runId })
    .groupBy('person_id')
    .select('person_id', t.db.raw('sum(amount_pence)::int as pence'))) as { person_id: number; pence: number }[];
  paidPence = Object.fromEntries(sums.map((row) => [row.person_id, row.pence]));

  adminAgent = await signIn(t.app, admin.email, admin.password);
  managerAgent = await signIn(t.app, manager.email, manager.password);
  financeAgent = await signIn(t.app, finance.email, finance.password);
  careManagerAgent = await signIn(t.app, northWorker.email, northWorker.password);
});
afterAll(() => t.drop());

const figures = ['on-direct-payments', 'paid', 'surplus', 'returns-overdue'] as const;

/** A figure's link on a page: where it goes and what it says. */
function figureLink(html: string, figure: string): string {
  const match = new RegExp(`<a class="govuk-link" href="/direct-payments/people/${figure}">([^<]*)</a>`).exec(html);
  expect(match, `a link to the ${figure} list`).not.toBeNull();
  return (match as RegExpExecArray)[1] as string;
}

/** The people a list page holds, by id. */
async function listed(agent: Agent, figure: string): Promise<number[]> {
  const page = await agent.get(`/direct-payments/people/${figure}`);
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/href="\/people\/(\d+)\/direct-payments"/g)].map((match) => Number(match[1])).sort((a, b) => a - b);
}

const ids = (...who: PersonRow[]) => who.map((person) => person.id).sort((a, b) => a - b);
const pounds = (pence: number) => `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2 })}`;

describe('the direct payment figures', () => {
  it('show an administrator every team’s figures on the dashboard, each linking to exactly the people it counts', async () => {
    const dashboard = await adminAgent.get('/reports/dashboard');
    expect(dashboard.status).toBe(200);
    const paid = (paidPence[people.ada.id] ?? 0) + (paidPence[people.bert.id] ?? 0);
    expect(figureLink(dashboard.text, 'on-direct-payments')).toBe('3 people, £220.00 a week');
    expect(figureLink(dashboard.text, 'paid')).toBe(`2 people, ${pounds(paid)}`);
    expect(dashboard.text).toContain('Paid in the latest payment run (15 June 2026)');
    expect(figureLink(dashboard.text, 'surplus')).toBe('1 person, £800.00 in their accounts');
    expect(figureLink(dashboard.text, 'returns-overdue')).toBe('1 person');

    expect(await listed(adminAgent, 'on-direct-payments')).toEqual(ids(people.ada, people.bert, people.cath));
    expect(await listed(adminAgent, 'paid')).toEqual(ids(people.ada, people.bert));
    expect(await listed(adminAgent, 'surplus')).toEqual(ids(people.ada));
    const overdue = await adminAgent.get('/direct-payments/people/returns-overdue');
    expect(overdue.text).toContain('2 February 2026');
    expect(await listed(adminAgent, 'returns-overdue')).toEqual(ids(people.bert));
  });

  it('show a team manager their own team’s figures and people only', async () => {
    const dashboard = await managerAgent.get('/reports/dashboard');
    expect(figureLink(dashboard.text, 'on-direct-payments')).toBe('2 people, £170.00 a week');
    expect(await listed(managerAgent, 'on-direct-payments')).toEqual(ids(people.ada, people.bert));
    for (const figure of figures) {
      const count = Number(/^(\d+)/.exec(figureLink(dashboard.text, figure))?.[1]);
      expect((await listed(managerAgent, figure)).length, figure).toBe(count);
    }
  });

  it('show finance the same figures on the payment runs page, and refuse the lists to a care manager', async () => {
    const runs = await financeAgent.get('/direct-payments/runs');
    expect(figureLink(runs.text, 'on-direct-payments')).toBe('3 people, £220.00 a week');
    expect(await listed(financeAgent, 'paid')).toEqual(ids(people.ada, people.bert));
    for (const figure of figures) expect((await careManagerAgent.get(`/direct-payments/people/${figure}`)).status).toBe(403);
    expect((await adminAgent.get('/direct-payments/people/everyone')).status).toBe(404);
  });

  it('counts a return received since as no longer overdue, and a penny under the threshold as no surplus', async () => {
    await services.directPayments.recordReturn(actorOf(finance), people.bert.id, {
      periodFrom: '2026-02-02',
      periodTo: '2026-03-31',
      openingBalance: 0,
      moneyIn: 560_00,
      moneyOut: 1,
      closingBalance: 560_00 - 1,
    });
    const dashboard = await adminAgent.get('/reports/dashboard');
    expect(figureLink(dashboard.text, 'returns-overdue')).toBe('0 people');
    expect(figureLink(dashboard.text, 'surplus')).toBe('1 person, £800.00 in their accounts');
    expect(await listed(adminAgent, 'returns-overdue')).toEqual([]);
  });
});

describe('the day this system took over direct payments', () => {
  it('pays no period that started before it, and asks for no return before it', async () => {
    const north = (await t.db('teams').where({ name: 'North' }).first('id')) as { id: number };
    const worker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
    const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: worker.id });
    await aDirectPaymentBudget(services, t.db, t.clock, {
      person,
      careManager: worker,
      financeOfficer: finance,
      weeklyPence: 90_00,
      startDate: '2025-03-03',
    });
    await t.db('council_settings').where({ id: 1 }).update({ direct_payments_from: '2026-05-18' });
    try {
      const page = await financeAgent.get(`/people/${person.id}/direct-payments`);
      expect(page.text).not.toContain('3 March 2025 to');
      expect(page.text).toContain('18 May 2026 to 14 June 2026');

      const { runId } = await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-06-15' });
      const payments = (await t.db('direct_payments').where({ run_id: runId, person_id: person.id }).orderBy('period_start')) as {
        period_start: string;
        amount_pence: number;
      }[];
      // The periods starting 18 May and 15 June, four weeks each at £90.
      expect(payments.map((payment) => [payment.period_start, Number(payment.amount_pence)])).toEqual([
        ['2026-05-18', 360_00],
        ['2026-06-15', 360_00],
      ]);
      const runs = await financeAgent.get('/direct-payments/runs');
      expect(runs.text).toContain('Periods that started before 18 May 2026 were paid by the council’s previous system');
      // From 18 May, no quarter's return is due yet: the days before were the previous system's to check.
      expect(await listed(adminAgent, 'returns-overdue')).not.toContain(person.id);
    } finally {
      await t.db('council_settings').where({ id: 1 }).update({ direct_payments_from: null });
    }
  });
});
