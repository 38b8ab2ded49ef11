/** Plain-English names for audit actions, for timelines and the audit search. */
const descriptions: Record<string, string> = {
  person_created: 'Person added',
  person_updated: 'Details changed',
  person_allocated: 'Worker allocated',
  signed_in: 'Signed in',
  signed_out: 'Signed out',
  sign_in_failed: 'Sign-in failed',
  sign_in_failed_and_locked: 'Sign-in failed: account locked for 15 minutes',
  sign_in_refused_locked: 'Sign-in refused: locked',
  user_created: 'User created',
  user_updated: 'User changed',
  user_deactivated: 'User deactivated',
  team_created: 'Team created',
};

export function describeEvent(action: string): string {
  return descriptions[action] ?? action.replaceAll('_', ' ').replace(/^./, (first) => first.toUpperCase());
}

/** Other areas add their own wording when they add actions. */
export function registerEventDescriptions(more: Record<string, string>): void {
  Object.assign(descriptions, more);
}
