import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { eligibilityOutcomes } from '../assessments/eligibility.js';
import { RuleError, StaleVersionError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { penceForInput } from '../web/money-field.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { directPaymentFrequencyLabels, fundingStreamLabels, fundingStreams, managementOptionLabels, managementOptions } from './options.js';
import { detailsSchema, itemSchema, outcomeSchema, riskSchema, versionOnlySchema } from './schemas.js';
import { PlanNotReadyError, type PlansService } from './service.js';

type FormValues = Record<string, unknown>;
const labels = {
  fundingStreamLabels,
  managementOptionLabels,
  directPaymentFrequencyLabels,
  eligibilityOutcomes,
  fundingStreams,
  managementOptions,
};

export function planRoutes(plans: PlansService): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');

  const planId = (req: Request) => idParam(req.params.id, 'Support plan');
  const partId = (req: Request, name: string) => idParam(req.params[name], 'Page');

  async function renderPlanPage(req: Request, res: Response, status = 200, errors: FormErrors = noErrors) {
    const page = await plans.planPage(currentUser(req), planId(req));
    res.status(status).render('plans/show', { ...page, ...labels, errors });
  }

  async function renderForm(
    req: Request,
    res: Response,
    view: string,
    status: number,
    values: FormValues,
    errors: FormErrors,
    extra: FormValues = {},
  ) {
    const page = await plans.planPage(currentUser(req), planId(req));
    if (!page.canEdit) {
      res.status(403).render('errors/403', { reason: 'This plan cannot be changed now: it has been submitted or signed off.' });
      return;
    }
    res.status(status).render(view, { ...page, ...labels, values: { version: String(page.plan.version), ...values }, errors, ...extra });
  }

  /** The shared ending of every change: back to the plan, or the 409 page, or the form again with the rule's message. */
  async function afterChange(req: Request, res: Response, change: () => Promise<unknown>, onRule: (errors: FormErrors) => Promise<void>) {
    try {
      await change();
      res.redirect(`/plans/${planId(req)}`);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        res.status(409).render('errors/409', { typed: req.body, backLink: `/plans/${planId(req)}` });
        return;
      }
      if (error instanceof PlanNotReadyError) {
        await renderPlanPage(req, res, 400, { summary: error.problems, fields: {} });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      await onRule(singleError(error.field ?? 'form', error.message));
    }
  }

  /** A plan form: parse it, make the change, or show the form again with what was typed and why. */
  function postPlanForm<S extends z.ZodType>(
    path: string,
    schema: S,
    view: string,
    change: (req: Request, data: z.output<S>) => Promise<unknown>,
    extra: (req: Request) => FormValues = () => ({}),
  ) {
    router.post(path, editors, async (req, res) => {
      const again = (errors: FormErrors) => renderForm(req, res, view, 400, req.body, errors, extra(req));
      const form = parseForm(schema, req.body);
      if (!form.ok) return again(form.errors);
      await afterChange(req, res, () => change(req, form.data), again);
    });
  }

  /** A button on the plan page (remove, submit): only the plan's version travels with it. */
  function postPlanAction(path: string, action: (req: Request, version: number) => Promise<unknown>) {
    router.post(path, editors, async (req, res) => {
      const again = (errors: FormErrors) => renderPlanPage(req, res, 400, errors);
      const form = parseForm(versionOnlySchema, req.body);
      if (!form.ok) return again(form.errors);
      await afterChange(req, res, () => action(req, form.data.version), again);
    });
  }

  router.post('/people/:id/plans', editors, async (req, res) => {
    try {
      const id = await plans.startPlan(actorFrom(req), idParam(req.params.id, 'Person'));
      res.redirect(`/plans/${id}`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      res.status(409).render('errors/409', { reason: error.message, backLink: `/people/${req.params.id}` });
    }
  });

  router.get('/plans/:id', async (req, res) => {
    await renderPlanPage(req, res);
  });

  router.get('/plans/:id/print', async (req, res) => {
    const page = await plans.planPage(currentUser(req), planId(req));
    res.render('plans/print', { ...page, ...labels });
  });

  // Outcomes
  router.get('/plans/:id/outcomes/new', editors, async (req, res) => {
    await renderForm(req, res, 'plans/outcome-form', 200, {}, noErrors);
  });
  postPlanForm('/plans/:id/outcomes', outcomeSchema, 'plans/outcome-form', (req, data) =>
    plans.addOutcome(actorFrom(req), planId(req), data.version, data),
  );
  router.get('/plans/:id/outcomes/:outcomeId/edit', editors, async (req, res) => {
    const page = await plans.planPage(currentUser(req), planId(req));
    const outcome = page.plan.outcomes.find((candidate) => candidate.id === partId(req, 'outcomeId'));
    if (!outcome) {
      res.status(404).render('errors/404');
      return;
    }
    await renderForm(
      req,
      res,
      'plans/outcome-form',
      200,
      { description: outcome.description, eligibilityOutcomes: outcome.eligibility_outcomes },
      noErrors,
      {
        outcomeId: outcome.id,
      },
    );
  });
  postPlanForm(
    '/plans/:id/outcomes/:outcomeId/edit',
    outcomeSchema,
    'plans/outcome-form',
    (req, data) => plans.changeOutcome(actorFrom(req), planId(req), partId(req, 'outcomeId'), data.version, data),
    (req) => ({ outcomeId: partId(req, 'outcomeId') }),
  );
  postPlanAction('/plans/:id/outcomes/:outcomeId/remove', (req, version) =>
    plans.removeOutcome(actorFrom(req), planId(req), partId(req, 'outcomeId'), version),
  );

  // Support items
  router.get('/plans/:id/items/new', editors, async (req, res) => {
    await renderForm(req, res, 'plans/item-form', 200, { fundingStream: 'social_care', costType: 'weekly' }, noErrors);
  });
  postPlanForm('/plans/:id/items', itemSchema, 'plans/item-form', (req, data) =>
    plans.addItem(actorFrom(req), planId(req), data.version, data),
  );
  router.get('/plans/:id/items/:itemId/edit', editors, async (req, res) => {
    const page = await plans.planPage(currentUser(req), planId(req));
    const item = page.plan.items.find((candidate) => candidate.id === partId(req, 'itemId'));
    if (!item) {
      res.status(404).render('errors/404');
      return;
    }
    const values = {
      description: item.description,
      provider: item.provider,
      outcomeId: String(item.outcome_id),
      fundingStream: item.funding_stream,
      managementOption: item.management_option,
      costType: item.cost_type,
      weeklyAmount: item.cost_type === 'weekly' ? penceForInput(item.weekly_pence) : '',
      unitCost: penceForInput(item.unit_cost_pence),
      unitsPerWeek: item.units_per_week_hundredths === null ? '' : String(item.units_per_week_hundredths / 100),
    };
    await renderForm(req, res, 'plans/item-form', 200, values, noErrors, { itemId: item.id });
  });
  postPlanForm(
    '/plans/:id/items/:itemId/edit',
    itemSchema,
    'plans/item-form',
    (req, data) => plans.changeItem(actorFrom(req), planId(req), partId(req, 'itemId'), data.version, data),
    (req) => ({ itemId: partId(req, 'itemId') }),
  );
  postPlanAction('/plans/:id/items/:itemId/remove', (req, version) =>
    plans.removeItem(actorFrom(req), planId(req), partId(req, 'itemId'), version),
  );

  // Risks
  router.get('/plans/:id/risks/new', editors, async (req, res) => {
    await renderForm(req, res, 'plans/risk-form', 200, {}, noErrors);
  });
  postPlanForm('/plans/:id/risks', riskSchema, 'plans/risk-form', (req, data) =>
    plans.addRisk(actorFrom(req), planId(req), data.version, data),
  );
  postPlanAction('/plans/:id/risks/:riskId/remove', (req, version) =>
    plans.removeRisk(actorFrom(req), planId(req), partId(req, 'riskId'), version),
  );

  // The Care Act's contents of a plan, who was involved, and the direct payment terms
  router.get('/plans/:id/details', editors, async (req, res) => {
    const page = await plans.planPage(currentUser(req), planId(req));
    const plan = page.plan;
    await renderForm(
      req,
      res,
      'plans/details-form',
      200,
      {
        peopleInvolved: plan.people_involved,
        contactArrangements: plan.contact_arrangements,
        eligibleNeeds: plan.eligible_needs,
        needsCouncilWillMeet: plan.needs_council_will_meet,
        wellbeing: plan.wellbeing,
        preventionAdvice: plan.prevention_advice,
        directPaymentNeeds: plan.direct_payment_needs,
        directPaymentFrequency: plan.direct_payment_frequency ?? '',
        directPaymentBasis: plan.direct_payment_basis ?? '',
        overIndicativeReason: plan.over_indicative_reason,
        needsChanged: plan.needs_changed,
      },
      noErrors,
    );
  });
  postPlanForm('/plans/:id/details', detailsSchema, 'plans/details-form', (req, data) =>
    plans.changeDetails(actorFrom(req), planId(req), data),
  );

  postPlanAction('/plans/:id/submit', (req, version) => plans.submit(actorFrom(req), planId(req), version));

  return router;
}
