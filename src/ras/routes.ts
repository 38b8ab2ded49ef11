import { Router, type Request, type Response } from 'express';
import createHttpError from 'http-errors';
import { NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { impactView } from '../reports/presenters.js';
import type { ReportsService } from '../reports/service.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { penceForInput } from '../web/money-field.js';
import { idParam } from '../web/params.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { clientGroupLabels, clientGroups, type Problem, type RasDefinition } from './definition.js';
import { carerBandsAnchor, DefinitionProblemsError, formErrorsFromProblems, listAnchor, settingsAnchor } from './editing.js';
import {
  adjustmentsFormSchema,
  carerBandsFormSchema,
  domainFormSchema,
  importFormSchema,
  moveFormSchema,
  publishFieldAnchors,
  publishFormSchema,
  settingsFormSchema,
  settingsValuesOf,
  typedBandsFrom,
  typedItemsFrom,
  typedItemsOf,
  versionFormSchema,
  withBlankBand,
  withBlankRows,
  type TypedBand,
  type TypedItem,
} from './schemas.js';
import type { RasService } from './service.js';

type Body = Record<string, unknown>;
type VersionRow = Awaited<ReturnType<RasService['version']>>['row'];

/** Which success banner the version page shows after a redirect; a fixed list, so no typed text is ever reflected. */
const savedMessages: Record<string, string> = {
  created: 'Draft created. Change it below, then model its impact before you publish it.',
  imported: 'Definition imported as a new draft.',
  settings: 'Settings and price points saved.',
  domain: 'Domain saved.',
  domains: 'Domains saved.',
  adjustments: 'Adjustments saved.',
  'carer-bands': 'Carer bands saved.',
  published: 'Published. This is now the current RAS: assessments started from now use it.',
  deleted: 'Draft deleted.',
};

function savedMessage(req: Request): string | undefined {
  const saved = req.query.saved;
  return typeof saved === 'string' && Object.hasOwn(savedMessages, saved) ? savedMessages[saved] : undefined;
}

function versionSummary(row: VersionRow) {
  return { id: row.id, name: row.name, status: row.status, version: row.version };
}

/** The RAS in the admin's words, for the version page and the publish confirmation. */
function definitionView(definition: RasDefinition) {
  const questions = definition.domains.flatMap((domain) => domain.questions);
  return {
    prices: clientGroups.map((group) => ({ group, label: clientGroupLabels[group], pence: definition.pricePoints[group] })),
    domains: definition.domains.map((domain, index) => ({
      number: index + 1,
      key: domain.key,
      title: domain.title,
      questions: domain.questions.length,
      highestPoints: domain.questions.reduce(
        (total, question) => total + Math.max(0, ...question.options.map((option) => option.points)),
        0,
      ),
    })),
    questionCount: questions.length,
    highestScore: questions.reduce((total, question) => total + Math.max(0, ...question.options.map((option) => option.points)), 0),
  };
}

/** "domains[2].questions[0]: message": an import lists every problem with where it is, as `ras validate` does. */
function importErrors(problems: Problem[]): FormErrors {
  const summary = problems.map((problem) => ({
    text: `${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
    href: '#definition',
  }));
  return {
    summary,
    fields: {
      definition: `The definition has ${problems.length} problem${problems.length === 1 ? '' : 's'}, listed at the top of the page`,
    },
  };
}

/**
 * A save that validateDefinition refused re-shows the form with every problem; one that someone
 * else's save beat is the 409 page with what was typed; a rule's refusal goes to `onRule`.
 */
async function handleSaveErrors(
  res: Response,
  error: unknown,
  onProblems: (problems: Problem[]) => void,
  conflict: { typed: Body; backLink: string },
  onRule?: (error: RuleError) => void,
): Promise<void> {
  if (error instanceof DefinitionProblemsError) return onProblems(error.problems);
  if (error instanceof StaleVersionError) {
    res.status(409).render('errors/409', conflict);
    return;
  }
  if (error instanceof RuleError && onRule) return onRule(error);
  throw error;
}

export function rasRoutes(ras: RasService, reports: ReportsService): Router {
  const router = Router();
  // Only admins see or change the RAS. The admin area's own guard covers /admin too; this one
  // keeps the rule true however the routers are mounted.
  router.use('/admin/ras', requireRole('admin'));

  router.get('/admin/ras', async (req, res) => {
    const [versions, published] = await Promise.all([ras.versions(), ras.published()]);
    res.render('ras/versions', { versions, published, saved: savedMessage(req) });
  });

  router.get('/admin/ras/import', (_req, res) => {
    res.render('ras/import', { values: {}, errors: noErrors });
  });

  router.post('/admin/ras/import', async (req, res) => {
    const values = req.body as Body;
    const form = parseForm(importFormSchema, values);
    if (!form.ok) {
      res.status(400).render('ras/import', { values, errors: form.errors });
      return;
    }
    try {
      const id = await ras.importDraft(actorFrom(req), form.data.definition);
      res.redirect(`/admin/ras/${id}?saved=imported`);
    } catch (error) {
      if (!(error instanceof DefinitionProblemsError)) throw error;
      res.status(400).render('ras/import', { values, errors: importErrors(error.problems) });
    }
  });

  router.get('/admin/ras/:id', async (req, res) => {
    const { row, definition } = await ras.version(idParam(req.params.id, 'RAS version'));
    res.render('ras/version', { row, definition, view: definitionView(definition), saved: savedMessage(req) });
  });

  router.post('/admin/ras/:id/copy', async (req, res) => {
    const id = await ras.copyToDraft(actorFrom(req), idParam(req.params.id, 'RAS version'));
    res.redirect(`/admin/ras/${id}?saved=created`);
  });

  router.get('/admin/ras/:id/export', async (req, res) => {
    const { row, definition } = await ras.version(idParam(req.params.id, 'RAS version'));
    const slug =
      row.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'ras';
    res.attachment(`ras-${row.id}-${slug}.json`);
    res.type('application/json').send(`${JSON.stringify(definition, null, 2)}\n`);
  });

  /* ---------- Settings and price points ---------- */

  router.get('/admin/ras/:id/settings', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(idParam(req.params.id, 'RAS version'));
    res.render('ras/settings', {
      version: versionSummary(row),
      values: settingsValuesOf(definition, row.version, penceForInput),
      errors: noErrors,
      clientGroups,
      clientGroupLabels,
    });
  });

  router.post('/admin/ras/:id/settings', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const { row } = await ras.draftToEdit(id);
    const values = req.body as Body;
    const render = (errors: FormErrors) =>
      res.status(400).render('ras/settings', { version: versionSummary(row), values, errors, clientGroups, clientGroupLabels });
    const form = parseForm(settingsFormSchema, values);
    if (!form.ok) return render(form.errors);
    try {
      await ras.saveSettings(actorFrom(req), id, form.data);
      res.redirect(`/admin/ras/${id}?saved=settings`);
    } catch (error) {
      await handleSaveErrors(res, error, (problems) => render(formErrorsFromProblems(problems, settingsAnchor, 'name')), {
        typed: values,
        backLink: `/admin/ras/${id}/settings`,
      });
    }
  });

  /* ---------- Domains, their questions and options ---------- */

  function renderDomain(
    res: Response,
    status: number,
    page: {
      row: VersionRow;
      number: number;
      isNew: boolean;
      values: { key: string; title: string; version: unknown };
      items: TypedItem[];
      errors: FormErrors;
    },
  ) {
    res.status(status).render('ras/domain', { ...page, version: versionSummary(page.row), items: withBlankRows(page.items) });
  }

  /** Domain numbers in URLs count from 1, as the admin sees them; "new" adds one at the end. */
  function domainPosition(param: unknown, definition: RasDefinition): { position: number; isNew: boolean } {
    if (param === 'new') return { position: definition.domains.length, isNew: true };
    const position = idParam(param, 'Domain') - 1;
    if (!definition.domains[position]) throw new NotFoundError('Domain');
    return { position, isNew: false };
  }

  router.get('/admin/ras/:id/domains/:number', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(idParam(req.params.id, 'RAS version'));
    const { position, isNew } = domainPosition(req.params.number, definition);
    const domain = definition.domains[position];
    renderDomain(res, 200, {
      row,
      number: position + 1,
      isNew,
      values: { key: domain?.key ?? '', title: domain?.title ?? '', version: row.version },
      items: typedItemsOf(domain?.questions ?? []),
      errors: noErrors,
    });
  });

  router.post('/admin/ras/:id/domains/:number', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const { row, definition } = await ras.draftToEdit(id);
    const { position, isNew } = domainPosition(req.params.number, definition);
    const body = req.body as Body;
    const page = {
      row,
      number: position + 1,
      isNew,
      values: { key: String(body.key ?? ''), title: String(body.title ?? ''), version: body.version },
      items: typedItemsFrom(body, 'questions', 'points'),
    };
    const form = parseForm(domainFormSchema, body);
    if (!form.ok) return renderDomain(res, 400, { ...page, errors: form.errors });
    try {
      await ras.saveDomain(actorFrom(req), id, position, form.data);
      // A move keeps the admin on the page to carry on; "Save changes" goes back to the whole RAS.
      res.redirect(form.data.action.kind === 'save' ? `/admin/ras/${id}?saved=domain#domains` : `/admin/ras/${id}/domains/${position + 1}`);
    } catch (error) {
      const anchor = listAnchor(['domains', position, 'questions'], form.data.items, 'questions', 'points', { key: 'key', title: 'title' });
      await handleSaveErrors(
        res,
        error,
        (problems) => renderDomain(res, 400, { ...page, errors: formErrorsFromProblems(problems, anchor, 'key') }),
        {
          typed: body,
          backLink: isNew ? `/admin/ras/${id}` : `/admin/ras/${id}/domains/${position + 1}`,
        },
      );
    }
  });

  /** Moving or removing a whole domain, from the version page: a small form per button with nothing else typed. */
  async function changeDomainOrder(req: Request, res: Response, change: (id: number, position: number) => Promise<unknown>) {
    const id = idParam(req.params.id, 'RAS version');
    const position = idParam(req.params.number, 'Domain') - 1;
    try {
      await change(id, position);
      res.redirect(`/admin/ras/${id}?saved=domains#domains`);
    } catch (error) {
      await handleSaveErrors(
        res,
        error,
        async (problems) => {
          // Removing the last domain, say: the version page again, with why it was refused.
          const { row, definition } = await ras.version(id);
          const errors = { summary: problems.map((problem) => ({ text: problem.message, href: '#domains' })), fields: {} };
          res.status(400).render('ras/version', { row, definition, view: definitionView(definition), errors });
        },
        { typed: {}, backLink: `/admin/ras/${id}` },
      );
    }
  }

  router.post('/admin/ras/:id/domains/:number/move', async (req, res) => {
    const form = parseForm(moveFormSchema, req.body);
    if (!form.ok) throw createHttpError(400, 'The form was not one this page sends');
    await changeDomainOrder(req, res, (id, position) =>
      ras.moveDomain(actorFrom(req), id, position, form.data.direction, form.data.version),
    );
  });

  router.post('/admin/ras/:id/domains/:number/remove', async (req, res) => {
    const form = parseForm(versionFormSchema, req.body);
    if (!form.ok) throw createHttpError(400, 'The form was not one this page sends');
    await changeDomainOrder(req, res, (id, position) => ras.removeDomain(actorFrom(req), id, position, form.data.version));
  });

  /* ---------- Adjustments ---------- */

  function renderAdjustments(
    res: Response,
    status: number,
    page: { row: VersionRow; version: unknown; items: TypedItem[]; errors: FormErrors },
  ) {
    res.status(status).render('ras/adjustments', {
      version: versionSummary(page.row),
      formVersion: page.version,
      items: withBlankRows(page.items),
      errors: page.errors,
    });
  }

  router.get('/admin/ras/:id/adjustments', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(idParam(req.params.id, 'RAS version'));
    renderAdjustments(res, 200, { row, version: row.version, items: typedItemsOf(definition.adjustments), errors: noErrors });
  });

  router.post('/admin/ras/:id/adjustments', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const { row } = await ras.draftToEdit(id);
    const body = req.body as Body;
    const page = { row, version: body.version, items: typedItemsFrom(body, 'adjustments', 'percent') };
    const form = parseForm(adjustmentsFormSchema, body);
    if (!form.ok) return renderAdjustments(res, 400, { ...page, errors: form.errors });
    try {
      await ras.saveAdjustments(actorFrom(req), id, form.data);
      res.redirect(form.data.action.kind === 'save' ? `/admin/ras/${id}?saved=adjustments#adjustments` : `/admin/ras/${id}/adjustments`);
    } catch (error) {
      const anchor = listAnchor(['adjustments'], form.data.items, 'adjustments', 'percent');
      await handleSaveErrors(
        res,
        error,
        (problems) => renderAdjustments(res, 400, { ...page, errors: formErrorsFromProblems(problems, anchor, 'adjustments-0-key') }),
        {
          typed: body,
          backLink: `/admin/ras/${id}/adjustments`,
        },
      );
    }
  });

  /* ---------- Carer bands ---------- */

  function renderBands(res: Response, status: number, page: { row: VersionRow; version: unknown; bands: TypedBand[]; errors: FormErrors }) {
    res.status(status).render('ras/carer-bands', {
      version: versionSummary(page.row),
      formVersion: page.version,
      bands: withBlankBand(page.bands),
      errors: page.errors,
    });
  }

  router.get('/admin/ras/:id/carer-bands', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(idParam(req.params.id, 'RAS version'));
    const bands = definition.carerBands.map((band) => ({
      minPoints: String(band.minPoints),
      maxPoints: String(band.maxPoints),
      annual: penceForInput(band.annualPence),
      remove: false,
    }));
    renderBands(res, 200, { row, version: row.version, bands, errors: noErrors });
  });

  router.post('/admin/ras/:id/carer-bands', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const { row } = await ras.draftToEdit(id);
    const body = req.body as Body;
    const page = { row, version: body.version, bands: typedBandsFrom(body) };
    const form = parseForm(carerBandsFormSchema, body);
    if (!form.ok) return renderBands(res, 400, { ...page, errors: form.errors });
    try {
      await ras.saveCarerBands(actorFrom(req), id, form.data);
      res.redirect(`/admin/ras/${id}?saved=carer-bands#carer-bands`);
    } catch (error) {
      await handleSaveErrors(
        res,
        error,
        (problems) =>
          renderBands(res, 400, {
            ...page,
            errors: formErrorsFromProblems(problems, carerBandsAnchor(form.data.bands), 'bands-0-minPoints'),
          }),
        { typed: body, backLink: `/admin/ras/${id}/carer-bands` },
      );
    }
  });

  /* ---------- Impact, publish, delete ---------- */

  router.get('/admin/ras/:id/impact', async (req, res) => {
    const report = await reports.impact(idParam(req.params.id, 'RAS version'));
    res.render('ras/impact', { impact: impactView(report) });
  });

  router.get('/admin/ras/:id/impact.csv', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const { row } = await ras.version(id);
    res.attachment(`ras-${row.id}-impact.csv`);
    res.type('text/csv; charset=utf-8');
    // A byte order mark, so a spreadsheet opens the £ signs in the headings as UTF-8.
    res.write('\uFEFF');
    await reports.writeImpactCsv(id, (chunk) =>
      res.write(chunk) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', () => resolve())),
    );
    res.end();
  });

  /** The confirmation shows what is being published and its impact, so nobody publishes blind. */
  async function renderPublish(res: Response, status: number, id: number, typed: Body | undefined, errors: FormErrors) {
    const { row, definition } = await ras.draftToEdit(id);
    const impact = impactView(await reports.impact(id));
    const values = typed ?? { version: String(row.version) };
    res.status(status).render('ras/publish', { row, definition, view: definitionView(definition), impact, values, errors });
  }

  router.get('/admin/ras/:id/publish', (req, res) => renderPublish(res, 200, idParam(req.params.id, 'RAS version'), undefined, noErrors));

  router.post('/admin/ras/:id/publish', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const values = req.body as Body;
    const form = parseForm(publishFormSchema(), values, publishFieldAnchors);
    if (!form.ok) return renderPublish(res, 400, id, values, form.errors);
    try {
      await ras.publish(actorFrom(req), id, form.data);
      res.redirect(`/admin/ras/${id}?saved=published`);
    } catch (error) {
      await handleSaveErrors(
        res,
        error,
        (problems) =>
          renderPublish(res, 400, id, values, {
            summary: problems.map((problem) => ({ text: problem.message, href: '#effectiveFrom-day' })),
            fields: {},
          }),
        { typed: values, backLink: `/admin/ras/${id}/publish` },
        (rule) => renderPublish(res, 400, id, values, singleError(rule.field ?? 'effectiveFrom', rule.message, 'effectiveFrom-day')),
      );
    }
  });

  router.get('/admin/ras/:id/delete', async (req, res) => {
    const { row } = await ras.draftToEdit(idParam(req.params.id, 'RAS version'));
    res.render('ras/delete', { row });
  });

  router.post('/admin/ras/:id/delete', async (req, res) => {
    const id = idParam(req.params.id, 'RAS version');
    const form = parseForm(versionFormSchema, req.body);
    if (!form.ok) {
      res.redirect(`/admin/ras/${id}/delete`);
      return;
    }
    try {
      await ras.deleteDraft(actorFrom(req), id, form.data.version);
      res.redirect('/admin/ras?saved=deleted');
    } catch (error) {
      await handleSaveErrors(res, error, () => undefined, { typed: {}, backLink: `/admin/ras/${id}` });
    }
  });

  return router;
}
