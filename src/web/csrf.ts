import { csrfSync } from 'csrf-sync';
import { Router } from 'express';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    return typeof body?._csrf === 'string' ? body._csrf : undefined;
  },
});

/** Synchroniser tokens (kept in the session) on every unsafe method; GET pages carry the token for their forms. */
export function setUpCsrf(): Router {
  const router = Router();
  // Set before the check so that the "form has expired" page itself can draw the sign-out form.
  router.use((req, res, next) => {
    res.locals.csrfToken = generateToken(req);
    next();
  });
  router.use(csrfSynchronisedProtection);
  return router;
}

export { generateToken as generateCsrfToken };
