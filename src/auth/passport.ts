import { Router } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService, SignInOutcome } from './service.js';

export type SignInInfo = { reason: 'invalid' | 'locked' };

export function setUpAuthentication(auth: AuthService): Router {
  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      auth
        .signIn(email, password, req.ip ?? 'unknown', String(req.id))
        .then((outcome: SignInOutcome) => (outcome.ok ? done(null, outcome.user) : done(null, false, { reason: outcome.reason } as never)))
        .catch(done);
    }),
  );
  passport.serializeUser((user, done) => done(null, user.id));
  // Reading the user on every request means a deactivation or a role change takes effect at once.
  passport.deserializeUser((id: number, done) => {
    auth
      .currentUser(id)
      .then((user) => done(null, user ?? false))
      .catch(done);
  });

  const router = Router();
  router.use(passport.initialize());
  router.use(passport.session());
  router.use((req, res, next) => {
    res.locals.user = req.user;
    next();
  });
  return router;
}
