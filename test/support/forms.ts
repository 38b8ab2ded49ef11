import type { Knex } from 'knex';
import type { PersonRow } from '../../src/people/repo.js';

/** Form bodies as a browser sends them: GOV.UK date inputs arrive as flat `name[part]` keys. */
export type FormFields = Record<string, string>;

let sequence = 0;

function dateFields(name: string, iso: string | null): FormFields {
  const [year = '', month = '', day = ''] = (iso ?? '').split('-');
  return {
    [`${name}[day]`]: day ? String(Number(day)) : '',
    [`${name}[month]`]: month ? String(Number(month)) : '',
    [`${name}[year]`]: year,
  };
}

/**
 * A date of birth no other form filled in here has, so the check for someone already on record
 * (same name and date of birth, or same date of birth and postcode) never fires by accident.
 */
function uniqueDateOfBirth(): string {
  sequence += 1;
  return new Date(Date.UTC(1930, 0, 1 + sequence)).toISOString().slice(0, 10);
}

/** Every field of the "Add a person" form, filled in validly; the council reference is given by the app. */
export function personFormFields(overrides: FormFields = {}): FormFields {
  return {
    givenName: 'Ann',
    familyName: 'Smith',
    ...dateFields('dateOfBirth', uniqueDateOfBirth()),
    clientGroup: 'older_people',
    ...dateFields('referralDate', '2026-01-05'),
    address: '1 Park Row, Leeds',
    postcode: 'LS1 5AB',
    phone: '0113 496 0001',
    email: 'ann.smith@example.com',
    preferredContact: 'phone',
    allocatedWorkerId: '',
    routeOfAccess: 'community_other',
    ...overrides,
  };
}

/** The edit form as the page fills it from the saved row, version included. */
export function editFormFields(person: PersonRow, overrides: FormFields = {}): FormFields {
  return {
    givenName: person.given_name,
    familyName: person.family_name,
    ...dateFields('dateOfBirth', person.date_of_birth),
    reference: person.reference,
    clientGroup: person.client_group,
    ...dateFields('referralDate', person.referral_date),
    address: person.address,
    postcode: person.postcode,
    phone: person.phone,
    email: person.email,
    preferredContact: person.preferred_contact,
    allocatedWorkerId: person.allocated_worker_id === null ? '' : String(person.allocated_worker_id),
    gender: person.gender ?? '',
    ethnicity: person.ethnicity ?? '',
    primarySupportReason: person.primary_support_reason ?? '',
    accommodationStatus: person.accommodation_status ?? '',
    employmentStatus: person.employment_status ?? '',
    hasUnpaidCarer: person.has_unpaid_carer === null ? 'not_asked' : person.has_unpaid_carer ? 'yes' : 'no',
    ...dateFields('dateOfDeath', person.date_of_death),
    version: String(person.version),
    ...overrides,
  };
}

export async function countRows(db: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const [row] = (await db(table).where(where).count({ count: '*' })) as { count: string | number }[];
  return Number(row?.count ?? 0);
}
