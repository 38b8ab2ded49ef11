import { afterAll, beforeAll, expect, it } from 'vitest';
import { aSmallCouncil, type SmallCouncil } from '../support/client-level-data-builders.js';
import {
  describeInBrowser,
  expectFocused,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let council: SmallCouncil;

beforeAll(async () => {
  h = await startBrowserHarness();
  council = await aSmallCouncil(h.t);
});
afterAll(() => h?.close());

describeInBrowser('the Client Level Data return in a browser', () => {
  it('an administrator chooses a quarter after a typing mistake, checks who misses what and downloads the file', async () => {
    const page = await h.newPage();
    await signInAs(page, council.admin.email, council.admin.password);

    await page.goto('/reports');
    await page.getByRole('link', { name: 'Client Level Data return' }).click();
    await page.waitForURL('**/reports/client-level-data');
    await expectNoAxeViolations(page, 'choose a quarter');

    await page.getByLabel('Which quarter?').fill('2026-28 Q2');
    await page.getByRole('button', { name: 'Check the return' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(page.getByLabel('Which quarter?').inputValue()).resolves.toBe('2026-28 Q2');
    await expectNoAxeViolations(page, 'choose a quarter with an error');

    await page.getByLabel('Which quarter?').fill('2026-27 Q2');
    await page.getByRole('button', { name: 'Check the return' }).click();
    await page.waitForURL('**/reports/client-level-data/check?quarter=2026-27+Q2');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Check the Client Level Data return for 2026-27 Q2');
    await expect(page.getByRole('link', { name: 'Add NHS number for Bob Gaps' }).getAttribute('href')).resolves.toBe(
      `/people/${council.people.gaps.id}/edit#nhsNumber`,
    );
    await expectNoAxeViolations(page, 'check the return');
    await screenshot(page, 'client-level-data-check');

    await page.getByRole('link', { name: 'Continue to download' }).click();
    await page.waitForURL('**/reports/client-level-data/download?quarter=2026-27%20Q2');
    await expect(page.locator('.govuk-warning-text').innerText()).resolves.toContain(
      '3 people are in the file with a mandatory field left empty.',
    );
    await expectNoAxeViolations(page, 'download the return');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the return for 2026-27 Q2 (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('client-level-data-2026-27-Q2.csv');
    await expect(h.t.db('audit_events').where({ action: 'client_level_data_downloaded' }).count('* as n').first()).resolves.toEqual({
      n: 1,
    });
  });
});
