import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryLinks, formFieldsFrom, inlineErrorOf } from '../support/page-forms.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { completeQuestionnaire, startAssessment, submitAssessment } from '../support/questionnaire.js';

let t: TestApp;
let north: { id: number };
let careManager: TestUser;
let teamManager: TestUser;
let otherTeamCareManager: TestUser;
let finance: TestUser;
let agent: Agent;
let financeAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Priya Shah' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: north.id });
  otherTeamCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  finance = await aUser(t.db, { role: 'finance_officer' });
  agent = await signIn(t.app, careManager.email, careManager.password);
  financeAgent = await signIn(t.app, finance.email, finance.password);
});
afterAll(() => t.drop());

/** A North person with an assessment submitted on 1 May 2026 (the builder's date). */
async function aPersonWithAssessment(): Promise<PersonRow> {
  const person = await aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id, givenName: 'Grace' });
  await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
  return person;
}

async function aDraftPlan(person: PersonRow): Promise<number> {
  const response = await submitForm(agent, `/people/${person.id}`, `/people/${person.id}/plans`, {});
  expect(response.status).toBe(302);
  return Number(/\/plans\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
}

/** A plan finance has sent back, returned through the sign-off page as a finance officer would. */
async function aReturnedPlan(person: PersonRow): Promise<number> {
  const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
  const returned = await changeAndSubmit(financeAgent, `/plans/${plan.id}/sign-off`, `/plans/${plan.id}/return`, {
    returnReason: 'Check the day centre price',
  });
  expect(returned.status).toBe(302);
  return plan.id;
}

const planRow = (planId: number) => t.db('support_plans').where({ id: planId }).first();

const withdraw = (planId: number, reason: string, who: Agent = agent) =>
  changeAndSubmit(who, `/plans/${planId}/withdraw`, `/plans/${planId}/withdraw`, { reason });

/** The person's newer assessment, walked through and submitted by their care manager: 15 June 2026 on the test clock. */
async function submitANewerAssessment(person: PersonRow): Promise<number> {
  const id = await startAssessment(agent, person);
  await completeQuestionnaire(agent, id);
  expect((await submitAssessment(agent, id)).status).toBe(302);
  return id;
}

describe('withdrawing a support plan', () => {
  it('withdraws a draft with a reason, says so once on the person’s page, and lets a new plan start', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain(`href="/plans/${planId}/withdraw"`);

    const response = await withdraw(planId, 'Grace has decided to wait until after her operation');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/people/${person.id}`);
    expect(await planRow(planId)).toMatchObject({
      status: 'withdrawn',
      withdrawn_reason: 'Grace has decided to wait until after her operation',
      withdrawn_by: careManager.id,
      withdrawn_at: t.clock.now(),
    });
    const audit = await t.db('audit_events').where({ entity_type: 'support_plan', entity_id: String(planId), action: 'plan_withdrawn' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: careManager.id, before: { status: 'draft' }, after: { status: 'withdrawn' } });

    // The confirmation shows on the next page only; the timeline names the event as well, so look for the banner itself.
    const banner = '<p class="govuk-notification-banner__heading">Support plan withdrawn</p>';
    const personPage = await agent.get(`/people/${person.id}`);
    expect(personPage.text).toContain(banner);
    expect(personPage.text).toMatch(/<strong class="govuk-tag govuk-tag--grey">\s*Withdrawn\s*<\/strong>/);
    expect((await agent.get(`/people/${person.id}`)).text).not.toContain(banner);

    const planPage = await agent.get(`/plans/${planId}`);
    expect(planPage.text).toContain('This plan was withdrawn');
    expect(planPage.text).toContain(
      'Withdrawn by Priya Shah on 15 June 2026 at 11:00am. Reason: Grace has decided to wait until after her operation',
    );
    expect(planPage.text).not.toContain('Add an outcome');
    expect(planPage.text).not.toContain('Withdraw this plan');

    const newPlan = await aDraftPlan(person);
    expect(newPlan).not.toBe(planId);
  });

  it('withdraws a plan finance returned, by a team manager of the person’s team', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aReturnedPlan(person);
    const manager = await signIn(t.app, teamManager.email, teamManager.password);
    const response = await withdraw(planId, 'The person moved to live with her son in Bristol', manager);
    expect(response.status).toBe(302);
    expect(await planRow(planId)).toMatchObject({ status: 'withdrawn', withdrawn_by: teamManager.id });
    const audit = await t
      .db('audit_events')
      .where({ entity_id: String(planId), action: 'plan_withdrawn' })
      .first();
    expect(audit.before).toEqual({ status: 'returned' });
  });

  it('needs a reason, and keeps what was typed when the reason is refused', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const empty = await withdraw(planId, '   ');
    expect(empty.status).toBe(400);
    expect(errorSummaryLinks(empty.text)).toEqual([['#reason', 'Enter the reason for withdrawing the plan']]);
    expect(inlineErrorOf(empty.text, 'reason')).toBe('Enter the reason for withdrawing the plan');

    const long = `The person no longer wants support. ${'x'.repeat(1000)}`;
    const tooLong = await withdraw(planId, long);
    expect(tooLong.status).toBe(400);
    expect(inlineErrorOf(tooLong.text, 'reason')).toBe('The reason for withdrawing the plan must be 1000 characters or fewer');
    expect(tooLong.text).toContain(long);
    expect((await planRow(planId)).status).toBe('draft');
    expect(await countRows(t.db, 'audit_events', { entity_id: String(planId), action: 'plan_withdrawn' })).toBe(0);
  });

  it('cannot withdraw a plan waiting for sign-off, and says finance must return it first', async () => {
    const person = await aPersonWithAssessment();
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    const planPage = await agent.get(`/plans/${plan.id}`);
    expect(planPage.text).not.toContain('Withdraw this plan');
    expect(planPage.text).toContain(
      'This plan is waiting for sign-off, so it cannot be withdrawn. If it should not go ahead, ask finance to return it',
    );

    const page = await agent.get(`/plans/${plan.id}/withdraw`);
    expect(page.status).toBe(409);
    expect(page.text).toContain('This plan has been submitted for sign-off, so it cannot be withdrawn. Ask finance to return it first');

    const audit = await countRows(t.db, 'audit_events');
    const post = await agent
      .post(`/plans/${plan.id}/withdraw`)
      .type('form')
      .send({ reason: 'No longer needed', version: String(plan.version), _csrf: csrfTokenFrom(planPage.text) });
    expect(post.status).toBe(409);
    expect(post.text).toContain('so it cannot be withdrawn');
    expect(await planRow(plan.id)).toMatchObject({ status: 'submitted', version: plan.version });
    expect(await countRows(t.db, 'audit_events')).toBe(audit);
  });

  it('is hidden from another team (404) and refused to finance (403), changing nothing', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const version = String((await planRow(planId)).version);
    const other = await signIn(t.app, otherTeamCareManager.email, otherTeamCareManager.password);
    for (const [who, status] of [
      [other, 404],
      [financeAgent, 403],
    ] as const) {
      expect((await who.get(`/plans/${planId}/withdraw`)).status).toBe(status);
      const token = csrfTokenFrom((await who.get('/people')).text);
      const post = await who.post(`/plans/${planId}/withdraw`).type('form').send({ reason: 'Not mine to withdraw', version, _csrf: token });
      expect(post.status).toBe(status);
    }
    expect((await planRow(planId)).status).toBe('draft');
  });

  it('refuses a stale form with the 409 page, keeping the reason that was typed', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const form = await agent.get(`/plans/${planId}/withdraw`);
    const fields = formFieldsFrom(form.text, `/plans/${planId}/withdraw`);
    const changed = await submitForm(agent, `/plans/${planId}/outcomes/new`, `/plans/${planId}/outcomes`, {
      description: 'To cook my own tea',
      eligibilityOutcomes: 'nutrition',
      version: fields.version as string,
    });
    expect(changed.status).toBe(302);

    const response = await agent
      .post(`/plans/${planId}/withdraw`)
      .type('form')
      .send({ ...fields, reason: 'Typed on an old page' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Typed on an old page');
    expect((await planRow(planId)).status).toBe('draft');
  });

  it('changes nothing when the withdraw button is pressed twice', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const form = await agent.get(`/plans/${planId}/withdraw`);
    const fields = { ...formFieldsFrom(form.text, `/plans/${planId}/withdraw`), reason: 'Duplicate referral' };
    const [first, second] = [
      await agent.post(`/plans/${planId}/withdraw`).type('form').send(fields),
      await agent.post(`/plans/${planId}/withdraw`).type('form').send(fields),
    ];
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(await countRows(t.db, 'audit_events', { entity_id: String(planId), action: 'plan_withdrawn' })).toBe(1);
  });

  it('cannot be submitted once withdrawn', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const planPage = await agent.get(`/plans/${planId}`);
    const submitFields = formFieldsFrom(planPage.text, `/plans/${planId}/submit`);
    expect((await withdraw(planId, 'Duplicate referral')).status).toBe(302);
    const version = String((await planRow(planId)).version);

    const response = await agent
      .post(`/plans/${planId}/submit`)
      .type('form')
      .send({ ...submitFields, version });
    expect(response.status).toBe(400);
    expect(response.text).toContain('This plan was withdrawn, so it can no longer be changed or submitted');
    expect((await planRow(planId)).status).toBe('withdrawn');
    expect((await agent.get(`/plans/${planId}/items/new`)).status).toBe(403);
  });
});

describe('a newer assessment supersedes plans started from an older one', () => {
  it('supersedes a draft when the newer assessment is submitted, says why on the plan page, and a new plan can start', async () => {
    const person = await aPersonWithAssessment();
    const planId = await aDraftPlan(person);
    const submitFields = formFieldsFrom((await agent.get(`/plans/${planId}`)).text, `/plans/${planId}/submit`);
    const newer = await submitANewerAssessment(person);

    expect(await planRow(planId)).toMatchObject({ status: 'superseded', superseded_by_assessment_id: newer });
    const audit = await t.db('audit_events').where({ entity_id: String(planId), action: 'plan_superseded' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: careManager.id, after: { superseded_by_assessment_id: newer } });

    const page = await agent.get(`/plans/${planId}`);
    expect(page.text).toContain('This plan was superseded by a newer assessment');
    expect(page.text).toContain(
      'It was started from the assessment of 1 May 2026. A newer assessment was submitted on 15 June 2026, so this plan can no longer be submitted or approved. Start a new plan from the newer assessment.',
    );
    expect(page.text).toContain(`href="/people/${person.id}#support-plans"`);
    expect(page.text).toContain('Superseded by a newer assessment');

    const version = String((await planRow(planId)).version);
    const submitted = await agent
      .post(`/plans/${planId}/submit`)
      .type('form')
      .send({ ...submitFields, version });
    expect(submitted.status).toBe(400);
    expect(submitted.text).toContain('This plan was superseded by a newer assessment, so it can no longer be changed or submitted');
    expect((await planRow(planId)).status).toBe('superseded');

    const newPlan = await aDraftPlan(person);
    expect(await planRow(newPlan)).toMatchObject({ status: 'draft', assessment_id: newer });
  });

  it('supersedes a returned plan too, and leaves an approved plan alone', async () => {
    const person = await aPersonWithAssessment();
    const approved = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    const signOff = await changeAndSubmit(financeAgent, `/plans/${approved.id}/sign-off`, `/plans/${approved.id}/approve`, {
      'startDate[day]': '1',
      'startDate[month]': '7',
      'startDate[year]': '2026',
    });
    expect(signOff.status).toBe(302);
    const returned = await aReturnedPlan(person);

    await submitANewerAssessment(person);
    expect((await planRow(returned)).status).toBe('superseded');
    expect((await planRow(approved.id)).status).toBe('approved');
  });

  it('stops finance approving a superseded plan from a sign-off page opened before, and changes nothing', async () => {
    const person = await aPersonWithAssessment();
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    const signOff = await financeAgent.get(`/plans/${plan.id}/sign-off`);
    const fields = {
      ...formFieldsFrom(signOff.text, `/plans/${plan.id}/approve`),
      'startDate[day]': '1',
      'startDate[month]': '7',
      'startDate[year]': '2026',
    };
    await submitANewerAssessment(person);
    const before = { plan: await planRow(plan.id), budgets: await countRows(t.db, 'personal_budgets', { person_id: person.id }) };
    expect(before.plan.status).toBe('superseded');

    const response = await financeAgent.post(`/plans/${plan.id}/approve`).type('form').send(fields);
    expect([403, 409]).toContain(response.status);
    expect(await planRow(plan.id)).toEqual(before.plan);
    expect(await countRows(t.db, 'personal_budgets', { person_id: person.id })).toBe(before.budgets);
    expect(await countRows(t.db, 'audit_events', { entity_id: String(plan.id), action: 'plan_approved' })).toBe(0);
    // Nor does a form with the current version get further.
    const current = await financeAgent
      .post(`/plans/${plan.id}/approve`)
      .type('form')
      .send({ ...fields, version: String(before.plan.version) });
    expect(current.status).toBe(403);
    expect((await planRow(plan.id)).status).toBe('superseded');
  });
});
