import { openConfiguredDatabase, prepareSchema } from './database.js';
import { describeStartupFailure } from './errors.js';
import { MigrationsAheadError } from './migrate.js';

/** `npm run migrate`: brings the configured database up to date without starting the app. */
async function run(): Promise<number> {
  const database = await openConfiguredDatabase();
  try {
    const applied = await prepareSchema(database);
    process.stdout.write(applied.length > 0 ? `Applied ${applied.join(', ')}\n` : 'The database is up to date.\n');
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await run().catch((error: unknown) => {
  process.stderr.write(
    `Migration failed: ${error instanceof MigrationsAheadError ? error.message : describeStartupFailure(error, process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? '')}\n`,
  );
  return 1;
});
