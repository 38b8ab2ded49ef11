import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { DraftNoticeView } from '../drafts/presenters.js';
import type { DraftableForm, FormDrafts, KeptForm } from '../drafts/routes.js';
import { NotFoundError, RuleError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { conflictView, type FieldLabels } from '../web/conflict.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import type { Link } from '../web/view-models.js';
import {
  cannotChangeReason,
  detailsFieldLabels,
  detailsFormValues,
  detailsFormView,
  itemFieldLabels,
  itemFormValues,
  itemFormView,
  newItemValues,
  outcomeFieldLabels,
  outcomeFormValues,
  outcomeFormView,
  planPageView,
  planProblemErrors,
  printablePlanView,
  riskFieldLabels,
  riskFormView,
  whosePlan,
  withdrawFieldLabels,
  withdrawFormView,
} from './presenters.js';
import { detailsSchemaFor, itemSchema, outcomeSchema, riskSchema, versionOnlySchema, withdrawSchema } from './schemas.js';
import { PlanNotReadyError, type PlanPage, type PlansService } from './service.js';

type FormState = { status: number; values: Record<string, unknown>; errors: FormErrors };

/** The details form posted after the session ended is kept and offered back on the details page. */
export const planFormsKept: KeptForm[] = [{ posted: /^\/plans\/(\d+)\/details(\/draft)?$/, page: (match) => `/plans/${match[1]}/details` }];

export function planRoutes(plans: PlansService, drafts: FormDrafts): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');

  const planId = (req: Request) => idParam(req.params.id, 'Support plan');
  const partId = (req: Request, name: string) => idParam(req.params[name], 'Page');
  const planPage = (req: Request) => plans.planPage(currentUser(req), planId(req));

  /** One outcome or item of the plan, by its id in the address; one not in this plan is not found. */
  async function partOfPlan<Part extends { id: number }>(req: Request, parts: (page: PlanPage) => Part[], param: string): Promise<Part> {
    const part = parts(await planPage(req)).find((candidate) => candidate.id === partId(req, param));
    if (!part) throw new NotFoundError('Page');
    return part;
  }

  async function showPlanPage(req: Request, res: Response, state: { status: number; errors: FormErrors }) {
    res.status(state.status).render('plans/show', planPageView(await planPage(req), state.errors));
  }

  /** A form for a part of the plan; once the plan is submitted or signed off there is nothing to change. */
  function planForm(view: string, model: (page: PlanPage, state: FormState, req: Request) => object): ShowForm {
    return async (req, res, state) => {
      const page = await planPage(req);
      if (!page.canEdit) {
        res.status(403).render('errors/403', { reason: cannotChangeReason(page.plan) });
        return;
      }
      res.status(state.status).render(view, model(page, state, req));
    };
  }

  /** Someone else changed the plan first: what was typed, by the form's labels, and the way to the latest plan. */
  function conflict(
    fields: FieldLabels,
    options: { savedNow?: (page: PlanPage) => Record<string, unknown>; latest?: (req: Request) => Link } = {},
  ) {
    return async (req: Request) => {
      const page = await planPage(req);
      return conflictView({
        recordName: whosePlan(page.person),
        fields,
        typed: req.body as Record<string, unknown>,
        savedNow: options.savedNow?.(page),
        latest: options.latest?.(req) ?? { href: `/plans/${page.plan.id}`, text: 'Open the latest version of the plan' },
      });
    };
  }

  /** A form on a page of its own (an outcome, an item, a risk, the details): back to the plan once saved. */
  function postPlanForm<S extends z.ZodType>(
    path: string,
    options: {
      schema: S | ((req: Request) => Promise<S>);
      showForm: ShowForm;
      save: (req: Request, data: z.output<S>) => Promise<unknown>;
      conflict: ReturnType<typeof conflict>;
    },
  ) {
    router.post(path, editors, takeForm({ ...options, done: (req, res) => res.redirect(`/plans/${planId(req)}`) }));
  }

  /** A button on the plan page (remove, submit): only the plan's version travels with it, and a refusal shows on the plan page. */
  const planButton = (
    save: (req: Request, version: number) => Promise<unknown>,
    refused?: (req: Request, error: unknown) => FormErrors | undefined,
  ) =>
    takeForm({
      schema: versionOnlySchema,
      showForm: showPlanPage,
      save: (req, data) => save(req, data.version),
      done: (req, res) => res.redirect(`/plans/${planId(req)}`),
      conflict: conflict({}),
      refused,
    });

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
    await showPlanPage(req, res, { status: 200, errors: noErrors });
  });

  router.get('/plans/:id/print', async (req, res) => {
    res.render('plans/print', printablePlanView(await plans.printablePlan(actorFrom(req), planId(req))));
  });

  // Outcomes
  const showOutcomeForm = planForm('plans/outcome-form', (page, state, req) =>
    outcomeFormView(page, state, req.params.outcomeId ? partId(req, 'outcomeId') : undefined),
  );
  router.get('/plans/:id/outcomes/new', editors, (req, res) => showOutcomeForm(req, res, { status: 200, values: {}, errors: noErrors }));
  postPlanForm('/plans/:id/outcomes', {
    schema: outcomeSchema,
    showForm: showOutcomeForm,
    save: (req, data) => plans.addOutcome(actorFrom(req), planId(req), data.version, data),
    conflict: conflict(outcomeFieldLabels),
  });
  router.get('/plans/:id/outcomes/:outcomeId/edit', editors, async (req, res) => {
    const outcome = await partOfPlan(req, (page) => page.plan.outcomes, 'outcomeId');
    await showOutcomeForm(req, res, { status: 200, values: outcomeFormValues(outcome), errors: noErrors });
  });
  postPlanForm('/plans/:id/outcomes/:outcomeId/edit', {
    schema: outcomeSchema,
    showForm: showOutcomeForm,
    save: (req, data) => plans.changeOutcome(actorFrom(req), planId(req), partId(req, 'outcomeId'), data.version, data),
    conflict: conflict(outcomeFieldLabels),
  });
  router.post(
    '/plans/:id/outcomes/:outcomeId/remove',
    editors,
    planButton((req, version) => plans.removeOutcome(actorFrom(req), planId(req), partId(req, 'outcomeId'), version)),
  );

  // Support items
  const showItemForm = planForm('plans/item-form', (page, state, req) =>
    itemFormView(page, state, req.params.itemId ? partId(req, 'itemId') : undefined),
  );
  router.get('/plans/:id/items/new', editors, (req, res) =>
    showItemForm(req, res, { status: 200, values: newItemValues, errors: noErrors }),
  );
  postPlanForm('/plans/:id/items', {
    schema: itemSchema,
    showForm: showItemForm,
    save: (req, data) => plans.addItem(actorFrom(req), planId(req), data.version, data),
    conflict: conflict(itemFieldLabels),
  });
  router.get('/plans/:id/items/:itemId/edit', editors, async (req, res) => {
    const item = await partOfPlan(req, (page) => page.plan.items, 'itemId');
    await showItemForm(req, res, { status: 200, values: itemFormValues(item), errors: noErrors });
  });
  postPlanForm('/plans/:id/items/:itemId/edit', {
    schema: itemSchema,
    showForm: showItemForm,
    save: (req, data) => plans.changeItem(actorFrom(req), planId(req), partId(req, 'itemId'), data.version, data),
    conflict: conflict(itemFieldLabels),
  });
  router.post(
    '/plans/:id/items/:itemId/remove',
    editors,
    planButton((req, version) => plans.removeItem(actorFrom(req), planId(req), partId(req, 'itemId'), version)),
  );

  // Risks
  const showRiskForm = planForm('plans/risk-form', riskFormView);
  router.get('/plans/:id/risks/new', editors, (req, res) => showRiskForm(req, res, { status: 200, values: {}, errors: noErrors }));
  postPlanForm('/plans/:id/risks', {
    schema: riskSchema,
    showForm: showRiskForm,
    save: (req, data) => plans.addRisk(actorFrom(req), planId(req), data.version, data),
    conflict: conflict(riskFieldLabels),
  });
  router.post(
    '/plans/:id/risks/:riskId/remove',
    editors,
    planButton((req, version) => plans.removeRisk(actorFrom(req), planId(req), partId(req, 'riskId'), version)),
  );

  // The Care Act's contents of a plan, who was involved, and the direct payment terms
  // The longest of the plan's forms keeps a draft as it goes (src/drafts).
  const detailsView = (page: PlanPage, state: FormState, req: Request, draftNotice: DraftNoticeView | null = null) => ({
    ...detailsFormView(page, state),
    draftNotice,
    draftAction: drafts.saveAction(req, detailsDraft),
  });
  const showDetailsForm = planForm('plans/details-form', (page, state, req) => detailsView(page, state, req));
  const detailsDraft: DraftableForm = {
    form: 'plan_details',
    recordId: planId,
    page: (id) => `/plans/${id}/details`,
    whyNotOpen: async (req) => {
      const page = await planPage(req);
      return page.canEdit ? null : cannotChangeReason(page.plan);
    },
    showForm: showDetailsForm,
  };
  router.get('/plans/:id/details', editors, async (req, res) => {
    const page = await planPage(req);
    if (!page.canEdit) {
      res.status(403).render('errors/403', { reason: cannotChangeReason(page.plan) });
      return;
    }
    const opened = await drafts.opened(req, res, detailsDraft);
    const state = { status: 200, values: opened.values ?? detailsFormValues(page.plan), errors: noErrors };
    res.render('plans/details-form', detailsView(page, state, req, opened.notice));
  });
  drafts.addRoutes(router, '/plans/:id/details', editors, detailsDraft);
  postPlanForm('/plans/:id/details', {
    schema: async (req) => detailsSchemaFor((await planPage(req)).detailsRequire),
    showForm: showDetailsForm,
    save: async (req, data) => {
      const saved = await plans.changeDetails(actorFrom(req), planId(req), data);
      await drafts.discardOwn(req, detailsDraft);
      return saved;
    },
    conflict: conflict(detailsFieldLabels, {
      savedNow: (page) => detailsFormValues(page.plan),
      latest: (req) => ({ href: `/plans/${planId(req)}/details`, text: 'Change the latest version' }),
    }),
  });

  // A plan that is not ready lists every problem on the plan page, each linking to where it is put right.
  router.post(
    '/plans/:id/submit',
    editors,
    planButton(
      (req, version) => plans.submit(actorFrom(req), planId(req), version),
      (req, error) => (error instanceof PlanNotReadyError ? planProblemErrors(planId(req), error.problems) : undefined),
    ),
  );

  // Withdrawing: a draft or returned plan, by the person's team, with a reason; anything else is refused with why.
  const showWithdrawForm: ShowForm = async (req, res, state) => {
    const page = await planPage(req);
    if (page.whyNotWithdrawable) {
      res.status(409).render('errors/409', { reason: page.whyNotWithdrawable, backLink: `/plans/${page.plan.id}` });
      return;
    }
    res.status(state.status).render('plans/withdraw', withdrawFormView(page, state));
  };
  router.get('/plans/:id/withdraw', editors, (req, res) => showWithdrawForm(req, res, { status: 200, values: {}, errors: noErrors }));
  router.post(
    '/plans/:id/withdraw',
    editors,
    takeForm({
      schema: withdrawSchema,
      showForm: showWithdrawForm,
      save: (req, data) => plans.withdraw(actorFrom(req), planId(req), data),
      done: (req, res, { personId }) => {
        showBannerNext(req, { heading: 'Support plan withdrawn', body: 'It stays in the list of support plans with the reason you gave.' });
        res.redirect(`/people/${personId}`);
      },
      conflict: conflict(withdrawFieldLabels),
    }),
  );

  return router;
}
