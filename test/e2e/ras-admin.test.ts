import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedCalibrationScenario } from '../../seeds/calibration.js';
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
import { publishedRas } from '../support/ras-builders.js';

let h: BrowserHarness;
let admin: TestUser;

beforeAll(async () => {
  h = await startBrowserHarness();
  await publishedRas(h.t.db);
  const team = await aTeam(h.t.db, 'North Leeds Community Team');
  const worker = await aUser(h.t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
  const finance = await aUser(h.t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  admin = await aUser(h.t.db, { role: 'admin', displayName: 'Sam Admin' });
  await seedCalibrationScenario(h.t.db, h.t.clock, {
    teams: [team],
    workers: [{ id: worker.id, teamId: team.id }],
    financeOfficerId: finance.id,
  });
});
afterAll(() => h?.close());

describeInBrowser('the RAS editor in a browser', () => {
  it('an admin edits a draft, fixing a mistake first, models its impact, and publishes it', async () => {
    const page = await h.newPage();
    await signInAs(page, admin.email, admin.password);

    await page.getByRole('link', { name: 'RAS', exact: true }).click();
    await page.waitForURL('**/admin/ras');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Resource Allocation System (RAS)');
    await expectNoAxeViolations(page, 'RAS versions');
    await screenshot(page, 'ras-versions');

    await page.getByRole('button', { name: 'Create a draft from the current version' }).click();
    await page.waitForURL(/\/admin\/ras\/\d+\?saved=created$/);
    const draftUrl = new URL(page.url()).pathname;
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Draft created');
    await expectNoAxeViolations(page, 'draft version page');
    await screenshot(page, 'ras-draft');

    await page.getByRole('link', { name: 'Managing and maintaining nutrition' }).click();
    await page.waitForURL(/\/domains\/1$/);
    await page.getByLabel('Points, option 3 of question 1', { exact: true }).fill('-3');
    await page.getByRole('button', { name: 'Save changes' }).last().click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    await expectFocused(page, '.govuk-error-summary');
    await expect(summary.getByRole('link').allInnerTexts()).resolves.toEqual([
      "The points for option 'some_days' of question 'nutrition' must be 0 or more",
    ]);
    await expect(page.getByLabel('Points, option 3 of question 1', { exact: true }).inputValue()).resolves.toBe('-3');
    await expectNoAxeViolations(page, 'domain editor with an error');
    await screenshot(page, 'ras-domain-error');

    await summary.getByRole('link').click();
    await expectFocused(page, '#questions-0-options-2-points');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('8');
    // Enter saves: the form's first button is "Save changes", never a move.
    await page.keyboard.press('Enter');
    await page.waitForURL(/\?saved=domain/);
    await expect(page.locator('.govuk-notification-banner').innerText()).resolves.toContain('Domain saved');

    await page.goto(`${draftUrl}/settings`);
    await page.getByLabel('Learning disability: price for a point a year').fill('182.70');
    await page.getByLabel('Older people: price for a point a year').fill('72.60');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(/\?saved=settings/);

    await page.getByRole('button', { name: 'Model the impact' }).click();
    await page.waitForURL(/\/impact$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^Impact of/);
    await expect(page.locator('svg[role="img"]').count()).resolves.toBe(1);
    await expect(page.getByRole('table', { name: 'By client group' }).innerText()).resolves.toContain('Learning disability');
    await expectNoAxeViolations(page, 'impact page');
    await screenshot(page, 'ras-impact');

    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\/publish$/);
    await expect(page.locator('main').innerText()).resolves.toContain('People re-scored');
    await expectNoAxeViolations(page, 'publish confirmation');
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    await expectNoAxeViolations(page, 'publish confirmation with an error');
    await screenshot(page, 'ras-publish-error');
    await page.locator('#effectiveFrom-day').fill('1');
    await page.locator('#effectiveFrom-month').fill('7');
    await page.locator('#effectiveFrom-year').fill('2026');
    await page.getByRole('button', { name: 'Publish this version' }).click();
    await page.waitForURL(/\?saved=published$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('Scheduled');
    await expect(page.locator('main').innerText()).resolves.toContain('it becomes the current RAS on 1 July 2026');
    await screenshot(page, 'ras-published');
  });

  it('an admin reads the calibration report and starts a draft from its prices', async () => {
    const page = await h.newPage();
    await signInAs(page, admin.email, admin.password);
    await page.getByRole('link', { name: 'Reports', exact: true }).click();
    await page.waitForURL('**/reports');
    await expectNoAxeViolations(page, 'reports');
    await page.getByRole('link', { name: /RAS calibration/ }).click();
    await page.waitForURL('**/reports/calibration');
    const table = page.getByRole('table', { name: /By client group/ });
    await expect(table.getByRole('row', { name: /Learning disability/ }).innerText()).resolves.toContain('1.26');
    await expect(table.getByRole('row', { name: /Older people/ }).innerText()).resolves.toContain('0.66');
    await expect(page.locator('svg[role="img"]').count()).resolves.toBe(5);
    await expectNoAxeViolations(page, 'calibration report');
    await screenshot(page, 'calibration');

    await page.getByLabel('Least squares line through zero').check();
    await page.getByRole('button', { name: 'Create a draft with these prices' }).click();
    await page.waitForURL(/\/admin\/ras\/\d+\/impact$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('(recalibrated)');
  });
});
