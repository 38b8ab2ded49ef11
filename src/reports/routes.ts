import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { londonToday, type Clock } from '../clock.js';
import { NotFoundError } from '../errors.js';
import { calibratedDraftSchema } from '../ras/schemas.js';
import type { Services } from '../services.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { conflictView } from '../web/conflict.js';
import { csvFilename, sendCsv } from '../web/csv.js';
import { takeForm, type ShowForm } from '../web/form-post.js';
import { noErrors } from '../web/validation.js';
import { calibratedDraftFieldLabels, calibrationView } from './presenters.js';
import { calibrationTable, dashboardTableNames, dashboardTables, type CsvTable } from './download-presenters.js';
import { timelinessCsvHeadings, timelinessCsvRows, timelinessView } from './timeliness-presenters.js';

const dashboardTableSchema = z.enum(dashboardTableNames);

export function reportRoutes(services: Pick<Services, 'reports' | 'timeliness' | 'dashboard'>, clock: Clock): Router {
  const { reports, timeliness, dashboard } = services;
  const router = Router();
  /** A report table as a file named for the day, its download recorded first. */
  const download = async (req: Request, res: Response, table: CsvTable) => {
    await reports.recordDownload(actorFrom(req), table.name);
    await sendCsv(res, csvFilename(table.name, londonToday(clock)), table.headings, table.rows);
  };
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

  router.get('/reports/calibration.csv', async (req, res) => {
    await download(req, res, calibrationTable(await reports.calibration(currentUser(req))));
  });

  router.get('/reports/timeliness', async (req, res) => {
    res.render('reports/timeliness', timelinessView(await timeliness.timeliness(currentUser(req))));
  });

  router.get('/reports/timeliness.csv', async (req, res) => {
    const report = await timeliness.timeliness(currentUser(req));
    await download(req, res, { name: 'timeliness', headings: timelinessCsvHeadings, rows: timelinessCsvRows(report) });
  });

  router.get('/reports/dashboard/:table.csv', async (req, res) => {
    const table = dashboardTableSchema.safeParse(req.params.table);
    if (!table.success) throw new NotFoundError('Page');
    await download(req, res, dashboardTables[table.data](await dashboard.dashboard(currentUser(req))));
  });

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
