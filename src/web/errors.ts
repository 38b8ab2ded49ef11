import type { ErrorRequestHandler, RequestHandler } from 'express';
import { isDatabaseUnavailable, isRefusedValue } from '../db/errors.js';
import { ForbiddenError, NotFoundError, StaleVersionError } from '../errors.js';
import { routePatternOf } from './logging.js';

export const notFoundHandler: RequestHandler = (_req, res) => {
  res.status(404).render('errors/404');
};

function statusOf(error: unknown): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof StaleVersionError) return 409;
  if (isDatabaseUnavailable(error)) return 503;
  if (isRefusedValue(error)) return 400;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

const shownPages: Record<number, string> = { 403: 'errors/403', 404: 'errors/404', 409: 'errors/409', 503: 'errors/503' };

/**
 * What the log may say about an error: its class, its code (a PostgreSQL SQLSTATE, EBADCSRFTOKEN)
 * and where in the code it was thrown. Never its message: a database error's message quotes the
 * SQL and the values it refused (a name, a date of birth), and `detail` names the key and value.
 */
export function describeForLog(error: unknown) {
  const { code, stack } = (error ?? {}) as { code?: unknown; stack?: unknown };
  return {
    errorClass: error instanceof Error ? error.constructor.name : typeof error,
    errorCode: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    // The first line of a stack repeats the message; the frames below it are file names and lines.
    frames:
      typeof stack === 'string'
        ? stack
            .split('\n')
            .filter((line) => /^\s+at /.test(line))
            .slice(0, 10)
            .map((line) => line.trim())
        : undefined,
  };
}

/** Users see a plain page in the service's style; the stack goes only to the log. */
export const errorHandler: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = statusOf(error);
  const { frames, ...what } = describeForLog(error);
  const route = routePatternOf(req);
  if (status === 503) {
    // One line, not a stack per request: while the database is away every request fails the same way.
    req.log.warn({ status, route, ...what }, 'database unavailable');
    res.set('Retry-After', '30');
  } else if (status >= 500) req.log.error({ status, route, ...what, frames }, 'request failed');
  else req.log.warn({ status, route, ...what }, 'request refused');
  const csrf = (error as { code?: unknown }).code === 'EBADCSRFTOKEN';
  const shown = status === 413 || status === 415 ? 400 : status;
  const view = shownPages[shown] ?? (shown < 500 ? 'errors/400' : 'errors/500');
  const values = { csrfFailure: csrf, reason: error instanceof ForbiddenError ? error.message : undefined };
  res.status(shown).render(view, values, (renderError: Error | null, html?: string) => {
    if (!renderError) {
      res.send(html);
      return;
    }
    // The page itself failed, e.g. for a body refused before the page's values were set: answer
    // plainly rather than let Express print the template error and its stack.
    req.log.error({ route: routePatternOf(req), ...describeForLog(renderError) }, 'error page failed to render');
    res
      .type('text/plain')
      .send(shown >= 500 ? 'Sorry, there is a problem with the service.' : 'Sorry, there is a problem with that request.');
  });
};
