import { afterAll, beforeAll, expect, it } from 'vitest';
import { currentCode } from '../../src/auth/two-factor.js';
import { aTeam, aUser, TEST_PASSWORD } from '../support/builders.js';
import {
  describeInBrowser,
  expectNoAxeViolations,
  screenshot,
  signInAs,
  signOut,
  startBrowserHarness,
  type BrowserHarness,
} from '../support/browser.js';

let h: BrowserHarness;
let teamId: number;

describeInBrowser('two-step sign-in in a browser', () => {
  beforeAll(async () => {
    h = await startBrowserHarness();
    teamId = (await aTeam(h.t.db, 'North')).id;
  });
  afterAll(() => h?.close());

  it('a new user sets their password with the link, sets up an authenticator app from the page, saves recovery codes and signs in again with a code', async () => {
    const admin = await aUser(h.t.db, { role: 'admin' });
    const adminPage = await h.newPage();
    await signInAs(adminPage, admin.email, admin.password);
    await adminPage.goto('/admin/users/new');
    await adminPage.getByLabel('Full name').fill('Olu Bankole');
    await adminPage.getByLabel('Email address').fill('olu.bankole@example.gov.uk');
    await adminPage.getByLabel('Care manager').check();
    await adminPage.getByLabel('Team', { exact: true }).selectOption(String(teamId));
    await adminPage.getByRole('button', { name: 'Add user' }).click();
    await adminPage.getByRole('heading', { name: 'Olu Bankole’s account has been created' }).waitFor();
    await expectNoAxeViolations(adminPage, 'set-password link shown to the administrator');
    await screenshot(adminPage, 'two-factor-1-link-for-admin');
    const link = await adminPage.getByLabel('Set-password link').inputValue();

    const page = await h.newPage();
    await page.goto(link);
    await page.getByLabel('Password', { exact: true }).fill('password1234');
    await page.getByLabel('Enter the password again').fill('password1234');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.locator('#password-error').waitFor();
    await expectNoAxeViolations(page, 'set password: a common password refused');
    await screenshot(page, 'two-factor-2-weak-password');
    const password = 'Lantern-copper-meadow-58';
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Enter the password again').fill(password);
    await Promise.all([page.waitForURL('**/sign-in'), page.getByRole('button', { name: 'Set password' }).click()]);
    await page.getByText('Your password is set').waitFor();

    await page.getByLabel('Email address').fill('olu.bankole@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await Promise.all([page.waitForURL('**/sign-in/set-up-authenticator'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    await expectNoAxeViolations(page, 'set up an authenticator app');
    await screenshot(page, 'two-factor-3-set-up');
    const secret = (await page.locator('#setup-key').innerText()).replaceAll(' ', '');

    await page.getByLabel('Enter the 6-digit code the app shows').fill('12');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#code-error').waitFor();
    await expectNoAxeViolations(page, 'set up an authenticator app: a code too short');
    await screenshot(page, 'two-factor-4-set-up-error');

    await page.getByLabel('Enter the 6-digit code the app shows').fill(currentCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    expect(await page.locator('.app-recovery-codes li').count()).toBe(10);
    await expectNoAxeViolations(page, 'recovery codes');
    await screenshot(page, 'two-factor-5-recovery-codes');
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
      page.getByRole('button', { name: 'I have saved my recovery codes' }).click(),
    ]);

    await signOut(page);
    await page.getByLabel('Email address').fill('olu.bankole@example.gov.uk');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await Promise.all([page.waitForURL('**/sign-in/code'), page.getByRole('button', { name: 'Sign in' }).click()]);
    await expectNoAxeViolations(page, 'code step');
    await screenshot(page, 'two-factor-6-code-step');
    await page.getByLabel('Enter the code from your authenticator app').fill('000000' === currentCode(secret) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#code-error').waitFor();
    await expectNoAxeViolations(page, 'code step: a wrong code');
    await screenshot(page, 'two-factor-7-wrong-code');
    await page.getByLabel('Enter the code from your authenticator app').fill(currentCode(secret));
    await Promise.all([
      page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
      page.getByRole('button', { name: 'Continue' }).click(),
    ]);
    await page.getByText('Signed in as').waitFor();
  });

  it('a signed-in user changes their password, with the form’s errors accessible', async () => {
    const user = await aUser(h.t.db, { role: 'finance_officer' });
    const page = await h.newPage();
    await signInAs(page, user.email, user.password);
    await page.getByRole('link', { name: 'Change password' }).click();
    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Enter the new password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#newPassword-error').waitFor();
    await expectNoAxeViolations(page, 'change password: too short');
    await screenshot(page, 'two-factor-8-change-password-error');
    // Passwords are never sent back to the browser, so all three are typed again.
    await page.getByLabel('Current password').fill(TEST_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('Harbour-violet-engine-14');
    await page.getByLabel('Enter the new password again').fill('Harbour-violet-engine-14');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password has been changed').waitFor();
  });

  it('an expired or used link says so accessibly', async () => {
    const page = await h.newPage();
    await page.goto('/set-password/not-a-real-link');
    await page.getByRole('heading', { name: 'This link cannot be used' }).waitFor();
    await expectNoAxeViolations(page, 'link cannot be used');
  });
});
