import { eligibilityOutcomes } from '../assessments/eligibility.js';
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
  managementOptionLabels,
  managementOptions,
  type DirectPaymentFrequency,
} from './options.js';
import { careActContents, type PanelStatus, type PlanItem, type PlanOutcome, type PlanStatus, type SupportPlan } from './repo.js';
import type { PlanProblem } from './rules.js';
import type { PlanPage, PlanSection, PlanStartBlock } from './service.js';
import type { PlanTotals } from './totals.js';

/** A plan's status as every page shows it. A submitted plan waits for panel or for finance, so it has two. */
export const planStatusLabels: Record<PlanStatus, Tag> = {
  draft: { text: 'Draft', colour: 'grey' },
  submitted: { text: 'Waiting for finance sign-off', colour: 'blue' },
  returned: { text: 'Returned for changes', colour: 'orange' },
  approved: { text: 'Approved', colour: 'green' },
  replaced: { text: 'Replaced by a newer plan', colour: 'grey' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
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

/** "£21.50 × 7.5 a week" for an item costed by the unit; nothing for a weekly amount. */
export function unitCostText(item: Pick<PlanItem, 'costType' | 'unitCostPence' | 'unitsPerWeekHundredths'>): string | undefined {
  if (item.costType !== 'unit' || item.unitCostPence === null || item.unitsPerWeekHundredths === null) return undefined;
  return `${formatPence(item.unitCostPence)} × ${item.unitsPerWeekHundredths / 100} a week`;
}

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
      .filter((key) => !options.onlyUsed || byKey[key].weeklyPence > 0)
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

export const hasDirectPayment = (totals: PlanTotals) => totals.byManagementOption.direct_payment.weeklyPence > 0;

const frequencyText = (frequency: DirectPaymentFrequency | null) => (frequency ? directPaymentFrequencyLabels[frequency] : undefined);

/** Where each problem is put right on the plan page. */
const problemAnchors: Partial<Record<PlanProblem['field'], string>> = { outcomes: '#outcomes', items: '#support' };

/** A plan that cannot be submitted yet: every problem in the error summary, each linking to its part of the plan page. */
export function planProblemErrors(problems: readonly PlanProblem[]): FormErrors {
  return {
    summary: problems.map((problem) => ({ text: problem.text, href: problemAnchors[problem.field] ?? '#details' })),
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
        ? `${formatPence(totals.byManagementOption.direct_payment.weeklyPence)} a week, paid ${frequencyText(plan.directPaymentFrequency)?.toLowerCase() ?? '(not recorded)'}`
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
      weekly: formatPence(page.signedOff.weeklyPence),
      annual: formatPence(page.signedOff.annualPence),
      period: `${formatDate(page.signedOff.startDate)}${page.signedOff.endDate ? ` to ${formatDate(page.signedOff.endDate)}` : ''}`,
      reason: page.signedOff.approvalReason,
    },
    returned: plan.status === 'returned' ? { heading: 'Finance returned this plan', body: `Reason: ${plan.returnReason}` } : null,
    budgetRows: budgetRows(plan, totals),
    warning: page.aboveCeiling
      ? `The planned personal budget is above the RAS ceiling of ${formatPence(plan.ceilingPence)} a year. A team manager must approve it at panel before finance sees it.`
      : page.aboveIndicative
        ? `The planned personal budget is above the indicative budget. The plan must give the reason${page.needsPanel ? ', and it goes to panel first' : ''}.`
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
      { text: 'Cost a week', numeric: true },
      ...(canEdit ? [{ text: 'Actions', hidden: true }] : []),
    ] satisfies TableHead[],
    itemRows: plan.items.map((item, index): TableCell[] => [
      { text: item.description, secondary: item.provider || undefined },
      { text: plan.outcomes.find((outcome) => outcome.id === item.outcomeId)?.description ?? '' },
      { text: fundingStreamLabels[item.fundingStream], secondary: managementOptionLabels[item.managementOption] },
      { text: formatPence(item.weeklyPence), secondary: unitCostText(item), numeric: true },
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
    printLink: { href: `${base}/print`, text: `Printable plan for ${person.givenName}` },
    // Shown before anyone presses submit; once they have, the error summary says it instead.
    beforeYouSubmit:
      canEdit && page.problems.length > 0 && errors.summary.length === 0
        ? `Before you submit: ${page.problems.map((problem) => problem.text).join('; ')}.`
        : null,
  };
}

/** The plan as the person keeps it: plain words, what it costs and who to contact. */
export function printablePlanView(page: PlanPage) {
  const { plan, person, totals } = page;
  const name = personName(person);
  const byOption = totals.byManagementOption;
  return {
    title: `Your support plan – ${name}`,
    heading: `Your support plan, ${name}`,
    backLink: `/plans/${plan.id}`,
    intro: `Council reference ${person.reference}. ${plan.status === 'approved' && plan.approvedAt ? `Signed off on ${formatDateTime(plan.approvedAt)}.` : 'This plan has not been signed off yet.'}`,
    outcomes: plan.outcomes.map((outcome) => outcome.description),
    itemRows: plan.items.map((item): TableCell[] => [
      { text: item.description },
      { text: item.provider || 'To be arranged' },
      { text: plan.outcomes.find((outcome) => outcome.id === item.outcomeId)?.description ?? '' },
      { text: managementOptionLabels[item.managementOption] },
      { text: formatPence(item.weeklyPence), numeric: true },
    ]),
    budgetRows: [
      { key: 'Indicative budget', value: weeklyAndYearly(plan.indicativeWeeklyPence, plan.indicativeAnnualPence) },
      { key: 'Personal budget (social care)', value: weeklyAndYearly(totals.personalBudgetWeeklyPence, totals.personalBudgetAnnualPence) },
      {
        key: 'Individual budget (all funding)',
        value: weeklyAndYearly(totals.individualBudgetWeeklyPence, totals.individualBudgetAnnualPence),
      },
      { key: 'Paid as a direct payment', value: `${formatPence(byOption.direct_payment.weeklyPence)} a week` },
      { key: 'Managed by the council', value: `${formatPence(byOption.council_managed.weeklyPence)} a week` },
      { key: 'Held by a provider (individual service fund)', value: `${formatPence(byOption.individual_service_fund.weeklyPence)} a week` },
      { key: 'On a prepaid card', value: `${formatPence(byOption.prepaid_card.weeklyPence)} a week` },
    ] satisfies SummaryRow[],
    risks: plan.risks.map((risk) => `${risk.risk}: ${risk.howManaged}`),
    contact: plan.contactArrangements || 'Your care manager',
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

const costTypeLabels = { weekly: 'A weekly amount', unit: 'A unit cost times units a week (for example hours)' };

export const itemFieldLabels: FieldLabels = {
  description: { label: 'What the support is' },
  provider: { label: 'Who provides it' },
  fundingStream: { label: 'Who pays for it', choices: fundingStreamLabels },
  managementOption: { label: 'How it is managed', choices: managementOptionLabels },
  costType: { label: 'How the cost is worked out', choices: costTypeLabels },
  weeklyAmount: { label: 'Weekly amount' },
  unitCost: { label: 'Cost of one unit' },
  unitsPerWeek: { label: 'Units a week' },
};

const choicesOf = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((value) => ({ value, text: labels[value] }));

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
    fundingStreamChoices: choicesOf(fundingStreams, fundingStreamLabels),
    managementOptionChoices: choicesOf(managementOptions, managementOptionLabels),
    costTypeChoices: choicesOf(['weekly', 'unit'] as const, costTypeLabels),
  };
}

export const newItemValues = { fundingStream: 'social_care', costType: 'weekly' };

export function itemFormValues(item: PlanItem): Record<string, unknown> {
  return {
    description: item.description,
    provider: item.provider,
    outcomeId: String(item.outcomeId),
    fundingStream: item.fundingStream,
    managementOption: item.managementOption,
    costType: item.costType,
    weeklyAmount: item.costType === 'weekly' ? penceForInput(item.weeklyPence) : '',
    unitCost: penceForInput(item.unitCostPence),
    unitsPerWeek: item.unitsPerWeekHundredths === null ? '' : String(item.unitsPerWeekHundredths / 100),
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
  const noDirectPayment = { value: '', text: 'No direct payment' };
  return {
    ...planFormView(page, 'What the plan records', `/plans/${plan.id}/details`, state.values, state.errors),
    directPaymentText: hasDirectPayment(totals)
      ? `Part of the personal budget is a direct payment of ${formatPence(totals.byManagementOption.direct_payment.weeklyPence)} a week.`
      : 'No support is a direct payment at the moment. Fill these in if that changes.',
    frequencyChoices: [
      ...choicesOf(Object.keys(directPaymentFrequencyLabels) as DirectPaymentFrequency[], directPaymentFrequencyLabels),
      noDirectPayment,
    ],
    basisChoices: [
      { value: 'gross', text: 'Gross', hint: 'The council pays the whole amount and collects the contribution' },
      { value: 'net', text: 'Net', hint: 'The contribution is taken off before it is paid' },
      noDirectPayment,
    ],
    overIndicativeHint: `Needed when the plan costs more than ${formatPence(plan.indicativeWeeklyPence)} a week`,
    // Reviews (issue 5): a plan from a review that would lower the budget must say what changed.
    needsChanged: page.asksNeedsChanged
      ? {
          label: `What has changed in ${person.givenName}’s needs?`,
          hint: `This plan came from a review and costs less than the current personal budget of ${formatPence(page.currentBudgetWeeklyPence ?? 0)} a week. A review cannot lower a budget unless the person’s needs have changed.`,
        }
      : null,
  };
}

/** "Grace Okafor’s support plan", as the page for someone who saved after another user names it. */
export const whosePlan = (person: Pick<Person, 'givenName' | 'familyName'>) => `${personName(person)}’s support plan`;
