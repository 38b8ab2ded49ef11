import { roleLabels, type Role, type SignedInUser } from '../auth/roles.js';

/** One item of the service navigation; `current` is aria-current: "page" on the page itself, "true" on a page below it. */
export type NavigationItem = { href: string; text: string; active: boolean; current?: 'page' | 'true' };

/** What the header shows about who is signed in. */
export type SignedInAs = { name: string; roleLabel: string };

// No "Home" item: the service name already links to /, each role's home page.
const items: { href: string; text: string; match: RegExp; roles: readonly Role[] }[] = [
  { href: '/people', text: 'People', match: /^\/people/, roles: ['care_manager', 'team_manager', 'finance_officer', 'admin'] },
  { href: '/admin/users', text: 'Users', match: /^\/admin\/users/, roles: ['admin'] },
  { href: '/admin/teams', text: 'Teams', match: /^\/admin\/teams/, roles: ['admin'] },
  { href: '/admin/audit', text: 'Audit trail', match: /^\/admin\/audit/, roles: ['admin'] },
  { href: '/admin/ras', text: 'RAS', match: /^\/admin\/ras/, roles: ['admin'] },
  { href: '/admin/settings', text: 'Council settings', match: /^\/admin\/settings/, roles: ['admin'] },
  { href: '/reports/dashboard', text: 'Dashboard', match: /^\/reports\/dashboard/, roles: ['admin', 'team_manager'] },
  { href: '/reports', text: 'Reports', match: /^\/reports(?!\/dashboard)/, roles: ['admin', 'team_manager'] },
  { href: '/finance/queue', text: 'Sign-off queue', match: /^\/finance\/queue/, roles: ['finance_officer'] },
  { href: '/direct-payments/runs', text: 'Payment runs', match: /^\/direct-payments\/runs/, roles: ['finance_officer'] },
  { href: '/finance/panel', text: 'Panel', match: /^\/finance\/panel/, roles: ['team_manager'] },
];

/** The links a role has, with the one for the page being shown marked. */
export function navigationFor(user: SignedInUser | undefined, path: string): NavigationItem[] {
  if (!user) return [];
  return items
    .filter((item) => item.roles.includes(user.role))
    .map((item): NavigationItem => {
      const active = item.match.test(path);
      return { href: item.href, text: item.text, active, ...(active ? { current: item.href === path ? 'page' : 'true' } : {}) };
    });
}

/** The search box in the header of every page: for whoever may open the People page, whose search it runs. */
export function headerSearchFor(user: SignedInUser | undefined): { action: string } | null {
  const people = items.find((item) => item.href === '/people');
  return user && people?.roles.includes(user.role) ? { action: people.href } : null;
}

export function signedInAs(user: SignedInUser | undefined): SignedInAs | null {
  return user ? { name: user.displayName, roleLabel: roleLabels[user.role] } : null;
}
