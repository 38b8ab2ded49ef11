import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { RuleError, StaleVersionError } from '../errors.js';
import { managementOptionLabels } from '../plans/options.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import {
  budgetVarianceLabels,
  completeReviewSchema,
  inPageOrder,
  outcomeFieldName,
  outcomeResultLabels,
  reassignSchema,
  reviewDecisionHints,
  reviewDecisionLabels,
  reviewFieldAnchors,
  reviewFieldOrder,
  reviewKindLabels,
  unplannedReviewSchema,
} from './schemas.js';
import type { ReviewsService } from './service.js';

type FormValues = Record<string, unknown>;

/** Labels every review view uses. */
const labels = {
  outcomeResultLabels,
  budgetVarianceLabels,
  reviewDecisionLabels,
  reviewDecisionHints,
  reviewKindLabels,
  managementOptionLabels,
  outcomeFieldName,
};

export function reviewRoutes(reviews: ReviewsService, clock: Clock): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const reviewId = (req: Request) => idParam(req.params.id, 'Review');
  const personId = (req: Request) => idParam(req.params.id, 'Person');

  async function renderReview(req: Request, res: Response, status: number, form?: { values: FormValues; errors: FormErrors }) {
    const page = await reviews.reviewPage(currentUser(req), reviewId(req));
    res.status(status).render('reviews/show', {
      ...page,
      ...labels,
      values: form?.values ?? { version: String(page.review.version) },
      errors: form?.errors ?? noErrors,
      justCompleted: req.query.completed === 'yes' && page.review.status === 'completed',
    });
  }

  router.get('/reviews/:id', async (req, res) => {
    await renderReview(req, res, 200);
  });

  router.post('/reviews/:id/complete', editors, async (req, res) => {
    const page = await reviews.reviewPage(currentUser(req), reviewId(req));
    const values = req.body as FormValues;
    const outcomes = page.plan?.outcomes ?? [];
    const order = reviewFieldOrder({ outcomes });
    const form = parseForm(
      completeReviewSchema({ outcomes, hasDirectPayment: page.hasDirectPayment, today: londonToday(clock) }),
      values,
      reviewFieldAnchors,
    );
    if (!form.ok) return renderReview(req, res, 400, { values, errors: inPageOrder(form.errors, order) });
    try {
      const outcome = await reviews.complete(actorFrom(req), reviewId(req), form.data);
      res.redirect(outcome.nextPath);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        const latest = await reviews.reviewPage(currentUser(req), reviewId(req));
        res.status(409).render('reviews/conflict', { ...latest, ...labels, typed: values });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      const field = error.field ?? 'form';
      await renderReview(req, res, 400, {
        values,
        errors: singleError(field, error.message, reviewFieldAnchors[field as keyof typeof reviewFieldAnchors] ?? field),
      });
    }
  });

  async function renderUnplanned(req: Request, res: Response, status: number, values: FormValues, errors: FormErrors) {
    const page = await reviews.unplannedReviewPage(currentUser(req), personId(req));
    res.status(status).render('reviews/unplanned', { ...page, values, errors });
  }

  router.get('/people/:id/reviews/new', editors, async (req, res) => {
    await renderUnplanned(req, res, 200, {}, noErrors);
  });

  router.post('/people/:id/reviews', editors, async (req, res) => {
    await reviews.unplannedReviewPage(currentUser(req), personId(req));
    const values = req.body as FormValues;
    const form = parseForm(unplannedReviewSchema(londonToday(clock)), values, reviewFieldAnchors);
    if (!form.ok) return renderUnplanned(req, res, 400, values, form.errors);
    try {
      await reviews.addUnplanned(actorFrom(req), personId(req), form.data);
      res.redirect(`/people/${personId(req)}#reviews`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      await renderUnplanned(req, res, 400, values, singleError(error.field ?? 'form', error.message));
    }
  });

  async function renderReassign(req: Request, res: Response, status: number, values: FormValues, errors: FormErrors) {
    const page = await reviews.reassignPage(currentUser(req), reviewId(req));
    res.status(status).render('reviews/reassign', {
      ...page,
      ...labels,
      values: {
        version: String(page.review.version),
        assignedTo: page.review.assigned_to === null ? '' : String(page.review.assigned_to),
        ...values,
      },
      errors,
    });
  }

  router.get('/reviews/:id/reassign', editors, async (req, res) => {
    await renderReassign(req, res, 200, {}, noErrors);
  });

  router.post('/reviews/:id/reassign', editors, async (req, res) => {
    const values = req.body as FormValues;
    const form = parseForm(reassignSchema, values);
    if (!form.ok) return renderReassign(req, res, 400, values, form.errors);
    try {
      await reviews.reassign(actorFrom(req), reviewId(req), form.data);
      res.redirect(`/reviews/${reviewId(req)}`);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        res.status(409).render('errors/409', {
          reason: 'Someone else changed or completed this review after you opened the form.',
          backLink: `/reviews/${reviewId(req)}`,
        });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      await renderReassign(req, res, 400, values, singleError(error.field ?? 'form', error.message));
    }
  });

  return router;
}
