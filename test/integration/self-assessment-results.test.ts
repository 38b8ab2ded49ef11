import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { publishedRas } from '../support/ras-builders.js';
import { anApprovedBudget } from '../support/review-builders.js';
import { aSentSelfAssessment, goneThrough } from '../support/self-assessment.js';

let t: TestApp;
let services: Services;
let teamId: number;
let careManager: TestUser;
let financeOfficer: TestUser;
let staff: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  await publishedRas(t.db);
  teamId = (await aTeam(t.db)).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  financeOfficer = await aUser(t.db, { role: 'finance_officer' });
  staff = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

const explanationPath = '/your-assessment/budget-explanation';
const planPath = '/your-assessment/support-plan';

const readEvents = (personId: number) =>
  t.db('audit_events').where({ person_id: personId, action: 'self_assessment_page_read' }).orderBy('id');

describe('what the person reads afterwards in their online space', () => {
  it('shows the explanation of their budget once the care manager has submitted, and not before', async () => {
    const { person, id, agent } = await aSentSelfAssessment(t, staff, teamId);
    const waiting = await agent.get('/your-assessment/overview');
    expect(waiting.text).not.toContain(explanationPath);
    expect(waiting.text).toContain('you will be able to read here how your indicative budget was worked out');
    const early = await agent.get(explanationPath);
    expect(early.status).toBe(302);
    expect(early.headers.location).toBe('/your-assessment/overview');

    // A second person whose budget is also worked out: nothing in the URL may show theirs.
    const other = await aSentSelfAssessment(t, staff, teamId);
    const otherAssessmentId = await goneThrough(t, staff, other.id);
    expect((await agent.get(`${explanationPath}?assessmentId=${otherAssessmentId}&personId=${other.person.id}`)).status).toBe(302);
    expect((await agent.get(`/assessments/${otherAssessmentId}/explanation`)).headers.location).toBe('/sign-in');

    const assessmentId = await goneThrough(t, staff, id);
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.text).toContain(`href="${explanationPath}"`);
    expect(overview.text).not.toContain(planPath);
    expect(overview.text).toContain('When the council has signed it off, you will be able to read your plan');

    const page = await agent.get(`${explanationPath}?assessmentId=${otherAssessmentId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('How your indicative budget was worked out');
    expect(page.text).toContain(person.reference);
    expect(page.text).not.toContain(other.person.reference);
    const [assessment] = await t.db('assessments').where({ id: assessmentId });
    expect((assessment.explanation as string[]).length).toBeGreaterThan(0);
    expect(
      page.text.match(/<ol class="govuk-list govuk-list--number" id="explanation">([\s\S]*?)<\/ol>/)?.[1]?.match(/<li>/g),
    ).toHaveLength((assessment.explanation as string[]).length);
    // The person's layout: their own header and the way back to their overview, no staff page linked.
    expect(page.text).toContain('href="/your-assessment/overview"');
    expect(page.text).not.toContain('/assessments/');

    expect(await readEvents(person.id)).toEqual([
      expect.objectContaining({
        user_id: null,
        entity_type: 'assessment',
        entity_id: String(assessmentId),
        after: { by: 'the person', page: 'budget explanation' },
      }),
    ]);
    expect(await readEvents(other.person.id)).toEqual([]);
  });

  it('shows their support plan and budget read only once it is signed off, and not before', async () => {
    const { person, id, agent } = await aSentSelfAssessment(t, staff, teamId);
    await goneThrough(t, staff, id);
    expect((await agent.get(planPath)).headers.location).toBe('/your-assessment/overview');

    const other = await aSentSelfAssessment(t, staff, teamId);
    const { plan: otherPlan } = await anApprovedBudget(services, t.db, t.clock, {
      person: other.person,
      careManager,
      financeOfficer,
      items: [{ weeklyPence: 12_000, description: 'Somebody else’s day centre' }],
      startDate: '2026-04-01',
    });
    expect((await agent.get(`${planPath}?planId=${otherPlan.id}`)).headers.location).toBe('/your-assessment/overview');
    expect((await agent.get(`/plans/${otherPlan.id}/print`)).headers.location).toBe('/sign-in');

    const { plan } = await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager,
      financeOfficer,
      items: [{ weeklyPence: 9_000, description: 'Help at home each morning' }],
      startDate: '2026-04-01',
    });
    const overview = await agent.get('/your-assessment/overview');
    expect(overview.text).toContain(`href="${planPath}"`);
    expect(overview.text).not.toContain('What happens next');

    const page = await agent.get(`${planPath}?planId=${otherPlan.id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Your support plan');
    expect(page.text).toContain('Help at home each morning');
    expect(page.text).toContain('Agreed personal budget');
    expect(page.text).not.toContain('day centre');
    expect(page.text).not.toContain(`/plans/${plan.id}`);
    expect(page.text).not.toMatch(/<form[^>]+action="\/(?!your-assessment)/);

    expect(await readEvents(person.id)).toEqual([
      expect.objectContaining({
        user_id: null,
        entity_type: 'support_plan',
        entity_id: String(plan.id),
        after: { by: 'the person', page: 'support plan' },
      }),
    ]);
  });
});
