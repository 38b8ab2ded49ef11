import { formatPence } from '../money.js';
import { clientGroupLabels, clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { roundHalfUpSafe } from '../ras/engine.js';
import { barChartSvg, scatterChartSvg } from '../web/charts.js';
import { ratioText } from './calibration.js';
import { changeBands, type ImpactTotals } from './impact.js';
import type { CalibrationReport, ImpactReport } from './service.js';

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

export function groupLabel(group: string): string {
  if (group === 'carer') return 'Carers';
  return (clientGroups as readonly string[]).includes(group) ? clientGroupLabels[group as PersonClientGroup] : group;
}

export type TotalsView = ImpactTotals & { label: string; changePence: number; changeText: string; percentText: string };

function totalsView(label: string, totals: ImpactTotals): TotalsView {
  const changePence = totals.afterPence - totals.beforePence;
  return {
    ...totals,
    label,
    changePence,
    changeText: signedPence(changePence),
    percentText: percentChange(totals.beforePence, totals.afterPence),
  };
}

export function impactView(report: ImpactReport) {
  const { figures, version } = report;
  const groupOrder = [
    ...clientGroups,
    ...[...figures.byGroup.keys()].filter((group) => !(clientGroups as readonly string[]).includes(group)).sort(),
  ];
  const bands = changeBands.map((band) => ({ label: band.label, count: figures.bands[band.key] }));
  const title = `How yearly budgets would change with ‘${version.name}’`;
  return {
    version: { id: version.id, name: version.name, status: version.status, version: version.version },
    current: report.current,
    isCurrent: report.current?.id === version.id,
    added: report.added,
    removed: report.removed,
    overall: totalsView('All people', figures.overall),
    groups: groupOrder
      .filter((group) => figures.byGroup.has(group))
      .map((group) => totalsView(groupLabel(group), figures.byGroup.get(group) as ImpactTotals)),
    teams: [...figures.byTeam.entries()]
      .map(([teamId, totals]) => totalsView(report.teams.get(teamId) ?? `Team ${teamId}`, totals))
      .sort((a, b) => a.label.localeCompare(b.label)),
    bands,
    histogram: {
      id: 'impact-histogram',
      title,
      svg: barChartSvg({
        id: 'impact-histogram',
        title,
        description: `Number of people in each band of change: ${bands.map((band) => `${band.label}, ${count(band.count)}`).join('; ')}.`,
        categoryLabel: 'Change in yearly budget',
        valueLabel: 'Number of people',
        bars: bands.map((band) => ({ label: band.label, value: band.count })),
        formatValue: count,
      }),
    },
    peopleWithAssumedAnswers: figures.peopleWithAssumedAnswers,
    notRescored: {
      people: figures.notRescored.people,
      beforePence: figures.notRescored.beforePence,
      reasons: [...figures.notRescored.reasons.entries()]
        .map(([reason, people]) => ({ reason, people }))
        .sort((a, b) => b.people - a.people),
    },
  };
}
export type ImpactView = ReturnType<typeof impactView>;

/** Whole pounds for chart axes, where pence would only clutter: "£40,000". */
function axisPounds(pence: number): string {
  return `£${wholeNumbers.format(Math.round(pence / 100))}`;
}

export function calibrationView(report: CalibrationReport) {
  return {
    current: report.current ? { id: report.current.id, name: report.current.name } : null,
    totalBudgets: report.totalBudgets,
    groups: report.groups.map((group) => {
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
        sampled: group.sampled,
        plotted: group.points.length,
        chart:
          figures.count === 0
            ? null
            : {
                id: chartId,
                title,
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
              },
        bands: group.bands.map((band) => ({
          points: `${band.fromPoints} to ${band.toPoints}`,
          count: count(band.count),
          meanApproved: formatPence(band.meanApprovedPence),
          currentRas: band.currentRasPence === null ? 'None' : formatPence(band.currentRasPence),
        })),
      };
    }),
  };
}
export type CalibrationView = ReturnType<typeof calibrationView>;
