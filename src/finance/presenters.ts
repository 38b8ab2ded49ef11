import { londonDateOf } from '../calendar.js';
import type { Paged } from '../db/paging.js';
import { askAgainParagraphs, directPaymentText, managedAsLines, teamWords, whoPaysForYouRows } from './budget-presenters.js';
import { endBudgetPath } from './ending-presenters.js';
import { formatPence } from '../money.js';
import { clientGroupLabels, clientGroups } from '../people/client-groups.js';
import { personHeading, personLink, personName } from '../people/presenters.js';
import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { directPaymentBasisLabels, directPaymentFrequencyLabels, fundingStreamLabels, howManagedLabel } from '../plans/options.js';
import { listInWords, panelReasonTexts, plannedAmount } from '../plans/rules.js';
import {
  budgetRows,
  hasDirectPayment,
  planStatusTag,
  relatesTo,
  totalsTables,
  itemCostText,
  weeklyAndYearly,
} from '../plans/presenters.js';
import type { FieldLabels } from '../web/conflict.js';
import { dateParts } from '../web/form-fields.js';
import { formatCount, formatDate, formatDateTime } from '../web/format.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import { penceForInput } from '../web/money-field.js';
import { reviewKindLabels } from '../reviews/presenters.js';
import { daysText } from '../web/relative-dates.js';
import { noErrors, type FormErrors } from '../web/validation.js';
import type { SummaryRow, TableCell, TableHead } from '../web/view-models.js';
import type { BudgetCharge, FinancialAssessment } from './repo.js';
import type { QueueFilter } from './schemas.js';
import type { Banner } from '../web/banner.js';
import type { AssessmentHistory, CannotDecide, Decided, DecisionLetter, FinanceSection, PlanDecisionPage, WaitingPlan } from './service.js';

/** A piece of text as the lines it was typed in, or "Not recorded". */
function linesOf(text: string | null | undefined): string[] {
  const trimmed = (text ?? '').trim();
  return trimmed ? trimmed.split(/\r?\n/) : ['Not recorded'];
}

const queueHead = (extra: TableHead[]): TableHead[] => [
  { text: 'Person' },
  { text: 'Team' },
  { text: 'Client group' },
  ...extra,
  { text: 'Indicative a week', numeric: true },
  { text: 'Planned a week', numeric: true },
];

/** The first cells of a queue row: the person (linking to the decision page) with their reference, their team and client group. */
const queueRowStart = (plan: WaitingPlan, href: string): TableCell[] => [
  { link: { href, text: personName(plan.person) }, secondary: plan.person.reference },
  { text: plan.teamName },
  { text: clientGroupLabels[plan.person.clientGroup] },
];

const plansCount = (count: number) => `${formatCount(count)} ${count === 1 ? 'plan' : 'plans'}`;

export function signOffQueueView({ rows: plans, page }: Paged<WaitingPlan>, teams: { id: number; name: string }[], filter: QueueFilter) {
  const filtered = Boolean(filter.team || filter.clientGroup);
  const query = new URLSearchParams();
  if (filter.team) query.set('team', String(filter.team));
  if (filter.clientGroup) query.set('clientGroup', filter.clientGroup);
  return {
    filter: { team: filter.team === undefined ? '' : String(filter.team), clientGroup: filter.clientGroup ?? '' },
    teamChoices: [{ value: '', text: 'All teams' }, ...teams.map((team) => ({ value: String(team.id), text: team.name }))],
    clientGroupChoices: [
      { value: '', text: 'All client groups' },
      ...clientGroups.map((group) => ({ value: group, text: clientGroupLabels[group] })),
    ],
    countText: `${plansCount(page.total)} waiting`,
    rangeText: page.count > 1 ? rangeText(page, 'plans') : null,
    pagination: pagesOf(page, pageHrefs('/finance/queue', query)),
    head: queueHead([{ text: 'Submitted' }, { text: 'Waiting', numeric: true }]).concat([{ text: 'Over indicative' }]),
    rows: plans.map((plan): TableCell[] => [
      ...queueRowStart(plan, `/plans/${plan.id}/sign-off`),
      { text: `${formatDateTime(plan.submittedAt)}${plan.panelStatus === 'approved' ? ' (agreed at panel)' : ''}` },
      { text: daysText(plan.daysWaiting), numeric: true },
      { text: formatPence(plan.indicativeWeeklyPence), numeric: true },
      { text: formatPence(plan.plannedWeeklyPence), numeric: true },
      plan.aboveIndicative
        ? { tag: { text: `Over by ${formatPence(plan.plannedWeeklyPence - plan.indicativeWeeklyPence)}`, colour: 'orange' } }
        : { text: 'No' },
    ]),
    emptyText: `Nothing is waiting for sign-off${filtered ? ' with these filters' : ''}.`,
  };
}

export function panelQueueView({ rows: plans, page }: Paged<WaitingPlan>) {
  return {
    countText: `${plansCount(page.total)} waiting for panel`,
    rangeText: page.count > 1 ? rangeText(page, 'plans') : null,
    pagination: pagesOf(page, pageHrefs('/finance/panel', new URLSearchParams())),
    head: queueHead([{ text: 'Submitted by' }, { text: 'Waiting', numeric: true }]),
    rows: plans.map((plan): TableCell[] => [
      ...queueRowStart(plan, `/plans/${plan.id}/panel`),
      { text: plan.submittedByName ?? '' },
      { text: daysText(plan.daysWaiting), numeric: true },
      { text: formatPence(plan.indicativeWeeklyPence), numeric: true },
      { text: formatPence(plan.plannedWeeklyPence), numeric: true },
    ]),
  };
}

/** "3 March 2026 at 2:05pm by Tom Mercer". */
const whenAndWho = (when: Date | null, who: string | null) => `${formatDateTime(when)}${who ? ` by ${who}` : ''}`;

/** The plan as the person and their care manager wrote it, for the sign-off and panel pages. */
function planSummaryView(page: PlanDecisionPage) {
  const { plan, person, totals, names } = page;
  const panelText =
    plan.panelStatus === 'awaiting'
      ? 'Waiting for a team manager’s panel'
      : plan.panelStatus === 'approved'
        ? `${plan.panelAgreedWeeklyPence === null ? 'Agreed' : `${weekly(plan.panelAgreedWeeklyPence)} agreed`} by ${names.panelDecidedBy ?? 'a team manager'} on ${formatDateTime(plan.panelDecidedAt)}`
        : 'Not needed';
  const summaryRows: SummaryRow[] = [
    { key: 'Person', link: { ...personLink(person), text: `${personName(person)} (${person.reference})` } },
    { key: 'Client group', value: clientGroupLabels[person.clientGroup] },
    { key: 'Team', value: page.teamName },
    {
      key: 'Assessment',
      link: { href: `/assessments/${plan.assessmentId}/result`, text: 'The assessment and its indicative budget' },
    },
    { key: 'Status', tag: planStatusTag(plan) },
    { key: 'Plan started by', value: names.createdBy ?? undefined },
    { key: 'Submitted', value: plan.submittedAt ? whenAndWho(plan.submittedAt, names.submittedBy) : 'Not yet submitted' },
    { key: 'Panel', value: panelText },
  ];
  if (plan.panelStatus === 'approved' && plan.panelNote) summaryRows.push({ key: 'Panel’s reasons', lines: linesOf(plan.panelNote) });
  if (plan.status === 'returned') {
    summaryRows.push(
      { key: 'Returned', value: whenAndWho(plan.returnedAt, names.returnedBy) },
      { key: 'Reason for returning', lines: linesOf(plan.returnReason) },
    );
  }
  if (plan.status === 'approved') summaryRows.push({ key: 'Approved', value: whenAndWho(plan.approvedAt, names.approvedBy) });

  const outcomeNumber = new Map(plan.outcomes.map((outcome, index) => [outcome.id, index + 1]));
  const { byFundingStream, byManagementOption } = totalsTables(totals, { onlyUsed: true });
  const careActRows: SummaryRow[] = [
    { key: 'Who was involved in writing it', lines: linesOf(plan.peopleInvolved) },
    { key: 'How the person wants to be contacted', lines: linesOf(plan.contactArrangements) },
    { key: 'Eligible needs', lines: linesOf(plan.eligibleNeeds) },
    { key: 'Needs the council will meet, and how', lines: linesOf(plan.needsCouncilWillMeet) },
    { key: 'Wellbeing matters', lines: linesOf(plan.wellbeing) },
    { key: 'Advice on reducing or preventing needs', lines: linesOf(plan.preventionAdvice) },
  ];
  if (hasDirectPayment(totals)) {
    careActRows.push(
      { key: 'Needs the direct payment meets', lines: linesOf(plan.directPaymentNeeds) },
      {
        key: 'How often the direct payment is paid',
        value: plan.directPaymentFrequency ? directPaymentFrequencyLabels[plan.directPaymentFrequency] : undefined,
      },
      {
        key: 'Gross or net of the person’s contribution',
        value: plan.directPaymentBasis ? directPaymentBasisLabels[plan.directPaymentBasis] : undefined,
      },
    );
  }
  return {
    summaryRows,
    budgetRows: [
      ...budgetRows(plan, totals),
      [{ text: 'RAS ceiling' }, { text: '' }, { text: formatPence(plan.ceilingPence), numeric: true }] satisfies TableCell[],
    ],
    aboveIndicative: page.aboveIndicative
      ? {
          difference: `${formatPence(totals.personalBudgetWeeklyPence - plan.indicativeWeeklyPence)} a week`,
          reason: linesOf(plan.overIndicativeReason),
        }
      : null,
    panelWarning:
      page.panelReasons.length > 0
        ? `The planned personal budget ${listInWords(panelReasonTexts(page.panelReasons, plan, plannedAmount(totals), page.settings))}, so a team manager’s panel must agree it before finance approves it.`
        : null,
    replaces:
      page.currentBudget && plan.status === 'submitted'
        ? `Approving this plan replaces the current personal budget of ${formatPence(page.currentBudget.weeklyPence)} a week, which started on ${formatDate(page.currentBudget.startDate)}. It will end the day before the new budget starts.`
        : null,
    outcomes: plan.outcomes.map((outcome) => ({ lines: linesOf(outcome.description), relatesTo: relatesTo(outcome) })),
    itemRows: plan.items.map((item): TableCell[] => [
      { text: item.description },
      { text: item.provider || 'Not recorded' },
      { text: outcomeNumber.has(item.outcomeId) ? `Outcome ${outcomeNumber.get(item.outcomeId)}` : '' },
      { text: fundingStreamLabels[item.fundingStream] },
      { text: howManagedLabel(item) },
      { text: itemCostText(item), numeric: true },
    ]),
    fundingStreamRows: byFundingStream,
    managementOptionRows: byManagementOption,
    riskRows: plan.risks.map((risk): TableCell[] => [{ text: risk.risk }, { text: risk.howManaged }]),
    careActRows,
  };
}

/** The decision forms of one page; the one that was posted carries what was typed and why it was refused. */
type PostedForm = { name: string; values: Record<string, unknown>; errors: FormErrors };

function decisionForms(page: PlanDecisionPage, posted: PostedForm | undefined, forms: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(forms).map(([name, path]) => {
      const mine = posted?.name === name ? posted : undefined;
      return [
        name,
        {
          action: `/plans/${page.plan.id}/${path}`,
          values: { version: String(page.plan.version), ...mine?.values },
          errors: mine?.errors.fields ?? {},
        },
      ];
    }),
  );
}

const cannotDecideText: Record<'signOff' | 'panel', Record<CannotDecide, string>> = {
  signOff: {
    wrong_role: 'Only finance officers approve or return plans. You can see the plan but not decide.',
    not_waiting: 'This plan is not waiting for sign-off, so there is nothing to decide.',
    awaiting_panel: 'A team manager’s panel must agree this plan’s amount before you can approve it.',
    wrote_it: 'You wrote, changed or agreed this plan, so another finance officer must sign it off.',
  },
  panel: {
    wrong_role: 'Only a team manager of the person’s team decides at panel. You can see the plan but not decide.',
    not_waiting: 'This plan is not waiting for panel, so there is nothing to decide.',
    awaiting_panel: 'This plan is not waiting for panel, so there is nothing to decide.',
    wrote_it: 'You wrote or changed this plan, so another team manager must decide at panel.',
  },
};

/** What finance may approve, said before they type: the planned amount, or up to what a panel agreed. */
function approveHint(page: PlanDecisionPage): string {
  const planned = `Leave empty to approve the planned ${weekly(page.totals.personalBudgetWeeklyPence)}.`;
  const { plan } = page;
  if (plan.panelStatus === 'approved' && plan.panelAgreedWeeklyPence !== null) {
    return `${planned} The panel agreed ${weekly(plan.panelAgreedWeeklyPence)}: you can approve up to that, with a reason for any amount other than the planned one.`;
  }
  return `${planned} You can approve less, with a reason; more needs a team manager’s panel.`;
}

export function signOffPageView(page: PlanDecisionPage, posted?: PostedForm) {
  const title = `Sign off the personal budget for ${personName(page.person)}`;
  const forms = decisionForms(page, posted, { approve: 'approve', return: 'return' });
  return {
    title,
    backLink: '/finance/queue',
    person: personHeading(page.person),
    errors: posted?.errors ?? noErrors,
    summary: planSummaryView(page),
    cannotDecide: page.cannotDecide && cannotDecideText.signOff[page.cannotDecide],
    approveForm: forms.approve,
    returnForm: forms.return,
    plannedHint: approveHint(page),
  };
}

export function panelPageView(page: PlanDecisionPage, posted?: PostedForm) {
  const forms = decisionForms(page, posted, { panelApprove: 'panel-approve', panelReturn: 'panel-return' });
  return {
    title: `Panel: the budget for ${personName(page.person)}`,
    backLink: '/finance/panel',
    person: personHeading(page.person),
    errors: posted?.errors ?? noErrors,
    summary: planSummaryView(page),
    cannotDecide: page.cannotDecide && cannotDecideText.panel[page.cannotDecide],
    agreeForm: forms.panelApprove,
    agreeHint: `Leave empty to agree the planned ${weekly(page.totals.personalBudgetWeeklyPence)}. Finance can then approve up to the amount you agree, and no more.`,
    returnForm: forms.panelReturn,
  };
}

/** The confirmation after a decision, on the page the user goes to next. */
export function decisionBanner(page: PlanDecisionPage, decided: Decided): Banner {
  const name = personName(page.person);
  if (decided.kind === 'approved') {
    return {
      heading: 'Personal budget approved',
      body: `${weekly(decided.weeklyPence)} for ${name} from ${formatDate(decided.startDate)}. The first review is due on ${formatDate(decided.firstReviewDue)}.`,
    };
  }
  if (decided.kind === 'agreed_at_panel') {
    return {
      heading: 'Budget agreed at panel',
      body: `${weekly(decided.weeklyPence)} for ${name}. The plan now goes to finance for sign-off.`,
    };
  }
  return {
    heading: 'Plan returned to the care manager',
    body: `${name}’s support plan goes back with your reason, for the care manager to change.`,
  };
}

/** The decision forms' fields by their labels, for the page shown when someone else decided first. */
export const decisionFieldLabels: FieldLabels = {
  startDate: { label: 'Start date' },
  weeklyAmount: { label: 'Approved amount a week' },
  amountReason: { label: 'Reason for approving a different amount' },
  returnReason: { label: 'Why you are returning it' },
  agreedAmount: { label: 'Amount the panel agrees a week' },
  panelNote: { label: 'The panel’s reasons for agreeing' },
};

/** What the plan holds now for the decision forms' fields: the decision someone else made. */
export function decisionSavedNow(page: PlanDecisionPage): Record<string, unknown> {
  const { plan, currentBudget } = page;
  const savedNow: Record<string, unknown> = {};
  if (plan.status === 'approved' && currentBudget?.planId === plan.id) {
    savedNow.startDate = dateParts(currentBudget.startDate);
    savedNow.weeklyAmount = penceForInput(currentBudget.weeklyPence);
    savedNow.amountReason = currentBudget.approvalReason;
  }
  if (plan.status === 'returned') savedNow.returnReason = plan.returnReason;
  if (plan.panelStatus === 'approved') {
    savedNow.panelNote = plan.panelNote;
    savedNow.agreedAmount = penceForInput(plan.panelAgreedWeeklyPence ?? undefined);
  }
  return savedNow;
}

export const financialAssessmentFieldLabels: FieldLabels = {
  weeklyIncome: { label: 'Weekly income' },
  weeklyAllowances: { label: 'Weekly allowances and disregards' },
  capital: { label: 'Capital' },
  effectiveFrom: { label: 'Date it takes effect' },
  adjustedContribution: { label: 'Adjusted weekly contribution' },
  adjustmentReason: { label: 'Reason for the adjustment' },
};

/** A recorded assessment as the boxes of the form show it. */
export function financialAssessmentValues(assessment: FinancialAssessment): Record<string, unknown> {
  const adjusted = assessment.adjustmentReason !== '';
  return {
    weeklyIncome: penceForInput(assessment.weeklyIncomePence),
    weeklyAllowances: penceForInput(assessment.weeklyAllowancesPence),
    capital: penceForInput(assessment.capitalPence),
    effectiveFrom: dateParts(assessment.effectiveFrom),
    adjustedContribution: adjusted ? penceForInput(assessment.weeklyContributionPence) : '',
    adjustmentReason: assessment.adjustmentReason,
  };
}

/** A new assessment usually changes one figure, so the form starts from the latest one's. */
export function newFinancialAssessmentValues(history: AssessmentHistory): Record<string, unknown> {
  const [latest] = history;
  return {
    weeklyIncome: penceForInput(latest?.weeklyIncomePence),
    weeklyAllowances: penceForInput(latest?.weeklyAllowancesPence),
    capital: penceForInput(latest?.capitalPence),
    latestSeenId: String(latest?.id ?? 0),
  };
}

const weekly = (pence: number) => `${formatPence(pence)} a week`;

export function financialAssessmentPageView(
  page: { person: Person; history: AssessmentHistory },
  state: { values: Record<string, unknown>; errors: FormErrors },
) {
  return {
    title: `Financial assessment for ${personName(page.person)}`,
    person: personHeading(page.person),
    action: `/people/${page.person.id}/financial-assessment`,
    values: state.values,
    errors: state.errors,
    historyRows: page.history.map((assessment): TableCell[] => [
      { text: formatDate(assessment.effectiveFrom) },
      { text: formatPence(assessment.weeklyIncomePence), numeric: true },
      { text: formatPence(assessment.weeklyAllowancesPence), numeric: true },
      { text: formatPence(assessment.capitalPence), numeric: true },
      { text: formatPence(assessment.tariffIncomePence), numeric: true },
      { text: assessment.capitalAboveUpperLimit ? 'Full cost' : weekly(assessment.calculatedWeeklyContributionPence) },
      {
        text: assessment.paysFullCost ? 'Full cost' : weekly(assessment.weeklyContributionPence),
        secondary: assessment.adjustmentReason ? `Adjusted: ${assessment.adjustmentReason}` : undefined,
      },
      { text: `${assessment.recordedByName ?? ''}, ${formatDateTime(assessment.recordedAt)}` },
    ]),
  };
}

/** The Care Act s.26 figures: what meeting the needs costs, what the person pays and what the council pays. */
function whoPaysRows(charge: BudgetCharge, inForce: FinancialAssessment | null): SummaryRow[] {
  const fullCost = inForce?.id === charge.financialAssessmentId && inForce.paysFullCost;
  const rows: SummaryRow[] = [
    { key: 'Cost to the council', value: formatPence(charge.costWeeklyPence) },
    {
      key: 'What the person pays',
      value:
        charge.personPaysWeeklyPence === null
          ? 'Not yet assessed'
          : `${formatPence(charge.personPaysWeeklyPence)}${fullCost ? ' (the full cost)' : ''}`,
    },
    {
      key: 'What the council pays',
      value:
        charge.councilPaysWeeklyPence === null
          ? 'Not known until the financial assessment is recorded'
          : formatPence(charge.councilPaysWeeklyPence),
    },
  ];
  if (charge.directPayment) rows.push({ key: 'Direct payment', value: directPaymentText(charge.directPayment) });
  return rows;
}

const budgetStateLabels = { current: 'Current', ended: 'Ended', starts_later: 'Starts later' } as const;

/** The person page's personal budget: the budget, who pays what each week, the next review and the history. */
export function financeSectionView(section: FinanceSection | null): PersonPageSection | null {
  if (!section) return null;
  const { current, charge, inForce } = section;
  const startsLater = current?.state === 'starts_later';
  const currentRows: SummaryRow[] | null = current && [
    {
      key: startsLater ? 'Approved personal budget' : 'Current personal budget',
      value: weeklyAndYearly(current.weeklyPence, current.annualPence),
    },
    { key: startsLater ? 'Starts' : 'Started', value: formatDate(current.startDate) },
    { key: 'How it is managed', lines: managedAsLines(current.split) },
    { key: 'Individual budget (all funding streams)', value: weekly(current.individualBudgetWeeklyPence) },
    ...(current.weeklyPence !== current.plannedWeeklyPence
      ? [
          {
            key: `Finance’s reason for a different amount from the plan (${weekly(current.plannedWeeklyPence)})`,
            value: current.approvalReason,
          },
        ]
      : []),
  ];
  const { nextReview } = section;
  return {
    partial: 'finance/_person-section',
    model: {
      finance: {
        currentRows,
        whoPaysRows: charge && whoPaysRows(charge, inForce),
        chargeHistoryRows:
          section.chargeHistory.length > 1
            ? section.chargeHistory.map((row): TableCell[] => [
                { text: formatDate(row.effectiveFrom) },
                // An earlier period's row: "not yet assessed" there read as if it were still so.
                { text: row.personPaysWeeklyPence === null ? 'No assessment then' : formatPence(row.personPaysWeeklyPence), numeric: true },
                { text: row.councilPaysWeeklyPence === null ? 'Not known' : formatPence(row.councilPaysWeeklyPence), numeric: true },
                { text: row.directPayment ? directPaymentText(row.directPayment) : 'None' },
              ])
            : [],
        inForceText:
          charge?.financialAssessmentId && inForce?.id === charge.financialAssessmentId
            ? `From the financial assessment that took effect on ${formatDate(inForce.effectiveFrom)}.`
            : null,
        nextReview: nextReview && {
          kind: reviewKindLabels[nextReview.kind],
          rest: ` due ${formatDate(nextReview.dueDate)}${nextReview.assignedToName ? `, with ${nextReview.assignedToName}` : ', not yet assigned'}.`,
        },
        laterAssessmentText:
          !inForce && section.latestAssessment
            ? `A financial assessment takes effect on ${formatDate(section.latestAssessment.effectiveFrom)}.`
            : null,
        endLink: current && section.canEnd ? { href: endBudgetPath(current), text: 'End this budget' } : null,
        letterLink: current ? { href: `/plans/${current.planId}/decision-letter`, text: 'Decision letter for this budget' } : null,
        recordLink: section.canRecord
          ? { href: `/people/${section.personId}/financial-assessment`, text: 'Record a financial assessment' }
          : null,
        budgetRows: section.budgets.map((budget): TableCell[] => [
          { text: formatDate(budget.startDate) },
          { text: budget.endDate ? formatDate(budget.endDate) : 'Open' },
          { text: formatPence(budget.weeklyPence), numeric: true },
          { text: formatPence(budget.annualPence), numeric: true },
          { text: budgetStateLabels[budget.state] },
        ]),
      },
    },
  };
}

/** The direct payment as the person receives it. */
function directPaymentLines(letter: DecisionLetter): string[] {
  const payment = letter.signedOff?.chargeAtStart?.directPayment;
  if (!payment) return [];
  const basis =
    payment.basis === 'net'
      ? 'Your contribution is taken off before it is paid.'
      : payment.basis === 'gross'
        ? 'It is paid in full, and we ask you for your contribution separately.'
        : '';
  return [`We pay ${directPaymentText({ ...payment, basis: null })} into your direct payment account. ${basis}`.trim()];
}

/** The letter the person keeps after a decision on their support plan. */
export function decisionLetterView(letter: DecisionLetter) {
  const { person, plan, signedOff } = letter;
  const name = personName(person);
  const addressLines = [name, ...person.address.split(/\r?\n/), person.postcode].map((line) => line.trim()).filter(Boolean);
  const common = {
    title: `Decision letter – ${name}`,
    backLink: `/plans/${plan.id}`,
    date: formatDate(letter.today),
    addressLines,
    reference: person.reference,
    greeting: `Dear ${name},`,
    askAgain: askAgainParagraphs({ workerName: letter.workerName, teamName: letter.teamName, reference: letter.person.reference }),
    contact: `${letter.workerName ?? 'Your care manager'}, ${teamWords(letter.teamName)}, adult social care.`,
  };
  if (!signedOff) {
    return {
      ...common,
      heading: 'Your support plan needs changing before it can be agreed',
      opening: [
        `We looked at your support plan${plan.returnedAt ? ` on ${formatDate(londonDateOf(plan.returnedAt))}` : ''} and sent it back to your care manager to change it. This is why:`,
      ],
      reasonLines: linesOf(plan.returnReason),
      after: [
        'Your care manager will contact you to go through the changes with you. Any support you already have carries on until a new plan is agreed.',
      ],
      sections: [],
    };
  }
  const { budget, chargeAtStart } = signedOff;
  const opening = [
    `We have agreed a personal budget of ${weeklyAndYearly(budget.weeklyPence, budget.annualPence)} to meet your eligible care and support needs, starting on ${formatDate(budget.startDate)}.`,
  ];
  if (budget.weeklyPence !== budget.plannedWeeklyPence) {
    opening.push(
      `Your plan asked for ${weekly(budget.plannedWeeklyPence)}. We agreed a different amount, for this reason: ${budget.approvalReason}`,
    );
  }
  const whoPays = chargeAtStart ? whoPaysForYouRows(chargeAtStart) : [];
  const managed = managedAsLines(budget.split);
  return {
    ...common,
    heading: 'Your personal budget has been agreed',
    opening,
    reasonLines: [],
    after: [
      signedOff.firstReviewDue
        ? `We will review your plan with you by ${formatDate(signedOff.firstReviewDue)}, to check it is working, and then at least once a year. You can ask for a review sooner at any time.`
        : 'We will review your plan with you to check it is working, and then at least once a year. You can ask for a review sooner at any time.',
    ],
    sections: [
      {
        heading: 'Your needs and your plan',
        rows: [
          { key: 'Your eligible needs', lines: linesOf(plan.eligibleNeeds) },
          { key: 'The needs we will meet, and how', lines: linesOf(plan.needsCouncilWillMeet) },
          { key: 'How this supports your wellbeing', lines: linesOf(plan.wellbeing) },
          { key: 'Advice on reducing or preventing needs', lines: linesOf(plan.preventionAdvice) },
          { key: 'Who helped write your plan', lines: linesOf(plan.peopleInvolved) },
        ] satisfies SummaryRow[],
      },
      { heading: 'Who pays what, each week', rows: whoPays },
      {
        heading: 'How your budget is managed',
        rows: [
          { key: 'Managed as', lines: managed },
          ...(budget.split.direct_payment > 0
            ? [
                { key: 'Direct payment', lines: directPaymentLines(letter) },
                { key: 'Needs the direct payment meets', lines: linesOf(plan.directPaymentNeeds) },
              ]
            : []),
        ] satisfies SummaryRow[],
      },
    ],
  };
}
