import { Router, type Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { PAGE_SIZE, pageQuerySchema } from '../web/pagination.js';
import { directPaymentFigureIds } from './figures-repo.js';
import { londonToday, type Clock } from '../clock.js';
import { actorFrom, currentUser } from '../web/auth-guards.js';
import { showBannerNext } from '../web/banner.js';
import { conflictView } from '../web/conflict.js';
import { sendCsv } from '../web/csv.js';
import { takeForm } from '../web/form-post.js';
import { idParam } from '../web/params.js';
import { noErrors } from '../web/validation.js';
import {
  accountReturnPageView,
  bankDetailsConflictView,
  bankDetailsPageView,
  bankDetailsSavedBanner,
  figurePeopleView,
  paymentFileHeadings,
  paymentFileRows,
  personDirectPaymentsPath,
  personDirectPaymentsView,
  recoveryPageView,
  recoveryRecordedBanner,
  returnRecordedBanner,
  runApprovedBanner,
  runCreatedBanner,
  runPageView,
  runPath,
  runsPageView,
} from './presenters.js';
import {
  accountReturnAnchors,
  accountReturnSchema,
  approveRunSchema,
  bankAccountSchema,
  paymentRunAnchors,
  paymentRunSchema,
  recoverySchema,
} from './schemas.js';
import type { DirectPaymentsService } from './service.js';

const figureIdSchema = z.enum(directPaymentFigureIds);

export function directPaymentRoutes(payments: DirectPaymentsService, clock: Clock): Router {
  const router = Router();
  const personId = (req: Request) => idParam(req.params.id, 'Person');
  const runId = (req: Request) => idParam(req.params.id, 'Payment run');

  router.get('/people/:id/direct-payments', async (req, res) => {
    res.render('direct-payments/person', personDirectPaymentsView(await payments.personPage(currentUser(req), personId(req))));
  });

  router.get('/people/:id/direct-payments/bank-details', async (req, res) => {
    const page = await payments.bankAccountPage(currentUser(req), personId(req));
    res.render('direct-payments/bank-details', bankDetailsPageView(page, { values: {}, errors: noErrors }));
  });

  router.post('/people/:id/direct-payments/bank-details', async (req, res, next) => {
    const page = await payments.bankAccountPage(currentUser(req), personId(req));
    await takeForm({
      schema: bankAccountSchema,
      anchors: { recipientKind: 'recipientKind' },
      showForm: (_req, res, state) => res.status(state.status).render('direct-payments/bank-details', bankDetailsPageView(page, state)),
      save: (req, data) => payments.saveBankAccount(actorFrom(req), personId(req), data),
      done: (req, res, outcome) => {
        showBannerNext(req, bankDetailsSavedBanner);
        res.redirect(personDirectPaymentsPath(outcome.person.id));
      },
      conflict: async (req) =>
        bankDetailsConflictView(await payments.bankAccountPage(currentUser(req), personId(req)), req.body as Record<string, unknown>),
    })(req, res, next);
  });

  router.get('/people/:id/direct-payments/returns/new', async (req, res) => {
    const page = await payments.monitoringFormPage(currentUser(req), personId(req));
    res.render('direct-payments/return', accountReturnPageView(page, { values: {}, errors: noErrors }));
  });

  router.post('/people/:id/direct-payments/returns/new', async (req, res, next) => {
    const page = await payments.monitoringFormPage(currentUser(req), personId(req));
    await takeForm({
      schema: accountReturnSchema(londonToday(clock)),
      anchors: accountReturnAnchors,
      showForm: (_req, res, state) => res.status(state.status).render('direct-payments/return', accountReturnPageView(page, state)),
      save: (req, data) => payments.recordReturn(actorFrom(req), personId(req), data),
      done: (req, res, outcome) => {
        showBannerNext(req, returnRecordedBanner(outcome));
        res.redirect(`${personDirectPaymentsPath(outcome.personId)}#monitoring`);
      },
      // A return is added, never edited, so no version can go stale.
      conflict: (_req, error) => {
        throw error;
      },
    })(req, res, next);
  });

  router.get('/people/:id/direct-payments/recoveries/new', async (req, res) => {
    const page = await payments.monitoringFormPage(currentUser(req), personId(req));
    res.render('direct-payments/recovery', recoveryPageView(page, { values: {}, errors: noErrors }));
  });

  router.post('/people/:id/direct-payments/recoveries/new', async (req, res, next) => {
    const page = await payments.monitoringFormPage(currentUser(req), personId(req));
    await takeForm({
      schema: recoverySchema,
      showForm: (_req, res, state) => res.status(state.status).render('direct-payments/recovery', recoveryPageView(page, state)),
      save: (req, data) => payments.recordRecovery(actorFrom(req), personId(req), data),
      done: (req, res, outcome) => {
        showBannerNext(req, recoveryRecordedBanner(outcome));
        res.redirect(`${personDirectPaymentsPath(outcome.personId)}#monitoring`);
      },
      // A recovery is added, never edited, so no version can go stale.
      conflict: (_req, error) => {
        throw error;
      },
    })(req, res, next);
  });

  router.get('/direct-payments/runs', async (req, res) => {
    res.render('direct-payments/runs', runsPageView(await payments.runsPage(currentUser(req)), { values: {}, errors: noErrors }));
  });

  router.post('/direct-payments/runs', async (req, res, next) => {
    const page = await payments.runsPage(currentUser(req));
    await takeForm({
      schema: paymentRunSchema(londonToday(clock)),
      anchors: paymentRunAnchors,
      showForm: (_req, res, state) => res.status(state.status).render('direct-payments/runs', runsPageView(page, state)),
      save: (req, data) => payments.createRun(actorFrom(req), data),
      done: (req, res, outcome) => {
        showBannerNext(req, runCreatedBanner(outcome));
        res.redirect(runPath({ id: outcome.runId }));
      },
      // A new run has no version to go stale: runs are made one at a time under a lock instead.
      conflict: (_req, error) => {
        throw error;
      },
    })(req, res, next);
  });

  router.get('/direct-payments/people/:figure', async (req, res) => {
    const figure = figureIdSchema.safeParse(req.params.figure);
    if (!figure.success) throw new NotFoundError('Page');
    const { page } = pageQuerySchema.parse(req.query);
    const view = figurePeopleView(
      await payments.figurePeoplePage(currentUser(req), figure.data, { page, size: PAGE_SIZE }),
      new URLSearchParams(),
    );
    res.render('dashboard/people', view);
  });

  router.get('/direct-payments/runs/:id', async (req, res) => {
    res.render('direct-payments/run', runPageView(await payments.runPage(currentUser(req), runId(req))));
  });

  router.post('/direct-payments/runs/:id/approve', async (req, res, next) => {
    await takeForm({
      schema: approveRunSchema,
      anchors: { run: 'run' },
      showForm: async (req, res, state) =>
        res
          .status(state.status)
          .render('direct-payments/run', runPageView(await payments.runPage(currentUser(req), runId(req)), state.errors)),
      save: (req, data) => payments.approveRun(actorFrom(req), runId(req), data),
      done: (req, res, outcome) => {
        if (!outcome.alreadyDone) showBannerNext(req, runApprovedBanner);
        res.redirect(runPath({ id: outcome.runId }));
      },
      conflict: (req) =>
        conflictView({
          recordName: 'this payment run',
          fields: {},
          typed: {},
          latest: { href: runPath({ id: runId(req) }), text: 'See the payment run as it is now' },
        }),
    })(req, res, next);
  });

  router.get('/direct-payments/runs/:id/payments.csv', async (req, res) => {
    const { run, payments: lines } = await payments.exportRun(actorFrom(req), runId(req));
    await sendCsv(res, `direct-payments-${run.paymentDate}-run-${run.id}.csv`, paymentFileHeadings, paymentFileRows(lines));
  });

  return router;
}
