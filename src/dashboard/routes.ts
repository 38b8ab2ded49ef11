import { Router, type Response } from 'express';
import { StaleVersionError } from '../errors.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { noErrors, parseForm, type FormErrors } from '../web/validation.js';
import { targetSchema } from './schemas.js';
import type { DashboardService } from './service.js';

export function dashboardRoutes(dashboard: DashboardService): Router {
  const router = Router();

  router.get('/reports/dashboard', requireRole('team_manager', 'admin'), async (req, res) => {
    res.render('dashboard/index', await dashboard.dashboard(currentUser(req)));
  });

  async function renderTarget(res: Response, status: number, values: Record<string, unknown>, errors: FormErrors) {
    const settings = await dashboard.targetPage();
    res.status(status).render('dashboard/target', {
      current: settings.pb_uptake_target_percent,
      values: { targetPercent: String(settings.pb_uptake_target_percent), version: String(settings.version), ...values },
      errors,
    });
  }

  router.get('/reports/dashboard/target', requireRole('admin'), async (_req, res) => {
    await renderTarget(res, 200, {}, noErrors);
  });

  router.post('/reports/dashboard/target', requireRole('admin'), async (req, res) => {
    const values = req.body as Record<string, unknown>;
    const form = parseForm(targetSchema, values);
    if (!form.ok) return renderTarget(res, 400, { targetPercent: values.targetPercent }, form.errors);
    try {
      await dashboard.changeTarget(actorFrom(req), form.data);
      res.redirect('/reports/dashboard');
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      res.status(409).render('errors/409', { typed: { 'Uptake target (%)': values.targetPercent }, backLink: '/reports/dashboard/target' });
    }
  });

  return router;
}
