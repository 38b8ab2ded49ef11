import { Router } from 'express';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { conflictView } from '../web/conflict.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { noErrors } from '../web/validation.js';
import { dashboardView, targetFieldLabels, targetFormValues, targetView } from './presenters.js';
import type { UptakeSettings } from './repo.js';
import { targetSchema } from './schemas.js';
import type { DashboardService } from './service.js';

export function dashboardRoutes(dashboard: DashboardService): Router {
  const router = Router();

  router.get('/reports/dashboard', requireRole('team_manager', 'admin'), async (req, res) => {
    res.render('dashboard/index', dashboardView(await dashboard.dashboard(currentUser(req))));
  });

  const showTarget: ShowForm = async (_req, res, state) => {
    res.status(state.status).render('dashboard/target', targetView(await dashboard.targetPage(), state));
  };

  router.get('/reports/dashboard/target', requireRole('admin'), (req, res) =>
    showTarget(req, res, { status: 200, values: {}, errors: noErrors }),
  );

  router.post(
    '/reports/dashboard/target',
    requireRole('admin'),
    takeForm({
      schema: targetSchema,
      showForm: showTarget,
      save: (req, data) => dashboard.changeTarget(actorFrom(req), data),
      done: (_req, res) => res.redirect('/reports/dashboard'),
      conflict: (req, error) =>
        conflictView({
          recordName: 'the uptake target',
          fields: targetFieldLabels,
          typed: req.body as Record<string, unknown>,
          savedNow: targetFormValues(error.current as UptakeSettings),
          latest: { href: '/reports/dashboard/target', text: 'Change the latest target' },
        }),
    }),
  );

  return router;
}
