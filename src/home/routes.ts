import { Router } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { currentUser } from '../web/auth-guards.js';
import { PAGE_SIZE, pageQuerySchema } from '../web/pagination.js';
import { sortQuerySchema, type SortQuery } from '../web/sorting.js';
import { homePageView, listPageView, listPath } from './presenters.js';
import { listIds, type HomeService } from './service.js';
import { listSort } from './tables.js';

/** The sort as checked, to keep on every page of a list; nothing of the query is passed on unchecked. */
function sortParams(sort: SortQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of ['table', 'sort', 'dir'] as const) {
    const value = sort[name];
    if (value) params.set(name, value);
  }
  return params;
}

const listIdSchema = z.enum(listIds);

export function homeRoutes(home: HomeService): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const user = currentUser(req);
    const query = sortQuerySchema.parse(req.query);
    const page = await home.homePage(user, listSort(query));
    res.render('home/home', homePageView(user, page, query));
  });

  router.get('/home/:list', async (req, res) => {
    const id = listIdSchema.safeParse(req.params.list);
    // A list with a page of its own (a queue, the users) is shown there, not here.
    if (!id.success || listPath(id.data) !== `/home/${id.data}`) throw new NotFoundError('Page');
    const query = sortQuerySchema.parse(req.query);
    const { page } = pageQuerySchema.parse(req.query);
    const list = await home.listPage(currentUser(req), id.data, listSort(query)(id.data), { page, size: PAGE_SIZE });
    res.render('home/list', listPageView(list, query, sortParams(query)));
  });
  return router;
}
