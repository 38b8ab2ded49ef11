import { afterAll, beforeAll, expect, it } from 'vitest';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let careManager: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  const team = await aTeam(h.t.db, 'Riverside Team');
  careManager = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Ada Okafor' });
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

describeInBrowser('the session timeout warning', () => {
  it('warns two minutes before the session ends, and "Stay signed in" or Escape keeps it going', async () => {
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
  });
});
