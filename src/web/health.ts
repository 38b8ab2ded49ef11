import { Router } from 'express';
import type { Knex } from 'knex';

export function healthRoutes(db: Knex): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await db.raw('select 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  return router;
}
