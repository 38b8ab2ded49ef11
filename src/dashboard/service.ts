import type { Knex } from 'knex';
import { insertAuditEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, StaleVersionError } from '../errors.js';
import { formatPence } from '../money.js';
import { clientGroupLabels, clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { managementOptionLabels, managementOptions } from '../plans/options.js';
import { barChartSvg } from '../web/charts.js';
import { addCalendarDays } from '../calendar.js';
import { median, percentOneDecimal, sumCounts, uptake, type Uptake } from './figures.js';
import {
  daysFromAssessmentToApproval,
  managementTotals,
  updateUptakeTarget,
  uptakeCounts,
  uptakeSettings,
  type UptakeCountRow,
} from './repo.js';
import type { TargetInput } from './schemas.js';

/** The median is of budgets approved in this many days, today included. */
export const MEDIAN_WINDOW_DAYS = 90;

export type UptakeLine = Uptake & { label: string };

const percentText = (value: number | null) => (value === null ? 'No one eligible' : `${value}%`);

function linesBy<K extends string | number>(
  rows: UptakeCountRow[],
  keyOf: (row: UptakeCountRow) => K,
  labelOf: (key: K, row: UptakeCountRow) => string,
  target: number,
): UptakeLine[] {
  const groups = new Map<K, { label: string; rows: { eligible: number; withBudget: number }[] }>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key) ?? { label: labelOf(key, row), rows: [] };
    group.rows.push({ eligible: row.eligible, withBudget: row.with_budget });
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const total = sumCounts(group.rows);
    return { label: group.label, ...uptake(total.eligible, total.withBudget, target) };
  });
}

function uptakeChart(id: string, title: string, lines: UptakeLine[], target: number) {
  return barChartSvg({
    id,
    title,
    description: `Bar chart of the share of people with eligible needs who have an active personal budget. The target is ${target}%. ${lines
      .map((line) => `${line.label}: ${percentText(line.percent)}`)
      .join('; ')}.`,
    categoryLabel: title.includes('team') ? 'Team' : 'Client group',
    valueLabel: 'Share with an active personal budget (%)',
    bars: lines.map((line) => ({ label: line.label, value: line.percent ?? 0 })),
    formatValue: (value) => `${value}%`,
  });
}

export function dashboardService(db: Knex, clock: Clock) {
  return {
    /** A team manager sees their own team; an administrator sees every team, one line each. */
    async dashboard(user: SignedInUser) {
      if (user.role !== 'team_manager' && user.role !== 'admin') throw new ForbiddenError();
      const teamId = user.role === 'team_manager' ? (user.teamId ?? -1) : undefined;
      const today = londonToday(clock);
      const [counts, management, waits, settings] = await Promise.all([
        uptakeCounts(db, today, teamId),
        managementTotals(db, today, teamId),
        daysFromAssessmentToApproval(db, today, teamId),
        uptakeSettings(db),
      ]);
      const target = settings.pb_uptake_target_percent;
      const groupOrder = (group: PersonClientGroup) => clientGroups.indexOf(group);
      const byGroup = linesBy(
        [...counts].sort((a, b) => groupOrder(a.client_group) - groupOrder(b.client_group)),
        (row) => row.client_group,
        (group) => clientGroupLabels[group],
        target,
      );
      const byTeam = linesBy(
        counts,
        (row) => row.team_id,
        (_id, row) => row.team_name,
        target,
      );
      const overallCounts = sumCounts(counts.map((row) => ({ eligible: row.eligible, withBudget: row.with_budget })));
      const overall = { label: 'All', ...uptake(overallCounts.eligible, overallCounts.withBudget, target) };

      const totalWeekly = managementOptions.reduce((sum, option) => sum + Number(management[option]), 0);
      const options = managementOptions.map((option) => ({
        label: managementOptionLabels[option],
        weeklyPence: Number(management[option]),
        sharePercent: percentOneDecimal(Number(management[option]), totalWeekly),
        budgets: management[`${option}_count` as const],
      }));

      return {
        today,
        target,
        isAdmin: user.role === 'admin',
        overall,
        byGroup,
        byTeam,
        management: { budgets: management.budgets, totalWeeklyPence: totalWeekly, options },
        waits: { median: median(waits), count: waits.length, from: addCalendarDays(today, -(MEDIAN_WINDOW_DAYS - 1)) },
        charts: {
          byGroup: uptakeChart('uptake-by-client-group', 'Personal budget uptake by client group', byGroup, target),
          byTeam: uptakeChart('uptake-by-team', 'Personal budget uptake by team', byTeam, target),
          management: barChartSvg({
            id: 'management-options',
            title: 'Active personal budgets a week, by how they are managed',
            description: `Bar chart of the weekly amount of active personal budgets under each management option. ${options
              .map((option) => `${option.label}: ${formatPence(option.weeklyPence)}`)
              .join('; ')}.`,
            categoryLabel: 'Management option',
            valueLabel: 'Amount a week',
            bars: options.map((option) => ({ label: option.label, value: option.weeklyPence })),
            formatValue: (value) => formatPence(Math.round(value)),
          }),
        },
      };
    },

    async targetPage() {
      return uptakeSettings(db);
    },

    /** The target councils measure uptake against; national targets were 30%, 40%, then 100% by 2013. */
    async changeTarget(actor: Actor, input: TargetInput): Promise<void> {
      if (actor.role !== 'admin') throw new ForbiddenError('Only an administrator can change the target.');
      await db.transaction(async (trx) => {
        const before = await uptakeSettings(trx, true);
        if (before.version !== input.version) {
          // The same change posted twice (a double-click) is done already; anything else is someone else's change.
          if (before.version === input.version + 1 && before.pb_uptake_target_percent === input.targetPercent) return;
          throw new StaleVersionError('council settings', before);
        }
        const after = await updateUptakeTarget(trx, input.targetPercent, input.version);
        if (!after) throw new StaleVersionError('council settings', before);
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'uptake_target_changed',
          entityType: 'council_settings',
          entityId: 1,
          before: { pb_uptake_target_percent: before.pb_uptake_target_percent },
          after: { pb_uptake_target_percent: after.pb_uptake_target_percent },
        });
      });
    },
  };
}

export type DashboardService = ReturnType<typeof dashboardService>;
