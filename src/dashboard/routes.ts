import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { clientGroups } from '../people/client-groups.js';
import { PAGE_SIZE, pageNumberSchema } from '../web/pagination.js';
import { nationalTargetsView } from '../reports/national-targets-presenters.js';
import { currentUser, requireRole } from '../web/auth-guards.js';
import { dashboardPeopleView, dashboardView } from './presenters.js';
import { uptakeListIds } from './repo.js';
import type { DashboardService } from './service.js';

const listSchema = z.enum([...uptakeListIds, 'waits']);

/** A link's filters as the dashboard writes them; anything else in the address is a page that does not exist. */
const peopleQuerySchema = z.object({
  group: z.enum(clientGroups).optional(),
  team: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  page: pageNumberSchema,
});

export function dashboardRoutes(dashboard: DashboardService): Router {
  const router = Router();

  router.get('/reports/dashboard', requireRole('team_manager', 'admin'), async (req, res) => {
    const figures = await dashboard.dashboard(currentUser(req));
    res.render('dashboard/index', { ...dashboardView(figures), national: nationalTargetsView(figures) });
  });

  router.get('/reports/dashboard/people/:list', requireRole('team_manager', 'admin'), async (req, res) => {
    const list = listSchema.safeParse(req.params.list);
    if (!list.success) throw new NotFoundError('Page');
    const parsed = peopleQuerySchema.safeParse(req.query);
    if (!parsed.success) throw new NotFoundError('Page');
    const query = parsed.data;
    const filter = { teamId: query.team, clientGroup: query.group };
    const page = await dashboard.people(currentUser(req), list.data, filter, { page: query.page, size: PAGE_SIZE });
    res.render('dashboard/people', dashboardPeopleView(page));
  });

  return router;
}
