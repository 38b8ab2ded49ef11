import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, prepareSchema, type Database } from './db/database.js';
import { describeStartupFailure } from './db/errors.js';
import { MigrationsAheadError } from './db/migrate.js';
import { ensureDefaultRas } from './ras/service.js';
import { describeForLog } from './web/errors.js';
import { demoLogins, seedDemoDataIfEmpty } from '../seeds/demo.js';

let server: Server | undefined;
let database: Database | undefined;
let stopping = false;

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, redact: ['password', '*.password'] });
  // Handled from the first moment, so a stop during start-up still stops the embedded database.
  process.on('SIGTERM', () => void stop('SIGTERM', config, logger));
  process.on('SIGINT', () => void stop('SIGINT', config, logger));
  process.on('unhandledRejection', (reason) => logger.error(describeForLog(reason), 'unhandled rejection'));

  const opened = await openDatabase({
    databaseUrl: config.databaseUrl,
    migrationDatabaseUrl: config.migrationDatabaseUrl,
    reportingDatabaseUrl: config.reportingDatabaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    log: (message) => logger.debug({ postgres: message.trim() }),
    onConnectionLost: (error) => logger.warn({ reason: error.message }, 'session store lost a database connection'),
  }).catch((error: unknown) => {
    throw new StartupError(describeStartupFailure(error, config.databaseUrl ?? ''));
  });
  database = opened;
  let applied: string[];
  try {
    await opened.db.raw('select 1');
    applied = await prepareSchema(opened);
  } catch (error) {
    throw new StartupError(error instanceof MigrationsAheadError ? error.message : describeStartupFailure(error, opened.ownerUrl));
  }
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  if (await ensureDefaultRas(opened.db, systemClock)) logger.info('default RAS published');
  const seeded = config.loadDemoData && (await seedDemoDataIfEmpty(opened.db, systemClock));
  if (stopping) return;

  const app = createApp({
    config,
    db: opened.db,
    reportingDb: opened.reportingDb,
    sessionPool: opened.sessionPool,
    logger,
    clock: systemClock,
  });
  server = app.listen(config.port, () => {
    const url = `http://localhost:${config.port}`;
    console.log(`\nSelfdirect is running at ${url}`);
    console.log(opened.embedded ? `Database: embedded PostgreSQL in ${config.dataDir}/postgres` : 'Database: DATABASE_URL');
    if (config.reportingDatabaseUrl) console.log('Reports: REPORTING_DATABASE_URL');
    if (config.loadDemoData) {
      console.log(seeded ? 'Demo data loaded.' : 'Existing data kept.');
      console.log(`Demo sign-ins (password ${demoLogins.password}):`);
      for (const login of demoLogins.accounts) console.log(`  ${login.email.padEnd(36)} ${login.role}`);
      console.log(`Then the code from an authenticator app set up with the key ${demoLogins.totpSecret},`);
      console.log('or run: npm run --silent demo:code');
    }
    console.log('Press Ctrl+C to stop.\n');
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const line = error.code === 'EADDRINUSE' ? `port ${config.port} is in use: stop what uses it, or set PORT` : error.message;
    void failStart(new StartupError(line));
  });
}

class StartupError extends Error {}

/**
 * Stop accepting connections, let requests in flight finish (up to the grace period), close the
 * pools, and only then stop the embedded PostgreSQL, so no request loses its database mid-way.
 */
async function stop(signal: string, config: Config, logger: Logger): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  const graceMs = config.shutdownGraceSeconds * 1000;
  setTimeout(() => {
    logger.error('shutdown did not finish in time');
    process.exit(1);
  }, graceMs + 15_000).unref();
  if (server?.listening) {
    const closing = server;
    const cutShort = setTimeout(() => {
      logger.warn({ graceSeconds: config.shutdownGraceSeconds }, 'requests still running after the grace period: closing them');
      closing.closeAllConnections();
    }, graceMs);
    // A keep-alive connection becomes idle once its response is sent; close it then, not after its timeout.
    const idleSweep = setInterval(() => closing.closeIdleConnections(), 100);
    await new Promise<void>((resolve) => closing.close(() => resolve()));
    clearTimeout(cutShort);
    clearInterval(idleSweep);
  }
  await database?.close();
  logger.info('stopped');
  process.exit(0);
}

async function failStart(error: unknown): Promise<void> {
  const line = error instanceof StartupError ? error.message : error instanceof Error ? error.message : String(error ?? 'unknown error');
  console.error(`Selfdirect could not start: ${line}`);
  await database?.close().catch(() => undefined);
  process.exit(1);
}

main().catch(failStart);
