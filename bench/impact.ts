import type { Knex } from 'knex';
import { pino } from 'pino';
import { currentCode } from '../src/auth/two-factor.js';
import { demoLogins } from '../seeds/demo.js';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { londonToday, systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createSessionPool } from '../src/db/knex.js';
import { elapsed, openBenchDatabase } from './database.js';
import { alternate, median } from './timing.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { findRasVersionInForce, loadRasDefinition } from '../src/ras/repo.js';
import { ensureDefaultRas, rasService } from '../src/ras/service.js';
import { reportsService } from '../src/reports/service.js';
import { SCALE_PASSWORD, scaleAdminEmail, seedScale } from '../seeds/scale.js';

const people = 100_000;
const targetMs = 500;
const rounds = 5;

/**
 * The baseline: one plain query for the rows the model reads (everyone's latest submitted
 * assessment with its answers and team), as node-postgres gives them, with no scoring.
 */
async function bareRead(db: Knex): Promise<number> {
  const rows = (await db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .distinctOn('a.person_id')
    .where('a.status', 'submitted')
    .orderBy([{ column: 'a.person_id' }, { column: 'a.submitted_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .select('a.person_id', 'p.team_id', 'a.client_group', 'a.raw_points', 'a.annual_pence', 'a.answers')) as unknown[];
  return rows.length;
}

/**
 * `npm run bench -- impact`: impact modelling of a draft over 100,000 people, timed as a service
 * call (taking turns with a bare read of the same rows) and as the page an admin opens. The data
 * set is generated once (seeds/scale.ts) and reused by later runs.
 */
export async function benchImpact(): Promise<number> {
  const { db, url, server } = await openBenchDatabase();
  const sessionPool = createSessionPool(url, () => undefined, 2);
  let draftId: number | undefined;
  const ras = rasService(db, systemClock);
  const admin = { id: 0, email: scaleAdminEmail, displayName: 'Bench', role: 'admin' as const, teamId: null, requestId: 'bench' };
  try {
    await migrateToLatest(db);
    await ensureDefaultRas(db, systemClock);
    const seeding = performance.now();
    const { added } = await seedScale(db, systemClock, { people });
    if (added > 0) console.log(`impact: generated ${added.toLocaleString('en-GB')} people in ${(elapsed(seeding) / 1000).toFixed(1)} s`);
    const adminRow = (await db('users').where({ email: scaleAdminEmail }).first('id')) as { id: number };
    admin.id = adminRow.id;

    // A draft as recalibration might propose: learning disability up, older people down.
    const published = await findRasVersionInForce(db, londonToday(systemClock));
    const definition = published ? await loadRasDefinition(db, published.id) : undefined;
    if (!published || !definition) throw new Error('no published RAS');
    draftId = await ras.createDraft(
      admin,
      {
        ...definition,
        name: 'Bench draft',
        pricePoints: {
          ...definition.pricePoints,
          learning_disability: Math.round(definition.pricePoints.learning_disability * 1.26),
          older_people: Math.round(definition.pricePoints.older_people * 0.66),
        },
      },
      { basedOnId: published.id, action: 'ras_draft_created', source: { source: 'bench' } },
    );

    const reports = reportsService(db, ras);
    let scored = 0;
    const timings = await alternate(rounds, {
      bare: () => bareRead(db),
      impact: async () => {
        const report = await reports.impact(draftId ?? 0);
        scored = report.figures.overall.people + report.figures.notRescored.people;
      },
    });
    const bareMs = Math.round(median(timings.bare));
    const impactMs = Math.round(median(timings.impact));
    console.log(
      `impact: ${scored.toLocaleString('en-GB')} people re-scored, median of ${rounds} alternating runs: ${impactMs} ms (target < ${targetMs} ms); ` +
        `a bare read of their latest assessments ${bareMs} ms, so ${(impactMs / Math.max(bareMs, 1)).toFixed(2)} times the bare read`,
    );

    const app = createApp({
      config: { ...loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'bench-secret-that-is-long-enough-for-the-schema' }), databaseUrl: url },
      db,
      sessionPool,
      logger: pino({ level: 'silent' }),
      clock: systemClock,
    });
    const agent = request.agent(app);
    const signInPage = await agent.get('/sign-in');
    const token = /name="_csrf" value="([^"]+)"/.exec(signInPage.text)?.[1] ?? '';
    await agent.post('/sign-in').type('form').send({ email: scaleAdminEmail, password: SCALE_PASSWORD, _csrf: token });
    const codePage = await agent.get('/sign-in/code');
    const codeToken = /name="_csrf" value="([^"]+)"/.exec(codePage.text)?.[1] ?? '';
    await agent
      .post('/sign-in/code')
      .type('form')
      .send({ code: currentCode(demoLogins.totpSecret), _csrf: codeToken });
    // The median of several loads, as for the model: the first also compiles the page's templates.
    const pageTimes: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const pageStarted = performance.now();
      const page = await agent.get(`/admin/ras/${draftId}/impact`);
      pageTimes.push(elapsed(pageStarted));
      if (page.status !== 200) throw new Error(`the impact page answered ${page.status}`);
    }
    const pageMs = Math.round(median(pageTimes));
    console.log(
      `impact: the page for ${scored.toLocaleString('en-GB')} people, median of ${rounds} loads: ${pageMs} ms (target < ${targetMs} ms); ` +
        `the first ${pageTimes[0] ?? 0} ms`,
    );
    const csvStarted = performance.now();
    const csv = await agent.get(`/admin/ras/${draftId}/impact.csv`);
    console.log(
      `impact: the CSV of ${(csv.text.split('\r\n').length - 2).toLocaleString('en-GB')} rows downloaded in ${elapsed(csvStarted)} ms`,
    );
    return Math.max(impactMs, pageMs);
  } finally {
    if (draftId !== undefined) await ras.deleteDraft(admin, draftId, 1).catch(() => undefined);
    await sessionPool.end();
    await db.destroy();
    await server?.stop();
  }
}
