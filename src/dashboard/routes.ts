import { Router } from 'express';
import { currentUser, requireRole } from '../web/auth-guards.js';
import { dashboardView } from './presenters.js';
import type { DashboardService } from './service.js';

export function dashboardRoutes(dashboard: DashboardService): Router {
  const router = Router();

  router.get('/reports/dashboard', requireRole('team_manager', 'admin'), async (req, res) => {
    res.render('dashboard/index', dashboardView(await dashboard.dashboard(currentUser(req))));
  });

  return router;
}
