/**
 * Every action the audit trail records, with the words timelines and the audit search show for
 * it. Rules that read the trail (four-eyes) and every writer use these names, so a typo is a type
 * error rather than a rule that silently never matches.
 */
export const auditActionDescriptions = {
  person_created: 'Person added',
  person_updated: 'Details changed',
  person_allocated: 'Worker allocated',
  signed_in: 'Signed in',
  signed_out: 'Signed out',
  sign_in_failed: 'Sign-in failed',
  sign_in_failed_and_locked: 'Sign-in failed: account locked for 15 minutes',
  sign_in_refused_locked: 'Sign-in refused: too many failed attempts from this address',
  signed_in_with_recovery_code: 'Signed in with a recovery code',
  second_factor_enrolled: 'Authenticator app set up',
  second_factor_failed: 'Sign-in code wrong',
  second_factor_refused: 'Sign-in code refused: too many wrong codes',
  second_factor_reset: 'Authenticator app reset by an administrator',
  password_link_created: 'Set-password link created',
  password_set: 'Password set with a one-time link',
  password_changed: 'Password changed',
  user_created: 'User created',
  user_updated: 'User changed',
  user_deactivated: 'User deactivated',
  team_created: 'Team created',
  assessment_started: 'Assessment started',
  assessment_saved: 'Assessment answers saved',
  assessment_submitted: 'Assessment submitted: indicative budget worked out',
  assessment_superseded: 'Assessment replaced by a newer one',
  plan_started: 'Support plan started',
  plan_changed: 'Support plan changed',
  plan_submitted: 'Support plan submitted for sign-off',
  plan_approved: 'Personal budget approved by finance',
  plan_returned: 'Support plan returned',
  plan_panel_approved: 'Budget agreed by panel',
  plan_panel_returned: 'Support plan returned by panel',
  plan_replaced: 'Support plan replaced by a newer one',
  plan_withdrawn: 'Support plan withdrawn',
  plan_superseded: 'Support plan superseded by a newer assessment',
  budget_created: 'Personal budget started',
  budget_ended: 'Personal budget ended',
  budget_charges_changed: 'What the person pays changed',
  review_scheduled: 'Review scheduled',
  review_cancelled: 'Review cancelled',
  review_completed: 'Review completed',
  review_reassigned: 'Review reassigned',
  financial_assessment_recorded: 'Financial assessment recorded',
  ras_draft_created: 'RAS draft created',
  ras_draft_imported: 'RAS definition imported as a draft',
  ras_draft_changed: 'RAS draft changed',
  ras_draft_deleted: 'RAS draft deleted',
  ras_published: 'RAS version published',
  ras_retired: 'RAS version retired',
  uptake_target_changed: 'Personal budget uptake target changed',
  council_settings_changed: 'Council settings changed',
  uptake_target_added: 'Personal budget uptake target added',
  uptake_target_removed: 'Personal budget uptake target removed',
  // Personal data leaving the screen, on paper or in a file, and who looked for whom.
  plan_printed: 'Printable support plan opened',
  decision_letter_printed: 'Decision letter opened',
  assessment_explanation_printed: 'Assessment explanation opened',
  ras_impact_downloaded: 'RAS impact on people downloaded as CSV',
  report_downloaded: 'Report table downloaded as CSV',
  client_level_data_downloaded: 'Client Level Data return downloaded as CSV',
  people_searched: 'People searched',
} as const;

export type AuditAction = keyof typeof auditActionDescriptions;

export function isAuditAction(action: string): action is AuditAction {
  return Object.hasOwn(auditActionDescriptions, action);
}
