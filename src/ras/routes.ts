import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';
import { impactCsvHeader, impactCsvLines, impactView } from '../reports/presenters.js';
import type { ReportsService } from '../reports/service.js';
import { actorFrom, requireRole } from '../web/auth-guards.js';
import { conflictView, type FieldLabels } from '../web/conflict.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { penceForInput } from '../web/money-field.js';
import { idParam } from '../web/params.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import type { Problem, RasDefinition } from './definition.js';
import { DefinitionProblemsError } from './editing.js';
import {
  adjustmentsConflict,
  adjustmentsFormView,
  carerBandsAnchor,
  carerBandsConflict,
  carerBandsFormView,
  deleteView,
  domainConflict,
  domainFormView,
  effectiveDateTooEarlyErrors,
  formErrorsFromProblems,
  importErrors,
  importFieldLabels,
  listAnchor,
  problemsAt,
  publishFieldLabels,
  publishView,
  settingsAnchor,
  settingsConflict,
  settingsFormView,
  versionPageView,
  versionPath,
  versionsView,
} from './presenters.js';
import type { RasVersionListing } from './repo.js';
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
} from './schemas.js';
import { EffectiveDateTooEarlyError, type RasService } from './service.js';

type Body = Record<string, unknown>;

/** validateDefinition refused the save: the form again with every problem, each at the field that caused it. */
function problemsOn(toErrors: (req: Request, problems: Problem[]) => FormErrors) {
  return (req: Request, error: unknown) => (error instanceof DefinitionProblemsError ? toErrors(req, error.problems) : undefined);
}

export function rasRoutes(ras: RasService, reports: ReportsService, clock: Clock): Router {
  const router = Router();
  // Only admins see or change the RAS. The admin area's own guard covers /admin too; this one
  // keeps the rule true however the routers are mounted.
  router.use('/admin/ras', requireRole('admin'));
  const versionId = (req: Request) => idParam(req.params.id, 'RAS version');

  /** Someone else saved the draft first: what this admin typed, by the form's labels, beside what is saved now. */
  async function draftConflict(
    req: Request,
    conflictOf: (definition: RasDefinition, version: RasVersionListing) => { fields: FieldLabels; savedNow?: Record<string, unknown> },
    latest: string,
  ) {
    const { row, definition } = await ras.version(versionId(req));
    return conflictView({
      recordName: `the draft ‘${row.name}’`,
      typed: req.body as Body,
      latest: { href: latest, text: 'Open the latest version' },
      ...conflictOf(definition, row),
    });
  }

  const showVersionPage: ShowForm = async (req, res, state) => {
    const { row, definition } = await ras.version(versionId(req));
    res.status(state.status).render('ras/version', versionPageView({ version: row, definition, errors: state.errors }));
  };

  router.get('/admin/ras', async (req, res) => {
    const [versions, published] = await Promise.all([ras.versions(), ras.published()]);
    res.render('ras/versions', versionsView({ versions, published, saved: req.query.saved }));
  });

  router.get('/admin/ras/import', (_req, res) => {
    res.render('ras/import', { values: {}, errors: noErrors });
  });

  router.post(
    '/admin/ras/import',
    takeForm({
      schema: importFormSchema,
      showForm: (_req, res, state) => res.status(state.status).render('ras/import', state),
      save: (req, data) => ras.importDraft(actorFrom(req), data.definition),
      done: (_req, res, id) => res.redirect(`${versionPath(id)}?saved=imported`),
      // An import only ever adds a draft, so nobody's save can come first; the 409 is there for completeness.
      conflict: (req) =>
        conflictView({
          recordName: 'the RAS versions',
          fields: importFieldLabels,
          typed: req.body as Body,
          latest: { href: '/admin/ras', text: 'See the RAS versions' },
        }),
      refused: problemsOn((_req, problems) => importErrors(problems)),
    }),
  );

  router.get('/admin/ras/:id', async (req, res) => {
    const { row, definition } = await ras.version(versionId(req));
    res.render('ras/version', versionPageView({ version: row, definition, saved: req.query.saved }));
  });

  router.post('/admin/ras/:id/copy', async (req, res) => {
    const id = await ras.copyToDraft(actorFrom(req), versionId(req));
    res.redirect(`${versionPath(id)}?saved=created`);
  });

  router.get('/admin/ras/:id/export', async (req, res) => {
    const { row, definition } = await ras.version(versionId(req));
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
    const { row, definition } = await ras.draftToEdit(versionId(req));
    res.render(
      'ras/settings',
      settingsFormView(row, { values: settingsValuesOf(definition, row.version, penceForInput), errors: noErrors }),
    );
  });

  router.post(
    '/admin/ras/:id/settings',
    takeForm({
      schema: settingsFormSchema,
      showForm: async (req, res, state) => {
        const { row } = await ras.draftToEdit(versionId(req));
        res.status(state.status).render('ras/settings', settingsFormView(row, state));
      },
      save: (req, data) => ras.saveSettings(actorFrom(req), versionId(req), data),
      done: (req, res) => res.redirect(`${versionPath(versionId(req))}?saved=settings`),
      conflict: (req) =>
        draftConflict(req, (definition, row) => settingsConflict(definition, row.version), `${versionPath(versionId(req))}/settings`),
      refused: problemsOn((_req, problems) => formErrorsFromProblems(problems, settingsAnchor, 'name')),
    }),
  );

  /* ---------- Domains, their questions and options ---------- */

  /** Domain numbers in URLs count from 1, as the admin sees them; "new" adds one at the end. */
  function domainPosition(param: unknown, definition: RasDefinition): { position: number; isNew: boolean } {
    if (param === 'new') return { position: definition.domains.length, isNew: true };
    const position = idParam(param, 'Domain') - 1;
    if (!definition.domains[position]) throw new NotFoundError('Domain');
    return { position, isNew: false };
  }

  router.get('/admin/ras/:id/domains/:number', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(versionId(req));
    const { position, isNew } = domainPosition(req.params.number, definition);
    const domain = definition.domains[position];
    res.render(
      'ras/domain',
      domainFormView(row, {
        number: position + 1,
        isNew,
        values: { key: domain?.key ?? '', title: domain?.title ?? '', version: row.version },
        items: typedItemsOf(domain?.questions ?? []),
        errors: noErrors,
      }),
    );
  });

  router.post('/admin/ras/:id/domains/:number', async (req, res, next) => {
    const id = versionId(req);
    const { row, definition } = await ras.draftToEdit(id);
    const { position, isNew } = domainPosition(req.params.number, definition);
    const base = versionPath(id);
    const take = takeForm({
      schema: domainFormSchema,
      showForm: (_req, res, state) => {
        const body = state.values;
        res.status(state.status).render(
          'ras/domain',
          domainFormView(row, {
            number: position + 1,
            isNew,
            values: { key: String(body.key ?? ''), title: String(body.title ?? ''), version: body.version },
            items: typedItemsFrom(body, 'questions', 'points'),
            errors: state.errors,
          }),
        );
      },
      save: async (req, data) => {
        await ras.saveDomain(actorFrom(req), id, position, data);
        return data.action;
      },
      // A move keeps the admin on the page to carry on; "Save changes" goes back to the whole RAS.
      done: (_req, res, action) =>
        res.redirect(action.kind === 'save' ? `${base}?saved=domain#domains` : `${base}/domains/${position + 1}`),
      conflict: (req) =>
        draftConflict(
          req,
          (latest) => domainConflict(req.body as Body, isNew ? undefined : latest.domains[position]),
          isNew ? base : `${base}/domains/${position + 1}`,
        ),
      refused: problemsOn((req, problems) => {
        const { items } = domainFormSchema.parse(req.body);
        const anchor = listAnchor(['domains', position, 'questions'], items, 'questions', 'points', { key: 'key', title: 'title' });
        return formErrorsFromProblems(problems, anchor, 'key');
      }),
    });
    await take(req, res, next);
  });

  /** Moving or removing a whole domain, from the version page: a small form per button with nothing else typed. */
  const domainOrderForm = {
    showForm: showVersionPage,
    done: (req: Request, res: Response) => res.redirect(`${versionPath(versionId(req))}?saved=domains#domains`),
    conflict: (req: Request) => draftConflict(req, () => ({ fields: {} }), versionPath(versionId(req))),
    // Removing the last domain, say: the version page again, with why it was refused.
    refused: problemsOn((_req, problems) => problemsAt(problems, 'domains')),
  };
  const domainPositionOf = (req: Request) => idParam(req.params.number, 'Domain') - 1;

  router.post(
    '/admin/ras/:id/domains/:number/move',
    takeForm({
      ...domainOrderForm,
      schema: moveFormSchema,
      save: (req, data) => ras.moveDomain(actorFrom(req), versionId(req), domainPositionOf(req), data.direction, data.version),
    }),
  );

  router.post(
    '/admin/ras/:id/domains/:number/remove',
    takeForm({
      ...domainOrderForm,
      schema: versionFormSchema,
      save: (req, data) => ras.removeDomain(actorFrom(req), versionId(req), domainPositionOf(req), data.version),
    }),
  );

  /* ---------- Adjustments ---------- */

  router.get('/admin/ras/:id/adjustments', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(versionId(req));
    res.render(
      'ras/adjustments',
      adjustmentsFormView(row, { version: row.version, items: typedItemsOf(definition.adjustments), errors: noErrors }),
    );
  });

  router.post(
    '/admin/ras/:id/adjustments',
    takeForm({
      schema: adjustmentsFormSchema,
      showForm: async (req, res, state) => {
        const { row } = await ras.draftToEdit(versionId(req));
        const items = typedItemsFrom(state.values, 'adjustments', 'percent');
        res
          .status(state.status)
          .render('ras/adjustments', adjustmentsFormView(row, { version: state.values.version, items, errors: state.errors }));
      },
      save: async (req, data) => {
        await ras.saveAdjustments(actorFrom(req), versionId(req), data);
        return data.action;
      },
      done: (req, res, action) => {
        const base = versionPath(versionId(req));
        res.redirect(action.kind === 'save' ? `${base}?saved=adjustments#adjustments` : `${base}/adjustments`);
      },
      conflict: (req) =>
        draftConflict(req, (definition) => adjustmentsConflict(req.body as Body, definition), `${versionPath(versionId(req))}/adjustments`),
      refused: problemsOn((req, problems) => {
        const anchor = listAnchor(['adjustments'], adjustmentsFormSchema.parse(req.body).items, 'adjustments', 'percent');
        return formErrorsFromProblems(problems, anchor, 'adjustments-0-key');
      }),
    }),
  );

  /* ---------- Carer bands ---------- */

  router.get('/admin/ras/:id/carer-bands', async (req, res) => {
    const { row, definition } = await ras.draftToEdit(versionId(req));
    const bands = definition.carerBands.map((band) => ({
      minPoints: String(band.minPoints),
      maxPoints: String(band.maxPoints),
      annual: penceForInput(band.annualPence),
      remove: false,
    }));
    res.render('ras/carer-bands', carerBandsFormView(row, { version: row.version, bands, errors: noErrors }));
  });

  router.post(
    '/admin/ras/:id/carer-bands',
    takeForm({
      schema: carerBandsFormSchema,
      showForm: async (req, res, state) => {
        const { row } = await ras.draftToEdit(versionId(req));
        const bands = typedBandsFrom(state.values);
        res
          .status(state.status)
          .render('ras/carer-bands', carerBandsFormView(row, { version: state.values.version, bands, errors: state.errors }));
      },
      save: (req, data) => ras.saveCarerBands(actorFrom(req), versionId(req), data),
      done: (req, res) => res.redirect(`${versionPath(versionId(req))}?saved=carer-bands#carer-bands`),
      conflict: (req) =>
        draftConflict(req, (definition) => carerBandsConflict(req.body as Body, definition), `${versionPath(versionId(req))}/carer-bands`),
      refused: problemsOn((req, problems) =>
        formErrorsFromProblems(problems, carerBandsAnchor(carerBandsFormSchema.parse(req.body).bands), 'bands-0-minPoints'),
      ),
    }),
  );

  /* ---------- Impact, publish, delete ---------- */

  router.get('/admin/ras/:id/impact', async (req, res) => {
    const report = await reports.impact(versionId(req));
    res.render('ras/impact', { impact: impactView(report) });
  });

  router.get('/admin/ras/:id/impact.csv', async (req, res) => {
    const id = versionId(req);
    const { row } = await ras.version(id);
    const { teams, batches } = await reports.rescoredPeople(actorFrom(req), id);
    res.attachment(`ras-${row.id}-impact.csv`);
    res.type('text/csv; charset=utf-8');
    async function* lines() {
      // A byte order mark, so a spreadsheet opens the £ signs in the headings as UTF-8.
      yield `\uFEFF${impactCsvHeader}`;
      for await (const batch of batches) yield impactCsvLines(batch, teams);
    }
    // The pipeline reads a batch only when the browser has taken the last, and stops reading (which
    // closes the database cursor and its transaction) when the browser goes away part-way.
    await pipeline(Readable.from(lines()), res).catch((error: unknown) => {
      if (!res.destroyed) throw error;
    });
  });

  /** The confirmation shows what is being published and its impact, so nobody publishes blind. */
  const showPublish: ShowForm = async (req, res, state) => {
    const id = versionId(req);
    const { row, definition } = await ras.draftToEdit(id);
    const impact = impactView(await reports.impact(id));
    res.status(state.status).render('ras/publish', publishView(row, definition, impact, state));
  };

  router.get('/admin/ras/:id/publish', async (req, res) => {
    const { row } = await ras.draftToEdit(versionId(req));
    await showPublish(req, res, { status: 200, values: { version: String(row.version) }, errors: noErrors });
  });

  router.post(
    '/admin/ras/:id/publish',
    takeForm({
      schema: () => publishFormSchema(londonToday(clock)),
      anchors: publishFieldAnchors,
      showForm: showPublish,
      save: (req, data) => ras.publish(actorFrom(req), versionId(req), data),
      done: (req, res) => res.redirect(`${versionPath(versionId(req))}?saved=published`),
      conflict: (req) => draftConflict(req, () => ({ fields: publishFieldLabels }), `${versionPath(versionId(req))}/publish`),
      refused: (req, error) => {
        if (error instanceof EffectiveDateTooEarlyError) return effectiveDateTooEarlyErrors(error.earliest);
        return problemsOn((_req, problems) => problemsAt(problems, 'effectiveFrom-day'))(req, error);
      },
    }),
  );

  router.get('/admin/ras/:id/delete', async (req, res) => {
    const { row } = await ras.draftToEdit(versionId(req));
    res.render('ras/delete', { ...deleteView(row), errors: noErrors });
  });

  router.post(
    '/admin/ras/:id/delete',
    takeForm({
      schema: versionFormSchema,
      showForm: async (req, res, state) => {
        const { row } = await ras.draftToEdit(versionId(req));
        res.status(state.status).render('ras/delete', { ...deleteView(row), errors: state.errors });
      },
      save: (req, data) => ras.deleteDraft(actorFrom(req), versionId(req), data.version),
      done: (_req, res) => res.redirect('/admin/ras?saved=deleted'),
      conflict: (req) => draftConflict(req, () => ({ fields: {} }), versionPath(versionId(req))),
    }),
  );

  return router;
}
