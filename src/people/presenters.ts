import type { SignedInUser } from '../auth/roles.js';
import type { TimelineEntry } from '../notes/repo.js';
import { timelineItems } from '../notes/timeline-presenters.js';
import { dateParts } from '../web/form-fields.js';
import { formatCount, formatDate } from '../web/format.js';
import { paginationView } from '../web/pagination.js';
import type { FieldLabels } from '../web/conflict.js';
import type { FormErrors } from '../web/validation.js';
import type { Link, SummaryRow, TableCell } from '../web/view-models.js';
import { formatNhsNumber } from './nhs-number.js';
import { clientGroupLabels, clientGroups } from './client-groups.js';
import {
  accommodationStatuses,
  employmentStatuses,
  ethnicities,
  genders,
  primarySupportReasons,
  requestOutcomes,
  routesOfAccess,
} from './client-level-data.js';
import type { LinkedPerson } from './carers-repo.js';
import { SEARCH_COUNTED_UP_TO, type Person, type PersonListing, type PossibleDuplicate, type Worker } from './repo.js';
import type { SupportRequest } from './requests-repo.js';
import type { PersonSearch } from './schemas.js';
import { canSeePerson } from './service.js';
import type { Banner } from '../web/banner.js';
import type { PersonPageSection } from './sections.js';

/** A person as a heading or a sentence names them: "Doris Whitfield". */
export function personName(person: Pick<Person, 'givenName' | 'familyName'>): string {
  return `${person.givenName} ${person.familyName}`;
}

/** As lists sort them: "Whitfield, Doris". */
export function personListName(person: Pick<Person, 'givenName' | 'familyName'>): string {
  return `${person.familyName}, ${person.givenName}`;
}

export const personLink = (person: Pick<Person, 'id' | 'givenName' | 'familyName'>): Link => ({
  href: `/people/${person.id}`,
  text: personName(person),
});

/** The heading every page about a person starts with: their name, and their reference as a caption. */
export function personHeading(person: Pick<Person, 'id' | 'givenName' | 'familyName' | 'reference'>) {
  return {
    id: person.id,
    name: personName(person),
    givenName: person.givenName,
    reference: person.reference,
    href: `/people/${person.id}`,
  };
}
export type PersonHeading = ReturnType<typeof personHeading>;

export const contactMethodLabels: Record<Person['preferredContact'], string> = { phone: 'Phone', email: 'Email', letter: 'Letter' };

const choicesOf = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, text: labels[value] }));

/** The person form's fields by the labels it shows, for the page that keeps what was typed. */
export const personFieldLabels: FieldLabels = {
  givenName: { label: 'Given name' },
  familyName: { label: 'Family name' },
  dateOfBirth: { label: 'Date of birth' },
  reference: { label: 'Council reference' },
  nhsNumber: { label: 'NHS number' },
  postcode: { label: 'Postcode' },
  clientGroup: { label: 'Client group', choices: clientGroupLabels },
  address: { label: 'Address' },
  phone: { label: 'Phone' },
  email: { label: 'Email' },
  preferredContact: { label: 'Preferred contact', choices: contactMethodLabels },
  referralDate: { label: 'Referral date' },
  routeOfAccess: { label: 'How the request reached the council', choices: routesOfAccess.labels },
  gender: { label: 'Gender', choices: genders.labels },
  ethnicity: { label: 'Ethnicity', choices: ethnicities.labels },
  primarySupportReason: { label: 'Primary support reason', choices: primarySupportReasons.labels },
  accommodationStatus: { label: 'Accommodation', choices: accommodationStatuses.labels },
  employmentStatus: { label: 'Employment', choices: employmentStatuses.labels },
  hasUnpaidCarer: { label: 'Do they have an unpaid carer?', choices: { yes: 'Yes', no: 'No', not_asked: 'Not asked yet' } },
  dateOfDeath: { label: 'Date of death' },
};

const unpaidCarerAnswer = (has: boolean | null) => (has === true ? 'yes' : has === false ? 'no' : 'not_asked');

/** A saved person as the boxes of the person form show them. */
export function personFormValues(person: Person): Record<string, unknown> {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    dateOfBirth: dateParts(person.dateOfBirth),
    reference: person.reference,
    nhsNumber: person.nhsNumber === null ? '' : formatNhsNumber(person.nhsNumber),
    postcode: person.postcode,
    clientGroup: person.clientGroup,
    address: person.address,
    phone: person.phone,
    email: person.email,
    preferredContact: person.preferredContact,
    referralDate: dateParts(person.referralDate),
    allocatedWorkerId: person.allocatedWorkerId === null ? '' : String(person.allocatedWorkerId),
    gender: person.gender ?? '',
    ethnicity: person.ethnicity ?? '',
    primarySupportReason: person.primarySupportReason ?? '',
    accommodationStatus: person.accommodationStatus ?? '',
    employmentStatus: person.employmentStatus ?? '',
    hasUnpaidCarer: unpaidCarerAnswer(person.hasUnpaidCarer),
    dateOfDeath: dateParts(person.dateOfDeath),
    version: String(person.version),
  };
}

/** A code list as a select's options, led by "not recorded" so a detail can wait until someone asks. */
const codeOptions = (list: { codes: readonly string[]; labels: Record<string, string> }) => [
  { value: '', text: 'Not recorded' },
  ...list.codes.map((code) => ({ value: code, text: list.labels[code] ?? code })),
];
const codeChoices = (list: { codes: readonly string[]; labels: Record<string, string> }) =>
  list.codes.map((code) => ({ value: code, text: list.labels[code] ?? code }));

const workerChoices = (workers: readonly Worker[]) => workers.map((worker) => ({ value: String(worker.id), text: worker.displayName }));

export function personFormView(options: {
  person?: Person;
  values: Record<string, unknown>;
  errors: FormErrors;
  workers: readonly Worker[];
  canAllocate: boolean;
}) {
  const { person } = options;
  return {
    title: person ? `Change details for ${personName(person)}` : 'Add a person',
    action: person ? `/people/${person.id}/edit` : '/people',
    backLink: person ? `/people/${person.id}` : '/people',
    editing: Boolean(person),
    submitText: person ? 'Save changes' : 'Add person',
    values: options.values,
    errors: options.errors,
    canAllocate: options.canAllocate,
    clientGroupChoices: choicesOf(clientGroupLabels),
    contactChoices: choicesOf(contactMethodLabels),
    workerChoices: [{ value: '', text: 'Not allocated' }, ...workerChoices(options.workers)],
    // The first request is recorded with the person; later ones from their page.
    routeChoices: person ? null : codeChoices(routesOfAccess),
    genderChoices: codeChoices(genders),
    ethnicityChoices: codeOptions(ethnicities),
    supportReasonChoices: codeOptions(primarySupportReasons),
    accommodationChoices: codeOptions(accommodationStatuses),
    employmentChoices: codeOptions(employmentStatuses),
    unpaidCarerChoices: [
      { value: 'yes', text: 'Yes' },
      { value: 'no', text: 'No' },
      { value: 'not_asked', text: 'Not asked yet' },
    ],
  };
}

const labelOf = <Code extends string>(labels: Record<Code, string>, code: Code | null) => (code === null ? 'Not recorded' : labels[code]);

/** What the statutory return reads from the person's record, as their page shows it. */
function statutoryDetails(person: Person): SummaryRow[] {
  return [
    { key: 'Gender', value: labelOf(genders.labels, person.gender) },
    { key: 'Ethnicity', value: labelOf(ethnicities.labels, person.ethnicity) },
    { key: 'Primary support reason', value: labelOf(primarySupportReasons.labels, person.primarySupportReason) },
    { key: 'Accommodation', value: labelOf(accommodationStatuses.labels, person.accommodationStatus) },
    { key: 'Employment', value: labelOf(employmentStatuses.labels, person.employmentStatus) },
    {
      key: 'Has an unpaid carer',
      value: person.hasUnpaidCarer === null ? 'Not asked yet' : person.hasUnpaidCarer ? 'Yes' : 'No',
    },
    { key: 'Date of death', value: person.dateOfDeath === null ? 'Not recorded' : formatDate(person.dateOfDeath) },
  ];
}

const linkedPeople = (people: readonly LinkedPerson[]) =>
  people.map((linked) => ({ link: personLink(linked), reference: linked.reference }));

/** The person's requests for support, newest first: open ones say so, cancelled ones are labelled and never counted. */
function requestRows(person: Person, requests: readonly SupportRequest[], canEdit: boolean): TableCell[][] {
  return requests.map((request) => {
    const cancelled = request.cancelledAt !== null;
    const base = `/people/${person.id}/requests/${request.id}`;
    const hiddenText = `for the request received on ${formatDate(request.receivedOn)}`;
    const status: TableCell = cancelled
      ? { tag: { text: 'Cancelled: recorded in error', colour: 'grey' } }
      : request.outcome === null
        ? { tag: { text: 'Open', colour: 'blue' } }
        : { text: requestOutcomes.labels[request.outcome], secondary: `Decided ${formatDate(request.decidedOn)}` };
    const actions: TableCell = {
      actions:
        canEdit && !cancelled
          ? [
              { link: { href: `${base}/outcome`, text: request.outcome === null ? 'Record outcome' : 'Change outcome', hiddenText } },
              { link: { href: `${base}/cancel`, text: 'Cancel', hiddenText } },
            ]
          : [],
    };
    return [
      { text: formatDate(request.receivedOn), nowrap: true, ...(cancelled && { classes: 'app-struck' }) },
      { text: routesOfAccess.labels[request.routeOfAccess], ...(cancelled && { classes: 'app-struck' }) },
      status,
      actions,
    ];
  });
}

export function allocationFormView(person: Person, workers: readonly Worker[], values: Record<string, unknown>, errors: FormErrors) {
  return {
    person: personHeading(person),
    values,
    errors,
    workerChoices: [...workerChoices(workers), { value: '', text: 'Nobody for now (unallocated)' }],
  };
}

export function personPageView(options: {
  person: Person;
  teamName: string;
  workerName: string | null;
  timeline: readonly TimelineEntry[];
  viewer: { user: SignedInUser; now: Date };
  canEdit: boolean;
  canAllocate: boolean;
  sections: readonly PersonPageSection[];
  requests: readonly SupportRequest[];
  caresFor: readonly LinkedPerson[];
  carers: readonly LinkedPerson[];
}) {
  const { person, canEdit } = options;
  const address = [...person.address.split(/\r?\n/), person.postcode].map((line) => line.trim()).filter(Boolean);
  const details: SummaryRow[] = [
    { key: 'Date of birth', value: formatDate(person.dateOfBirth) },
    { key: 'NHS number', value: person.nhsNumber === null ? 'Not recorded' : formatNhsNumber(person.nhsNumber) },
    { key: 'Client group', value: clientGroupLabels[person.clientGroup] },
    { key: 'Team', value: options.teamName },
    { key: 'Allocated worker', value: options.workerName ?? 'Not allocated' },
    { key: 'Referral date', value: formatDate(person.referralDate) },
    address.length > 0 ? { key: 'Address', lines: address } : { key: 'Address', value: 'Not recorded' },
    { key: 'Phone', value: person.phone },
    { key: 'Email', value: person.email },
    { key: 'Preferred contact', value: contactMethodLabels[person.preferredContact] },
  ];
  return {
    person: personHeading(person),
    changeLink: options.canEdit ? { href: `/people/${person.id}/edit`, text: 'Change details' } : null,
    allocateLink: options.canAllocate ? { href: `/people/${person.id}/allocate`, text: 'Allocate a worker' } : null,
    details,
    statutoryDetails: statutoryDetails(person),
    requests: {
      rows: requestRows(person, options.requests, canEdit),
      newLink: canEdit ? { href: `/people/${person.id}/requests/new`, text: 'Record a new request' } : null,
    },
    // Only a carer's record names the people they care for.
    caresFor:
      person.clientGroup === 'carer'
        ? {
            people: linkedPeople(options.caresFor),
            changeLink: canEdit ? { href: `/people/${person.id}/cares-for`, text: 'Change who they care for' } : null,
          }
        : null,
    carers: linkedPeople(options.carers),
    sections: options.sections,
    timeline: {
      items: timelineItems(options.timeline, options.viewer),
      addLink: canEdit ? { href: `/people/${person.id}/notes/new`, text: 'Record a note or contact' } : null,
      allLink: { href: `/people/${person.id}/timeline`, text: 'See everything that has happened, or only notes and contacts' },
    },
  };
}

/** The add-person form's fields, which travel in hidden fields while the user is asked about possible duplicates. */
const addFormFields = [...Object.keys(personFieldLabels).filter((name) => name !== 'reference'), 'allocatedWorkerId'];

/**
 * What was typed into the add-person form as the hidden fields that send it again: each box by its
 * name, a date input's boxes as name[day], name[month] and name[year], exactly as the browser sent them.
 */
export function typedFormFields(body: Record<string, unknown>): [string, string][] {
  return addFormFields.flatMap((name): [string, string][] => {
    const value = body[name];
    if (typeof value === 'string') return [[name, value]];
    if (value && typeof value === 'object') {
      return Object.entries(value as Record<string, unknown>)
        .filter(([part, text]) => ['day', 'month', 'year'].includes(part) && typeof text === 'string')
        .map(([part, text]) => [`${name}[${part}]`, text as string]);
    }
    return [];
  });
}

function whyItMatches(match: PossibleDuplicate): string {
  if (match.sameName && match.samePostcode) return 'Same name, date of birth and postcode';
  return match.sameName ? 'Same name and date of birth' : 'Same date of birth and postcode';
}

/**
 * "Is this a different person?": the people on record who may be the one being added, each with
 * what the user may see of them. Another team's record is only said to exist, so the check tells
 * nobody a name, reference or address they could not find themselves.
 */
export function duplicateQuestionView(options: {
  user: SignedInUser;
  name: string;
  matches: readonly PossibleDuplicate[];
  typed: [string, string][];
  errors: FormErrors;
}) {
  const visible = options.matches.filter((match) => canSeePerson(options.user, match));
  const elsewhere = options.matches.length - visible.length;
  return {
    title: 'This person may already have a record',
    question: 'Is this a different person?',
    name: options.name,
    errors: options.errors,
    typed: options.typed,
    head: [{ text: 'Name' }, { text: 'Council reference' }, { text: 'Date of birth' }, { text: 'Team' }, { text: 'Why it matches' }],
    rows: visible.map((match): TableCell[] => [
      { link: personLink(match) },
      { text: match.reference, nowrap: true },
      { text: formatDate(match.dateOfBirth), nowrap: true },
      { text: match.teamName },
      { text: whyItMatches(match) },
    ]),
    elsewhere:
      elsewhere === 0
        ? null
        : `${elsewhere === 1 ? 'A record' : `${elsewhere} records`} with the same name and date of birth, or the same date of birth and postcode, ${elsewhere === 1 ? 'exists' : 'exist'} in another team. You cannot see ${elsewhere === 1 ? 'its' : 'their'} details: ask that team or your team manager before adding someone who may already be known.`,
    choices: [
      { value: 'yes', text: 'Yes, add them as a new person' },
      { value: 'no', text: 'No, do not add them' },
    ],
  };
}

export const notAddedBanner = (name: string): Banner => ({
  heading: `${name} was not added`,
  body: 'Nothing was saved. Search for them to find the record they already have.',
});

type SearchResult = { rows: readonly PersonListing[]; total: number; ranked: boolean; page: number; pageCount: number };

/**
 * What the line above the results says: how many, where, in what order, and how to narrow a
 * search that finds too many. Nothing when there is nobody: the page says so in words instead of
 * "0 people". `among` is where it looked (" in your team", " in this client group"), as the line
 * for nobody says it.
 */
function countText(result: SearchResult, q: string | undefined, among: string): string | null {
  if (result.total === 0) return null;
  if (result.ranked && result.total > result.rows.length) {
    // A search counts only so far (SEARCH_COUNTED_UP_TO); past it, what it counted is a floor.
    const matches = result.total > SEARCH_COUNTED_UP_TO ? `more than ${formatCount(SEARCH_COUNTED_UP_TO)}` : formatCount(result.total);
    return `Showing the ${result.rows.length} closest of ${matches} matches${among}: add more of the name or the date of birth to narrow it`;
  }
  const people = `${formatCount(result.total)} ${result.total === 1 ? 'person' : 'people'}`;
  return result.ranked ? `${people} matching “${q ?? ''}”${among}, closest first` : `${people}${among}, sorted by family name`;
}

export function peopleListView(options: {
  user: SignedInUser;
  search: Pick<PersonSearch, 'q' | 'team' | 'clientGroup'> | { q?: string; team?: string; clientGroup?: string };
  teams: readonly { id: number; name: string }[];
  result: SearchResult | null;
  errors: FormErrors;
}) {
  const { user, search, result } = options;
  const seesAllTeams = user.role === 'admin' || user.role === 'finance_officer';
  const hrefFor = (page: number) => {
    const params = new URLSearchParams();
    if (search.q) params.set('q', search.q);
    if (search.team) params.set('team', String(search.team));
    if (search.clientGroup) params.set('clientGroup', search.clientGroup);
    if (page > 1) params.set('page', String(page));
    const query = params.toString();
    return `/people${query ? `?${query}` : ''}`;
  };
  const among = `${seesAllTeams ? (search.team ? ' in this team' : '') : ' in your team'}${search.clientGroup ? ' in this client group' : ''}`;
  return {
    canAdd: user.role === 'care_manager' || user.role === 'team_manager',
    search: { q: search.q ?? '', team: search.team === undefined ? '' : String(search.team), clientGroup: search.clientGroup ?? '' },
    errors: options.errors,
    teamChoices: seesAllTeams
      ? [{ value: '', text: 'All teams' }, ...options.teams.map((team) => ({ value: String(team.id), text: team.name }))]
      : null,
    clientGroupChoices: [
      { value: '', text: 'All client groups' },
      ...clientGroups.map((group) => ({ value: group, text: clientGroupLabels[group] })),
    ],
    // A refused search has no results to show, only the form and what is wrong with it.
    results: result && {
      countText: countText(result, search.q, among),
      nobodyText: result.ranked
        ? `No one${among} matches “${search.q ?? ''}”. Check the spelling, or search by council reference.`
        : `There is no one to list${among}.`,
      rows: result.rows.map((listing): TableCell[] => [
        { link: { href: `/people/${listing.id}`, text: personListName(listing) } },
        { text: listing.reference, nowrap: true },
        { text: formatDate(listing.dateOfBirth), nowrap: true },
        { text: clientGroupLabels[listing.clientGroup] },
        { text: listing.teamName },
        { text: listing.workerName ?? 'Not allocated' },
      ]),
      pagination: paginationView(result.page, result.pageCount, hrefFor),
      // An old link or an edited address can ask for a page the list no longer reaches.
      lastPage: result.page > result.pageCount && result.total > 0 ? hrefFor(result.pageCount) : null,
    },
  };
}
