import { Router, type Request, type Response } from 'express';
import { NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { eligibilityOutcomes, unableReasons } from './eligibility.js';
import type { RecordedEligibility } from './questionnaire.js';
import { eligibilityFormSchema, pageQuerySchema, questionsFormSchema, saveActionSchema, submitSchema } from './schemas.js';
import type { AssessmentsService, QuestionsSection } from './service.js';
import { eligibilityConflictRows, questionConflictRows } from './summary.js';

type Body = Record<string, unknown>;

function bodyOf(req: Request): Body {
  return (req.body ?? {}) as Body;
}

/** What was posted, to put back in the form on a 400: the user's choices are never thrown away. */
function postedObject(body: Body, field: string): Record<string, unknown> {
  const value = body[field];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function postedVersion(body: Body, fallback: number): string {
  return typeof body.version === 'string' ? body.version : String(fallback);
}

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
  const toResult = (res: Response, id: number) => res.redirect(`/assessments/${id}/result`);

  router.post('/people/:id/assessments', editors, async (req, res) => {
    const personId = idParam(req.params.id, 'Person');
    try {
      const { assessment } = await assessments.start(actorFrom(req), personId);
      res.redirect(`/assessments/${assessment.id}`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      res.status(400).render('assessments/cannot-start', { reason: error.message, personId });
    }
  });

  router.get('/assessments/:id', editors, async (req, res) => {
    const page = await assessments.taskList(currentUser(req), assessmentId(req));
    if (page.status !== 'draft') {
      toResult(res, page.assessmentId);
      return;
    }
    const query = pageQuerySchema.parse(req.query);
    res.render('assessments/task-list', { ...page, saved: query.saved === 'later' });
  });

  // A RAS domain page and the adjustments page are the same form: radios for each question.
  const questionsPages: [string, (req: Request) => QuestionsSection][] = [
    ['/assessments/:id/domains/:domainKey', (req) => ({ kind: 'domain', key: String(req.params.domainKey) })],
    ['/assessments/:id/adjustments', () => ({ kind: 'adjustments' })],
  ];
  for (const [path, sectionOf] of questionsPages) {
    router.get(path, editors, async (req, res) => {
      const page = await assessments.questionsPage(currentUser(req), assessmentId(req), sectionOf(req));
      if (page.status !== 'draft') {
        toResult(res, page.assessmentId);
        return;
      }
      const { returnTo } = pageQuerySchema.parse(req.query);
      res.render('assessments/questions', { ...page, values: page.answers, formVersion: String(page.version), errors: noErrors, returnTo });
    });

    router.post(path, editors, async (req, res) => {
      const id = assessmentId(req);
      const section = sectionOf(req);
      const body = bodyOf(req);
      const page = await assessments.questionsPage(currentUser(req), id, section);
      if (page.status !== 'draft') {
        res.status(409).render('assessments/conflict', { ...page, rows: [], againPath: page.section.path });
        return;
      }
      const { action } = saveActionSchema.parse(body);
      const renderForm = (errors: FormErrors) =>
        res.status(400).render('assessments/questions', {
          ...page,
          values: postedObject(body, 'answers'),
          formVersion: postedVersion(body, page.version),
          errors,
          returnTo: pageQuerySchema.parse(body).returnTo,
        });
      const form = parseForm(questionsFormSchema(page.questions, action === 'continue'), body);
      if (!form.ok) {
        renderForm(form.errors);
        return;
      }
      try {
        const { nextPath } = await assessments.saveQuestions(actorFrom(req), id, section, form.data.answers, form.data.version);
        res.redirect(afterSave(id, form.data, nextPath));
      } catch (error) {
        if (error instanceof StaleVersionError) {
          const latest = await assessments.questionsPage(currentUser(req), id, section);
          res.status(409).render('assessments/conflict', {
            ...latest,
            rows: questionConflictRows(latest.questions, latest.answers, form.data.answers),
            againPath: latest.section.path,
          });
          return;
        }
        if (!(error instanceof RuleError)) throw error;
        renderForm(singleError(error.field ?? 'form', error.message, (error.field ?? 'form').replaceAll('.', '-')));
      }
    });
  }

  router.get('/assessments/:id/eligibility', editors, async (req, res) => {
    const page = await assessments.eligibilityPage(currentUser(req), assessmentId(req));
    if (page.status !== 'draft') {
      toResult(res, page.assessmentId);
      return;
    }
    const { returnTo } = pageQuerySchema.parse(req.query);
    res.render('assessments/eligibility', {
      ...page,
      values: valuesFromFacts(page.facts),
      formVersion: String(page.version),
      errors: noErrors,
      returnTo,
      eligibilityOutcomes,
      unableReasons,
    });
  });

  router.post('/assessments/:id/eligibility', editors, async (req, res) => {
    const id = assessmentId(req);
    const body = bodyOf(req);
    const page = await assessments.eligibilityPage(currentUser(req), id);
    if (page.status !== 'draft') {
      res.status(409).render('assessments/conflict', { ...page, rows: [], againPath: page.section.path });
      return;
    }
    const { action } = saveActionSchema.parse(body);
    const form = parseForm(eligibilityFormSchema(action === 'continue'), body);
    if (!form.ok) {
      res.status(400).render('assessments/eligibility', {
        ...page,
        values: body,
        formVersion: postedVersion(body, page.version),
        errors: form.errors,
        returnTo: pageQuerySchema.parse(body).returnTo,
        eligibilityOutcomes,
        unableReasons,
      });
      return;
    }
    try {
      const { nextPath } = await assessments.saveEligibility(actorFrom(req), id, form.data.facts, form.data.version);
      res.redirect(afterSave(id, form.data, nextPath));
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      const latest = await assessments.eligibilityPage(currentUser(req), id);
      res.status(409).render('assessments/conflict', {
        ...latest,
        rows: eligibilityConflictRows(latest.facts, form.data.facts),
        againPath: latest.section.path,
      });
    }
  });

  router.get('/assessments/:id/check-answers', editors, async (req, res) => {
    const page = await assessments.checkAnswersPage(currentUser(req), assessmentId(req));
    if (page.status !== 'draft') {
      toResult(res, page.assessmentId);
      return;
    }
    if (page.incomplete.length > 0) {
      res.redirect(page.taskListPath);
      return;
    }
    res.render('assessments/check-answers', { ...page, errors: noErrors });
  });

  router.post('/assessments/:id/submit', editors, async (req, res) => {
    const id = assessmentId(req);
    const form = parseForm(submitSchema, bodyOf(req));
    const renderCheckAnswers = async (
      status: number,
      errors: (page: Awaited<ReturnType<AssessmentsService['checkAnswersPage']>>) => FormErrors,
    ) => {
      const page = await assessments.checkAnswersPage(currentUser(req), id);
      res.status(status).render('assessments/check-answers', { ...page, errors: errors(page) });
    };
    if (!form.ok) {
      await renderCheckAnswers(400, () => form.errors);
      return;
    }
    try {
      const submitted = await assessments.submit(actorFrom(req), id, form.data.version);
      toResult(res, submitted.id);
    } catch (error) {
      if (error instanceof StaleVersionError) {
        const latest = await assessments.checkAnswersPage(currentUser(req), id);
        res.status(409).render('assessments/conflict', { ...latest, rows: [], againPath: `/assessments/${id}/check-answers` });
        return;
      }
      if (!(error instanceof RuleError)) throw error;
      await renderCheckAnswers(400, (page) => ({ summary: page.incomplete, fields: { form: error.message } }));
    }
  });

  // Read-only: every role that may see the person may read the result and its explanation.
  for (const [path, view] of [
    ['/assessments/:id/result', 'assessments/result'],
    ['/assessments/:id/explanation', 'assessments/explanation'],
  ] as const) {
    router.get(path, async (req, res) => {
      const page = await assessments.resultPage(currentUser(req), assessmentId(req));
      if (page.kind === 'draft') {
        if (!page.canEdit) throw new NotFoundError('Result');
        res.redirect(`/assessments/${page.assessmentId}`);
        return;
      }
      res.render(view, page);
    });
  }

  return router;
}

/** The eligibility form's fields, filled from what is saved (the same names the browser posts). */
function valuesFromFacts(facts: RecordedEligibility): Body {
  const yesNo = (value: boolean | undefined) => (value === undefined ? undefined : value ? 'yes' : 'no');
  return {
    arisesFromImpairment: yesNo(facts.arisesFromImpairment),
    significantImpact: yesNo(facts.significantImpactOnWellbeing),
    outcomes: Object.fromEntries(
      Object.entries(facts.outcomes).map(([key, finding]) => [
        key,
        { achieved: yesNo(finding?.achieved), reasons: finding?.reasons ?? [] },
      ]),
    ),
  };
}
