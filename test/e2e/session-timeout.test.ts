import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServices } from '../../src/services.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';
import { actorOf } from '../support/review-builders.js';

let h: BrowserHarness;
let careManager: TestUser;
let planId: number;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'Riverside Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Ada Okafor' });
  const person = await aPerson(h.t.db, { teamId: team.id, givenName: 'Winifred', allocatedWorkerId: careManager.id });
  await aSubmittedAssessment(h.t.db, { person, submittedBy: careManager.id });
  planId = await createServices(h.t.db, h.t.clock).plans.startPlan(actorOf(careManager), person.id);
});
afterAll(() => h?.close());

/** When the session row was last written: its transaction id changes with every write. */
async function sessionWrittenBy(): Promise<string> {
  const rows = (await h.t
    .db('session')
    .whereRaw(`sess -> 'passport' ->> 'user' = ?`, [String(careManager.id)])
    .select(h.t.db.raw('xmin::text as xmin'))) as {
    xmin: string;
  }[];
  expect(rows).toHaveLength(1);
  return (rows[0] as { xmin: string }).xmin;
}

describeInBrowser('nothing typed is lost', () => {
  it('warns two minutes before the session ends, "Stay signed in" or Escape keeps it going, and a draft is kept and offered back', async () => {
    const page = await h.newPage();
    await page.clock.install();
    await signInAs(page, careManager.email, careManager.password);
    await page.goto('/people');
    const dialog = page.getByRole('dialog', { name: 'You’re about to be signed out' });
    const secondsLeft = Number(await page.locator('script[data-session-timeout]').getAttribute('data-seconds-left'));
    expect(secondsLeft).toBeGreaterThan(29 * 60);

    await page.clock.fastForward((secondsLeft - 119) * 1000);
    await dialog.waitFor();
    await expectFocused(page, '#timeout-heading');
    await expect(dialog.textContent()).resolves.toMatch(/signed out in\s+1 minute 5\d seconds/);
    await expectNoAxeViolations(page, 'the timeout warning open');

    const before = await sessionWrittenBy();
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const afterStaying = await sessionWrittenBy();
    expect(afterStaying).not.toBe(before);

    // The count starts again from the whole idle time, so the warning comes back only near its end.
    await page.clock.fastForward(20 * 60 * 1000);
    expect(await dialog.isVisible()).toBe(false);
    await page.clock.fastForward(9 * 60 * 1000);
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(sessionWrittenBy).not.toBe(afterStaying);
    expect(new URL(page.url()).pathname).toBe('/people');

    // A draft of the plan's details, kept half done and offered back.
    await page.goto(`/plans/${planId}/details`);
    await page.getByLabel('Who was involved in writing the plan?').fill('Winifred and her neighbour');
    await page.getByRole('button', { name: 'Save and come back later' }).click();
    await page.waitForURL(`**/plans/${planId}/details?draft=continue`);
    await expect(page.getByLabel('Who was involved in writing the plan?').inputValue()).resolves.toBe('Winifred and her neighbour');
    await expectNoAxeViolations(page, 'continuing a draft');
    await page.goto(`/plans/${planId}/details`);
    await page.getByRole('link', { name: 'Continue with the draft' }).waitFor();
    await expectNoAxeViolations(page, 'a draft offered');
  });
});
