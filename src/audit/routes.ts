import { Router } from 'express';
import { requireRole } from '../web/auth-guards.js';
import { parseForm } from '../web/validation.js';
import { auditSearchSchema } from './schemas.js';
import type { AuditService } from './service.js';

export function auditRoutes(audit: AuditService): Router {
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const values = req.query as Record<string, unknown>;
    const form = parseForm(auditSearchSchema, values, { from: 'from-day', to: 'to-day' });
    if (!form.ok) {
      res.status(400).render('audit/search', { values, errors: form.errors, result: null, query: '' });
      return;
    }
    const result = await audit.search(form.data);
    const params = new URLSearchParams();
    if (form.data.person) params.set('person', form.data.person);
    if (form.data.user) params.set('user', form.data.user);
    for (const [name, iso] of [
      ['from', form.data.from],
      ['to', form.data.to],
    ] as const) {
      if (!iso) continue;
      const [year = '', month = '', day = ''] = iso.split('-');
      params.set(`${name}[day]`, day);
      params.set(`${name}[month]`, month);
      params.set(`${name}[year]`, year);
    }
    const query = params.toString();
    res.render('audit/search', { values, errors: { summary: [], fields: {} }, result, query });
  });
  return router;
}
