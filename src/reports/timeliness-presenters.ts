import { addCalendarDays } from '../calendar.js';
import { barChartSvg } from '../web/charts.js';
import { csvDate, type CsvCell } from '../web/csv.js';
import { formatDate } from '../web/format.js';
import type { TableCell, TableHead } from '../web/view-models.js';
import { addQuarters, quarterLabel, timelinessStageLabels, timelinessStages, type TimelinessStage } from './timeliness.js';
import type { TimelinessFigures } from './timeliness-repo.js';
import type { TimelinessReport } from './timeliness-service.js';

const days = (value: number) => `${value} ${value === 1 ? 'day' : 'days'}`;

/** The figures of one stage, quarter and team (null: every team), if anyone reached it then. */
function lookup(report: TimelinessReport) {
  const byKey = new Map(report.figures.map((line) => [`${line.stage}|${line.quarter}|${line.teamId ?? 'all'}`, line]));
  return (stage: TimelinessStage, quarter: string, teamId: number | null): TimelinessFigures | undefined =>
    byKey.get(`${stage}|${quarter}|${teamId ?? 'all'}`);
}

/** The rows of a stage's table: each quarter, oldest first as in the chart, every team together first, then each team. */
function tableRows(report: TimelinessReport, stage: TimelinessStage): TableCell[][] {
  const find = lookup(report);
  const row = (quarter: string, label: TableCell, line: TimelinessFigures | undefined): TableCell[] => [
    { text: quarterLabel(quarter) },
    label,
    { text: String(line?.journeys ?? 0), numeric: true },
    { text: line ? days(line.medianDays) : '–', numeric: true },
    { text: line ? days(line.ninetiethPercentileDays) : '–', numeric: true },
  ];
  return [...report.quarters]
    .reverse()
    .flatMap((quarter) => [
      row(quarter, { text: 'All teams' }, find(stage, quarter, null)),
      ...report.teams
        .filter((team) => team.own || find(stage, quarter, team.id))
        .map((team) =>
          row(
            quarter,
            team.own ? { text: team.name, secondaryTag: { text: 'Your team', colour: 'blue' } } : { text: team.name },
            find(stage, quarter, team.id),
          ),
        ),
    ]);
}

export const timelinessTableHead: TableHead[] = [
  { text: 'Quarter' },
  { text: 'Team' },
  { text: 'People', numeric: true },
  { text: 'Median', numeric: true },
  { text: '90th percentile', numeric: true },
];

export function timelinessView(report: TimelinessReport) {
  const find = lookup(report);
  const chartedTeam = report.ownTeamId === null ? null : report.teams.find((team) => team.own);
  const chartedName = chartedTeam ? chartedTeam.name : 'all teams';
  return {
    period: `${formatDate(report.quarters[0] as string)} to ${formatDate(report.today)}`,
    chartedName,
    csvLink: { href: '/reports/timeliness.csv', text: 'Download these tables (CSV)' },
    stages: timelinessStages.map((stage) => {
      const id = `timeliness-${stage.replaceAll('_', '-')}`;
      const title = `${timelinessStageLabels[stage]}: ${chartedName}`;
      // A quarter nobody reached the step in has no bar: a bar of 0 would read as no wait at all.
      const bars = report.quarters.flatMap((quarter) => {
        const line = find(stage, quarter, chartedTeam ? chartedTeam.id : null);
        return line
          ? [
              { label: `${quarterLabel(quarter)}, median`, value: line.medianDays },
              { label: `${quarterLabel(quarter)}, 90th percentile`, value: line.ninetiethPercentileDays },
            ]
          : [];
      });
      return {
        id,
        heading: timelinessStageLabels[stage],
        empty: bars.length === 0 ? `Nobody${chartedTeam ? ` in ${chartedTeam.name}` : ''} reached this step in these quarters.` : null,
        svg:
          bars.length === 0
            ? ''
            : barChartSvg({
                id,
                title,
                description: `Bar chart of the median and 90th percentile days, by quarter. ${bars.map((bar) => `${bar.label}: ${days(bar.value)}`).join('; ')}.`,
                categoryLabel: 'Quarter',
                valueLabel: 'Days from referral',
                bars,
                formatValue: (value) => String(value),
              }),
        tableCaption: `${timelinessStageLabels[stage]}, as a table`,
        head: timelinessTableHead,
        rows: tableRows(report, stage),
      };
    }),
  };
}
export type TimelinessView = ReturnType<typeof timelinessView>;

export const timelinessCsvHeadings = ['Stage', 'Quarter from', 'Quarter to', 'Team', 'People', 'Median days', '90th percentile days'];

/** The download: one row for each stage, quarter and team with anyone in it, every team together first. */
export function timelinessCsvRows(report: TimelinessReport): CsvCell[][] {
  const find = lookup(report);
  return timelinessStages.flatMap((stage) =>
    report.quarters.flatMap((quarter) => {
      const to = addCalendarDays(addQuarters(quarter, 1), -1);
      const row = (team: string, line: TimelinessFigures | undefined): CsvCell[] => [
        timelinessStageLabels[stage],
        csvDate(quarter),
        csvDate(to),
        team,
        line?.journeys ?? 0,
        line?.medianDays ?? null,
        line?.ninetiethPercentileDays ?? null,
      ];
      return [
        row('All teams', find(stage, quarter, null)),
        ...report.teams.flatMap((team) => {
          const line = find(stage, quarter, team.id);
          return line ? [row(team.name, line)] : [];
        }),
      ];
    }),
  );
}
