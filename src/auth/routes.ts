import { Router } from 'express';
import { takeReturnTo } from '../web/auth-guards.js';
import { clearSessionCookie } from '../web/session.js';
import { parseForm, singleError, type FormErrors } from '../web/validation.js';
import { authenticatorFor, type SignInInfo } from './passport.js';
import { signInSchema } from './schemas.js';
import type { AuthService } from './service.js';
import type { SignedInUser } from './roles.js';

const messages: Record<SignInInfo['reason'], string> = {
  // One message whether or not the address has an account, so the page does not confirm who works here.
  invalid: 'Enter a correct email address and password',
  locked: 'There have been too many failed attempts to sign in. Wait 15 minutes and try again',
};

export function authRoutes(auth: AuthService): Router {
  const router = Router();
  const authenticator = authenticatorFor(auth);

  router.get('/sign-in', (req, res) => {
    if (req.user) {
      res.redirect('/');
      return;
    }
    res.render('auth/sign-in', { values: {}, errors: { summary: [], fields: {} } });
  });

  router.post('/sign-in', (req, res, next) => {
    const form = parseForm(signInSchema, req.body);
    const values = { email: typeof req.body?.email === 'string' ? req.body.email : '' };
    const refuse = (errors: FormErrors, status: number) => res.status(status).render('auth/sign-in', { values, errors });
    if (!form.ok) {
      refuse(form.errors, 400);
      return;
    }
    authenticator.authenticate('local', (error: unknown, user: SignedInUser | false, info: SignInInfo | undefined) => {
      if (error) {
        next(error);
        return;
      }
      if (!user) {
        const reason = info?.reason ?? 'invalid';
        refuse(singleError('email', messages[reason]), reason === 'locked' ? 429 : 401);
        return;
      }
      const returnTo = takeReturnTo(req, res);
      // passport regenerates the session here, so a session id fixed before sign-in is worthless after it.
      req.logIn(user, (loginError) => {
        if (loginError) {
          next(loginError);
          return;
        }
        res.redirect(returnTo ?? '/');
      });
    })(req, res, next);
  });

  router.post('/sign-out', (req, res, next) => {
    const user = req.user;
    const requestId = String(req.id);
    req.logOut((error) => {
      if (error) {
        next(error);
        return;
      }
      req.session.destroy(() => {
        clearSessionCookie(res);
        const done = () => res.redirect('/sign-in');
        if (user) auth.recordSignOut(user, requestId).then(done, next);
        else done();
      });
    });
  });

  return router;
}
