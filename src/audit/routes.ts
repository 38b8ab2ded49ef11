import { Router } from 'express';
import { londonToday, type Clock } from '../clock.js';
import { requireRole } from '../web/auth-guards.js';
import { PAGE_SIZE } from '../web/pagination.js';
import { noErrors, parseForm } from '../web/validation.js';
import { auditResultsView } from './presenters.js';
import { auditSearchSchema } from './schemas.js';
import type { AuditService } from './service.js';

export function auditRoutes(audit: AuditService, clock: Clock): Router {
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const values = req.query as Record<string, unknown>;
    const form = parseForm(auditSearchSchema(londonToday(clock)), values, { from: 'from-day', to: 'to-day' });
    if (!form.ok) {
      res.status(400).render('audit/search', { values, errors: form.errors, results: null });
      return;
    }
    const results = auditResultsView(await audit.search(form.data, { page: form.data.page, size: PAGE_SIZE }), form.data);
    res.render('audit/search', { values, errors: noErrors, results });
  });
  return router;
}
