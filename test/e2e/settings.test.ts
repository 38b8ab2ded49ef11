import { afterAll, beforeAll, expect, it } from 'vitest';
import { aTeam, aUser, type TestUser } from '../support/builders.js';
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
let admin: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  await aTeam(h.t.db, 'North Leeds Community Team');
  admin = await aUser(h.t.db, { role: 'admin', displayName: 'Sam Admin' });
  // Today is 15 June 2026 (the test clock): one target in force, one to come.
  await h.t.db('uptake_targets').delete();
  await h.t.db('uptake_targets').insert([
    { in_force_from: '2026-04-01', target_percent: 60, added_by: admin.id },
    { in_force_from: '2027-04-01', target_percent: 70, added_by: admin.id },
  ]);
});
afterAll(() => h?.close());

describeInBrowser('the council settings in a browser', () => {
  it('an administrator changes the money rules after fixing a mistake, adds an uptake target and sees it on the dashboard', async () => {
    const page = await h.newPage();
    await signInAs(page, admin.email, admin.password);

    await page.getByRole('link', { name: 'Council settings', exact: true }).click();
    await page.waitForURL('**/admin/settings');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Council settings');
    await expectNoAxeViolations(page, 'council settings');

    await page.getByLabel('Tolerance above the indicative budget (%)').fill('0');
    await page.getByLabel('It is shown, but does not go to a panel').check();
    await page.getByLabel('Direct-payment surplus (weeks)').fill('60');
    await page.getByLabel('Local authority code').fill('LEEDS');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual([
      'The number of weeks must be between 1 and 52',
      'Enter the local authority code as the ONS code, like E10000003, or the 3-digit code, like 305',
    ]);
    await expect(page.getByLabel('Tolerance above the indicative budget (%)').inputValue()).resolves.toBe('0');
    await expect(page.getByLabel('It is shown, but does not go to a panel').isChecked()).resolves.toBe(true);
    await expectNoAxeViolations(page, 'council settings with errors');
    await screenshot(page, 'council-settings-errors');

    await page.getByLabel('Direct-payment surplus (weeks)').fill('6');
    await page.getByLabel('Local authority code').fill('E08000035');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const banner = page.locator('.govuk-notification-banner');
    await banner.waitFor();
    await expect(banner.innerText()).resolves.toContain('Council settings saved');
    await expect(page.locator('.govuk-error-summary').count()).resolves.toBe(0);
    expect(await h.t.db('council_settings').where({ id: 1 }).first()).toMatchObject({
      over_indicative_tolerance_percent: 0,
      ceiling_behaviour: 'not_used',
      direct_payment_surplus_weeks: 6,
      local_authority_code: 'E08000035',
    });
    await expect(page.locator('#history ~ .app-table-scroll tbody tr').first().innerText()).resolves.toContain('Sam Admin');
    await expectNoAxeViolations(page, 'council settings saved');
    await screenshot(page, 'council-settings');

    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('1');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('Target (%)').fill('40');
    await page.getByRole('button', { name: 'Add target' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('40% from 1 January 2026');
    await page.getByRole('button', { name: 'Remove the target from 1 April 2026' }).click();
    await page.locator('.govuk-notification-banner').waitFor();
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Uptake target removed');

    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForURL('**/reports/dashboard');
    await expect(page.locator('main').innerText()).resolves.toContain('The council’s target is 40%, in force since 1 January 2026.');
    await expectNoAxeViolations(page, 'dashboard');
    await screenshot(page, 'dashboard-target-in-force');
    await page.getByRole('link', { name: 'Change the targets in council settings' }).click();
    await page.waitForURL('**/admin/settings#uptake-targets');
  });
});
