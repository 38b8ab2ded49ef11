import type { Knex } from 'knex';
import { activeUserCount, listUsers, type UserAccount } from '../admin/repo.js';
import type { Role, SignedInUser } from '../auth/roles.js';
import { addCalendarDays, daysBetween, londonDateOf, weekContaining } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import type { FinanceService, WaitingPlan } from '../finance/service.js';
import { teamWorkers } from '../people/repo.js';
import { listRasVersions, type RasVersionListing } from '../ras/repo.js';
import type { ListSort, Paged, PageRequest } from '../db/paging.js';
import { ForbiddenError } from '../errors.js';
import { markNoticesSeen, NOTICE_DAYS, noticesFor, type Notice } from './notices-repo.js';
import { scheduledReviewsDue, type DueReview } from '../reviews/repo.js';
import {
  activeBudgetsWithoutFinancialAssessment,
  budgetsStartingBetween,
  drafts,
  peopleAllocatedTo,
  returnedPlans,
  unallocatedPeople,
  workerCounts,
  type AllocatedPerson,
  type Draft,
  type ListRead,
  type ListedPerson,
  type ReturnedPlan,
  type StartingBudget,
  type UnallocatedPerson,
  type UnassessedBudget,
} from './repo.js';

/** "Due soon" is the next 30 days, today included: time to arrange a visit. */
export const DUE_SOON_DAYS = 30;

/** A draft with the London day it was started and how many days it has been open. */
export type OpenDraft = Draft & { startedOn: string; daysOpen: number };

/** One worker's share of the team's work; `worker` is null for the reviews nobody is assigned to. */
export type WorkerLoad = {
  worker: { id: number; name: string } | null;
  people: number;
  drafts: number;
  returned: number;
  overdue: number;
  dueSoon: number;
};

/** A submitted plan waiting for a decision, and for how many days. */
export type PanelWait = { planId: number; person: ListedPerson; daysWaiting: number; plannedWeeklyPence: number };
/** A plan waiting for finance; one a panel has agreed already says so. */
export type SignOffWait = PanelWait & { teamName: string; aboveIndicative: boolean; agreedAtPanel: boolean };
/** Someone waiting for a worker since the London day they were added. */
export type UnallocatedWait = UnallocatedPerson & { addedOn: string; daysWaiting: number };
/** A budget being paid, and for how many days, without a financial assessment. */
export type UnassessedWait = UnassessedBudget & { daysWithout: number };

/** The rows of each list a home page can show. */
export type ListRows = {
  /** Reviews due before today. */
  overdue: DueReview;
  /** Reviews due today or in the next DUE_SOON_DAYS days. */
  'due-soon': DueReview;
  returned: ReturnedPlan;
  drafts: OpenDraft;
  'my-people': AllocatedPerson;
  panel: PanelWait;
  unallocated: UnallocatedWait;
  'sign-off': SignOffWait;
  starting: StartingBudget;
  unassessed: UnassessedWait;
  users: UserAccount;
};
export type ListId = keyof ListRows;
export const listIds = [
  'overdue',
  'due-soon',
  'returned',
  'drafts',
  'my-people',
  'panel',
  'unallocated',
  'sign-off',
  'starting',
  'unassessed',
  'users',
] as const satisfies readonly ListId[];

/** The lists on each role's home page: a care manager's are their own work, a team manager's the team's. */
export const listsOfRole: Record<Role, readonly ListId[]> = {
  care_manager: ['overdue', 'due-soon', 'returned', 'drafts', 'my-people'],
  team_manager: ['overdue', 'due-soon', 'panel', 'unallocated', 'returned', 'drafts'],
  finance_officer: ['sign-off', 'starting', 'unassessed'],
  admin: ['users'],
};

/** A page of one list, with the list's name so a view knows how to draw it. */
export type List = { [Id in ListId]: { id: Id; paged: Paged<ListRows[Id]> } }[ListId];
export type Lists = { [Id in ListId]?: Paged<ListRows[Id]> };

/** A home page shows the first rows of each list, with a link to the rest. */
export const HOME_ROWS = 10;

/** What each role's home page is about, as of `today`; the route draws the one for the user's role. */
export type HomePage = { today: string; week: { from: string; to: string }; lists: Lists } & (
  | { role: 'care_manager'; notices: Notice[] }
  | { role: 'team_manager'; workers: WorkerLoad[]; notices: Notice[] }
  | { role: 'finance_officer' }
  | { role: 'admin'; rasVersions: RasVersionListing[]; activeUsers: number }
);

/** A full list from a home page, a page at a time. */
export type ListPage = { today: string; week: { from: string; to: string }; role: Role; list: List };

const panelWait = (plan: WaitingPlan): PanelWait => ({
  planId: plan.id,
  person: plan.person,
  daysWaiting: plan.daysWaiting,
  plannedWeeklyPence: plan.plannedWeeklyPence,
});

/** Each list's rows for a view, without changing its page. */
const mapRows = <From, To>(paged: Paged<From>, map: (row: From) => To): Paged<To> => ({ rows: paged.rows.map(map), page: paged.page });

export function homeService(db: Knex, clock: Clock, finance: FinanceService) {
  /** One page of one list for a user: their own work for a care manager, their team's for a team manager. */
  async function readList(user: SignedInUser, id: ListId, today: string, list: ListRead): Promise<List> {
    const who = user.role === 'care_manager' ? { userId: user.id } : { teamId: user.teamId ?? -1 };
    const reviews = who.userId !== undefined ? { assignedTo: who.userId } : { teamId: who.teamId };
    switch (id) {
      case 'overdue':
        return { id, paged: await scheduledReviewsDue(db, { ...reviews, dueBefore: today }, list) };
      case 'due-soon':
        return {
          id,
          paged: await scheduledReviewsDue(db, { ...reviews, dueFrom: today, dueBy: addCalendarDays(today, DUE_SOON_DAYS) }, list),
        };
      case 'returned':
        return { id, paged: await returnedPlans(db, who, list) };
      case 'drafts':
        return {
          id,
          paged: mapRows(await drafts(db, who, list), (draft) => {
            const startedOn = londonDateOf(draft.startedAt);
            // Object.assign, not a spread: README, "Code run for every row".
            return Object.assign({}, draft, { startedOn, daysOpen: Math.max(0, daysBetween(startedOn, today)) });
          }),
        };
      case 'my-people':
        return { id, paged: await peopleAllocatedTo(db, user.id, list) };
      case 'panel':
        return { id, paged: mapRows(await finance.panelQueue(user, list), panelWait) };
      case 'unallocated':
        return {
          id,
          paged: mapRows(await unallocatedPeople(db, user.teamId ?? -1, list), (waiting) => {
            const addedOn = londonDateOf(waiting.addedAt);
            return Object.assign({}, waiting, { addedOn, daysWaiting: Math.max(0, daysBetween(addedOn, today)) });
          }),
        };
      case 'sign-off':
        return {
          id,
          paged: mapRows(await finance.signOffQueue({}, list), (plan) =>
            Object.assign(panelWait(plan), {
              teamName: plan.teamName,
              aboveIndicative: plan.aboveIndicative,
              agreedAtPanel: plan.panelStatus === 'approved',
            }),
          ),
        };
      case 'starting': {
        const week = weekContaining(today);
        return { id, paged: await budgetsStartingBetween(db, week.from, week.to, list) };
      }
      case 'unassessed':
        return {
          id,
          paged: mapRows(await activeBudgetsWithoutFinancialAssessment(db, today, list), (budget) => ({
            ...budget,
            daysWithout: Math.max(0, daysBetween(budget.startDate, today)),
          })),
        };
      case 'users':
        return { id, paged: await listUsers(db, list) };
    }
  }

  /** A team's workers with their share of its work; reviews nobody is assigned to get a row of their own, as the most likely to be missed. */
  async function teamWorkerLoads(teamId: number, today: string): Promise<WorkerLoad[]> {
    const [workers, counts] = await Promise.all([
      teamWorkers(db, teamId),
      workerCounts(db, teamId, today, addCalendarDays(today, DUE_SOON_DAYS)),
    ]);
    const none = { people: 0, drafts: 0, returned: 0, overdue: 0, dueSoon: 0 };
    const loads: WorkerLoad[] = workers.map((worker) => ({
      worker: { id: worker.id, name: worker.displayName },
      ...(counts.get(worker.id) ?? none),
    }));
    const nobody = counts.get(null) ?? none;
    if (nobody.overdue + nobody.dueSoon > 0) loads.push({ worker: null, ...nobody, people: 0, drafts: 0, returned: 0 });
    return loads;
  }

  /**
   * What happened to the user's cases lately, each new one marked as seen once read, so it is new
   * on this page and "earlier" on the next. Only a case worker has cases; nobody else has notices.
   */
  async function readNotices(user: SignedInUser): Promise<Notice[]> {
    if (user.teamId === null) return [];
    const since = new Date(clock.now().getTime() - NOTICE_DAYS * 86_400_000);
    const notices = await noticesFor(db, { id: user.id, teamId: user.teamId }, since);
    const newest = Math.max(0, ...notices.filter((notice) => notice.isNew).map((notice) => notice.eventId));
    if (newest > 0) await markNoticesSeen(db, user.id, newest);
    return notices;
  }

  return {
    /** Each role's own starting page: what needs doing first, the first rows of each list sorted as asked. */
    async homePage(user: SignedInUser, sortOf: (id: ListId) => ListSort): Promise<HomePage> {
      const today = londonToday(clock);
      const week = weekContaining(today);
      const request = { page: 1, size: HOME_ROWS };
      const read = Promise.all(listsOfRole[user.role].map((id) => readList(user, id, today, { sort: sortOf(id), request })));
      const lists = (results: List[]): Lists => Object.fromEntries(results.map((list) => [list.id, list.paged]));
      switch (user.role) {
        case 'care_manager': {
          const [results, notices] = await Promise.all([read, readNotices(user)]);
          return { role: 'care_manager', today, week, lists: lists(results), notices };
        }
        case 'finance_officer':
          return { role: user.role, today, week, lists: lists(await read) };
        case 'team_manager': {
          const [results, workers, notices] = await Promise.all([read, teamWorkerLoads(user.teamId ?? -1, today), readNotices(user)]);
          return { role: 'team_manager', today, week, lists: lists(results), workers, notices };
        }
        case 'admin': {
          const [results, rasVersions, activeUsers] = await Promise.all([read, listRasVersions(db, today), activeUserCount(db)]);
          return { role: 'admin', today, week, lists: lists(results), rasVersions, activeUsers };
        }
      }
    },

    /** All of one list from the user's home page, a page at a time; a list their home page does not have is not theirs to see. */
    async listPage(user: SignedInUser, id: ListId, sort: ListSort, request: PageRequest): Promise<ListPage> {
      if (!listsOfRole[user.role].includes(id)) throw new ForbiddenError('This list is not part of your work.');
      const today = londonToday(clock);
      return { today, week: weekContaining(today), role: user.role, list: await readList(user, id, today, { sort, request }) };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
