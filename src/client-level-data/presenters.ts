import { formatDate } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { Action, Link, SummaryRow, TableCell } from '../web/view-models.js';
import { quarterLabel, type Quarter } from './quarters.js';
import type { PersonField } from './return.js';
import type { CheckedReturn, ReturnScope } from './service.js';

/** What each field is called where staff put it right, in the order the person form asks for them. */
const fieldNames: Record<PersonField, string> = {
  nhsNumber: 'NHS number',
  postcode: 'postcode',
  gender: 'gender',
  ethnicity: 'ethnicity',
  primarySupportReason: 'primary support reason',
  accommodationStatus: 'accommodation',
  employmentStatus: 'employment',
  hasUnpaidCarer: 'whether they have an unpaid carer',
  'dateOfDeath-day': 'date of death',
};

const BASE = '/reports/client-level-data';
const withQuarter = (path: string, quarter: Quarter) => `${path}?quarter=${encodeURIComponent(quarterLabel(quarter))}`;

function scopeText(scope: ReturnScope): string {
  return scope.kind === 'team'
    ? 'As a team manager you see your own team’s people only. An administrator downloads the whole council’s return.'
    : 'The whole council’s people are included.';
}

export function chooseView(options: { scope: ReturnScope; values: { quarter?: unknown }; errors: FormErrors }) {
  return {
    scopeText: scopeText(options.scope),
    quarter: typeof options.values.quarter === 'string' ? options.values.quarter : '',
    errors: options.errors,
  };
}

function countRows(checked: CheckedReturn): SummaryRow[] {
  return [
    { key: 'Period', value: `${formatDate(checked.quarter.start)} to ${formatDate(checked.quarter.end)}` },
    { key: 'People in the return', value: String(checked.people) },
    { key: 'Rows (one for each event)', value: String(checked.rows.length) },
    { key: 'People missing a mandatory field', value: String(checked.gaps.length) },
  ];
}

function codeRow(code: string, canChangeSettings: boolean): SummaryRow {
  if (code) return { key: 'Local authority code', value: code };
  return {
    key: 'Local authority code',
    value: 'Not set: every row needs it',
    ...(canChangeSettings
      ? { actions: [{ href: '/admin/settings#localAuthorityCode', text: 'Set', hiddenText: 'the local authority code' }] }
      : {}),
  };
}

function gapRows(checked: CheckedReturn): TableCell[][] {
  return checked.gaps.map((gap) => {
    const name = `${gap.person.givenName} ${gap.person.familyName}`;
    const actions: Action[] = gap.missing.map((field) => ({
      link: { href: `/people/${gap.person.id}/edit#${field}`, text: `Add ${fieldNames[field]}`, hiddenText: `for ${name}` } satisfies Link,
    }));
    return [
      { link: { href: `/people/${gap.person.id}`, text: name }, secondary: gap.person.reference },
      { text: gap.missing.map((field) => fieldNames[field]).join(', ') },
      { text: String(gap.rows), numeric: true },
      { actions },
    ];
  });
}

export function checkView(checked: CheckedReturn, canChangeSettings: boolean) {
  const label = quarterLabel(checked.quarter);
  return {
    title: `Check the Client Level Data return for ${label}`,
    scopeText: scopeText(checked.scope),
    summary: [codeRow(checked.localAuthorityCode, canChangeSettings), ...countRows(checked)],
    gaps: gapRows(checked),
    nextLink: { href: withQuarter(`${BASE}/download`, checked.quarter), text: 'Continue to download' },
    chooseLink: { href: BASE, text: 'Choose another quarter' },
  };
}

export function downloadView(checked: CheckedReturn) {
  const label = quarterLabel(checked.quarter);
  return {
    title: `Download the Client Level Data return for ${label}`,
    scopeText: scopeText(checked.scope),
    summary: countRows(checked),
    gapCount: checked.gaps.length,
    fileLink: { href: withQuarter(`${BASE}/return.csv`, checked.quarter), text: `Download the return for ${label} (CSV)` },
    checkLink: { href: withQuarter(`${BASE}/check`, checked.quarter), text: 'Back to the check' },
  };
}

export function returnFileName(checked: CheckedReturn): string {
  const team = checked.scope.kind === 'team' ? `-team-${checked.scope.teamId}` : '';
  return `client-level-data-${quarterLabel(checked.quarter).replace(' ', '-')}${team}.csv`;
}
