export const roles = ['care_manager', 'team_manager', 'finance_officer', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  care_manager: 'Care manager',
  team_manager: 'Team manager',
  finance_officer: 'Finance officer',
  admin: 'Administrator',
};

/** The signed-in user as the rest of the app sees it: no password hash, nothing secret. */
export type SignedInUser = {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  teamId: number | null;
};

/** Who is acting, carried into every service call that changes something, for the audit trail. */
export type Actor = SignedInUser & { requestId: string };
