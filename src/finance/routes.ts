import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { londonToday, type Clock } from '../clock.js';
import { personName } from '../people/presenters.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { conflictView } from '../web/conflict.js';
import { showBannerNext } from '../web/banner.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { PAGE_SIZE, pageQuerySchema } from '../web/pagination.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import {
  decisionBanner,
  decisionFieldLabels,
  decisionLetterView,
  decisionSavedNow,
  financialAssessmentFieldLabels,
  financialAssessmentPageView,
  financialAssessmentValues,
  newFinancialAssessmentValues,
  panelPageView,
  panelQueueView,
  signOffPageView,
  signOffQueueView,
} from './presenters.js';
import {
  approveSchema,
  financeFieldAnchors,
  financialAssessmentSchema,
  panelApproveSchema,
  queueFilterSchema,
  returnSchema,
} from './schemas.js';
import type { DecisionOutcome, FinanceService, PlanDecisionPage } from './service.js';

type FormState = { status: number; values: Record<string, unknown>; errors: FormErrors };

export function financeRoutes(finance: FinanceService, clock: Clock): Router {
  const router = Router();
  const planId = (req: Request) => idParam(req.params.id, 'Support plan');
  const personId = (req: Request) => idParam(req.params.id, 'Person');

  router.get('/finance/queue', requireRole('finance_officer', 'admin'), async (req, res) => {
    const filter = queueFilterSchema.parse(req.query);
    const { page } = pageQuerySchema.parse(req.query);
    const [plans, teams] = await Promise.all([finance.signOffQueue(filter, { request: { page, size: PAGE_SIZE } }), finance.queueTeams()]);
    res.render('finance/queue', signOffQueueView(plans, teams, filter));
  });

  router.get('/finance/panel', requireRole('team_manager', 'admin'), async (req, res) => {
    const { page } = pageQuerySchema.parse(req.query);
    res.render('finance/panel-queue', panelQueueView(await finance.panelQueue(currentUser(req), { request: { page, size: PAGE_SIZE } })));
  });

  router.get('/plans/:id/sign-off', async (req, res) => {
    res.render('finance/sign-off', signOffPageView(await finance.signOffPage(currentUser(req), planId(req))));
  });

  router.get('/plans/:id/decision-letter', async (req, res) => {
    res.render('finance/decision-letter', decisionLetterView(await finance.decisionLetter(actorFrom(req), planId(req))));
  });

  router.get('/plans/:id/panel', async (req, res) => {
    res.render('finance/panel', panelPageView(await finance.panelPage(currentUser(req), planId(req))));
  });

  /**
   * The four decisions share one shape: the page is loaded first (404 for a person the user
   * cannot see, 403 for the wrong role), then the form is taken; a refusal shows the page again
   * with the posted form's errors, and a decision someone else made first shows the 409 page.
   */
  function decision<S extends z.ZodType>(options: {
    path: string;
    form: string;
    page: 'sign-off' | 'panel';
    schema: (page: PlanDecisionPage) => S;
    decide: (req: Request, data: z.output<S>) => Promise<DecisionOutcome>;
    redirectTo: (outcome: DecisionOutcome) => string;
  }) {
    const load = (req: Request) =>
      options.page === 'sign-off'
        ? finance.signOffPage(currentUser(req), planId(req), 'decide')
        : finance.panelPage(currentUser(req), planId(req), 'decide');
    const view = options.page === 'sign-off' ? signOffPageView : panelPageView;
    router.post(options.path, async (req, res, next) => {
      const page = await load(req);
      await takeForm({
        schema: options.schema(page),
        anchors: financeFieldAnchors,
        showForm: (_req, res, state: FormState) =>
          res.status(state.status).render(`finance/${options.page}`, view(page, { name: options.form, ...state })),
        save: options.decide,
        done: (req, res, outcome) => {
          if (outcome.decided) showBannerNext(req, decisionBanner(page, outcome.decided));
          res.redirect(options.redirectTo(outcome));
        },
        conflict: async (req) => {
          const latest = await load(req);
          return conflictView({
            recordName: `${personName(latest.person)}’s plan`,
            fields: decisionFieldLabels,
            typed: req.body as Record<string, unknown>,
            savedNow: decisionSavedNow(latest),
            latest: { href: `/plans/${latest.plan.id}/${options.page}`, text: 'Open the plan again' },
          });
        },
      })(req, res, next);
    });
  }

  const toPerson = (outcome: DecisionOutcome) => `/people/${outcome.personId}`;

  decision({
    path: '/plans/:id/approve',
    form: 'approve',
    page: 'sign-off',
    // A different amount from the planned one needs a reason, so the form is read against the plan's total.
    schema: (page) => approveSchema(page.totals.personalBudgetWeeklyPence, londonToday(clock)),
    decide: (req, data) => finance.approve(actorFrom(req), planId(req), data),
    redirectTo: toPerson,
  });

  decision({
    path: '/plans/:id/return',
    form: 'return',
    page: 'sign-off',
    schema: () => returnSchema,
    decide: (req, data) => finance.returnPlan(actorFrom(req), planId(req), data),
    redirectTo: () => '/finance/queue',
  });

  decision({
    path: '/plans/:id/panel-approve',
    form: 'panelApprove',
    page: 'panel',
    schema: (page) => panelApproveSchema(page.totals.personalBudgetWeeklyPence),
    decide: (req, data) => finance.panelApprove(actorFrom(req), planId(req), data),
    redirectTo: () => '/finance/panel',
  });

  decision({
    path: '/plans/:id/panel-return',
    form: 'panelReturn',
    page: 'panel',
    schema: () => returnSchema,
    decide: (req, data) => finance.panelReturn(actorFrom(req), planId(req), data),
    redirectTo: () => '/finance/panel',
  });

  async function showAssessmentForm(req: Request, res: Response, state: FormState) {
    const page = await finance.financialAssessmentPage(currentUser(req), personId(req));
    res.status(state.status).render('finance/financial-assessment', financialAssessmentPageView(page, state));
  }

  router.get('/people/:id/financial-assessment', async (req, res) => {
    const page = await finance.financialAssessmentPage(currentUser(req), personId(req));
    res.render(
      'finance/financial-assessment',
      financialAssessmentPageView(page, { values: newFinancialAssessmentValues(page.history), errors: noErrors }),
    );
  });

  router.post(
    '/people/:id/financial-assessment',
    takeForm({
      schema: () => financialAssessmentSchema(londonToday(clock)),
      anchors: financeFieldAnchors,
      showForm: showAssessmentForm,
      save: (req, data) => finance.recordFinancialAssessment(actorFrom(req), personId(req), data),
      done: (req, res) => res.redirect(`/people/${personId(req)}#personal-budget`),
      conflict: async (req) => {
        const page = await finance.financialAssessmentPage(currentUser(req), personId(req));
        const [latest] = page.history;
        const view = conflictView({
          recordName: `${personName(page.person)}’s financial assessment`,
          fields: financialAssessmentFieldLabels,
          typed: req.body as Record<string, unknown>,
          savedNow: latest && financialAssessmentValues(latest),
          latest: { href: `/people/${page.person.id}/financial-assessment`, text: 'Open the form again' },
        });
        // An assessment is only ever followed by a newer one, never changed, so say what happened in those words.
        return { ...view, heading: `Someone else recorded a financial assessment for ${personName(page.person)} first` };
      },
    }),
  );

  return router;
}
