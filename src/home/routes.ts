import { Router } from 'express';
import { currentUser } from '../web/auth-guards.js';
import { sortQuerySchema } from '../web/sorting.js';
import type { HomeService } from './service.js';

export function homeRoutes(home: HomeService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const page = await home.homePage(currentUser(req), sortQuerySchema.parse(req.query));
    res.render(page.view, page);
  });
  return router;
}
