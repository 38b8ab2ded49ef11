import { Router } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService, SignInOutcome } from './service.js';

export type SignInInfo = { reason: 'invalid' | 'locked' };

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

function createAuthenticator(auth: AuthService): passport.Authenticator {
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      auth
        .signIn(email, password, req.ip ?? 'unknown', String(req.id))
        .then((outcome: SignInOutcome) => (outcome.ok ? done(null, outcome.user) : done(null, false, { reason: outcome.reason } as never)))
        .catch(done);
    }),
  );
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

export function setUpAuthentication(auth: AuthService): Router {
  const authenticator = authenticatorFor(auth);
  const router = Router();
  router.use(authenticator.initialize());
  router.use(authenticator.session());
  router.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });
  return router;
}
