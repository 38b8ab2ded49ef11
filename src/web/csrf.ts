import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import createError from 'http-errors';
import { readCookie, signerFor } from './cookies.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const seedPattern = /^[A-Za-z0-9_-]{43}$/;

const sessionText = (sessionId: string, seed: string) => `session ${sessionId}\n${seed}`;

function csrfKeys(options: { secret: string; secureCookies: boolean }) {
  // The __Host- prefix stops a neighbouring subdomain from planting a seed of its choosing.
  return { cookieName: options.secureCookies ? '__Host-selfdirect.csrf' : 'selfdirect.csrf', signer: signerFor(options.secret, 'csrf') };
}

/**
 * Whether the posted `_csrf` was made by us for this browser's seed and the given session: proof
 * that a form posted after its session ended came from one of our pages in this browser.
 */
export function csrfTokenCheck(options: { secret: string; secureCookies: boolean }) {
  const { cookieName, signer } = csrfKeys(options);
  return (req: Request, sessionId: string): boolean => {
    const seed = readCookie(req, cookieName);
    const body = req.body as Record<string, unknown> | undefined;
    const submitted = typeof body?._csrf === 'string' ? body._csrf : undefined;
    return (
      seed !== undefined && seedPattern.test(seed) && submitted !== undefined && signer.verify(sessionText(sessionId, seed), submitted)
    );
  };
}

/**
 * Signed double-submit tokens (OWASP's recommended stateless pattern), so a signed-out form such
 * as sign-in needs no stored session. A random seed lives in an HttpOnly cookie; the form's `_csrf`
 * is an HMAC of that seed and, once signed in, of the session id. Another site can make the browser
 * send the cookie but cannot read it, nor work out the HMAC without the secret; a token taken from
 * one session is worthless in another.
 */
export function setUpCsrf(options: { secret: string; secureCookies: boolean }): Router {
  const { cookieName, signer } = csrfKeys(options);
  const signedText = (req: Request, seed: string) =>
    req.user || req.session?.pendingSignIn || req.session?.personAccess ? sessionText(req.sessionID, seed) : `signed out\n${seed}`;

  const router = Router();
  router.use((req, res, next) => {
    const given = readCookie(req, cookieName);
    const seed = given && seedPattern.test(given) ? given : randomBytes(32).toString('base64url');
    if (seed !== given) res.cookie(cookieName, seed, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
    // Worked out when the page is drawn, so a page drawn just after sign-in gets a token for the new session.
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, configurable: true, get: () => signer.sign(signedText(req, seed)) });

    if (safeMethods.has(req.method)) {
      next();
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    const submitted = typeof body?._csrf === 'string' ? body._csrf : undefined;
    if (seed === given && submitted !== undefined && signer.verify(signedText(req, seed), submitted)) next();
    else next(createError(403, 'invalid csrf token', { code: 'EBADCSRFTOKEN' }));
  });
  return router;
}
