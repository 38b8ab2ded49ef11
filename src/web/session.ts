import { callbackify } from 'node:util';
import connectPgSimple from 'connect-pg-simple';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import session from 'express-session';
import type pg from 'pg';
import type { Logger } from 'pino';
import { findSessionWithStaffMember } from '../auth/repo.js';
import { keepStaffMemberWith } from '../auth/session-user.js';
import type { Clock } from '../clock.js';
import { readCookie } from './cookies.js';

const cookieName = 'selfdirect.sid';
// The browser keeps a __Host- cookie only if it is Secure, for the whole site and for this host
// alone, so a neighbouring subdomain cannot plant a session id for us to adopt.
const productionCookieName = `__Host-${cookieName}`;

/**
 * connect-pg-simple, reading the signed-in staff member in the same statement as the session:
 * one query a page instead of two, and still the account as it is now, so a deactivation or a
 * change of role counts from the next request.
 */
function storeReadingStaffMember(PgStore: ReturnType<typeof connectPgSimple>, pool: pg.Pool) {
  const read = callbackify(async (sid: string): Promise<session.SessionData | null> => {
    const found = await findSessionWithStaffMember(pool, sid);
    if (!found) return null;
    const sess = found.sess as session.SessionData;
    keepStaffMemberWith(sess, found.staffMember);
    return sess;
  });
  return class extends PgStore {
    override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
      read(sid, callback);
    }
  };
}

/**
 * Sessions are stored from sign-in on and never before: nothing is written to a signed-out
 * visitor's session (CSRF tokens and the page to return to live in cookies), so anonymous requests
 * cost no row.
 */
export function setUpSession(options: {
  pool: pg.Pool;
  secret: string;
  secureCookies: boolean;
  idleMinutes: number;
  logger: Logger;
}): Router {
  const SessionStore = storeReadingStaffMember(connectPgSimple(session), options.pool);
  const router = Router();
  router.use(
    session({
      name: options.secureCookies ? productionCookieName : cookieName,
      // No touch on every request: keepSessionAlive decides when the row is written.
      store: new SessionStore({
        pool: options.pool,
        tableName: 'session',
        pruneSessionInterval: 15 * 60,
        disableTouch: true,
        // A failed prune (the database away for a while) goes to the app's log, not to the console.
        errorLog: (...details: unknown[]) => options.logger.error({ details: details.map(String) }, 'pruning expired sessions failed'),
      }),
      secret: options.secret,
      resave: false,
      saveUninitialized: false,
      // The cookie is sent again only with a write, so it and the row expire together.
      rolling: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        path: '/',
        maxAge: options.idleMinutes * 60 * 1000,
      },
    }),
  );
  return router;
}

/** Staff signed in, or a person signed in to their own online self-assessment: both sessions time out alike. */
const hasSignedIn = (req: Request) => Boolean(req.user || req.session?.personAccess);

/** How often a busy session's row is written when nothing in it changed. */
export const SESSION_WRITE_INTERVAL_MS = 60_000;

/**
 * Each write of the session row moves its expiry on, so the idle timeout counts from the last
 * write: a signed-in session is written when its data changes and otherwise at most once a minute,
 * by stamping the time (a change express-session saves). A busy user costs one write a minute, not
 * one a page, and is signed out between SESSION_IDLE_MINUTES less one minute and SESSION_IDLE_MINUTES
 * after their last request.
 */
export function keepSessionAlive(clock: Clock): RequestHandler {
  return (req, _res, next) => {
    if (hasSignedIn(req)) {
      const now = clock.now().getTime();
      const last = req.session.keptAliveAt;
      // A clock put back (by a test, or by time synchronisation) writes at once rather than waiting for it to catch up.
      if (typeof last !== 'number' || now - last >= SESSION_WRITE_INTERVAL_MS || now < last) req.session.keptAliveAt = now;
    }
    next();
  };
}

/** Clears the session cookie under either name, so sign-out needs no configuration. */
export function clearSessionCookie(res: Response): void {
  res.clearCookie(cookieName, { path: '/' });
  res.clearCookie(productionCookieName, { path: '/', secure: true });
}

export const sessionExpiredPath = '/sign-in?signedOut=expired';

/**
 * However busy a session is, it ends this long after sign-in, so a stolen or forgotten one does
 * not live for ever. The sign-in flow stamps `signedInAt`; a session from before that stamp
 * existed starts counting when first seen signed in.
 */
export function endLongSessions(absoluteHours: number): RequestHandler {
  const limit = absoluteHours * 60 * 60 * 1000;
  return (req, res, next) => {
    if (!hasSignedIn(req)) {
      next();
      return;
    }
    const now = Date.now();
    const signedInAt = req.session.signedInAt;
    if (typeof signedInAt !== 'number') {
      req.session.signedInAt = now;
      next();
      return;
    }
    if (now - signedInAt < limit) {
      next();
      return;
    }
    req.session.destroy((error: unknown) => {
      if (error) {
        next(error);
        return;
      }
      clearSessionCookie(res);
      res.redirect(sessionExpiredPath);
    });
  };
}

/**
 * Pages seen signed in, downloads and the sign-in page hold personal data or a CSRF token: no
 * browser or proxy may keep a copy for the next person at a shared council computer.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/**
 * The session id in the browser's session cookie, read without checking the cookie's signature:
 * used only for a session that has ended, and trusted only once a CSRF token we signed for that id
 * checks out (src/web/csrf.ts csrfTokenCheck).
 */
export function sessionIdInCookie(secureCookies: boolean): (req: Request) => string | undefined {
  const name = secureCookies ? productionCookieName : cookieName;
  return (req) => {
    const value = readCookie(req, name);
    if (!value?.startsWith('s:')) return undefined;
    const id = value.slice(2, value.lastIndexOf('.'));
    return id.length > 0 && id.length <= 128 ? id : undefined;
  };
}

/** How long before the end of a session the page warns, with JavaScript. */
export const SESSION_WARNING_SECONDS = 120;

/**
 * For the timeout warning on staff pages (public/session-timeout.js): how many seconds this
 * session has left, worked out from the server's settings and when its row was last written, so
 * the page never counts on its own guess.
 */
export function sessionTimeoutLocals(options: { clock: Clock; idleMinutes: number; absoluteHours: number }): RequestHandler {
  return (req, res, next) => {
    if (req.user) {
      const now = options.clock.now().getTime();
      const keptAliveAt = req.session.keptAliveAt ?? now;
      const idleLeft = options.idleMinutes * 60 - Math.max(0, now - keptAliveAt) / 1000;
      // The absolute limit counts by the real clock, as endLongSessions does.
      const signedInAt = req.session.signedInAt ?? Date.now();
      const absoluteLeft = options.absoluteHours * 3600 - (Date.now() - signedInAt) / 1000;
      res.locals.sessionTimeout = {
        secondsLeft: Math.max(0, Math.floor(Math.min(idleLeft, absoluteLeft))),
        warningSeconds: SESSION_WARNING_SECONDS,
        idleSeconds: options.idleMinutes * 60,
      };
    }
    next();
  };
}

/** "Stay signed in": writes the session row now, so the idle time starts again. */
export function staySignedInRoutes(clock: Clock): Router {
  const router = Router();
  router.post('/session/stay-signed-in', (req, res, next) => {
    if (!req.user) {
      res.status(401).end();
      return;
    }
    req.session.keptAliveAt = clock.now().getTime();
    req.session.save((error) => {
      if (error) next(error);
      else res.status(204).end();
    });
  });
  return router;
}
