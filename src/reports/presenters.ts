import { formatPence } from '../money.js';
import { clientGroupLabels, clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { roundHalfUpSafe } from '../ras/engine.js';
import { barChartSvg, scatterChartSvg } from '../web/charts.js';
import type { FieldLabels } from '../web/conflict.js';
import { csvPounds, type CsvCell } from '../web/csv.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import type { SummaryRow, TableCell } from '../web/view-models.js';
import { estimatorLabels, estimators, ratioText } from './calibration.js';
import { changeBands, impactGroupOf, type ImpactTotals } from './impact.js';
import type { CalibrationReport, ImpactReport, RescoredPerson } from './service.js';

/** Report figures as the pages show them; the views only lay them out. */

const wholeNumbers = new Intl.NumberFormat('en-GB');
export const count = (value: number) => wholeNumbers.format(value);

/** "+4.2%", "-12.5%", "0%": a change as a share of what there is now, to one decimal place. */
export function percentChange(beforePence: number, afterPence: number): string {
  if (afterPence === beforePence) return '0%';
  if (beforePence === 0) return 'new';
  const tenths = roundHalfUpSafe(Math.abs(afterPence - beforePence) * 1000, beforePence);
  return `${afterPence > beforePence ? '+' : '-'}${Math.trunc(tenths / 10)}.${tenths % 10}%`;
}

/** Money that may be negative, with the sign first: "-£1,200.00", "+£300.00". */
export function signedPence(pence: number): string {
  if (pence === 0) return formatPence(0);
  return `${pence > 0 ? '+' : '-'}${formatPence(Math.abs(pence))}`;
}

/** The groups impact is counted in: carers' assessments are one group ("Carers"), whoever they care for. */
export function impactGroupLabel(group: string): string {
  if (group === 'carer') return 'Carers';
  return (clientGroups as readonly string[]).includes(group) ? clientGroupLabels[group as PersonClientGroup] : group;
}

const people = (value: number) => `${count(value)} ${value === 1 ? 'person' : 'people'}`;

/** A row of the totals tables: people, money now and with the version, and who gains or loses. */
function totalsRow(label: string, totals: ImpactTotals): TableCell[] {
  return [
    { text: label },
    { text: count(totals.people), numeric: true },
    { text: formatPence(totals.beforePence), numeric: true },
    { text: formatPence(totals.afterPence), numeric: true },
    {
      text: signedPence(totals.afterPence - totals.beforePence),
      secondary: percentChange(totals.beforePence, totals.afterPence),
      numeric: true,
      nowrap: true,
    },
    { text: count(totals.gain), numeric: true },
    { text: count(totals.lose), numeric: true },
    { text: count(totals.loseMoreThan10Percent), numeric: true },
  ];
}

function headline(figures: ImpactReport['figures']): SummaryRow[] {
  const { overall, notRescored } = figures;
  const percent = percentChange(overall.beforePence, overall.afterPence);
  return [
    { key: 'People re-scored', value: people(overall.people) },
    { key: 'Total a year now', value: formatPence(overall.beforePence) },
    { key: 'Total a year with this version', value: formatPence(overall.afterPence) },
    { key: 'Change a year', value: `${signedPence(overall.afterPence - overall.beforePence)}${percent === 'new' ? '' : ` (${percent})`}` },
    { key: 'Would gain', value: people(overall.gain) },
    { key: 'Would lose', value: people(overall.lose) },
    { key: 'Would lose more than 10%', value: people(overall.loseMoreThan10Percent) },
    { key: 'No change', value: people(overall.unchanged) },
    {
      key: 'Cannot be re-scored',
      value: notRescored.people === 0 ? 'Nobody' : `${people(notRescored.people)}, ${formatPence(notRescored.beforePence)} a year now`,
    },
  ];
}

const questionText = (question: { key: string; text: string }) => `${question.text} (${question.key})`;

export function impactView(report: ImpactReport) {
  const { figures, version } = report;
  const base = `/admin/ras/${version.id}`;
  const groupOrder = [
    ...clientGroups,
    ...[...figures.byGroup.keys()].filter((group) => !(clientGroups as readonly string[]).includes(group)).sort(),
  ];
  const bands = changeBands.map((band) => ({ label: band.label, count: figures.bands[band.key] }));
  const title = `How yearly budgets would change with ‘${version.name}’`;
  const isDraft = version.status === 'draft';
  return {
    name: version.name,
    versionLink: { href: base, text: version.name },
    isCurrent: report.current?.id === version.id,
    added: report.added.length
      ? {
          intro: `This version asks ${report.added.length === 1 ? 'a question' : `${report.added.length} questions`} the current RAS does not:`,
          questions: report.added.map(questionText),
          assumed: `${people(figures.peopleWithAssumedAnswers)} had the lowest answer assumed.`,
        }
      : null,
    removed: report.removed.map(questionText),
    headline: headline(figures),
    csvLink: { href: `${base}/impact.csv`, text: 'Download one row for each person (CSV)' },
    groups: groupOrder
      .filter((group) => figures.byGroup.has(group))
      .map((group) => totalsRow(impactGroupLabel(group), figures.byGroup.get(group) as ImpactTotals)),
    teams: [...figures.byTeam.entries()]
      .map(([teamId, totals]) => ({ label: report.teams.get(teamId) ?? `Team ${teamId}`, totals }))
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((team) => totalsRow(team.label, team.totals)),
    histogram: {
      svg: barChartSvg({
        id: 'impact-histogram',
        title,
        description: `Number of people in each band of change: ${bands.map((band) => `${band.label}, ${count(band.count)}`).join('; ')}.`,
        categoryLabel: 'Change in yearly budget',
        valueLabel: 'Number of people',
        bars: bands.map((band) => ({ label: band.label, value: band.count })),
        formatValue: count,
      }),
      rows: bands.map((band): TableCell[] => [{ text: band.label }, { text: count(band.count), numeric: true }]),
    },
    notRescored:
      figures.notRescored.people > 0
        ? [...figures.notRescored.reasons.entries()]
            .map(([reason, total]) => ({ reason, total }))
            .sort((a, b) => b.total - a.total)
            .map((line): TableCell[] => [{ text: line.reason }, { text: count(line.total), numeric: true }])
        : null,
    publishLink: isDraft ? { href: `${base}/publish`, text: 'Publish this version' } : null,
    backLink: { href: base, text: isDraft ? 'Change this draft' : 'Back to the version' },
  };
}
export type ImpactView = ReturnType<typeof impactView>;

export const impactCsvHeadings = [
  'Reference',
  'Team',
  'Client group',
  'Points now',
  'Points with this version',
  'Budget a year now (£)',
  'Budget a year with this version (£)',
  'Change a year (£)',
  'Note',
];

/** One row per person of the download: what they have now, what the version would give, and why not. */
export function impactCsvRows(batch: readonly RescoredPerson[], teams: ReadonlyMap<number, string>): CsvCell[][] {
  return batch.map(({ row, result }) => {
    const notes: string[] = [];
    if (row.eligible === false) notes.push('Not eligible: counted as £0');
    const common = [row.reference ?? '', teams.get(row.teamId) ?? '', impactGroupLabel(impactGroupOf(row)), result.pointsBefore];
    if (!result.ok) {
      return [...common, '', csvPounds(result.beforePence), '', '', [...notes, `Cannot be re-scored: ${result.reason}`].join('; ')];
    }
    if (result.assumedAnswers > 0)
      notes.push(
        `${result.assumedAnswers} new question${result.assumedAnswers === 1 ? '' : 's'} not yet answered: scored as the lowest option`,
      );
    return [
      ...common,
      result.pointsAfter,
      csvPounds(result.beforePence),
      csvPounds(result.afterPence),
      csvPounds(result.afterPence - result.beforePence),
      notes.join('; '),
    ];
  });
}

/** Whole pounds for chart axes, where pence would only clutter: "£40,000". */
function axisPounds(pence: number): string {
  return `£${wholeNumbers.format(Math.round(pence / 100))}`;
}

export function calibrationView(
  report: CalibrationReport,
  options: { canRecalibrate: boolean; values: Record<string, unknown>; errors: FormErrors } = {
    canRecalibrate: false,
    values: {},
    errors: noErrors,
  },
) {
  const groups = report.groups.map((group) => {
    const label = clientGroupLabels[group.group];
    const { figures } = group;
    const chartId = `calibration-${group.group.replaceAll('_', '-')}`;
    const title = `Approved budgets against points: ${label.toLowerCase()}`;
    const price = group.currentPricePence;
    return {
      group: group.group,
      label,
      count: figures.count,
      meanIndicative: formatPence(figures.meanIndicativePence),
      meanApproved: formatPence(figures.meanApprovedPence),
      ratio: ratioText(figures.ratioHundredths),
      currentPrice: price === null ? 'None' : formatPence(price),
      ratioPrice: figures.ratioPricePence === null ? 'Not available' : formatPence(figures.ratioPricePence),
      leastSquaresPrice: figures.leastSquaresPricePence === null ? 'Not available' : formatPence(figures.leastSquaresPricePence),
      chart:
        figures.count === 0
          ? null
          : {
              label,
              sampledText: group.sampled
                ? `The chart shows ${count(group.points.length)} of the ${count(figures.count)} budgets, spread evenly; the table counts them all.`
                : null,
              svg: scatterChartSvg({
                id: chartId,
                title,
                description: `${count(figures.count)} approved personal budgets${group.sampled ? `, ${count(group.points.length)} of them plotted` : ''}, each a dot at its points and its approved budget a year. ${
                  price === null ? '' : `The line is what the current RAS gives: ${formatPence(price)} a year for each point.`
                }`,
                xLabel: 'Points (after the informal support adjustment)',
                yLabel: 'Approved budget a year',
                points: group.points.map((point) => ({ x: point.x, y: point.approvedPence })),
                ...(price === null ? {} : { line: { slope: price, label: `Current RAS: ${formatPence(price)} a point` } }),
                formatY: axisPounds,
              }),
              tableCaption: `${label}: approved budgets by points, as a table`,
              rows: group.bands.map((band): TableCell[] => [
                { text: `${band.fromPoints} to ${band.toPoints}` },
                { text: count(band.count), numeric: true },
                { text: formatPence(band.meanApprovedPence), numeric: true },
                { text: band.currentRasPence === null ? 'None' : formatPence(band.currentRasPence), numeric: true },
              ]),
            },
    };
  });
  const current = report.current;
  return {
    errors: options.errors,
    values: options.values,
    noBudgets: report.totalBudgets === 0,
    tableCaption: `By client group${current ? `, with the price points of ‘${current.name}’` : ''}`,
    groups,
    // A group with no approved budgets has no figures to compare: a dash, not a misleading £0.00.
    rows: groups.map((group): TableCell[] => {
      const ifAny = (text: string): TableCell => ({ text: group.count ? text : '–', numeric: true });
      return [
        { text: group.label },
        { text: count(group.count), numeric: true },
        ifAny(group.meanIndicative),
        ifAny(group.meanApproved),
        ifAny(group.ratio),
        { text: group.currentPrice, numeric: true },
        ifAny(group.ratioPrice),
        ifAny(group.leastSquaresPrice),
      ];
    }),
    charts: groups.flatMap((group) => (group.chart ? [group.chart] : [])),
    recalibrate:
      options.canRecalibrate && current
        ? {
            intro: `This creates a new draft copied from ‘${current.name}’ with the matching price for each client group that has approved budgets; other groups keep their price. You can then model its impact and change it before anything is published.`,
            choices: estimators.map((estimator) => ({ value: estimator, text: estimatorLabels[estimator] })),
          }
        : null,
  };
}
export type CalibrationView = ReturnType<typeof calibrationView>;

export const calibratedDraftFieldLabels: FieldLabels = {
  estimator: { label: 'Which matching price should the draft use?', choices: estimatorLabels },
};
