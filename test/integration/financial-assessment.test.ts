import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FinancialAssessmentRow } from '../../src/finance/repo.js';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { aSubmittedPlan } from '../support/plan-builders.js';

let t: TestApp;
let teamId: number;
let careManager: TestUser;
let financeOfficer: TestUser;
let finance: Agent;
let secondFinance: Agent;
let careManagerAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  teamId = (await aTeam(t.db, 'North')).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  const secondFinanceOfficer = await aUser(t.db, { role: 'finance_officer' });
  [finance, secondFinance, careManagerAgent] = await Promise.all([
    signIn(t.app, financeOfficer.email, financeOfficer.password),
    signIn(t.app, secondFinanceOfficer.email, secondFinanceOfficer.password),
    signIn(t.app, careManager.email, careManager.password),
  ]);
});
afterAll(() => t.drop());

const validFields = {
  weeklyIncome: '200.00',
  weeklyAllowances: '190.00',
  capital: '0',
  'effectiveFrom[day]': '1',
  'effectiveFrom[month]': '6',
  'effectiveFrom[year]': '2026',
  adjustedContribution: '',
  adjustmentReason: '',
};

/** Opens the form as the officer would, keeping its token and the "latest assessment seen" it carries. */
async function openForm(agent: Agent, personId: number) {
  const page = await agent.get(`/people/${personId}/financial-assessment`);
  expect(page.status).toBe(200);
  return { page, csrf: csrfTokenFrom(page.text), latestSeenId: /name="latestSeenId" value="(\d+)"/.exec(page.text)?.[1] ?? '' };
}

async function record(agent: Agent, personId: number, fields: Record<string, string>) {
  const { csrf, latestSeenId } = await openForm(agent, personId);
  return agent
    .post(`/people/${personId}/financial-assessment`)
    .type('form')
    .send({ ...validFields, ...fields, latestSeenId, _csrf: csrf });
}

async function assessmentsOf(personId: number): Promise<FinancialAssessmentRow[]> {
  return (await t.db('financial_assessments').where({ person_id: personId }).orderBy('id')) as FinancialAssessmentRow[];
}

async function aPersonWithBudget(weeklyPence: number, startDay = '1'): Promise<PersonRow> {
  const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
  const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence }] });
  const page = await finance.get(`/plans/${plan.id}/sign-off`);
  const approved = await finance
    .post(`/plans/${plan.id}/approve`)
    .type('form')
    .send({
      'startDate[day]': startDay,
      'startDate[month]': '6',
      'startDate[year]': '2026',
      version: String(plan.version),
      _csrf: csrfTokenFrom(page.text),
    });
  expect(approved.status).toBe(302);
  return person;
}

describe('money typed into the financial assessment', () => {
  for (const typed of ['21.50', '£21.50', '21.5', ' £21.50 ']) {
    it(`accepts "${typed}" as £21.50`, async () => {
      const person = await aPerson(t.db, { teamId });
      const response = await record(finance, person.id, { weeklyIncome: typed });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(`/people/${person.id}#personal-budget`);
      expect((await assessmentsOf(person.id)).map((row) => row.weekly_income_pence)).toEqual([2_150]);
    });
  }

  for (const typed of ['21.505', 'abc', '-5', '21,50', '£', '1e3']) {
    it(`refuses "${typed}" with a clear message, keeps it in the box and stores nothing`, async () => {
      const person = await aPerson(t.db, { teamId });
      const response = await record(finance, person.id, { weeklyIncome: typed });
      expect(response.status).toBe(400);
      expect(response.text).toContain('<a href="#weeklyIncome">Enter the weekly income in pounds and pence, like 21.50 or £21.50</a>');
      expect(response.text).toContain(`value="${typed}"`);
      expect(response.text).toContain('value="190.00"');
      expect(await assessmentsOf(person.id)).toEqual([]);
    });
  }

  it('asks for every figure and the date, all at once', async () => {
    const person = await aPerson(t.db, { teamId });
    const response = await record(finance, person.id, {
      weeklyIncome: '',
      weeklyAllowances: '',
      capital: '',
      'effectiveFrom[day]': '',
      'effectiveFrom[month]': '',
      'effectiveFrom[year]': '',
    });
    expect(response.status).toBe(400);
    for (const message of [
      'Enter the weekly income',
      'Enter the weekly allowances and disregards',
      'Enter the capital',
      'Enter the date it takes effect',
    ]) {
      expect(response.text).toContain(message);
    }
    expect(response.text).toContain('href="#effectiveFrom-day"');
    expect(await assessmentsOf(person.id)).toEqual([]);
  });
});

describe('working out the contribution from capital', () => {
  // £200 income less £190 allowances is £10 a week before any tariff income.
  const cases: [string, number, boolean, number][] = [
    ['14250', 0, false, 1_000],
    ['14250.01', 100, false, 1_100],
    ['14500', 100, false, 1_100],
    ['14500.01', 200, false, 1_200],
    ['£23,250', 3_600, false, 4_600],
    ['23250.01', 0, true, 0],
  ];
  for (const [capital, tariff, fullCost, contribution] of cases) {
    it(`capital of ${capital} gives ${fullCost ? 'the full cost' : `£${tariff / 100} tariff income and £${contribution / 100} a week`}`, async () => {
      const person = await aPerson(t.db, { teamId });
      expect((await record(finance, person.id, { capital })).status).toBe(302);
      const [saved] = await assessmentsOf(person.id);
      expect(saved).toMatchObject({
        tariff_income_pence: tariff,
        pays_full_cost: fullCost,
        calculated_weekly_contribution_pence: contribution,
        weekly_contribution_pence: contribution,
        recorded_by: financeOfficer.id,
        effective_from: '2026-06-01',
      });
    });
  }

  it('shows the three Care Act figures on the person page, capping what the person pays at the cost', async () => {
    const person = await aPersonWithBudget(15_000);
    const notAssessed = await careManagerAgent.get(`/people/${person.id}`);
    expect(notAssessed.text).toContain('Not yet assessed');

    expect((await record(finance, person.id, { capital: '14500.01' })).status).toBe(302);
    const assessed = (await careManagerAgent.get(`/people/${person.id}`)).text;
    expect(assessed).toMatch(/Cost to the council<\/dt>\s*<dd class="govuk-summary-list__value">£150.00/);
    expect(assessed).toMatch(/What the person pays<\/dt>\s*<dd class="govuk-summary-list__value">£12.00/);
    expect(assessed).toMatch(/What the council pays<\/dt>\s*<dd class="govuk-summary-list__value">£138.00/);

    expect((await record(finance, person.id, { weeklyIncome: '900', capital: '0' })).status).toBe(302);
    const capped = (await careManagerAgent.get(`/people/${person.id}`)).text;
    expect(capped).toMatch(/What the person pays<\/dt>\s*<dd class="govuk-summary-list__value">£150.00/);
    expect(capped).toMatch(/What the council pays<\/dt>\s*<dd class="govuk-summary-list__value">£0.00/);

    expect((await record(finance, person.id, { capital: '30000' })).status).toBe(302);
    expect((await careManagerAgent.get(`/people/${person.id}`)).text).toContain('£150.00 (the full cost)');
  });

  it('no longer says "Not yet assessed" once an assessment in force from the budget’s start is saved', async () => {
    const person = await aPersonWithBudget(15_000, '8');
    expect((await careManagerAgent.get(`/people/${person.id}`)).text).toContain('Not yet assessed');
    expect((await record(finance, person.id, { capital: '14500.01' })).status).toBe(302);
    const page = (await careManagerAgent.get(`/people/${person.id}`)).text;
    expect(page).toMatch(/What the person pays<\/dt>\s*<dd class="govuk-summary-list__value">£12.00/);
    // The figures the assessment replaced on the same day were never in force, so they are not listed as history.
    expect(page).not.toContain('Not yet assessed');
  });

  it('uses only an assessment that has taken effect by today', async () => {
    const person = await aPersonWithBudget(15_000);
    expect(
      (await record(finance, person.id, { 'effectiveFrom[day]': '1', 'effectiveFrom[month]': '7', 'effectiveFrom[year]': '2026' })).status,
    ).toBe(302);
    const page = (await careManagerAgent.get(`/people/${person.id}`)).text;
    expect(page).toContain('Not yet assessed');
    expect(page).toContain('A financial assessment takes effect on 1 July 2026');
  });
});

describe('adjusting the contribution', () => {
  it('needs a reason for an amount different from the calculated one, then keeps both', async () => {
    const person = await aPerson(t.db, { teamId });
    const noReason = await record(finance, person.id, { adjustedContribution: '5' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Enter the reason the contribution differs from the calculated amount');
    expect(await assessmentsOf(person.id)).toEqual([]);

    expect(
      (await record(finance, person.id, { adjustedContribution: '5', adjustmentReason: 'Hardship waiver agreed by the head of service' }))
        .status,
    ).toBe(302);
    expect((await assessmentsOf(person.id)).at(-1)).toMatchObject({
      calculated_weekly_contribution_pence: 1_000,
      weekly_contribution_pence: 500,
      adjustment_reason: 'Hardship waiver agreed by the head of service',
    });
  });

  it('treats an "adjusted" amount equal to the calculated one as no adjustment', async () => {
    const person = await aPerson(t.db, { teamId });
    expect((await record(finance, person.id, { adjustedContribution: '10.00' })).status).toBe(302);
    expect((await assessmentsOf(person.id))[0]).toMatchObject({ weekly_contribution_pence: 1_000, adjustment_reason: '' });
  });

  it('lets an officer set a weekly amount for someone above the upper limit, replacing the full cost', async () => {
    const person = await aPerson(t.db, { teamId });
    expect(
      (
        await record(finance, person.id, {
          capital: '40000',
          adjustedContribution: '250',
          adjustmentReason: 'Capital is tied up in a trust being wound up',
        })
      ).status,
    ).toBe(302);
    expect((await assessmentsOf(person.id))[0]).toMatchObject({
      pays_full_cost: false,
      weekly_contribution_pence: 25_000,
      calculated_weekly_contribution_pence: 0,
    });
  });
});

describe('keeping the history', () => {
  it('adds a new assessment each time and lists them newest first', async () => {
    const person = await aPerson(t.db, { teamId });
    expect((await record(finance, person.id, { weeklyIncome: '200' })).status).toBe(302);
    expect((await record(finance, person.id, { weeklyIncome: '210', 'effectiveFrom[month]': '7' })).status).toBe(302);
    expect((await assessmentsOf(person.id)).map((row) => row.weekly_income_pence)).toEqual([20_000, 21_000]);
    const { page } = await openForm(finance, person.id);
    expect(page.text.indexOf('1 July 2026')).toBeLessThan(page.text.indexOf('1 June 2026'));
    // The form starts from the latest figures.
    expect(page.text).toContain('value="210.00"');
    expect(await countRows(t.db, 'audit_events', { person_id: person.id, action: 'financial_assessment_recorded' })).toBe(2);
  });

  it('records one assessment for a double-click', async () => {
    const person = await aPerson(t.db, { teamId });
    const { csrf, latestSeenId } = await openForm(finance, person.id);
    const send = () =>
      finance
        .post(`/people/${person.id}/financial-assessment`)
        .type('form')
        .send({ ...validFields, latestSeenId, _csrf: csrf });
    const clicks = await Promise.all([send(), send()]);
    expect(clicks.map((click) => click.status)).toEqual([302, 302]);
    expect(await assessmentsOf(person.id)).toHaveLength(1);
  });

  it('gives a 409 keeping what was typed when another officer saved one after the form was opened', async () => {
    const person = await aPerson(t.db, { teamId });
    const mine = await openForm(finance, person.id);
    expect((await record(secondFinance, person.id, { weeklyIncome: '300' })).status).toBe(302);

    const response = await finance
      .post(`/people/${person.id}/financial-assessment`)
      .type('form')
      .send({ ...validFields, weeklyIncome: '277.77', latestSeenId: mine.latestSeenId, _csrf: mine.csrf });

    expect(response.status).toBe(409);
    expect(response.text).toContain('Someone else recorded a financial assessment');
    expect(response.text).toContain('277.77');
    expect((await assessmentsOf(person.id)).map((row) => row.weekly_income_pence)).toEqual([30_000]);
  });
});
