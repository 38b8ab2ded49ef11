import { openConfiguredDatabase } from '../db/database.js';
import { describeStartupFailure } from '../db/errors.js';
import { checkAuditChain } from './chain.js';

/** `npm run audit:verify`: recomputes the audit trail's hash chain; exit code 1 if it is broken. */
async function run(): Promise<number> {
  const database = await openConfiguredDatabase();
  try {
    const check = await checkAuditChain(database.db);
    if (check.intact) {
      process.stdout.write(`The audit trail is intact: ${check.events} events, each following the one before.\n`);
      return 0;
    }
    const when = Number.isNaN(check.brokenAt.occurredAt.getTime()) ? 'time unknown' : check.brokenAt.occurredAt.toISOString();
    process.stdout.write(`The audit trail is broken at event ${check.brokenAt.id} (${when}): ${check.reason}.\n`);
    return 1;
  } finally {
    await database.close();
  }
}

process.exitCode = await run().catch((error: unknown) => {
  process.stderr.write(
    `Audit check failed: ${describeStartupFailure(error, process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? '')}\n`,
  );
  return 1;
});
