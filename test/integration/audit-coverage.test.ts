import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/auth/roles.js';
import { peopleService } from '../../src/people/service.js';
import { plansService } from '../../src/plans/service.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { createServices } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn } from '../support/http.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { aDraftRas } from '../support/ras-builders.js';
import { anApprovedBudget } from '../support/review-builders.js';

type EventRow = {
  action: string;
  user_id: number;
  entity_type: string;
  entity_id: string;
  person_id: number | null;
  before: unknown;
  after: unknown;
};

/** The events written since the given id, oldest first. */
async function eventsAfter(db: Knex, id: number): Promise<EventRow[]> {
  return (await db('audit_events')
    .where('id', '>', id)
    .orderBy('id')
    .select('action', 'user_id', 'entity_type', 'entity_id', 'person_id', 'before', 'after')) as EventRow[];
}

async function lastEventId(db: Knex): Promise<number> {
  const [row] = (await db('audit_events').max('id as id')) as [{ id: number | null }];
  return Number(row.id ?? 0);
}

describe('what the audit trail records of personal data leaving the screen', () => {
  let t: TestApp;
  let careManager: TestUser;
  let admin: TestUser;
  let teamId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    teamId = (await aTeam(t.db)).id;
    careManager = await aUser(t.db, { role: 'care_manager', teamId });
    admin = await aUser(t.db, { role: 'admin' });
  });
  afterAll(async () => t.drop());

  it('records a people search with what was typed, who searched, and only when something was typed', async () => {
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const since = await lastEventId(t.db);
    expect((await agent.get('/people')).status).toBe(200);
    expect((await agent.get('/people').query({ q: 'Okafor 1/2/1950' })).status).toBe(200);

    expect(await eventsAfter(t.db, since)).toEqual([
      {
        action: 'people_searched',
        user_id: careManager.id,
        entity_type: 'person_search',
        entity_id: '',
        person_id: null,
        before: null,
        after: { q: 'Okafor 1/2/1950', team: null, client_group: null, page: 1 },
      },
    ]);
  });

  it('records each opening of the printable plan, with the person it is about', async () => {
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 10_000 }] });
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const since = await lastEventId(t.db);
    expect((await agent.get(`/plans/${plan.id}/print`)).status).toBe(200);

    expect(await eventsAfter(t.db, since)).toMatchObject([
      { action: 'plan_printed', user_id: careManager.id, entity_type: 'support_plan', entity_id: String(plan.id), person_id: person.id },
    ]);
  });

  it('records the assessment explanation, made to be printed, but not the result page', async () => {
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    const assessment = await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const since = await lastEventId(t.db);
    expect((await agent.get(`/assessments/${assessment.id}/result`)).status).toBe(200);
    expect((await agent.get(`/assessments/${assessment.id}/explanation`)).status).toBe(200);

    expect(await eventsAfter(t.db, since)).toMatchObject([
      { action: 'assessment_explanation_printed', user_id: careManager.id, entity_id: String(assessment.id), person_id: person.id },
    ]);
  });

  it('records the download of the CSV of people rescored under a draft RAS', async () => {
    const draftId = await aDraftRas(t.db, defaultRasDefinition, admin.id);
    const agent = await signIn(t.app, admin.email, admin.password);
    const since = await lastEventId(t.db);
    const response = await agent.get(`/admin/ras/${draftId}/impact.csv`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');

    expect(await eventsAfter(t.db, since)).toMatchObject([
      { action: 'ras_impact_downloaded', user_id: admin.id, entity_type: 'ras_version', entity_id: String(draftId) },
    ]);
  });

  it('records the decision letter, and the approval it follows with the status it replaced', async () => {
    const financeOfficer = await aUser(t.db, { role: 'finance_officer' });
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    const services = createServices(t.appDb, t.clock);
    const { plan } = await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager,
      financeOfficer,
      items: [{ weeklyPence: 10_000 }],
      startDate: '2026-07-01',
    });
    const approval = (await t
      .db('audit_events')
      .where({ action: 'plan_approved', entity_id: String(plan.id) })
      .first()) as EventRow;
    expect(approval.before).toEqual({ status: 'submitted' });
    expect(approval.after).toMatchObject({ status: 'approved' });

    const agent = await signIn(t.app, careManager.email, careManager.password);
    const since = await lastEventId(t.db);
    expect((await agent.get(`/plans/${plan.id}/decision-letter`)).status).toBe(200);
    expect(await eventsAfter(t.db, since)).toMatchObject([
      { action: 'decision_letter_printed', user_id: careManager.id, entity_id: String(plan.id), person_id: person.id },
    ]);
  });

  it('records nothing for a page the user may not see', async () => {
    const otherTeam = (await aTeam(t.db)).id;
    const stranger = await aPerson(t.db, { teamId: otherTeam });
    const assessment = await aSubmittedAssessment(t.db, { person: stranger, submittedBy: admin.id });
    const agent = await signIn(t.app, careManager.email, careManager.password);
    const since = await lastEventId(t.db);
    expect((await agent.get(`/assessments/${assessment.id}/explanation`)).status).toBe(404);

    expect(await eventsAfter(t.db, since)).toEqual([]);
  });
});

describe('what the audit trail records of a change to a support plan', () => {
  let t: TestApp;
  let actor: Actor;
  let plan: { id: number; personId: number };

  beforeAll(async () => {
    t = await buildTestApp();
    const teamId = (await aTeam(t.db)).id;
    const careManager = await aUser(t.db, { role: 'care_manager', teamId });
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
    actor = {
      id: careManager.id,
      email: careManager.email,
      displayName: careManager.displayName,
      role: 'care_manager',
      teamId,
      requestId: 'r',
    };
    const plans = plansService(t.appDb, peopleService(t.appDb), t.clock);
    plan = { id: await plans.startPlan(actor, person.id), personId: person.id };
  });
  afterAll(async () => t.drop());

  const plans = () => plansService(t.appDb, peopleService(t.appDb), t.clock);
  const version = async () => ((await t.db('support_plans').where({ id: plan.id }).first('version')) as { version: number }).version;
  const details = {
    peopleInvolved: 'The person',
    contactArrangements: 'Phone',
    eligibleNeeds: 'Nutrition',
    needsCouncilWillMeet: 'Meals',
    wellbeing: 'At home',
    preventionAdvice: '',
    directPaymentNeeds: '',
    directPaymentFrequency: null,
    directPaymentBasis: null,
    overIndicativeReason: '',
  };

  it('records the fields a change replaced, as they were, beside what they became', async () => {
    await plans().changeDetails(actor, plan.id, { ...details, version: await version() });
    const since = await lastEventId(t.db);
    await plans().changeDetails(actor, plan.id, { ...details, contactArrangements: 'Email on Fridays', version: await version() });

    const [event] = await eventsAfter(t.db, since);
    expect(event?.action).toBe('plan_changed');
    expect(event?.before).toEqual({ contact_arrangements: 'Phone' });
    expect(event?.after).toMatchObject({ change: 'plan details changed', contact_arrangements: 'Email on Fridays' });
  });

  it('records an outcome as it was before it was changed, and before it was removed', async () => {
    await plans().addOutcome(actor, plan.id, await version(), { description: 'Stay at home', eligibilityOutcomes: ['nutrition'] });
    const outcomeId = ((await t.db('plan_outcomes').where({ plan_id: plan.id }).first('id')) as { id: number }).id;
    const since = await lastEventId(t.db);
    await plans().changeOutcome(actor, plan.id, outcomeId, await version(), {
      description: 'Cook my own meals',
      eligibilityOutcomes: ['nutrition'],
    });
    await plans().removeOutcome(actor, plan.id, outcomeId, await version());

    const [changed, removed] = await eventsAfter(t.db, since);
    expect(changed?.before).toMatchObject({ id: outcomeId, description: 'Stay at home' });
    expect(changed?.after).toMatchObject({ change: 'outcome changed', description: 'Cook my own meals' });
    expect(removed?.before).toMatchObject({ id: outcomeId, description: 'Cook my own meals' });
  });

  it('records no before for an addition, which replaced nothing', async () => {
    const since = await lastEventId(t.db);
    await plans().addRisk(actor, plan.id, await version(), { risk: 'Falls', howManaged: 'Alarm' });
    const [added] = await eventsAfter(t.db, since);
    expect(added?.before).toBeNull();
  });
});
