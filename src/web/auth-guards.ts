import type { RequestHandler } from 'express';
import type { Actor, Role, SignedInUser } from '../auth/roles.js';
import { ForbiddenError } from '../errors.js';

export const requireSignedIn: RequestHandler = (req, res, next) => {
  if (req.user) {
    next();
    return;
  }
  // Only pages are worth returning to; a stray icon or script request must not become the landing page.
  if (req.method === 'GET' && req.accepts('html')) req.session.returnTo = req.originalUrl;
  res.redirect('/sign-in');
};

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
