import { Router } from 'express';
import { calibratedDraftSchema } from '../ras/schemas.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { conflictView } from '../web/conflict.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { noErrors } from '../web/validation.js';
import { calibratedDraftFieldLabels, calibrationView } from './presenters.js';
import type { ReportsService } from './service.js';

export function reportRoutes(reports: ReportsService): Router {
  const router = Router();
  // Reports show council-wide totals and no names: team managers read them as well as admins.
  router.use('/reports', requireRole('admin', 'team_manager'));

  const showCalibration: ShowForm = async (req, res, state) => {
    const user = currentUser(req);
    const report = await reports.calibration(user);
    res
      .status(state.status)
      .render(
        'reports/calibration',
        calibrationView(report, { canRecalibrate: user.role === 'admin', values: state.values, errors: state.errors }),
      );
  };

  router.get('/reports', (req, res) => {
    res.render('reports/index', { isAdmin: currentUser(req).role === 'admin' });
  });

  router.get('/reports/calibration', (req, res) => showCalibration(req, res, { status: 200, values: {}, errors: noErrors }));

  router.post(
    '/reports/calibration/draft',
    requireRole('admin'),
    takeForm({
      schema: calibratedDraftSchema,
      showForm: showCalibration,
      save: (req, data) => reports.createCalibratedDraft(actorFrom(req), data.estimator),
      done: (_req, res, id) => res.redirect(`/admin/ras/${id}/impact`),
      // A new draft replaces nothing, so nobody's save can come first; the 409 is there for completeness.
      conflict: (req) =>
        conflictView({
          recordName: 'the RAS versions',
          fields: calibratedDraftFieldLabels,
          typed: req.body as Record<string, unknown>,
          latest: { href: '/reports/calibration', text: 'Open the calibration report again' },
        }),
    }),
  );

  return router;
}
