import { accountStatusTag, teamNameOf, userEditLink } from '../admin/presenters.js';
import { roleLabels, type SignedInUser } from '../auth/roles.js';
import { londonDateOf } from '../calendar.js';
import type { Paged } from '../db/paging.js';
import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { personLink, personName } from '../people/presenters.js';
import { rasVersionStatusTags } from '../ras/presenters.js';
import type { RasVersionListing } from '../ras/repo.js';
import type { DueReview } from '../reviews/repo.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import { formatCount, formatDate } from '../web/format.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import { ageText, daysText, dueWording } from '../web/relative-dates.js';
import { sortableTable, sortFor, sortHeaders, type SortHeader, type SortQuery } from '../web/sorting.js';
import type { Link, TableCell, Tag } from '../web/view-models.js';
import type { ListedPerson, ReturnedPlan } from './repo.js';
import {
  DUE_SOON_DAYS,
  listsOfRole,
  type HomePage,
  type List,
  type ListId,
  type ListPage,
  type ListRows,
  type OpenDraft,
} from './service.js';
import { noticesView } from './notices-presenters.js';
import { draftLabel, listTables, rasVersionColumns, workerColumns } from './tables.js';

/**
 * A figure at the top of a home page, linking to its list below; urgent ones stand out. `count` is
 * the number as shown ("2,000").
 */
export type Count = { id: string; count: string; label: string; urgent?: boolean };

/** One list on a home page: its heading, the sortable table, what to say when it is empty, and a link to all of it. */
export type HomeSection = {
  id: string;
  heading: string;
  intro?: string;
  empty: string;
  table: { id: string; headers: SortHeader[]; rows: TableCell[][] };
  more?: Link;
};

const HOME = '/';

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
const counted = (count: number, one: string, many: string) => `${formatCount(count)} ${plural(count, one, many)}`;

/** The person a row is about, linking to where the list's work is done, with their reference underneath. */
const personCell = (person: ListedPerson, href = personLink(person).href): TableCell => ({
  link: { href, text: personName(person) },
  secondary: person.reference,
});

const forPerson = (person: ListedPerson) => `for ${personName(person)}`;

/** The due date, and how it stands today: an overdue one in red, so it is seen first. */
function dueCell(review: DueReview, today: string, overdue: boolean): TableCell {
  const wording = dueWording(review.dueDate, today);
  return overdue
    ? { text: formatDate(review.dueDate), secondaryTag: { text: wording, colour: 'red' } }
    : { text: formatDate(review.dueDate), secondary: wording };
}

function reviewCells(today: string, withWorker: boolean, overdue: boolean) {
  return (review: DueReview): TableCell[] => [
    personCell(review.person),
    { link: { href: `/reviews/${review.id}`, text: reviewKindLabels[review.kind], hiddenText: forPerson(review.person) } },
    dueCell(review, today, overdue),
    ...(withWorker ? [{ text: review.assignedToName ?? 'Not assigned' }] : []),
  ];
}

function draftCells(today: string, withWorker: boolean) {
  return (draft: OpenDraft): TableCell[] => [
    personCell(draft.person),
    {
      link: {
        href: draft.kind === 'plan' ? `/plans/${draft.id}` : `/assessments/${draft.id}`,
        text: draftLabel(draft),
        hiddenText: forPerson(draft.person),
      },
      secondary: `Started ${formatDate(draft.startedOn)}`,
    },
    { text: ageText(draft.startedOn, today), numeric: true },
    ...(withWorker ? [{ text: draft.startedByName ?? '' }] : []),
  ];
}

function returnedCells(withWorker: boolean) {
  return (plan: ReturnedPlan): TableCell[] => [
    personCell(plan.person, `/plans/${plan.id}`),
    { text: formatDate(londonDateOf(plan.returnedAt)) + (plan.returnedByName ? ` by ${plan.returnedByName}` : '') },
    { text: plan.returnReason },
    ...(withWorker ? [{ text: plan.workerName ?? '' }] : []),
  ];
}

const dueSoon = `due in the next ${DUE_SOON_DAYS} days`;

/** How a care manager's page ("mine") and a team manager's ("team") speak of the same lists. */
type Who = 'mine' | 'team';

/** The words, cells and figure of one list, for the page it is drawn on. */
type ListView<Row> = {
  heading: string;
  intro?: string;
  empty: string;
  /** The figure at the top of the home page: "3 reviews overdue". */
  things: [one: string, many: string];
  urgent?: (total: number) => boolean;
  cells: (row: Row) => TableCell[];
};

type Context = { who: Who; today: string; week: { from: string; to: string } };

const overIndicative: Tag = { text: 'Over indicative', colour: 'orange' };

const listViews: { [Id in ListId]: (context: Context) => ListView<ListRows[Id]> } = {
  overdue: ({ who, today }) => ({
    heading: 'Reviews overdue',
    empty: who === 'mine' ? 'None of your reviews are overdue.' : 'No reviews in the team are overdue.',
    things: ['review overdue', 'reviews overdue'],
    urgent: (total) => total > 0,
    cells: reviewCells(today, who === 'team', true),
  }),
  'due-soon': ({ who, today }) => ({
    heading: `Reviews ${dueSoon}`,
    empty: who === 'mine' ? `You have no reviews ${dueSoon}.` : `No reviews in the team are ${dueSoon}.`,
    things: [`review ${dueSoon}`, `reviews ${dueSoon}`],
    cells: reviewCells(today, who === 'team', false),
  }),
  returned: ({ who }) =>
    who === 'mine'
      ? {
          heading: 'Plans returned to you',
          empty: 'No plans have been returned to you.',
          things: ['plan returned to you', 'plans returned to you'],
          // A plan returned to a care manager is theirs to put right, so their figure for it stands out.
          urgent: (total) => total > 0,
          cells: returnedCells(false),
        }
      : {
          heading: 'Plans returned',
          empty: 'No plans in the team have been returned.',
          things: ['plan returned', 'plans returned'],
          cells: returnedCells(true),
        },
  drafts: ({ who, today }) => ({
    heading: who === 'mine' ? 'Your drafts' : 'Drafts in the team',
    ...(who === 'mine' ? { intro: 'Assessments and support plans you started and have not yet submitted.' } : {}),
    empty: who === 'mine' ? 'You have no drafts.' : 'There are no drafts in the team.',
    things: ['draft', 'drafts'],
    cells: draftCells(today, who === 'team'),
  }),
  'my-people': ({ today }) => ({
    heading: 'People allocated to you',
    empty: 'Nobody is allocated to you yet.',
    things: ['person allocated to you', 'people allocated to you'],
    cells: (allocated) => [
      personCell(allocated.person),
      { text: clientGroupLabels[allocated.person.clientGroup] },
      {
        text: allocated.nextReviewDue
          ? `${formatDate(allocated.nextReviewDue)} (${dueWording(allocated.nextReviewDue, today)})`
          : 'None scheduled',
      },
    ],
  }),
  panel: () => ({
    heading: 'Plans waiting for panel approval',
    empty: 'No plans are waiting for panel.',
    things: ['plan waiting for panel', 'plans waiting for panel'],
    urgent: (total) => total > 0,
    cells: (plan) => [
      personCell(plan.person, `/plans/${plan.planId}/panel`),
      { text: daysText(plan.daysWaiting), numeric: true },
      { text: formatPence(plan.plannedWeeklyPence), numeric: true },
    ],
  }),
  unallocated: () => ({
    heading: 'People not allocated to a worker',
    empty: 'Everyone in the team is allocated to a worker.',
    things: ['person not allocated', 'people not allocated'],
    cells: (waiting) => [
      personCell(waiting.person, `/people/${waiting.person.id}/allocate`),
      { text: clientGroupLabels[waiting.person.clientGroup] },
      { text: daysText(waiting.daysWaiting), numeric: true },
    ],
  }),
  'sign-off': () => ({
    heading: 'Waiting for sign-off',
    intro: 'The longest waiting first.',
    empty: 'Nothing is waiting for sign-off.',
    things: ['plan waiting for sign-off', 'plans waiting for sign-off'],
    urgent: (total) => total > 0,
    cells: (plan) => [
      personCell(plan.person, `/plans/${plan.planId}/sign-off`),
      { text: plan.teamName },
      { text: daysText(plan.daysWaiting) + (plan.agreedAtPanel ? ' (agreed at panel)' : ''), numeric: true },
      {
        text: formatPence(plan.plannedWeeklyPence),
        ...(plan.aboveIndicative ? { secondaryTag: overIndicative } : {}),
        numeric: true,
      },
    ],
  }),
  starting: ({ week }) => ({
    heading: 'Budgets starting this week',
    intro: `Monday ${formatDate(week.from)} to Sunday ${formatDate(week.to)}.`,
    empty: 'No budgets start this week.',
    things: ['budget starting this week', 'budgets starting this week'],
    cells: (budget) => [
      personCell(budget.person, `/people/${budget.person.id}#personal-budget`),
      { text: budget.teamName },
      { text: formatDate(budget.startDate) },
      { text: formatPence(budget.weeklyPence), numeric: true },
      { text: budget.directPaymentWeeklyPence > 0 ? formatPence(budget.directPaymentWeeklyPence) : 'None', numeric: true },
    ],
  }),
  unassessed: () => ({
    heading: 'Financial assessments missing',
    intro: 'Budgets being paid today with no financial assessment in force, so nobody knows what the person should pay.',
    empty: 'Every budget being paid has a financial assessment.',
    things: ['budget without a financial assessment', 'budgets without a financial assessment'],
    urgent: (total) => total > 0,
    cells: (budget) => [
      personCell(budget.person, `/people/${budget.person.id}/financial-assessment`),
      { text: budget.teamName },
      { text: formatDate(budget.startDate) },
      { text: daysText(budget.daysWithout), numeric: true },
      { text: formatPence(budget.weeklyPence), numeric: true },
    ],
  }),
  users: () => ({
    heading: 'Users',
    empty: 'There are no users.',
    things: ['user', 'users'],
    cells: (account) => [
      { link: userEditLink(account), secondary: account.email },
      { text: roleLabels[account.role] },
      { text: teamNameOf(account) },
      { tag: accountStatusTag(account.active) },
    ],
  }),
};

/** The lists with a page of their own (the queues, the users page): their home-page lists link there. */
const pagesOfTheirOwn: Partial<Record<ListId, string>> = { panel: '/finance/panel', 'sign-off': '/finance/queue', users: '/admin/users' };

/** Where all of a list is: its own page, or /home/<list>. */
export const listPath = (id: ListId) => pagesOfTheirOwn[id] ?? `/home/${id}`;

/** The link to all of a list, in the order the home page shows it sorted (the queues and the users page have their own order). */
function allOfList(id: ListId, query: SortQuery): string {
  const path = listPath(id);
  if (pagesOfTheirOwn[id] !== undefined || query.table !== id || !query.sort) return path;
  const params = new URLSearchParams({ table: id, sort: query.sort, ...(query.dir ? { dir: query.dir } : {}) });
  return `${path}?${params.toString()}`;
}

/** A list's view with its rows' type kept: TypeScript cannot follow the id from the union to the record. */
function viewOf<Id extends ListId>(id: Id, context: Context): ListView<ListRows[Id]> {
  return listViews[id](context);
}

/**
 * One list as a section: headers whose links sort it on `path`, keeping the page's other
 * parameters, and, on a home page, a link to all of it when there is more than it shows.
 */
function listSection<Id extends ListId>(
  id: Id,
  paged: Paged<ListRows[Id]>,
  context: Context,
  on: { path: string; query: SortQuery; keep?: URLSearchParams; withMore: boolean },
): HomeSection {
  const view = viewOf(id, context);
  const table = listTables[id];
  const columns = table.columns(context.who === 'team');
  const sort = sortFor(on.query, id, columns, table.defaultSort);
  const { total } = paged.page;
  // A list with a page of its own (a queue, the users) always links there: that is where its work is done.
  const more = on.withMore && total > 0 && (total > paged.rows.length || pagesOfTheirOwn[id] !== undefined);
  return {
    id,
    heading: view.heading,
    ...(view.intro ? { intro: view.intro } : {}),
    empty: view.empty,
    table: { id, headers: sortHeaders(on.path, id, columns, sort, on.keep), rows: paged.rows.map(view.cells) },
    ...(more ? { more: { href: allOfList(id, on.query), text: `See all ${counted(total, view.things[0], view.things[1])}` } } : {}),
  };
}

function countOf<Id extends ListId>(id: Id, paged: Paged<ListRows[Id]>, context: Context): Count {
  const view = viewOf(id, context);
  const total = paged.page.total;
  return {
    id,
    count: formatCount(total),
    label: plural(total, view.things[0], view.things[1]),
    ...(view.urgent?.(total) ? { urgent: true } : {}),
  };
}

/** The count and section of each list a role's home page has, in its order. */
function homeLists(page: HomePage, context: Context, query: SortQuery) {
  const present = listsOfRole[page.role].flatMap((id) => {
    const paged = page.lists[id];
    return paged ? [{ id, paged } as List] : [];
  });
  return {
    counts: present.map((list) => countOf(list.id, list.paged as Paged<ListRows[typeof list.id]>, context)),
    sections: present.map((list) =>
      listSection(list.id, list.paged as Paged<ListRows[typeof list.id]>, context, { path: HOME, query, withMore: true }),
    ),
  };
}

const caption = (user: SignedInUser, today: string) => `${user.displayName}, ${formatDate(today)}`;

/** The page a role starts from: what needs doing first, counted at the top, then the first rows of each list. */
export function homePageView(user: SignedInUser, page: HomePage, query: SortQuery) {
  const context: Context = { who: page.role === 'team_manager' ? 'team' : 'mine', today: page.today, week: page.week };
  switch (page.role) {
    case 'care_manager': {
      const { counts, sections } = homeLists(page, context, query);
      return { heading: 'Your work', caption: caption(user, page.today), notices: noticesView(page.notices), counts, sections };
    }
    case 'team_manager': {
      const { counts, sections } = homeLists(page, context, query);
      const workers = sortableTable({
        path: HOME,
        table: 'workers',
        query,
        columns: workerColumns,
        rows: page.workers,
        defaultSort: { column: 'worker', direction: 'asc' },
      });
      const workersSection: HomeSection = {
        id: 'workers',
        heading: 'Each worker',
        empty: 'There are no workers in your team.',
        table: {
          id: workers.id,
          headers: workers.headers,
          rows: workers.rows.map((load) => [
            { text: load.worker?.name ?? 'Not assigned' },
            { text: String(load.people), numeric: true },
            { text: String(load.drafts), numeric: true },
            { text: String(load.returned), numeric: true },
            load.overdue > 0 ? { tag: { text: String(load.overdue), colour: 'red' }, numeric: true } : { text: '0', numeric: true },
            { text: String(load.dueSoon), numeric: true },
          ]),
        },
      };
      return {
        heading: 'Your team',
        caption: caption(user, page.today),
        notices: noticesView(page.notices),
        counts,
        sections: [workersSection, ...sections],
      };
    }
    case 'finance_officer': {
      const { counts, sections } = homeLists(page, context, query);
      return { heading: 'Finance', caption: caption(user, page.today), notices: null, counts, sections };
    }
    case 'admin': {
      const { sections } = homeLists(page, context, query);
      const drafts = page.rasVersions.filter((version) => version.status === 'draft').length;
      const versions = sortableTable({
        path: HOME,
        table: 'ras-versions',
        query,
        columns: rasVersionColumns,
        rows: page.rasVersions,
        defaultSort: { column: 'created', direction: 'desc' },
      });
      const rasSection: HomeSection = {
        id: 'ras-versions',
        heading: 'RAS versions',
        empty: 'There are no RAS versions.',
        more: { href: '/admin/ras', text: 'Manage RAS versions' },
        table: {
          id: versions.id,
          headers: versions.headers,
          rows: versions.rows.map((version: RasVersionListing) => [
            { link: { href: `/admin/ras/${version.id}`, text: version.name } },
            { tag: rasVersionStatusTags[version.stage] },
            { text: formatDate(version.effectiveFrom) },
            { text: formatDate(londonDateOf(version.createdAt)) },
          ]),
        },
      };
      return {
        heading: 'Administration',
        caption: caption(user, page.today),
        notices: null,
        counts: [
          { id: 'users', count: formatCount(page.activeUsers), label: plural(page.activeUsers, 'active user', 'active users') },
          { id: 'ras-versions', count: formatCount(drafts), label: plural(drafts, 'RAS draft', 'RAS drafts') },
        ] satisfies Count[],
        sections: [rasSection, ...sections],
      };
    }
  }
}

/** All of one list from a home page, a page at a time, sorted as on the home page. */
export function listPageView(page: ListPage, query: SortQuery, search: URLSearchParams) {
  const context: Context = { who: page.role === 'team_manager' ? 'team' : 'mine', today: page.today, week: page.week };
  const { id } = page.list;
  const paged = page.list.paged as Paged<ListRows[typeof id]>;
  const path = listPath(id);
  const section = listSection(id, paged, context, { path, query, keep: search, withMore: false });
  const view = viewOf(id, context);
  return {
    heading: section.heading,
    section,
    rangeText: rangeText(paged.page, view.things[1]),
    pagination: pagesOf(paged.page, pageHrefs(path, search)),
  };
}
