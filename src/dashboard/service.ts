import type { Knex } from 'knex';
import type { SignedInUser } from '../auth/roles.js';
import { addCalendarDays } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { managementOptions } from '../plans/options.js';
import { directPaymentFigures, figureDates } from '../direct-payments/figures-repo.js';
import { uptakeTargetOn } from '../settings/service.js';
import { median, percentOneDecimal, sumCounts, uptake, type Uptake } from './figures.js';
import type { PageRequest } from '../db/paging.js';
import {
  approvalWaitPeople,
  dashboardDataVersion,
  daysFromAssessmentToApproval,
  managementTotals,
  teamNameOf,
  uptakeCounts,
  uptakePeople,
  type UptakeCount,
  type UptakeFilter,
  type UptakeListId,
} from './repo.js';

/** The median is of budgets approved in this many days, today included. */
export const MEDIAN_WINDOW_DAYS = 90;

/** Uptake of the people counted under one key (a client group, a team), in the order they were first met. */
function uptakeBy<K>(
  counts: readonly UptakeCount[],
  keyOf: (count: UptakeCount) => K,
  target: number | null,
): { key: K; first: UptakeCount; uptake: Uptake }[] {
  const groups = new Map<K, UptakeCount[]>();
  for (const count of counts) {
    const members = groups.get(keyOf(count));
    if (members) members.push(count);
    else groups.set(keyOf(count), [count]);
  }
  return [...groups.entries()].map(([key, members]) => {
    const total = sumCounts(members);
    return { key, first: members[0] as UptakeCount, uptake: uptake(total.eligible, total.withBudget, target) };
  });
}

/** What the dashboard reads from the database for one team, or for all (teamId undefined), on one day. */
function readFigures(db: Knex, today: string, teamId: number | undefined) {
  return Promise.all([
    uptakeCounts(db, today, teamId),
    managementTotals(db, today, teamId),
    daysFromAssessmentToApproval(db, today, teamId),
    uptakeTargetOn(db, today),
    directPaymentFigures(db, figureDates(today), teamId),
  ]);
}

type Figures = Awaited<ReturnType<typeof readFigures>>;

/**
 * Counting 100,000 people takes a few hundred milliseconds, and a dashboard is read far more often
 * than its figures change. Every commit that changes a row they come from moves the database's
 * dashboard data version (a trigger, migrations/074_dashboard_data_version.ts), so figures read at
 * a version stay exact while the version stands still, whoever changed what, by whichever app
 * instance or by hand. The version is read first, so the figures read after it hold every change
 * up to it; a change committed in between may show as well, and the version it moved makes the
 * next request read again. Both come from the same database (a replica replays the counter with
 * the rows it counts). Requests that arrive while figures are being read share that reading.
 */
function figuresKeptWhileUnchanged(db: Knex) {
  const kept = new Map<string, { version: number; today: string; figures: Promise<Figures> }>();
  return async (today: string, teamId: number | undefined): Promise<Figures> => {
    const version = await dashboardDataVersion(db);
    const scope = teamId === undefined ? 'all' : String(teamId);
    const held = kept.get(scope);
    if (held && held.version === version && held.today === today) return held.figures;
    const figures = readFigures(db, today, teamId);
    // One entry for all teams and one for each team, replaced when the version or the day moves on.
    if (!held || held.version <= version) kept.set(scope, { version, today, figures });
    // A failed reading is not kept: the next request tries again.
    figures.catch(() => {
      if (kept.get(scope)?.figures === figures) kept.delete(scope);
    });
    return figures;
  };
}

export function dashboardService(db: Knex, clock: Clock) {
  const figures = figuresKeptWhileUnchanged(db);
  return {
    /**
     * The people behind one of the dashboard's figures, as permission-checked as the dashboard: a
     * team manager sees their own team's people only, and asking for another team's is refused.
     */
    async people(user: SignedInUser, list: DashboardListId, filter: UptakeFilter, request: PageRequest) {
      if (user.role !== 'team_manager' && user.role !== 'admin') throw new ForbiddenError();
      const ownTeam = user.role === 'team_manager' ? (user.teamId ?? -1) : undefined;
      if (ownTeam !== undefined && filter.teamId !== undefined && filter.teamId !== ownTeam) {
        throw new ForbiddenError('You can see the people of your own team only.');
      }
      const today = londonToday(clock);
      const teamId = ownTeam ?? filter.teamId;
      const [paged, teamName] = await Promise.all([
        list === 'waits' ? approvalWaitPeople(db, today, teamId, request) : uptakePeople(db, list, today, { ...filter, teamId }, request),
        filter.teamId === undefined ? null : teamNameOf(db, filter.teamId),
      ]);
      return {
        list,
        today,
        filter,
        teamName,
        allTeams: ownTeam === undefined,
        paged,
        waitsFrom: addCalendarDays(today, -(MEDIAN_WINDOW_DAYS - 1)),
      };
    },

    /** A team manager sees their own team; an administrator sees every team, one line each. */
    async dashboard(user: SignedInUser) {
      if (user.role !== 'team_manager' && user.role !== 'admin') throw new ForbiddenError();
      const teamId = user.role === 'team_manager' ? (user.teamId ?? -1) : undefined;
      const today = londonToday(clock);
      const [counts, management, waits, targetOn, directPayments] = await figures(today, teamId);
      const target = targetOn?.target.targetPercent ?? null;
      const groupOrder = (group: PersonClientGroup) => clientGroups.indexOf(group);
      const byGroup = uptakeBy(
        [...counts].sort((a, b) => groupOrder(a.clientGroup) - groupOrder(b.clientGroup)),
        (count) => count.clientGroup,
        target,
      ).map((line) => ({ clientGroup: line.key, ...line.uptake }));
      const byTeam = uptakeBy(counts, (count) => count.teamId, target).map((line) => ({
        teamId: line.key,
        teamName: line.first.teamName,
        ...line.uptake,
      }));
      const overall = sumCounts(counts);
      const totalWeeklyPence = managementOptions.reduce((sum, option) => sum + management.byOption[option].weeklyPence, 0);
      return {
        today,
        /** The council's target, in force today or, when none is yet, its first one to come; null when it has none. */
        target: targetOn && { percent: targetOn.target.targetPercent, from: targetOn.target.inForceFrom, inForce: targetOn.inForce },
        isAdmin: user.role === 'admin',
        overall: uptake(overall.eligible, overall.withBudget, target),
        byGroup,
        byTeam,
        management: {
          budgets: management.budgets,
          totalWeeklyPence,
          options: managementOptions.map((option) => ({
            option,
            ...management.byOption[option],
            sharePercent: percentOneDecimal(management.byOption[option].weeklyPence, totalWeeklyPence),
          })),
        },
        waits: { median: median(waits), count: waits.length, from: addCalendarDays(today, -(MEDIAN_WINDOW_DAYS - 1)) },
        directPayments: { figures: directPayments, dates: figureDates(today) },
      };
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
export type DashboardListId = UptakeListId | 'waits';
export type DashboardPeoplePage = Awaited<ReturnType<DashboardService['people']>>;
export type Dashboard = Awaited<ReturnType<DashboardService['dashboard']>>;
