import { Router } from 'express';
import { z } from 'zod';
import { londonToday, type Clock } from '../clock.js';
import type { Paged } from '../db/paging.js';
import { NotFoundError } from '../errors.js';
import { queueFilterSchema } from '../finance/schemas.js';
import { listSort } from '../home/tables.js';
import type { Services } from '../services.js';
import { actorFrom, currentUser, requireRole } from '../web/auth-guards.js';
import { csvFilename, sendCsv, type CsvCell } from '../web/csv.js';
import { sortQuerySchema } from '../web/sorting.js';
import { dueReviewCsvRow, dueReviewsCsvHeadings, signOffQueueCsvHeadings, signOffQueueCsvRow } from './download-presenters.js';

/** Rows read per query while a list is written out: a long queue streams a page at a time. */
const DOWNLOAD_PAGE_ROWS = 500;

/** Every row of a paged list, a page at a time, starting from a first page already read. */
async function* allRows<Row>(first: Paged<Row>, read: (page: number) => Promise<Paged<Row>>, line: (row: Row) => CsvCell[]) {
  let paged = first;
  for (let number = 1; ; number += 1) {
    yield* paged.rows.map(line);
    if (number >= paged.page.count) return;
    paged = await read(number + 1);
  }
}

const reviewListSchema = z.enum(['overdue', 'due-soon']);

/**
 * The lists staff work from, as files: the sign-off queue (with the filter on the page) and the
 * reviews overdue or due soon (a care manager's own, a team manager's team's). Each list's own
 * read checks who may see it; the first page is read before the download is recorded.
 */
export function listDownloadRoutes(services: Pick<Services, 'finance' | 'home' | 'reports'>, clock: Clock): Router {
  const { finance, home, reports } = services;
  const router = Router();

  router.get('/finance/queue.csv', requireRole('finance_officer', 'admin'), async (req, res) => {
    const filter = queueFilterSchema.parse(req.query);
    const read = (page: number) => finance.signOffQueue(filter, { request: { page, size: DOWNLOAD_PAGE_ROWS } });
    const first = await read(1);
    await reports.recordDownload(actorFrom(req), 'sign-off-queue', filter);
    await sendCsv(
      res,
      csvFilename('sign-off-queue', londonToday(clock)),
      signOffQueueCsvHeadings,
      allRows(first, read, signOffQueueCsvRow),
    );
  });

  router.get('/home/:list.csv', async (req, res) => {
    const list = reviewListSchema.safeParse(req.params.list);
    if (!list.success) throw new NotFoundError('Page');
    const user = currentUser(req);
    const sort = listSort(sortQuerySchema.parse(req.query))(list.data);
    const read = async (page: number) => {
      const listed = await home.listPage(user, list.data, sort, { page, size: DOWNLOAD_PAGE_ROWS });
      if (listed.list.id !== 'overdue' && listed.list.id !== 'due-soon') throw new NotFoundError('Page');
      return { today: listed.today, paged: listed.list.paged };
    };
    const first = await read(1);
    await reports.recordDownload(actorFrom(req), `reviews-${list.data}`);
    const rows = allRows(
      first.paged,
      async (page) => (await read(page)).paged,
      (review) => dueReviewCsvRow(review, first.today),
    );
    await sendCsv(res, csvFilename(`reviews-${list.data}`, first.today), dueReviewsCsvHeadings, rows);
  });

  return router;
}
