import { Router, type Request, type Response } from 'express';
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
  router.post('/plans/:id/outcomes', editors, async (req, res) => {
    const form = parseForm(outcomeSchema, req.body, { eligibilityOutcomes: 'eligibilityOutcomes' });
    if (!form.ok) return renderForm(req, res, 'plans/outcome-form', 400, req.body, form.errors);
    await afterChange(
      req,
      res,
      () => plans.addOutcome(actorFrom(req), planId(req), form.data.version, form.data),
      (errors) => renderForm(req, res, 'plans/outcome-form', 400, req.body, errors),
    );
  });
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
  router.post('/plans/:id/outcomes/:outcomeId/edit', editors, async (req, res) => {
    const outcomeId = partId(req, 'outcomeId');
    const form = parseForm(outcomeSchema, req.body);
    if (!form.ok) return renderForm(req, res, 'plans/outcome-form', 400, req.body, form.errors, { outcomeId });
    await afterChange(
      req,
      res,
      () => plans.changeOutcome(actorFrom(req), planId(req), outcomeId, form.data.version, form.data),
      (errors) => renderForm(req, res, 'plans/outcome-form', 400, req.body, errors, { outcomeId }),
    );
  });
  router.post('/plans/:id/outcomes/:outcomeId/remove', editors, async (req, res) => {
    const form = parseForm(versionOnlySchema, req.body);
    if (!form.ok) return renderPlanPage(req, res, 400, form.errors);
    await afterChange(
      req,
      res,
      () => plans.removeOutcome(actorFrom(req), planId(req), partId(req, 'outcomeId'), form.data.version),
      (errors) => renderPlanPage(req, res, 400, errors),
    );
  });

  // Support items
  router.get('/plans/:id/items/new', editors, async (req, res) => {
    await renderForm(req, res, 'plans/item-form', 200, { fundingStream: 'social_care', costType: 'weekly' }, noErrors);
  });
  router.post('/plans/:id/items', editors, async (req, res) => {
    const form = parseForm(itemSchema, req.body);
    if (!form.ok) return renderForm(req, res, 'plans/item-form', 400, req.body, form.errors);
    await afterChange(
      req,
      res,
      () => plans.addItem(actorFrom(req), planId(req), form.data.version, form.data),
      (errors) => renderForm(req, res, 'plans/item-form', 400, req.body, errors),
    );
  });
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
  router.post('/plans/:id/items/:itemId/edit', editors, async (req, res) => {
    const itemId = partId(req, 'itemId');
    const form = parseForm(itemSchema, req.body);
    if (!form.ok) return renderForm(req, res, 'plans/item-form', 400, req.body, form.errors, { itemId });
    await afterChange(
      req,
      res,
      () => plans.changeItem(actorFrom(req), planId(req), itemId, form.data.version, form.data),
      (errors) => renderForm(req, res, 'plans/item-form', 400, req.body, errors, { itemId }),
    );
  });
  router.post('/plans/:id/items/:itemId/remove', editors, async (req, res) => {
    const form = parseForm(versionOnlySchema, req.body);
    if (!form.ok) return renderPlanPage(req, res, 400, form.errors);
    await afterChange(
      req,
      res,
      () => plans.removeItem(actorFrom(req), planId(req), partId(req, 'itemId'), form.data.version),
      (errors) => renderPlanPage(req, res, 400, errors),
    );
  });

  // Risks
  router.get('/plans/:id/risks/new', editors, async (req, res) => {
    await renderForm(req, res, 'plans/risk-form', 200, {}, noErrors);
  });
  router.post('/plans/:id/risks', editors, async (req, res) => {
    const form = parseForm(riskSchema, req.body);
    if (!form.ok) return renderForm(req, res, 'plans/risk-form', 400, req.body, form.errors);
    await afterChange(
      req,
      res,
      () => plans.addRisk(actorFrom(req), planId(req), form.data.version, form.data),
      (errors) => renderForm(req, res, 'plans/risk-form', 400, req.body, errors),
    );
  });
  router.post('/plans/:id/risks/:riskId/remove', editors, async (req, res) => {
    const form = parseForm(versionOnlySchema, req.body);
    if (!form.ok) return renderPlanPage(req, res, 400, form.errors);
    await afterChange(
      req,
      res,
      () => plans.removeRisk(actorFrom(req), planId(req), partId(req, 'riskId'), form.data.version),
      (errors) => renderPlanPage(req, res, 400, errors),
    );
  });

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
  router.post('/plans/:id/details', editors, async (req, res) => {
    const form = parseForm(detailsSchema, req.body);
    if (!form.ok) return renderForm(req, res, 'plans/details-form', 400, req.body, form.errors);
    await afterChange(
      req,
      res,
      () => plans.changeDetails(actorFrom(req), planId(req), form.data),
      (errors) => renderForm(req, res, 'plans/details-form', 400, req.body, errors),
    );
  });

  router.post('/plans/:id/submit', editors, async (req, res) => {
    const form = parseForm(versionOnlySchema, req.body);
    if (!form.ok) return renderPlanPage(req, res, 400, form.errors);
    await afterChange(
      req,
      res,
      () => plans.submit(actorFrom(req), planId(req), form.data.version),
      (errors) => renderPlanPage(req, res, 400, errors),
    );
  });

  return router;
}
