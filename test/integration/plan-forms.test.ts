import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, submitForm, type Agent } from '../support/http.js';
import { errorSummaryLinks, inlineErrorOf, inputValueOf } from '../support/page-forms.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';

let t: TestApp;
let careManager: TestUser;
let north: { id: number };
let agent: Agent;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North Locality');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Priya Shah' });
  const admin = await aUser(t.db, { role: 'admin' });
  agent = await signIn(t.app, careManager.email, careManager.password);
  adminAgent = await signIn(t.app, admin.email, admin.password);
});
afterAll(() => t.drop());

const version = async (planId: number) =>
  String(((await t.db('support_plans').where({ id: planId }).first('version')) as { version: number }).version);

async function aDraftPlan(): Promise<{ person: PersonRow; planId: number; outcomeId: number }> {
  const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id });
  await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id, annualPence: 913_000 });
  const started = await submitForm(agent, `/people/${person.id}`, `/people/${person.id}/plans`, {});
  const planId = Number(/\/plans\/(\d+)/.exec(started.headers.location ?? '')?.[1]);
  const outcome = await submitForm(agent, `/plans/${planId}/outcomes/new`, `/plans/${planId}/outcomes`, {
    description: 'I want to get up and washed before my daughter goes to work',
    eligibilityOutcomes: ['personal_hygiene'],
    version: await version(planId),
  });
  expect(outcome.status).toBe(302);
  const outcomeId = ((await t.db('plan_outcomes').where({ plan_id: planId }).first('id')) as { id: number }).id;
  return { person, planId, outcomeId };
}

const postItem = async (planId: number, fields: Record<string, string>) =>
  submitForm(agent, `/plans/${planId}/items/new`, `/plans/${planId}/items`, { ...fields, version: await version(planId) });

describe('the support item form', () => {
  it('shows every mistake at once, each summary link aimed at its field, and saves nothing', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    const response = await postItem(planId, {
      description: '',
      outcomeId: String(outcomeId),
      fundingStream: 'social_care',
      unitCost: 'abc',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#description', 'Enter what the support is'],
      ['#costType', 'Select how the cost is worked out'],
      ['#managementOption', 'Select how this support is managed'],
    ]);
    for (const id of ['description', 'costType', 'managementOption']) expect(response.text).toContain(`id="${id}"`);
    expect(inputValueOf(response.text, 'unitCost')).toBe('abc');
    expect(await t.db('plan_items').where({ plan_id: planId })).toEqual([]);
  });

  it('costs by rate and hours without asking for a weekly cost, and says so when the boxes of another way were filled in', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    const item = {
      description: 'Personal assistant',
      outcomeId: String(outcomeId),
      fundingStream: 'social_care',
      managementOption: 'direct_payment',
    };
    const mixedUp = await postItem(planId, { ...item, costType: 'weekly', unitCost: '21.50', unitsPerWeek: '7.5' });
    expect(mixedUp.status).toBe(400);
    expect(mixedUp.text).not.toContain('Enter the weekly cost');
    expect(inlineErrorOf(mixedUp.text, 'costType')).toContain('You chose a weekly amount but filled in a rate times hours a week');

    const missingHours = await postItem(planId, { ...item, costType: 'unit', unitCost: '21.50', weeklyAmount: '' });
    expect(errorSummaryLinks(missingHours.text)).toEqual([['#unitsPerWeek', 'Enter the number of units a week']]);

    expect((await postItem(planId, { ...item, costType: 'unit', unitCost: '21.50', unitsPerWeek: '7.5' })).status).toBe(302);
    expect(await t.db('plan_items').where({ plan_id: planId }).first()).toMatchObject({ cost_type: 'unit', weekly_pence: 16125 });
  });

  it('asks how money is managed only for social care: an NHS item has no council management option, nor does its printout', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    const form = await agent.get(`/plans/${planId}/items/new`);
    // The management options sit under the social care choice, and no way of costing is chosen for the user.
    expect(form.text.indexOf('id="conditional-fundingStream"')).toBeLessThan(form.text.indexOf('name="managementOption"'));
    expect(form.text.indexOf('name="managementOption"')).toBeLessThan(form.text.indexOf('id="fundingStream-2"'));
    expect(form.text).not.toMatch(/name="costType"[^>]*checked/);

    const nurse = await postItem(planId, {
      description: 'District nurse',
      outcomeId: String(outcomeId),
      fundingStream: 'health',
      managementOption: 'council_managed',
      costType: 'weekly',
      weeklyAmount: '25',
    });
    expect(nurse.status).toBe(302);
    expect(await t.db('plan_items').where({ plan_id: planId }).first()).toMatchObject({
      funding_stream: 'health',
      management_option: null,
    });
    const printout = await agent.get(`/plans/${planId}/print`);
    expect(printout.text).toContain('Arranged and paid for by the NHS');
    expect(printout.text).not.toContain('Council-managed budget');
  });

  it('refuses a social care item with no management option from the database itself', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    await expect(
      t.db('plan_items').insert({
        plan_id: planId,
        outcome_id: outcomeId,
        description: 'Unmanaged',
        funding_stream: 'social_care',
        management_option: null,
        cost_type: 'weekly',
        weekly_pence: 100,
        position: 1,
      }),
    ).rejects.toThrow(/plan_items_managed_if_social_care/);
  });
});

describe('what the plan records', () => {
  const details = {
    peopleInvolved: 'Mrs Khan and her daughter',
    contactArrangements: 'Phone her daughter in the evening',
    eligibleNeeds: 'Maintaining personal hygiene',
    needsCouncilWillMeet: 'A personal assistant every morning',
    wellbeing: 'Dignity',
    preventionAdvice: 'Falls leaflet',
  };

  it('beside a direct payment asks its terms with no "No direct payment" choice, and saving flags what submitting would refuse', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    const item = {
      description: 'Personal assistant',
      outcomeId: String(outcomeId),
      fundingStream: 'social_care',
      managementOption: 'direct_payment',
    };
    expect((await postItem(planId, { ...item, costType: 'weekly', weeklyAmount: '160' })).status).toBe(302);
    const form = await agent.get(`/plans/${planId}/details`);
    expect(form.text).toContain('name="directPaymentFrequency"');
    expect(form.text).not.toContain('No direct payment');

    const saving = await submitForm(agent, `/plans/${planId}/details`, `/plans/${planId}/details`, {
      ...details,
      version: await version(planId),
    });
    expect(saving.status).toBe(400);
    expect(errorSummaryLinks(saving.text).map(([href]) => href)).toEqual([
      '#directPaymentNeeds',
      '#directPaymentFrequency',
      '#directPaymentBasis',
    ]);
    expect(saving.text).toContain('Mrs Khan and her daughter');
    expect(await t.db('support_plans').where({ id: planId }).first('people_involved')).toEqual({ people_involved: '' });
  });

  it('without a direct payment asks none of its terms and keeps none', async () => {
    const { planId, outcomeId } = await aDraftPlan();
    const item = {
      description: 'Home care',
      outcomeId: String(outcomeId),
      fundingStream: 'social_care',
      managementOption: 'council_managed',
    };
    expect((await postItem(planId, { ...item, costType: 'weekly', weeklyAmount: '100' })).status).toBe(302);
    const form = await agent.get(`/plans/${planId}/details`);
    expect(form.text).not.toContain('name="directPaymentFrequency"');
    const saved = await submitForm(agent, `/plans/${planId}/details`, `/plans/${planId}/details`, {
      ...details,
      directPaymentFrequency: 'weekly',
      version: await version(planId),
    });
    expect(saved.status).toBe(302);
    expect(await t.db('support_plans').where({ id: planId }).first('direct_payment_frequency')).toEqual({ direct_payment_frequency: null });
    expect((await submitForm(agent, `/plans/${planId}`, `/plans/${planId}/submit`, { version: await version(planId) })).status).toBe(302);
  });
});

describe('who to contact on the printed plan', () => {
  it('names the care manager and gives the team’s phone and email an administrator set, never the person’s own number', async () => {
    const { planId } = await aDraftPlan();
    const contact = await submitForm(adminAgent, `/admin/teams/${north.id}/contact`, `/admin/teams/${north.id}/contact`, {
      phone: '01632 960 001',
      email: 'north.locality@example.gov.uk',
      version: '1',
    });
    expect(contact.status).toBe(302);
    expect(await t.db('audit_events').where({ action: 'team_contact_changed', entity_id: north.id }).first('after')).toEqual({
      after: { phone: '01632 960 001', email: 'north.locality@example.gov.uk' },
    });
    const printout = await agent.get(`/plans/${planId}/print`);
    expect(printout.text).toContain('Your care manager is Priya Shah, in the North Locality team.');
    expect(printout.text).toContain('To reach the team, phone 01632 960 001 or email north.locality@example.gov.uk.');
    expect(printout.text).not.toContain('0113 496 0000');
  });

  it('refuses a team phone number or email that could not reach anyone, by its box, keeping what was typed', async () => {
    const team = await aTeam(t.db, 'South Locality');
    const refused = await submitForm(adminAgent, `/admin/teams/${team.id}/contact`, `/admin/teams/${team.id}/contact`, {
      phone: 'ring reception',
      email: 'south at council',
      version: '1',
    });
    expect(refused.status).toBe(400);
    expect(errorSummaryLinks(refused.text).map(([href]) => href)).toEqual(['#phone', '#email']);
    expect(inputValueOf(refused.text, 'phone')).toBe('ring reception');
    expect(await t.db('teams').where({ id: team.id }).first('phone', 'version')).toEqual({ phone: '', version: 1 });
  });
});

describe('the next step once a plan is signed off', () => {
  it('offers the person’s team the first review, from the plan page and the person page, and finance neither', async () => {
    const financeOfficer = await aUser(t.db, { role: 'finance_officer' });
    const finance = await signIn(t.app, financeOfficer.email, financeOfficer.password);
    const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id });
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 10_000 }] });
    const approved = await submitForm(finance, `/plans/${plan.id}/sign-off`, `/plans/${plan.id}/approve`, {
      'startDate[day]': '1',
      'startDate[month]': '6',
      'startDate[year]': '2026',
      version: String(plan.version),
    });
    expect(approved.status).toBe(302);
    const review = (await t.db('reviews').where({ person_id: person.id, kind: 'first' }).first('id')) as { id: number };

    const planPage = await agent.get(`/plans/${plan.id}`);
    expect(planPage.text).toMatch(new RegExp(`href="/reviews/${review.id}">Start the first review \\(due 27 July 2026\\)`));
    const personPage = await agent.get(`/people/${person.id}`);
    expect(personPage.text).toMatch(new RegExp(`href="/reviews/${review.id}">Start the review due 27 July 2026`));
    expect((await agent.get(`/reviews/${review.id}`)).status).toBe(200);

    expect((await finance.get(`/plans/${plan.id}`)).text).not.toContain('Start the first review');
    expect((await finance.get(`/people/${person.id}`)).text).not.toContain('Start the review');
  });
});
