import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { noErrors, parseForm } from '../web/validation.js';
import { checkView, chooseView, downloadView, returnFileName } from './presenters.js';
import { previousQuarter, quarterContaining, quarterLabel, type Quarter } from './quarters.js';
import { quarterQuerySchema } from './schemas.js';
import type { ClientLevelDataService } from './service.js';

const BASE = '/reports/client-level-data';

export function clientLevelDataRoutes(cld: ClientLevelDataService, clock: Clock): Router {
  const router = Router();
  router.use(BASE, requireRole('admin', 'team_manager'));

  const scopeOf = (req: Request) => cld.scope(currentUser(req));

  /** The quarter in the query string, or the choose page again with what was typed and what is wrong with it. */
  function quarterOr400(req: Request, res: Response): Quarter | undefined {
    const values = req.query as Record<string, unknown>;
    const form = parseForm(quarterQuerySchema, values);
    if (form.ok) return form.data.quarter;
    res.status(400).render('client-level-data/choose', chooseView({ scope: scopeOf(req), values, errors: form.errors }));
    return undefined;
  }

  router.get(BASE, (req, res) => {
    // The last quarter to have ended is the one a council is preparing.
    const suggested = quarterLabel(previousQuarter(quarterContaining(londonToday(clock))));
    res.render('client-level-data/choose', chooseView({ scope: scopeOf(req), values: { quarter: suggested }, errors: noErrors }));
  });

  router.get(`${BASE}/check`, async (req, res) => {
    const quarter = quarterOr400(req, res);
    if (!quarter) return;
    const user = currentUser(req);
    res.render('client-level-data/check', checkView(await cld.check(user, quarter), user.role === 'admin'));
  });

  router.get(`${BASE}/download`, async (req, res) => {
    const quarter = quarterOr400(req, res);
    if (!quarter) return;
    res.render('client-level-data/download', downloadView(await cld.check(currentUser(req), quarter)));
  });

  router.get(`${BASE}/return.csv`, async (req, res) => {
    const quarter = quarterOr400(req, res);
    if (!quarter) return;
    const { csv, checked } = await cld.download(actorFrom(req), quarter);
    res.attachment(returnFileName(checked));
    res.type('text/csv; charset=utf-8');
    await pipeline(csv, res);
  });

  return router;
}
