import { accountStatusTag, teamNameOf, userEditLink } from '../admin/presenters.js';
import type { UserAccount } from '../admin/repo.js';
import { roleLabels, type SignedInUser } from '../auth/roles.js';
import { londonDateOf } from '../calendar.js';
import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { personLink, personName } from '../people/presenters.js';
import { rasVersionStatusTags } from '../ras/presenters.js';
import type { RasVersionListing } from '../ras/repo.js';
import type { DueReview } from '../reviews/repo.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import { formatDate } from '../web/format.js';
import { ageText, daysText, dueWording } from '../web/relative-dates.js';
import { sortableTable, type SortColumn, type SortHeader, type SortQuery, type TableSort } from '../web/sorting.js';
import type { Link, TableCell, Tag } from '../web/view-models.js';
import type { ListedPerson, ReturnedPlan } from './repo.js';
import { DUE_SOON_DAYS, type Caseload, type HomePage, type OpenDraft } from './service.js';
import {
  draftColumns,
  draftLabel,
  myPeopleColumns,
  panelColumns,
  rasVersionColumns,
  returnedColumns,
  reviewColumns,
  signOffColumns,
  startingColumns,
  unallocatedColumns,
  unassessedColumns,
  userColumns,
  workerColumns,
} from './tables.js';

/** A figure at the top of a home page, linking to its list below; urgent ones stand out. */
export type Count = { id: string; count: number; label: string; urgent?: boolean };

/** One list on a home page: its heading, the sortable table, and what to say when it is empty. */
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

function section<Row>(options: {
  id: string;
  heading: string;
  intro?: string;
  empty: string;
  more?: Link;
  query: SortQuery;
  columns: SortColumn<Row>[];
  rows: readonly Row[];
  defaultSort: TableSort;
  cells: (row: Row) => TableCell[];
}): HomeSection {
  const table = sortableTable({
    path: HOME,
    table: options.id,
    query: options.query,
    columns: options.columns,
    rows: options.rows,
    defaultSort: options.defaultSort,
  });
  return {
    id: options.id,
    heading: options.heading,
    ...(options.intro ? { intro: options.intro } : {}),
    empty: options.empty,
    ...(options.more ? { more: options.more } : {}),
    table: { id: table.id, headers: table.headers, rows: table.rows.map(options.cells) },
  };
}

/** The person a row is about, linking to where the list's work is done, with their reference underneath. */
const personCell = (person: ListedPerson, href = personLink(person).href): TableCell => ({
  link: { ...personLink(person), href },
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
const caseloadWords = {
  mine: {
    overdueEmpty: 'None of your reviews are overdue.',
    dueSoonEmpty: `You have no reviews ${dueSoon}.`,
    returnedHeading: 'Plans returned to you',
    returnedCount: ['plan returned to you', 'plans returned to you'],
    returnedEmpty: 'No plans have been returned to you.',
    draftsHeading: 'Your drafts',
    draftsIntro: 'Assessments and support plans you started and have not yet submitted.',
    draftsEmpty: 'You have no drafts.',
  },
  team: {
    overdueEmpty: 'No reviews in the team are overdue.',
    dueSoonEmpty: `No reviews in the team are ${dueSoon}.`,
    returnedHeading: 'Plans returned',
    returnedCount: ['plan returned', 'plans returned'],
    returnedEmpty: 'No plans in the team have been returned.',
    draftsHeading: 'Drafts in the team',
    draftsIntro: undefined,
    draftsEmpty: 'There are no drafts in the team.',
  },
} as const;

/**
 * The four lists both managers' pages have, and their figures: one worker's own, or the whole
 * team's with a column for who holds each. A plan returned to a care manager is theirs to put
 * right, so their figure for it stands out.
 */
function caseloadLists(caseload: Caseload, query: SortQuery, today: string, who: 'mine' | 'team') {
  const withWorker = who === 'team';
  const words = caseloadWords[who];
  const { overdue, dueSoon: soon, returned, drafts } = caseload;
  return {
    counts: {
      overdue: {
        id: 'overdue',
        count: overdue.length,
        label: plural(overdue.length, 'review overdue', 'reviews overdue'),
        urgent: overdue.length > 0,
      },
      dueSoon: { id: 'due-soon', count: soon.length, label: `${plural(soon.length, 'review', 'reviews')} ${dueSoon}` },
      returned: {
        id: 'returned',
        count: returned.length,
        label: plural(returned.length, words.returnedCount[0], words.returnedCount[1]),
        urgent: !withWorker && returned.length > 0,
      },
      drafts: { id: 'drafts', count: drafts.length, label: plural(drafts.length, 'draft', 'drafts') },
    } satisfies Record<string, Count>,
    sections: {
      overdue: section({
        id: 'overdue',
        heading: 'Reviews overdue',
        empty: words.overdueEmpty,
        query,
        columns: reviewColumns(withWorker),
        rows: overdue,
        defaultSort: { column: 'due', direction: 'asc' },
        cells: reviewCells(today, withWorker, true),
      }),
      dueSoon: section({
        id: 'due-soon',
        heading: `Reviews ${dueSoon}`,
        empty: words.dueSoonEmpty,
        query,
        columns: reviewColumns(withWorker),
        rows: soon,
        defaultSort: { column: 'due', direction: 'asc' },
        cells: reviewCells(today, withWorker, false),
      }),
      returned: section({
        id: 'returned',
        heading: words.returnedHeading,
        empty: words.returnedEmpty,
        query,
        columns: returnedColumns(withWorker),
        rows: returned,
        defaultSort: { column: 'returned', direction: 'asc' },
        cells: returnedCells(withWorker),
      }),
      drafts: section({
        id: 'drafts',
        heading: words.draftsHeading,
        intro: words.draftsIntro,
        empty: words.draftsEmpty,
        query,
        columns: draftColumns(withWorker),
        rows: drafts,
        defaultSort: { column: 'age', direction: 'desc' },
        cells: draftCells(today, withWorker),
      }),
    },
  };
}

const caption = (user: SignedInUser, today: string) => `${user.displayName}, ${formatDate(today)}`;

type PageFor<Role extends HomePage['role']> = Extract<HomePage, { role: Role }>;

function careManagerHomeView(user: SignedInUser, page: PageFor<'care_manager'>, query: SortQuery) {
  const { counts, sections } = caseloadLists(page.caseload, query, page.today, 'mine');
  return {
    heading: 'Your work',
    caption: caption(user, page.today),
    counts: [
      counts.overdue,
      counts.dueSoon,
      counts.returned,
      counts.drafts,
      {
        id: 'my-people',
        count: page.myPeople.length,
        label: plural(page.myPeople.length, 'person allocated to you', 'people allocated to you'),
      },
    ] satisfies Count[],
    sections: [
      sections.overdue,
      sections.dueSoon,
      sections.returned,
      sections.drafts,
      section({
        id: 'my-people',
        heading: 'People allocated to you',
        empty: 'Nobody is allocated to you yet.',
        query,
        columns: myPeopleColumns,
        rows: page.myPeople,
        defaultSort: { column: 'person', direction: 'asc' },
        cells: (allocated) => [
          personCell(allocated.person),
          { text: clientGroupLabels[allocated.person.clientGroup] },
          {
            text: allocated.nextReviewDue
              ? `${formatDate(allocated.nextReviewDue)} (${dueWording(allocated.nextReviewDue, page.today)})`
              : 'None scheduled',
          },
        ],
      }),
    ],
  };
}

function teamManagerHomeView(user: SignedInUser, page: PageFor<'team_manager'>, query: SortQuery) {
  const { counts, sections } = caseloadLists(page.caseload, query, page.today, 'team');
  return {
    heading: 'Your team',
    caption: caption(user, page.today),
    counts: [
      counts.overdue,
      counts.dueSoon,
      {
        id: 'panel',
        count: page.panel.length,
        label: plural(page.panel.length, 'plan waiting for panel', 'plans waiting for panel'),
        urgent: page.panel.length > 0,
      },
      {
        id: 'unallocated',
        count: page.unallocated.length,
        label: plural(page.unallocated.length, 'person not allocated', 'people not allocated'),
      },
      counts.returned,
      counts.drafts,
    ] satisfies Count[],
    sections: [
      section({
        id: 'workers',
        heading: 'Each worker',
        empty: 'There are no workers in your team.',
        query,
        columns: workerColumns,
        rows: page.workers,
        defaultSort: { column: 'worker', direction: 'asc' },
        cells: (load) => [
          { text: load.worker?.name ?? 'Not assigned' },
          { text: String(load.people), numeric: true },
          { text: String(load.drafts), numeric: true },
          { text: String(load.returned), numeric: true },
          load.overdue > 0 ? { tag: { text: String(load.overdue), colour: 'red' }, numeric: true } : { text: '0', numeric: true },
          { text: String(load.dueSoon), numeric: true },
        ],
      }),
      sections.overdue,
      sections.dueSoon,
      section({
        id: 'panel',
        heading: 'Plans waiting for panel approval',
        empty: 'No plans are waiting for panel.',
        query,
        columns: panelColumns,
        rows: page.panel,
        defaultSort: { column: 'waiting', direction: 'desc' },
        cells: (plan) => [
          personCell(plan.person, `/plans/${plan.planId}/panel`),
          { text: daysText(plan.daysWaiting), numeric: true },
          { text: formatPence(plan.plannedWeeklyPence), numeric: true },
        ],
      }),
      section({
        id: 'unallocated',
        heading: 'People not allocated to a worker',
        empty: 'Everyone in the team is allocated to a worker.',
        query,
        columns: unallocatedColumns,
        rows: page.unallocated,
        defaultSort: { column: 'waiting', direction: 'desc' },
        cells: (waiting) => [
          personCell(waiting.person, `/people/${waiting.person.id}/allocate`),
          { text: clientGroupLabels[waiting.person.clientGroup] },
          { text: daysText(waiting.daysWaiting), numeric: true },
        ],
      }),
      sections.returned,
      sections.drafts,
    ],
  };
}

const overIndicative: Tag = { text: 'Over indicative', colour: 'orange' };

function financeHomeView(user: SignedInUser, page: PageFor<'finance_officer'>, query: SortQuery) {
  const { signOff, starting, unassessed } = page;
  return {
    heading: 'Finance',
    caption: caption(user, page.today),
    counts: [
      {
        id: 'sign-off',
        count: signOff.length,
        label: plural(signOff.length, 'plan waiting for sign-off', 'plans waiting for sign-off'),
        urgent: signOff.length > 0,
      },
      { id: 'starting', count: starting.length, label: plural(starting.length, 'budget starting this week', 'budgets starting this week') },
      {
        id: 'unassessed',
        count: unassessed.length,
        label: `${plural(unassessed.length, 'budget', 'budgets')} without a financial assessment`,
        urgent: unassessed.length > 0,
      },
    ] satisfies Count[],
    sections: [
      section({
        id: 'sign-off',
        heading: 'Waiting for sign-off',
        intro: 'The longest waiting first.',
        empty: 'Nothing is waiting for sign-off.',
        query,
        columns: signOffColumns,
        rows: signOff,
        defaultSort: { column: 'waiting', direction: 'desc' },
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
      section({
        id: 'starting',
        heading: 'Budgets starting this week',
        intro: `Monday ${formatDate(page.week.from)} to Sunday ${formatDate(page.week.to)}.`,
        empty: 'No budgets start this week.',
        query,
        columns: startingColumns,
        rows: starting,
        defaultSort: { column: 'starts', direction: 'asc' },
        cells: (budget) => [
          personCell(budget.person, `/people/${budget.person.id}#personal-budget`),
          { text: budget.teamName },
          { text: formatDate(budget.startDate) },
          { text: formatPence(budget.weeklyPence), numeric: true },
          { text: budget.directPaymentWeeklyPence > 0 ? formatPence(budget.directPaymentWeeklyPence) : 'None', numeric: true },
        ],
      }),
      section({
        id: 'unassessed',
        heading: 'Financial assessments missing',
        intro: 'Budgets being paid today with no financial assessment in force, so nobody knows what the person should pay.',
        empty: 'Every budget being paid has a financial assessment.',
        query,
        columns: unassessedColumns,
        rows: unassessed,
        defaultSort: { column: 'without', direction: 'desc' },
        cells: (budget) => [
          personCell(budget.person, `/people/${budget.person.id}/financial-assessment`),
          { text: budget.teamName },
          { text: formatDate(budget.startDate) },
          { text: daysText(budget.daysWithout), numeric: true },
          { text: formatPence(budget.weeklyPence), numeric: true },
        ],
      }),
    ],
  };
}

function adminHomeView(user: SignedInUser, page: PageFor<'admin'>, query: SortQuery) {
  const drafts = page.rasVersions.filter((version) => version.status === 'draft').length;
  const active = page.users.filter((account) => account.active).length;
  return {
    heading: 'Administration',
    caption: caption(user, page.today),
    counts: [
      { id: 'users', count: active, label: plural(active, 'active user', 'active users') },
      { id: 'ras-versions', count: drafts, label: plural(drafts, 'RAS draft', 'RAS drafts') },
    ] satisfies Count[],
    sections: [
      section({
        id: 'ras-versions',
        heading: 'RAS versions',
        empty: 'There are no RAS versions.',
        more: { href: '/admin/ras', text: 'Manage RAS versions' },
        query,
        columns: rasVersionColumns,
        rows: page.rasVersions,
        defaultSort: { column: 'created', direction: 'desc' },
        cells: (version: RasVersionListing) => [
          { link: { href: `/admin/ras/${version.id}`, text: version.name } },
          { tag: rasVersionStatusTags[version.status] },
          { text: formatDate(version.effectiveFrom) },
          { text: formatDate(londonDateOf(version.createdAt)) },
        ],
      }),
      section({
        id: 'users',
        heading: 'Users',
        empty: 'There are no users.',
        more: { href: '/admin/users', text: 'Manage users' },
        query,
        columns: userColumns,
        rows: page.users,
        defaultSort: { column: 'name', direction: 'asc' },
        cells: (account: UserAccount) => [
          { link: userEditLink(account), secondary: account.email },
          { text: roleLabels[account.role] },
          { text: teamNameOf(account) },
          { tag: accountStatusTag(account.active) },
        ],
      }),
    ],
  };
}

/** The page a role starts from: what needs doing first, counted at the top, then each list. */
export function homePageView(user: SignedInUser, page: HomePage, query: SortQuery) {
  switch (page.role) {
    case 'care_manager':
      return careManagerHomeView(user, page, query);
    case 'team_manager':
      return teamManagerHomeView(user, page, query);
    case 'finance_officer':
      return financeHomeView(user, page, query);
    case 'admin':
      return adminHomeView(user, page, query);
  }
}
