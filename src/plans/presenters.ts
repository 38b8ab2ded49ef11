import { eligibilityOutcomes } from '../assessments/eligibility.js';
import { askAgainParagraphs, directPaymentText, managedAsLines, teamWords, whoPaysForYouRows } from '../finance/budget-presenters.js';
import { londonDateOf } from '../calendar.js';
import { formatPence } from '../money.js';
import { personHeading, personName } from '../people/presenters.js';
import type { Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import type { FieldLabels } from '../web/conflict.js';
import { formatDate, formatDateTime } from '../web/format.js';
import { penceForInput } from '../web/money-field.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, PostButton, SummaryRow, Tag, TableCell, TableHead } from '../web/view-models.js';
import {
  directPaymentBasisLabels,
  directPaymentFrequencyLabels,
  fundingStreamLabels,
  fundingStreams,
  howManagedLabel,
  itemCostTypes,
  managementOptionLabels,
  managementOptions,
  type DirectPaymentFrequency,
  type ItemCostType,
} from './options.js';
import { careActContents, type PanelStatus, type PlanItem, type PlanOutcome, type PlanStatus, type SupportPlan } from './repo.js';
import { listInWords, panelReasonTexts, plannedAmount, type PlanProblem } from './rules.js';
import type { PlanPage, PlanSection, PlanStartBlock } from './service.js';
import { weeklyEquivalentPence, yearlyCostPence, type CostedItem, type PlanTotals } from './totals.js';

/** A plan's status as every page shows it. A submitted plan waits for panel or for finance, so it has two. */
export const planStatusLabels: Record<PlanStatus, Tag> = {
  draft: { text: 'Draft', colour: 'grey' },
  submitted: { text: 'Waiting for finance sign-off', colour: 'blue' },
  returned: { text: 'Returned for changes', colour: 'orange' },
  approved: { text: 'Approved', colour: 'green' },
  replaced: { text: 'Replaced by a newer plan', colour: 'grey' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
  superseded: { text: 'Superseded by a newer assessment', colour: 'grey' },
};
const waitingForPanel: Tag = { text: 'Waiting for panel', colour: 'purple' };

export function planStatusTag(plan: { status: PlanStatus; panelStatus: PanelStatus }): Tag {
  return plan.status === 'submitted' && plan.panelStatus === 'awaiting' ? waitingForPanel : planStatusLabels[plan.status];
}

/** "£150.00 a week (£7,800.00 a year)". */
export const weeklyAndYearly = (weeklyPence: number, annualPence: number) =>
  `${formatPence(weeklyPence)} a week (${formatPence(annualPence)} a year)`;

const eligibilityOutcomeLabels: Record<string, string> = Object.fromEntries(
  eligibilityOutcomes.map((outcome) => [outcome.key, outcome.label]),
);
const eligibilityOutcomeChoices = eligibilityOutcomes.map((outcome) => ({ value: outcome.key, text: outcome.label }));

export const relatesTo = (outcome: Pick<PlanOutcome, 'eligibilityOutcomes'>) =>
  `Relates to: ${outcome.eligibilityOutcomes.map((key) => eligibilityOutcomeLabels[key] ?? key).join('; ')}`;

/** What an item comes to a week: its weekly cost, or a yearly or one-off amount's weekly equivalent. For showing only: totals add up years. */
const itemWeeklyPence = (item: CostedItem) => weeklyEquivalentPence(yearlyCostPence(item));

type ItemCost = CostedItem & Pick<PlanItem, 'unitCostPence' | 'unitsPerWeekHundredths'>;

/** An item's cost as it was typed: "£150.00 a week", "£21.50 × 7.5 units a week", "£250.00 a year", "£120.00 once". */
export function itemCostText(item: ItemCost): string {
  const { unitCostPence, unitsPerWeekHundredths } = item;
  if (item.costType === 'unit' && unitCostPence !== null && unitsPerWeekHundredths !== null) {
    const units = unitsPerWeekHundredths / 100;
    return `${formatPence(unitCostPence)} × ${units} ${units === 1 ? 'unit' : 'units'} a week`;
  }
  if (item.costType === 'yearly') return `${formatPence(yearlyCostPence(item))} a year`;
  if (item.costType === 'one_off') return `${formatPence(yearlyCostPence(item))} once`;
  return `${formatPence(itemWeeklyPence(item))} a week`;
}

/** Whether any support costs a year or once, so the weekly figures are equivalents rather than what is paid each week. */
const hasYearlyOrOneOffItems = (items: readonly CostedItem[]) =>
  items.some((item) => item.costType === 'yearly' || item.costType === 'one_off');

/** The indicative budget beside what the plan costs, a week and a year. */
export function budgetRows(plan: Pick<SupportPlan, 'indicativeWeeklyPence' | 'indicativeAnnualPence'>, totals: PlanTotals): TableCell[][] {
  const row = (label: string, weeklyPence: number, annualPence: number): TableCell[] => [
    { text: label },
    { text: formatPence(weeklyPence), numeric: true },
    { text: formatPence(annualPence), numeric: true },
  ];
  return [
    row('Indicative budget (from the assessment)', plan.indicativeWeeklyPence, plan.indicativeAnnualPence),
    row('Planned personal budget (social care)', totals.personalBudgetWeeklyPence, totals.personalBudgetAnnualPence),
    row('Individual budget (all funding streams)', totals.individualBudgetWeeklyPence, totals.individualBudgetAnnualPence),
  ];
}

/** Totals by funding stream and by how the personal budget is managed; `onlyUsed` leaves out the empty ones. */
export function totalsTables(totals: PlanTotals, options: { onlyUsed?: boolean } = {}) {
  const rows = <K extends string>(
    keys: readonly K[],
    labels: Record<K, string>,
    byKey: Record<K, { weeklyPence: number; annualPence: number }>,
  ) =>
    keys
      .filter((key) => !options.onlyUsed || byKey[key].annualPence > 0)
      .map((key): TableCell[] => [
        { text: labels[key] },
        { text: formatPence(byKey[key].weeklyPence), numeric: true },
        { text: formatPence(byKey[key].annualPence), numeric: true },
      ]);
  return {
    byFundingStream: rows(fundingStreams, fundingStreamLabels, totals.byFundingStream),
    byManagementOption: rows(managementOptions, managementOptionLabels, totals.byManagementOption),
  };
}

export const hasDirectPayment = (totals: PlanTotals) => totals.byManagementOption.direct_payment.annualPence > 0;

const frequencyText = (frequency: DirectPaymentFrequency | null) => (frequency ? directPaymentFrequencyLabels[frequency] : undefined);

/** Where each problem is put right: outcomes and support on the plan page, the rest at its box on the details form. */
const problemLink = (planId: number, field: PlanProblem['field']) =>
  field === 'outcomes' ? '#outcomes' : field === 'items' ? '#support' : `/plans/${planId}/details#${field}`;

/** A plan that cannot be submitted yet: every problem in the error summary, each linking to where it is put right. */
export function planProblemErrors(planId: number, problems: readonly PlanProblem[]): FormErrors {
  return {
    summary: problems.map((problem) => ({ text: problem.text, href: problemLink(planId, problem.field) })),
    fields: {},
  };
}

const planLink = (plan: Pick<SupportPlan, 'id'>): Link => ({ href: `/plans/${plan.id}`, text: `Support plan ${plan.id}` });

const startBlockText: Record<PlanStartBlock, string> = {
  no_assessment: 'A support plan starts from a submitted assessment.',
  not_eligible: 'The current assessment found no eligible needs, so there is no personal budget to plan.',
};

/** The person page's support plans: each plan and its status, and a button to start one. */
export function planSectionView(section: PlanSection): PersonPageSection {
  return {
    partial: 'plans/_person-plans',
    model: {
      head: [{ text: 'Plan' }, { text: 'Status' }, { text: 'Started' }, { text: 'Indicative a year', numeric: true }] satisfies TableHead[],
      rows: section.plans.map((plan): TableCell[] => [
        { link: planLink(plan) },
        { tag: planStatusTag(plan) },
        { text: formatDateTime(plan.createdAt) },
        { text: formatPence(plan.indicativeAnnualPence), numeric: true },
      ]),
      startButton: section.canStart
        ? ({ action: `/people/${section.person.id}/plans`, text: 'Start a support plan', secondary: true } satisfies PostButton)
        : null,
      // Said only while no plan is open: with one open, the reason a new one cannot start is plain.
      whyNot: !section.canStart && !section.hasOpenPlan && section.startBlock ? startBlockText[section.startBlock] : null,
    },
  };
}

function detailsRows(page: PlanPage): SummaryRow[] {
  const { plan, totals } = page;
  const directPayment = hasDirectPayment(totals);
  const noDirectPayment = 'No direct payment';
  const rows: SummaryRow[] = [
    { key: 'Who was involved', value: plan.peopleInvolved },
    { key: 'How they want to be contacted', value: plan.contactArrangements },
    { key: 'Eligible needs', value: plan.eligibleNeeds },
    { key: 'Needs the council will meet, and how', value: plan.needsCouncilWillMeet },
    { key: 'Wellbeing', value: plan.wellbeing },
    { key: 'Advice on reducing or preventing needs', value: plan.preventionAdvice },
    { key: 'Needs the direct payment meets', value: directPayment ? plan.directPaymentNeeds : noDirectPayment },
    {
      key: 'Direct payment amount and frequency',
      value: directPayment
        ? `${weeklyAndYearly(totals.byManagementOption.direct_payment.weeklyPence, totals.byManagementOption.direct_payment.annualPence)}, paid ${frequencyText(plan.directPaymentFrequency)?.toLowerCase() ?? '(not recorded)'}`
        : noDirectPayment,
    },
    {
      key: 'Direct payment paid gross or net',
      value: directPayment ? (plan.directPaymentBasis ? directPaymentBasisLabels[plan.directPaymentBasis] : '') : noDirectPayment,
    },
    {
      key: 'Why the budget is above the indicative budget',
      value: page.aboveIndicative ? plan.overIndicativeReason : 'It is not above the indicative budget',
    },
  ];
  if (page.asksNeedsChanged) rows.push({ key: 'What has changed in the person’s needs', value: plan.needsChanged });
  return rows;
}

/** A note under the budget when some support costs a year or once: the weekly figures are then equivalents. */
const weeklyEquivalentNote = (items: readonly CostedItem[]) =>
  hasYearlyOrOneOffItems(items)
    ? 'Some support costs a year or once, so a week is the yearly total divided by 52. A one-off amount counts in the plan’s first year.'
    : null;

const dayOf = (instant: Date | null) => (instant ? formatDate(londonDateOf(instant)) : 'an unknown date');

/** Why a withdrawn or superseded plan can go no further, and for a superseded one the way on. */
function stoppedBanner(page: PlanPage): { heading: string; body: string; wayOn: Link | null } | null {
  const { stopped, person } = page;
  if (stopped?.kind === 'withdrawn') {
    return {
      heading: 'This plan was withdrawn',
      body: `Withdrawn by ${stopped.byName ?? 'a member of the team'} on ${formatDateTime(stopped.at)}. Reason: ${stopped.reason}`,
      wayOn: null,
    };
  }
  if (stopped?.kind === 'superseded') {
    return {
      heading: 'This plan was superseded by a newer assessment',
      body: `It was started from the assessment of ${dayOf(stopped.startedFromAssessmentOn)}. A newer assessment was submitted on ${dayOf(stopped.newerAssessmentOn)}, so this plan can no longer be submitted or approved. Start a new plan from the newer assessment.`,
      wayOn: page.isPersonsTeam
        ? { href: `/people/${person.id}#support-plans`, text: `Start a new plan from ${person.givenName}’s page` }
        : null,
    };
  }
  return null;
}

/** The plan page: the budget, outcomes, support, what the plan records and its risks, with what this user may change. */
export function planPageView(page: PlanPage, errors: FormErrors) {
  const { plan, person, totals, canEdit } = page;
  const name = personName(person);
  const base = `/plans/${plan.id}`;
  const version = { version: String(plan.version) };
  const remove = (path: string, what: string): PostButton => ({
    action: `${base}/${path}/remove`,
    text: 'Remove',
    hiddenText: what,
    fields: version,
  });
  const { byFundingStream, byManagementOption } = totalsTables(totals);
  // Said until the reason is given, not for as long as the budget is above.
  const reasonMissing = page.aboveIndicative && !plan.overIndicativeReason.trim();
  return {
    title: `Support plan for ${name}`,
    person: personHeading(person),
    breadcrumbs: [
      { href: '/people', text: 'People' },
      { href: `/people/${person.id}`, text: name },
    ],
    errors,
    status: planStatusTag(plan),
    signedOff: page.signedOff && {
      by: page.signedOff.approvedByName ?? 'finance',
      weekly: formatPence(page.signedOff.budget.weeklyPence),
      annual: formatPence(page.signedOff.budget.annualPence),
      period: `${formatDate(page.signedOff.budget.startDate)}${page.signedOff.budget.endDate ? ` to ${formatDate(page.signedOff.budget.endDate)}` : ''}`,
      reason: page.signedOff.budget.approvalReason,
      // The way on from a signed-off plan: its first review, for the person's team who carries it out.
      nextStep:
        page.isPersonsTeam && page.signedOff.firstReviewId !== null && page.signedOff.firstReviewDue
          ? {
              href: `/reviews/${page.signedOff.firstReviewId}`,
              text: `Start the first review (due ${formatDate(page.signedOff.firstReviewDue)})`,
            }
          : null,
    },
    returned: plan.status === 'returned' ? { heading: 'Finance returned this plan', body: `Reason: ${plan.returnReason}` } : null,
    stopped: stoppedBanner(page),
    budgetRows: budgetRows(plan, totals),
    weeklyEquivalentNote: weeklyEquivalentNote(plan.items),
    warning:
      page.panelReasons.length > 0
        ? `The planned personal budget ${listInWords(panelReasonTexts(page.panelReasons, plan, plannedAmount(totals), page.settings))}, so a team manager’s panel must agree it before finance sees it.${reasonMissing ? ' The plan must give the reason it is above the indicative budget.' : ''}`
        : reasonMissing
          ? 'The planned personal budget is above the indicative budget. The plan must give the reason.'
          : null,
    outcomesHeading: `Outcomes, in ${person.givenName}’s own words`,
    outcomes: plan.outcomes.map((outcome, index) => ({
      key: `Outcome ${index + 1}`,
      description: outcome.description,
      relatesTo: relatesTo(outcome),
      change: canEdit ? { href: `${base}/outcomes/${outcome.id}/edit`, text: 'Change', hiddenText: `outcome ${index + 1}` } : null,
      remove: canEdit ? remove(`outcomes/${outcome.id}`, `outcome ${index + 1}`) : null,
    })),
    addOutcomeLink: canEdit ? { href: `${base}/outcomes/new`, text: 'Add an outcome' } : null,
    itemsHead: [
      { text: 'Support' },
      { text: 'For outcome' },
      { text: 'Funding and management' },
      { text: 'Cost', numeric: true },
      { text: 'A year', numeric: true },
      ...(canEdit ? [{ text: 'Actions', hidden: true }] : []),
    ] satisfies TableHead[],
    itemRows: plan.items.map((item, index): TableCell[] => [
      { text: item.description, secondary: item.provider || undefined },
      { text: plan.outcomes.find((outcome) => outcome.id === item.outcomeId)?.description ?? '' },
      { text: fundingStreamLabels[item.fundingStream], secondary: howManagedLabel(item) },
      { text: itemCostText(item), numeric: true },
      { text: formatPence(yearlyCostPence(item)), numeric: true },
      ...(canEdit
        ? [
            {
              actions: [
                { link: { href: `${base}/items/${item.id}/edit`, text: 'Change', hiddenText: `support item ${index + 1}` } },
                { button: remove(`items/${item.id}`, `support item ${index + 1}`) },
              ],
            },
          ]
        : []),
    ]),
    // Support is for an outcome, so it can only be added once there is one.
    addItem: !canEdit
      ? null
      : plan.outcomes.length > 0
        ? { link: { href: `${base}/items/new`, text: 'Add a support item' } }
        : { text: 'Add an outcome before adding support for it.' },
    fundingStreamRows: byFundingStream,
    managementOptionRows: byManagementOption,
    detailsRows: detailsRows(page),
    changeDetailsLink: canEdit ? { href: `${base}/details`, text: 'Change what the plan records' } : null,
    risksHead: [
      { text: 'Risk' },
      { text: 'How it is managed' },
      ...(canEdit ? [{ text: 'Actions', hidden: true }] : []),
    ] satisfies TableHead[],
    riskRows: plan.risks.map((risk, index): TableCell[] => [
      { text: risk.risk },
      { text: risk.howManaged },
      ...(canEdit ? [{ actions: [{ button: remove(`risks/${risk.id}`, `risk ${index + 1}`) }] }] : []),
    ]),
    addRiskLink: canEdit ? { href: `${base}/risks/new`, text: 'Add a risk' } : null,
    submitButton: canEdit
      ? ({
          action: `${base}/submit`,
          text: plan.status === 'returned' ? 'Resubmit for sign-off' : 'Submit for sign-off',
          fields: version,
        } satisfies PostButton)
      : null,
    withdrawLink: page.isPersonsTeam && !page.whyNotWithdrawable ? { href: `${base}/withdraw`, text: 'Withdraw this plan' } : null,
    // Said to the person's team only, who would otherwise look for a way to withdraw it.
    cannotWithdraw:
      page.isPersonsTeam && plan.status === 'submitted'
        ? 'This plan is waiting for sign-off, so it cannot be withdrawn. If it should not go ahead, ask finance to return it, then withdraw it.'
        : null,
    printLink: { href: `${base}/print`, text: `Printable plan for ${person.givenName}` },
    letterLink: page.signedOff || plan.status === 'returned' ? { href: `${base}/decision-letter`, text: 'Decision letter' } : null,
    // Shown before anyone presses submit; once they have, the error summary says it instead.
    beforeYouSubmit:
      canEdit && page.problems.length > 0 && errors.summary.length === 0
        ? `Before you submit: ${page.problems.map((problem) => problem.text).join('; ')}.`
        : null,
  };
}

/** Where the plan has got to, in the words the person's copy uses. */
function printedStatus(plan: SupportPlan): string {
  if (plan.status === 'approved' && plan.approvedAt) return `Signed off on ${formatDateTime(plan.approvedAt)}.`;
  if (plan.status === 'withdrawn' && plan.withdrawnAt)
    return `This plan was withdrawn on ${formatDateTime(plan.withdrawnAt)} and will not go ahead.`;
  if (plan.status === 'superseded')
    return 'This plan was started from an earlier assessment and will not go ahead: a new plan is made from the newer assessment.';
  return 'This plan has not been signed off yet.';
}

/** What the Care Act s.25 asks a plan to say about the person's needs, in the person's copy. */
function printedNeedsRows(page: PlanPage): SummaryRow[] {
  const { plan, totals } = page;
  const text = (value: string) => ({ lines: value.trim() ? value.trim().split(/\r?\n/) : ['Not recorded'] });
  const rows: SummaryRow[] = [
    { key: 'Your eligible needs', ...text(plan.eligibleNeeds) },
    { key: 'The needs we will meet, and how', ...text(plan.needsCouncilWillMeet) },
    { key: 'How this supports your wellbeing', ...text(plan.wellbeing) },
    { key: 'Advice on reducing or preventing needs', ...text(plan.preventionAdvice) },
    { key: 'Who helped write your plan', ...text(plan.peopleInvolved) },
  ];
  if (totals.byManagementOption.direct_payment.weeklyPence > 0)
    rows.push({ key: 'Needs the direct payment meets', ...text(plan.directPaymentNeeds) });
  return rows;
}

/** The budget finance signed off, with the s.26 figures from its start: what the person keeps is what was agreed, not what was asked for. */
function signedOffRows(signedOff: NonNullable<PlanPage['signedOff']>): SummaryRow[] {
  const { budget, chargeAtStart } = signedOff;
  const rows: SummaryRow[] = [
    { key: 'Agreed personal budget', value: weeklyAndYearly(budget.weeklyPence, budget.annualPence) },
    { key: 'Starts', value: formatDate(budget.startDate) },
  ];
  if (budget.endDate) rows.push({ key: 'Ends', value: formatDate(budget.endDate) });
  rows.push({ key: 'How it is managed', lines: managedAsLines(budget.split) });
  if (chargeAtStart) {
    rows.push(...whoPaysForYouRows(chargeAtStart));
    if (chargeAtStart.directPayment) rows.push({ key: 'Your direct payment', value: directPaymentText(chargeAtStart.directPayment) });
  }
  rows.push({ key: 'First review', value: signedOff.firstReviewDue ? `By ${formatDate(signedOff.firstReviewDue)}` : 'To be arranged' });
  return rows;
}

/** The plan's own figures, before anyone has signed it off. */
function plannedRows(page: PlanPage): SummaryRow[] {
  const { plan, totals } = page;
  const byOption = totals.byManagementOption;
  return [
    { key: 'Indicative budget', value: weeklyAndYearly(plan.indicativeWeeklyPence, plan.indicativeAnnualPence) },
    { key: 'Personal budget (social care)', value: weeklyAndYearly(totals.personalBudgetWeeklyPence, totals.personalBudgetAnnualPence) },
    {
      key: 'Individual budget (all funding)',
      value: weeklyAndYearly(totals.individualBudgetWeeklyPence, totals.individualBudgetAnnualPence),
    },
    { key: 'Paid as a direct payment', value: weeklyAndYearly(byOption.direct_payment.weeklyPence, byOption.direct_payment.annualPence) },
    { key: 'Managed by the council', value: weeklyAndYearly(byOption.council_managed.weeklyPence, byOption.council_managed.annualPence) },
    {
      key: 'Held by a provider (individual service fund)',
      value: weeklyAndYearly(byOption.individual_service_fund.weeklyPence, byOption.individual_service_fund.annualPence),
    },
    { key: 'On a prepaid card', value: weeklyAndYearly(byOption.prepaid_card.weeklyPence, byOption.prepaid_card.annualPence) },
  ];
}

/**
 * Who the person reaches about their plan: their care manager by name and the team's phone and
 * email, never the person's own contact details (those are how the council reaches them).
 */
function printedContact(contact: PlanPage['contact']): string[] {
  const who = contact.workerName ? `Your care manager is ${contact.workerName}` : 'Your care manager has not been named yet';
  const team = contact.teamName ? `, in the ${teamWords(contact.teamName)}` : '';
  const ways = [contact.teamPhone ? `phone ${contact.teamPhone}` : '', contact.teamEmail ? `email ${contact.teamEmail}` : ''].filter(
    Boolean,
  );
  return [`${who}${team}.`, ...(ways.length ? [`To reach the team, ${ways.join(' or ')}.`] : [])];
}

/** The plan as the person keeps it: plain words, what it costs and who to contact. */
export function printablePlanView(page: PlanPage) {
  const { plan, person } = page;
  const name = personName(person);
  return {
    title: `Your support plan – ${name}`,
    heading: `Your support plan, ${name}`,
    backLink: `/plans/${plan.id}`,
    intro: `Council reference ${person.reference}. ${printedStatus(plan)}`,
    outcomes: plan.outcomes.map((outcome) => outcome.description),
    itemRows: plan.items.map((item): TableCell[] => [
      { text: item.description },
      { text: item.provider || 'To be arranged' },
      { text: plan.outcomes.find((outcome) => outcome.id === item.outcomeId)?.description ?? '' },
      { text: howManagedLabel(item) },
      { text: itemCostText(item), numeric: true },
      { text: formatPence(yearlyCostPence(item)), numeric: true },
    ]),
    weeklyEquivalentNote: weeklyEquivalentNote(plan.items),
    needsRows: printedNeedsRows(page),
    budgetHeading: page.signedOff ? 'Your personal budget' : 'Your budget, as planned',
    budgetRows: page.signedOff ? signedOffRows(page.signedOff) : plannedRows(page),
    askAgain: page.signedOff ? askAgainParagraphs({ ...page.contact, reference: person.reference }) : [],
    risks: plan.risks.map((risk) => `${risk.risk}: ${risk.howManaged}`),
    contact: printedContact(page.contact),
    reference: person.reference,
  };
}

/** The start of every plan form: its title, whose plan it is, where it posts and the way back. */
function planFormView(page: PlanPage, title: string, action: string, values: Record<string, unknown>, errors: FormErrors) {
  const name = personName(page.person);
  return {
    title,
    pageTitle: `${title} – ${name}`,
    caption: name,
    action,
    backLink: `/plans/${page.plan.id}`,
    values: { version: String(page.plan.version), ...values },
    errors,
  };
}

type FormState = { values: Record<string, unknown>; errors: FormErrors };

export const outcomeFieldLabels: FieldLabels = {
  description: { label: 'What they want to achieve' },
  eligibilityOutcomes: { label: 'Eligibility outcomes it relates to', choices: eligibilityOutcomeLabels },
};

export function outcomeFormView(page: PlanPage, state: FormState, outcomeId?: number) {
  const base = `/plans/${page.plan.id}/outcomes`;
  return {
    ...planFormView(
      page,
      outcomeId ? 'Change an outcome' : 'Add an outcome',
      outcomeId ? `${base}/${outcomeId}/edit` : base,
      state.values,
      state.errors,
    ),
    descriptionLabel: `What does ${page.person.givenName} want to achieve?`,
    eligibilityOutcomeChoices,
  };
}

export const outcomeFormValues = (outcome: PlanOutcome) => ({
  description: outcome.description,
  eligibilityOutcomes: outcome.eligibilityOutcomes,
});

const costTypeLabels: Record<ItemCostType, string> = {
  weekly: 'A weekly amount',
  unit: 'A rate times hours (or other units) a week',
  yearly: 'A yearly amount',
  one_off: 'A one-off amount',
};
const costTypeHints: Partial<Record<ItemCostType, string>> = {
  unit: 'For example, £21.50 an hour for 7.5 hours a week: a personal assistant or home care',
  yearly: 'For example, a carer’s break of £250 a year',
  one_off: 'For example, equipment or a week of respite. It counts in the plan’s first year',
};

/** The boxes under each way of costing an item: only the chosen way's are read. */
type CostBox = { name: string; label: string; hint: string; money: boolean };
const costBoxes: Record<ItemCostType, CostBox[]> = {
  weekly: [{ name: 'weeklyAmount', label: 'Amount a week', hint: 'In pounds, for example 150 or 150.50', money: true }],
  unit: [
    { name: 'unitCost', label: 'Rate', hint: 'The cost of one hour (or unit) in pounds, for example 21.50', money: true },
    { name: 'unitsPerWeek', label: 'Hours (or units) a week', hint: 'For example 7 or 7.5', money: false },
  ],
  yearly: [{ name: 'yearlyAmount', label: 'Amount a year', hint: 'In pounds, for example 250', money: true }],
  one_off: [{ name: 'oneOffAmount', label: 'Amount once', hint: 'In pounds, for example 120', money: true }],
};

export const itemFieldLabels: FieldLabels = {
  description: { label: 'What the support is' },
  provider: { label: 'Who provides it' },
  fundingStream: { label: 'Who pays for it', choices: fundingStreamLabels },
  managementOption: { label: 'How it is managed', choices: managementOptionLabels },
  costType: { label: 'How the cost is worked out', choices: costTypeLabels },
  ...Object.fromEntries(Object.values(costBoxes).flatMap((boxes) => boxes.map((box) => [box.name, { label: box.label }]))),
};

const choicesOf = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((value) => ({ value, text: labels[value] }));

/** The ways of costing an item as radios, each with its boxes filled in with what was typed and any message. */
function costTypeChoices(state: FormState) {
  return itemCostTypes.map((type, index) => ({
    value: type,
    text: costTypeLabels[type],
    hint: costTypeHints[type],
    id: index === 0 ? 'costType' : `costType-${index + 1}`,
    boxes: costBoxes[type].map((box) => ({
      name: box.name,
      label: box.label,
      hint: box.hint,
      prefix: box.money ? '£' : undefined,
      classes: box.money ? 'govuk-input--width-10' : 'govuk-input--width-5',
      value: state.values[box.name],
      error: state.errors.fields[box.name],
    })),
  }));
}

/** Who pays, with how the money is managed asked under social care only: the NHS or another funder manages its own. */
function fundingStreamChoices(state: FormState) {
  return fundingStreams.map((stream, index) => ({
    value: stream,
    text: fundingStreamLabels[stream],
    id: index === 0 ? 'fundingStream' : `fundingStream-${index + 1}`,
    nested:
      stream === 'social_care'
        ? {
            name: 'managementOption',
            legend: 'How is it managed?',
            value: state.values.managementOption,
            error: state.errors.fields.managementOption,
            items: choicesOf(managementOptions, managementOptionLabels),
            small: true,
          }
        : undefined,
  }));
}

export function itemFormView(page: PlanPage, state: FormState, itemId?: number) {
  const base = `/plans/${page.plan.id}/items`;
  return {
    ...planFormView(
      page,
      itemId ? 'Change a support item' : 'Add a support item',
      itemId ? `${base}/${itemId}/edit` : base,
      state.values,
      state.errors,
    ),
    outcomeChoices: page.plan.outcomes.map((outcome) => ({ value: String(outcome.id), text: outcome.description })),
    fundingStreamChoices: fundingStreamChoices(state),
    costTypeChoices: costTypeChoices(state),
  };
}

// No way of costing is chosen for the user: a default beside boxes typed for another way would be read instead of them.
export const newItemValues = { fundingStream: 'social_care' };

export function itemFormValues(item: PlanItem): Record<string, unknown> {
  return {
    description: item.description,
    provider: item.provider,
    outcomeId: String(item.outcomeId),
    fundingStream: item.fundingStream,
    managementOption: item.managementOption ?? '',
    costType: item.costType,
    weeklyAmount: item.costType === 'weekly' ? penceForInput(item.weeklyPence) : '',
    unitCost: penceForInput(item.unitCostPence),
    unitsPerWeek: item.unitsPerWeekHundredths === null ? '' : String(item.unitsPerWeekHundredths / 100),
    yearlyAmount: penceForInput(item.yearlyPence),
    oneOffAmount: penceForInput(item.oneOffPence),
  };
}

export const riskFieldLabels: FieldLabels = {
  risk: { label: 'The risk' },
  howManaged: { label: 'How it is managed' },
};

export const riskFormView = (page: PlanPage, state: FormState) =>
  planFormView(page, 'Add a risk', `/plans/${page.plan.id}/risks`, state.values, state.errors);

export const detailsFieldLabels: FieldLabels = {
  peopleInvolved: { label: 'Who was involved in writing the plan' },
  contactArrangements: { label: 'How they want to be contacted about the plan' },
  eligibleNeeds: { label: 'Which needs are eligible' },
  needsCouncilWillMeet: { label: 'Which needs the council will meet, and how' },
  wellbeing: { label: 'Which wellbeing matters the plan relates to' },
  preventionAdvice: { label: 'What advice was given on reducing or preventing needs' },
  directPaymentNeeds: { label: 'Which needs the direct payment meets' },
  directPaymentFrequency: { label: 'How often the direct payment is paid', choices: directPaymentFrequencyLabels },
  directPaymentBasis: { label: 'Gross or net of the person’s contribution', choices: { gross: 'Gross', net: 'Net' } },
  overIndicativeReason: { label: 'Why the personal budget is above the indicative budget' },
  needsChanged: { label: 'What has changed in the person’s needs' },
};

/** A saved plan as the boxes of the details form show them. */
export function detailsFormValues(plan: SupportPlan): Record<string, unknown> {
  return {
    ...careActContents(plan),
    directPaymentFrequency: plan.directPaymentFrequency ?? '',
    directPaymentBasis: plan.directPaymentBasis ?? '',
    overIndicativeReason: plan.overIndicativeReason,
    needsChanged: plan.needsChanged,
  };
}

export function detailsFormView(page: PlanPage, state: FormState) {
  const { plan, person, totals } = page;
  return {
    ...planFormView(page, 'What the plan records', `/plans/${plan.id}/details`, state.values, state.errors),
    directPaymentText: hasDirectPayment(totals)
      ? `Part of the personal budget is a direct payment of ${formatPence(totals.byManagementOption.direct_payment.weeklyPence)} a week.`
      : 'No support is paid as a direct payment, so there are no direct payment terms to record. They are asked here once a support item is managed as a direct payment.',
    // Asked only beside a direct payment, with no "none" choice that would contradict it.
    asksDirectPayment: page.detailsRequire.directPayment,
    frequencyChoices: choicesOf(Object.keys(directPaymentFrequencyLabels) as DirectPaymentFrequency[], directPaymentFrequencyLabels),
    basisChoices: [
      { value: 'gross', text: 'Gross', hint: 'The council pays the whole amount and collects the contribution' },
      { value: 'net', text: 'Net', hint: 'The contribution is taken off before it is paid' },
    ],
    overIndicativeLabel: page.aboveIndicative
      ? 'Why is the personal budget above the indicative budget?'
      : 'If the personal budget is above the indicative budget, why? (optional)',
    overIndicativeHint: page.aboveIndicative
      ? `The plan costs more than the indicative budget of ${formatPence(plan.indicativeWeeklyPence)} a week, so it must say why`
      : `Needed only when the plan costs more than ${formatPence(plan.indicativeWeeklyPence)} a week`,
    // Reviews (issue 5): a plan from a review that would lower the budget must say what changed.
    needsChanged: page.asksNeedsChanged
      ? {
          label: `What has changed in ${person.givenName}’s needs?`,
          hint: `This plan came from a review and costs less than the current personal budget of ${formatPence(page.currentBudgetWeeklyPence ?? 0)} a week. A review cannot lower a budget unless the person’s needs have changed.`,
        }
      : null,
  };
}

export const withdrawFieldLabels: FieldLabels = { reason: { label: 'Why the plan is being withdrawn' } };

/** The page that asks for the reason before a draft or returned plan is withdrawn. */
export function withdrawFormView(page: PlanPage, state: FormState) {
  const { plan, person } = page;
  return {
    ...planFormView(page, 'Withdraw this support plan', `/plans/${plan.id}/withdraw`, state.values, state.errors),
    heading: `Are you sure you want to withdraw ${person.givenName}’s support plan?`,
    status: planStatusTag(plan),
    consequences: [
      'It cannot be changed, submitted or approved after this.',
      `It stays on ${person.givenName}’s page with the reason, and a new plan can be started.`,
    ],
    cancelLink: { href: `/plans/${plan.id}`, text: 'Cancel' },
  };
}

const cannotChangeBecause: Partial<Record<PlanStatus, string>> = {
  submitted: 'it has been submitted for sign-off',
  approved: 'it has been signed off',
  replaced: 'a newer plan replaced it',
  cancelled: 'it was cancelled',
  withdrawn: 'it was withdrawn',
  superseded: 'a newer assessment superseded it',
};

/** Why a plan's forms are closed, for the page a user reaches from an old link. */
export const cannotChangeReason = (plan: Pick<SupportPlan, 'status'>) =>
  `This plan cannot be changed now: ${cannotChangeBecause[plan.status] ?? 'it is not a draft'}.`;

/** "Grace Okafor’s support plan", as the page for someone who saved after another user names it. */
export const whosePlan = (person: Pick<Person, 'givenName' | 'familyName'>) => `${personName(person)}’s support plan`;
