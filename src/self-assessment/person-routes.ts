import { Router, type RequestHandler } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { clearSessionCookie } from '../web/session.js';
import { noErrors, parseForm, singleError } from '../web/validation.js';
import { personActorFrom, rememberSignedInPerson, signedInPerson } from './person-session.js';
import { entryPath, overviewPath, overviewView, personHeaderView, signInView, signOutPath } from './presenters.js';
import { personSignInSchema } from './schemas.js';
import type { SelfAssessmentAccessService } from './service.js';

const wrongDetails = 'Enter your council reference, date of birth and access code as they are on your letter';

/**
 * The person's own online space, under /your-assessment and nowhere else. Its sessions hold only
 * who the person is (no staff user), so every staff page treats them as signed out.
 */
export function personRoutes(access: SelfAssessmentAccessService, clock: Clock): Router {
  const router = Router();

  /** Every page but the entry page: a person signed in with a code that still works. */
  const personSignedIn: RequestHandler = async (req, res, next) => {
    const held = req.session.personAccess;
    const person = held ? await access.personOf(held) : undefined;
    if (!person) {
      if (held) {
        req.session.destroy(() => {
          clearSessionCookie(res);
          res.redirect(entryPath);
        });
      } else res.redirect(entryPath);
      return;
    }
    rememberSignedInPerson(req, person);
    res.locals.personHeader = personHeaderView(person);
    res.locals.homeHref = overviewPath;
    next();
  };

  router.get(entryPath, (req, res) => {
    if (req.session.personAccess) {
      res.redirect(overviewPath);
      return;
    }
    res.locals.homeHref = entryPath;
    res.render('self-assessment/sign-in', signInView({}, noErrors));
  });

  router.post(entryPath, async (req, res, next) => {
    res.locals.homeHref = entryPath;
    const body = (req.body ?? {}) as Record<string, unknown>;
    // The code is never shown again: whoever is at the screen may not be the person.
    const values = { reference: body.reference, dateOfBirth: body.dateOfBirth };
    const form = parseForm(personSignInSchema(londonToday(clock)), body);
    if (!form.ok) {
      res.status(400).render('self-assessment/sign-in', signInView(values, form.errors));
      return;
    }
    const outcome = await access.signIn(form.data, req.ip ?? 'unknown', String(req.id));
    if (!outcome.ok) {
      const errors =
        outcome.reason === 'locked'
          ? singleError(
              'reference',
              `There have been too many attempts to sign in. Wait ${outcome.waitMinutes} minute${outcome.waitMinutes === 1 ? '' : 's'} and try again`,
            )
          : // One message whichever detail was wrong, so the page confirms nothing about anyone.
            singleError('reference', wrongDetails);
      res.status(outcome.reason === 'locked' ? 429 : 401).render('self-assessment/sign-in', signInView(values, errors));
      return;
    }
    // A new session id, so one planted before sign-in is worthless; nothing of an earlier session is kept.
    req.session.regenerate((error) => {
      if (error) {
        next(error);
        return;
      }
      req.session.personAccess = outcome.access;
      req.session.signedInAt = Date.now();
      req.session.save((saveError) => {
        if (saveError) next(saveError);
        else res.redirect(overviewPath);
      });
    });
  });

  router.post(signOutPath, personSignedIn, async (req, res, next) => {
    await access.recordSignOut(personActorFrom(req));
    req.session.destroy((error) => {
      if (error) {
        next(error);
        return;
      }
      clearSessionCookie(res);
      res.redirect(entryPath);
    });
  });

  router.get(overviewPath, personSignedIn, (req, res) => {
    res.render('self-assessment/overview', overviewView(signedInPerson(req)));
  });

  return router;
}
