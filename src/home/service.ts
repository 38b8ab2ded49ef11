import type { Knex } from 'knex';
import { listUsers } from '../admin/repo.js';
import { assessmentTypeLabels } from '../assessments/questionnaire.js';
import { roleLabels, type SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import type { FinanceService } from '../finance/service.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { teamWorkers } from '../people/repo.js';
import { listRasVersions } from '../ras/repo.js';
import { scheduledReviewsDueBy, type DueReviewRow } from '../reviews/repo.js';
import { reviewKindLabels } from '../reviews/schemas.js';
import { addCalendarDays, daysBetween, londonDateOf, weekContaining } from '../calendar.js';
import { ageText, dueWording } from '../web/relative-dates.js';
import { sortableTable, type SortQuery } from '../web/sorting.js';
import {
  activeBudgetsWithoutFinancialAssessment,
  allocationCounts,
  budgetsStartingBetween,
  drafts,
  peopleAllocatedTo,
  returnedPlans,
  unallocatedPeople,
  type DraftRow,
  type PersonColumns,
  type ReturnedPlanRow,
} from './repo.js';
import {
  draftColumns,
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
  type DraftListRow,
  type PersonCell,
  type ReturnedListRow,
  type ReviewListRow,
  type WorkerRow,
} from './tables.js';

/** "Due soon" is the next 30 days, today included: time to arrange a visit. */
export const DUE_SOON_DAYS = 30;

const rasStatusLabels: Record<string, string> = { draft: 'Draft', published: 'In use', retired: 'Retired' };

function personOf(row: PersonColumns): PersonCell {
  return {
    id: row.person_id,
    name: `${row.given_name} ${row.family_name}`,
    reference: row.reference,
    sortName: `${row.family_name} ${row.given_name}`,
  };
}

/** Overdue is before today; due soon is today to 30 days on. Anything later is not on the home page. */
function splitReviews(rows: DueReviewRow[], today: string) {
  const toRow = (row: DueReviewRow): ReviewListRow => ({
    id: row.id,
    person: personOf(row),
    kind: reviewKindLabels[row.kind],
    dueDate: row.due_date,
    dueText: dueWording(row.due_date, today),
    workerName: row.assigned_to_name,
  });
  return {
    overdue: rows.filter((row) => row.due_date < today).map(toRow),
    dueSoon: rows.filter((row) => row.due_date >= today).map(toRow),
  };
}

function draftRow(row: DraftRow, today: string): DraftListRow {
  const startedOn = londonDateOf(row.started_at);
  return {
    id: row.id,
    href: row.kind === 'plan' ? `/plans/${row.id}` : `/assessments/${row.id}`,
    what: row.kind === 'plan' ? 'Support plan' : assessmentTypeLabels[row.assessment_type ?? 'person'],
    person: personOf(row),
    startedOn,
    ageDays: Math.max(0, daysBetween(startedOn, today)),
    ageText: ageText(startedOn, today),
    workerName: row.started_by_name,
  };
}

function returnedRow(row: ReturnedPlanRow): ReturnedListRow {
  return {
    id: row.id,
    person: personOf(row),
    returnedOn: londonDateOf(row.returned_at),
    reason: row.return_reason,
    returnedByName: row.returned_by_name,
    workerName: row.worker_name,
  };
}

/** The two cards both managers' home pages open with: reviews overdue and reviews due soon. */
function reviewCounts(caseload: { overdue: unknown[]; dueSoon: unknown[] }) {
  return [
    {
      id: 'overdue',
      count: caseload.overdue.length,
      label: caseload.overdue.length === 1 ? 'review overdue' : 'reviews overdue',
      urgent: caseload.overdue.length > 0,
    },
    {
      id: 'due-soon',
      count: caseload.dueSoon.length,
      label: `${caseload.dueSoon.length === 1 ? 'review' : 'reviews'} due in the next ${DUE_SOON_DAYS} days`,
    },
  ];
}

export function homeService(db: Knex, clock: Clock, finance: FinanceService) {
  /** What a care manager and a team manager both see, for one worker or the whole team. */
  async function caseload(who: { userId?: number; teamId?: number }, today: string) {
    const [reviews, draftRows, returnedRows] = await Promise.all([
      scheduledReviewsDueBy(db, { dueBy: addCalendarDays(today, DUE_SOON_DAYS), assignedTo: who.userId, teamId: who.teamId }),
      drafts(db, who),
      returnedPlans(db, who),
    ]);
    return {
      ...splitReviews(reviews, today),
      drafts: draftRows.map((row) => draftRow(row, today)),
      returned: returnedRows.map(returnedRow),
      raw: { reviews, drafts: draftRows, returned: returnedRows },
    };
  }

  async function careManagerHome(user: SignedInUser, path: string, query: SortQuery, today: string) {
    const [mine, people] = await Promise.all([caseload({ userId: user.id }, today), peopleAllocatedTo(db, user.id)]);
    const myPeople = people.map((row) => ({
      person: personOf(row),
      clientGroup: clientGroupLabels[row.client_group],
      nextReviewDue: row.next_review_due,
      nextReviewText: row.next_review_due ? dueWording(row.next_review_due, today) : null,
    }));
    return {
      view: 'home/care-manager' as const,
      counts: [
        ...reviewCounts(mine),
        {
          id: 'returned',
          count: mine.returned.length,
          label: mine.returned.length === 1 ? 'plan returned to you' : 'plans returned to you',
          urgent: mine.returned.length > 0,
        },
        { id: 'drafts', count: mine.drafts.length, label: mine.drafts.length === 1 ? 'draft' : 'drafts' },
        { id: 'my-people', count: myPeople.length, label: myPeople.length === 1 ? 'person allocated to you' : 'people allocated to you' },
      ],
      tables: {
        overdue: sortableTable({
          path,
          table: 'overdue',
          query,
          columns: reviewColumns(false),
          rows: mine.overdue,
          defaultSort: { column: 'due', direction: 'asc' },
        }),
        dueSoon: sortableTable({
          path,
          table: 'due-soon',
          query,
          columns: reviewColumns(false),
          rows: mine.dueSoon,
          defaultSort: { column: 'due', direction: 'asc' },
        }),
        returned: sortableTable({
          path,
          table: 'returned',
          query,
          columns: returnedColumns(false),
          rows: mine.returned,
          defaultSort: { column: 'returned', direction: 'asc' },
        }),
        drafts: sortableTable({
          path,
          table: 'drafts',
          query,
          columns: draftColumns(false),
          rows: mine.drafts,
          defaultSort: { column: 'age', direction: 'desc' },
        }),
        myPeople: sortableTable({
          path,
          table: 'my-people',
          query,
          columns: myPeopleColumns,
          rows: myPeople,
          defaultSort: { column: 'person', direction: 'asc' },
        }),
      },
    };
  }

  async function teamManagerHome(user: SignedInUser, path: string, query: SortQuery, today: string) {
    const teamId = user.teamId ?? -1;
    const [team, workers, allocations, unallocated, panel] = await Promise.all([
      caseload({ teamId }, today),
      teamWorkers(db, teamId),
      allocationCounts(db, teamId),
      unallocatedPeople(db, teamId),
      finance.panelQueue(user),
    ]);
    const countFor = (workerId: number | null) => ({
      people: workerId === null ? 0 : (allocations.get(workerId) ?? 0),
      drafts: team.raw.drafts.filter((row) => row.started_by === workerId).length,
      returned: team.raw.returned.filter((row) => (row.submitted_by ?? row.created_by) === workerId).length,
      overdue: team.raw.reviews.filter((row) => row.assigned_to === workerId && row.due_date < today).length,
      dueSoon: team.raw.reviews.filter((row) => row.assigned_to === workerId && row.due_date >= today).length,
    });
    const workerRows: WorkerRow[] = workers.map((worker) => ({ id: worker.id, name: worker.displayName, ...countFor(worker.id) }));
    // Reviews with nobody to do them are the ones most likely to be missed, so they get a row of their own.
    const nobody = countFor(null);
    if (nobody.overdue + nobody.dueSoon > 0) workerRows.push({ id: null, name: 'Not assigned', ...nobody });
    const panelRows = panel.plans.map((plan) => ({
      id: plan.id,
      person: personOf(plan),
      daysWaiting: plan.days_waiting,
      plannedWeeklyPence: plan.plannedWeeklyPence,
      submittedByName: plan.submitted_by_name,
    }));
    const unallocatedRows = unallocated.map((row) => {
      const addedOn = londonDateOf(row.created_at);
      return {
        person: personOf(row),
        clientGroup: clientGroupLabels[row.client_group],
        referralDate: row.referral_date,
        addedOn,
        daysWaiting: Math.max(0, daysBetween(addedOn, today)),
      };
    });
    return {
      view: 'home/team-manager' as const,
      counts: [
        ...reviewCounts(team),
        {
          id: 'panel',
          count: panelRows.length,
          label: panelRows.length === 1 ? 'plan waiting for panel' : 'plans waiting for panel',
          urgent: panelRows.length > 0,
        },
        {
          id: 'unallocated',
          count: unallocatedRows.length,
          label: unallocatedRows.length === 1 ? 'person not allocated' : 'people not allocated',
        },
        { id: 'returned', count: team.returned.length, label: team.returned.length === 1 ? 'plan returned' : 'plans returned' },
        { id: 'drafts', count: team.drafts.length, label: team.drafts.length === 1 ? 'draft' : 'drafts' },
      ],
      tables: {
        workers: sortableTable({
          path,
          table: 'workers',
          query,
          columns: workerColumns,
          rows: workerRows,
          defaultSort: { column: 'worker', direction: 'asc' },
        }),
        overdue: sortableTable({
          path,
          table: 'overdue',
          query,
          columns: reviewColumns(true),
          rows: team.overdue,
          defaultSort: { column: 'due', direction: 'asc' },
        }),
        dueSoon: sortableTable({
          path,
          table: 'due-soon',
          query,
          columns: reviewColumns(true),
          rows: team.dueSoon,
          defaultSort: { column: 'due', direction: 'asc' },
        }),
        panel: sortableTable({
          path,
          table: 'panel',
          query,
          columns: panelColumns,
          rows: panelRows,
          defaultSort: { column: 'waiting', direction: 'desc' },
        }),
        unallocated: sortableTable({
          path,
          table: 'unallocated',
          query,
          columns: unallocatedColumns,
          rows: unallocatedRows,
          defaultSort: { column: 'waiting', direction: 'desc' },
        }),
        returned: sortableTable({
          path,
          table: 'returned',
          query,
          columns: returnedColumns(true),
          rows: team.returned,
          defaultSort: { column: 'returned', direction: 'asc' },
        }),
        drafts: sortableTable({
          path,
          table: 'drafts',
          query,
          columns: draftColumns(true),
          rows: team.drafts,
          defaultSort: { column: 'age', direction: 'desc' },
        }),
      },
    };
  }

  async function financeHome(path: string, query: SortQuery, today: string) {
    const week = weekContaining(today);
    const [queue, starting, unassessed] = await Promise.all([
      finance.queue({}),
      budgetsStartingBetween(db, week.from, week.to),
      activeBudgetsWithoutFinancialAssessment(db, today),
    ]);
    const queueRows = queue.plans.map((plan) => ({
      id: plan.id,
      person: personOf(plan),
      teamName: plan.team_name,
      daysWaiting: plan.days_waiting,
      plannedWeeklyPence: plan.plannedWeeklyPence,
      aboveIndicative: plan.aboveIndicative,
      panelAgreed: plan.panel_status === 'approved',
    }));
    const startingRows = starting.map((row) => ({
      id: row.id,
      person: personOf(row),
      teamName: row.team_name,
      startDate: row.start_date,
      weeklyPence: row.weekly_pence,
      directPaymentWeeklyPence: row.direct_payment_weekly_pence,
    }));
    const unassessedRows = unassessed.map((row) => ({
      id: row.id,
      person: personOf(row),
      teamName: row.team_name,
      startDate: row.start_date,
      daysWithout: Math.max(0, daysBetween(row.start_date, today)),
      weeklyPence: row.weekly_pence,
    }));
    return {
      view: 'home/finance' as const,
      week,
      counts: [
        {
          id: 'sign-off',
          count: queueRows.length,
          label: queueRows.length === 1 ? 'plan waiting for sign-off' : 'plans waiting for sign-off',
          urgent: queueRows.length > 0,
        },
        {
          id: 'starting',
          count: startingRows.length,
          label: startingRows.length === 1 ? 'budget starting this week' : 'budgets starting this week',
        },
        {
          id: 'unassessed',
          count: unassessedRows.length,
          label: `${unassessedRows.length === 1 ? 'budget' : 'budgets'} without a financial assessment`,
          urgent: unassessedRows.length > 0,
        },
      ],
      tables: {
        signOff: sortableTable({
          path,
          table: 'sign-off',
          query,
          columns: signOffColumns,
          rows: queueRows,
          defaultSort: { column: 'waiting', direction: 'desc' },
        }),
        starting: sortableTable({
          path,
          table: 'starting',
          query,
          columns: startingColumns,
          rows: startingRows,
          defaultSort: { column: 'starts', direction: 'asc' },
        }),
        unassessed: sortableTable({
          path,
          table: 'unassessed',
          query,
          columns: unassessedColumns,
          rows: unassessedRows,
          defaultSort: { column: 'without', direction: 'desc' },
        }),
      },
    };
  }

  async function adminHome(path: string, query: SortQuery) {
    const [versions, users] = await Promise.all([listRasVersions(db), listUsers(db)]);
    const versionRows = versions.map((row) => ({
      id: row.id,
      name: row.name,
      status: rasStatusLabels[row.status] ?? row.status,
      effectiveFrom: row.effective_from,
      createdOn: londonDateOf(row.created_at),
    }));
    const userRows = users.map((row) => ({
      id: row.id,
      name: row.display_name,
      email: row.email,
      role: roleLabels[row.role],
      teamName: row.team_name,
      active: row.active,
    }));
    const drafts = versions.filter((row) => row.status === 'draft').length;
    const active = users.filter((row) => row.active).length;
    return {
      view: 'home/admin' as const,
      counts: [
        { id: 'users', count: active, label: active === 1 ? 'active user' : 'active users' },
        { id: 'ras-versions', count: drafts, label: drafts === 1 ? 'RAS draft' : 'RAS drafts' },
      ],
      tables: {
        rasVersions: sortableTable({
          path,
          table: 'ras-versions',
          query,
          columns: rasVersionColumns,
          rows: versionRows,
          defaultSort: { column: 'created', direction: 'desc' },
        }),
        users: sortableTable({
          path,
          table: 'users',
          query,
          columns: userColumns,
          rows: userRows,
          defaultSort: { column: 'name', direction: 'asc' },
        }),
      },
    };
  }

  return {
    /** Each role's own starting page: what needs doing first, counted at the top. */
    async homePage(user: SignedInUser, query: SortQuery) {
      const today = londonToday(clock);
      const path = '/';
      const page =
        user.role === 'care_manager'
          ? await careManagerHome(user, path, query, today)
          : user.role === 'team_manager'
            ? await teamManagerHome(user, path, query, today)
            : user.role === 'finance_officer'
              ? await financeHome(path, query, today)
              : await adminHome(path, query);
      return { ...page, today };
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
