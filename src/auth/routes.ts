import { Router, type NextFunction, type Request, type Response } from 'express';
import { actorFrom, currentUser, requireSignedIn, takeReturnTo } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { takeForm } from '../web/form-post.js';
import { clearSessionCookie } from '../web/session.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { authenticatorFor, type PasswordInfo } from './passport.js';
import { codeStepPath, enrolStepPath, secondStepFor } from './pending-sign-in.js';
import { changePasswordSchema, codeSchema, enrolSchema, setPasswordSchema, signInSchema } from './schemas.js';
import type { AuthService } from './service.js';
import type { SignedInUser } from './roles.js';
import { newTotpSecret, qrCodeSvg, setUpKeyInGroups } from './two-factor.js';

const waitMessage = (minutes: number, what: string) =>
  `There have been too many ${what}. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`;

type Render = (status: number, errors: FormErrors) => Promise<void> | void;

export function authRoutes(auth: AuthService): Router {
  const router = Router();
  const authenticator = authenticatorFor(auth);

  /** Both factors passed: passport takes over the session (a new id, what it held kept) and the page asked for opens. */
  function completeSignIn(req: Request, res: Response, user: SignedInUser, next: NextFunction, then: (returnTo: string) => void) {
    const returnTo = takeReturnTo(req, res) ?? '/';
    delete req.session.pendingSignIn;
    req.logIn(user, { session: true, keepSessionInfo: true }, (error) => {
      if (error) {
        next(error);
        return;
      }
      then(returnTo);
    });
  }

  router.get('/sign-in', (req, res) => {
    if (req.user) {
      res.redirect('/');
      return;
    }
    res.render('auth/sign-in', { values: {}, errors: noErrors });
  });

  router.post('/sign-in', (req, res, next) => {
    const form = parseForm(signInSchema, req.body);
    const values = { email: typeof req.body?.email === 'string' ? req.body.email : '' };
    const refuse = (errors: FormErrors, status: number) => res.status(status).render('auth/sign-in', { values, errors });
    if (!form.ok) {
      refuse(form.errors, 400);
      return;
    }
    authenticator.authenticate('local', (error: unknown, user: SignedInUser | false, info: PasswordInfo | undefined) => {
      if (error) {
        next(error);
        return;
      }
      if (!user || !info || !('enrolled' in info)) {
        if (info && 'reason' in info && info.reason === 'locked') {
          refuse(singleError('email', waitMessage(info.waitMinutes, 'failed attempts to sign in')), 429);
        } else {
          // One message whether or not the address has an account, so the page does not confirm who works here.
          refuse(singleError('email', 'Enter a correct email address and password'), 401);
        }
        return;
      }
      // The session is created here, with a new id, so one fixed before sign-in is worthless after it.
      req.session.regenerate((regenerateError) => {
        if (regenerateError) {
          next(regenerateError);
          return;
        }
        req.session.pendingSignIn = { userId: user.id, enrolled: info.enrolled };
        req.session.signedInAt = Date.now();
        // Saved before the redirect goes: express-session would save after sending the headers, and
        // a browser that follows the redirect at once could reach the code step before the session exists.
        req.session.save((saveError) => {
          if (saveError) next(saveError);
          else res.redirect(secondStepFor(req) ?? '/');
        });
      });
    })(req, res, next);
  });

  /** What was typed in the code box, shown again with its message. */
  const typedCode = (req: Request) => (typeof req.body?.code === 'string' ? (req.body.code as string) : '');

  async function showCodeStep(req: Request, res: Response, status: number, errors: FormErrors) {
    res.status(status).render('auth/code', { errors, code: status === 200 ? '' : typedCode(req) });
  }

  router.get(codeStepPath, async (req, res) => {
    const pending = req.session.pendingSignIn;
    if (!pending?.enrolled) {
      res.redirect(secondStepFor(req) ?? '/sign-in');
      return;
    }
    await showCodeStep(req, res, 200, noErrors);
  });

  router.post(codeStepPath, async (req, res, next) => {
    const pending = req.session.pendingSignIn;
    if (!pending?.enrolled) {
      res.redirect(secondStepFor(req) ?? '/sign-in');
      return;
    }
    const form = parseForm(codeSchema, req.body);
    if (!form.ok) {
      await showCodeStep(req, res, 400, form.errors);
      return;
    }
    const outcome = await auth.checkCode(pending.userId, form.data.code, String(req.id));
    if (!outcome.ok) {
      await refusedCode(outcome, (status, errors) => showCodeStep(req, res, status, errors));
      return;
    }
    completeSignIn(req, res, outcome.user, next, (returnTo) => {
      if (outcome.recoveryCodesLeft !== null) {
        const left = outcome.recoveryCodesLeft;
        showBannerNext(req, {
          heading: 'You signed in with a recovery code',
          body: `That code cannot be used again. You have ${left} recovery code${left === 1 ? '' : 's'} left. If you have lost your phone, ask your system administrator to reset your authenticator app.`,
        });
      }
      res.redirect(returnTo);
    });
  });

  async function refusedCode(outcome: { reason: 'wrong' } | { reason: 'slowed'; waitMinutes: number }, render: Render) {
    if (outcome.reason === 'slowed') await render(429, singleError('code', waitMessage(outcome.waitMinutes, 'wrong codes')));
    else await render(401, singleError('code', 'The code is not right. Enter the code your authenticator app shows now'));
  }

  async function showEnrolStep(req: Request, res: Response, status: number, errors: FormErrors) {
    const pending = req.session.pendingSignIn as { userId: number; enrolSecret: string };
    const email = (await auth.emailOf(pending.userId)) ?? '';
    res.status(status).render('auth/set-up-authenticator', {
      qrCode: await qrCodeSvg(pending.enrolSecret, email),
      setUpKey: setUpKeyInGroups(pending.enrolSecret),
      errors,
      code: status === 200 ? '' : typedCode(req),
    });
  }

  router.get(enrolStepPath, async (req, res) => {
    const pending = req.session.pendingSignIn;
    if (!pending || pending.enrolled) {
      res.redirect(secondStepFor(req) ?? '/sign-in');
      return;
    }
    // The same secret until it is confirmed, so reloading the page does not undo a scan already made.
    if (!pending.enrolSecret) {
      pending.enrolSecret = newTotpSecret();
      // Kept before the page shows it, so a code typed from it always finds the same secret.
      await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(error) : resolve())));
    }
    await showEnrolStep(req, res, 200, noErrors);
  });

  router.post(enrolStepPath, async (req, res, next) => {
    const pending = req.session.pendingSignIn;
    if (!pending || pending.enrolled || !pending.enrolSecret) {
      res.redirect(secondStepFor(req) ?? '/sign-in');
      return;
    }
    const form = parseForm(enrolSchema, req.body);
    if (!form.ok) {
      await showEnrolStep(req, res, 400, form.errors);
      return;
    }
    const outcome = await auth.enrol(pending.userId, pending.enrolSecret, form.data.code, String(req.id));
    if (!outcome.ok) {
      await refusedCode(outcome, (status, errors) => showEnrolStep(req, res, status, errors));
      return;
    }
    // Shown in this response and kept nowhere readable: the codes exist only on this screen.
    completeSignIn(req, res, outcome.user, next, (returnTo) =>
      res.render('auth/recovery-codes', { codes: outcome.recoveryCodes, returnTo }),
    );
  });

  router.get('/set-password/:token', async (req, res) => {
    const holder = await auth.setPasswordLinkHolder(req.params.token);
    if (!holder) {
      res.status(410).render('auth/link-expired');
      return;
    }
    res.render('auth/set-password', { email: holder.email, errors: noErrors });
  });

  router.post(
    '/set-password/:token',
    takeForm({
      schema: setPasswordSchema,
      showForm: async (req, res, state) => {
        const holder = await auth.setPasswordLinkHolder(String(req.params.token));
        if (!holder) res.status(410).render('auth/link-expired');
        else res.status(state.status).render('auth/set-password', { email: holder.email, errors: state.errors });
      },
      save: (req, data) => auth.setPasswordWithLink(String(req.params.token), data.password, String(req.id)),
      done: (req, res) => {
        showBannerNext(req, { heading: 'Your password is set', body: 'Sign in with your email address and new password.' });
        res.redirect('/sign-in');
      },
      conflict: (_req, error) => {
        throw error;
      },
    }),
  );

  router.get('/account/password', requireSignedIn, (_req, res) => {
    res.render('auth/change-password', { errors: noErrors });
  });

  router.post(
    '/account/password',
    requireSignedIn,
    takeForm({
      schema: changePasswordSchema,
      showForm: (_req, res, state) => res.status(state.status).render('auth/change-password', { errors: state.errors }),
      save: (req, data) => auth.changePassword(currentUser(req), data, req.sessionID, actorFrom(req).requestId),
      done: (req, res) => {
        showBannerNext(req, { heading: 'Your password has been changed', body: 'You have been signed out everywhere else.' });
        res.redirect('/');
      },
      conflict: (_req, error) => {
        throw error;
      },
    }),
  );

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
