import { writtenCalendarDate } from '../calendar.js';
import { budgetEndReasonLabels, isBudgetEndReason } from '../finance/ending-reasons.js';
import { auditActionDescriptions, isAuditAction } from './actions.js';

/**
 * Why a budget ended, from the budget as the event kept it: the chosen reason, or the words an
 * event written before reasons were chosen kept (a reason typed at a review), or nothing.
 */
function endReasonOf(budget: Record<string, unknown>): string {
  const { end_reason: reason, end_note: note } = budget;
  if (isBudgetEndReason(reason)) {
    const words = budgetEndReasonLabels[reason];
    return words.charAt(0).toLowerCase() + words.slice(1);
  }
  if (typeof reason === 'string' && reason.trim()) return reason.trim();
  return typeof note === 'string' ? note.trim() : '';
}

/** "Personal budget ended (last day 30 June 2026): moved out of the area". */
function budgetEnded(after: unknown): string | undefined {
  if (typeof after !== 'object' || after === null) return undefined;
  const budget = after as Record<string, unknown>;
  if (typeof budget.end_date !== 'string') return undefined;
  const reason = endReasonOf(budget);
  return `${auditActionDescriptions.budget_ended} (last day ${writtenCalendarDate(budget.end_date)})${reason ? `: ${reason}` : ''}`;
}

/**
 * Plain-English names for audit actions, for timelines and the audit search. Given what the event
 * recorded (`after`), an ended budget also says when and why it ended.
 */
export function describeEvent(action: string, after?: unknown): string {
  if (action === 'budget_ended') return budgetEnded(after) ?? auditActionDescriptions.budget_ended;
  // Events written by an older version may use an action since renamed: show them readably.
  return isAuditAction(action)
    ? auditActionDescriptions[action]
    : action.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}
