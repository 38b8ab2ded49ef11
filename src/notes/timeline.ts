import { auditActionDescriptions, type AuditAction } from '../audit/actions.js';

/**
 * The kinds a person's timeline can be narrowed to: the worker's own notes and contacts, and the
 * events of each part of the journey. Events are sorted into kinds by the start of their action's
 * name, so an action added later falls into its kind without being listed here.
 */
export const timelineKinds = ['all', 'notes', 'person', 'assessments', 'plans', 'reviews'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export const timelineKindLabels: Record<TimelineKind, string> = {
  all: 'Everything',
  notes: 'Notes and contacts',
  person: 'Details and requests for support',
  assessments: 'Assessments',
  plans: 'Plans, budgets and payments',
  reviews: 'Reviews',
};

const prefixesOfKind: Record<Exclude<TimelineKind, 'all' | 'notes'>, readonly string[]> = {
  person: ['person_', 'support_request_', 'carer_'],
  assessments: ['assessment_'],
  plans: ['plan_', 'budget_', 'decision_letter_', 'financial_assessment_', 'direct_payment_'],
  reviews: ['review_'],
};

/**
 * Saving a page of a draft happens many times a day, and a note shows as itself: the timeline
 * leaves out their events, which the audit search still shows.
 */
export const actionsLeftOffTimeline: readonly AuditAction[] = [
  'assessment_saved',
  'plan_changed',
  'case_note_added',
  'case_note_corrected',
];

/** The audit actions a kind of event shows; undefined for every kind (all) and none (notes). */
export function actionsOfKind(kind: TimelineKind): AuditAction[] | undefined {
  if (kind === 'all' || kind === 'notes') return undefined;
  return (Object.keys(auditActionDescriptions) as AuditAction[]).filter(
    (action) => prefixesOfKind[kind].some((prefix) => action.startsWith(prefix)) && !actionsLeftOffTimeline.includes(action),
  );
}
