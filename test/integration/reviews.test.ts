import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import type { ReviewRecordRow } from '../../src/reviews/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { errorSummaryOf, formFieldsFrom, inlineErrorOf } from '../support/page-forms.js';
import { aSubmittedAssessment, aSubmittedPlan, type ItemSpec } from '../support/plan-builders.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';

// The test clock stands on Monday 15 June 2026, 11am in London.
let t: TestApp;
let services: Services;
let north: { id: number };
let careManager: TestUser;
let secondCareManager: TestUser;
let teamManager: TestUser;
let financeOfficer: TestUser;
let southCareManager: TestUser;
let cm: Agent;
let cm2: Agent;
let tm: Agent;
let finance: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Priya Shah' });
  secondCareManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Sam Patel' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Helen Marsh' });
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  southCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  [cm, cm2, tm, finance] = await Promise.all([
    signIn(t.app, careManager.email, careManager.password),
    signIn(t.app, secondCareManager.email, secondCareManager.password),
    signIn(t.app, teamManager.email, teamManager.password),
    signIn(t.app, financeOfficer.email, financeOfficer.password),
  ]);
});
afterAll(() => t.drop());

async function aNorthPerson(options: { givenName?: string; familyName?: string } = {}): Promise<PersonRow> {
  return aPerson(t.db, { teamId: north.id, allocatedWorkerId: careManager.id, ...options });
}

async function withBudget(items: ItemSpec[], startDate = '2026-04-01') {
  const person = await aNorthPerson();
  const approved = await anApprovedBudget(services, t.db, t.clock, { person, careManager, financeOfficer, items, startDate });
  return { person, ...approved };
}

async function review(id: number): Promise<ReviewRecordRow> {
  return (await t.db('reviews').where({ id }).first()) as ReviewRecordRow;
}

async function reviewsOf(personId: number): Promise<ReviewRecordRow[]> {
  return (await t.db('reviews').where({ person_id: personId }).orderBy('id')) as ReviewRecordRow[];
}

function dateFields(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}[day]`]: String(Number(day)), [`${name}[month]`]: String(Number(month)), [`${name}[year]`]: year };
}

/**
 * Opens the review page as the worker would, fills in the form (every outcome met unless changed)
 * and sends it. `changes` may clear a field with null.
 */
async function completeReview(agent: Agent, reviewId: number, changes: Record<string, string | null> = {}) {
  const page = await agent.get(`/reviews/${reviewId}`);
  expect(page.status, `GET /reviews/${reviewId}`).toBe(200);
  const fields: Record<string, string> = formFieldsFrom(page.text, `/reviews/${reviewId}/complete`);
  for (const [, id] of page.text.matchAll(/name="outcome-(\d+)-result"/g)) fields[`outcome-${id}-result`] = 'met';
  Object.assign(fields, {
    budgetUse: 'Paid for the home care agency every morning, as planned',
    personView: 'I am managing well and want to keep the same carers',
    ...dateFields('reviewDate', '2026-06-10'),
    decision: 'continue',
  });
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete fields[name];
    else fields[name] = value;
  }
  return agent.post(`/reviews/${reviewId}/complete`).type('form').send(fields);
}

async function outcomeIdsOf(planId: number): Promise<number[]> {
  return (await t.db('plan_outcomes').where({ plan_id: planId }).orderBy('position').pluck('id')) as number[];
}

describe('the review chain', () => {
  it('approving a budget schedules the first review 8 weeks on, and completing it schedules the next 12 months after the review date', async () => {
    const person = await aNorthPerson({ givenName: 'Grace', familyName: 'Okafor' });
    const plan = await aSubmittedPlan(t.db, {
      person,
      createdBy: careManager.id,
      items: [{ weeklyPence: 15_000, description: 'Home care every morning' }],
    });
    const signOff = await finance.get(`/plans/${plan.id}/sign-off`);
    const approval = await finance
      .post(`/plans/${plan.id}/approve`)
      .type('form')
      .send({
        ...dateFields('startDate', '2026-04-01'),
        weeklyAmount: '',
        amountReason: '',
        version: String(plan.version),
        _csrf: csrfTokenFrom(signOff.text),
      });
    expect(approval.status).toBe(302);

    const [first, ...others] = await reviewsOf(person.id);
    expect(others).toEqual([]);
    // 1 April + 56 days is 27 May.
    expect(first).toMatchObject({ kind: 'first', due_date: '2026-05-27', status: 'scheduled', assigned_to: careManager.id });
    const home = await cm.get('/');
    expect(home.text).toContain(`href="/reviews/${first?.id}"`);
    expect(home.text).toContain('overdue by 19 days');

    const page = await cm.get(`/reviews/${first?.id}`);
    expect(page.text).toContain('First review');
    expect(page.text).toContain('I want to stay in my own home');
    expect(page.text).toContain('£150.00 a week');
    expect(page.text).toContain('overdue by 19 days');

    const [outcomeId] = await outcomeIdsOf(plan.id);
    const response = await completeReview(cm, first?.id as number, {
      [`outcome-${outcomeId}-result`]: 'partly_met',
      [`outcome-${outcomeId}-comment`]: 'Mornings are fine; evenings are still hard',
    });
    expect(response.status, response.text.slice(0, 500)).toBe(302);
    expect(response.headers.location).toBe(`/reviews/${first?.id}?completed=yes`);

    const done = await review(first?.id as number);
    expect(done).toMatchObject({
      status: 'completed',
      completed_by: careManager.id,
      review_date: '2026-06-10',
      decision: 'continue',
      budget_variance: null,
      budget_use: 'Paid for the home care agency every morning, as planned',
      person_view: 'I am managing well and want to keep the same carers',
      version: (first?.version as number) + 1,
    });
    expect(done.outcome_findings).toEqual([
      {
        outcomeId,
        description: 'I want to stay in my own home',
        result: 'partly_met',
        comment: 'Mornings are fine; evenings are still hard',
      },
    ]);
    const [, next] = await reviewsOf(person.id);
    expect(next).toMatchObject({
      kind: 'annual',
      due_date: '2027-06-10',
      status: 'scheduled',
      assigned_to: careManager.id,
      budget_id: first?.budget_id,
      plan_id: plan.id,
    });
    const actions = (await t
      .db('audit_events')
      .where({ person_id: person.id, user_id: careManager.id })
      .whereIn('entity_type', ['review', 'personal_budget'])
      .orderBy('id')
      .pluck('action')) as string[];
    expect(actions).toEqual(['review_completed', 'review_scheduled']);

    const confirmation = await cm.get(response.headers.location as string);
    expect(confirmation.text).toContain('Review completed');
    expect(confirmation.text).toContain('Partly met');
    expect(confirmation.text).toContain('Mornings are fine; evenings are still hard');
    const personPage = await cm.get(`/people/${person.id}`);
    expect(personPage.text).toContain('id="reviews"');
    expect(personPage.text).toContain('10 June 2027');
    expect(personPage.text).toContain('due in 360 days');
    expect(personPage.text).toContain('Reviewed 10 June 2026 by Priya Shah');
  });

  it('asks how a direct payment was used, and a later review replaces the annual review the first one scheduled', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 10_000, managementOption: 'direct_payment' }, { weeklyPence: 5_000 }]);
    const [first, directPayment] = reviews as ReviewRecordRow[];
    expect(directPayment).toMatchObject({ kind: 'direct_payment', due_date: '2026-10-01' });

    const missing = await completeReview(cm, first?.id as number, { budgetUse: 'Personal assistant paid every four weeks' });
    expect(missing.status).toBe(400);
    expect(errorSummaryOf(missing.text)).toEqual(['Select whether the direct payment was underspent, overspent or used as planned']);
    expect(missing.text).toContain('Personal assistant paid every four weeks');
    expect((await review(first?.id as number)).status).toBe('scheduled');

    expect((await completeReview(cm, first?.id as number, { budgetVariance: 'underspend' })).status).toBe(302);
    expect((await review(first?.id as number)).budget_variance).toBe('underspend');
    expect(
      (await completeReview(cm, directPayment?.id as number, { budgetVariance: 'as_planned', ...dateFields('reviewDate', '2026-06-12') }))
        .status,
    ).toBe(302);

    const all = await reviewsOf(person.id);
    expect(all.map((row) => [row.kind, row.due_date, row.status])).toEqual([
      ['first', '2026-05-27', 'completed'],
      ['direct_payment', '2026-10-01', 'completed'],
      ['annual', '2027-06-10', 'cancelled'],
      ['annual', '2027-06-12', 'scheduled'],
    ]);
    expect(all[2]?.reason).toBe('Replaced by the review due 12 June 2027');
  });

  it('lets a double-clicked "Complete review" record one review, open one new plan and land both clicks on it', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const page = await cm.get(`/reviews/${reviewId}`);
    const fields = formFieldsFrom(page.text, `/reviews/${reviewId}/complete`);
    for (const [, id] of page.text.matchAll(/name="outcome-(\d+)-result"/g)) fields[`outcome-${id}-result`] = 'met';
    Object.assign(fields, {
      budgetUse: 'As planned',
      personView: 'Happy',
      ...dateFields('reviewDate', '2026-06-10'),
      decision: 'change_plan',
    });
    const send = () => cm.post(`/reviews/${reviewId}/complete`).type('form').send(fields);

    const clicks = await Promise.all([send(), send()]);
    const drafts = (await t.db('support_plans').where({ person_id: person.id, status: 'draft' }).pluck('id')) as number[];
    expect(drafts).toHaveLength(1);
    for (const click of clicks) expect(click.headers.location).toBe(`/plans/${drafts[0]}`);
    expect((await reviewsOf(person.id)).map((row) => [row.kind, row.status])).toEqual([
      ['first', 'completed'],
      ['annual', 'scheduled'],
    ]);
    expect(await countRows(t.db, 'audit_events', { person_id: person.id, action: 'review_completed' })).toBe(1);
  });

  it('gives a second worker completing the same review the 409 page with what they typed, and changes nothing', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const stalePage = await cm2.get(`/reviews/${reviewId}`);
    const staleFields = formFieldsFrom(stalePage.text, `/reviews/${reviewId}/complete`);
    expect((await completeReview(cm, reviewId)).status).toBe(302);

    for (const [, id] of stalePage.text.matchAll(/name="outcome-(\d+)-result"/g)) staleFields[`outcome-${id}-result`] = 'not_met';
    for (const [, id] of stalePage.text.matchAll(/name="outcome-(\d+)-comment"/g))
      staleFields[`outcome-${id}-comment`] = 'Carers keep changing';
    Object.assign(staleFields, {
      budgetUse: 'Half of it unused',
      personView: 'Not happy',
      ...dateFields('reviewDate', '2026-06-11'),
      decision: 'continue',
    });
    const conflict = await cm2.post(`/reviews/${reviewId}/complete`).type('form').send(staleFields);

    expect(conflict.status).toBe(409);
    expect(conflict.text).toContain('Someone else changed this review');
    expect(conflict.text).toContain('Carers keep changing');
    expect(conflict.text).toContain('Half of it unused');
    expect(await review(reviewId)).toMatchObject({ completed_by: careManager.id, review_date: '2026-06-10' });
    expect((await reviewsOf(person.id)).filter((row) => row.status === 'scheduled')).toHaveLength(1);
  });
});

describe('recording a review: what must be filled in', () => {
  it('shows every problem at once in page order, keeps what was typed and saves nothing', async () => {
    const { person, plan, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const [outcomeId] = await outcomeIdsOf(plan.id);
    const response = await completeReview(cm, reviewId, {
      [`outcome-${outcomeId}-result`]: 'not_met',
      budgetUse: '',
      personView: 'She wants more help in the evenings',
      ...dateFields('reviewDate', '2026-06-16'),
      decision: null,
    });

    expect(response.status).toBe(400);
    expect(response.text).toMatch(/<title>Error: /);
    expect(errorSummaryOf(response.text)).toEqual([
      'Say why outcome 1 is not met',
      'Enter how the personal budget has been used',
      'The review date must be today or in the past',
      'Select what happens next',
    ]);
    expect(response.text).toContain('<a href="#reviewDate-day">The review date must be today or in the past</a>');
    expect(inlineErrorOf(response.text, `outcome-${outcomeId}-comment`)).toBe('Say why outcome 1 is not met');
    expect(response.text).toContain('She wants more help in the evenings');
    expect(response.text).toMatch(new RegExp(`value="not_met" checked`));
    expect(await review(reviewId)).toMatchObject({ status: 'scheduled', version: 1 });
    expect(await reviewsOf(person.id)).toHaveLength(1);
  });

  it('does not accept a review date before the budget started', async () => {
    const { reviews } = await withBudget([{ weeklyPence: 9_000 }], '2026-06-01');
    const response = await completeReview(cm, (reviews[0] as ReviewRecordRow).id, dateFields('reviewDate', '2026-05-20'));
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['The review date must be on or after 1 June 2026, when the personal budget started']);
  });

  it('needs the end date and the reason when the budget is to end', async () => {
    const { reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const response = await completeReview(cm, (reviews[0] as ReviewRecordRow).id, { decision: 'end_budget' });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['Enter the date the budget ends', 'Select why the personal budget is ending']);
    expect(response.text).toContain('<a href="#endDate-day">Enter the date the budget ends</a>');
  });

  it('offers the reasons a budget ends as choices, without "replaced", which only sign-off writes, and keeps what was typed when refused', async () => {
    const { budget, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const page = await cm.get(`/reviews/${reviewId}`);
    expect([...page.text.matchAll(/name="endReason" type="radio" value="([a-z_]+)"/g)].map((match) => match[1])).toEqual([
      'no_longer_eligible',
      'needs_met_another_way',
      'moved_out_of_area',
      'moved_into_residential_care',
      'declined',
      'died',
    ]);

    const response = await completeReview(cm, reviewId, {
      decision: 'end_budget',
      ...dateFields('endDate', '2026-06-30'),
      endReason: 'replaced',
      endNote: 'Her daughter will arrange care privately',
    });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['Select why the personal budget is ending']);
    expect(inlineErrorOf(response.text, 'endReason')).toBe('Select why the personal budget is ending');
    expect(response.text).toContain('Her daughter will arrange care privately</textarea>');
    expect(await t.db('personal_budgets').where({ id: budget.id }).first('end_date', 'version')).toEqual({ end_date: null, version: 1 });
  });
});

describe('what each decision does', () => {
  it('"Change the support plan" opens a draft copy of the approved plan from this review, and the budget carries on', async () => {
    const person = await aNorthPerson();
    const assessment = await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
    const items: ItemSpec[] = [
      { weeklyPence: 10_000, managementOption: 'direct_payment', description: 'Personal assistant' },
      { weeklyPence: 4_000, description: 'Day centre' },
      { weeklyPence: 2_500, fundingStream: 'health', description: 'District nurse' },
    ];
    const { plan, budget, reviews } = await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager,
      financeOfficer,
      items,
      startDate: '2026-04-01',
      assessment,
    });
    const reviewId = (reviews[0] as ReviewRecordRow).id;

    const response = await completeReview(cm, reviewId, { budgetVariance: 'overspend', decision: 'change_plan' });

    expect(response.status, response.text.slice(0, 400)).toBe(302);
    const draft = await t.db('support_plans').where({ person_id: person.id, status: 'draft' }).first();
    expect(response.headers.location).toBe(`/plans/${draft.id}`);
    expect(draft).toMatchObject({
      from_review_id: reviewId,
      assessment_id: plan.assessment_id,
      created_by: careManager.id,
      indicative_weekly_pence: plan.indicative_weekly_pence,
      people_involved: plan.people_involved,
      direct_payment_frequency: plan.direct_payment_frequency,
      needs_changed: '',
    });
    const parts = async (planId: number) => ({
      outcomes: await t.db('plan_outcomes').where({ plan_id: planId }).orderBy('position').select('description', 'eligibility_outcomes'),
      items: await t
        .db('plan_items as i')
        .join('plan_outcomes as o', 'o.id', 'i.outcome_id')
        .where('i.plan_id', planId)
        .orderBy('i.position')
        .select('i.description', 'i.weekly_pence', 'i.management_option', 'i.funding_stream', 'o.description as outcome'),
      risks: await t.db('plan_risks').where({ plan_id: planId }).orderBy('position').select('risk', 'how_managed'),
    });
    expect(await parts(draft.id)).toEqual(await parts(plan.id));
    expect((await parts(draft.id)).items).toHaveLength(3);
    expect(await t.db('personal_budgets').where({ id: budget.id }).first()).toMatchObject({ end_date: null });
    expect((await reviewsOf(person.id)).map((row) => [row.kind, row.status])).toEqual([
      ['first', 'completed'],
      ['direct_payment', 'scheduled'],
      ['annual', 'scheduled'],
    ]);
    expect(
      await t
        .db('audit_events')
        .where({ entity_type: 'support_plan', entity_id: String(draft.id) })
        .pluck('action'),
    ).toEqual(['plan_started']);
    expect((await review(reviewId)).decision).toBe('change_plan');
  });

  it('refuses "Change the support plan" while another plan is in progress, and saves nothing', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 9_500 }] });
    const response = await completeReview(cm, (reviews[0] as ReviewRecordRow).id, { decision: 'change_plan' });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)[0]).toMatch(/already has a support plan in progress/);
    expect((await review((reviews[0] as ReviewRecordRow).id)).status).toBe('scheduled');
    expect(await reviewsOf(person.id)).toHaveLength(1);
  });

  it('"Reassess their needs" opens an assessment draft that says it came from this review', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const response = await completeReview(cm, reviewId, { decision: 'reassess' });

    expect(response.status, response.text.slice(0, 400)).toBe(302);
    const draft = await t.db('assessments').where({ person_id: person.id, status: 'draft' }).first();
    expect(draft).toMatchObject({ from_review_id: reviewId, started_by: careManager.id, assessment_type: 'person' });
    expect(response.headers.location).toBe(`/assessments/${draft.id}`);
    expect(await countRows(t.db, 'assessments', { person_id: person.id, status: 'submitted' })).toBe(1);
    expect(
      await t
        .db('audit_events')
        .where({ entity_type: 'assessment', entity_id: String(draft.id) })
        .pluck('action'),
    ).toEqual(['assessment_started']);
    expect((await reviewsOf(person.id)).map((row) => [row.kind, row.status])).toEqual([
      ['first', 'completed'],
      ['annual', 'scheduled'],
    ]);
  });

  it('"End the personal budget" ends it on the date given and cancels its future reviews, scheduling none', async () => {
    const { person, budget, reviews } = await withBudget([{ weeklyPence: 10_000, managementOption: 'direct_payment' }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    const response = await completeReview(cm, reviewId, {
      budgetVariance: 'as_planned',
      decision: 'end_budget',
      ...dateFields('endDate', '2026-06-30'),
      endReason: 'moved_into_residential_care',
      endNote: 'Moving to Oakfield House at the end of the month',
    });

    expect(response.status, response.text.slice(0, 400)).toBe(302);
    expect(await t.db('personal_budgets').where({ id: budget.id }).first()).toMatchObject({
      end_date: '2026-06-30',
      end_reason: 'moved_into_residential_care',
      end_note: 'Moving to Oakfield House at the end of the month',
      ended_by: careManager.id,
    });
    expect((await reviewsOf(person.id)).map((row) => [row.kind, row.status, row.status === 'cancelled' ? row.reason : ''])).toEqual([
      ['first', 'completed', ''],
      ['direct_payment', 'cancelled', 'The personal budget ended after a review'],
    ]);
    expect(await review(reviewId)).toMatchObject({
      decision: 'end_budget',
      decision_end_date: '2026-06-30',
      decision_end_reason: 'moved_into_residential_care',
      decision_end_note: 'Moving to Oakfield House at the end of the month',
    });
    const actions = (await t
      .db('audit_events')
      .where({ person_id: person.id, user_id: careManager.id })
      .whereIn('entity_type', ['review', 'personal_budget'])
      .orderBy('id')
      .pluck('action')) as string[];
    expect(actions).toEqual(['budget_ended', 'review_cancelled', 'review_completed']);
    const confirmation = await cm.get(response.headers.location as string);
    expect(confirmation.text).toContain('The personal budget ends on 30 June 2026');
    expect(confirmation.text).toMatch(
      /Why it ends<\/dt>\s*<dd class="govuk-summary-list__value">Moved into residential or nursing care<\/dd>/,
    );
  });
});

describe('a plan from a review that would lower the budget', () => {
  async function changedPlan() {
    const { person, reviews } = await withBudget([{ weeklyPence: 10_000, description: 'Home care' }]);
    const response = await completeReview(cm, (reviews[0] as ReviewRecordRow).id, { decision: 'change_plan' });
    const planId = Number(/\/plans\/(\d+)/.exec(response.headers.location ?? '')?.[1]);
    return { person, planId, reviewId: (reviews[0] as ReviewRecordRow).id };
  }

  async function submitPlan(planId: number) {
    const page = await cm.get(`/plans/${planId}`);
    const version = /action="\/plans\/\d+\/submit"[\s\S]*?name="version" value="(\d+)"/.exec(page.text)?.[1] as string;
    return cm
      .post(`/plans/${planId}/submit`)
      .type('form')
      .send({ version, _csrf: csrfTokenFrom(page.text) });
  }

  it('goes to sign-off as it is when it costs the same', async () => {
    const { planId } = await changedPlan();
    const response = await submitPlan(planId);
    expect(response.status).toBe(302);
    expect((await t.db('support_plans').where({ id: planId }).first()).status).toBe('submitted');
  });

  it('cannot go to sign-off until it says what changed in the person’s needs', async () => {
    const { planId } = await changedPlan();
    const item = await t.db('plan_items').where({ plan_id: planId }).first();
    const itemPage = `/plans/${planId}/items/${item.id}/edit`;
    const lowered = await cm
      .post(itemPage)
      .type('form')
      .send({ ...formFieldsFrom((await cm.get(itemPage)).text, itemPage), weeklyAmount: '80.00' });
    expect(lowered.status).toBe(302);

    const refused = await submitPlan(planId);
    expect(refused.status).toBe(400);
    expect(errorSummaryOf(refused.text)).toEqual([
      'Record what has changed in the person’s needs: this plan from a review would lower their personal budget',
    ]);
    expect((await t.db('support_plans').where({ id: planId }).first()).status).toBe('draft');

    const details = await cm.get(`/plans/${planId}/details`);
    expect(details.text).toContain('What has changed in');
    expect(details.text).toContain('costs less than the current personal budget of £100.00 a week');
    const saved = await cm
      .post(`/plans/${planId}/details`)
      .type('form')
      .send({
        ...formFieldsFrom(details.text, `/plans/${planId}/details`),
        needsChanged: 'Her daughter now helps every evening, so the evening calls are no longer needed',
      });
    expect(saved.status).toBe(302);

    expect((await submitPlan(planId)).status).toBe(302);
    expect(await t.db('support_plans').where({ id: planId }).first()).toMatchObject({
      status: 'submitted',
      needs_changed: 'Her daughter now helps every evening, so the evening calls are no longer needed',
    });
  });

  it('applies to a plan built on a reassessment the review asked for, and not to one that never came from a review', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 10_000 }]);
    const actor = actorOf(careManager);
    expect((await completeReview(cm, (reviews[0] as ReviewRecordRow).id, { decision: 'reassess' })).status).toBe(302);
    // The questionnaire is the assessments area's to test: the reassessment is submitted here as that area would leave it.
    await t
      .db('assessments')
      .where({ person_id: person.id, status: 'submitted' })
      .update({ status: 'superseded', superseded_at: new Date() });
    await t.db('assessments').where({ person_id: person.id, status: 'draft' }).update({
      status: 'submitted',
      submitted_by: careManager.id,
      submitted_at: new Date(),
      eligible: true,
      raw_points: 60,
      modifier_percent: 0,
      annual_pence: 660_000,
      weekly_pence: 12_692,
      below_threshold: false,
      exceeds_ceiling: false,
    });
    const lowerPlan = async (personId: number) => {
      const planId = await services.plans.startPlan(actor, personId);
      await services.plans.addOutcome(actor, planId, 1, { description: 'I want to cook my own meals', eligibilityOutcomes: ['nutrition'] });
      const outcomeId = (await t.db('plan_outcomes').where({ plan_id: planId }).first('id')).id as number;
      await services.plans.addItem(actor, planId, 2, {
        description: 'Meal preparation',
        provider: '',
        outcomeId,
        fundingStream: 'social_care',
        managementOption: 'council_managed',
        costType: 'weekly',
        weeklyPence: 7_000,
        unitCostPence: null,
        unitsPerWeekHundredths: null,
        version: 2,
        weeklyAmount: '70',
        unitCost: '',
        unitsPerWeek: '',
      });
      return (await services.plans.planPage(actor, planId)).problems.map((problem) => problem.text);
    };
    expect(await lowerPlan(person.id)).toContain(
      'Record what has changed in the person’s needs: this plan from a review would lower their personal budget',
    );

    // Someone whose new plan costs less for another reason (no review) is not held to it.
    const other = await withBudget([{ weeklyPence: 10_000 }]);
    await t
      .db('assessments')
      .where({ person_id: other.person.id, status: 'submitted' })
      .update({ status: 'superseded', superseded_at: new Date() });
    await aSubmittedAssessment(t.db, { person: other.person, submittedBy: careManager.id });
    expect(await lowerPlan(other.person.id)).not.toContain(
      'Record what has changed in the person’s needs: this plan from a review would lower their personal budget',
    );
  });
});

describe('unplanned reviews and reassigning', () => {
  it('adds an unplanned review from the person page, for today or later, and a double-click adds one', async () => {
    const { person } = await withBudget([{ weeklyPence: 9_000 }]);
    const personPage = await cm.get(`/people/${person.id}`);
    expect(personPage.text).toContain(`href="/people/${person.id}/reviews/new"`);
    const form = await cm.get(`/people/${person.id}/reviews/new`);
    expect(form.status).toBe(200);
    const csrf = csrfTokenFrom(form.text);

    const past = await cm
      .post(`/people/${person.id}/reviews`)
      .type('form')
      .send({ _csrf: csrf, reason: 'Her daughter rang: a fall at home', ...dateFields('dueDate', '2026-06-14') });
    expect(past.status).toBe(400);
    expect(errorSummaryOf(past.text)).toEqual(['The date the review is due must be today or in the future']);
    expect(past.text).toContain('Her daughter rang: a fall at home');

    const send = () =>
      cm
        .post(`/people/${person.id}/reviews`)
        .type('form')
        .send({ _csrf: csrf, reason: 'Her daughter rang: a fall at home', ...dateFields('dueDate', '2026-06-15') });
    const clicks = await Promise.all([send(), send()]);
    for (const click of clicks) expect(click.headers.location).toBe(`/people/${person.id}#reviews`);
    const unplanned = (await reviewsOf(person.id)).filter((row) => row.kind === 'unplanned');
    expect(unplanned).toHaveLength(1);
    expect(unplanned[0]).toMatchObject({
      due_date: '2026-06-15',
      reason: 'Her daughter rang: a fall at home',
      assigned_to: careManager.id,
      created_by: careManager.id,
      status: 'scheduled',
    });
    expect((await cm.get(`/people/${person.id}`)).text).toContain('due today');
  });

  it('offers no unplanned review to someone without a personal budget', async () => {
    const person = await aNorthPerson();
    const form = await cm.get(`/people/${person.id}/reviews/new`);
    expect(form.text).toContain('has no personal budget yet');
    const response = await cm
      .post(`/people/${person.id}/reviews`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(form.text), reason: 'Asked for one', ...dateFields('dueDate', '2026-07-01') });
    expect(response.status).toBe(400);
    expect(await reviewsOf(person.id)).toEqual([]);
  });

  it('lets the team manager or the assigned worker reassign a review to someone in the team, and nobody else', async () => {
    const { person, reviews } = await withBudget([{ weeklyPence: 9_000 }]);
    const reviewId = (reviews[0] as ReviewRecordRow).id;
    expect((await cm2.get(`/reviews/${reviewId}/reassign`)).status).toBe(403);
    expect((await cm.get(`/reviews/${reviewId}`)).text).toContain(`href="/reviews/${reviewId}/reassign"`);
    expect((await cm2.get(`/reviews/${reviewId}`)).text).not.toContain(`href="/reviews/${reviewId}/reassign"`);

    const page = await tm.get(`/reviews/${reviewId}/reassign`);
    expect(page.status).toBe(200);
    const outsider = await tm
      .post(`/reviews/${reviewId}/reassign`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: '1', assignedTo: String(southCareManager.id) });
    expect(outsider.status).toBe(400);
    expect(errorSummaryOf(outsider.text)).toEqual(['Select a worker from the person’s team']);

    const moved = await tm
      .post(`/reviews/${reviewId}/reassign`)
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: '1', assignedTo: String(secondCareManager.id) });
    expect(moved.status).toBe(302);
    expect(await review(reviewId)).toMatchObject({ assigned_to: secondCareManager.id, version: 2 });
    const event = await t.db('audit_events').where({ person_id: person.id, action: 'review_reassigned' }).first();
    expect(event).toMatchObject({
      user_id: teamManager.id,
      before: { assigned_to: careManager.id },
      after: { assigned_to: secondCareManager.id },
    });
    // Now it is Sam's, Sam can hand it back; Priya no longer can.
    expect((await cm.get(`/reviews/${reviewId}/reassign`)).status).toBe(403);
    expect((await cm2.get(`/reviews/${reviewId}/reassign`)).status).toBe(200);
  });
});
