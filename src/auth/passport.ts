import { Router } from 'express';
import passport from 'passport';
import { codeStepPath, enrolStepPath, secondStepFor } from './pending-sign-in.js';
import type { AuthService } from './service.js';

/**
 * One authenticator per app, not passport's module-level one: with the shared one, the last app
 * built in a process would sign people in against its own database for every app.
 */
const authenticators = new WeakMap<AuthService, passport.Authenticator>();

export function authenticatorFor(auth: AuthService): passport.Authenticator {
  let authenticator = authenticators.get(auth);
  if (!authenticator) {
    authenticator = createAuthenticator(auth);
    authenticators.set(auth, authenticator);
  }
  return authenticator;
}

/**
 * Passport keeps who is signed in across requests; the two steps of signing in are the auth
 * routes' own (passport-local's one-step strategy has no place for a code step).
 */
function createAuthenticator(auth: AuthService): passport.Authenticator {
  const authenticator = new passport.Passport();
  authenticator.serializeUser((user, done) => done(null, user.id));
  // Reading the user on every request means a deactivation or a role change takes effect at once.
  authenticator.deserializeUser((id: number, done) => {
    auth
      .currentUser(id)
      .then((user) => done(null, user ?? false))
      .catch(done);
  });
  return authenticator;
}

/** What someone who has passed the password but not the code may do: the code step, start again, or sign out. */
const openBetweenSteps = new Set([
  `GET ${codeStepPath}`,
  `POST ${codeStepPath}`,
  `GET ${enrolStepPath}`,
  `POST ${enrolStepPath}`,
  'POST /sign-in',
  'POST /sign-out',
]);

export function setUpAuthentication(auth: AuthService): Router {
  const authenticator = authenticatorFor(auth);
  const router = Router();
  router.use(authenticator.initialize());
  router.use(authenticator.session());
  // Before the CSRF check and every route, so no page or post is reached on a password alone.
  router.use((req, res, next) => {
    const secondStep = req.user ? null : secondStepFor(req);
    if (secondStep && !openBetweenSteps.has(`${req.method} ${req.path}`)) {
      res.redirect(secondStep);
      return;
    }
    next();
  });
  router.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });
  return router;
}
