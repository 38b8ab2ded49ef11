import { systemClock } from '../clock.js';
import { withCommandDatabase } from '../db/database.js';
import { describeStartupFailure } from '../db/errors.js';
import { RuleError } from '../errors.js';
import { firstAdministratorSchema } from './schemas.js';
import { createFirstAdministrator } from './service.js';

const usage = 'Usage: npm run users:first-admin -- <email address> "<full name>"';

/** `npm run users:first-admin -- email "Name"`: the one account a new installation needs before anyone can sign in. */
async function run(args: string[]): Promise<number> {
  const parsed = firstAdministratorSchema.safeParse({ email: args[0] ?? '', displayName: args[1] ?? '' });
  if (!parsed.success || args.length !== 2) {
    const problems = parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
    process.stderr.write(`${[...problems, usage].join('\n')}\n`);
    return 2;
  }
  const account = await withCommandDatabase((db) => createFirstAdministrator(db, systemClock, parsed.data));
  const address = process.env.PUBLIC_URL?.replace(/\/$/, '') ?? '<the address Selfdirect is served at>';
  process.stdout.write(
    [
      `Administrator account created for ${account.displayName}.`,
      'Pass them this one-time link; it works once, within 24 hours. They set their own password,',
      'then set up an authenticator app at their first sign-in:',
      `  ${address}/set-password/${account.setPasswordToken}`,
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = await run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof RuleError) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
  process.stderr.write(
    `Could not create the administrator: ${describeStartupFailure(error, process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL ?? '')}\n`,
  );
  return 1;
});
