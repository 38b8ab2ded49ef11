import type { SignedInUser } from './roles.js';

type StaffMember = SignedInUser & { active: boolean };
type PassportData = { passport?: Record<symbol, StaffMember | null> };

/**
 * Where the session store leaves the staff member it read with a session: a symbol on the
 * session's passport data, which JSON never sees, so it is neither stored nor taken for a change.
 */
const staffMemberReadWithSession = Symbol('staff member read with the session');

/** Leaves the account read with a session (null when it is gone) for passport to find. */
export function keepStaffMemberWith(sess: object, member: StaffMember | null): void {
  const { passport } = sess as PassportData;
  if (passport) passport[staffMemberReadWithSession] = member;
}

/**
 * The staff member signed in to this session as read with it: null when the account is gone,
 * undefined when the session was not read with one.
 */
export function staffMemberReadWith(session: unknown, userId: number): StaffMember | null | undefined {
  const member = (session as PassportData | undefined)?.passport?.[staffMemberReadWithSession];
  return member === undefined || (member !== null && member.id !== userId) ? undefined : member;
}
