import { assessmentTypeLabels } from '../assessments/questionnaire.js';
import { londonDateOf } from '../calendar.js';
import { rasVersionStatusTags } from '../ras/presenters.js';
import type { RasVersionListing } from '../ras/repo.js';
import type { ListSort } from '../db/paging.js';
import { sortFor, type SortableColumn, type SortColumn, type SortQuery, type TableSort } from '../web/sorting.js';
import type { Draft } from './repo.js';
import { DUE_SOON_DAYS, type ListId, type WorkerLoad } from './service.js';

/**
 * The columns each home-page list can be sorted by. The lists that grow are sorted by the
 * database, which knows the same keys (src/home/repo.ts and the repos it reads); the two short
 * tables (workers, RAS versions) are sorted here. Presenters draw the cells in the same order as
 * these columns.
 */

/** What a draft is, in the words its list shows: "Support plan", "Carer’s assessment". */
export const draftLabel = (draft: Pick<Draft, 'kind' | 'assessmentType'>): string =>
  draft.kind === 'plan' ? 'Support plan' : assessmentTypeLabels[draft.assessmentType ?? 'person'];

const person: SortableColumn = { key: 'person', label: 'Person' };
const clientGroup: SortableColumn = { key: 'group', label: 'Client group' };
const team: SortableColumn = { key: 'team', label: 'Team' };
const waiting: SortableColumn = { key: 'waiting', label: 'Waiting', numeric: true, firstDirection: 'desc' };
const planned: SortableColumn = { key: 'planned', label: 'Planned a week', numeric: true, firstDirection: 'desc' };
const worker = (label: string) => ({ key: 'worker', label });

/** A list's columns (those with a worker column only on a team's page) and its usual order. */
type ListTable = { columns: (withWorker: boolean) => SortableColumn[]; defaultSort: TableSort };

const reviewTable: ListTable = {
  columns: (withWorker) => [
    person,
    { key: 'review', label: 'Review' },
    { key: 'due', label: 'Due' },
    ...(withWorker ? [worker('Assigned to')] : []),
  ],
  defaultSort: { column: 'due', direction: 'asc' },
};

export const listTables: Record<ListId, ListTable> = {
  overdue: reviewTable,
  'due-soon': reviewTable,
  drafts: {
    columns: (withWorker) => [
      person,
      { key: 'what', label: 'Draft' },
      { key: 'age', label: 'Open for', numeric: true, firstDirection: 'desc' },
      ...(withWorker ? [worker('Started by')] : []),
    ],
    defaultSort: { column: 'age', direction: 'desc' },
  },
  returned: {
    columns: (withWorker) => [
      person,
      { key: 'returned', label: 'Returned' },
      { key: 'reason', label: 'Reason' },
      ...(withWorker ? [worker('Care manager')] : []),
    ],
    defaultSort: { column: 'returned', direction: 'asc' },
  },
  'my-people': {
    columns: () => [person, clientGroup, { key: 'next-review', label: 'Next review' }],
    defaultSort: { column: 'person', direction: 'asc' },
  },
  panel: { columns: () => [person, waiting, planned], defaultSort: { column: 'waiting', direction: 'desc' } },
  unallocated: { columns: () => [person, clientGroup, waiting], defaultSort: { column: 'waiting', direction: 'desc' } },
  'sign-off': { columns: () => [person, team, waiting, planned], defaultSort: { column: 'waiting', direction: 'desc' } },
  starting: {
    columns: () => [
      person,
      team,
      { key: 'starts', label: 'Starts' },
      { key: 'weekly', label: 'A week', numeric: true, firstDirection: 'desc' },
      { key: 'direct-payment', label: 'Direct payment a week', numeric: true, firstDirection: 'desc' },
    ],
    defaultSort: { column: 'starts', direction: 'asc' },
  },
  unassessed: {
    columns: () => [
      person,
      team,
      { key: 'started', label: 'Budget started' },
      { key: 'without', label: 'Without one for', numeric: true, firstDirection: 'desc' },
      { key: 'weekly', label: 'A week', numeric: true, firstDirection: 'desc' },
    ],
    defaultSort: { column: 'without', direction: 'desc' },
  },
  users: {
    columns: () => [
      { key: 'name', label: 'Name' },
      { key: 'role', label: 'Role' },
      { key: 'team', label: 'Team' },
      { key: 'status', label: 'Status' },
    ],
    defaultSort: { column: 'name', direction: 'asc' },
  },
};

/** The order asked for of a list, if the query names it and one of its columns; otherwise its usual order. */
export const listSort =
  (query: SortQuery) =>
  (id: ListId): ListSort => {
    const table = listTables[id];
    return sortFor(query, id, table.columns(true), table.defaultSort);
  };

export const workerColumns: SortColumn<WorkerLoad>[] = [
  // The "Not assigned" row has no worker, so it stays at the bottom whichever way the names are sorted.
  { key: 'worker', label: 'Worker', value: (row) => row.worker?.name ?? null },
  { key: 'people', label: 'People', value: (row) => row.people, numeric: true, firstDirection: 'desc' },
  { key: 'drafts', label: 'Drafts', value: (row) => row.drafts, numeric: true, firstDirection: 'desc' },
  { key: 'returned', label: 'Plans returned', value: (row) => row.returned, numeric: true, firstDirection: 'desc' },
  { key: 'overdue', label: 'Reviews overdue', value: (row) => row.overdue, numeric: true, firstDirection: 'desc' },
  {
    key: 'due-soon',
    label: `Reviews due in ${DUE_SOON_DAYS} days`,
    value: (row) => row.dueSoon,
    numeric: true,
    firstDirection: 'desc',
  },
];

export const rasVersionColumns: SortColumn<RasVersionListing>[] = [
  { key: 'name', label: 'Version', value: (row) => row.name },
  { key: 'status', label: 'Status', value: (row) => rasVersionStatusTags[row.stage].text },
  { key: 'effective', label: 'Takes effect', value: (row) => row.effectiveFrom },
  { key: 'created', label: 'Created', value: (row) => londonDateOf(row.createdAt), firstDirection: 'desc' },
];
