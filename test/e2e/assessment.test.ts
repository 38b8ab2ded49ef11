import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { ensureDefaultRas } from '../../src/ras/service.js';
import { currentCode } from '../../src/auth/two-factor.js';
import { aPerson, aTeam, aUser, TEST_TOTP_SECRET, type TestUser } from '../support/builders.js';
import { describeInBrowser, expectNoAxeViolations, screenshot, startBrowserHarness, type BrowserHarness } from '../support/browser.js';

let h: BrowserHarness;
let careManager: TestUser;
let person: PersonRow;

type Focused = { id: string; text: string };

/** Reads which element has focus; reading is not interacting, so the test stays keyboard-only. */
async function focused(page: Page): Promise<Focused> {
  return (await page.evaluate(
    `(() => { const el = document.activeElement; return { id: el ? el.id : '', text: el ? (el.textContent || '').trim() : '' }; })()`,
  )) as Focused;
}

/** Presses Tab until the element wanted has focus, as a keyboard user moves through a page. */
async function tabTo(page: Page, wanted: { id?: string; text?: string }): Promise<void> {
  for (let presses = 0; presses < 300; presses++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if ((wanted.id === undefined || now.id === wanted.id) && (wanted.text === undefined || now.text === wanted.text)) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(wanted)} on ${page.url()}`);
}

/** Presses Enter on the focused link or button and waits for the next page. */
async function enterAndWait(page: Page, path: RegExp): Promise<void> {
  await Promise.all([page.waitForURL((url) => path.test(url.pathname + url.search)), page.keyboard.press('Enter')]);
}

/** Tabs into a radio group and chooses the option at `index`: Space on the first, arrow keys to the others. */
async function chooseRadio(page: Page, groupId: string, index: number): Promise<void> {
  await tabTo(page, { id: groupId });
  if (index === 0) await page.keyboard.press('Space');
  for (let step = 0; step < index; step++) await page.keyboard.press('ArrowDown');
  const expectedId = index === 0 ? groupId : `${groupId}-${index + 1}`;
  await expect(page.locator(`#${expectedId}`).isChecked()).resolves.toBe(true);
}

async function saveAndContinue(page: Page, next: RegExp): Promise<void> {
  await tabTo(page, { text: 'Save and continue' });
  await enterAndWait(page, next);
}

/** The worked example of DOMAIN.md: 83 points for an older person. Index of the option chosen per domain. */
const optionIndex: Record<string, number> = {
  nutrition: 3,
  personal_hygiene: 3,
  toilet_needs: 3,
  clothing: 3,
  home_safety: 3,
  habitable_home: 2,
  relationships: 2,
  work_training_education: 0,
  community_facilities: 2,
  caring_for_child: 0,
  staying_safe: 1,
  night_time: 0,
  complexity: 0,
};

beforeAll(async () => {
  h = await startBrowserHarness();
  await ensureDefaultRas(h.t.db, h.t.clock);
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  person = await aPerson(h.t.db, {
    teamId: team.id,
    givenName: 'Grace',
    familyName: 'Okafor',
    reference: 'SD-03001',
    allocatedWorkerId: careManager.id,
  });
});
afterAll(() => h?.close());

describeInBrowser('a supported self-assessment in a browser', () => {
  it('is completed with the keyboard alone and every page passes axe', async () => {
    const page = await h.newPage();

    await page.goto('/sign-in');
    await tabTo(page, { id: 'email' });
    await page.keyboard.type(careManager.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(careManager.password);
    // The password step leads to the code step, whose box has the focus's first stop after the header.
    await enterAndWait(page, /^\/sign-in\/code$/);
    await tabTo(page, { id: 'code' });
    await page.keyboard.type(currentCode(TEST_TOTP_SECRET));
    // Signing in lands on the care manager's home page (issue 5).
    await enterAndWait(page, /^\/$/);

    await page.goto(`/people/${person.id}`);
    await tabTo(page, { text: 'Start an assessment' });
    await enterAndWait(page, /^\/assessments\/\d+$/);
    const assessmentPath = new URL(page.url()).pathname;
    await expect(page.locator('#needs-progress').innerText()).resolves.toBe('0 of 13 completed');
    await expectNoAxeViolations(page, 'task list');
    await screenshot(page, 'assessment-task-list');

    await tabTo(page, { text: 'Eligibility' });
    await enterAndWait(page, /\/eligibility$/);
    await chooseRadio(page, 'arisesFromImpairment', 0);
    for (const key of ['nutrition', 'personal_hygiene']) await chooseRadio(page, `outcomes-${key}-achieved`, 1);
    for (const key of [
      'toilet_needs',
      'clothing',
      'home_safety',
      'habitable_home',
      'relationships',
      'work_training_education',
      'community_facilities',
      'caring_for_child',
    ]) {
      await chooseRadio(page, `outcomes-${key}-achieved`, 0);
    }
    await chooseRadio(page, 'significantImpact', 0);
    await expectNoAxeViolations(page, 'eligibility, filled in');
    await screenshot(page, 'assessment-eligibility');
    // No checkbox on the page: why an outcome is not achieved is asked next, for those two only.
    await expect(page.locator('input[type="checkbox"]').count()).resolves.toBe(0);
    await saveAndContinue(page, /\/eligibility\/reasons$/);
    await expect(page.locator('input[type="checkbox"]').count()).resolves.toBe(8);
    for (const key of ['nutrition', 'personal_hygiene']) {
      // The first reason ("cannot achieve it without help") is ticked with Space.
      await tabTo(page, { id: `outcomes-${key}-reasons` });
      await page.keyboard.press('Space');
    }
    await expectNoAxeViolations(page, 'why outcomes are not achieved');
    await screenshot(page, 'assessment-unable-reasons');
    await saveAndContinue(page, /\/domains\/nutrition$/);

    // Save and continue with nothing chosen: the error summary takes focus and links to the question.
    await tabTo(page, { text: 'Save and continue' });
    await page.keyboard.press('Enter');
    await page.locator('.govuk-error-summary:focus').waitFor({ timeout: 5_000 });
    await expect(page.title()).resolves.toMatch(/^Error: /);
    await expect(page.locator('.govuk-error-message').innerText()).resolves.toContain(
      'Select how much help you need to manage and maintain nutrition',
    );
    await expectNoAxeViolations(page, 'a domain page with an error');
    await screenshot(page, 'assessment-domain-error');

    const domains = defaultRasDefinition.domains;
    for (const [index, domain] of domains.entries()) {
      await chooseRadio(page, `answers-${domain.key}`, optionIndex[domain.key] ?? 0);
      const next = domains[index + 1];
      await saveAndContinue(page, next ? new RegExp(`/domains/${next.key}$`) : /\/adjustments$/);
    }
    await chooseRadio(page, 'answers-informal_support', 0);
    await saveAndContinue(page, /\/check-answers$/);

    await expect(page.locator('h1').innerText()).resolves.toBe('Check your answers before submitting the assessment');
    await expectNoAxeViolations(page, 'check your answers');
    await screenshot(page, 'assessment-check-answers');
    await tabTo(page, { text: 'Submit assessment' });
    await enterAndWait(page, /\/result$/);

    await expect(page.locator('#indicative-budget').innerText()).resolves.toContain('£9,130.00 a year');
    await expect(page.locator('#eligibility-decision').innerText()).resolves.toBe('Eligible');
    await expectNoAxeViolations(page, 'result');
    await screenshot(page, 'assessment-result');

    await tabTo(page, { text: 'How your indicative budget was worked out' });
    await enterAndWait(page, /\/explanation$/);
    expect(new URL(page.url()).pathname).toBe(`${assessmentPath}/explanation`);
    await expect(page.locator('#explanation').innerText()).resolves.toContain('You scored 83 points across 13 areas of need.');
    // The print button needs JavaScript, so the page's script adds it.
    await page.getByRole('button', { name: 'Print this page' }).waitFor();
    await expectNoAxeViolations(page, 'printable explanation');
    await screenshot(page, 'assessment-explanation');

    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.govuk-generic-header').isVisible()).resolves.toBe(false);
    await expect(page.locator('.govuk-service-navigation').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Print this page' }).isVisible()).resolves.toBe(false);
    await expect(page.locator('h1').isVisible()).resolves.toBe(true);
    await screenshot(page, 'assessment-explanation-print');

    await page.emulateMedia({ media: 'screen' });
    await page.goto(`/people/${person.id}`);
    await expect(page.locator('#assessments').innerText()).resolves.toContain('£9,130.00');
    await expectNoAxeViolations(page, 'person page with the assessment listed');
    await screenshot(page, 'assessment-on-person-page');
    // Some 300 key presses and five axe runs: far longer than a usual test on a busy 2-core machine.
  }, 240_000);

  it('works without JavaScript: the reasons are asked on a page of their own and both pages save', async () => {
    const page = await h.newPage({ javaScriptEnabled: false });
    await page.goto('/sign-in');
    await page.getByLabel('Email address').fill(careManager.email);
    await page.getByLabel('Password').fill(careManager.password);
    await Promise.all([page.waitForURL('**/sign-in/code'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByLabel('Enter the code from your authenticator app').fill(currentCode(TEST_TOTP_SECRET));
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Continue' }).click()]);
    const other = await aPerson(h.t.db, { teamId: careManager.teamId as number, givenName: 'Arthur', familyName: 'Bennett' });
    await page.goto(`/people/${other.id}`);
    await Promise.all([page.waitForURL(/\/assessments\/\d+$/), page.getByRole('button', { name: 'Start an assessment' }).click()]);
    await page.getByRole('link', { name: 'Eligibility' }).click();
    await page.locator('#outcomes-clothing-achieved-2').check();
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    await page.waitForURL(/\/assessments\/\d+\?saved=later$/);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Your answers have been saved');
    await page.goto(`${new URL(page.url()).pathname}/eligibility/reasons`);
    await page.locator('#outcomes-clothing-reasons').check();
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    await page.waitForURL(/\/assessments\/\d+\?saved=later$/);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Your answers have been saved');
  });
});
