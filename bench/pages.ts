import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { z } from 'zod';
import { currentCode } from '../src/auth/two-factor.js';
import { systemClock } from '../src/clock.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ensureDefaultRas } from '../src/ras/service.js';
import { demoLogins } from '../seeds/demo.js';
import {
  RARE_FAMILY_NAME,
  SCALE_PASSWORD,
  scaleAdminEmail,
  scaleFinanceEmail,
  scaleManagerEmail,
  scaleWorkerEmail,
  seedScale,
} from '../seeds/scale.js';
import { elapsed, openBenchDatabase } from './database.js';

/**
 * `npm run bench -- pages [--people 100000] [--seconds 10] [--memory-seconds 180] [--rounds 3]
 * [--pages search-common,search-rare,search-dob]`
 *
 * Serves the generated council from the app as an operator runs it (its own process, production
 * mode) and, in the same run, from a bare app (bench/baseline-app.ts), and loads them in turn with
 * autocannon, in rounds after a few seconds' untimed load of each: each page compared with the
 * baseline (a person's page and the searches) right after a load of the baseline, then the home
 * pages, queue and dashboard. Prints the median of the rounds (requests a second, latency
 * percentiles) against the targets of issue 13; the machine's speed drifts over a round, so a
 * compared page's ratio is the median of its ratios to the baseline loaded just before it. Then
 * loads every page at once for --memory-seconds and prints how the app's memory grew. Timings are
 * only printed, never a pass or fail.
 *
 * To measure one area quickly, --pages names the pages to load, comma separated, from person,
 * search-common, search-rare, search-dob, care-manager-home, team-manager-home, finance-queue and
 * dashboard (all of them when left out), and --memory-seconds 0 leaves out the memory soak:
 * `npm run bench -- pages --pages search-common,search-rare,search-dob --memory-seconds 0`.
 */
const WARM_UP_SECONDS = 3;

const PAGE_KEYS = [
  'person',
  'search-common',
  'search-rare',
  'search-dob',
  'care-manager-home',
  'team-manager-home',
  'finance-queue',
  'dashboard',
] as const;
type PageKey = (typeof PAGE_KEYS)[number];

const optionsSchema = z.object({
  people: z.coerce.number().int().min(100).max(1_000_000).default(100_000),
  seconds: z.coerce.number().int().min(1).max(600).default(10),
  // 0 leaves the soak out; a shorter one than 5 s would not show growth, only noise.
  memorySeconds: z.coerce
    .number()
    .int()
    .max(3600)
    .refine((seconds) => seconds === 0 || seconds >= 5, 'memory-seconds must be 0 (no soak) or at least 5')
    .default(180),
  rounds: z.coerce.number().int().min(1).max(9).default(3),
  connections: z.coerce.number().int().min(1).max(200).default(20),
  pages: z
    .string()
    .transform((list) => list.split(',').map((key) => key.trim()))
    .pipe(z.array(z.enum(PAGE_KEYS)).min(1))
    .optional(),
});
type Options = z.infer<typeof optionsSchema>;

function readOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      people: { type: 'string' },
      seconds: { type: 'string' },
      'memory-seconds': { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      pages: { type: 'string' },
    },
  });
  const { 'memory-seconds': memorySeconds, ...rest } = values;
  return optionsSchema.parse({ ...rest, memorySeconds });
}

/** The app runs in production mode behind a pretend TLS proxy: its cookies are Secure, as a council's are. */
const viaProxy = { 'x-forwarded-proto': 'https' };

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

type Served = { base: string; child: ChildProcess };

async function serve(script: string, env: Record<string, string>, withMemoryProbe: boolean): Promise<Served> {
  const port = await freePort();
  const probe = withMemoryProbe ? ['--expose-gc', '--import', pathToFileURL(path.resolve('bench/memory-probe.ts')).href] : [];
  // Request logs go nowhere, as to a log shipper that keeps up; errors still show.
  const child = spawn(process.execPath, ['--import', 'tsx', ...probe, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} stopped while starting (exit ${child.exitCode})`);
    const answered = await fetch(`${base}/healthz`).then(
      (response) => response.status < 500,
      () => false,
    );
    if (answered) return { base, child };
    if (Date.now() > deadline) throw new Error(`${script} did not start in two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function stopServing(served: Served): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = once(served.child, 'exit');
  served.child.kill('SIGTERM');
  await exited;
}

/**
 * Waits until the server answers its health check quickly: requests a slow page left queued (the
 * server finishes them after autocannon has gone) must not be counted against the next page.
 */
async function settle(served: Served): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    const started = performance.now();
    await fetch(`${served.base}/healthz`).catch(() => undefined);
    // An idle server answers in a few milliseconds even on a busy machine; a queued one in seconds.
    if (performance.now() - started < 250) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

type Memory = { rss: number; heapUsed: number };

async function memoryOf(served: Served): Promise<Memory> {
  const answer = once(served.child, 'message') as Promise<[Memory]>;
  served.child.send('memory');
  const [memory] = await answer;
  return { rss: memory.rss, heapUsed: memory.heapUsed };
}

/** A cookie jar of one, enough for the sign-in steps. */
class Cookies {
  private readonly jar = new Map<string, string>();
  keep(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0] ?? '';
      const name = pair.slice(0, pair.indexOf('='));
      if (pair.endsWith('=')) this.jar.delete(name);
      else this.jar.set(name, pair);
    }
  }
  header(): string {
    return [...this.jar.values()].join('; ');
  }
}

function csrfTokenOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token on the sign-in page');
  return token;
}

/** The password, then the code from the authenticator app (the scale users are enrolled with the demo secret). */
async function signIn(base: string, email: string): Promise<string> {
  const cookies = new Cookies();
  const call = async (pathname: string, form?: Record<string, string>) => {
    const response = await fetch(`${base}${pathname}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { ...viaProxy, cookie: cookies.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    cookies.keep(response);
    return response;
  };
  const passwordPage = await call('/sign-in');
  const password = await call('/sign-in', { email, password: SCALE_PASSWORD, _csrf: csrfTokenOf(await passwordPage.text()) });
  if (password.headers.get('location') !== '/sign-in/code') throw new Error(`${email}: the password step answered ${password.status}`);
  const codePage = await call('/sign-in/code');
  if (codePage.status !== 200) throw new Error(`${email}: the code page answered ${codePage.status} ${codePage.headers.get('location')}`);
  const code = await call('/sign-in/code', { code: currentCode(demoLogins.totpSecret), _csrf: csrfTokenOf(await codePage.text()) });
  if (code.status !== 302) throw new Error(`${email}: the code step answered ${code.status}`);
  return cookies.header();
}

type Measured = { requestsPerSecond: number; p50: number; p95: number; p99: number; failed: number };

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

/** autocannon's own percentiles skip p95, so every response time is kept and ranked here. */
async function load(url: string, cookie: string, connections: number, seconds: number): Promise<Measured> {
  const times: number[] = [];
  let failed = 0;
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({ url, connections, duration: seconds, timeout: 120, headers: { ...viaProxy, cookie } }, (error, done) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
    );
    // At run time the listener is given the client first; @types/autocannon leaves it out.
    (instance as NodeJS.EventEmitter).on('response', (_client: unknown, statusCode: number, _bytes: number, milliseconds: number) => {
      times.push(milliseconds);
      if (statusCode !== 200) failed += 1;
    });
  });
  times.sort((a, b) => a - b);
  return {
    requestsPerSecond: times.length / seconds,
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    failed: failed + result.errors + result.timeouts,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function medianOf(runs: readonly Measured[]): Measured {
  return {
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50: median(runs.map((run) => run.p50)),
    p95: median(runs.map((run) => run.p95)),
    p99: median(runs.map((run) => run.p99)),
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
  };
}

type Page = { name: string; path: string; cookie: string; target: 'ratio' | 'search' | 'list' };

/** A page slower than the run has no response to time: shown as a dash, never as 0 ms. */
const ms = (value: number) => (Number.isNaN(value) ? '-' : `${Math.round(value)}`).padStart(6);
const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** Every page at once, the connections shared out, after the rounds have warmed the app up: whether memory grew less than 10%. */
async function soak(app: Served, pages: readonly Page[], options: Options): Promise<boolean> {
  await settle(app);
  const before = await memoryOf(app);
  const peak = { ...before };
  const sampler = setInterval(() => {
    void memoryOf(app).then((now) => {
      peak.rss = Math.max(peak.rss, now.rss);
      peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
    });
  }, 10_000);
  await Promise.all(
    pages.map((page, index) =>
      load(
        `${app.base}${page.path}`,
        page.cookie,
        Math.max(1, Math.floor(options.connections / pages.length) + (index < options.connections % pages.length ? 1 : 0)),
        options.memorySeconds,
      ),
    ),
  );
  clearInterval(sampler);
  const after = await memoryOf(app);
  const growth = (to: number, from: number) => ((to - from) / from) * 100;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const rssGrowth = growth(after.rss, before.rss);
  const heapGrowth = growth(after.heapUsed, before.heapUsed);
  console.log('');
  console.log(
    `memory over ${options.memorySeconds} s of every page at once: RSS ${mb(before.rss)} -> ${mb(after.rss)} (${rssGrowth.toFixed(1)}%, peak ${mb(peak.rss)}), heap after GC ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} (${heapGrowth.toFixed(1)}%); target < 10%: ${met(rssGrowth < 10 && heapGrowth < 10)}`,
  );
  return rssGrowth < 10 && heapGrowth < 10;
}

export async function benchPages(args: string[] = process.argv.slice(3)): Promise<number> {
  const options = readOptions(args);
  const { db, url, server } = await openBenchDatabase(
    options.people === 100_000 ? 'selfdirect_bench' : `selfdirect_bench_${options.people}`,
  );
  const running: Served[] = [];
  try {
    await migrateToLatest(db);
    await ensureDefaultRas(db, systemClock);
    const seeding = performance.now();
    const { added, total } = await seedScale(db, systemClock, { people: options.people });
    if (added > 0) console.log(`pages: generated ${added.toLocaleString('en-GB')} people in ${(elapsed(seeding) / 1000).toFixed(1)} s`);

    const worker = (await db('users')
      .where({ email: scaleWorkerEmail(1) })
      .first('id')) as { id: number };
    const [{ caseload }] = (await db('people').where({ allocated_worker_id: worker.id }).count({ caseload: '*' })) as [
      { caseload: string },
    ];
    const person = (await db('people')
      .where({ allocated_worker_id: worker.id })
      .orderBy('id')
      .offset(100)
      .first('id', 'date_of_birth')) as {
      id: number;
      date_of_birth: string;
    };
    const [{ waiting }] = (await db('support_plans').where({ status: 'submitted' }).count({ waiting: '*' })) as [{ waiting: string }];
    const [year, month, day] = person.date_of_birth.split('-').map(Number);

    const app = await serve(
      'src/server.ts',
      {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        SESSION_SECRET: 'bench-secret-that-is-long-enough-for-the-schema',
        TRUST_PROXY: '1',
        LOG_LEVEL: 'info',
      },
      true,
    );
    running.push(app);
    const baseline = await serve(
      'bench/baseline-app.ts',
      { NODE_ENV: 'production', DATABASE_URL: url, BASELINE_PERSON_ID: String(person.id) },
      false,
    );
    running.push(baseline);

    const pageList: (Omit<Page, 'cookie'> & { key: PageKey; email: string })[] = [
      { key: 'person', name: "a person's page", path: `/people/${person.id}`, email: scaleWorkerEmail(1), target: 'ratio' },
      { key: 'search-common', name: 'search: common surname (Pike)', path: '/people?q=Pike', email: scaleWorkerEmail(1), target: 'search' },
      {
        key: 'search-rare',
        name: `search: rare surname (${RARE_FAMILY_NAME})`,
        path: `/people?q=${RARE_FAMILY_NAME}`,
        email: scaleWorkerEmail(1),
        target: 'search',
      },
      {
        key: 'search-dob',
        name: 'search: date of birth',
        path: `/people?q=${encodeURIComponent(`${day}/${month}/${year}`)}`,
        email: scaleWorkerEmail(1),
        target: 'search',
      },
      {
        key: 'care-manager-home',
        name: `care manager's home (${Number(caseload).toLocaleString('en-GB')} people)`,
        path: '/',
        email: scaleWorkerEmail(1),
        target: 'list',
      },
      { key: 'team-manager-home', name: "team manager's home", path: '/', email: scaleManagerEmail(1), target: 'list' },
      {
        key: 'finance-queue',
        name: `finance queue (${Number(waiting).toLocaleString('en-GB')} plans)`,
        path: '/finance/queue',
        email: scaleFinanceEmail,
        target: 'list',
      },
      {
        key: 'dashboard',
        name: 'dashboard (administrator, all teams)',
        path: '/reports/dashboard',
        email: scaleAdminEmail,
        target: 'list',
      },
    ];
    const chosen = pageList.filter((page) => !options.pages || options.pages.includes(page.key));
    // Each user signs in once, and only those the chosen pages need.
    const cookies = new Map<string, string>();
    for (const { email } of chosen) if (!cookies.has(email)) cookies.set(email, await signIn(app.base, email));
    const pages: Page[] = chosen.map(({ name, path: pagePath, email, target }) => ({
      name,
      path: pagePath,
      cookie: cookies.get(email) ?? '',
      target,
    }));
    const baselineStart = await fetch(`${baseline.base}/start`);
    const baselineCookie = baselineStart.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const baselineUrl = `${baseline.base}/people/${person.id}`;

    // Each page once before timing: it must answer, and its first, cold request is not measured.
    for (const page of pages) {
      const started = performance.now();
      const response = await fetch(`${app.base}${page.path}`, { headers: { ...viaProxy, cookie: page.cookie }, redirect: 'manual' });
      const size = (await response.arrayBuffer()).byteLength;
      if (response.status !== 200) throw new Error(`${page.name} (${page.path}) answered ${response.status}`);
      console.log(`pages: ${page.name}: ${Math.round(size / 1024)} KB, first request ${elapsed(started)} ms`);
    }

    // Both apps as servers that have been up a while: in the first seconds of load a page runs
    // code the JIT has not yet compiled, which counted against whichever page came first.
    for (const [url, cookie] of [
      [baselineUrl, baselineCookie],
      ...pages.map((page) => [`${app.base}${page.path}`, page.cookie]),
    ] as const) {
      await load(url, cookie, options.connections, WARM_UP_SECONDS);
    }
    console.log(
      `pages: ${total.toLocaleString('en-GB')} people; each page and the baseline loaded for ${WARM_UP_SECONDS} s untimed, then ${options.rounds} rounds of ${options.seconds} s a page at ${options.connections} connections, the baseline just before each page compared with it`,
    );
    const baselineRuns: Measured[] = [];
    const appRuns = new Map<Page, Measured[]>(pages.map((page) => [page, []]));
    const roundRatios = new Map<Page, number[]>(pages.filter((page) => page.target !== 'list').map((page) => [page, []]));
    const oneUserRuns = new Map<Page, Measured[]>(pages.filter((page) => page.target === 'search').map((page) => [page, []]));
    for (let round = 1; round <= options.rounds; round += 1) {
      for (const page of pages) {
        const ratios = roundRatios.get(page);
        let besideBaseline: Measured | undefined;
        // Also once a round whatever its pages, for the ratio printed beside the home pages.
        if (ratios || baselineRuns.length < round) {
          await settle(baseline);
          besideBaseline = await load(baselineUrl, baselineCookie, options.connections, options.seconds);
          baselineRuns.push(besideBaseline);
        }
        await settle(app);
        const measured = await load(`${app.base}${page.path}`, page.cookie, options.connections, options.seconds);
        appRuns.get(page)?.push(measured);
        if (ratios && besideBaseline) ratios.push(measured.requestsPerSecond / besideBaseline.requestsPerSecond);
      }
      for (const [page, runs] of oneUserRuns) {
        await settle(app);
        runs.push(await load(`${app.base}${page.path}`, page.cookie, 1, options.seconds));
      }
      console.log(`pages: round ${round} of ${options.rounds} done`);
    }

    const base = medianOf(baselineRuns);
    const misses: string[] = [];
    console.log('');
    console.log(
      `${'page'.padEnd(44)} ${'req/s'.padStart(7)} ${'p50'.padStart(6)} ${'p95'.padStart(6)} ${'p99'.padStart(6)}  ratio  target`,
    );
    console.log(
      `${'baseline (one query, bare Express)'.padEnd(44)} ${base.requestsPerSecond.toFixed(1).padStart(7)} ${ms(base.p50)} ${ms(base.p95)} ${ms(base.p99)}   1.00`,
    );
    for (const page of pages) {
      const measured = medianOf(appRuns.get(page) ?? []);
      const ratios = roundRatios.get(page);
      const ratio = ratios ? median(ratios) : measured.requestsPerSecond / base.requestsPerSecond;
      let target: string;
      if (page.target === 'list') {
        target = `p95 < 200 ms at ${options.connections}: ${met(measured.p95 < 200)}`;
        if (measured.p95 >= 200) misses.push(page.name);
      } else {
        target = `>= 0.5x baseline: ${met(ratio >= 0.5)}`;
        if (ratio < 0.5) misses.push(page.name);
      }
      const failed = measured.failed > 0 ? ` (${measured.failed} failed)` : '';
      console.log(
        `${page.name.padEnd(44)} ${measured.requestsPerSecond.toFixed(1).padStart(7)} ${ms(measured.p50)} ${ms(measured.p95)} ${ms(measured.p99)}  ${ratio.toFixed(2).padStart(5)}  ${target}${failed}`,
      );
    }
    for (const [page, runs] of oneUserRuns) {
      const measured = medianOf(runs);
      if (measured.p95 >= 50) misses.push(`${page.name}, one user`);
      console.log(
        `${`${page.name}, one user`.padEnd(44)} ${measured.requestsPerSecond.toFixed(1).padStart(7)} ${ms(measured.p50)} ${ms(measured.p95)} ${ms(measured.p99)}         p95 < 50 ms: ${met(measured.p95 < 50)}`,
      );
    }

    if (options.memorySeconds > 0 && !(await soak(app, pages, options))) misses.push('memory growth');
    console.log(misses.length === 0 ? 'pages: every target met' : `pages: targets missed: ${misses.join('; ')}`);
    return misses.length;
  } finally {
    await Promise.all(running.map(stopServing));
    await db.destroy();
    await server?.stop();
  }
}
