import type { Request, RequestHandler, Response } from 'express';
import type { Actor, Role, SignedInUser } from '../auth/roles.js';
import { ForbiddenError } from '../errors.js';
import { readCookie } from './cookies.js';

// In a short-lived cookie, not the session: a signed-out visitor has no stored session.
const returnToCookie = 'selfdirect.return';

export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  // Only pages are worth returning to; a stray icon or script request must not become the landing page.
  if (req.method === 'GET' && req.accepts('html')) rememberReturnTo(req, res, req.originalUrl);
  res.redirect('/sign-in');
};

/** The page to open once the visitor has signed in. */
export function rememberReturnTo(req: Request, res: Response, path: string): void {
  res.cookie(returnToCookie, path, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: 60 * 60 * 1000 });
}

/** The page a visitor was sent to sign in from, if it is one of ours; read once. */
export function takeReturnTo(req: Request, res: Response): string | undefined {
  const returnTo = readCookie(req, returnToCookie);
  if (returnTo === undefined) return undefined;
  res.clearCookie(returnToCookie, { path: '/' });
  return returnTo.startsWith('/') && !returnTo.startsWith('//') && !returnTo.startsWith('/\\') ? returnTo : undefined;
}

/** The server's check; the views only hide what this refuses. */
export function requireRole(...allowed: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (req.user && allowed.includes(req.user.role)) next();
    else next(new ForbiddenError());
  };
}

export function currentUser(req: { user?: SignedInUser }): SignedInUser {
  if (!req.user) throw new ForbiddenError('You need to sign in');
  return req.user;
}

export function actorFrom(req: { user?: SignedInUser; id?: unknown }): Actor {
  return { ...currentUser(req), requestId: String(req.id ?? '') };
}
