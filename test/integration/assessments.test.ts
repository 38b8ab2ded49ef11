import { addCalendarDays } from '../../src/calendar.js';
import { londonToday } from '../../src/clock.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentRow } from '../../src/assessments/repo.js';
import type { PersonRow } from '../../src/people/repo.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import type { RasDefinition } from '../../src/ras/definition.js';
import { scoreAssessment } from '../../src/ras/engine.js';
import { findRasVersionInForce, insertDraftVersion, loadRasDefinition, publishVersion } from '../../src/ras/repo.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import {
  completeQuestionnaire,
  domainKeys,
  eligibilityFields,
  eligibleFacts,
  postPage,
  startAssessment,
  submitAssessment,
  versionFrom,
  workedExampleAnswers,
  type Fields,
} from '../support/questionnaire.js';

let t: TestApp;
let north: { id: number };
let careManager: TestUser;
let teamManager: TestUser;
let otherTeamCareManager: TestUser;
let finance: TestUser;
let admin: TestUser;
let cm: Agent;

async function assessment(id: number): Promise<AssessmentRow> {
  return (await t.db('assessments').where({ id }).first()) as AssessmentRow;
}

beforeAll(async () => {
  t = await buildTestApp();
  await ensureDefaultRas(t.db, t.clock);
  north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  careManager = await aUser(t.db, { role: 'care_manager', teamId: north.id, displayName: 'Priya Shah' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: north.id, displayName: 'Helen Marsh' });
  otherTeamCareManager = await aUser(t.db, { role: 'care_manager', teamId: south.id });
  finance = await aUser(t.db, { role: 'finance_officer' });
  admin = await aUser(t.db, { role: 'admin' });
  cm = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

describe('the questionnaire through the pages', () => {
  it('walks every section in order, stores the engine’s result at submit and shows it', async () => {
    const person = await aPerson(t.db, { teamId: north.id, givenName: 'Margaret', familyName: 'Atkinson' });
    const id = await startAssessment(cm, person);
    const started = await assessment(id);
    const published = await findRasVersionInForce(t.db, londonToday(t.clock));
    expect(started).toMatchObject({
      status: 'draft',
      assessment_type: 'person',
      client_group: 'older_people',
      ras_version_id: published?.id,
    });

    const taskList = await cm.get(`/assessments/${id}`);
    expect(taskList.status).toBe(200);
    expect(taskList.text).toContain('0 of 13 completed');
    expect(taskList.text).toContain('Cannot start yet');

    const visited = await completeQuestionnaire(cm, id);
    expect(visited).toEqual([
      `/assessments/${id}/eligibility`,
      `/assessments/${id}/eligibility/reasons`,
      ...domainKeys.map((key) => `/assessments/${id}/domains/${key}`),
      `/assessments/${id}/adjustments`,
    ]);
    const done = await cm.get(`/assessments/${id}`);
    expect(done.text).toContain('13 of 13 completed');
    expect(done.text).toContain(`href="/assessments/${id}/check-answers"`);

    const check = await cm.get(`/assessments/${id}/check-answers`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('Check your answers before submitting the assessment');
    expect(check.text).toContain(`href="/assessments/${id}/domains/nutrition?returnTo=check-answers#answers-nutrition"`);
    expect(check.text).toContain('Change<span class="govuk-visually-hidden"> managing and maintaining nutrition</span>');
    expect(check.text).toContain('Worked out from these answers: eligible');

    const submitted = await submitAssessment(cm, id);
    expect(submitted.status).toBe(302);
    expect(submitted.headers.location).toBe(`/assessments/${id}/result`);

    const definition = (await loadRasDefinition(t.db, started.ras_version_id)) as RasDefinition;
    const expected = scoreAssessment(definition, {
      assessmentType: 'person',
      clientGroup: 'older_people',
      answers: { ...workedExampleAnswers, informal_support: 'none' },
    });
    expect(expected.annualPence).toBe(913_000);
    const row = await assessment(id);
    expect(row).toMatchObject({
      status: 'submitted',
      submitted_by: careManager.id,
      eligible: true,
      raw_points: expected.rawPoints,
      domain_points: expected.domainPoints,
      modifier_percent: expected.modifierPercent,
      annual_pence: expected.annualPence,
      weekly_pence: expected.weeklyPence,
      below_threshold: expected.belowThreshold,
      exceeds_ceiling: expected.exceedsCeiling,
      explanation: expected.explanation,
      answers: { ...workedExampleAnswers, informal_support: 'none' },
    });
    expect(row.eligibility).toMatchObject({
      arisesFromImpairment: true,
      significantImpactOnWellbeing: true,
      outcomes: { nutrition: { achieved: false, reasons: ['without_assistance'] }, clothing: { achieved: true } },
      decision: { eligible: true, unmetOutcomes: ['nutrition', 'personal_hygiene'] },
    });

    const result = await cm.get(`/assessments/${id}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toContain('£9,130.00 a year');
    expect(result.text).toContain('£175.58 a week');
    expect(result.text).toContain('Within the RAS ceiling of £30,000.00');
    expect(result.text).toMatch(/Eligible<\/strong>/);

    const explanation = await cm.get(`/assessments/${id}/explanation`);
    expect(explanation.status).toBe(200);
    expect(explanation.text).toContain('How your indicative budget was worked out');
    expect(explanation.text).toContain('Default RAS 2026');
    for (const line of expected.explanation) expect(explanation.text).toContain(line.replaceAll('"', '&#34;'));
    expect(explanation.text).toMatch(/<script type="module" nonce="[^"]+" src="\/public\/print.js"><\/script>/);

    const events = (await t
      .db('audit_events')
      .where({ entity_type: 'assessment', entity_id: String(id) })
      .orderBy('id')) as {
      action: string;
      person_id: number;
    }[];
    expect(events.map((event) => event.action)).toEqual([
      'assessment_started',
      ...Array.from({ length: 16 }, () => 'assessment_saved'),
      'assessment_submitted',
      // The explanation opened above, to be printed for the person.
      'assessment_explanation_printed',
    ]);
    expect(events.every((event) => event.person_id === person.id)).toBe(true);
    expect(row.version).toBe(1 + 16 + 1);

    const personPage = await cm.get(`/people/${person.id}`);
    expect(personPage.text).toContain('Assessments');
    expect(personPage.text).toContain(`href="/assessments/${id}/result"`);
    expect(personPage.text).toContain('>£9,130.00<');
    expect(personPage.text).toContain('>83<');
  });

  it('keeps the draft with "Save and come back later" and goes back to it when started again', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const saved = await postPage(cm, `/assessments/${id}/domains/nutrition`, { 'answers[nutrition]': 'some_days', action: 'later' });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe(`/assessments/${id}?saved=later`);
    const taskList = await cm.get(saved.headers.location as string);
    expect(taskList.text).toContain('Your answers have been saved');
    expect(taskList.text).toContain('1 of 13 completed');

    // Nothing chosen is fine when coming back later: nothing is stored for that page.
    const empty = await postPage(cm, `/assessments/${id}/domains/clothing`, { action: 'later' });
    expect(empty.status).toBe(302);
    expect((await assessment(id)).answers).toEqual({ nutrition: 'some_days' });

    // Part of the eligibility page can be kept too, and shows as in progress.
    const partial = await postPage(cm, `/assessments/${id}/eligibility`, {
      arisesFromImpairment: 'yes',
      'outcomes[nutrition][achieved]': 'no',
      action: 'later',
    });
    expect(partial.status).toBe(302);
    expect((await cm.get(`/assessments/${id}`)).text).toContain('In progress');

    expect(await startAssessment(cm, person)).toBe(id);
    expect(await countRows(t.db, 'assessments', { person_id: person.id })).toBe(1);
    const again = await cm.get(`/assessments/${id}/domains/nutrition`);
    expect(again.text).toMatch(/value="some_days" checked/);
    expect((await cm.get(`/assessments/${id}/check-answers`)).headers.location).toBe(`/assessments/${id}`);
  });

  it('refuses an option that is not in this RAS version with a 400 and stores nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const before = await assessment(id);
    const auditBefore = await countRows(t.db, 'audit_events', { person_id: person.id });

    for (const action of ['continue', 'later']) {
      const response = await postPage(cm, `/assessments/${id}/domains/nutrition`, { 'answers[nutrition]': 'help_with_everything', action });
      expect(response.status).toBe(400);
      expect(response.text).toContain('govuk-error-summary');
      expect(response.text).toContain('That answer is not one of the options');
      expect(response.text).toContain('href="#answers-nutrition"');
    }
    const adjustment = await postPage(cm, `/assessments/${id}/adjustments`, { 'answers[informal_support]': 'all_of_it' });
    expect(adjustment.status).toBe(400);
    const after = await assessment(id);
    expect(after.answers).toEqual({});
    expect(after.version).toBe(before.version);
    expect(await countRows(t.db, 'audit_events', { person_id: person.id })).toBe(auditBefore);
  });

  it('says in plain words what each family support answer means and what it does to the budget, from the RAS version’s figures', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const page = (await cm.get(`/assessments/${id}/adjustments`)).text;
    expect(page).toContain('Family or friends help regularly with part of what is needed; takes 10% off the budget');
    expect(page).toContain('Family or friends give most of the help needed day to day; takes 25% off the budget');
    expect(page).toContain('Nobody is willing and able to keep helping; does not change the budget');
  });

  it('asks for every answer on "Save and continue" and keeps what was chosen on the page', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const missing = await postPage(cm, `/assessments/${id}/domains/nutrition`, { action: 'continue' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Select how much help you need to manage and maintain nutrition');
    expect(missing.text).toContain('<span class="govuk-visually-hidden">Error:</span>');
    expect(missing.text).toMatch(/<title>Error: /);

    const fields = eligibilityFields({ unmet: { nutrition: ['without_assistance'], clothing: [] } });
    const achieved = Object.fromEntries(Object.entries(fields).filter(([name]) => !name.endsWith('[reasons]')));
    const firstPage = await postPage(cm, `/assessments/${id}/eligibility`, { ...achieved, action: 'continue' });
    expect(firstPage.status).toBe(302);
    expect(firstPage.headers.location).toBe(`/assessments/${id}/eligibility/reasons`);

    const reasonsPage = await cm.get(`/assessments/${id}/eligibility/reasons`);
    expect(reasonsPage.text.match(/type="checkbox"/g)).toHaveLength(8);
    const noReason = await postPage(cm, `/assessments/${id}/eligibility/reasons`, {
      'outcomes[nutrition][reasons]': 'without_assistance',
      action: 'continue',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Select at least one reason they cannot achieve ‘being appropriately clothed’');
    expect(noReason.text).toContain('href="#outcomes-clothing-reasons"');
    // What was chosen is still chosen.
    expect(noReason.text).toMatch(
      /id="outcomes-nutrition-reasons" name="outcomes\[nutrition\]\[reasons\]" type="checkbox" value="without_assistance" checked/,
    );
    expect((await assessment(id)).eligibility).toMatchObject({ outcomes: { clothing: { achieved: false, reasons: [] } } });
  });

  it('asks why only for the outcomes not achieved, keeps the reasons while the answer stays "No", and drops them on "Yes"', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const page = await cm.get(`/assessments/${id}/eligibility`);
    expect(page.text).not.toContain('type="checkbox"');
    expect((await cm.get(`/assessments/${id}/eligibility/reasons`)).headers.location).toBe(`/assessments/${id}/eligibility`);

    await completeQuestionnaire(cm, id);
    const achieved = Object.fromEntries(Object.entries(eligibleFacts).filter(([name]) => !name.endsWith('[reasons]')));
    const again = await postPage(cm, `/assessments/${id}/eligibility`, { ...achieved, action: 'continue' });
    expect(again.headers.location).toBe(`/assessments/${id}/domains/nutrition`);
    expect((await assessment(id)).eligibility).toMatchObject({
      outcomes: { nutrition: { achieved: false, reasons: ['without_assistance'] } },
    });

    await postPage(cm, `/assessments/${id}/eligibility`, { ...achieved, 'outcomes[nutrition][achieved]': 'yes', action: 'later' });
    expect((await assessment(id)).eligibility).toMatchObject({ outcomes: { nutrition: { achieved: true, reasons: [] } } });
  });

  it('offers "does not apply" for caring for a child, which is not an unmet outcome', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id, {
      eligibility: {
        ...eligibilityFields({ unmet: { nutrition: ['without_assistance'] } }),
        'outcomes[caring_for_child][achieved]': 'does_not_apply',
      },
    });
    expect((await assessment(id)).eligibility).toMatchObject({
      outcomes: { caring_for_child: { achieved: true, doesNotApply: true, reasons: [] } },
    });
    const check = await cm.get(`/assessments/${id}/check-answers`);
    expect(check.text).toContain('Does not apply');
    expect(check.text).toContain('They are unable to achieve 1 of the 10 outcomes');
    const nutrition = await postPage(cm, `/assessments/${id}/eligibility`, {
      'outcomes[nutrition][achieved]': 'does_not_apply',
      action: 'later',
    });
    expect(nutrition.status).toBe(400);
  });

  it('gives an ineligible person no indicative budget, keeps the RAS result for the record and says what happens instead', async () => {
    const person = await aPerson(t.db, { teamId: north.id, clientGroup: 'physical_disability' });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id, { eligibility: eligibilityFields({ unmet: { nutrition: ['endangers'] } }) });
    const check = await cm.get(`/assessments/${id}/check-answers`);
    expect(check.text).toContain('Worked out from these answers: not eligible');
    expect((await submitAssessment(cm, id)).status).toBe(302);

    const row = await assessment(id);
    expect(row.eligible).toBe(false);
    expect(row.annual_pence).toBe(83 * 13_000);
    const result = await cm.get(`/assessments/${id}/result`);
    expect(result.text).toContain('No indicative budget');
    expect(result.text).toContain('is not eligible for care and support');
    expect(result.text).toContain('What happens instead');
    expect(result.text).toContain('written record of this decision');
    expect(result.text).not.toContain('£10,790.00');
    const explanation = await cm.get(`/assessments/${id}/explanation`);
    expect(explanation.text).toContain('You do not have an indicative budget');
    expect(explanation.text).not.toContain('£10,790.00');
    expect((await cm.get(`/people/${person.id}`)).text).toContain('None: not eligible');
  });

  it('shows the threshold outcome below the minimum points', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const answers = Object.fromEntries(
      domainKeys.map((key) => [key, defaultRasDefinition.domains.find((d) => d.key === key)?.questions[0]?.options[0]?.key as string]),
    );
    answers.nutrition = 'some_days';
    await completeQuestionnaire(cm, id, { answers });
    await submitAssessment(cm, id);
    expect(await assessment(id)).toMatchObject({ raw_points: 6, annual_pence: 0, below_threshold: true });
    const result = await cm.get(`/assessments/${id}/result`);
    expect(result.text).toContain('No indicative budget from the RAS</strong>: 6 points is below the minimum of 8 points');
  });

  it('flags a budget above the ceiling for panel approval without capping it', async () => {
    const person = await aPerson(t.db, { teamId: north.id, clientGroup: 'learning_disability' });
    const id = await startAssessment(cm, person);
    const highest = Object.fromEntries(
      defaultRasDefinition.domains.map((domain) => [domain.key, domain.questions[0]?.options.at(-1)?.key as string]),
    );
    await completeQuestionnaire(cm, id, { answers: highest });
    await submitAssessment(cm, id);
    expect(await assessment(id)).toMatchObject({ raw_points: 255, annual_pence: 3_697_500, exceeds_ceiling: true });
    const result = await cm.get(`/assessments/${id}/result`);
    expect(result.text).toContain('Above the RAS ceiling of £30,000.00: needs panel approval.');
    expect(result.text).toContain('£36,975.00 a year');
  });

  it('gives a carer a carer’s assessment: the domains only, priced by band', async () => {
    const person = await aPerson(t.db, { teamId: north.id, clientGroup: 'carer' });
    const personPage = await cm.get(`/people/${person.id}`);
    expect(personPage.text).toContain('Start a carer’s assessment');
    const id = await startAssessment(cm, person);
    expect(await assessment(id)).toMatchObject({ assessment_type: 'carer', client_group: 'carer' });
    const taskList = await cm.get(`/assessments/${id}`);
    expect(taskList.text).not.toContain('/eligibility');
    expect(taskList.text).not.toContain('/adjustments');
    expect((await cm.get(`/assessments/${id}/eligibility`)).status).toBe(404);
    expect((await cm.get(`/assessments/${id}/adjustments`)).status).toBe(404);
    const visited = await completeQuestionnaire(cm, id, { carer: true });
    expect(visited).toHaveLength(13);
    expect((await submitAssessment(cm, id)).status).toBe(302);
    expect(await assessment(id)).toMatchObject({ status: 'submitted', raw_points: 83, annual_pence: 150_000, eligible: null });
    expect((await cm.get(`/assessments/${id}/result`)).text).toContain('£1,500.00 a year');
  });
});

describe('submitting', () => {
  it('creates one result when the same form is posted twice (a double click)', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id);
    const page = await cm.get(`/assessments/${id}/check-answers`);
    const form = { version: versionFrom(page.text), _csrf: csrfTokenFrom(page.text) };
    const [first, second] = await Promise.all([
      cm.post(`/assessments/${id}/submit`).type('form').send(form),
      cm.post(`/assessments/${id}/submit`).type('form').send(form),
    ]);
    expect([first.status, second.status]).toEqual([302, 302]);
    expect(first.headers.location).toBe(`/assessments/${id}/result`);
    expect(second.headers.location).toBe(`/assessments/${id}/result`);
    const third = await cm.post(`/assessments/${id}/submit`).type('form').send(form);
    expect(third.headers.location).toBe(`/assessments/${id}/result`);
    expect(await countRows(t.db, 'assessments', { person_id: person.id, status: 'submitted' })).toBe(1);
    expect(await countRows(t.db, 'audit_events', { action: 'assessment_submitted', entity_id: String(id) })).toBe(1);
  });

  it('replaces the earlier result: a second submitted assessment supersedes the first', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const first = await startAssessment(cm, person);
    await completeQuestionnaire(cm, first);
    await submitAssessment(cm, first);
    t.clock.advanceMinutes(60 * 24 * 30);
    const second = await startAssessment(cm, person);
    expect(second).not.toBe(first);
    await completeQuestionnaire(cm, second, { answers: { ...workedExampleAnswers, night_time: 'every_night' }, informalSupport: 'some' });
    await submitAssessment(cm, second);

    const old = await assessment(first);
    expect(old.status).toBe('superseded');
    expect(old.superseded_at?.toISOString()).toBe(t.clock.now().toISOString());
    expect(old.annual_pence).toBe(913_000);
    const current = await assessment(second);
    expect(current).toMatchObject({ status: 'submitted', raw_points: 107, modifier_percent: -10, annual_pence: 1_059_300 });
    expect(await countRows(t.db, 'assessments', { person_id: person.id, status: 'submitted' })).toBe(1);
    expect(await countRows(t.db, 'audit_events', { action: 'assessment_superseded', entity_id: String(first) })).toBe(1);
    const oldResult = await cm.get(`/assessments/${first}/result`);
    expect(oldResult.text).toContain('Replaced');
    expect(oldResult.text).toContain('£9,130.00 a year');
  });

  it('answers a stale draft with a 409 that keeps what was chosen, and overwrites nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const tm = await signIn(t.app, teamManager.email, teamManager.password);
    const opened = await cm.get(`/assessments/${id}/domains/nutrition`);

    const theirs = await postPage(tm, `/assessments/${id}/domains/nutrition`, { 'answers[nutrition]': 'two_people' });
    expect(theirs.status).toBe(302);
    const mine = await cm
      .post(`/assessments/${id}/domains/nutrition`)
      .type('form')
      .send({ version: versionFrom(opened.text), _csrf: csrfTokenFrom(opened.text), 'answers[nutrition]': 'occasional_prompting' });
    expect(mine.status).toBe(409);
    expect(mine.text).toContain('Someone else changed this assessment');
    expect(mine.text).toContain('I need help from two people every time');
    expect(mine.text).toContain('I need reminding or prompting now and then');
    expect((await assessment(id)).answers).toEqual({ nutrition: 'two_people' });

    // The same answer as is saved now is no conflict: there is nothing to overwrite.
    const same = await cm
      .post(`/assessments/${id}/domains/nutrition`)
      .type('form')
      .send({ version: versionFrom(opened.text), _csrf: csrfTokenFrom(opened.text), 'answers[nutrition]': 'two_people' });
    expect(same.status).toBe(302);

    const staleCheck = await cm.get(`/assessments/${id}/eligibility`);
    await postPage(tm, `/assessments/${id}/eligibility`, eligibleFacts);
    const staleEligibility = await cm
      .post(`/assessments/${id}/eligibility`)
      .type('form')
      .send({ ...eligibilityFields({ impairment: 'no' }), version: versionFrom(staleCheck.text), _csrf: csrfTokenFrom(staleCheck.text) });
    expect(staleEligibility.status).toBe(409);
    expect((await assessment(id)).eligibility).toMatchObject({ arisesFromImpairment: true });
  });

  it('refuses to submit from a stale check-answers page, and refuses changes once submitted', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id);
    const check = await cm.get(`/assessments/${id}/check-answers`);
    await postPage(cm, `/assessments/${id}/domains/complexity`, { 'answers[complexity]': 'some_complexity' });
    const stale = await cm
      .post(`/assessments/${id}/submit`)
      .type('form')
      .send({ version: versionFrom(check.text), _csrf: csrfTokenFrom(check.text) });
    expect(stale.status).toBe(409);
    expect((await assessment(id)).status).toBe('draft');

    const openedBeforeSubmit = await cm.get(`/assessments/${id}/domains/nutrition`);
    await submitAssessment(cm, id);
    const late = await cm
      .post(`/assessments/${id}/domains/nutrition`)
      .type('form')
      .send({
        version: versionFrom(openedBeforeSubmit.text),
        _csrf: csrfTokenFrom(openedBeforeSubmit.text),
        'answers[nutrition]': 'no_help',
      });
    expect(late.status).toBe(409);
    expect(late.text).toContain('This assessment has already been submitted');
    expect((await assessment(id)).answers.nutrition).toBe('every_day');
    expect((await cm.get(`/assessments/${id}/domains/nutrition`)).headers.location).toBe(`/assessments/${id}/result`);
    await expect(t.db('assessments').where({ id }).update({ annual_pence: 1 })).rejects.toThrow(/cannot be changed/);
  });

  it('will not submit until every section is complete', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    const row = await assessment(id);
    const page = await cm.get(`/assessments/${id}`);
    const response = await cm
      .post(`/assessments/${id}/submit`)
      .type('form')
      .send({ version: String(row.version), _csrf: csrfTokenFrom(page.text) });
    expect(response.status).toBe(400);
    expect(response.text).toContain('Complete ‘Eligibility’');
    expect((await assessment(id)).status).toBe('draft');
  });
});

describe('the way on from a result', () => {
  it('offers to start the support plan, and once started, to continue it', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id);
    await submitAssessment(cm, id);

    const result = await cm.get(`/assessments/${id}/result`);
    expect(result.text).toContain('What happens next');
    expect(result.text).toContain(`action="/people/${person.id}/plans"`);
    const started = await postPage(cm, `/assessments/${id}/result`, {}, `/people/${person.id}/plans`);
    expect(started.status).toBe(302);
    const plan = (await t.db('support_plans').where({ person_id: person.id, assessment_id: id }).first('id')) as { id: number };
    expect(started.headers.location).toBe(`/plans/${plan.id}`);

    const after = await cm.get(`/assessments/${id}/result`);
    expect(after.text).not.toContain(`action="/people/${person.id}/plans"`);
    expect(after.text).toContain(`href="/plans/${plan.id}">Continue the support plan`);
  });

  it('offers no plan to someone who may only read the person', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const id = await startAssessment(cm, person);
    await completeQuestionnaire(cm, id);
    await submitAssessment(cm, id);
    const financeAgent = await signIn(t.app, finance.email, finance.password);
    const result = await financeAgent.get(`/assessments/${id}/result`);
    expect(result.status).toBe(200);
    expect(result.text).not.toContain('What happens next');
  });
});

describe('RAS versions', () => {
  it('refuses in the database any change to a published RAS version or its parts', async () => {
    const published = await findRasVersionInForce(t.db, londonToday(t.clock));
    await expect(t.db('ras_versions').where({ id: published?.id }).update({ name: 'Changed' })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_options').where({ ras_version_id: published?.id }).update({ points: 99 })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_price_points').where({ ras_version_id: published?.id }).update({ pence_per_point: 1 })).rejects.toThrow(
      /cannot be changed/,
    );
  });

  it('keeps each assessment on the RAS it started with when a new version is published', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    const submittedBefore = await startAssessment(cm, person);
    await completeQuestionnaire(cm, submittedBefore);
    await submitAssessment(cm, submittedBefore);
    const other = await aPerson(t.db, { teamId: north.id });
    const draftBefore = await startAssessment(cm, other);
    const oldVersion = (await assessment(submittedBefore)).ras_version_id;

    const repriced: RasDefinition = {
      ...defaultRasDefinition,
      name: 'Recalibrated RAS 2027',
      pricePoints: { ...defaultRasDefinition.pricePoints, older_people: 12_000 },
    };
    const newVersion = await t.db.transaction(async (trx) => {
      const versionId = await insertDraftVersion(trx, repriced, { createdBy: admin.id, basedOnId: oldVersion });
      await publishVersion(trx, versionId, {
        publishedBy: admin.id,
        effectiveFrom: londonToday(t.clock),
        today: londonToday(t.clock),
        at: t.clock.now(),
      });
      return versionId;
    });

    // The draft started before the new RAS is scored with the old one.
    await completeQuestionnaire(cm, draftBefore);
    await submitAssessment(cm, draftBefore);
    expect(await assessment(draftBefore)).toMatchObject({ ras_version_id: oldVersion, annual_pence: 913_000 });
    expect(await assessment(submittedBefore)).toMatchObject({ ras_version_id: oldVersion, annual_pence: 913_000 });
    expect((await cm.get(`/assessments/${submittedBefore}/result`)).text).toContain('£9,130.00 a year');

    const third = await aPerson(t.db, { teamId: north.id });
    const after = await startAssessment(cm, third);
    expect((await assessment(after)).ras_version_id).toBe(newVersion);
    await completeQuestionnaire(cm, after);
    await submitAssessment(cm, after);
    expect(await assessment(after)).toMatchObject({ raw_points: 83, annual_pence: 996_000 });
    const result = await cm.get(`/assessments/${after}/result`);
    expect(result.text).toContain('£9,960.00 a year');
    expect(result.text).toContain('Recalibrated RAS 2027');
  });

  it('starts assessments on a version published for a later date only once that date comes', async () => {
    const inForce = await findRasVersionInForce(t.db, londonToday(t.clock));
    const takesEffect = addCalendarDays(londonToday(t.clock), 3);
    const later = await t.db.transaction(async (trx) => {
      const versionId = await insertDraftVersion(
        trx,
        { ...defaultRasDefinition, name: 'RAS from later this month' },
        {
          createdBy: admin.id,
          basedOnId: inForce?.id ?? null,
        },
      );
      await publishVersion(trx, versionId, {
        publishedBy: admin.id,
        effectiveFrom: takesEffect,
        today: londonToday(t.clock),
        at: t.clock.now(),
      });
      return versionId;
    });

    const before = await startAssessment(cm, await aPerson(t.db, { teamId: north.id }));
    expect((await assessment(before)).ras_version_id).toBe(inForce?.id);
    t.clock.advanceMinutes(60 * 24 * 2);
    const dayBefore = await startAssessment(cm, await aPerson(t.db, { teamId: north.id }));
    expect((await assessment(dayBefore)).ras_version_id).toBe(inForce?.id);

    t.clock.advanceMinutes(60 * 24);
    expect(londonToday(t.clock)).toBe(takesEffect);
    const onTheDay = await startAssessment(cm, await aPerson(t.db, { teamId: north.id }));
    expect((await assessment(onTheDay)).ras_version_id).toBe(later);
  });
});

describe('with no RAS published', () => {
  it('says why an assessment cannot start, and starts nothing', async () => {
    const person = await aPerson(t.db, { teamId: north.id });
    await t.db('ras_versions').where({ status: 'published' }).update({ status: 'retired', retired_at: t.clock.now() });
    try {
      const response = await postPage(cm, `/people/${person.id}`, {}, `/people/${person.id}/assessments`);
      expect(response.status).toBe(400);
      expect(response.text).toContain('No RAS has been published yet');
      expect(await countRows(t.db, 'assessments', { person_id: person.id })).toBe(0);
    } finally {
      await t.db.transaction(async (trx) => {
        const id = await insertDraftVersion(trx, defaultRasDefinition, { createdBy: admin.id, basedOnId: null });
        await publishVersion(trx, id, {
          publishedBy: admin.id,
          effectiveFrom: '2026-06-15',
          today: londonToday(t.clock),
          at: t.clock.now(),
        });
      });
    }
  });
});

describe('who may do what', () => {
  type RoleName = 'care manager' | 'team manager' | 'care manager of another team' | 'finance officer' | 'admin' | 'signed out';
  const agents = new Map<RoleName, Agent>();
  let person: PersonRow;
  let draftId: number;
  let resultId: number;

  beforeAll(async () => {
    person = await aPerson(t.db, { teamId: north.id });
    resultId = await startAssessment(cm, person);
    await completeQuestionnaire(cm, resultId);
    await submitAssessment(cm, resultId);
    draftId = await startAssessment(cm, person);
    agents.set('care manager', cm);
    agents.set('team manager', await signIn(t.app, teamManager.email, teamManager.password));
    agents.set('care manager of another team', await signIn(t.app, otherTeamCareManager.email, otherTeamCareManager.password));
    agents.set('finance officer', await signIn(t.app, finance.email, finance.password));
    agents.set('admin', await signIn(t.app, admin.email, admin.password));
    agents.set('signed out', request.agent(t.app));
  });

  const editPages = ['', '/eligibility', '/domains/nutrition', '/adjustments'];
  // prettier-ignore
  const gets: [string, RoleName, number][] = [
    ...editPages.flatMap((page): [string, RoleName, number][] => [
      [`draft${page}`, 'care manager', 200],
      [`draft${page}`, 'team manager', 200],
      [`draft${page}`, 'care manager of another team', 404],
      [`draft${page}`, 'finance officer', 403],
      [`draft${page}`, 'admin', 403],
      [`draft${page}`, 'signed out', 302],
    ]),
    // With no outcome recorded as not achieved, the reasons page sends its editors back to the outcomes.
    ['draft/eligibility/reasons', 'care manager', 302],
    ['draft/eligibility/reasons', 'team manager', 302],
    ['draft/eligibility/reasons', 'care manager of another team', 404],
    ['draft/eligibility/reasons', 'finance officer', 403],
    ['draft/eligibility/reasons', 'admin', 403],
    ['draft/eligibility/reasons', 'signed out', 302],
    ...['/result', '/explanation'].flatMap((page): [string, RoleName, number][] => [
      [`result${page}`, 'care manager', 200],
      [`result${page}`, 'team manager', 200],
      [`result${page}`, 'care manager of another team', 404],
      [`result${page}`, 'finance officer', 200],
      [`result${page}`, 'admin', 200],
      [`result${page}`, 'signed out', 302],
    ]),
  ];

  it.each(gets)('GET %s as %s gives %i', async (target, role, status) => {
    const [which, ...rest] = target.split('/');
    const url = `/assessments/${which === 'draft' ? draftId : resultId}${rest.length ? `/${rest.join('/')}` : ''}`;
    const response = await (agents.get(role) as Agent).get(url);
    expect(response.status, url).toBe(status);
    if (status === 302) expect(response.headers.location).toBe(role === 'signed out' ? '/sign-in' : `/assessments/${draftId}/eligibility`);
  });

  it('shows the start button only to those who may start, and another team gets 404 for every assessment URL', async () => {
    const otherTeam = agents.get('care manager of another team') as Agent;
    for (const url of [
      `/assessments/${draftId}/check-answers`,
      `/assessments/${resultId}/result`,
      `/assessments/${draftId}/domains/nutrition`,
    ]) {
      expect((await otherTeam.get(url)).status, url).toBe(404);
    }
    const financePage = await (agents.get('finance officer') as Agent).get(`/people/${person.id}`);
    expect(financePage.status).toBe(200);
    expect(financePage.text).not.toMatch(/Start (an|a new) assessment/);
    expect(financePage.text).not.toContain('Continue the draft assessment');
    expect(financePage.text).toContain(`href="/assessments/${resultId}/result"`);
    expect(financePage.text).not.toContain(`href="/assessments/${draftId}"`);
  });

  const refusals: [RoleName, number][] = [
    ['finance officer', 403],
    ['admin', 403],
    ['care manager of another team', 404],
  ];
  it.each(refusals)('refuses %s starting, saving or submitting with %i and changes nothing', async (role, status) => {
    const agent = agents.get(role) as Agent;
    const page = await agent.get(role === 'care manager of another team' ? '/people' : `/people/${person.id}`);
    const token = csrfTokenFrom(page.text);
    const before = await assessment(draftId);
    const posts: [string, Fields][] = [
      [`/people/${person.id}/assessments`, {}],
      [`/assessments/${draftId}/domains/nutrition`, { 'answers[nutrition]': 'no_help', version: String(before.version) }],
      [`/assessments/${draftId}/adjustments`, { 'answers[informal_support]': 'none', version: String(before.version) }],
      [`/assessments/${draftId}/eligibility`, { ...eligibleFacts, version: String(before.version) }],
      [`/assessments/${draftId}/eligibility/reasons`, { 'outcomes[nutrition][reasons]': 'endangers', version: String(before.version) }],
      [`/assessments/${draftId}/submit`, { version: String(before.version) }],
    ];
    for (const [url, fields] of posts) {
      const response = await agent
        .post(url)
        .type('form')
        .send({ ...fields, _csrf: token });
      expect(response.status, `POST ${url}`).toBe(status);
    }
    expect(await assessment(draftId)).toEqual(before);
    expect(await countRows(t.db, 'assessments', { person_id: person.id })).toBe(2);
  });

  it('refuses a POST without a CSRF token', async () => {
    const before = await assessment(draftId);
    const response = await cm
      .post(`/assessments/${draftId}/domains/nutrition`)
      .type('form')
      .send({ 'answers[nutrition]': 'no_help', version: String(before.version) });
    expect(response.status).toBe(403);
    expect(await assessment(draftId)).toEqual(before);
  });
});
