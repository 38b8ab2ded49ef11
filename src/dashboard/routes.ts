import { Router } from 'express';
import { nationalTargetsView } from '../reports/national-targets-presenters.js';
import { currentUser, requireRole } from '../web/auth-guards.js';
import { dashboardView } from './presenters.js';
import type { DashboardService } from './service.js';

export function dashboardRoutes(dashboard: DashboardService): Router {
  const router = Router();

  router.get('/reports/dashboard', requireRole('team_manager', 'admin'), async (req, res) => {
    const figures = await dashboard.dashboard(currentUser(req));
    res.render('dashboard/index', { ...dashboardView(figures), national: nationalTargetsView(figures) });
  });

  return router;
}
