import { accountStatusTag } from '../admin/presenters.js';
import type { UserAccount } from '../admin/repo.js';
import { assessmentTypeLabels } from '../assessments/questionnaire.js';
import { roleLabels } from '../auth/roles.js';
import { londonDateOf } from '../calendar.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { personListName } from '../people/presenters.js';
import { rasVersionStatusTags } from '../ras/presenters.js';
import type { RasVersionListing } from '../ras/repo.js';
import type { DueReview } from '../reviews/repo.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import type { SortColumn } from '../web/sorting.js';
import type { AllocatedPerson, Draft, ListedPerson, ReturnedPlan, StartingBudget } from './repo.js';
import {
  DUE_SOON_DAYS,
  type OpenDraft,
  type PanelWait,
  type SignOffWait,
  type UnallocatedWait,
  type UnassessedWait,
  type WorkerLoad,
} from './service.js';

/**
 * The columns each home-page list can be sorted by, over the rows the home service gives.
 * Presenters draw the cells in the same order as these columns.
 */

/** What a draft is, in the words its list shows: "Support plan", "Carer’s assessment". */
export const draftLabel = (draft: Pick<Draft, 'kind' | 'assessmentType'>): string =>
  draft.kind === 'plan' ? 'Support plan' : assessmentTypeLabels[draft.assessmentType ?? 'person'];

const person = <Row extends { person: ListedPerson }>(): SortColumn<Row> => ({
  key: 'person',
  label: 'Person',
  value: (row) => personListName(row.person),
});

export const reviewColumns = (withWorker: boolean): SortColumn<DueReview>[] => [
  person(),
  { key: 'review', label: 'Review', value: (row) => reviewKindLabels[row.kind] },
  { key: 'due', label: 'Due', value: (row) => row.dueDate },
  ...(withWorker ? [{ key: 'worker', label: 'Assigned to', value: (row: DueReview) => row.assignedToName }] : []),
];

export const draftColumns = (withWorker: boolean): SortColumn<OpenDraft>[] => [
  person(),
  { key: 'what', label: 'Draft', value: draftLabel },
  { key: 'age', label: 'Open for', value: (row) => row.daysOpen, numeric: true, firstDirection: 'desc' },
  ...(withWorker ? [{ key: 'worker', label: 'Started by', value: (row: OpenDraft) => row.startedByName }] : []),
];

export const returnedColumns = (withWorker: boolean): SortColumn<ReturnedPlan>[] => [
  person(),
  { key: 'returned', label: 'Returned', value: (row) => londonDateOf(row.returnedAt) },
  { key: 'reason', label: 'Reason', value: (row) => row.returnReason },
  ...(withWorker ? [{ key: 'worker', label: 'Care manager', value: (row: ReturnedPlan) => row.workerName }] : []),
];

export const myPeopleColumns: SortColumn<AllocatedPerson>[] = [
  person(),
  { key: 'group', label: 'Client group', value: (row) => clientGroupLabels[row.person.clientGroup] },
  { key: 'next-review', label: 'Next review', value: (row) => row.nextReviewDue },
];

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

export const panelColumns: SortColumn<PanelWait>[] = [
  person(),
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
  { key: 'planned', label: 'Planned a week', value: (row) => row.plannedWeeklyPence, numeric: true, firstDirection: 'desc' },
];

export const unallocatedColumns: SortColumn<UnallocatedWait>[] = [
  person(),
  { key: 'group', label: 'Client group', value: (row) => clientGroupLabels[row.person.clientGroup] },
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
];

export const signOffColumns: SortColumn<SignOffWait>[] = [
  person(),
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'waiting', label: 'Waiting', value: (row) => row.daysWaiting, numeric: true, firstDirection: 'desc' },
  { key: 'planned', label: 'Planned a week', value: (row) => row.plannedWeeklyPence, numeric: true, firstDirection: 'desc' },
];

export const startingColumns: SortColumn<StartingBudget>[] = [
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

export const unassessedColumns: SortColumn<UnassessedWait>[] = [
  person(),
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'started', label: 'Budget started', value: (row) => row.startDate },
  { key: 'without', label: 'Without one for', value: (row) => row.daysWithout, numeric: true, firstDirection: 'desc' },
  { key: 'weekly', label: 'A week', value: (row) => row.weeklyPence, numeric: true, firstDirection: 'desc' },
];

export const rasVersionColumns: SortColumn<RasVersionListing>[] = [
  { key: 'name', label: 'Version', value: (row) => row.name },
  { key: 'status', label: 'Status', value: (row) => rasVersionStatusTags[row.status].text },
  { key: 'effective', label: 'Takes effect', value: (row) => row.effectiveFrom },
  { key: 'created', label: 'Created', value: (row) => londonDateOf(row.createdAt), firstDirection: 'desc' },
];

export const userColumns: SortColumn<UserAccount>[] = [
  { key: 'name', label: 'Name', value: (row) => row.displayName },
  { key: 'role', label: 'Role', value: (row) => roleLabels[row.role] },
  { key: 'team', label: 'Team', value: (row) => row.teamName },
  { key: 'status', label: 'Status', value: (row) => accountStatusTag(row.active).text },
];
