import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import type { DraftableForm, FormDrafts, KeptForm } from '../drafts/routes.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors } from '../web/validation.js';
import {
  pathAfterReview,
  reassignConflictView,
  reassignView,
  reviewConflictView,
  reviewPageView,
  unplannedReviewConflictView,
  unplannedReviewView,
} from './presenters.js';
import type { Review } from './repo.js';
import {
  completeReviewSchema,
  inPageOrder,
  reassignSchema,
  reviewFieldAnchors,
  reviewFieldOrder,
  unplannedReviewSchema,
} from './schemas.js';
import type { ReviewsService } from './service.js';

/** A review form posted after the session ended is kept and offered back on the review's page. */
export const reviewFormsKept: KeptForm[] = [{ posted: /^\/reviews\/(\d+)\/(complete|draft)$/, page: (match) => `/reviews/${match[1]}` }];

export function reviewRoutes(reviews: ReviewsService, drafts: FormDrafts, clock: Clock): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const reviewId = (req: Request) => idParam(req.params.id, 'Review');
  const personId = (req: Request) => idParam(req.params.id, 'Person');

  const showReview = async (req: Request, res: Response, state: Partial<Parameters<ShowForm>[2]> = {}, opening = false) => {
    const page = await reviews.reviewPage(currentUser(req), reviewId(req));
    // A draft is offered only while the review can still be recorded by this user; one kept
    // without the form's version is taken as typed against the review as it is now.
    const opened = opening && page.canComplete ? await drafts.opened(req, res, reviewDraft) : { values: undefined, notice: null };
    const values = opened.values ? { version: String(page.review.version), ...opened.values } : state.values;
    // The outcome rules are checked after the single fields, so their messages are put back in page order.
    const errors = state.errors ? inPageOrder(state.errors, reviewFieldOrder({ outcomes: page.plan?.outcomes ?? [] })) : noErrors;
    res.status(state.status ?? 200).render('reviews/show', {
      ...reviewPageView(page, { values, errors, justCompleted: req.query.completed === 'yes' }),
      draftNotice: opened.notice,
      draftAction: drafts.saveAction(req, reviewDraft),
    });
  };

  const reviewDraft: DraftableForm = {
    form: 'review',
    recordId: reviewId,
    page: (id) => `/reviews/${id}`,
    whyNotOpen: async (req) =>
      (await reviews.reviewPage(currentUser(req), reviewId(req))).canComplete
        ? null
        : 'This review cannot be recorded by you now, so there is nothing to keep a draft of.',
    showForm: showReview,
  };

  router.get('/reviews/:id', async (req, res) => {
    await showReview(req, res, {}, true);
  });
  drafts.addRoutes(router, '/reviews/:id', editors, reviewDraft);

  router.post('/reviews/:id/complete', editors, async (req, res, next) => {
    // The form has a pair of fields for each of the plan's outcomes, so the plan is read before the form is.
    const page = await reviews.reviewPage(currentUser(req), reviewId(req));
    const take = takeForm({
      schema: completeReviewSchema({
        outcomes: page.plan?.outcomes ?? [],
        hasDirectPayment: page.hasDirectPayment,
        today: londonToday(clock),
      }),
      anchors: reviewFieldAnchors,
      showForm: showReview,
      save: async (req, data) => {
        const outcome = await reviews.complete(actorFrom(req), reviewId(req), data);
        await drafts.discardAllOf('review', reviewId(req));
        return outcome;
      },
      done: (_req, res, outcome) => res.redirect(pathAfterReview(outcome)),
      conflict: (req, error) => reviewConflictView(page, req.body as Record<string, unknown>, error.current as Review),
    });
    await take(req, res, next);
  });

  const showUnplanned: ShowForm = async (req, res, state) => {
    const page = await reviews.unplannedReviewPage(currentUser(req), personId(req));
    res.status(state.status).render('reviews/unplanned', unplannedReviewView(page, state.values, state.errors));
  };

  router.get('/people/:id/reviews/new', editors, async (req, res) => {
    await showUnplanned(req, res, { status: 200, values: {}, errors: noErrors });
  });

  router.post(
    '/people/:id/reviews',
    editors,
    takeForm({
      schema: () => unplannedReviewSchema(londonToday(clock)),
      anchors: reviewFieldAnchors,
      showForm: showUnplanned,
      save: (req, data) => reviews.addUnplanned(actorFrom(req), personId(req), data),
      done: (req, res) => res.redirect(`/people/${personId(req)}#reviews`),
      conflict: async (req) =>
        unplannedReviewConflictView(
          await reviews.unplannedReviewPage(currentUser(req), personId(req)),
          req.body as Record<string, unknown>,
        ),
    }),
  );

  const showReassign: ShowForm = async (req, res, state) => {
    const page = await reviews.reassignPage(currentUser(req), reviewId(req));
    res.status(state.status).render('reviews/reassign', reassignView(page, state.values, state.errors));
  };

  router.get('/reviews/:id/reassign', editors, async (req, res) => {
    await showReassign(req, res, { status: 200, values: {}, errors: noErrors });
  });

  router.post(
    '/reviews/:id/reassign',
    editors,
    takeForm({
      schema: reassignSchema,
      showForm: showReassign,
      save: (req, data) => reviews.reassign(actorFrom(req), reviewId(req), data),
      done: (req, res) => res.redirect(`/reviews/${reviewId(req)}`),
      conflict: async (req) =>
        reassignConflictView(await reviews.currentAssignment(currentUser(req), reviewId(req)), req.body as Record<string, unknown>),
    }),
  );

  return router;
}
