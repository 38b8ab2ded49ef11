import type { Knex } from 'knex';
import { listUsers, type UserAccount } from '../admin/repo.js';
import type { SignedInUser } from '../auth/roles.js';
import { addCalendarDays, daysBetween, londonDateOf, weekContaining } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import type { FinanceService, WaitingPlan } from '../finance/service.js';
import { teamWorkers } from '../people/repo.js';
import { listRasVersions, type RasVersionListing } from '../ras/repo.js';
import { scheduledReviewsDueBy, type DueReview } from '../reviews/repo.js';
import {
  activeBudgetsWithoutFinancialAssessment,
  allocationCounts,
  budgetsStartingBetween,
  drafts,
  peopleAllocatedTo,
  returnedPlans,
  unallocatedPeople,
  type AllocatedPerson,
  type Draft,
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

/** What a care manager and a team manager both see, for one worker or the whole team. */
export type Caseload = {
  /** Due before today. */
  overdue: DueReview[];
  /** Due today or in the next DUE_SOON_DAYS days. */
  dueSoon: DueReview[];
  drafts: OpenDraft[];
  returned: ReturnedPlan[];
};

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

/** What each role's home page is about, as of `today`; the route draws the one for the user's role. */
export type HomePage = { today: string } & (
  | { role: 'care_manager'; caseload: Caseload; myPeople: AllocatedPerson[] }
  | { role: 'team_manager'; caseload: Caseload; workers: WorkerLoad[]; panel: PanelWait[]; unallocated: UnallocatedWait[] }
  | {
      role: 'finance_officer';
      week: { from: string; to: string };
      signOff: SignOffWait[];
      starting: StartingBudget[];
      unassessed: UnassessedWait[];
    }
  | { role: 'admin'; rasVersions: RasVersionListing[]; users: UserAccount[] }
);

const panelWait = (plan: WaitingPlan): PanelWait => ({
  planId: plan.id,
  person: plan.person,
  daysWaiting: plan.daysWaiting,
  plannedWeeklyPence: plan.plannedWeeklyPence,
});

export function homeService(db: Knex, clock: Clock, finance: FinanceService) {
  async function caseload(who: { userId?: number; teamId?: number }, today: string): Promise<Caseload> {
    const [reviews, draftList, returned] = await Promise.all([
      scheduledReviewsDueBy(db, { dueBy: addCalendarDays(today, DUE_SOON_DAYS), assignedTo: who.userId, teamId: who.teamId }),
      drafts(db, who),
      returnedPlans(db, who),
    ]);
    return {
      overdue: reviews.filter((review) => review.dueDate < today),
      dueSoon: reviews.filter((review) => review.dueDate >= today),
      drafts: draftList.map((draft) => {
        const startedOn = londonDateOf(draft.startedAt);
        return { ...draft, startedOn, daysOpen: Math.max(0, daysBetween(startedOn, today)) };
      }),
      returned,
    };
  }

  async function careManagerHome(user: SignedInUser, today: string): Promise<HomePage> {
    const [mine, myPeople] = await Promise.all([caseload({ userId: user.id }, today), peopleAllocatedTo(db, user.id)]);
    return { role: 'care_manager', today, caseload: mine, myPeople };
  }

  async function teamManagerHome(user: SignedInUser, today: string): Promise<HomePage> {
    const teamId = user.teamId ?? -1;
    const [team, workers, allocations, unallocated, panel] = await Promise.all([
      caseload({ teamId }, today),
      teamWorkers(db, teamId),
      allocationCounts(db, teamId),
      unallocatedPeople(db, teamId),
      finance.panelQueue(user),
    ]);
    const loadOf = (workerId: number | null) => ({
      people: workerId === null ? 0 : (allocations.get(workerId) ?? 0),
      drafts: team.drafts.filter((draft) => draft.startedBy === workerId).length,
      returned: team.returned.filter((plan) => (plan.submittedBy ?? plan.createdBy) === workerId).length,
      overdue: team.overdue.filter((review) => review.assignedTo === workerId).length,
      dueSoon: team.dueSoon.filter((review) => review.assignedTo === workerId).length,
    });
    const loads: WorkerLoad[] = workers.map((worker) => ({ worker: { id: worker.id, name: worker.displayName }, ...loadOf(worker.id) }));
    // Reviews with nobody to do them are the ones most likely to be missed, so they get a row of their own.
    const nobody = loadOf(null);
    if (nobody.overdue + nobody.dueSoon > 0) loads.push({ worker: null, ...nobody });
    return {
      role: 'team_manager',
      today,
      caseload: team,
      workers: loads,
      panel: panel.plans.map(panelWait),
      unallocated: unallocated.map((waiting) => {
        const addedOn = londonDateOf(waiting.addedAt);
        return { ...waiting, addedOn, daysWaiting: Math.max(0, daysBetween(addedOn, today)) };
      }),
    };
  }

  async function financeHome(today: string): Promise<HomePage> {
    const week = weekContaining(today);
    const [queue, starting, unassessed] = await Promise.all([
      finance.queue({}),
      budgetsStartingBetween(db, week.from, week.to),
      activeBudgetsWithoutFinancialAssessment(db, today),
    ]);
    return {
      role: 'finance_officer',
      today,
      week,
      signOff: queue.plans.map((plan) => ({
        ...panelWait(plan),
        teamName: plan.teamName,
        aboveIndicative: plan.aboveIndicative,
        agreedAtPanel: plan.panelStatus === 'approved',
      })),
      starting,
      unassessed: unassessed.map((budget) => ({ ...budget, daysWithout: Math.max(0, daysBetween(budget.startDate, today)) })),
    };
  }

  async function adminHome(today: string): Promise<HomePage> {
    const [rasVersions, users] = await Promise.all([listRasVersions(db), listUsers(db)]);
    return { role: 'admin', today, rasVersions, users };
  }

  return {
    /** Each role's own starting page: what needs doing first. */
    async homePage(user: SignedInUser): Promise<HomePage> {
      const today = londonToday(clock);
      switch (user.role) {
        case 'care_manager':
          return careManagerHome(user, today);
        case 'team_manager':
          return teamManagerHome(user, today);
        case 'finance_officer':
          return financeHome(today);
        case 'admin':
          return adminHome(today);
      }
    },
  };
}

export type HomeService = ReturnType<typeof homeService>;
