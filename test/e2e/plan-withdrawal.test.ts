import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  signOut,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';
import { signIn, submitForm } from '../support/http.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';
import { completeQuestionnaire, startAssessment, submitAssessment } from '../support/questionnaire.js';

let h: BrowserHarness;
let careManager: TestUser;
let joseph: PersonRow;
let amara: PersonRow;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'East Leeds Community Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Tom Riley' });
  joseph = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Joseph',
    familyName: 'Mensah',
    reference: 'SD-06001',
    allocatedWorkerId: careManager.id,
  });
  amara = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Amara',
    familyName: 'Bello',
    reference: 'SD-06002',
    allocatedWorkerId: careManager.id,
  });
  await aSubmittedAssessment(h.t.db, { person: joseph, submittedBy: careManager.id });
  await aSubmittedAssessment(h.t.db, { person: amara, submittedBy: careManager.id });
});
afterAll(() => h?.close());

describeInBrowser('support that costs a year or once, and plans that stop', () => {
  it('a care manager adds a yearly and a one-off item, then withdraws the plan with a reason', async () => {
    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    await page.goto(`/people/${joseph.id}`);
    await page.getByRole('button', { name: 'Start a support plan' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    const planUrl = page.url();

    await page.getByRole('link', { name: 'Add an outcome' }).click();
    await page.getByLabel('What does Joseph want to achieve?').fill('I want my wife to get a break from caring for me');
    await page.getByLabel('Developing and maintaining family or other personal relationships').check();
    await page.getByRole('button', { name: 'Save outcome' }).click();
    await page.waitForURL(planUrl);

    await page.getByRole('link', { name: 'Add a support item' }).click();
    await page.waitForURL(/\/items\/new$/);
    for (const way of ['A weekly amount', 'A rate times hours (or other units) a week', 'A yearly amount', 'A one-off amount']) {
      await page.getByLabel(way).check();
      await expectNoAxeViolations(page, `support item form costed as “${way}”`);
    }
    await screenshot(page, 'plan-item-cost-types');
    await page.getByLabel('What is the support?').fill('A carer’s break');
    await page.getByLabel('I want my wife to get a break from caring for me').check();
    await page.getByLabel('Direct payment').check();
    await page.getByLabel('A yearly amount').check();
    await page.getByRole('button', { name: 'Save support item' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.locator('.govuk-error-summary').getByRole('link').allInnerTexts()).resolves.toEqual(['Enter the yearly cost']);
    await expectNoAxeViolations(page, 'support item form with no yearly amount');
    await screenshot(page, 'plan-item-yearly-error');
    await page.getByLabel('Amount a year').fill('250');
    await page.getByRole('button', { name: 'Save support item' }).click();
    await page.waitForURL(planUrl);
    await expect(page.locator('#support + *').innerText()).resolves.toContain('£250.00 a year');

    // Without JavaScript every box is on the page, under its choice, and the form works the same.
    const noScript = await h.newPage({ javaScriptEnabled: false });
    await signInAs(noScript, careManager.email, careManager.password);
    await noScript.goto(`${planUrl}/items/new`);
    await noScript.getByLabel('What is the support?').fill('Grab rails and a shower seat');
    await noScript.getByLabel('I want my wife to get a break from caring for me').check();
    await noScript.getByLabel('Council-managed budget').check();
    await noScript.getByLabel('A one-off amount').check();
    await expect(noScript.getByLabel('Amount a week').isVisible()).resolves.toBe(true);
    await noScript.getByLabel('Amount once').fill('120');
    await screenshot(noScript, 'plan-item-one-off-without-javascript');
    await noScript.getByRole('button', { name: 'Save support item' }).click();
    await noScript.waitForURL(planUrl);

    await page.reload();
    const support = await page.locator('#support + *').innerText();
    expect(support).toContain('£120.00 once');
    // £250 a year and £120 once: £370.00 in the first year, £7.12 a week (370 / 52 = 7.115..., rounded once).
    await expect(page.locator('table').first().innerText()).resolves.toMatch(/Planned personal budget \(social care\)\s+£7\.12\s+£370\.00/);
    await expectNoAxeViolations(page, 'plan with yearly and one-off items');
    await screenshot(page, 'plan-yearly-and-one-off');

    await page.getByRole('link', { name: 'Printable plan for Joseph' }).click();
    await page.waitForURL(/\/print$/);
    const printed = await page.locator('main').innerText();
    expect(printed).toContain('£250.00 a year');
    expect(printed).toContain('£120.00 once');
    expect(printed).toContain('£7.12 a week (£370.00 a year)');
    await expectNoAxeViolations(page, 'printable plan with yearly and one-off items');
    await screenshot(page, 'plan-print-yearly-and-one-off');
    await page.goto(planUrl);

    await page.getByRole('link', { name: 'Withdraw this plan' }).click();
    await page.waitForURL(/\/withdraw$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(
      'Are you sure you want to withdraw Joseph’s support plan?',
    );
    await expectNoAxeViolations(page, 'withdraw a plan');
    await screenshot(page, 'plan-withdraw');
    await page.getByRole('button', { name: 'Withdraw plan' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expectNoAxeViolations(page, 'withdraw a plan without a reason');
    await screenshot(page, 'plan-withdraw-error');
    await page.getByLabel('Why is the plan being withdrawn?').fill('Joseph’s daughter has moved in and will help instead');
    await page.getByRole('button', { name: 'Withdraw plan' }).click();
    await page.waitForURL(new RegExp(`/people/${joseph.id}$`));
    await expect(page.locator('.govuk-notification-banner--success').innerText()).resolves.toContain('Support plan withdrawn');
    await expect(page.locator('#support-plans + *').innerText()).resolves.toContain('Withdrawn');
    await expectNoAxeViolations(page, 'person page after a plan is withdrawn');
    await screenshot(page, 'plan-withdrawn-banner');

    await page.goto(planUrl);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain(
      'Reason: Joseph’s daughter has moved in and will help instead',
    );
    await screenshot(page, 'plan-withdrawn');
    await signOut(page);
  });

  it('a plan from an older assessment says it was superseded and shows the way on', async () => {
    const agent = await signIn(h.t.app, careManager.email, careManager.password);
    const started = await submitForm(agent, `/people/${amara.id}`, `/people/${amara.id}/plans`, {});
    const planId = Number(/\/plans\/(\d+)$/.exec(started.headers.location ?? '')?.[1]);
    const assessmentId = await startAssessment(agent, amara);
    await completeQuestionnaire(agent, assessmentId);
    expect((await submitAssessment(agent, assessmentId)).status).toBe(302);

    const page = await h.newPage();
    await signInAs(page, careManager.email, careManager.password);
    await page.goto(`/plans/${planId}`);
    const banner = await page.locator('.govuk-notification-banner').innerText();
    expect(banner).toContain('This plan was superseded by a newer assessment');
    expect(banner).toContain('A newer assessment was submitted on 15 June 2026, so this plan can no longer be submitted or approved.');
    await expect(page.locator('main').innerText()).resolves.not.toContain('Submit for sign-off');
    await expectNoAxeViolations(page, 'superseded plan');
    await screenshot(page, 'plan-superseded');

    await page.getByRole('link', { name: 'Start a new plan from Amara’s page' }).click();
    await page.waitForURL(new RegExp(`/people/${amara.id}#support-plans$`));
    await page.getByRole('button', { name: 'Start a support plan' }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    expect(page.url()).not.toMatch(new RegExp(`/plans/${planId}$`));
    await signOut(page);
  });
});
