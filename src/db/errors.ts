/**
 * What a failed query says about the database, so the web layer can answer 503 (come back later)
 * or 400 (the input) instead of 500. PostgreSQL error codes:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */

type ErrorWithCode = { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

// Class 08 connection exceptions; 57P01-57P03 shutting down or starting up; 53300 too many connections.
const unavailableSqlStates = /^(08...|57P0[123]|53300)$/;

// node-postgres reports a dropped or timed-out connection in words, without a code.
const lostConnectionMessages = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'Cannot use a pool after calling end on the pool',
];

/** The database is stopped, restarting, unreachable or out of connections: nothing the user did. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, name, message, errors } = error as ErrorWithCode;
  if (typeof code === 'string' && (networkCodes.has(code) || unavailableSqlStates.test(code))) return true;
  if (name === 'KnexTimeoutError') return true;
  if (typeof message === 'string' && lostConnectionMessages.some((words) => message.includes(words))) return true;
  // Node tries each address of 'localhost' in turn and reports all the refusals together.
  return Array.isArray(errors) && errors.some(isDatabaseUnavailable);
}

/**
 * PostgreSQL refused a value itself (class 22, data exception: a NUL byte, an impossible date, a
 * number out of range). Forms refuse such input before it reaches a query; this is the last line.
 */
export function isRefusedValue(error: unknown): boolean {
  const code = (error as ErrorWithCode | null)?.code;
  return typeof code === 'string' && /^22...$/.test(code);
}

/** One line for an operator when the app cannot start on its database; never the password. */
export function describeStartupFailure(error: unknown, databaseUrl: string): string {
  const url = safeUrl(databaseUrl);
  const where = url ? `${url.hostname}:${url.port || '5432'}` : 'the configured address';
  const { code, message } = (error ?? {}) as ErrorWithCode;
  const codes = new Set([code, ...nestedCodes(error)]);
  if (codes.has('ECONNREFUSED')) return `Cannot reach the database at ${where}: connection refused. Is PostgreSQL running there?`;
  if (codes.has('ENOTFOUND') || codes.has('EAI_AGAIN')) return `Cannot find the database host ${url?.hostname ?? ''}: check DATABASE_URL.`;
  if (codes.has('28P01') || codes.has('28000')) {
    return `The database at ${where} refused user "${decodeURIComponent(url?.username ?? '')}": wrong password, or the user may not sign in. Check DATABASE_URL.`;
  }
  if (codes.has('3D000')) {
    const name = decodeURIComponent(url?.pathname.slice(1) ?? '');
    return `The database "${name}" does not exist at ${where}: create it (createdb ${name}) or correct DATABASE_URL.`;
  }
  if (isDatabaseUnavailable(error)) return `The database at ${where} did not answer: it may be starting, stopping or out of connections.`;
  return typeof message === 'string' && message ? message : 'unknown error';
}

function nestedCodes(error: unknown): unknown[] {
  const { errors } = (error ?? {}) as ErrorWithCode;
  return Array.isArray(errors) ? errors.map((inner) => (inner as ErrorWithCode | null)?.code) : [];
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
