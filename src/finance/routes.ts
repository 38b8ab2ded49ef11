import { Router, type Response } from 'express';
import { RuleError, StaleVersionError } from '../errors.js';
import { clientGroupLabels, clientGroups } from '../people/client-groups.js';
import { fundingStreamLabels, managementOptionLabels } from '../plans/options.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { penceForInput } from '../web/money-field.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { capitalIsAboveUpperLimit } from './charging.js';
import {
  approveSchema,
  financeFieldAnchors,
  financialAssessmentSchema,
  panelApproveSchema,
  queueFilterSchema,
  returnSchema,
} from './schemas.js';
import type { DecisionOutcome, FinanceService } from './service.js';

type FormValues = Record<string, unknown>;
type DecisionForm = 'approve' | 'return' | 'panelApprove' | 'panelReturn';
type DecisionPage = Awaited<ReturnType<FinanceService['signOffPage']>>;
type DecisionResult = { ok: true; outcome: DecisionOutcome } | { ok: false; errors: FormErrors };

function anchorFor(field: string): string {
  return (financeFieldAnchors as Record<string, string>)[field] ?? field;
}

/** Labels shared by every finance view. */
const labels = { clientGroupLabels, fundingStreamLabels, managementOptionLabels };

/** What the plan-decision pages render: one form may carry what was typed and its errors. */
function decisionModel(page: object, form?: { name: DecisionForm; values: FormValues; errors: FormErrors }) {
  return { ...page, ...labels, typedFor: form?.name ?? null, values: form?.values ?? {}, errors: form?.errors ?? noErrors };
}

export function financeRoutes(finance: FinanceService): Router {
  const router = Router();

  router.get('/finance/queue', requireRole('finance_officer', 'admin'), async (req, res) => {
    const filter = queueFilterSchema.parse(req.query);
    const { plans, teams } = await finance.queue(filter);
    res.render('finance/queue', { plans, teams, filter, clientGroups, ...labels });
  });

  router.get('/finance/panel', requireRole('team_manager', 'admin'), async (req, res) => {
    const { plans } = await finance.panelQueue(currentUser(req));
    res.render('finance/panel-queue', { plans, ...labels });
  });

  router.get('/plans/:id/sign-off', async (req, res) => {
    res.render('finance/sign-off', decisionModel(await finance.signOffPage(currentUser(req), idParam(req.params.id, 'Support plan'))));
  });

  router.get('/plans/:id/panel', async (req, res) => {
    res.render('finance/panel', decisionModel(await finance.panelPage(currentUser(req), idParam(req.params.id, 'Support plan'))));
  });

  /**
   * The four decisions share one shape: the page is loaded first (404 for a person the user
   * cannot see, 403 for the wrong role), then the form is parsed, then the service decides.
   */
  function decisionRoute(options: {
    path: string;
    form: DecisionForm;
    view: 'finance/sign-off' | 'finance/panel';
    load: (res: Response, planId: number) => Promise<DecisionPage>;
    decide: (res: Response, planId: number, body: FormValues, page: DecisionPage) => Promise<DecisionResult>;
    redirectTo: (outcome: DecisionOutcome) => string;
    reopen: (planId: number) => string;
  }) {
    router.post(options.path, async (req, res) => {
      const planId = idParam(req.params.id, 'Support plan');
      const values = req.body as FormValues;
      const page = await options.load(res, planId);
      try {
        const result = await options.decide(res, planId, values, page);
        if (result.ok) {
          res.redirect(options.redirectTo(result.outcome));
          return;
        }
        res.status(400).render(options.view, decisionModel(page, { name: options.form, values, errors: result.errors }));
      } catch (error) {
        if (error instanceof StaleVersionError) {
          const latest = await options.load(res, planId);
          res
            .status(409)
            .render('finance/conflict', { ...latest, ...labels, typedFor: options.form, typed: values, reopen: options.reopen(planId) });
          return;
        }
        if (!(error instanceof RuleError)) throw error;
        const field = error.field ?? 'form';
        const errors = singleError(field, error.message, anchorFor(field));
        res.status(400).render(options.view, decisionModel(page, { name: options.form, values, errors }));
      }
    });
  }

  const signOff = (res: Response, planId: number) => finance.signOffPage(currentUser(res.req), planId, 'decide');
  const panel = (res: Response, planId: number) => finance.panelPage(currentUser(res.req), planId, 'decide');
  const toPerson = (outcome: DecisionOutcome) => `/people/${outcome.personId}`;

  decisionRoute({
    path: '/plans/:id/approve',
    form: 'approve',
    view: 'finance/sign-off',
    load: signOff,
    decide: async (res, planId, body, page) => {
      const form = parseForm(approveSchema(page.totals.personalBudgetWeeklyPence), body, financeFieldAnchors);
      return form.ok ? { ok: true, outcome: await finance.approve(actorFrom(res.req), planId, form.data) } : form;
    },
    redirectTo: toPerson,
    reopen: (planId) => `/plans/${planId}/sign-off`,
  });

  decisionRoute({
    path: '/plans/:id/return',
    form: 'return',
    view: 'finance/sign-off',
    load: signOff,
    decide: async (res, planId, body) => {
      const form = parseForm(returnSchema, body);
      return form.ok ? { ok: true, outcome: await finance.returnPlan(actorFrom(res.req), planId, form.data) } : form;
    },
    redirectTo: () => '/finance/queue',
    reopen: (planId) => `/plans/${planId}/sign-off`,
  });

  decisionRoute({
    path: '/plans/:id/panel-approve',
    form: 'panelApprove',
    view: 'finance/panel',
    load: panel,
    decide: async (res, planId, body) => {
      const form = parseForm(panelApproveSchema, body);
      return form.ok ? { ok: true, outcome: await finance.panelApprove(actorFrom(res.req), planId, form.data) } : form;
    },
    redirectTo: () => '/finance/panel',
    reopen: (planId) => `/plans/${planId}/panel`,
  });

  decisionRoute({
    path: '/plans/:id/panel-return',
    form: 'panelReturn',
    view: 'finance/panel',
    load: panel,
    decide: async (res, planId, body) => {
      const form = parseForm(returnSchema, body);
      return form.ok ? { ok: true, outcome: await finance.panelReturn(actorFrom(res.req), planId, form.data) } : form;
    },
    redirectTo: () => '/finance/panel',
    reopen: (planId) => `/plans/${planId}/panel`,
  });

  async function renderAssessmentForm(res: Response, status: number, personId: number, form?: { values: FormValues; errors: FormErrors }) {
    const page = await finance.financialAssessmentPage(currentUser(res.req), personId);
    const [latest] = page.history;
    // A new assessment usually changes one figure, so the form starts from the last one's.
    const values = form?.values ?? {
      weeklyIncome: penceForInput(latest?.weekly_income_pence),
      weeklyAllowances: penceForInput(latest?.weekly_allowances_pence),
      capital: penceForInput(latest?.capital_pence),
      latestSeenId: String(latest?.id ?? 0),
    };
    res
      .status(status)
      .render('finance/financial-assessment', { ...page, ...labels, capitalIsAboveUpperLimit, values, errors: form?.errors ?? noErrors });
  }

  router.get('/people/:id/financial-assessment', async (req, res) => {
    await renderAssessmentForm(res, 200, idParam(req.params.id, 'Person'));
  });

  router.post('/people/:id/financial-assessment', async (req, res) => {
    const personId = idParam(req.params.id, 'Person');
    const page = await finance.financialAssessmentPage(currentUser(req), personId);
    const values = req.body as FormValues;
    const form = parseForm(financialAssessmentSchema, values, financeFieldAnchors);
    if (!form.ok) {
      await renderAssessmentForm(res, 400, personId, { values, errors: form.errors });
      return;
    }
    try {
      await finance.recordFinancialAssessment(actorFrom(req), personId, form.data);
      res.redirect(`/people/${personId}#personal-budget`);
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      res.status(409).render('finance/assessment-conflict', { ...page, typed: values });
    }
  });

  return router;
}
