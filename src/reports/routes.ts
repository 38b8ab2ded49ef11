import { Router, type Request, type Response } from 'express';
import { RuleError } from '../errors.js';
import { calibratedDraftSchema } from '../ras/schemas.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { noErrors, parseForm, singleError, type FormErrors } from '../web/validation.js';
import { estimatorLabels, estimators } from './calibration.js';
import { calibrationView } from './presenters.js';
import type { ReportsService } from './service.js';

export function reportRoutes(reports: ReportsService): Router {
  const router = Router();
  // Reports show council-wide totals and no names: team managers read them as well as admins.
  router.use('/reports', requireRole('admin', 'team_manager'));

  async function renderCalibration(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: FormErrors) {
    const user = currentUser(req);
    const report = calibrationView(await reports.calibration(user));
    res.status(status).render('reports/calibration', {
      report,
      canRecalibrate: user.role === 'admin',
      estimators,
      estimatorLabels,
      values,
      errors,
    });
  }

  router.get('/reports', (req, res) => {
    res.render('reports/index', { isAdmin: currentUser(req).role === 'admin' });
  });

  router.get('/reports/calibration', (req, res) => renderCalibration(req, res, 200, {}, noErrors));

  router.post('/reports/calibration/draft', requireRole('admin'), async (req, res) => {
    const values = req.body as Record<string, unknown>;
    const form = parseForm(calibratedDraftSchema, values);
    if (!form.ok) return renderCalibration(req, res, 400, values, form.errors);
    try {
      const id = await reports.createCalibratedDraft(actorFrom(req), form.data.estimator);
      res.redirect(`/admin/ras/${id}/impact`);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      await renderCalibration(req, res, 400, values, singleError('estimator', error.message));
    }
  });

  return router;
}
