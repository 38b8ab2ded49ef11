import { daysBetween } from '../calendar.js';
import type { Uptake } from '../dashboard/figures.js';
import type { Dashboard } from '../dashboard/service.js';
import { clientGroupLabels } from '../people/client-groups.js';
import type { WaitingPlan } from '../finance/service.js';
import { managementOptionLabels } from '../plans/options.js';
import type { DueReview } from '../reviews/repo.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import { csvDate, csvPounds, type CsvCell } from '../web/csv.js';
import { ratioText } from './calibration.js';
import { nationalUptakeTargets, shortOfNational } from './national-targets.js';
import { nationalTargetHeading } from './national-targets-presenters.js';
import type { CalibrationReport } from './service.js';

/**
 * The report tables as downloads: the same figures as the pages, as a spreadsheet wants them:
 * plain numbers, pounds with two decimals, ISO dates, and an empty cell where the page shows a dash.
 */
export type CsvTable = { name: string; headings: string[]; rows: CsvCell[][] };

/** Uptake by client group or by team, against the council's target in force and each national target. */
function uptakeTable(name: string, by: string, dashboard: Dashboard, lines: (Uptake & { label: string })[]): CsvTable {
  const target = dashboard.target;
  return {
    name,
    headings: [
      by,
      'People with eligible needs',
      'With an active personal budget',
      'Share (%)',
      'Council target (%)',
      'Council target from',
      'Short of the council target',
      ...nationalUptakeTargets.map((national) => `Short of the national target of ${nationalTargetHeading(national)}`),
    ],
    rows: [...lines, { label: 'All', ...dashboard.overall }].map((line) => [
      line.label,
      line.eligible,
      line.withBudget,
      line.percent,
      target?.percent ?? null,
      target ? csvDate(target.from) : null,
      line.meetsTarget === null ? null : line.shortOfTarget,
      ...nationalUptakeTargets.map((national) => shortOfNational(line, national.percent)),
    ]),
  };
}

export const dashboardTables = {
  'uptake-by-client-group': (dashboard: Dashboard) =>
    uptakeTable(
      'uptake-by-client-group',
      'Client group',
      dashboard,
      dashboard.byGroup.map((line) => ({ ...line, label: clientGroupLabels[line.clientGroup] })),
    ),
  'uptake-by-team': (dashboard: Dashboard) =>
    uptakeTable(
      'uptake-by-team',
      'Team',
      dashboard,
      dashboard.byTeam.map((line) => ({ ...line, label: line.teamName })),
    ),
  'management-options': (dashboard: Dashboard): CsvTable => ({
    name: 'management-options',
    headings: ['Management option', 'Budgets using it', 'Amount a week (£)', 'Share of the total (%)'],
    rows: dashboard.management.options.map((option) => [
      managementOptionLabels[option.option],
      option.budgets,
      csvPounds(option.weeklyPence),
      option.sharePercent,
    ]),
  }),
  'sign-off-waits': (dashboard: Dashboard): CsvTable => ({
    name: 'sign-off-waits',
    headings: ['From', 'To', 'Budgets approved', 'Median days from assessment to sign-off'],
    rows: [[csvDate(dashboard.waits.from), csvDate(dashboard.today), dashboard.waits.count, dashboard.waits.median]],
  }),
} as const;
export type DashboardTable = keyof typeof dashboardTables;
export const dashboardTableNames = Object.keys(dashboardTables) as DashboardTable[];

/** Indicative against approved, per client group; a group with no budgets has empty figures. */
export function calibrationTable(report: CalibrationReport): CsvTable {
  return {
    name: 'indicative-and-approved',
    headings: [
      'Client group',
      'Budgets',
      'Mean indicative a year (£)',
      'Mean approved a year (£)',
      'Approved ÷ indicative',
      'Current price a point (£)',
      'Matching price: total approved ÷ total points (£)',
      'Matching price: least squares (£)',
    ],
    rows: report.groups.map((group) => {
      const { figures } = group;
      const ifAny = (pence: number | null) => (figures.count === 0 || pence === null ? null : csvPounds(pence));
      return [
        clientGroupLabels[group.group],
        figures.count,
        ifAny(figures.meanIndicativePence),
        ifAny(figures.meanApprovedPence),
        figures.ratioHundredths === null ? null : ratioText(figures.ratioHundredths),
        group.currentPricePence === null ? null : csvPounds(group.currentPricePence),
        ifAny(figures.ratioPricePence),
        ifAny(figures.leastSquaresPricePence),
      ];
    }),
  };
}

export const signOffQueueCsvHeadings = [
  'Reference',
  'Given name',
  'Family name',
  'Team',
  'Client group',
  'Submitted',
  'Days waiting',
  'Indicative a week (£)',
  'Planned a week (£)',
  'Above the indicative budget by (£)',
  'Agreed at panel',
];

/** A plan waiting for sign-off as a line of the queue's download, the longest waiting first as on the page. */
export function signOffQueueCsvRow(plan: WaitingPlan): CsvCell[] {
  return [
    plan.person.reference,
    plan.person.givenName,
    plan.person.familyName,
    plan.teamName,
    clientGroupLabels[plan.person.clientGroup],
    csvDate(plan.submittedAt),
    plan.daysWaiting,
    csvPounds(plan.indicativeWeeklyPence),
    csvPounds(plan.plannedWeeklyPence),
    csvPounds(Math.max(0, plan.plannedWeeklyPence - plan.indicativeWeeklyPence)),
    plan.panelStatus === 'approved' ? 'Yes' : 'No',
  ];
}

export const dueReviewsCsvHeadings = [
  'Reference',
  'Given name',
  'Family name',
  'Client group',
  'Review',
  'Due',
  'Days overdue',
  'Assigned to',
];

/** A review due or overdue as a line of the download; a review not yet due is 0 days overdue. */
export function dueReviewCsvRow(review: DueReview, today: string): CsvCell[] {
  return [
    review.person.reference,
    review.person.givenName,
    review.person.familyName,
    clientGroupLabels[review.person.clientGroup],
    reviewKindLabels[review.kind],
    csvDate(review.dueDate),
    Math.max(0, daysBetween(review.dueDate, today)),
    review.assignedToName ?? '',
  ];
}
