import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, enterCode, signIn, submitForm, type Agent } from '../support/http.js';
import { errorSummaryOf, formFieldsFrom } from '../support/page-forms.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';
import { anApprovedBudget } from '../support/review-builders.js';

let t: TestApp;
let services: Services;
let northId: number;
let careManager: TestUser;
let colleague: TestUser;
let finance: TestUser;
let agent: Agent;
let colleagueAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  northId = (await aTeam(t.db, 'North')).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId: northId });
  colleague = await aUser(t.db, { role: 'care_manager', teamId: northId });
  finance = await aUser(t.db, { role: 'finance_officer' });
  agent = await signIn(t.app, careManager.email, careManager.password);
  colleagueAgent = await signIn(t.app, colleague.email, colleague.password);
});
afterAll(() => t.drop());

/** A scheduled first review of an approved budget, with its plan's outcome ids. */
async function aReviewToRecord(): Promise<{ reviewId: number; outcomeIds: number[] }> {
  const person = await aPerson(t.db, { teamId: northId, allocatedWorkerId: careManager.id });
  const { plan, reviews } = await anApprovedBudget(services, t.db, t.clock, {
    person,
    careManager,
    financeOfficer: finance,
    items: [{ weeklyPence: 9_000 }],
    startDate: '2026-04-01',
  });
  const outcomeIds = (await t.db('plan_outcomes').where({ plan_id: plan.id }).orderBy('id').pluck('id')) as number[];
  return { reviewId: (reviews[0] as { id: number }).id, outcomeIds };
}

async function aDraftPlan(): Promise<number> {
  const person = await aPerson(t.db, { teamId: northId, allocatedWorkerId: careManager.id });
  await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
  const response = await submitForm(agent, `/people/${person.id}`, `/people/${person.id}/plans`, {});
  expect(response.status).toBe(302);
  return Number(/\/plans\/(\d+)$/.exec(response.headers.location ?? '')?.[1]);
}

const reviewRow = (id: number) => t.db('reviews').where({ id }).first('status', 'version');

describe('a draft of a long form', () => {
  it('keeps an unfinished review as a draft, changing nothing, and offers it back to continue or discard', async () => {
    const { reviewId, outcomeIds } = await aReviewToRecord();
    const before = { review: await reviewRow(reviewId), audit: await countRows(t.db, 'audit_events') };
    const typed = {
      [`outcome-${outcomeIds[0]}-result`]: 'partly_met',
      budgetUse: 'Bought a day centre place on Tuesdays',
      'reviewDate[day]': '31',
      'reviewDate[month]': '13',
    };

    const saved = await submitForm(agent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft`, typed);

    expect(saved.status, saved.text.slice(0, 300)).toBe(302);
    expect(saved.headers.location).toBe(`/reviews/${reviewId}?draft=continue`);
    expect({ review: await reviewRow(reviewId), audit: await countRows(t.db, 'audit_events') }).toEqual(before);

    const offered = await agent.get(`/reviews/${reviewId}`);
    expect(offered.text).toContain('You have a draft saved on 15 June 2026 at 11:00am');
    expect(offered.text).toContain(`href="/reviews/${reviewId}?draft=continue"`);
    expect(formFieldsFrom(offered.text, `/reviews/${reviewId}/complete`).budgetUse).toBe('');

    const continued = await agent.get(`/reviews/${reviewId}?draft=continue`);
    const fields = formFieldsFrom(continued.text, `/reviews/${reviewId}/complete`);
    expect(fields.budgetUse).toBe('Bought a day centre place on Tuesdays');
    expect(fields[`outcome-${outcomeIds[0]}-result`]).toBe('partly_met');
    expect(fields['reviewDate[month]']).toBe('13');
    expect(continued.text).toContain('This is your draft saved on');

    const discarded = await submitForm(agent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft/discard`, {});
    expect(discarded.headers.location).toBe(`/reviews/${reviewId}`);
    expect(await countRows(t.db, 'form_drafts', { record_id: reviewId, form: 'review' })).toBe(0);
    expect((await agent.get(`/reviews/${reviewId}`)).text).not.toContain('You have a draft');
  });

  it('is spent once the review is completed', async () => {
    const { reviewId, outcomeIds } = await aReviewToRecord();
    await submitForm(agent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft`, { budgetUse: 'Half done' });
    await submitForm(colleagueAgent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft`, { budgetUse: 'Mine too' });

    const page = await agent.get(`/reviews/${reviewId}?draft=continue`);
    const completed = await agent
      .post(`/reviews/${reviewId}/complete`)
      .type('form')
      .send({
        ...formFieldsFrom(page.text, `/reviews/${reviewId}/complete`),
        ...Object.fromEntries(outcomeIds.map((id) => [`outcome-${id}-result`, 'met'])),
        budgetUse: 'As planned',
        personView: 'Going well',
        'reviewDate[day]': '10',
        'reviewDate[month]': '6',
        'reviewDate[year]': '2026',
        decision: 'continue',
      });

    expect(completed.status, errorSummaryOf(completed.text).join('; ')).toBe(302);
    expect(await countRows(t.db, 'form_drafts', { record_id: reviewId, form: 'review' })).toBe(0);
  });

  it('keeps the plan’s details as a draft and offers them back', async () => {
    const planId = await aDraftPlan();
    const saved = await submitForm(agent, `/plans/${planId}/details`, `/plans/${planId}/details/draft`, {
      peopleInvolved: 'Grace and her daughter',
      eligibleNeeds: '',
    });
    expect(saved.headers.location).toBe(`/plans/${planId}/details?draft=continue`);
    expect((await t.db('support_plans').where({ id: planId }).first('people_involved')).people_involved ?? '').toBe('');

    const offered = await agent.get(`/plans/${planId}/details`);
    expect(offered.text).toContain('You have a draft saved on');
    expect(formFieldsFrom(offered.text, `/plans/${planId}/details`).peopleInvolved).toBe('');

    const continued = await agent.get(`/plans/${planId}/details?draft=continue`);
    const fields = formFieldsFrom(continued.text, `/plans/${planId}/details`);
    expect(fields.peopleInvolved).toBe('Grace and her daughter');

    // Saving the form for good spends the draft.
    const kept = await agent
      .post(`/plans/${planId}/details`)
      .type('form')
      .send({
        ...fields,
        contactArrangements: 'By phone',
        eligibleNeeds: 'Personal care',
        needsCouncilWillMeet: 'Home care',
        wellbeing: 'Control over day-to-day life',
        preventionAdvice: 'Falls advice',
      });
    expect(kept.status, errorSummaryOf(kept.text).join('; ')).toBe(302);
    expect(await countRows(t.db, 'form_drafts', { record_id: planId, form: 'plan_details' })).toBe(0);
  });

  it('keeps a new case note as a draft, offers it back, and spends it when the note is saved', async () => {
    const person = await aPerson(t.db, { teamId: northId, allocatedWorkerId: careManager.id });
    const page = `/people/${person.id}/notes/new`;
    const notesBefore = await countRows(t.db, 'case_notes');

    const saved = await submitForm(agent, page, `${page}/draft`, {
      kind: 'visit',
      involved: 'Grace',
      body: 'Visited at home; half written up',
    });
    expect(saved.headers.location).toBe(`${page}?draft=continue`);
    expect(await countRows(t.db, 'case_notes')).toBe(notesBefore);

    const offered = await agent.get(page);
    expect(offered.text).toContain('You have a draft saved on');
    expect(formFieldsFrom(offered.text, `/people/${person.id}/notes`).body).toBe('');
    expect((await colleagueAgent.get(`${page}?draft=continue`)).text).not.toContain('half written up');

    const continued = await agent.get(`${page}?draft=continue`);
    const fields = formFieldsFrom(continued.text, `/people/${person.id}/notes`);
    expect(fields.body).toBe('Visited at home; half written up');
    expect(fields.kind).toBe('visit');

    const note = await agent
      .post(`/people/${person.id}/notes`)
      .type('form')
      .send({ ...fields, 'contactDate[day]': '15', 'contactDate[month]': '6', 'contactDate[year]': '2026', contactTime: '09:30' });
    expect(note.status, errorSummaryOf(note.text).join('; ')).toBe(302);
    expect(await countRows(t.db, 'case_notes')).toBe(notesBefore + 1);
    expect(await countRows(t.db, 'form_drafts', { record_id: person.id, form: 'case_note' })).toBe(0);
  });

  it('is never shown to anyone else, even in the same team', async () => {
    const { reviewId } = await aReviewToRecord();
    const planId = await aDraftPlan();
    await submitForm(agent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft`, { budgetUse: 'Only for my eyes' });
    await submitForm(agent, `/plans/${planId}/details`, `/plans/${planId}/details/draft`, { peopleInvolved: 'Only for my eyes' });

    for (const url of [`/reviews/${reviewId}`, `/reviews/${reviewId}?draft=continue`, `/plans/${planId}/details?draft=continue`]) {
      const page = await colleagueAgent.get(url);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain('Only for my eyes');
      expect(page.text).not.toContain('draft saved');
    }
    // Discarding theirs leaves mine.
    await submitForm(colleagueAgent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft/discard`, {});
    expect(await countRows(t.db, 'form_drafts', { record_id: reviewId, form: 'review', user_id: careManager.id })).toBe(1);
  });

  it('refuses more text than a draft may hold, keeping what was typed on the page', async () => {
    const { reviewId } = await aReviewToRecord();
    const tooMuch = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`note${index}`, 'x'.repeat(15_000)]));
    const response = await submitForm(agent, `/reviews/${reviewId}`, `/reviews/${reviewId}/draft`, { ...tooMuch, budgetUse: 'Typed' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('There is too much text to keep as a draft');
    expect(formFieldsFrom(response.text, `/reviews/${reviewId}/complete`).budgetUse).toBe('Typed');
    expect(await countRows(t.db, 'form_drafts', { record_id: reviewId, form: 'review' })).toBe(0);
  });
});

/** The browser's session cookie's id, as express-session signs it: `s:<id>.<signature>`. */
async function endSessionOf(browser: Agent, page: string): Promise<void> {
  const response = await browser.get(page);
  const cookie = browser.jar.getCookie('selfdirect.sid', { domain: '127.0.0.1', path: '/', secure: false, script: false });
  expect(response.status).toBe(200);
  const sid = decodeURIComponent(cookie?.value ?? '')
    .slice(2)
    .split('.')[0];
  const ended = await t
    .db('session')
    .where({ sid })
    .update({ expire: t.db.raw(`now() - interval '1 second'`) });
  expect(ended).toBe(1);
}

async function signInAgain(browser: Agent, user: TestUser) {
  const password = await submitForm(browser, '/sign-in', '/sign-in', { email: user.email, password: user.password });
  expect(password.headers.location).toBe('/sign-in/code');
  return enterCode(browser);
}

describe('a form posted after the session ended', () => {
  it('keeps a case note as typed and offers it back on the new note page after signing in again', async () => {
    const person = await aPerson(t.db, { teamId: northId, allocatedWorkerId: careManager.id });
    const page = `/people/${person.id}/notes/new`;
    const browser = await signIn(t.app, careManager.email, careManager.password);
    const form = await browser.get(page);
    await endSessionOf(browser, page);
    const notesBefore = await countRows(t.db, 'case_notes');

    const posted = await browser
      .post(`/people/${person.id}/notes`)
      .type('form')
      .send({ kind: 'phone_call', involved: 'Her son', body: 'Asked about respite in August', _csrf: csrfTokenFrom(form.text) });

    expect(posted.headers.location).toBe('/sign-in?signedOut=kept');
    expect(await countRows(t.db, 'case_notes')).toBe(notesBefore);
    expect((await signInAgain(browser, careManager)).headers.location).toBe(page);
    const offered = await browser.get(page);
    expect(offered.text).toContain('We kept what you typed when your session ended');
    expect(formFieldsFrom(offered.text, `/people/${person.id}/notes`).body).toBe('Asked about respite in August');
  });

  it('keeps the review as typed, changes nothing, and offers it back after signing in again to submit normally', async () => {
    const { reviewId, outcomeIds } = await aReviewToRecord();
    const browser = await signIn(t.app, careManager.email, careManager.password);
    const form = await browser.get(`/reviews/${reviewId}`);
    const typed = {
      ...Object.fromEntries(outcomeIds.map((id) => [`outcome-${id}-result`, 'met'])),
      budgetUse: 'Paid for a personal assistant three mornings a week',
      personView: 'She likes her PA and wants to keep her',
      'reviewDate[day]': '12',
      'reviewDate[month]': '6',
      'reviewDate[year]': '2026',
      decision: 'continue',
      version: '1',
      _csrf: csrfTokenFrom(form.text),
    };
    await endSessionOf(browser, `/reviews/${reviewId}`);
    const before = { review: await reviewRow(reviewId), audit: await countRows(t.db, 'audit_events') };

    const posted = await browser.post(`/reviews/${reviewId}/complete`).type('form').send(typed);

    expect(posted.status).toBe(302);
    expect(posted.headers.location).toBe('/sign-in?signedOut=kept');
    expect({ review: await reviewRow(reviewId), audit: await countRows(t.db, 'audit_events') }).toEqual(before);
    const kept = await t
      .db('kept_posts')
      .where({ page: `/reviews/${reviewId}` })
      .first('user_id', 'fields');
    expect(kept.user_id).toBe(careManager.id);
    expect(kept.fields).not.toHaveProperty('_csrf');
    expect((await browser.get(posted.headers.location ?? '')).text).toContain('we kept what you typed');

    const signedIn = await signInAgain(browser, careManager);
    expect(signedIn.headers.location).toBe(`/reviews/${reviewId}`);
    const offered = await browser.get(`/reviews/${reviewId}`);
    expect(offered.text).toContain('We kept what you typed when your session ended');
    const fields = formFieldsFrom(offered.text, `/reviews/${reviewId}/complete`);
    expect(fields.budgetUse).toBe('Paid for a personal assistant three mornings a week');
    expect(fields['reviewDate[day]']).toBe('12');
    expect(await countRows(t.db, 'kept_posts', { page: `/reviews/${reviewId}` })).toBe(0);
    expect((await browser.get(`/reviews/${reviewId}`)).text).not.toContain('We kept what you typed');

    const completed = await browser.post(`/reviews/${reviewId}/complete`).type('form').send(fields);
    expect(completed.status, completed.text.slice(0, 300)).toBe(302);
    expect((await reviewRow(reviewId)).status).toBe('completed');
  });

  it('keeps the plan’s details the same way', async () => {
    const planId = await aDraftPlan();
    const browser = await signIn(t.app, careManager.email, careManager.password);
    const form = await browser.get(`/plans/${planId}/details`);
    const fields = { ...formFieldsFrom(form.text, `/plans/${planId}/details`), peopleInvolved: 'Grace, her son and her GP' };
    await endSessionOf(browser, `/plans/${planId}/details`);

    const posted = await browser.post(`/plans/${planId}/details`).type('form').send(fields);
    expect(posted.headers.location).toBe('/sign-in?signedOut=kept');

    expect((await signInAgain(browser, careManager)).headers.location).toBe(`/plans/${planId}/details`);
    const offered = await browser.get(`/plans/${planId}/details`);
    expect(offered.text).toContain('We kept what you typed when your session ended');
    expect(formFieldsFrom(offered.text, `/plans/${planId}/details`).peopleInvolved).toBe('Grace, her son and her GP');
  });

  it('is never given to someone else who signs in next in the same browser', async () => {
    const { reviewId } = await aReviewToRecord();
    const browser = await signIn(t.app, careManager.email, careManager.password);
    const form = await browser.get(`/reviews/${reviewId}`);
    await endSessionOf(browser, `/reviews/${reviewId}`);
    await browser
      .post(`/reviews/${reviewId}/complete`)
      .type('form')
      .send({ budgetUse: 'Not for my colleague', version: '1', _csrf: csrfTokenFrom(form.text) });

    await signInAgain(browser, colleague);
    const page = await browser.get(`/reviews/${reviewId}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Not for my colleague');
    expect(await countRows(t.db, 'kept_posts', { page: `/reviews/${reviewId}` })).toBe(0);
  });

  it('keeps nothing from a post whose token was not made for the ended session', async () => {
    const { reviewId } = await aReviewToRecord();
    const browser = await signIn(t.app, careManager.email, careManager.password);
    await endSessionOf(browser, `/reviews/${reviewId}`);
    const signedOutToken = csrfTokenFrom((await request.agent(t.app).get('/sign-in')).text);

    const posted = await browser.post(`/reviews/${reviewId}/complete`).type('form').send({ budgetUse: 'Planted', _csrf: signedOutToken });

    expect(posted.status).toBe(403);
    expect(await countRows(t.db, 'kept_posts', { page: `/reviews/${reviewId}` })).toBe(0);
  });
});

describe('the session timeout warning', () => {
  it('is loaded on staff pages only, with the time left from the server’s session settings', async () => {
    const staffPage = await agent.get('/people');
    const tag = /<script[^>]*src="\/public\/session-timeout.js"[^>]*>/.exec(staffPage.text)?.[0] ?? '';
    const idleSeconds =
      loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema' }).sessionIdleMinutes * 60;
    expect(tag).toContain(`data-idle-seconds="${idleSeconds}"`);
    expect(tag).toContain('data-warning-seconds="120"');
    const secondsLeft = Number(/data-seconds-left="(\d+)"/.exec(tag)?.[1]);
    expect(secondsLeft).toBeGreaterThan(idleSeconds - 61);
    expect(secondsLeft).toBeLessThanOrEqual(idleSeconds);

    const signInPage = await request(t.app).get('/sign-in');
    expect(signInPage.text).not.toContain('session-timeout.js');
  });
});
