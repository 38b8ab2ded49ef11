import { directPaymentFiguresView } from '../direct-payments/presenters.js';
import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { personLink } from '../people/presenters.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import { managementOptionLabels } from '../plans/options.js';
import { barChartSvg } from '../web/charts.js';
import { formatDate } from '../web/format.js';
import type { SummaryRow, TableCell, TableHead } from '../web/view-models.js';
import type { Uptake } from './figures.js';
import type { UptakeFilter } from './repo.js';
import type { Dashboard, DashboardListId, DashboardPeoplePage } from './service.js';

/** The dashboard's figures as a team manager reads them: charts, each with the same figures as a table. */

const wholeNumbers = new Intl.NumberFormat('en-GB');
const count = (value: number) => wholeNumbers.format(value);
const shareText = (percent: number | null) => (percent === null ? 'No one eligible' : `${percent}%`);

/** The list of the people behind a figure: uptake's for a team or client group (or everyone), or the waits. */
export function dashboardPeoplePath(list: DashboardListId, filter: UptakeFilter = {}): string {
  const params = new URLSearchParams();
  if (filter.clientGroup) params.set('group', filter.clientGroup);
  if (filter.teamId !== undefined) params.set('team', String(filter.teamId));
  const search = params.toString();
  return `/reports/dashboard/people/${list}${search ? `?${search}` : ''}`;
}

type UptakeLine = Uptake & { label: string; filter: UptakeFilter };

/** "3 short" leads to the people with eligible needs and no active budget, from whom the 3 would come. */
function targetCell(line: UptakeLine): TableCell {
  if (line.meetsTarget === null) return { text: '' };
  if (line.meetsTarget) return { tag: { text: 'Met', colour: 'green' } };
  return {
    link: {
      href: dashboardPeoplePath('without-budget', line.filter),
      text: `${line.shortOfTarget} short`,
      hiddenText: `of the target: ${line.label}, people with eligible needs and no active budget`,
    },
  };
}

const countCell = (value: number, href: string, hiddenText: string): TableCell => ({
  link: { href, text: count(value), hiddenText },
  numeric: true,
});

/** With no target there is nothing to be met or short of, so the table has no target column. */
function uptakeRow(line: UptakeLine, target: number | null): TableCell[] {
  return [
    { text: line.label },
    countCell(line.eligible, dashboardPeoplePath('eligible', line.filter), `${line.label}: people with eligible needs`),
    countCell(line.withBudget, dashboardPeoplePath('with-budget', line.filter), `${line.label}: people with an active budget`),
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
    rows: [...lines, { label: 'All', filter: {}, ...overall }].map((line) => uptakeRow(line, target)),
  };
}

export function dashboardView(dashboard: Dashboard) {
  const { overall, management, waits } = dashboard;
  const target = dashboard.target?.percent ?? null;
  const byGroup = dashboard.byGroup.map((line) => ({
    ...line,
    label: clientGroupLabels[line.clientGroup],
    filter: { clientGroup: line.clientGroup },
  }));
  const byTeam = dashboard.byTeam.map((line) => ({ ...line, label: line.teamName, filter: { teamId: line.teamId } }));
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
      {
        key: 'Budgets counted',
        link: { href: dashboardPeoplePath('waits'), text: String(waits.count), hiddenText: 'in the wait for sign-off' },
      },
      { key: 'Period', value: `${formatDate(waits.from)} to ${formatDate(dashboard.today)}` },
    ] satisfies SummaryRow[],
    directPayments: directPaymentFiguresView(dashboard.directPayments.figures, dashboard.directPayments.dates),
  };
}

const listWording: Record<DashboardListId, { heading: string; intro: string }> = {
  eligible: {
    heading: 'People with eligible needs',
    intro: 'Everyone counted as having eligible needs in the personal budget uptake figures.',
  },
  'with-budget': { heading: 'People with an active personal budget', intro: 'People with a personal budget active today.' },
  'without-budget': {
    heading: 'People with eligible needs and no active personal budget',
    intro: 'People with eligible needs who have no personal budget active today: those who would bring uptake up to the target.',
  },
  waits: {
    heading: 'Budgets in the wait for sign-off',
    intro:
      'Budgets approved in the period, with the calendar days from the assessment being submitted to finance approving the budget, longest first.',
  },
};

/** The people behind a dashboard figure, a page at a time. */
export function dashboardPeopleView(page: DashboardPeoplePage) {
  const wording = listWording[page.list];
  const scope = [page.teamName, page.filter.clientGroup && clientGroupLabels[page.filter.clientGroup]].filter(Boolean).join(', ');
  const waits = page.list === 'waits';
  return {
    title: scope ? `${wording.heading}: ${scope}` : wording.heading,
    caption: `${page.allTeams ? 'All teams' : 'Your team'}, ${formatDate(page.today)}`,
    intro: waits ? `${wording.intro} The period is ${formatDate(page.waitsFrom)} to ${formatDate(page.today)}.` : wording.intro,
    backLink: '/reports/dashboard',
    empty: 'Nobody is counted in this figure today.',
    rangeText: rangeText(page.paged.page, waits ? 'budgets' : 'people'),
    head: [
      { text: 'Person' },
      { text: 'Team' },
      waits ? { text: 'Days to sign-off', numeric: true } : { text: 'Client group' },
    ] satisfies TableHead[],
    rows: page.paged.rows.map((row): TableCell[] => [
      { link: personLink(row.person), secondary: row.person.reference },
      { text: row.teamName },
      waits ? { text: count(row.days ?? 0), numeric: true } : { text: clientGroupLabels[row.person.clientGroup] },
    ]),
    pagination: pagesOf(page.paged.page, pageHrefs(dashboardPeoplePath(page.list, page.filter), new URLSearchParams())),
  };
}
