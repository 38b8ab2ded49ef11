import { Router, type Request } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { actorFrom, currentUser } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors } from '../web/validation.js';
import { budgetEndedBanner, endBudgetConflictView, endBudgetPageView } from './ending-presenters.js';
import { endBudgetFieldAnchors, endBudgetSchema } from './ending-schemas.js';
import type { BudgetEndingService } from './ending-service.js';

export function budgetEndingRoutes(ending: BudgetEndingService, clock: Clock): Router {
  const router = Router();
  const budgetId = (req: Request) => idParam(req.params.id, 'Personal budget');

  router.get('/budgets/:id/end', async (req, res) => {
    const page = await ending.endingPage(currentUser(req), budgetId(req));
    res.render('finance/end-budget', endBudgetPageView(page, { values: {}, errors: noErrors }));
  });

  /** The page is loaded first (404 for a person the user cannot see, 403 for the wrong role), then the form is taken. */
  router.post('/budgets/:id/end', async (req, res, next) => {
    const page = await ending.endingPage(currentUser(req), budgetId(req), 'end');
    await takeForm({
      schema: endBudgetSchema(londonToday(clock)),
      anchors: endBudgetFieldAnchors,
      showForm: (_req, res, state) => res.status(state.status).render('finance/end-budget', endBudgetPageView(page, state)),
      save: (req, data) => ending.endBudget(actorFrom(req), budgetId(req), data),
      done: (req, res, outcome) => {
        showBannerNext(req, budgetEndedBanner(outcome));
        res.redirect(`/people/${outcome.personId}#personal-budget`);
      },
      conflict: async (req) =>
        endBudgetConflictView(await ending.endingPage(currentUser(req), budgetId(req)), req.body as Record<string, unknown>),
    })(req, res, next);
  });

  return router;
}
