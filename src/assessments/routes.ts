import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Actor } from '../auth/roles.js';
import { NotFoundError, RuleError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import type { ConflictView } from '../web/conflict.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors } from '../web/validation.js';
import {
  alreadySubmitted,
  checkAnswersView,
  eligibilityConflict,
  eligibilityFormValues,
  eligibilityView,
  explanationView,
  questionsConflict,
  questionsView,
  resultView,
  unableReasonsConflict,
  unableReasonsFormValues,
  unableReasonsView,
  submitConflict,
  taskListView,
  type FormState,
} from './presenters.js';
import type { Assessment } from './repo.js';
import {
  eligibilityFormSchema,
  pageQuerySchema,
  unableReasonsFormSchema,
  questionsFormSchema,
  saveActionSchema,
  submitSchema,
} from './schemas.js';
import type { AssessmentsService, EligibilityPage, QuestionsSection } from './service.js';
import { unachievedOutcomes } from './questionnaire.js';

/** "Save and come back later" leaves for the task list; a Change link returns to check answers; otherwise on to the next section. */
function afterSave(id: number, form: { action: 'continue' | 'later'; returnTo?: 'check-answers' | undefined }, nextPath: string): string {
  if (form.action === 'later') return `/assessments/${id}?saved=later`;
  if (form.returnTo === 'check-answers') return `/assessments/${id}/check-answers`;
  return nextPath;
}

export function assessmentRoutes(assessments: AssessmentsService): Router {
  const router = Router();
  const editors = requireRole('care_manager', 'team_manager');
  const assessmentId = (req: Request) => idParam(req.params.id, 'Assessment');
  const toResult = (res: Response, assessment: Pick<Assessment, 'id'>) => res.redirect(`/assessments/${assessment.id}/result`);
  /** Once submitted, an assessment's answers never change: a form opened before that is refused with the reason. */
  const refuseSubmitted = (res: Response, assessment: Pick<Assessment, 'id'>) =>
    res.status(409).render('errors/409', alreadySubmitted(assessment));
  const returnToOf = (values: unknown) => pageQuerySchema.parse(values).returnTo;

  router.post('/people/:id/assessments', editors, async (req, res) => {
    const personId = idParam(req.params.id, 'Person');
    try {
      const { assessment } = await assessments.start(actorFrom(req), personId);
      res.redirect(`/assessments/${assessment.id}`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      res.status(400).render('assessments/cannot-start', { reason: error.message, personHref: `/people/${personId}` });
    }
  });

  router.get('/assessments/:id', editors, async (req, res) => {
    const page = await assessments.taskList(currentUser(req), assessmentId(req));
    if (page.assessment.status !== 'draft') {
      toResult(res, page.assessment);
      return;
    }
    res.render('assessments/task-list', taskListView(page, { saved: pageQuerySchema.parse(req.query).saved === 'later' }));
  });

  // A RAS domain page and the adjustments page are the same form: radios for each question.
  const questionsPages: [string, (req: Request) => QuestionsSection][] = [
    ['/assessments/:id/domains/:domainKey', (req) => ({ kind: 'domain', key: String(req.params.domainKey) })],
    ['/assessments/:id/adjustments', () => ({ kind: 'adjustments' })],
  ];
  for (const [path, sectionOf] of questionsPages) {
    router.get(path, editors, async (req, res) => {
      const page = await assessments.questionsPage(currentUser(req), assessmentId(req), sectionOf(req));
      if (page.assessment.status !== 'draft') {
        toResult(res, page.assessment);
        return;
      }
      res.render(
        'assessments/questions',
        questionsView(page, { values: { answers: page.answers }, errors: noErrors, returnTo: returnToOf(req.query) }),
      );
    });

    router.post(path, editors, async (req, res, next) => {
      const id = assessmentId(req);
      const section = sectionOf(req);
      const page = await assessments.questionsPage(currentUser(req), id, section);
      if (page.assessment.status !== 'draft') {
        refuseSubmitted(res, page.assessment);
        return;
      }
      // "Save and come back later" keeps what has been chosen so far, so only "Save and continue" needs every answer.
      const { action } = saveActionSchema.parse(req.body ?? {});
      const take = takeForm({
        schema: questionsFormSchema(page.questions, action === 'continue'),
        anchors: Object.fromEntries(page.questions.map((question) => [`answers.${question.key}`, `answers-${question.key}`])),
        showForm: (_req, res, state) =>
          res.status(state.status).render('assessments/questions', questionsView(page, { ...state, returnTo: returnToOf(state.values) })),
        save: async (req, data) => {
          const { nextPath } = await assessments.saveQuestions(actorFrom(req), id, section, data.answers, data.version);
          return afterSave(id, data, nextPath);
        },
        done: (_req, res, next) => res.redirect(next),
        conflict: async (req) =>
          questionsConflict(await assessments.questionsPage(currentUser(req), id, section), req.body as Record<string, unknown>),
      });
      await take(req, res, next);
    });
  }

  /**
   * The two eligibility pages (whether each outcome is achieved, then why not) are one kind of
   * form: shown while the assessment is a draft, saved with "Save and continue" checking every
   * answer and "Save and come back later" keeping what is there.
   */
  function eligibilityForm<S extends z.ZodType<{ version: number; action: 'continue' | 'later'; returnTo?: 'check-answers' | undefined }>>(
    path: string,
    template: string,
    form: {
      view: (page: EligibilityPage, state: FormState) => object;
      values: (page: EligibilityPage) => Record<string, unknown>;
      /** Why the page has nothing to ask, sending the user to the page that has. */
      nothingToAsk?: (page: EligibilityPage) => boolean;
      schema: (page: EligibilityPage, requireAll: boolean) => S;
      save: (actor: Actor, id: number, data: z.output<S>) => Promise<{ nextPath: string }>;
      conflict: (latest: EligibilityPage, typed: Record<string, unknown>) => ConflictView;
    },
  ) {
    router.get(path, editors, async (req, res) => {
      const page = await assessments.eligibilityPage(currentUser(req), assessmentId(req));
      if (page.assessment.status !== 'draft') {
        toResult(res, page.assessment);
        return;
      }
      if (form.nothingToAsk?.(page)) {
        res.redirect(page.section.path);
        return;
      }
      res.render(template, form.view(page, { values: form.values(page), errors: noErrors, returnTo: returnToOf(req.query) }));
    });

    router.post(path, editors, async (req, res, next) => {
      const id = assessmentId(req);
      const page = await assessments.eligibilityPage(currentUser(req), id);
      if (page.assessment.status !== 'draft') {
        refuseSubmitted(res, page.assessment);
        return;
      }
      const { action } = saveActionSchema.parse(req.body ?? {});
      await takeForm({
        schema: form.schema(page, action === 'continue'),
        showForm: (_req, res, state) =>
          res.status(state.status).render(template, form.view(page, { ...state, returnTo: returnToOf(state.values) })),
        save: async (req, data) => afterSave(id, data, (await form.save(actorFrom(req), id, data)).nextPath),
        done: (_req, res, next) => res.redirect(next),
        conflict: async (req) =>
          form.conflict(await assessments.eligibilityPage(currentUser(req), id), req.body as Record<string, unknown>),
      })(req, res, next);
    });
  }

  eligibilityForm('/assessments/:id/eligibility', 'assessments/eligibility', {
    view: eligibilityView,
    values: (page) => eligibilityFormValues(page.facts),
    schema: (_page, requireAll) => eligibilityFormSchema(requireAll),
    save: (actor, id, data) => assessments.saveEligibility(actor, id, data.facts, data.version),
    conflict: eligibilityConflict,
  });

  eligibilityForm('/assessments/:id/eligibility/reasons', 'assessments/unable-reasons', {
    view: unableReasonsView,
    values: (page) => unableReasonsFormValues(page.facts),
    // With every outcome achieved there is nothing to ask why about.
    nothingToAsk: (page) => unachievedOutcomes(page.facts).length === 0,
    schema: (page, requireAll) => unableReasonsFormSchema(unachievedOutcomes(page.facts), requireAll),
    save: (actor, id, data) => assessments.saveUnableReasons(actor, id, data.reasons, data.version),
    conflict: unableReasonsConflict,
  });

  router.get('/assessments/:id/check-answers', editors, async (req, res) => {
    const page = await assessments.checkAnswersPage(currentUser(req), assessmentId(req));
    if (page.assessment.status !== 'draft') {
      toResult(res, page.assessment);
      return;
    }
    if (page.incomplete.length > 0) {
      res.redirect(`/assessments/${page.assessment.id}`);
      return;
    }
    res.render('assessments/check-answers', checkAnswersView(page, noErrors));
  });

  router.post(
    '/assessments/:id/submit',
    editors,
    takeForm({
      schema: submitSchema,
      showForm: async (req, res, state) => {
        const page = await assessments.checkAnswersPage(currentUser(req), assessmentId(req));
        res.status(state.status).render('assessments/check-answers', checkAnswersView(page, state.errors));
      },
      save: (req, data) => assessments.submit(actorFrom(req), assessmentId(req), data.version),
      done: (_req, res, submitted) => toResult(res, submitted),
      conflict: async (req) => submitConflict(await assessments.checkAnswersPage(currentUser(req), assessmentId(req))),
    }),
  );

  // Read-only: every role that may see the person may read the result and its explanation.
  for (const [path, view, viewModel] of [
    ['/assessments/:id/result', 'assessments/result', resultView],
    ['/assessments/:id/explanation', 'assessments/explanation', explanationView],
  ] as const) {
    router.get(path, async (req, res) => {
      const page =
        view === 'assessments/explanation'
          ? await assessments.explanationPage(actorFrom(req), assessmentId(req))
          : await assessments.resultPage(currentUser(req), assessmentId(req));
      if (page.kind === 'draft') {
        if (!page.canEdit) throw new NotFoundError('Result');
        res.redirect(`/assessments/${page.assessment.id}`);
        return;
      }
      res.render(view, viewModel(page));
    });
  }

  return router;
}
