import { formatPence } from '../money.js';
import type { SummaryRow } from '../web/view-models.js';
import { directPaymentFrequencyLabels, managementOptionLabels, managementOptions } from '../plans/options.js';
import type { ManagementSplit } from './budget.js';
import type { BudgetCharge } from './repo.js';

/**
 * The words for a signed-off budget that the finance pages, the decision letter and the printable
 * plan share, so the person reads the same thing wherever they read it.
 */

/** "£640.00 every 4 weeks, net of the person’s contribution". */
export function directPaymentText(payment: NonNullable<BudgetCharge['directPayment']>): string {
  const often = payment.frequency ? directPaymentFrequencyLabels[payment.frequency].toLowerCase() : 'every week';
  const basis = payment.basis === 'net' ? ', net of the person’s contribution' : payment.basis === 'gross' ? ', gross' : '';
  return `${formatPence(payment.perPaymentPence)} ${often}${basis}`;
}

/** "Direct payment: £100.00 a week", one line for each way the budget is managed. */
export const managedAsLines = (split: ManagementSplit) =>
  managementOptions
    .filter((option) => split[option] > 0)
    .map((option) => `${managementOptionLabels[option]}: ${formatPence(split[option])} a week`);

/** "the North team", and "the North Leeds Community Team" rather than "... Team team". */
export const teamWords = (teamName: string) => (/\bteam$/i.test(teamName.trim()) ? teamName.trim() : `${teamName.trim()} team`);

/** How the person can have a decision looked at again (guidance 11.24: the person can challenge it). */
export function askAgainParagraphs(contact: { workerName: string | null; teamName: string; reference: string }): string[] {
  const who = contact.workerName ? `your care manager, ${contact.workerName},` : 'your care manager';
  return [
    `If you think this decision is wrong, or that the budget will not meet your needs, you can ask us to look at it again at any time. Tell ${who} at the ${teamWords(contact.teamName)}, quoting your reference ${contact.reference}. We will look at it again and write to you with what we decide.`,
    'If you are still unhappy, you can complain through the council’s complaints procedure, and after that to the Local Government and Social Care Ombudsman.',
  ];
}

/** The Care Act s.26 figures in the words of the person's own copy: the letter and the printable plan. */
export function whoPaysForYouRows(charge: BudgetCharge): SummaryRow[] {
  const weekly = (pence: number) => `${formatPence(pence)} a week`;
  return [
    { key: 'The cost of meeting your needs', value: weekly(charge.costWeeklyPence) },
    {
      key: 'What you pay',
      value:
        charge.personPaysWeeklyPence === null
          ? 'Not yet worked out: we will write to you after your financial assessment'
          : weekly(charge.personPaysWeeklyPence),
    },
    {
      key: 'What the council pays',
      value:
        charge.councilPaysWeeklyPence === null
          ? 'The cost less what you pay, once your financial assessment is done'
          : weekly(charge.councilPaysWeeklyPence),
    },
  ];
}
