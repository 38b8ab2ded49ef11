import { Router } from 'express';
import { currentUser } from '../web/auth-guards.js';
import { sortQuerySchema } from '../web/sorting.js';
import { homePageView } from './presenters.js';
import type { HomeService } from './service.js';

export function homeRoutes(home: HomeService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const page = await home.homePage(user);
    res.render('home/home', homePageView(user, page, sortQuerySchema.parse(req.query)));
  });
  return router;
}
