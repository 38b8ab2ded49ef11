import type { SortColumn } from '../web/sorting.js';

/**
 * The rows each home-page list shows and the columns it can be sorted by. Views draw the cells
 * in the same order as these columns.
 */

export type PersonCell = { id: number; name: string; reference: string; sortName: string };

export type ReviewListRow = { id: number; person: PersonCell; kind: string; dueDate: string; dueText: string; workerName: string | null };
export type DraftListRow = {
  id: number;
  href: string;
  what: string;
  person: PersonCell;
  startedOn: string;
  ageDays: number;
  ageText: string;
  workerName: string | null;
};
export type ReturnedListRow = {
  id: number;
  person: PersonCell;
  returnedOn: string;
  reason: string;
  returnedByName: string | null;
  workerName: string | null;
};
export type MyPersonRow = { person: PersonCell; clientGroup: string; nextReviewDue: string | null; nextReviewText: string | null };
export type WorkerRow = {
  id: number | null;
  name: string;
  people: number;
  drafts: number;
  returned: number;
  overdue: number;
  dueSoon: number;
};
export type PanelListRow = {
  id: number;
  person: PersonCell;
  daysWaiting: number;
  plannedWeeklyPence: number;
  submittedByName: string | null;
};
export type UnallocatedRow = { person: PersonCell; clientGroup: string; referralDate: string | null; addedOn: string; daysWaiting: number };
export type SignOffRow = {
  id: number;
  person: PersonCell;
  teamName: string;
  daysWaiting: number;
  plannedWeeklyPence: number;
  aboveIndicative: boolean;
  panelAgreed: boolean;
};
export type StartingRow = {
  id: number;
  person: PersonCell;
  teamName: string;
  startDate: string;
  weeklyPence: number;
  directPaymentWeeklyPence: number;
};
export type UnassessedRow = {
  id: number;
  person: PersonCell;
  teamName: string;
  startDate: string;
  daysWithout: number;
  weeklyPence: number;
};
export type RasVersionListRow = { id: number; name: string; status: string; effectiveFrom: string | null; createdOn: string };
export type UserListRow = { id: number; name: string; email: string; role: string; teamName: string | null; active: boolean };

const person = <Row extends { person: PersonCell }>(): SortColumn<Row> => ({
  key: 'person',
  label: 'Person',
  value: (row) => row.person.sortName,
});

export const reviewColumns = (withWorker: boolean): SortColumn<ReviewListRow>[] => [
  person(),
  { key: 'review', label: 'Review', value: (row) => row.kind },
  { key: 'due', label: 'Due', value: (row) => row.dueDate },
  ...(withWorker ? [{ key: 'worker', label: 'Assigned to', value: (row: ReviewListRow) => row.workerName }] : []),
];

export const draftColumns = (withWorker: boolean): SortColumn<DraftListRow>[] => [
  person(),
  { key: 'what', label: 'Draft', value: (row) => row.what },
  { key: 'age', label: 'Open for', value: (row) => row.ageDays, numeric: true, firstDirection: 'desc' },
  ...(withWorker ? [{ key: 'worker', label: 'Started by', value: (row: DraftListRow) => row.workerName }] : []),
];

export const returnedColumns = (withWorker: boolean): SortColumn<ReturnedListRow>[] => [
  person(),
  { key: 'returned', label: 'Returned', value: (row) => row.returnedOn },
  { key: 'reason', label: 'Reason', value: (row) => row.reason },
  ...(withWorker ? [{ key: 'worker', label: 'Care manager', value: (row: ReturnedListRow) => row.workerName }] : []),
];

export const myPeopleColumns: SortColumn<MyPersonRow>[] = [
  person(),
  { key: 'group', label: 'Client group', value: (row) => row.clientGroup },
  { key: 'next-review', label: 'Next review', value: (row) => row.nextReviewDue },
];

export const workerColumns: SortColumn<WorkerRow>[] = [
  // The "Not assigned" row has no worker, so it stays at the bottom whichever way the names are sorted.
  { key: 'worker', label: 'Worker', value: (row) => (row.id === null ? null : row.name) },
  { key: 'people', label: 'People', value: (row) => row.people, numeric: true, firstDirection: 'desc' },
  { key: 'drafts', label: 'Drafts', value: (row) => row.drafts, numeric: true, firstDirection: 'desc' },
  { key: 'returned', label: 'Plans returned', value: (row) => row.returned, numeric: true, firstDirection: 'desc' },
  { key: 'overdue', label: 'Reviews overdue', value: (row) => row.overdue, numeric: true, firstDirection: 'desc' },
  { key: 'due-soon', label: 'Reviews due in 30 days', value: (row) => row.dueSoon, numeric: true, firstDirection: 'desc' },
];

export const panelColumns: SortColumn<PanelListRow>[] = [
  person(),
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
  { key: 'planned', label: 'Planned a week', value: (row) => row.plannedWeeklyPence, numeric: true, firstDirection: 'desc' },
];

export const unallocatedColumns: SortColumn<UnallocatedRow>[] = [
  person(),
  { key: 'group', label: 'Client group', value: (row) => row.clientGroup },
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
];

export const signOffColumns: SortColumn<SignOffRow>[] = [
  person(),
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
  { key: 'planned', label: 'Planned a week', value: (row) => row.plannedWeeklyPence, numeric: true, firstDirection: 'desc' },
];

export const startingColumns: SortColumn<StartingRow>[] = [
  person(),
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'starts', label: 'Starts', value: (row) => row.startDate },
  { key: 'weekly', label: 'A week', value: (row) => row.weeklyPence, numeric: true, firstDirection: 'desc' },
  {
    key: 'direct-payment',
    label: 'Direct payment a week',
    value: (row) => row.directPaymentWeeklyPence,
    numeric: true,
    firstDirection: 'desc',
  },
];

export const unassessedColumns: SortColumn<UnassessedRow>[] = [
  person(),
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'started', label: 'Budget started', value: (row) => row.startDate },
  { key: 'without', label: 'Without one for', value: (row) => row.daysWithout, numeric: true, firstDirection: 'desc' },
  { key: 'weekly', label: 'A week', value: (row) => row.weeklyPence, numeric: true, firstDirection: 'desc' },
];

export const rasVersionColumns: SortColumn<RasVersionListRow>[] = [
  { key: 'name', label: 'Version', value: (row) => row.name },
  { key: 'status', label: 'Status', value: (row) => row.status },
  { key: 'effective', label: 'In use from', value: (row) => row.effectiveFrom },
  { key: 'created', label: 'Created', value: (row) => row.createdOn, firstDirection: 'desc' },
];

export const userColumns: SortColumn<UserListRow>[] = [
  { key: 'name', label: 'Name', value: (row) => row.name },
  { key: 'role', label: 'Role', value: (row) => row.role },
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'status', label: 'Status', value: (row) => (row.active ? 'Active' : 'Deactivated') },
];
