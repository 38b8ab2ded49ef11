import type { Knex } from 'knex';
import type { SignedInUser } from '../auth/roles.js';
import { addCalendarDays } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { managementOptions } from '../plans/options.js';
import { uptakeTargetOn } from '../settings/service.js';
import { median, percentOneDecimal, sumCounts, uptake, type Uptake } from './figures.js';
import { daysFromAssessmentToApproval, managementTotals, uptakeCounts, type UptakeCount } from './repo.js';

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

export function dashboardService(db: Knex, clock: Clock) {
  return {
    /** A team manager sees their own team; an administrator sees every team, one line each. */
    async dashboard(user: SignedInUser) {
      if (user.role !== 'team_manager' && user.role !== 'admin') throw new ForbiddenError();
      const teamId = user.role === 'team_manager' ? (user.teamId ?? -1) : undefined;
      const today = londonToday(clock);
      const [counts, management, waits, targetOn] = await Promise.all([
        uptakeCounts(db, today, teamId),
        managementTotals(db, today, teamId),
        daysFromAssessmentToApproval(db, today, teamId),
        uptakeTargetOn(db, today),
      ]);
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
      };
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
export type Dashboard = Awaited<ReturnType<DashboardService['dashboard']>>;
