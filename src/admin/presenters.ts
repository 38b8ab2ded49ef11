import { roleLabels, roles } from '../auth/roles.js';
import type { Paged } from '../db/paging.js';
import type { FieldLabels } from '../web/conflict.js';
import { pageHrefs, pagesOf, rangeText } from '../web/pagination.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, TableCell, TableHead, Tag } from '../web/view-models.js';
import type { TeamContact, TeamSize, UserAccount } from './repo.js';

type Team = { id: number; name: string };

/** Whether an account can sign in, as every list of users shows it. */
export const accountStatusTag = (active: boolean): Tag =>
  active ? { text: 'Active', colour: 'green' } : { text: 'Deactivated', colour: 'grey' };

export const teamNameOf = (user: Pick<UserAccount, 'teamName'>): string => user.teamName ?? 'No team';

export const userEditLink = (user: Pick<UserAccount, 'id' | 'displayName'>): Link => ({
  href: `/admin/users/${user.id}/edit`,
  text: user.displayName,
});

const activeLabels = { yes: 'Yes, active', no: 'No, deactivated' };

/** The change-user form's fields by the labels it shows, for the page that keeps what was typed. */
export function userFieldLabels(teams: readonly Team[]): FieldLabels {
  return {
    displayName: { label: 'Full name' },
    role: { label: 'Role', choices: roleLabels },
    teamId: { label: 'Team', choices: { '': 'No team', ...Object.fromEntries(teams.map((team) => [String(team.id), team.name])) } },
    active: { label: 'Can this person sign in?', choices: activeLabels },
  };
}

/** A saved account as the boxes of the change-user form show it. */
export function userFormValues(user: UserAccount): Record<string, unknown> {
  return {
    displayName: user.displayName,
    role: user.role,
    teamId: user.teamId === null ? '' : String(user.teamId),
    active: user.active ? 'yes' : 'no',
    version: String(user.version),
  };
}

export function usersView({ rows: users, page }: Paged<UserAccount>) {
  const head: TableHead[] = [
    { text: 'Name' },
    { text: 'Email' },
    { text: 'Role' },
    { text: 'Team' },
    { text: 'Status' },
    { text: 'Sign-in' },
    { text: 'Action', hidden: true },
  ];
  return {
    head,
    rows: users.map((user): TableCell[] => [
      { text: user.displayName },
      { text: user.email },
      { text: roleLabels[user.role] },
      { text: teamNameOf(user) },
      { tag: accountStatusTag(user.active) },
      { text: signInStatus(user) },
      { link: { href: `/admin/users/${user.id}/edit`, text: 'Change', hiddenText: user.displayName } },
    ]),
    rangeText: page.count > 1 ? rangeText(page, 'users') : null,
    pagination: pagesOf(page, pageHrefs('/admin/users', new URLSearchParams())),
  };
}

/** What the user still has to do before they can sign in, so an administrator knows whether a link went astray. */
function signInStatus(user: Pick<UserAccount, 'hasPassword' | 'hasAuthenticator'>): string {
  if (!user.hasPassword) return 'Waiting for them to set a password';
  if (!user.hasAuthenticator) return 'Sets up an authenticator app at next sign-in';
  return 'Password and authenticator app set up';
}

/** The one time a set-password link is shown: the administrator copies it and passes it on. */
export function setPasswordLinkView(
  account: { id: number; displayName: string; setPasswordToken: string },
  origin: string,
  isNew: boolean,
) {
  return {
    title: isNew ? `${account.displayName}’s account has been created` : `New set-password link for ${account.displayName}`,
    link: `${origin}/set-password/${account.setPasswordToken}`,
    displayName: account.displayName,
    backLink: '/admin/users',
  };
}

/** The add-user form, or the change-user form when there is a user: their email address cannot be changed. */
export function userFormView(options: { user?: UserAccount; values: Record<string, unknown>; errors: FormErrors; teams: readonly Team[] }) {
  const { user } = options;
  const { values } = options;
  return {
    title: user ? 'Change user' : 'Add a user',
    action: user ? `/admin/users/${user.id}/edit` : '/admin/users',
    backLink: '/admin/users',
    editing: Boolean(user),
    email: user?.email ?? '',
    signInActions: user
      ? [
          { action: `/admin/users/${user.id}/set-password-link`, text: 'Create a new set-password link', secondary: true },
          { action: `/admin/users/${user.id}/reset-authenticator`, text: 'Reset authenticator app', secondary: true },
        ]
      : [],
    signInStatus: user ? signInStatus(user) : '',
    submitText: user ? 'Save changes' : 'Add user',
    values,
    errors: options.errors,
    roleChoices: roles.map((role) => ({ value: role, text: roleLabels[role] })),
    teamChoices: [{ value: '', text: 'No team' }, ...options.teams.map((team) => ({ value: String(team.id), text: team.name }))],
    activeChoices: Object.entries(activeLabels).map(([value, text]) => ({ value, text })),
  };
}

export function teamsView(teams: readonly TeamSize[], values: Record<string, unknown>, errors: FormErrors) {
  const head: TableHead[] = [
    { text: 'Team' },
    { text: 'Phone' },
    { text: 'Email' },
    { text: 'Active users', numeric: true },
    { text: 'People', numeric: true },
    { text: 'Actions', hidden: true },
  ];
  return {
    head,
    rows: teams.map((team): TableCell[] => [
      { text: team.name },
      { text: team.phone || 'Not set' },
      { text: team.email || 'Not set' },
      { text: String(team.activeUsers), numeric: true },
      { text: String(team.people), numeric: true },
      { actions: [{ link: { href: `/admin/teams/${team.id}/contact`, text: 'Change contact details', hiddenText: team.name } }] },
    ]),
    values,
    errors,
  };
}

export const teamContactFieldLabels: FieldLabels = { phone: { label: 'Phone number' }, email: { label: 'Email address' } };

export const teamContactValues = (team: TeamContact) => ({ phone: team.phone, email: team.email, version: String(team.version) });

/** The form for how a team is reached, as the people it supports see it on their plan. */
export function teamContactFormView(team: TeamContact, state: { values: Record<string, unknown>; errors: FormErrors }) {
  return {
    title: `Contact details for ${team.name}`,
    backLink: '/admin/teams',
    action: `/admin/teams/${team.id}/contact`,
    hint: 'Printed on the support plans of the people this team supports, beside their care manager’s name, so they know how to reach the team.',
    values: { version: String(team.version), ...state.values },
    errors: state.errors,
  };
}
