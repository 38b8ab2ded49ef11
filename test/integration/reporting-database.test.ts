import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { testClock } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { signIn } from '../support/http.js';
import { aSubmittedAssessment } from '../support/plan-builders.js';

/*
 * The second database stands in for a read replica: it holds a team the main database does not,
 * so a dashboard that names that team read it from the replica, and one that names the main
 * database's team read the wrong one.
 */
let main: TestDatabase;
let replica: TestDatabase;
let database: Database;
let admin: TestUser;
let app: ReturnType<typeof createApp>;

async function eligiblePersonIn(db: TestDatabase['db'], teamName: string, familyName: string): Promise<void> {
  const team = await aTeam(db, teamName);
  const submitter = await aUser(db, { role: 'care_manager', teamId: team.id });
  await aSubmittedAssessment(db, { person: await aPerson(db, { teamId: team.id, familyName }), submittedBy: submitter.id });
}

beforeAll(async () => {
  [main, replica] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  await eligiblePersonIn(main.db, 'Case work team', 'Mainwaring');
  await eligiblePersonIn(replica.db, 'Replica team', 'Copeland');
  admin = await aUser(main.db, { role: 'admin' });
  const config = loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema',
    DATABASE_URL: main.appUrl,
    REPORTING_DATABASE_URL: replica.appUrl,
  });
  database = await openDatabase({
    databaseUrl: config.databaseUrl,
    reportingDatabaseUrl: config.reportingDatabaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    log: () => undefined,
  });
  app = createApp({
    config,
    db: database.db,
    reportingDb: database.reportingDb,
    sessionPool: database.sessionPool,
    logger: pino({ level: 'silent' }),
    clock: testClock(),
  });
});

afterAll(async () => {
  await database.close();
  await Promise.all([main.drop(), replica.drop()]);
});

describe('a reporting database (REPORTING_DATABASE_URL)', () => {
  it('is where the dashboard reads, while signing in and sessions stay on the main database', async () => {
    const agent = await signIn(app, admin.email, admin.password);
    const page = await agent.get('/reports/dashboard');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Replica team');
    expect(page.text).not.toContain('Case work team');
    const sessions = (await main.db('session').count({ count: '*' })) as [{ count: string }];
    expect(Number(sessions[0].count)).toBeGreaterThan(0);
  });

  it('leaves case work on the main database', async () => {
    const agent = await signIn(app, admin.email, admin.password);
    const search = await agent.get('/people').query({ q: 'Mainwaring' });
    expect(search.status).toBe(200);
    expect(search.text).toContain('Mainwaring');
    const elsewhere = await agent.get('/people').query({ q: 'Copeland' });
    expect(elsewhere.text).not.toMatch(/<a [^>]*href="\/people\/\d+"[^>]*>[^<]*Copeland/);
  });

  it('cannot be set without DATABASE_URL, since a replica needs its primary', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', REPORTING_DATABASE_URL: 'postgres://replica.example/selfdirect' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', REPORTING_DATABASE_URL: 'postgres://replica.example/selfdirect' })).toThrow(
      /REPORTING_DATABASE_URL: a replica needs its primary/,
    );
  });
});
