import { conflictView, type FieldLabels } from '../web/conflict.js';
import { dateParts } from '../web/form-fields.js';
import { formatDate } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { SummaryRow } from '../web/view-models.js';
import { requestOutcomes, routesOfAccess } from './client-level-data.js';
import { personHeading, personName } from './presenters.js';
import type { Person } from './repo.js';
import type { SupportRequest } from './requests-repo.js';

type FormState = { values: Record<string, unknown>; errors: FormErrors };

const choicesOf = (list: { codes: readonly string[]; labels: Record<string, string> }) =>
  list.codes.map((code) => ({ value: code, text: list.labels[code] ?? code }));

export const requestFieldLabels = {
  receivedOn: { label: 'When was the request received?' },
  routeOfAccess: { label: 'How did the request reach the council?', choices: routesOfAccess.labels },
  outcome: { label: 'What was decided?', choices: requestOutcomes.labels },
  decidedOn: { label: 'When was it decided?' },
} satisfies FieldLabels;

const requestsAnchor = (person: Person) => `/people/${person.id}#requests`;

function requestRows(request: SupportRequest): SummaryRow[] {
  return [
    { key: 'Received', value: formatDate(request.receivedOn) },
    { key: 'How it reached the council', value: routesOfAccess.labels[request.routeOfAccess] },
    {
      key: 'Outcome',
      value: request.outcome === null ? 'Open' : `${requestOutcomes.labels[request.outcome]}, decided ${formatDate(request.decidedOn)}`,
    },
  ];
}

export function newRequestView(person: Person, state: FormState) {
  return {
    title: `Record a request for support from ${personName(person)}`,
    person: personHeading(person),
    backLink: requestsAnchor(person),
    action: `/people/${person.id}/requests`,
    values: state.values,
    errors: state.errors,
    labels: requestFieldLabels,
    routeChoices: choicesOf(routesOfAccess),
  };
}

export function requestOutcomeView(person: Person, request: SupportRequest, state: FormState) {
  return {
    title: `Record the outcome of a request from ${personName(person)}`,
    person: personHeading(person),
    backLink: requestsAnchor(person),
    action: `/people/${person.id}/requests/${request.id}/outcome`,
    requestRows: requestRows(request),
    values: {
      outcome: request.outcome ?? '',
      decidedOn: dateParts(request.decidedOn),
      version: String(request.version),
      ...state.values,
    },
    errors: state.errors,
    labels: requestFieldLabels,
    outcomeChoices: choicesOf(requestOutcomes),
  };
}

export function cancelRequestView(person: Person, request: SupportRequest, state: FormState) {
  return {
    title: `Cancel a request from ${personName(person)}`,
    person: personHeading(person),
    backLink: requestsAnchor(person),
    action: `/people/${person.id}/requests/${request.id}/cancel`,
    requestRows: requestRows(request),
    cancelled: request.cancelledAt !== null,
    version: String(request.version),
    errors: state.errors,
  };
}

/** Someone changed the request first: what it says now beside what this user chose. */
export function requestConflictView(person: Person, current: SupportRequest, typed: Record<string, unknown>) {
  return conflictView({
    recordName: `the request received on ${formatDate(current.receivedOn)}`,
    fields: requestFieldLabels,
    typed,
    savedNow: { outcome: current.outcome ?? '', decidedOn: dateParts(current.decidedOn) },
    latest: { href: requestsAnchor(person), text: `Go back to ${personName(person)}’s requests` },
  });
}
