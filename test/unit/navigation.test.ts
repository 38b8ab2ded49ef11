import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/roles.js';
import { headerSearchFor, navigationFor, signedInAs } from '../../src/web/navigation.js';

const userWith = (role: Role) => ({ id: 1, email: 'a@example.gov.uk', displayName: 'Ada Admin', role, teamId: null });
const texts = (role: Role) => navigationFor(userWith(role), '/').map((item) => item.text);

describe('the service navigation', () => {
  it('offers each role its own links, in the same order everywhere', () => {
    expect(texts('care_manager')).toEqual(['People']);
    expect(texts('team_manager')).toEqual(['People', 'Dashboard', 'Reports', 'Panel']);
    expect(texts('finance_officer')).toEqual(['People', 'Sign-off queue', 'Payment runs']);
    expect(texts('admin')).toEqual(['People', 'Users', 'Teams', 'Audit trail', 'RAS', 'Council settings', 'Dashboard', 'Reports']);
  });

  it('marks the page itself as the current page and a page below it as within the current section', () => {
    const active = (path: string) =>
      navigationFor(userWith('admin'), path)
        .filter((item) => item.active)
        .map((item) => [item.text, item.current]);
    expect(active('/admin/users')).toEqual([['Users', 'page']]);
    expect(active('/admin/users/12/edit')).toEqual([['Users', 'true']]);
    expect(active('/reports/dashboard')).toEqual([['Dashboard', 'page']]);
    expect(active('/admin/settings')).toEqual([['Council settings', 'page']]);
    expect(active('/reports/calibration')).toEqual([['Reports', 'true']]);
    expect(active('/')).toEqual([]);
  });

  it('has nothing to offer before anyone signs in', () => {
    expect(navigationFor(undefined, '/sign-in')).toEqual([]);
    expect(signedInAs(undefined)).toBeNull();
    expect(headerSearchFor(undefined)).toBeNull();
    expect(signedInAs(userWith('finance_officer'))).toEqual({ name: 'Ada Admin', roleLabel: 'Finance officer' });
  });

  it('gives every role that may open the People page the search box in the header, sending its search there', () => {
    for (const role of ['care_manager', 'team_manager', 'finance_officer', 'admin'] as const) {
      expect(headerSearchFor(userWith(role))).toEqual({ action: '/people' });
    }
  });
});
