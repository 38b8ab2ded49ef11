import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { errorSummaryOf } from '../support/page-forms.js';
import { eligibleFacts, postPage, workedExampleAnswers } from '../support/questionnaire.js';
import { publishedRas } from '../support/ras-builders.js';
import { aSentSelfAssessment } from '../support/self-assessment.js';

let t: TestApp;
let teamId: number;
let careManager: TestUser;
let staff: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  teamId = (await aTeam(t.db)).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  staff = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

const agreedFields = (answers: Record<string, string>, reasons: Record<string, string> = {}) => ({
  ...Object.fromEntries(Object.entries(answers).map(([key, value]) => [`agreed[${key}]`, value])),
  ...Object.fromEntries(Object.entries(reasons).map(([key, value]) => [`reasons[${key}]`, value])),
});

describe('the care manager going through the person’s answers', () => {
  it('keeps the person’s and the agreed answers apart, and works the budget out from the agreed ones', async () => {
    const { person, id } = await aSentSelfAssessment(t, staff, teamId);
    const personPage = await staff.get(`/people/${person.id}`);
    expect(personPage.text).toContain(`/self-assessments/${id}/review`);
    const started = await postPage(staff, `/self-assessments/${id}/review`, {}, `/self-assessments/${id}/review/start`);
    expect(started.headers.location).toBe(`/self-assessments/${id}/review`);

    const all = { ...workedExampleAnswers, informal_support: 'none' };
    // Every day -> some days: 6 points fewer, so 77 points, £8,470 a year for an older person.
    const changed = { ...all, nutrition: 'some_days' };
    const noReason = await postPage(staff, `/self-assessments/${id}/review`, agreedFields(changed));
    expect(noReason.status).toBe(400);
    expect(errorSummaryOf(noReason.text)).toEqual([
      'Enter why the agreed answer to ‘How much help do you need to manage and maintain nutrition?’ is different from the person’s',
    ]);
    expect(await t.db('self_assessment_agreed_answers').where({ self_assessment_id: id })).toEqual([]);

    const saved = await postPage(
      staff,
      `/self-assessments/${id}/review`,
      agreedFields(changed, { nutrition: 'Her daughter cooks most days' }),
    );
    expect(saved.status, saved.text.slice(0, 500)).toBe(302);
    const review = await staff.get(`/self-assessments/${id}/review`);
    expect(review.text).toContain('Her daughter cooks most days');
    expect(review.text).toContain('Submit the assessment');

    const [link] = await t.db('self_assessments').where({ id });
    await postPage(staff, `/assessments/${link.assessment_id}/eligibility`, {
      ...Object.fromEntries(Object.entries(eligibleFacts).filter(([name]) => !name.endsWith('[reasons]'))),
      action: 'continue',
    });
    await postPage(staff, `/assessments/${link.assessment_id}/eligibility/reasons`, {
      ...Object.fromEntries(Object.entries(eligibleFacts).filter(([name]) => name.endsWith('[reasons]'))),
      action: 'continue',
    });

    const submitted = await postPage(staff, `/self-assessments/${id}/review`, {}, `/self-assessments/${id}/review/submit`);
    expect(submitted.status, submitted.text.slice(0, 500)).toBe(302);
    expect(submitted.headers.location).toBe(`/assessments/${link.assessment_id}/result`);

    const [selfAssessment] = await t.db('self_assessments').where({ id });
    expect(selfAssessment.status).toBe('reviewed');
    expect(selfAssessment.answers.nutrition).toBe('every_day');
    const [assessment] = await t.db('assessments').where({ id: link.assessment_id });
    expect(assessment.status).toBe('submitted');
    expect(assessment.answers.nutrition).toBe('some_days');
    expect(assessment.raw_points).toBe(77);
    expect(Number(assessment.annual_pence)).toBe(847_000);
    const [nutrition] = await t.db('self_assessment_agreed_answers').where({ self_assessment_id: id, question_key: 'nutrition' });
    expect(nutrition).toMatchObject({ person_option: 'every_day', agreed_option: 'some_days', reason: 'Her daughter cooks most days' });
    const events = await t.db('audit_events').where({ person_id: person.id, user_id: careManager.id }).pluck('action');
    expect(events).toEqual(
      expect.arrayContaining(['self_assessment_review_started', 'self_assessment_answers_agreed', 'assessment_submitted']),
    );
  });

  it('refuses submitting before every answer has been gone through', async () => {
    const { id } = await aSentSelfAssessment(t, staff, teamId);
    await postPage(staff, `/self-assessments/${id}/review`, {}, `/self-assessments/${id}/review/start`);
    const [row] = await t.db('self_assessments').where({ id });
    const refused = await postPage(
      staff,
      `/self-assessments/${id}/review`,
      { version: String(row.version) },
      `/self-assessments/${id}/review/submit`,
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('Go through every answer with the person before you submit');
  });
});
