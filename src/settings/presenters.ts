import { capitalise } from '../text.js';
import type { Banner } from '../web/banner.js';
import type { FieldLabels } from '../web/conflict.js';
import { formatDate, formatDateTime } from '../web/format.js';
import type { FormErrors } from '../web/validation.js';
import type { TableCell, TableHead, Tag } from '../web/view-models.js';
import { councilReference } from '../people/references.js';
import type { CeilingBehaviour, CouncilSettings, SettingsChangeEvent } from './repo.js';
import type { UptakeTargetInput } from './schemas.js';
import type { SettingName, SettingsPage, TargetStanding } from './service.js';

export const ceilingBehaviourLabels: Record<CeilingBehaviour, string> = {
  panel: 'It goes to a team manager’s panel',
  not_used: 'It is shown, but does not go to a panel',
};

const ceilingBehaviourHints: Record<CeilingBehaviour, string> = {
  panel: 'Finance cannot approve an amount whose yearly value is above the RAS ceiling until a panel has agreed it.',
  not_used: 'Staff see that the amount is above the ceiling; only the tolerance above the indicative budget sends it to a panel.',
};

/** Each setting by the name staff know it by, as the history names it. */
const settingNames: Record<SettingName, string> = {
  overIndicativeTolerancePercent: 'Tolerance above the indicative budget',
  ceilingBehaviour: 'What happens above the RAS ceiling',
  directPaymentSurplusWeeks: 'Direct-payment surplus',
  localAuthorityCode: 'Local authority code',
  referencePrefix: 'Reference prefix',
  referenceDigits: 'Digits in a reference',
};

/** The same, as the confirmation names them mid-sentence. */
const settingPhrases: Record<SettingName, string> = {
  overIndicativeTolerancePercent: 'the tolerance above the indicative budget',
  ceilingBehaviour: 'what happens above the RAS ceiling',
  directPaymentSurplusWeeks: 'the direct-payment surplus',
  localAuthorityCode: 'the local authority code',
  referencePrefix: 'the reference prefix',
  referenceDigits: 'the digits in a reference',
};

const percent = (value: unknown) => `${String(value)}%`;
const weeks = (value: unknown) => `${String(value)} ${value === 1 ? 'week' : 'weeks'}`;

/** The settings form's fields by the labels it shows, for the page that keeps what was typed. */
export const settingsFieldLabels: FieldLabels = {
  overIndicativeTolerancePercent: { label: 'Tolerance above the indicative budget (%)' },
  ceilingBehaviour: { label: 'When an amount’s yearly value is above the RAS ceiling', choices: ceilingBehaviourLabels },
  directPaymentSurplusWeeks: { label: 'Direct-payment surplus (weeks)' },
  localAuthorityCode: { label: 'Local authority code' },
  referencePrefix: { label: 'Reference prefix' },
  referenceDigits: { label: 'Number of digits' },
};

/** Saved settings as the boxes of the form show them. */
export function settingsFormValues(settings: CouncilSettings): Record<string, string> {
  return {
    overIndicativeTolerancePercent: String(settings.overIndicativeTolerancePercent),
    ceilingBehaviour: settings.ceilingBehaviour,
    directPaymentSurplusWeeks: String(settings.directPaymentSurplusWeeks),
    localAuthorityCode: settings.localAuthorityCode,
    referencePrefix: settings.referencePrefix,
    referenceDigits: String(settings.referenceDigits),
    version: String(settings.version),
  };
}

/** How the history shows a value the audit trail kept under its column's name. */
const columnsShown: Record<string, { name: string; shown: (value: unknown) => string }> = {
  over_indicative_tolerance_percent: { name: settingNames.overIndicativeTolerancePercent, shown: percent },
  ceiling_behaviour: {
    name: settingNames.ceilingBehaviour,
    shown: (value) => ceilingBehaviourLabels[value as CeilingBehaviour] ?? String(value),
  },
  direct_payment_surplus_weeks: { name: settingNames.directPaymentSurplusWeeks, shown: weeks },
  local_authority_code: { name: settingNames.localAuthorityCode, shown: (value) => (value ? String(value) : 'None') },
  reference_prefix: { name: settingNames.referencePrefix, shown: (value) => (value ? String(value) : 'None') },
  reference_digits: { name: settingNames.referenceDigits, shown: String },
  // The single target, before targets had dates.
  pb_uptake_target_percent: { name: 'Personal budget uptake target', shown: percent },
};

const columnShown = (column: string) => columnsShown[column] ?? { name: capitalise(column.replaceAll('_', ' ')), shown: String };

/** One line per setting an event changed: what, from what, to what. */
function changesOf(event: SettingsChangeEvent): { what: string; from: string; to: string }[] {
  if (event.action === 'uptake_target_added' || event.action === 'uptake_target_removed') {
    const target = event.action === 'uptake_target_added' ? event.after : event.before;
    const what = `Personal budget uptake target from ${formatDate(String(target.in_force_from))}`;
    const shown = percent(target.target_percent);
    return [event.action === 'uptake_target_added' ? { what, from: 'None', to: shown } : { what, from: shown, to: 'None' }];
  }
  // In the order of the form, whatever order the trail's JSON keeps them in.
  const order = Object.keys(columnsShown);
  const place = (column: string) => (order.includes(column) ? order.indexOf(column) : order.length);
  const columns = [...new Set([...Object.keys(event.before), ...Object.keys(event.after)])].sort((a, b) => place(a) - place(b));
  return columns.map((column) => {
    const { name, shown } = columnShown(column);
    return { what: name, from: shown(event.before[column]), to: shown(event.after[column]) };
  });
}

function historyView(history: readonly SettingsChangeEvent[], more: boolean) {
  const head: TableHead[] = [{ text: 'Date and time' }, { text: 'Changed by' }, { text: 'What changed' }, { text: 'From' }, { text: 'To' }];
  return {
    head,
    rows: history.flatMap((event) =>
      changesOf(event).map((change): TableCell[] => [
        { text: formatDateTime(event.occurredAt) },
        { text: event.userName ?? 'System' },
        { text: change.what },
        { text: change.from },
        { text: change.to },
      ]),
    ),
    more: more ? 'Only the latest changes are shown here. The audit trail keeps every one.' : null,
  };
}

const standingTags: Record<TargetStanding, Tag> = {
  in_force: { text: 'In force', colour: 'green' },
  replaced: { text: 'Replaced', colour: 'grey' },
  to_come: { text: 'Not yet in force', colour: 'blue' },
};

function targetsView(targets: SettingsPage['targets']) {
  const head: TableHead[] = [
    { text: 'In force from' },
    { text: 'Target', numeric: true },
    { text: 'Status' },
    { text: 'Added by' },
    { text: 'Action', hidden: true },
  ];
  return {
    head,
    rows: targets.map((target): TableCell[] => [
      { text: formatDate(target.inForceFrom), nowrap: true },
      { text: percent(target.targetPercent), numeric: true },
      { tag: standingTags[target.standing] },
      target.addedByName
        ? { text: target.addedByName, secondary: formatDateTime(target.addedAt) }
        : { text: 'Carried over from the single target kept before targets had dates' },
      {
        actions: [
          {
            button: {
              action: `/admin/settings/uptake-targets/${target.id}/remove`,
              text: 'Remove',
              hiddenText: `the target from ${formatDate(target.inForceFrom)}`,
            },
          },
        ],
      },
    ]),
  };
}

/**
 * The settings page: the money rules form, the uptake targets with a form to add one, and the
 * history. Only one form is posted at a time, so `values` fills that form and the other shows
 * what is saved.
 */
export function settingsPageView(
  page: SettingsPage,
  state: { form?: 'settings' | 'target'; values: Record<string, unknown>; errors: FormErrors },
) {
  return {
    errors: state.errors,
    settings: {
      values: state.form === 'settings' ? state.values : settingsFormValues(page.settings),
      // The saved format, so the example is one a person added now would get.
      referenceExample: councilReference(page.settings, 123),
      ceilingChoices: (Object.keys(ceilingBehaviourLabels) as CeilingBehaviour[]).map((value) => ({
        value,
        text: ceilingBehaviourLabels[value],
        hint: ceilingBehaviourHints[value],
      })),
    },
    targets: { ...targetsView(page.targets), values: state.form === 'target' ? state.values : {} },
    history: historyView(page.history, page.moreHistory),
  };
}

const listed = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;

export function settingsSavedBanner(changed: readonly SettingName[]): Banner {
  if (changed.length === 0) return { heading: 'Council settings saved', body: 'Nothing had changed.' };
  return { heading: 'Council settings saved', body: `You changed ${listed(changed.map((name) => settingPhrases[name]))}.` };
}

export const targetAddedBanner = (target: UptakeTargetInput): Banner => ({
  heading: 'Uptake target added',
  body: `${target.targetPercent}% from ${formatDate(target.inForceFrom)}.`,
});

export function targetRemovedBanner(removed: { inForceFrom: string; targetPercent: number } | undefined): Banner {
  return removed
    ? { heading: 'Uptake target removed', body: `${removed.targetPercent}% from ${formatDate(removed.inForceFrom)}.` }
    : { heading: 'That uptake target had already been removed', body: 'Nothing else was changed.' };
}
