import { Router, type Request } from 'express';
import { personName } from '../people/presenters.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm } from '../web/form-post.js';
import { noErrors } from '../web/validation.js';
import type { SelfAssessmentReviewService } from './review-service.js';
import { agreedAnswersSchema, reviewSubmitSchema } from './schemas.js';
import { showBannerNext } from '../web/banner.js';
import { idParam } from '../web/params.js';
import { entryPath, letterView, reviewConflict, reviewPath, reviewView } from './presenters.js';
import type { SelfAssessmentAccessService } from './service.js';

/** What staff do about a person's online self-assessment: give or revoke the access code. */
export function staffSelfAssessmentRoutes(
  access: SelfAssessmentAccessService,
  review: SelfAssessmentReviewService,
  councilName: string,
): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');

  /**
   * The letter is this response and nothing else: the code exists only here, so reloading cannot
   * show it again, and a lost letter is replaced by a new code.
   */
  router.post('/people/:id/self-assessment/access-code', editors, async (req, res) => {
    const invited = await access.invite(actorFrom(req), idParam(req.params.id, 'Person'));
    const entryUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${entryPath}`;
    res.render('self-assessment/letter', letterView(invited, entryUrl, councilName));
  });

  router.post('/people/:id/self-assessment/access-code/revoke', editors, async (req, res) => {
    const person = await access.revoke(actorFrom(req), idParam(req.params.id, 'Person'));
    showBannerNext(req, {
      heading: 'The access code has been revoked',
      body: `${personName(person)} can no longer sign in to the online self-assessment with it.`,
    });
    res.redirect(`/people/${person.id}`);
  });

  const selfAssessmentId = (req: Request) => idParam(req.params.id, 'Self-assessment');

  // Read-only for everyone who may see the person; the form is for the person's care and team managers.
  router.get('/self-assessments/:id/review', async (req, res) => {
    res.render(
      'self-assessment/review',
      reviewView(await review.reviewPage(currentUser(req), selfAssessmentId(req)), { values: {}, errors: noErrors }),
    );
  });

  router.post('/self-assessments/:id/review/start', editors, async (req, res) => {
    const { selfAssessmentId: id } = await review.start(actorFrom(req), selfAssessmentId(req));
    res.redirect(reviewPath(id));
  });

  router.post('/self-assessments/:id/review', editors, async (req, res, next) => {
    const id = selfAssessmentId(req);
    const page = await review.reviewPage(currentUser(req), id);
    const questions = page.pages.flatMap((p) => p.questions);
    await takeForm({
      schema: agreedAnswersSchema(questions, page.selfAssessment.answers),
      anchors: Object.fromEntries(
        questions.flatMap((question) => [
          [`agreed.${question.key}`, `agreed-${question.key}`],
          [`reasons.${question.key}`, `reasons-${question.key}`],
        ]),
      ),
      showForm: (_req, res, state) => res.status(state.status).render('self-assessment/review', reviewView(page, state)),
      save: (req, data) => review.agree(actorFrom(req), id, data, data.version),
      done: (req, res) => {
        showBannerNext(req, { heading: 'The agreed answers are saved' });
        res.redirect(reviewPath(id));
      },
      conflict: async (req) => reviewConflict(await review.reviewPage(currentUser(req), id)),
    })(req, res, next);
  });

  router.post(
    '/self-assessments/:id/review/submit',
    editors,
    takeForm({
      schema: reviewSubmitSchema,
      showForm: async (req, res, state) =>
        res
          .status(state.status)
          .render('self-assessment/review', reviewView(await review.reviewPage(currentUser(req), selfAssessmentId(req)), state)),
      save: (req, data) => review.submit(actorFrom(req), selfAssessmentId(req), data.version),
      done: (_req, res, assessment) => res.redirect(`/assessments/${assessment.id}/result`),
      conflict: async (req) => reviewConflict(await review.reviewPage(currentUser(req), selfAssessmentId(req))),
    }),
  );

  return router;
}
