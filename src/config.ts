import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const environmentSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  MIGRATION_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REPORTING_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  COUNCIL_NAME: z.string().min(1).max(80).default('Example Council'),
  // A count, not a yes/no: `true` would believe any X-Forwarded-For a client cares to send.
  TRUST_PROXY: z
    .string()
    .regex(/^\d+$/, 'give the number of proxies in front of the app (0 trusts none, 1 a single load balancer), not true or false')
    .default('0')
    .transform(Number)
    .pipe(z.number().int().max(10)),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24).default(10),
  DEMO_DATA: z.enum(['true', 'false']).optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(300).default(10),
  PG_BIN_DIR: z.string().min(1).optional(),
  RELOAD_TEMPLATES: z.enum(['true', 'false']).optional(),
});

export type Config = {
  environment: 'development' | 'test' | 'production';
  port: number;
  /** The app serves through this role: data access only. */
  databaseUrl: string | undefined;
  /** The role that owns the tables, for migrations and the backup commands; DATABASE_URL when unset. */
  migrationDatabaseUrl: string | undefined;
  /**
   * A read replica for the dashboard, reports, impact modelling and exports, so their long reads
   * never queue behind case work or slow it down; DATABASE_URL when unset.
   */
  reportingDatabaseUrl: string | undefined;
  sessionSecret: string;
  logLevel: string;
  dataDir: string;
  embeddedPostgresPort: number;
  councilName: string;
  /** How many proxies in front of the app to believe about the client's address. */
  trustProxy: number;
  sessionIdleMinutes: number;
  /** Signed out this long after signing in, however busy the session. */
  sessionAbsoluteHours: number;
  secureCookies: boolean;
  /** Demo data goes into an empty database; never in production. */
  loadDemoData: boolean;
  shutdownGraceSeconds: number;
  /** Where pg_dump and pg_restore live, when they are not on the PATH. */
  pgBinDir: string | undefined;
  /** Compile each template again on every page, so a developer sees an edit without restarting. */
  reloadTemplates: boolean;
};

export class ConfigError extends Error {}

/** Parses the environment once; every problem is named so start-up can stop with a useful message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `DATABASE_URL=` in a shell or an env file means "not set", not "an invalid URL".
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const values = parsed.data;
  const production = values.NODE_ENV === 'production';
  if (production && !values.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required when NODE_ENV=production');
  }
  if (production && values.DEMO_DATA === 'true') {
    throw new ConfigError('Invalid configuration:\n  DEMO_DATA: demo data is never loaded when NODE_ENV=production');
  }
  if (production && !values.SESSION_SECRET) {
    throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required when NODE_ENV=production');
  }
  if (values.REPORTING_DATABASE_URL && !values.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  REPORTING_DATABASE_URL: a replica needs its primary: set DATABASE_URL too');
  }
  const dataDir = path.resolve(values.DATA_DIR);
  return {
    environment: values.NODE_ENV,
    port: values.PORT,
    databaseUrl: values.DATABASE_URL,
    migrationDatabaseUrl: values.DATABASE_URL ? values.MIGRATION_DATABASE_URL : undefined,
    reportingDatabaseUrl: values.REPORTING_DATABASE_URL,
    sessionSecret: values.SESSION_SECRET ?? developmentSessionSecret(dataDir),
    logLevel: values.LOG_LEVEL,
    dataDir,
    embeddedPostgresPort: values.EMBEDDED_POSTGRES_PORT,
    councilName: values.COUNCIL_NAME,
    trustProxy: values.TRUST_PROXY,
    sessionIdleMinutes: values.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: values.SESSION_ABSOLUTE_HOURS,
    secureCookies: production,
    loadDemoData: !production && values.DEMO_DATA !== 'false',
    shutdownGraceSeconds: values.SHUTDOWN_GRACE_SECONDS,
    pgBinDir: values.PG_BIN_DIR,
    reloadTemplates: values.RELOAD_TEMPLATES === 'true',
  };
}

/** Kept on disk so that restarting the app in development does not sign everybody out. */
function developmentSessionSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
