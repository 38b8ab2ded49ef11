import { csvPounds, type CsvCell } from '../web/csv.js';
import type { PersonalBudget } from '../finance/repo.js';
import { formatPence } from '../money.js';
import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { personHeading, personName } from '../people/presenters.js';
import { directPaymentFrequencyLabels, type DirectPaymentFrequency } from '../plans/options.js';
import type { Banner } from '../web/banner.js';
import { conflictView, type ConflictView, type FieldLabels } from '../web/conflict.js';
import { formatCount, formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import { linkCell, textCell, type SummaryRow, type TableCell, type TableHead } from '../web/view-models.js';
import type { BankAccountDetails, DirectPayment, PaymentRun, RecipientKind, Recovery, RecoveryMethod } from './repo.js';
import { recoveryMethods } from './repo.js';
import type { ScheduledPayment } from './schedule.js';
import type {
  BankAccountPage,
  BudgetSchedule,
  DirectPaymentMonitoring,
  DirectPaymentPersonPage,
  FigurePeoplePage,
  RunPage,
  RunsPage,
} from './service.js';
import {
  RETURN_DAYS_ALLOWED,
  type directPaymentFigures,
  type DirectPaymentFigureId,
  type FigureDates,
  type FigurePerson,
} from './figures-repo.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';

export const runsPath = '/direct-payments/runs';
export const runPath = (run: Pick<PaymentRun, 'id'>) => `${runsPath}/${run.id}`;
export const personDirectPaymentsPath = (personId: number) => `/people/${personId}/direct-payments`;
export const bankDetailsPath = (personId: number) => `${personDirectPaymentsPath(personId)}/bank-details`;

export const recipientKindLabels: Record<RecipientKind, string> = {
  person: 'The person',
  representative: 'Their representative',
  managing_organisation: 'A managing organisation',
};

/** Only the last digits are ever on a page: the whole numbers leave only in an approved run's file. */
export const maskedSortCode = (sortCode: string) => `**-**-${sortCode.slice(-2)}`;
export const maskedAccountNumber = (accountNumber: string) => `****${accountNumber.slice(-4)}`;

const frequencyText = (frequency: DirectPaymentFrequency) => directPaymentFrequencyLabels[frequency].toLowerCase();

/** The rounding rule in the words the person page gives it (src/direct-payments/schedule.ts works it). */
export const howPaymentsAreWorkedOut = [
  'Direct payments are paid in advance: every week (Monday to Sunday), every 4 weeks, or every calendar month.',
  'The first payment pays for the days from the budget’s start to the end of that period. When the budget or the person’s contribution changes part way through a period, the old amount is paid up to the day before and the new amount from that day. Payments stop on the budget’s last day.',
  'A week’s amount is worth a seventh of itself each day, and a month is 52 weeks divided by 12. Each payment is worked out exactly and rounded once to the nearest penny, so a year of weekly or 4-weekly payments at one amount is exactly 52 weeks, and 12 monthly payments are within 4p of it.',
];

function coversText(payment: Pick<ScheduledPayment, 'coversFrom' | 'coversTo' | 'partPeriod'>): string {
  const days = `${formatDate(payment.coversFrom)} to ${formatDate(payment.coversTo)}`;
  return payment.partPeriod ? `${days} (part period)` : days;
}

const scheduleHead: TableHead[] = [{ text: 'Pays for' }, { text: 'Amount', numeric: true }];
const scheduleRows = (payments: readonly ScheduledPayment[]): TableCell[][] =>
  payments.map((payment) => [textCell(coversText(payment)), textCell(formatPence(payment.amountPence), { numeric: true })]);

function budgetSection(schedule: BudgetSchedule, index: number) {
  const { budget, terms } = schedule;
  const current = terms.rates.at(-1);
  const rows: SummaryRow[] = [
    { key: 'Paid', value: directPaymentFrequencyLabels[terms.frequency] },
    {
      key: 'Weekly amount paid',
      lines: terms.rates.map((rate) => `${formatPence(rate.weeklyPence)} a week from ${formatDate(rate.from)}`),
    },
    { key: 'Budget started', value: formatDate(budget.startDate) },
  ];
  if (budget.endDate !== null) rows.push({ key: 'Budget’s last day', value: formatDate(budget.endDate) });
  return {
    id: `budget-${index + 1}`,
    heading: budget.endDate === null ? 'Current direct payment' : `Direct payment that ended ${formatDate(budget.endDate)}`,
    rows,
    currentRate: current ? `${formatPence(current.weeklyPence)} a week, paid ${frequencyText(terms.frequency)}` : '',
    paid: {
      head: [...scheduleHead, { text: 'Payment run' }],
      rows: schedule.paid.map((payment): TableCell[] => [
        textCell(
          coversText({ ...payment, partPeriod: payment.coversFrom !== payment.periodStart || payment.coversTo !== payment.periodEnd }),
        ),
        textCell(
          payment.amountPence === 0 ? 'Nothing to pay: recovered' : formatPence(payment.amountPence),
          payment.amountPence === payment.duePence
            ? { numeric: true }
            : {
                numeric: true,
                secondary: `${formatPence(payment.duePence - payment.amountPence)} recovered of ${formatPence(payment.duePence)}`,
              },
        ),
        textCell(`Run ${payment.runId}`),
      ]),
    },
    owed: { head: scheduleHead, rows: scheduleRows(schedule.owed) },
    upcoming: { head: scheduleHead, rows: scheduleRows(schedule.upcoming) },
  };
}

function bankRows(account: BankAccountDetails | null): SummaryRow[] {
  if (!account) return [];
  return [
    { key: 'Paid to', value: recipientKindLabels[account.recipientKind] },
    { key: 'Name on the account', value: account.accountName },
    { key: 'Sort code', value: maskedSortCode(account.sortCode) },
    { key: 'Account number', value: maskedAccountNumber(account.accountNumber) },
  ];
}

export function personDirectPaymentsView(page: DirectPaymentPersonPage) {
  const person = personHeading(page.person);
  return {
    title: `Direct payments for ${person.name}`,
    person,
    backLink: person.href,
    howWorkedOut: howPaymentsAreWorkedOut,
    bank: {
      rows: bankRows(page.account),
      missing: page.account === null ? 'No bank details are recorded, so no payment run can pay this person yet.' : null,
      change: page.canChangeBankDetails
        ? { href: bankDetailsPath(page.person.id), text: page.account ? 'Change bank details' : 'Add bank details' }
        : null,
    },
    budgets: [...page.schedules].reverse().map(budgetSection),
    none: page.schedules.length === 0 ? 'This person has no personal budget paid as a direct payment.' : null,
    monitoring: directPaymentMonitoringView(page, page.person.id, page.canMonitor),
  };
}

const surplusTag = { text: 'Surplus', colour: 'red' as const };

/** The latest return, any surplus and the periods no return covers: what a direct payment review looks at. */
export function directPaymentMonitoringView(page: DirectPaymentMonitoring, personId: number, canMonitor: boolean) {
  const [latest] = page.returns;
  const latestRows: SummaryRow[] = latest
    ? [
        { key: 'Statement period', value: `${formatDate(latest.periodFrom)} to ${formatDate(latest.periodTo)}` },
        { key: 'Opening balance', value: formatPence(latest.openingBalancePence) },
        { key: 'Money in', value: formatPence(latest.moneyInPence) },
        { key: 'Money out', value: formatPence(latest.moneyOutPence) },
        { key: 'Closing balance', value: formatPence(latest.closingBalancePence) },
        latest.surplus
          ? { key: 'Surplus', tag: surplusTag }
          : { key: 'Surplus', value: `None: below ${formatPence(latest.surplusThresholdPence)}` },
      ]
    : [];
  return {
    thresholdText: `A closing balance of ${page.surplusWeeks} weeks of payments or more is a surplus the council may recover after a review.`,
    cutOverText: page.directPaymentsFrom
      ? `Returns for the days before ${formatDate(page.directPaymentsFrom)} were checked by the council’s previous system.`
      : null,
    latestRows,
    surplusText: latest?.surplus
      ? `The closing balance of ${formatPence(latest.closingBalancePence)} is at or above ${formatPence(latest.surplusThresholdPence)}, ${page.surplusWeeks} weeks of payments.`
      : null,
    noReturns: latest ? null : 'No account returns have been recorded.',
    missing: page.missing.map((span) => `${formatDate(span.from)} to ${formatDate(span.to)}`),
    missingCaption: `Periods up to ${formatDate(page.returnsDueBy)} with no return`,
    returns: {
      head: [
        { text: 'Statement period' },
        { text: 'Closing balance', numeric: true },
        { text: 'Surplus from', numeric: true },
        { text: 'Surplus' },
      ] satisfies TableHead[],
      rows: page.returns.map((accountReturn): TableCell[] => [
        textCell(`${formatDate(accountReturn.periodFrom)} to ${formatDate(accountReturn.periodTo)}`),
        textCell(formatPence(accountReturn.closingBalancePence), { numeric: true }),
        textCell(formatPence(accountReturn.surplusThresholdPence), { numeric: true }),
        accountReturn.surplus ? { tag: surplusTag } : textCell('No'),
      ]),
    },
    recoveries: {
      head: [
        { text: 'Recorded' },
        { text: 'Reason' },
        { text: 'Amount', numeric: true },
        { text: 'Recovered so far', numeric: true },
        { text: 'Still to recover', numeric: true },
      ] satisfies TableHead[],
      rows: page.recoveries.map((recovery): TableCell[] => [
        textCell(formatDateTime(recovery.recordedAt)),
        textCell(recovery.reason, { secondary: recoveryMethodText(recovery) }),
        textCell(formatPence(recovery.amountPence), { numeric: true }),
        textCell(recovery.method === 'owed' ? 'Recorded as owed' : formatPence(recovery.recoveredPence), { numeric: true }),
        textCell(formatPence(recovery.amountPence - recovery.recoveredPence), { numeric: true }),
      ]),
    },
    actions: canMonitor
      ? [
          { href: accountReturnPath(personId), text: 'Record an account return' },
          { href: recoveryPath(personId), text: 'Record a recovery' },
        ]
      : [],
  };
}

export const recoveryMethodLabels: Record<RecoveryMethod, string> = {
  from_payments: 'Take it from the next payments',
  owed: 'Record it as owed',
};

function recoveryMethodText(recovery: Pick<Recovery, 'method' | 'capPence'>): string {
  if (recovery.method === 'owed') return 'Owed by the person';
  return recovery.capPence === null
    ? 'Taken from the next payments, as much as each allows'
    : `Taken from the next payments, at most ${formatPence(recovery.capPence)} from each`;
}

export const accountReturnPath = (personId: number) => `${personDirectPaymentsPath(personId)}/returns/new`;
export const recoveryPath = (personId: number) => `${personDirectPaymentsPath(personId)}/recoveries/new`;

type FormState = { values: Record<string, unknown>; errors: FormErrors };

const moneyInput = (name: string, label: string, state: FormState) => ({
  name,
  label,
  value: state.values[name],
  error: state.errors.fields[name],
});

export function accountReturnPageView(page: { person: Person }, state: FormState) {
  const person = personHeading(page.person);
  const date = (name: string, label: string) => ({ name, label, value: state.values[name], error: state.errors.fields[name] });
  return {
    title: `Record an account return for ${person.name}`,
    person,
    backLink: personDirectPaymentsPath(page.person.id),
    errors: state.errors,
    form: {
      action: accountReturnPath(page.person.id),
      periodFrom: date('periodFrom', 'First day of the statement period'),
      periodTo: date('periodTo', 'Last day of the statement period'),
      openingBalance: moneyInput('openingBalance', 'Opening balance', state),
      moneyIn: moneyInput('moneyIn', 'Money paid in', state),
      moneyOut: moneyInput('moneyOut', 'Money paid out', state),
      closingBalance: moneyInput('closingBalance', 'Closing balance', state),
    },
  };
}

export function recoveryPageView(page: { person: Person }, state: FormState) {
  const person = personHeading(page.person);
  return {
    title: `Record a recovery for ${person.name}`,
    person,
    backLink: personDirectPaymentsPath(page.person.id),
    errors: state.errors,
    form: {
      action: recoveryPath(page.person.id),
      amount: moneyInput('amount', 'Amount to recover', state),
      reason: { name: 'reason', label: 'Why it is being recovered', value: state.values.reason, error: state.errors.fields.reason },
      method: {
        name: 'method',
        legend: 'How is it recovered?',
        value: state.values.method,
        error: state.errors.fields.method,
        items: recoveryMethods.map((method) => ({
          value: method,
          text: recoveryMethodLabels[method],
          hint:
            method === 'from_payments'
              ? 'Each payment run takes it from the person’s payments until it is all recovered'
              : 'The payments are not changed',
        })),
      },
      cap: {
        ...moneyInput('cap', 'Most to take from each payment (optional)', state),
        hint: 'Only when taking it from the next payments. Leave blank to take as much as each payment allows',
      },
    },
  };
}

export function returnRecordedBanner(outcome: { surplus: boolean }): Banner {
  return outcome.surplus
    ? {
        heading: 'Account return recorded: surplus',
        body: 'The closing balance is a surplus. The council may recover it after a review.',
        important: true,
      }
    : { heading: 'Account return recorded' };
}

export function recoveryRecordedBanner(outcome: { method: RecoveryMethod }): Banner {
  return {
    heading: 'Recovery recorded',
    body:
      outcome.method === 'owed'
        ? 'It is recorded as owed by the person.'
        : 'The next payment runs take it from the person’s payments until it is all recovered.',
  };
}

export const bankDetailsFieldLabels = {
  recipientKind: { label: 'Who is the direct payment paid to?', choices: recipientKindLabels },
  accountName: { label: 'Name on the account' },
  sortCode: { label: 'Sort code' },
  accountNumber: { label: 'Account number' },
} satisfies FieldLabels;

export function bankDetailsPageView(page: BankAccountPage, state: { values: Record<string, unknown>; errors: FormErrors }) {
  const person = personHeading(page.person);
  const { account } = page;
  // The numbers are typed afresh each time, never shown back in full.
  const values: Record<string, unknown> = {
    version: account ? String(account.version) : '',
    recipientKind: account?.recipientKind ?? '',
    accountName: account?.accountName ?? '',
    ...state.values,
  };
  const field = (name: keyof typeof bankDetailsFieldLabels) => ({
    name,
    label: bankDetailsFieldLabels[name].label,
    value: values[name],
    error: state.errors.fields[name],
  });
  return {
    title: `Bank details for ${person.name}’s direct payment`,
    person,
    backLink: personDirectPaymentsPath(page.person.id),
    errors: state.errors,
    current: bankRows(account),
    form: {
      action: bankDetailsPath(page.person.id),
      version: values.version,
      recipientKind: {
        ...field('recipientKind'),
        items: (Object.keys(recipientKindLabels) as RecipientKind[]).map((kind) => ({ value: kind, text: recipientKindLabels[kind] })),
      },
      accountName: { ...field('accountName'), hint: 'As the bank has it' },
      sortCode: { ...field('sortCode'), hint: 'Must be 6 digits long', value: values.sortCode ?? '' },
      accountNumber: { ...field('accountNumber'), hint: 'Must be 8 digits long', value: values.accountNumber ?? '' },
    },
  };
}

export function bankDetailsConflictView(page: BankAccountPage, typed: Record<string, unknown>): ConflictView {
  const { account } = page;
  return conflictView({
    recordName: `${personName(page.person)}’s bank details`,
    fields: bankDetailsFieldLabels,
    typed,
    savedNow: account
      ? {
          recipientKind: account.recipientKind,
          accountName: account.accountName,
          sortCode: maskedSortCode(account.sortCode),
          accountNumber: maskedAccountNumber(account.accountNumber),
        }
      : {},
    latest: { href: bankDetailsPath(page.person.id), text: 'See the bank details as they are now' },
  });
}

export const bankDetailsSavedBanner: Banner = { heading: 'Bank details saved', body: 'The next payment run pays into this account.' };

const statusText = { awaiting_approval: 'Waiting for approval', approved: 'Approved' } as const;
const statusTag = (run: PaymentRun) => ({
  text: statusText[run.status],
  colour: run.status === 'approved' ? ('green' as const) : ('yellow' as const),
});

export function runsPageView(page: RunsPage, state: { values: Record<string, unknown>; errors: FormErrors }) {
  return {
    title: 'Direct payment runs',
    cutOver: page.directPaymentsFrom
      ? `Periods that started before ${formatDate(page.directPaymentsFrom)} were paid by the council’s previous system, so no run pays them.`
      : null,
    directPayments: directPaymentFiguresView(page.figures, page.dates),
    errors: state.errors,
    form: page.canCreate
      ? {
          action: runsPath,
          paymentDate: {
            name: 'paymentDate',
            label: 'Payment date',
            hint: 'The run pays every period that has started by this date and is not in a run yet. It can be up to 5 weeks ahead. For example, 14 12 2026',
            value: state.values.paymentDate,
            error: state.errors.fields.paymentDate,
          },
        }
      : null,
    runs: {
      head: [
        { text: 'Payment date' },
        { text: 'Payments', numeric: true },
        { text: 'Total', numeric: true },
        { text: 'Created by' },
        { text: 'Status' },
      ] satisfies TableHead[],
      rows: page.runs.map((run): TableCell[] => [
        linkCell({ href: runPath(run), text: formatDate(run.paymentDate), hiddenText: `run ${run.id}` }),
        textCell(String(run.paymentCount), { numeric: true }),
        textCell(formatPence(run.totalPence), { numeric: true }),
        textCell(run.createdByName),
        { tag: statusTag(run) },
      ]),
    },
    none: page.runs.length === 0 ? 'No payment runs have been made yet.' : null,
  };
}

export function runPageView(page: RunPage, errors?: FormErrors) {
  const { run } = page;
  const rows: SummaryRow[] = [
    { key: 'Payment date', value: formatDate(run.paymentDate) },
    { key: 'Status', tag: statusTag(run) },
    { key: 'Payments', value: String(run.paymentCount) },
    { key: 'Total', value: formatPence(run.totalPence) },
    { key: 'Created by', value: `${run.createdByName}, ${formatDateTime(run.createdAt)}` },
  ];
  if (run.approvedAt) rows.push({ key: 'Approved by', value: `${run.approvedByName ?? 'Unknown'}, ${formatDateTime(run.approvedAt)}` });
  return {
    title: `Direct payment run for ${formatDate(run.paymentDate)}`,
    backLink: runsPath,
    errors,
    rows,
    cannotApprove: page.cannotApprove === 'created_it' ? 'You created this run, so another finance officer must approve it.' : null,
    approve: page.canApprove
      ? { action: `${runPath(run)}/approve`, text: 'Approve this payment run', fields: { version: String(run.version) } }
      : null,
    download: page.canExport ? { href: `${runPath(run)}/payments.csv`, text: 'Download the payment file (CSV)' } : null,
    payments: {
      head: [
        { text: 'Person' },
        { text: 'Pays for' },
        { text: 'Paid to' },
        { text: 'Reference' },
        { text: 'Due', numeric: true },
        { text: 'Recovered', numeric: true },
        { text: 'Paid', numeric: true },
      ] satisfies TableHead[],
      rows: page.payments.map(({ payment, payee }): TableCell[] => [
        linkCell({ href: personDirectPaymentsPath(payee.id), text: `${personName(payee)} (${payee.reference})` }),
        textCell(
          coversText({ ...payment, partPeriod: payment.coversFrom !== payment.periodStart || payment.coversTo !== payment.periodEnd }),
        ),
        textCell(payment.accountName, { secondary: `${maskedSortCode(payment.sortCode)}, ${maskedAccountNumber(payment.accountNumber)}` }),
        textCell(payment.reference),
        textCell(formatPence(payment.duePence), { numeric: true }),
        textCell(formatPence(payment.duePence - payment.amountPence), { numeric: true }),
        textCell(payment.amountPence === 0 ? 'Nothing to pay: recovered' : formatPence(payment.amountPence), { numeric: true }),
      ]),
    },
  };
}

export function runCreatedBanner(outcome: { count: number; withoutBankDetails: number }): Banner {
  const waiting =
    outcome.withoutBankDetails > 0
      ? ` ${outcome.withoutBankDetails === 1 ? '1 person is' : `${outcome.withoutBankDetails} people are`} left out until their bank details are added.`
      : '';
  return {
    heading: 'Payment run created',
    body: `It has ${outcome.count === 1 ? '1 payment' : `${outcome.count} payments`}. Another finance officer must approve it before the payment file can be downloaded.${waiting}`,
  };
}

export const runApprovedBanner: Banner = { heading: 'Payment run approved', body: 'The payment file can now be downloaded.' };

/** The payment file's columns, in the order the council's payment system takes them. */
export const paymentFileHeadings = ['Recipient name', 'Sort code', 'Account number', 'Amount', 'Reference', 'Period from', 'Period to'];

/** One row a payment, amounts in plain pounds; the shared writer guards every cell against formulas. */
export function paymentFileRows(payments: readonly DirectPayment[]): CsvCell[][] {
  return payments.map((payment) => [
    payment.accountName,
    payment.sortCode,
    payment.accountNumber,
    csvPounds(payment.amountPence),
    payment.reference,
    payment.coversFrom,
    payment.coversTo,
  ]);
}

/** On the person page, once any of their budgets has a direct payment share: the way to its schedule and payments. */
export function directPaymentsSectionView(personId: number, budgets: readonly Pick<PersonalBudget, 'split'>[]): PersonPageSection | null {
  if (!budgets.some((budget) => budget.split.direct_payment > 0)) return null;
  return {
    partial: 'direct-payments/_person-section',
    model: {
      directPayments: { link: { href: personDirectPaymentsPath(personId), text: 'Payment schedule, payments made and bank details' } },
    },
  };
}

/** The people behind a direct payment figure (src/direct-payments/figures-repo.ts). */
export const figurePeoplePath = (figure: DirectPaymentFigureId) => `/direct-payments/people/${figure}`;

const peopleCount = (count: number) => (count === 1 ? '1 person' : `${formatCount(count)} people`);

/** What each figure counts, in the words its list page and the figures under it use. */
function figureWording(figure: DirectPaymentFigureId, latestRunDate: string | null) {
  switch (figure) {
    case 'on-direct-payments':
      return {
        heading: 'People on direct payments',
        intro: 'People with a personal budget active today that is partly or wholly a direct payment.',
      };
    case 'paid':
      return {
        heading: 'Paid in the latest payment run',
        intro: latestRunDate
          ? `People paid in the latest approved payment run, for ${formatDate(latestRunDate)}.`
          : 'No payment run has been approved yet.',
      };
    case 'surplus':
      return {
        heading: 'Surpluses held',
        intro: 'People whose latest account return shows a closing balance at or above the council’s surplus threshold.',
      };
    case 'returns-overdue':
      return {
        heading: 'Account returns overdue',
        intro: `People paid by direct payment for days no account return covers, up to the end of a quarter that ended more than ${RETURN_DAYS_ALLOWED} days ago: a return is due within ${RETURN_DAYS_ALLOWED} days of each quarter’s end.`,
      };
  }
}

/** The four figures, each a link to the people behind it; shown on the dashboard and the payment runs page. */
export function directPaymentFiguresView(figures: Awaited<ReturnType<typeof directPaymentFigures>>, dates: FigureDates) {
  const row = (figure: DirectPaymentFigureId, text: string, key?: string): SummaryRow => ({
    key: key ?? figureWording(figure, figures.latestRunDate).heading,
    link: { href: figurePeoplePath(figure), text },
  });
  const onDp = figures['on-direct-payments'];
  return {
    rows: [
      row('on-direct-payments', `${peopleCount(onDp.people)}, ${formatPence(onDp.amountPence)} a week`),
      row(
        'paid',
        `${peopleCount(figures.paid.people)}, ${formatPence(figures.paid.amountPence)}`,
        figures.latestRunDate ? `Paid in the latest payment run (${formatDate(figures.latestRunDate)})` : 'Paid in the latest payment run',
      ),
      row('surplus', `${peopleCount(figures.surplus.people)}, ${formatPence(figures.surplus.amountPence)} in their accounts`),
      row('returns-overdue', peopleCount(figures['returns-overdue'].people)),
    ] satisfies SummaryRow[],
    notes: [
      'Paid this period means the latest payment run another finance officer has approved.',
      `A surplus is counted at the person’s latest account return. A quarter’s return is overdue ${RETURN_DAYS_ALLOWED} days after the quarter ends: returns are counted as overdue up to ${formatDate(dates.overdueQuarterEnd)}.`,
    ],
  };
}

/** The list page's third column: what the figure counts of each person. */
function figureColumn(figure: DirectPaymentFigureId): { head: TableHead; cell: (row: FigurePerson) => TableCell } {
  const money = (row: FigurePerson) => formatPence(row.amountPence ?? 0);
  const date = (row: FigurePerson) => (row.onDate ? formatDate(row.onDate) : '');
  switch (figure) {
    case 'on-direct-payments':
      return {
        head: { text: 'Direct payment a week', numeric: true },
        cell: (row) => textCell(money(row), { numeric: true, secondary: `since ${date(row)}` }),
      };
    case 'paid':
      return { head: { text: 'Paid', numeric: true }, cell: (row) => textCell(money(row), { numeric: true }) };
    case 'surplus':
      return {
        head: { text: 'Closing balance', numeric: true },
        cell: (row) => textCell(money(row), { numeric: true, secondary: `at ${date(row)}` }),
      };
    case 'returns-overdue':
      return { head: { text: 'No return from' }, cell: (row) => textCell(date(row)) };
  }
}

export function figurePeopleView(page: FigurePeoplePage, query: URLSearchParams) {
  const wording = figureWording(page.figure, page.latestRunDate);
  const column = figureColumn(page.figure);
  return {
    title: wording.heading,
    caption: `${page.allTeams ? 'All teams' : 'Your team'}, ${formatDate(page.today)}`,
    intro: wording.intro,
    backLink: page.allTeams ? runsPath : '/reports/dashboard',
    empty: 'Nobody is counted in this figure today.',
    rangeText: rangeText(page.paged.page, 'people'),
    head: [{ text: 'Person' }, { text: 'Team' }, column.head] satisfies TableHead[],
    rows: page.paged.rows.map((row): TableCell[] => [
      linkCell({ href: personDirectPaymentsPath(row.person.id), text: personName(row.person) }, { secondary: row.person.reference }),
      textCell(row.teamName),
      column.cell(row),
    ]),
    pagination: pagesOf(page.paged.page, pageHrefs(figurePeoplePath(page.figure), query)),
  };
}
