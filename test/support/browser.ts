import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { currentCode } from '../../src/auth/two-factor.js';
import { buildTestApp, type TestApp } from './app.js';
import { TEST_TOTP_SECRET } from './builders.js';
import { csrfTokenFrom } from './http.js';

/** Debian's Chromium; playwright's own browser downloads are never used. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumFound = existsSync(chromiumPath);

const launchArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * A describe block that needs Chromium. On a developer's machine without it the block is skipped
 * and says why; in CI a missing browser must fail the run, so the block runs and the launch throws.
 */
export function describeInBrowser(name: string, body: () => void): void {
  const runnable = chromiumFound || Boolean(process.env.CI);
  if (!runnable) {
    process.stderr.write(
      `\n[browser tests] Skipping "${name}": no Chromium at ${chromiumPath}. Install it with: apt-get install -y chromium\n`,
    );
  }
  // A browser journey on a busy two-core machine can take far longer than a supertest request.
  describe.skipIf(!runnable)(name, { timeout: 180_000 }, body);
}

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumFound) {
    throw new Error(
      `Browser tests need Chromium at ${chromiumPath} (apt-get install -y chromium); CI is set, so they fail rather than skip.`,
    );
  }
  return chromium.launch({ executablePath: chromiumPath, args: launchArgs });
}

/** The real app on a real database, listening on an ephemeral port so a real browser can reach it. */
export type BrowserHarness = {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  newPage: (options?: BrowserContextOptions) => Promise<Page>;
  close: () => Promise<void>;
};

export async function startBrowserHarness(): Promise<BrowserHarness> {
  const [built, launched] = await Promise.allSettled([buildTestApp(), launchBrowser()]);
  if (built.status === 'rejected' || launched.status === 'rejected') {
    if (built.status === 'fulfilled') await built.value.drop();
    if (launched.status === 'fulfilled') await launched.value.close();
    throw built.status === 'rejected' ? built.reason : (launched as PromiseRejectedResult).reason;
  }
  const t = built.value;
  const browser = launched.value;
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = t.app.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const contexts: BrowserContext[] = [];
  return {
    t,
    baseUrl,
    browser,
    // A context per page keeps cookies apart, so two users (or JS on and off) never share a session.
    newPage: async (options = {}) => {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 900 }, ...options });
      // Fail a stuck step with its own message well before the test's timeout.
      context.setDefaultTimeout(20_000);
      contexts.push(context);
      return context.newPage();
    },
    close: async () => {
      await Promise.all(contexts.map((context) => context.close()));
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await t.drop();
    },
  };
}

/** Fills in the sign-in form and the code step as a person would (their app holds TEST_TOTP_SECRET) and waits to leave them. */
export async function signInThroughTheForms(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForURL('**/sign-in/code'), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.getByLabel('Enter the code from your authenticator app').fill(currentCode(TEST_TOTP_SECRET));
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in')),
    page.getByRole('button', { name: 'Continue' }).click(),
  ]);
}

/**
 * Signs in with the page's own cookies but without drawing the two sign-in pages, then opens the
 * page signing in lands on. The forms themselves are walked, and checked with axe, by the
 * foundation and two-factor tests; drawing them for each of the other sign-ins cost CI a minute.
 */
export async function signInAs(page: Page, email: string, password: string): Promise<void> {
  const formToken = async (path: string) => csrfTokenFrom(await (await page.request.get(path)).text());
  const passwordStep = await page.request.post('/sign-in', {
    form: { email, password, _csrf: await formToken('/sign-in') },
    maxRedirects: 0,
  });
  if (passwordStep.headers().location !== '/sign-in/code') {
    throw new Error(`signing in as ${email} was refused (${passwordStep.status()})`);
  }
  // The landing page is left for the page itself to open: a home page marks its notices seen when drawn.
  const codeStep = await page.request.post('/sign-in/code', {
    form: { code: currentCode(TEST_TOTP_SECRET), _csrf: await formToken('/sign-in/code') },
    maxRedirects: 0,
  });
  const landing = codeStep.headers().location;
  if (codeStep.status() !== 302 || !landing || landing.startsWith('/sign-in')) {
    throw new Error(`the code for ${email} was refused (${codeStep.status()})`);
  }
  await page.goto(landing);
}

export async function signOut(page: Page): Promise<void> {
  await Promise.all([page.waitForURL('**/sign-in'), page.getByRole('button', { name: 'Sign out' }).click()]);
}

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is now; a failure lists each rule, its impact and the elements that broke it. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  // options() replaces every option, so it comes before withTags(). Asking only for violations skips
  // collecting the passes, and legacy mode runs axe in the page itself instead of opening a blank page
  // to merge frame results; our pages have no iframes, so that halves the time with the same findings.
  const results = await new AxeBuilder({ page })
    .options({ resultTypes: ['violations'] })
    .withTags(wcagTags)
    .setLegacyMode()
    .analyze();
  const report = results.violations
    .map((violation) => {
      const nodes = violation.nodes
        .map((node) => `      - ${node.target.join(' ')}\n        ${node.failureSummary?.replaceAll('\n', '\n        ') ?? ''}`)
        .join('\n');
      return `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
  expect(results.violations.length, `axe found violations on "${label}" (${page.url()}):\n${report}`).toBe(0);
}

export const screenshotDir = path.resolve('test-results/screenshots');

/**
 * A full-page screenshot in test-results/screenshots (gitignored), to look at after a run. CI keeps
 * no files and has nobody to look, so there it takes none: about a hundred of them cost CI time.
 */
export async function screenshot(page: Page, name: string): Promise<string | undefined> {
  if (process.env.CI) return undefined;
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The GOV.UK components move focus from a module script, so this waits for it rather than reading it once. */
export async function expectFocused(page: Page, selector: string): Promise<void> {
  await page.locator(`${selector}:focus`).waitFor({ state: 'attached', timeout: 5_000 });
}
