import { auditActionDescriptions, isAuditAction } from './actions.js';

/** Plain-English names for audit actions, for timelines and the audit search. */
export function describeEvent(action: string): string {
  // Events written by an older version may use an action since renamed: show them readably.
  return isAuditAction(action)
    ? auditActionDescriptions[action]
    : action.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}
