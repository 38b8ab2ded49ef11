import { pino } from 'pino';
import { createApp } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { ensureDefaultRas } from './ras/service.js';
import { demoLogins, seedDemoDataIfEmpty } from '../seeds/demo.js';

async function main(): Promise<void> {
  let config;
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
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
    log: (message) => logger.debug({ postgres: message.trim() }),
  });
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  if (await ensureDefaultRas(database.db, systemClock)) logger.info('default RAS published');
  const seeded = config.loadDemoData && (await seedDemoDataIfEmpty(database.db, systemClock));

  const app = createApp({ config, db: database.db, sessionPool: database.sessionPool, logger, clock: systemClock });
  const server = app.listen(config.port, () => {
    const url = `http://localhost:${config.port}`;
    console.log(`\nSelfdirect is running at ${url}`);
    console.log(
      database.url.includes('127.0.0.1:' + config.embeddedPostgresPort)
        ? `Database: embedded PostgreSQL in ${config.dataDir}/postgres`
        : 'Database: DATABASE_URL',
    );
    if (config.environment !== 'production') {
      console.log(seeded ? 'Demo data loaded.' : 'Existing data kept.');
      console.log(`Demo sign-ins (password ${demoLogins.password}):`);
      for (const login of demoLogins.accounts) console.log(`  ${login.email.padEnd(36)} ${login.role}`);
    }
    console.log('Press Ctrl+C to stop.\n');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    // close() stops new connections and waits for open requests; idle keep-alive sockets are closed now.
    server.close(() => {
      database
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        });
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('Selfdirect could not start:', error instanceof Error ? error.message : String(error ?? 'unknown error'));
  process.exit(1);
});
