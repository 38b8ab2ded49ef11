import { Router, type Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { codeStepPath, enrolStepPath, secondStepFor } from './pending-sign-in.js';
import { staffMemberReadWith } from './session-user.js';
import type { AuthService } from './service.js';

/** Why passport-local's check refused, or, when the password was right, which second step follows. */
export type PasswordInfo = { reason: 'invalid' } | { reason: 'locked'; waitMinutes: number } | { enrolled: boolean };

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
 * passport-local checks the password and passport keeps who is signed in across requests. A right
 * password does not sign anyone in: the auth routes hold it as a pending sign-in until the code
 * step is passed, and only then call `req.logIn`.
 */
function createAuthenticator(auth: AuthService): passport.Authenticator {
  const authenticator = new passport.Passport();
  authenticator.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      auth
        .checkPassword(email, password, req.ip ?? 'unknown', String(req.id))
        .then((outcome) => {
          if (outcome.ok) done(null, outcome.user, { enrolled: outcome.enrolled } as never);
          else
            done(
              null,
              false,
              (outcome.reason === 'locked' ? { reason: 'locked', waitMinutes: outcome.waitMinutes } : { reason: 'invalid' }) as never,
            );
        })
        .catch(done);
    }),
  );
  authenticator.serializeUser((user, done) => done(null, user.id));
  // Reading the user on every request means a deactivation or a role change takes effect at once.
  // The session store reads them in the session's own statement; a session read any other way
  // (express-session's reload) has no user with it, and the account is read here.
  authenticator.deserializeUser((req: Request, id: number, done: (error: unknown, user?: Express.User | false) => void) => {
    const readWithSession = staffMemberReadWith(req.session, id);
    if (readWithSession !== undefined) {
      done(null, auth.signedInUserFrom(readWithSession) ?? false);
      return;
    }
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
  // No initialize(): it only sets up the request for strategies written before passport 0.5, and
  // session() sets up the request itself. It was 2.8% of the time of a page that reads nothing.
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
