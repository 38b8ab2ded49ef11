import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { managementOptionLabels } from '../plans/options.js';
import { barChartSvg } from '../web/charts.js';
import { formatDate } from '../web/format.js';
import type { SummaryRow, TableCell, TableHead } from '../web/view-models.js';
import type { Uptake } from './figures.js';
import type { Dashboard } from './service.js';

/** The dashboard's figures as a team manager reads them: charts, each with the same figures as a table. */

const wholeNumbers = new Intl.NumberFormat('en-GB');
const count = (value: number) => wholeNumbers.format(value);
const shareText = (percent: number | null) => (percent === null ? 'No one eligible' : `${percent}%`);

type UptakeLine = Uptake & { label: string };

function targetCell(line: Uptake): TableCell {
  if (line.meetsTarget === null) return { text: '' };
  return line.meetsTarget ? { tag: { text: 'Met', colour: 'green' } } : { tag: { text: `${line.shortOfTarget} short`, colour: 'orange' } };
}

/** With no target there is nothing to be met or short of, so the table has no target column. */
function uptakeRow(line: UptakeLine, target: number | null): TableCell[] {
  return [
    { text: line.label },
    { text: count(line.eligible), numeric: true },
    { text: count(line.withBudget), numeric: true },
    { text: shareText(line.percent), numeric: true },
    ...(target === null ? [] : [targetCell(line)]),
  ];
}

/** A bar chart of uptake by client group or by team, with its table; the table ends with everyone together. */
function uptakeChart(id: string, title: string, by: 'Client group' | 'Team', lines: UptakeLine[], overall: Uptake, target: number | null) {
  return {
    svg: barChartSvg({
      id,
      title,
      description: `Bar chart of the share of people with eligible needs who have an active personal budget.${target === null ? '' : ` The target is ${target}%.`} ${lines
        .map((line) => `${line.label}: ${shareText(line.percent)}`)
        .join('; ')}.`,
      categoryLabel: by,
      valueLabel: 'Share with an active personal budget (%)',
      bars: lines.map((line) => ({ label: line.label, value: line.percent ?? 0 })),
      formatValue: (value) => `${value}%`,
    }),
    tableCaption: `${title}, as a table`,
    head: [
      { text: by },
      { text: 'People with eligible needs', numeric: true },
      { text: 'With an active personal budget', numeric: true },
      { text: 'Share', numeric: true },
      ...(target === null ? [] : [{ text: `Target of ${target}%` }]),
    ] satisfies TableHead[],
    rows: [...lines, { label: 'All', ...overall }].map((line) => uptakeRow(line, target)),
  };
}

export function dashboardView(dashboard: Dashboard) {
  const { overall, management, waits } = dashboard;
  const target = dashboard.target?.percent ?? null;
  const byGroup = dashboard.byGroup.map((line) => ({ ...line, label: clientGroupLabels[line.clientGroup] }));
  const byTeam = dashboard.byTeam.map((line) => ({ ...line, label: line.teamName }));
  const options = management.options.map((option) => ({ ...option, label: managementOptionLabels[option.option] }));
  return {
    caption: `${dashboard.isAdmin ? 'All teams' : 'Your team'}, ${formatDate(dashboard.today)}`,
    uptake: {
      share: shareText(overall.percent),
      ofWhom: `(${overall.withBudget} of ${overall.eligible})`,
      target: dashboard.target && {
        percent: `${dashboard.target.percent}%`,
        from: formatDate(dashboard.target.from),
        inForce: dashboard.target.inForce,
      },
      settingsLink: dashboard.isAdmin
        ? {
            href: '/admin/settings#uptake-targets',
            text: dashboard.target ? 'Change the targets in council settings' : 'Set a target in council settings',
          }
        : null,
    },
    byGroup: uptakeChart('uptake-by-client-group', 'Personal budget uptake by client group', 'Client group', byGroup, overall, target),
    byTeam: dashboard.isAdmin ? uptakeChart('uptake-by-team', 'Personal budget uptake by team', 'Team', byTeam, overall, target) : null,
    management: {
      intro: `${management.budgets} active ${management.budgets === 1 ? 'budget' : 'budgets'}, ${formatPence(management.totalWeeklyPence)} a week in all. A budget split between options counts under each.`,
      svg: barChartSvg({
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
      rows: options.map((option): TableCell[] => [
        { text: option.label },
        { text: count(option.budgets), numeric: true },
        { text: formatPence(option.weeklyPence), numeric: true },
        { text: option.sharePercent === null ? '' : `${option.sharePercent}%`, numeric: true },
      ]),
    },
    waits: [
      {
        key: 'Median wait',
        value: waits.median === null ? 'No budgets approved in this period' : `${waits.median} ${waits.median === 1 ? 'day' : 'days'}`,
      },
      { key: 'Budgets counted', value: String(waits.count) },
      { key: 'Period', value: `${formatDate(waits.from)} to ${formatDate(dashboard.today)}` },
    ] satisfies SummaryRow[],
  };
}
