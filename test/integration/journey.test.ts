import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { completeQuestionnaire, postPage, startAssessment, submitAssessment } from '../support/questionnaire.js';

/**
 * The whole journey through the pages, each step by the role that takes it: assessment, plan,
 * submit, returned with a reason, changed, resubmitted, approved into a budget with its first
 * review; then a new plan whose budget replaces the first.
 */
let t: TestApp;
let careManager: TestUser;
let finance: TestUser;
let cm: Agent;
let fo: Agent;
let person: PersonRow;

beforeAll(async () => {
  t = await buildTestApp();
  await ensureDefaultRas(t.db, t.clock);
  const north = await aTeam(t.db, 'North');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  finance = await aUser(t.db, { role: 'finance_officer' });
  person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id, clientGroup: 'older_people' });
  cm = await signIn(t.app, careManager.email, careManager.password);
  fo = await signIn(t.app, finance.email, finance.password);
});
afterAll(() => t.drop());

async function newPlan(): Promise<number> {
  const started = await postPage(cm, `/people/${person.id}`, {}, `/people/${person.id}/plans`);
  expect(started.status).toBe(302);
  return Number(/\/plans\/(\d+)$/.exec(started.headers.location ?? '')?.[1]);
}

async function writePlan(planId: number, weeklyAmount: string): Promise<void> {
  const outcome = await postPage(
    cm,
    `/plans/${planId}/outcomes/new`,
    {
      description: 'I want to stay at home and get out to the shops',
      eligibilityOutcomes: ['personal_hygiene', 'community_facilities'],
    },
    `/plans/${planId}/outcomes`,
  );
  expect(outcome.status).toBe(302);
  const outcomeId = String((await t.db('plan_outcomes').where({ plan_id: planId }).first('id')).id);
  const item = await postPage(
    cm,
    `/plans/${planId}/items/new`,
    {
      description: 'Home care visits',
      provider: 'Riverside Care',
      outcomeId,
      fundingStream: 'social_care',
      managementOption: 'council_managed',
      costType: 'weekly',
      weeklyAmount,
    },
    `/plans/${planId}/items`,
  );
  expect(item.status).toBe(302);
  const details = await postPage(cm, `/plans/${planId}/details`, {
    peopleInvolved: 'The person and their son',
    contactArrangements: 'Phone',
    eligibleNeeds: 'Washing, getting out',
    needsCouncilWillMeet: 'Both, with home care',
    wellbeing: 'Dignity, social wellbeing',
    preventionAdvice: 'Falls advice',
  });
  expect(details.status).toBe(302);
}

async function submitPlan(planId: number) {
  const submitted = await postPage(cm, `/plans/${planId}`, {}, `/plans/${planId}/submit`);
  expect(submitted.status, submitted.text.slice(0, 400)).toBe(302);
}

describe('from assessment to an approved personal budget', () => {
  it('goes through assessment, plan, return, resubmission and approval, and schedules the first review 8 weeks on', async () => {
    const assessmentId = await startAssessment(cm, person);
    await completeQuestionnaire(cm, assessmentId);
    expect((await submitAssessment(cm, assessmentId)).status).toBe(302);
    const assessment = await t.db('assessments').where({ id: assessmentId }).first();
    expect(assessment).toMatchObject({ status: 'submitted', raw_points: 83, annual_pence: 913_000, eligible: true });

    const planId = await newPlan();
    await writePlan(planId, '150');
    await submitPlan(planId);
    const queue = await fo.get('/finance/queue');
    expect(queue.text).toContain(person.reference);

    const returned = await postPage(
      fo,
      `/plans/${planId}/sign-off`,
      { returnReason: 'The home care rate is £24.10 an hour this year' },
      `/plans/${planId}/return`,
    );
    expect(returned.status).toBe(302);
    const planPage = await cm.get(`/plans/${planId}`);
    expect(planPage.text).toContain('The home care rate is £24.10 an hour this year');

    const itemId = (await t.db('plan_items').where({ plan_id: planId }).first('id')).id as number;
    const changed = await postPage(cm, `/plans/${planId}/items/${itemId}/edit`, {
      description: 'Home care visits',
      provider: 'Riverside Care',
      outcomeId: String((await t.db('plan_outcomes').where({ plan_id: planId }).first('id')).id),
      fundingStream: 'social_care',
      managementOption: 'council_managed',
      costType: 'unit',
      unitCost: '24.10',
      unitsPerWeek: '7',
    });
    expect(changed.status).toBe(302);
    await submitPlan(planId);

    const approved = await postPage(
      fo,
      `/plans/${planId}/sign-off`,
      { 'startDate[day]': '6', 'startDate[month]': '7', 'startDate[year]': '2026' },
      `/plans/${planId}/approve`,
    );
    expect(approved.status, approved.text.slice(0, 400)).toBe(302);

    expect(await t.db('support_plans').where({ id: planId }).first('status')).toEqual({ status: 'approved' });
    const budget = await t.db('personal_budgets').where({ plan_id: planId }).first();
    // £24.10 x 7 hours = £168.70 a week, £8,772.40 a year.
    expect(budget).toMatchObject({
      start_date: '2026-07-06',
      end_date: null,
      weekly_pence: 16_870,
      annual_pence: 877_240,
      council_managed_weekly_pence: 16_870,
    });
    const reviews = await t.db('reviews').where({ budget_id: budget.id }).select('kind', 'due_date', 'status');
    expect(reviews).toEqual([{ kind: 'first', due_date: '2026-08-31', status: 'scheduled' }]);
    const personPage = await cm.get(`/people/${person.id}`);
    expect(personPage.text).toContain('£168.70');
    const signedOffPlan = await cm.get(`/plans/${planId}`);
    expect(signedOffPlan.text).toContain('a personal budget of <strong>£168.70 a week</strong>');
    expect(signedOffPlan.text).toContain('from 6 July 2026');
  });

  it('ends the previous budget the day before a new one starts, and cancels its reviews', async () => {
    const first = await t.db('personal_budgets').where({ person_id: person.id }).first();
    const planId = await newPlan();
    await writePlan(planId, '160');
    await submitPlan(planId);
    const approved = await postPage(
      fo,
      `/plans/${planId}/sign-off`,
      { 'startDate[day]': '1', 'startDate[month]': '10', 'startDate[year]': '2026' },
      `/plans/${planId}/approve`,
    );
    expect(approved.status).toBe(302);
    expect(await t.db('personal_budgets').where({ id: first.id }).first('end_date', 'replaced_by_id')).toMatchObject({
      end_date: '2026-09-30',
    });
    expect(await t.db('reviews').where({ budget_id: first.id }).pluck('status')).toEqual(['cancelled']);
    const open = await t.db('personal_budgets').where({ person_id: person.id }).whereNull('end_date');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ plan_id: planId, start_date: '2026-10-01', weekly_pence: 16_000 });
  });
});
