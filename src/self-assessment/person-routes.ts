import { Router, type Request, type RequestHandler } from 'express';
import { pageQuerySchema, questionsFormSchema, saveActionSchema, submitSchema } from '../assessments/schemas.js';
import { showBannerNext } from '../web/banner.js';
import { takeForm } from '../web/form-post.js';
import type { SelfAssessmentAnswersService } from './answers-service.js';
import { londonToday, type Clock } from '../clock.js';
import { clearSessionCookie } from '../web/session.js';
import { noErrors, parseForm, singleError } from '../web/validation.js';
import { personActorFrom, rememberSignedInPerson, signedInPerson } from './person-session.js';
import {
  checkAnswersPath,
  checkAnswersView,
  entryPath,
  explanationPath,
  overviewPath,
  overviewView,
  personConflictView,
  personExplanationView,
  personHeaderView,
  personPlanView,
  planPath,
  questionPageView,
  questionPath,
  signInView,
  signOutPath,
  startPath,
  submitPath,
} from './presenters.js';
import { personSignInSchema } from './schemas.js';
import type { SelfAssessmentResultsService } from './results-service.js';
import type { SelfAssessmentAccessService } from './service.js';

const wrongDetails = 'Enter your council reference, date of birth and access code as they are on your letter';

/**
 * The person's own online space, under /your-assessment and nowhere else. Its sessions hold only
 * who the person is (no staff user), so every staff page treats them as signed out.
 */
export function personRoutes(
  access: SelfAssessmentAccessService,
  answers: SelfAssessmentAnswersService,
  results: SelfAssessmentResultsService,
  clock: Clock,
): Router {
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

  router.get(overviewPath, personSignedIn, async (req, res) => {
    const person = signedInPerson(req);
    const [overview, available] = await Promise.all([answers.overview(person), results.available(person)]);
    res.render('self-assessment/overview', overviewView(overview, available));
  });

  // Read only, and found from the signed-in person alone: these pages take nothing from the URL.
  router.get(explanationPath, personSignedIn, async (req, res) => {
    const page = await results.explanation(personActorFrom(req), signedInPerson(req));
    if (page) res.render('assessments/explanation', personExplanationView(page));
    else res.redirect(overviewPath);
  });

  router.get(planPath, personSignedIn, async (req, res) => {
    const page = await results.plan(personActorFrom(req), signedInPerson(req));
    if (page) res.render('plans/print', personPlanView(page));
    else res.redirect(overviewPath);
  });

  router.post(startPath, personSignedIn, async (req, res) => {
    const person = signedInPerson(req);
    const started = await answers.start(personActorFrom(req), person);
    const overview = await answers.overview(person);
    const first = overview.kind === 'started' ? overview.progress.find((item) => !item.complete) : undefined;
    res.redirect(started.status === 'in_progress' && first ? questionPath(first.page.key) : overviewPath);
  });

  const returnToOf = (values: unknown) => pageQuerySchema.parse(values).returnTo;
  const pageKey = (req: Request) => String(req.params.pageKey);

  router.get('/your-assessment/questions/:pageKey', personSignedIn, async (req, res) => {
    const page = await answers.page(signedInPerson(req), pageKey(req));
    if (!page) {
      res.redirect(overviewPath);
      return;
    }
    res.render(
      'self-assessment/question',
      questionPageView(page, { values: { answers: page.answers }, errors: noErrors, returnTo: returnToOf(req.query) }),
    );
  });

  router.post('/your-assessment/questions/:pageKey', personSignedIn, async (req, res, next) => {
    const person = signedInPerson(req);
    const key = pageKey(req);
    const page = await answers.page(person, key);
    if (!page) {
      res.redirect(overviewPath);
      return;
    }
    const { action } = saveActionSchema.parse(req.body ?? {});
    await takeForm({
      schema: questionsFormSchema(page.page.questions, action === 'continue'),
      anchors: Object.fromEntries(page.page.questions.map((question) => [`answers.${question.key}`, `answers-${question.key}`])),
      showForm: (_req, res, state) =>
        res
          .status(state.status)
          .render('self-assessment/question', questionPageView(page, { ...state, returnTo: returnToOf(state.values) })),
      save: async (req, data) => {
        const { nextKey } = await answers.savePage(personActorFrom(req), person, key, data.answers, data.version);
        if (data.action === 'later') {
          showBannerNext(req, {
            heading: 'Your answers are saved',
            body: 'You can sign out now, and come back with the access code on your letter to carry on.',
          });
          return overviewPath;
        }
        if (data.returnTo === 'check-answers' || nextKey === undefined) return checkAnswersPath;
        return questionPath(nextKey);
      },
      done: (_req, res, nextPath) => res.redirect(nextPath),
      conflict: async (req) => personConflictView(req.body as Record<string, unknown>, await answers.page(person, key)),
    })(req, res, next);
  });

  router.get(checkAnswersPath, personSignedIn, async (req, res) => {
    const page = await answers.checkAnswers(signedInPerson(req));
    if (!page) {
      res.redirect(overviewPath);
      return;
    }
    const unfinished = page.progress.find((item) => !item.complete);
    if (unfinished) {
      res.redirect(questionPath(unfinished.page.key));
      return;
    }
    res.render('self-assessment/check-answers', checkAnswersView(page, noErrors));
  });

  router.post(
    submitPath,
    personSignedIn,
    takeForm({
      schema: submitSchema,
      showForm: async (req, res, state) => {
        const page = await answers.checkAnswers(signedInPerson(req));
        if (!page) res.redirect(overviewPath);
        else res.status(state.status).render('self-assessment/check-answers', checkAnswersView(page, state.errors));
      },
      save: (req, data) => answers.submit(personActorFrom(req), signedInPerson(req), data.version),
      done: (req, res) => {
        showBannerNext(req, {
          heading: 'Your answers have been sent',
          body: 'Your care manager will contact you to go through them with you.',
        });
        res.redirect(overviewPath);
      },
      conflict: (req) => personConflictView(req.body as Record<string, unknown>, undefined),
    }),
  );

  return router;
}
