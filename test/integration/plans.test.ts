import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { copyPlanParts } from '../../src/plans/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryLinks, inlineErrorOf, inputValueOf } from '../support/page-forms.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';

let t: TestApp;
let careManager: TestUser;
let otherTeamCareManager: TestUser;
let finance: TestUser;
let north: { id: number };
let agent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  otherTeamCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  finance = await aUser(t.db, { role: 'finance_officer' });
  agent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

async function aPersonWithAssessment(annualPence = 913_000): Promise<PersonRow> {
  const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id });
  await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id, annualPence });
  return person;
}

async function startPlan(person: PersonRow): Promise<number> {
  const response = await submitForm(agent, `/people/${person.id}`, `/people/${person.id}/plans`, {});
  expect(response.status).toBe(302);
  return Number(/\/plans\/(\d+)/.exec(response.headers.location ?? '')?.[1]);
}

async function planVersion(planId: number): Promise<string> {
  return String((await t.db('support_plans').where({ id: planId }).first('version')).version);
}

async function addOutcome(planId: number, description = 'I want to get to the day centre on Tuesdays'): Promise<number> {
  const response = await submitForm(agent, `/plans/${planId}/outcomes/new`, `/plans/${planId}/outcomes`, {
    description,
    eligibilityOutcomes: ['community_facilities', 'relationships'],
    version: await planVersion(planId),
  });
  expect(response.status).toBe(302);
  return (await t.db('plan_outcomes').where({ plan_id: planId }).orderBy('id', 'desc').first('id')).id as number;
}

async function addItem(planId: number, outcomeId: number, fields: Record<string, string>) {
  return submitForm(agent, `/plans/${planId}/items/new`, `/plans/${planId}/items`, {
    description: 'Personal assistant',
    provider: 'Ann',
    outcomeId: String(outcomeId),
    fundingStream: 'social_care',
    managementOption: 'direct_payment',
    costType: 'weekly',
    version: await planVersion(planId),
    ...fields,
  });
}

async function fillDetails(planId: number, extra: Record<string, string> = {}, expected = 302) {
  const response = await submitForm(agent, `/plans/${planId}/details`, `/plans/${planId}/details`, {
    peopleInvolved: 'The person and their daughter',
    contactArrangements: 'Phone in the mornings',
    eligibleNeeds: 'Personal care, getting out',
    needsCouncilWillMeet: 'Both, through a personal assistant',
    wellbeing: 'Social wellbeing, control over day-to-day life',
    preventionAdvice: 'Falls prevention leaflet and a referral to the community OT',
    directPaymentNeeds: 'Personal care',
    directPaymentFrequency: 'four_weekly',
    directPaymentBasis: 'net',
    overIndicativeReason: '',
    version: await planVersion(planId),
    ...extra,
  });
  expect(response.status).toBe(expected);
  return response;
}

describe('a support plan', () => {
  it('starts from the current assessment with its indicative budget, and a double-click makes one plan', async () => {
    const person = await aPersonWithAssessment();
    const first = await startPlan(person);
    const second = await startPlan(person);
    expect(second).toBe(first);
    const plan = await t.db('support_plans').where({ id: first }).first();
    expect(plan).toMatchObject({
      status: 'draft',
      indicative_annual_pence: 913_000,
      indicative_weekly_pence: 17_558,
      ceiling_pence: 3_000_000,
    });
    expect(
      await t.db('audit_events').where({ entity_type: 'support_plan', entity_id: String(first), action: 'plan_started' }),
    ).toHaveLength(1);
  });

  it('cannot start without a submitted assessment', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const page = await agent.get(`/people/${person.id}`);
    expect(page.text).toContain('A support plan starts from a submitted assessment');
    expect(page.text).not.toContain('Start a support plan');
  });

  it('keeps what was typed and stores nothing when an outcome has no eligibility outcome', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const response = await submitForm(agent, `/plans/${planId}/outcomes/new`, `/plans/${planId}/outcomes`, {
      description: 'To see my grandchildren',
      version: await planVersion(planId),
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Select at least one eligibility outcome this relates to');
    expect(response.text).toContain('To see my grandchildren');
    expect(await t.db('plan_outcomes').where({ plan_id: planId })).toHaveLength(0);
  });

  it.each([
    ['21.50', 2150],
    ['£21.50', 2150],
    ['21.5', 2150],
    ['1,250', 125000],
    ['£1,250.05', 125005],
  ])('accepts the weekly amount %s as %i pence', async (typed, pence) => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const response = await addItem(planId, outcomeId, { weeklyAmount: typed });
    expect(response.status).toBe(302);
    expect((await t.db('plan_items').where({ plan_id: planId }).first()).weekly_pence).toBe(pence);
  });

  it.each(['21.505', 'abc', '-5', '£', '21,50', '1.2.3'])('refuses the weekly amount "%s" with a clear message', async (typed) => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const response = await addItem(planId, outcomeId, { weeklyAmount: typed });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Enter the weekly cost in pounds and pence, like 21.50 or £21.50');
    expect(response.text).toContain('href="#weeklyAmount"');
    expect(await t.db('plan_items').where({ plan_id: planId })).toHaveLength(0);
  });

  it('works out a unit cost times units a week: £21.50 an hour for 7.5 hours is £161.25', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const response = await addItem(planId, outcomeId, { costType: 'unit', unitCost: '21.50', unitsPerWeek: '7.5' });
    expect(response.status).toBe(302);
    const item = await t.db('plan_items').where({ plan_id: planId }).first();
    expect(item).toMatchObject({ cost_type: 'unit', unit_cost_pence: 2150, units_per_week_hundredths: 750, weekly_pence: 16125 });
    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain('£161.25');
    expect(page.text).toContain('£8,385.00');
  });

  it('keeps a yearly amount as typed: a carer’s £250 a year is £250.00 a year and £4.81 a week, not £250.12', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    // A box of another way of costing may still hold what was typed before the choice changed: it is not read.
    const response = await addItem(planId, outcomeId, { costType: 'yearly', yearlyAmount: '250', weeklyAmount: 'abc' });
    expect(response.status).toBe(302);
    expect(await t.db('plan_items').where({ plan_id: planId }).first()).toMatchObject({
      cost_type: 'yearly',
      yearly_pence: 25_000,
      weekly_pence: null,
      one_off_pence: null,
    });
    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain('£250.00 a year');
    const planned = /Planned personal budget \(social care\)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/.exec(page.text);
    expect(planned?.slice(1)).toEqual(['£4.81', '£250.00']);
    expect(page.text).toContain('a week is the yearly total divided by 52');
    const print = await agent.get(`/plans/${planId}/print`);
    expect(print.text).toContain('£250.00 a year');
    expect(print.text).toContain('£4.81 a week (£250.00 a year)');
  });

  it('counts a one-off amount in the first year, and totals weekly, yearly and one-off items exactly', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { weeklyAmount: '150' });
    await addItem(planId, outcomeId, { costType: 'yearly', yearlyAmount: '250' });
    expect((await addItem(planId, outcomeId, { costType: 'one_off', oneOffAmount: '£120' })).status).toBe(302);
    expect(await t.db('plan_items').where({ plan_id: planId, cost_type: 'one_off' }).first()).toMatchObject({
      one_off_pence: 12_000,
      weekly_pence: null,
      yearly_pence: null,
    });
    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain('£120.00 once');
    // £7,800 + £250 + £120 = £8,170 a year; / 52 = £157.115..., rounded once to £157.12.
    const planned = /Planned personal budget \(social care\)<\/th>\s*<td[^>]*>([^<]*)<\/td>\s*<td[^>]*>([^<]*)<\/td>/.exec(page.text);
    expect(planned?.slice(1)).toEqual(['£157.12', '£8,170.00']);
  });

  it('shows a unit cost as typed: £15.00 × 7.5 units a week', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { costType: 'unit', unitCost: '15', unitsPerWeek: '7.5' });
    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain('£15.00 × 7.5 units a week');
    expect(page.text).toContain('£5,850.00');
  });

  it.each([
    ['weekly', 'weeklyAmount', 'Enter the weekly cost'],
    ['yearly', 'yearlyAmount', 'Enter the yearly cost'],
    ['one_off', 'oneOffAmount', 'Enter the one-off cost'],
  ])('asks for the amount of the chosen way only (%s), keeping what was typed', async (costType, field, message) => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const response = await addItem(planId, outcomeId, {
      costType,
      description: 'Respite at Oak House',
      weeklyAmount: '',
      yearlyAmount: '',
      oneOffAmount: '',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([[`#${field}`, message]]);
    expect(inlineErrorOf(response.text, field)).toBe(message);
    expect(inputValueOf(response.text, 'description')).toBe('Respite at Oak House');
    expect(response.text).toMatch(new RegExp(`value="${costType}" checked`));
    expect(await t.db('plan_items').where({ plan_id: planId })).toHaveLength(0);
  });

  it('refuses a yearly amount that is not money, by its box', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const response = await addItem(planId, outcomeId, { costType: 'yearly', yearlyAmount: '250.005' });
    expect(response.status).toBe(400);
    expect(inlineErrorOf(response.text, 'yearlyAmount')).toBe('Enter the yearly cost in pounds and pence, like 21.50 or £21.50');
    expect(inputValueOf(response.text, 'yearlyAmount')).toBe('250.005');
  });

  it('changes a weekly item into a one-off one, keeping only the one-off amount', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { weeklyAmount: '40' });
    const itemId = (await t.db('plan_items').where({ plan_id: planId }).first('id')).id as number;
    const editPage = `/plans/${planId}/items/${itemId}/edit`;
    expect(inputValueOf((await agent.get(editPage)).text, 'weeklyAmount')).toBe('40.00');
    const response = await changeAndSubmit(agent, editPage, editPage, { costType: 'one_off', oneOffAmount: '499.99' });
    expect(response.status).toBe(302);
    expect(await t.db('plan_items').where({ id: itemId }).first()).toMatchObject({
      cost_type: 'one_off',
      one_off_pence: 49_999,
      weekly_pence: null,
    });
    expect(inputValueOf((await agent.get(editPage)).text, 'oneOffAmount')).toBe('499.99');
  });

  it('keeps a yearly or one-off item to its own amount in the database', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    const item = {
      plan_id: planId,
      outcome_id: outcomeId,
      description: 'Respite',
      funding_stream: 'social_care',
      management_option: 'council_managed',
      position: 9,
    };
    await expect(t.db('plan_items').insert({ ...item, cost_type: 'yearly', yearly_pence: 25_000, weekly_pence: 481 })).rejects.toThrow(
      /plan_items_cost_as_typed/,
    );
    await expect(t.db('plan_items').insert({ ...item, cost_type: 'one_off' })).rejects.toThrow(/plan_items_cost_as_typed/);
    await expect(t.db('plan_items').insert({ ...item, cost_type: 'monthly', weekly_pence: 100 })).rejects.toThrow(
      /violates check constraint/,
    );
    await t.db('plan_items').insert({ ...item, cost_type: 'one_off', one_off_pence: 12_000 });
  });

  it('copies yearly and one-off items as typed when a plan is copied at a review', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { costType: 'yearly', yearlyAmount: '250' });
    await addItem(planId, outcomeId, { costType: 'one_off', oneOffAmount: '120' });
    await addItem(planId, outcomeId, { costType: 'unit', unitCost: '15', unitsPerWeek: '7.5' });
    const copy = await t.db('support_plans').where({ id: planId }).first();
    const [{ id: copyId }] = await t
      .db('support_plans')
      .insert({
        ...copy,
        id: undefined,
        status: 'withdrawn',
        withdrawn_reason: 'Copy',
        withdrawn_by: careManager.id,
        withdrawn_at: new Date(),
      })
      .returning('id');
    await copyPlanParts(t.db, planId, copyId);
    const columns = ['cost_type', 'weekly_pence', 'unit_cost_pence', 'units_per_week_hundredths', 'yearly_pence', 'one_off_pence'];
    const itemsOf = (id: number) => t.db('plan_items').where({ plan_id: id }).orderBy('position').select(columns);
    expect(await itemsOf(copyId)).toEqual(await itemsOf(planId));
    expect(await itemsOf(copyId)).toHaveLength(3);
  });

  it('totals per funding stream and management option, and keeps the personal budget to social care', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { weeklyAmount: '100' });
    await addItem(planId, outcomeId, { weeklyAmount: '40', managementOption: 'council_managed' });
    await addItem(planId, outcomeId, { weeklyAmount: '25', fundingStream: 'supporting_people', managementOption: 'council_managed' });
    const page = await agent.get(`/plans/${planId}`);
    // Personal budget £140 a week (£7,280 a year); individual budget £165 (£8,580).
    expect(page.text).toContain('£140.00');
    expect(page.text).toContain('£7,280.00');
    expect(page.text).toContain('£165.00');
    expect(page.text).toContain('£8,580.00');
  });

  it('lists what is missing and stays a draft when submitted too early', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const response = await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await planVersion(planId) });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Add at least one outcome in the person’s own words');
    expect(response.text).toContain('Add at least one support item');
    expect((await t.db('support_plans').where({ id: planId }).first()).status).toBe('draft');
  });

  it('needs a written reason above the indicative budget, asked when saving as well as submitting, then goes to finance', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { weeklyAmount: '100' });
    await fillDetails(planId);
    // The support grows above the indicative budget after the details were saved.
    const itemId = ((await t.db('plan_items').where({ plan_id: planId }).first('id')) as { id: number }).id;
    const changed = await submitForm(agent, `/plans/${planId}/items/${itemId}/edit`, `/plans/${planId}/items/${itemId}/edit`, {
      description: 'Personal assistant',
      outcomeId: String(outcomeId),
      fundingStream: 'social_care',
      managementOption: 'direct_payment',
      costType: 'weekly',
      weeklyAmount: '175.59',
      version: await planVersion(planId),
    });
    expect(changed.status).toBe(302);
    const refused = await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await planVersion(planId) });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Give the reason the personal budget is above the indicative budget');
    expect(refused.text).toContain(`href="/plans/${planId}/details#overIndicativeReason"`);
    expect(refused.text).toContain('The plan must give the reason');

    const saving = await fillDetails(planId, { overIndicativeReason: '' }, 400);
    expect(saving.text).toContain('Enter the reason the personal budget is above the indicative budget');

    await fillDetails(planId, { overIndicativeReason: 'Two visits a day are needed after the hospital stay' });
    expect((await agent.get(`/plans/${planId}`)).text).not.toContain('The plan must give the reason');
    const submitted = await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await planVersion(planId) });
    expect(submitted.status).toBe(302);
    const plan = await t.db('support_plans').where({ id: planId }).first();
    expect(plan).toMatchObject({ status: 'submitted', panel_status: 'not_needed', submitted_by: careManager.id });
  });

  it('sends a plan above the RAS ceiling to panel, not straight to finance', async () => {
    const planId = await startPlan(await aPersonWithAssessment(2_900_000));
    const outcomeId = await addOutcome(planId);
    // £577 a week is £30,004 a year: above the £30,000 ceiling.
    await addItem(planId, outcomeId, { weeklyAmount: '577' });
    await fillDetails(planId, { overIndicativeReason: 'Waking night support' });
    const submitted = await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await planVersion(planId) });
    expect(submitted.status).toBe(302);
    expect((await t.db('support_plans').where({ id: planId }).first()).panel_status).toBe('awaiting');
  });

  it('refuses a change from a stale form with the 409 page, keeping what was typed', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const stale = await planVersion(planId);
    await addOutcome(planId, 'First outcome');
    const response = await submitForm(agent, `/plans/${planId}/outcomes/new`, `/plans/${planId}/outcomes`, {
      description: 'Typed on an old page',
      eligibilityOutcomes: 'nutrition',
      version: stale,
    });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Typed on an old page');
    expect(await t.db('plan_outcomes').where({ plan_id: planId }).pluck('description')).toEqual(['First outcome']);
  });

  it('cannot be changed once submitted', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId);
    await addItem(planId, outcomeId, { weeklyAmount: '100' });
    await fillDetails(planId);
    await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await planVersion(planId) });
    expect((await agent.get(`/plans/${planId}/items/new`)).status).toBe(403);
    expect((await agent.get(`/plans/${planId}`)).text).not.toContain('Add a support item');
  });

  it('is hidden from another team (404) and read-only for finance (403 on changes)', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const other = await signIn(t.app, otherTeamCareManager.email, otherTeamCareManager.password);
    expect((await other.get(`/plans/${planId}`)).status).toBe(404);
    expect((await other.get(`/plans/${planId}/print`)).status).toBe(404);
    const financeAgent = await signIn(t.app, finance.email, finance.password);
    expect((await financeAgent.get(`/plans/${planId}`)).status).toBe(200);
    expect((await financeAgent.get(`/plans/${planId}/outcomes/new`)).status).toBe(403);
    const page = await financeAgent.get(`/plans/${planId}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const post = await financeAgent
      .post(`/plans/${planId}/details`)
      .type('form')
      .send({ _csrf: token, version: await planVersion(planId) });
    expect(post.status).toBe(403);
  });

  it('prints a plan the person can keep', async () => {
    const planId = await startPlan(await aPersonWithAssessment());
    const outcomeId = await addOutcome(planId, 'To cook my own tea');
    await addItem(planId, outcomeId, { weeklyAmount: '60', description: 'Cooking support' });
    const page = await agent.get(`/plans/${planId}/print`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('To cook my own tea');
    expect(page.text).toContain('Cooking support');
    expect(page.text).toContain('Who to contact');
  });
});
