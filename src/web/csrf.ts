import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import createError from 'http-errors';
import { readCookie, signerFor } from './cookies.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const seedPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Signed double-submit tokens (OWASP's recommended stateless pattern), so a signed-out form such
 * as sign-in needs no stored session. A random seed lives in an HttpOnly cookie; the form's `_csrf`
 * is an HMAC of that seed and, once signed in, of the session id. Another site can make the browser
 * send the cookie but cannot read it, nor work out the HMAC without the secret; a token taken from
 * one session is worthless in another.
 */
export function setUpCsrf(options: { secret: string; secureCookies: boolean }): Router {
  // The __Host- prefix stops a neighbouring subdomain from planting a seed of its choosing.
  const cookieName = options.secureCookies ? '__Host-selfdirect.csrf' : 'selfdirect.csrf';
  const signer = signerFor(options.secret, 'csrf');
  const signedText = (req: Request, seed: string) =>
    `${req.user || req.session?.pendingSignIn || req.session?.personAccess ? `session ${req.sessionID}` : 'signed out'}\n${seed}`;

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
