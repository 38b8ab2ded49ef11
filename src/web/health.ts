import { Router } from 'express';
import type { Knex } from 'knex';

/**
 * A database that accepts connections but never answers would otherwise hold the check for the
 * pool's whole acquire timeout (a minute); a load balancer needs its answer in seconds.
 */
export function healthRoutes(db: Knex, timeoutMs = 2_000): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('database did not answer in time')), timeoutMs);
    });
    try {
      await Promise.race([db.raw('select 1'), timedOut]);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
