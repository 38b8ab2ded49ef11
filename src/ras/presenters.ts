import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { capitalise } from '../text.js';
import type { ImpactView } from '../reports/presenters.js';
import type { FieldLabels } from '../web/conflict.js';
import { formatDate, formatDateTime } from '../web/format.js';
import { penceForInput } from '../web/money-field.js';
import { singleError, type ErrorSummaryItem, type FormErrors } from '../web/validation.js';
import type { Link, PostButton, SummaryRow, TableCell, Tag } from '../web/view-models.js';
import { pricedClientGroups, type Problem, type RasDefinition } from './definition.js';
import type { RasChange } from './changes.js';
import type { CarerBandInput, ItemInput } from './editing.js';
import type { RasVersion, RasVersionListing, RasVersionStage } from './repo.js';
import { settingsValuesOf, typedItemsOf, withBlankBand, withBlankRows, type TypedBand, type TypedItem, type ValueName } from './schemas.js';

/** The RAS versions as admins read them: the pages lay out what is built here. */

/** The one set of words for where a RAS version is in its life, with its tag: the RAS pages and the admin's home page use it. */
export const rasVersionStatusTags: Record<RasVersionStage, Tag> = {
  draft: { text: 'Draft' },
  scheduled: { text: 'Scheduled', colour: 'blue' },
  current: { text: 'Current', colour: 'green' },
  retired: { text: 'Retired', colour: 'grey' },
};

function stageDescription(version: RasVersionListing): string {
  switch (version.stage) {
    case 'draft':
      return 'Draft: can be changed, not yet used for anyone';
    case 'scheduled':
      return `Published and waiting: it becomes the current RAS on ${formatDate(version.effectiveFrom)}. Until then assessments use the current one`;
    case 'current':
      return 'Current: used for every assessment started now';
    case 'retired':
      return 'Retired: still explains the assessments that used it';
  }
}

/** Which success banner a page shows after a redirect; a fixed list, so no typed text is ever reflected. */
const savedMessages: Record<string, string> = {
  created: 'Draft created. Change it below, then model its impact before you publish it.',
  imported: 'Definition imported as a new draft.',
  settings: 'Settings and price points saved.',
  domain: 'Domain saved.',
  domains: 'Domains saved.',
  adjustments: 'Adjustments saved.',
  'carer-bands': 'Carer bands saved.',
  published: 'Published. Assessments started from the date it takes effect use it.',
  deleted: 'Draft deleted.',
};

export function savedBanner(saved: unknown): string | undefined {
  return typeof saved === 'string' && Object.hasOwn(savedMessages, saved) ? savedMessages[saved] : undefined;
}

export const versionPath = (id: number) => `/admin/ras/${id}`;

/** The default RAS is published when the service first starts, by nobody in particular. */
const byWhom = (name: string | null) => name || 'Set up with the service';
const points = (count: number) => `${count} ${count === 1 ? 'point' : 'points'}`;
const signedPercent = (percent: number) => `${percent > 0 ? '+' : ''}${percent}%`;
const floorText = (pence: number) => (pence > 0 ? formatPence(pence) : 'No floor');

function highestPoints(questions: RasDefinition['domains'][number]['questions']): number {
  return questions.reduce((total, question) => total + Math.max(0, ...question.options.map((option) => option.points)), 0);
}

function definitionCounts(definition: RasDefinition) {
  const questions = definition.domains.flatMap((domain) => domain.questions);
  return { questionCount: questions.length, domainCount: definition.domains.length, highestScore: highestPoints(questions) };
}

const copyButton = (id: number, text: string): PostButton => ({ action: `${versionPath(id)}/copy`, text });

export function versionsView(options: { versions: readonly RasVersionListing[]; current: RasVersion | undefined; saved: unknown }) {
  return {
    saved: savedBanner(options.saved),
    copyPublished: options.current ? copyButton(options.current.id, 'Create a draft from the current version') : null,
    rows: options.versions.map((version): TableCell[] => [
      {
        link: { href: versionPath(version.id), text: version.name },
        secondary: `Version ${version.id}${version.basedOnName ? `, copied from ${version.basedOnName}` : ''}`,
      },
      { tag: rasVersionStatusTags[version.stage] },
      { text: version.effectiveFrom ? formatDate(version.effectiveFrom) : 'Not published' },
      { text: version.publishedAt ? `${byWhom(version.publishedByName)}, ${formatDateTime(version.publishedAt)}` : '' },
      { text: `${byWhom(version.createdByName)}, ${formatDateTime(version.createdAt)}` },
    ]),
  };
}

export function versionPageView(options: {
  version: RasVersionListing;
  definition: RasDefinition;
  /** null when the version was not copied from another (the default RAS, an import). */
  changes: RasChange[] | null;
  saved?: unknown;
  errors?: FormErrors;
}) {
  const { version, definition } = options;
  const isDraft = version.status === 'draft';
  const base = versionPath(version.id);
  const counts = definitionCounts(definition);
  const change = (anchor: string, hiddenText: string): Link[] =>
    isDraft ? [{ href: `${base}/settings#${anchor}`, text: 'Change', hiddenText }] : [];
  const lastDomain = definition.domains.length - 1;
  return {
    id: version.id,
    name: version.name,
    caption: `RAS version ${version.id}`,
    tag: rasVersionStatusTags[version.stage],
    saved: savedBanner(options.saved),
    errors: options.errors,
    isDraft,
    details: [
      { key: 'Status', value: stageDescription(version) },
      { key: 'Takes effect', value: version.effectiveFrom ? formatDate(version.effectiveFrom) : 'When published' },
      ...(version.publishedAt
        ? [{ key: 'Published', value: `${byWhom(version.publishedByName)}, ${formatDateTime(version.publishedAt)}` }]
        : []),
      {
        key: 'Created',
        value: `${byWhom(version.createdByName)}, ${formatDateTime(version.createdAt)}${version.basedOnName ? `, copied from ‘${version.basedOnName}’` : ''}`,
      },
    ] satisfies SummaryRow[],
    impactLink: isDraft ? { href: `${base}/impact`, text: 'Model the impact' } : null,
    publishLink: isDraft ? { href: `${base}/publish`, text: 'Publish' } : null,
    copy: isDraft ? null : copyButton(version.id, 'Create a draft from this version'),
    goingBackLink: version.stage === 'retired' ? { href: `${base}/impact`, text: 'Model the impact of going back to this version' } : null,
    exportLink: { href: `${base}/export`, text: 'Export as JSON' },
    changes: options.changes && {
      heading: `Changes from ‘${version.basedOnName ?? 'the version it was copied from'}’`,
      empty: options.changes.length === 0 ? 'Nothing changed yet: every value is as in the version it was copied from.' : null,
      rows: options.changes.map((change): TableCell[] => [
        { text: change.what },
        { text: change.before },
        { text: change.now },
        { text: change.change },
      ]),
    },
    deleteLink: isDraft ? { href: `${base}/delete`, text: 'Delete this draft' } : null,
    settings: [
      { key: 'Name', value: definition.name, actions: change('name', 'name') },
      { key: 'Minimum points for a budget', value: points(definition.minimumPoints), actions: change('minimumPoints', 'minimum points') },
      { key: 'Floor (smallest budget a year)', value: floorText(definition.floorPence), actions: change('floor', 'floor') },
      { key: 'Ceiling (above this goes to panel)', value: formatPence(definition.ceilingPence), actions: change('ceiling', 'ceiling') },
    ] satisfies SummaryRow[],
    prices: pricedClientGroups.map((group): TableCell[] => [
      { text: clientGroupLabels[group] },
      { text: formatPence(definition.pricePoints[group]), numeric: true },
    ]),
    changePricesLink: isDraft ? { href: `${base}/settings#price-${pricedClientGroups[0]}`, text: 'Change the price points' } : null,
    domainsText: `${counts.questionCount} questions in ${counts.domainCount} domains. The highest possible score is ${points(counts.highestScore)}.`,
    domains: definition.domains.map((domain, index): TableCell[] => {
      const href = `${base}/domains/${index + 1}`;
      const versionField = { version: String(version.version) };
      const move = (direction: 'up' | 'down', text: string) => ({
        button: { action: `${href}/move`, text, hiddenText: `move ${domain.title} ${direction}`, fields: { ...versionField, direction } },
      });
      const cells: TableCell[] = [
        { ...(isDraft ? { link: { href, text: domain.title } } : { text: domain.title }), secondary: `Key: ${domain.key}` },
        { text: String(domain.questions.length), numeric: true },
        { text: String(highestPoints(domain.questions)), numeric: true },
      ];
      if (!isDraft) return cells;
      return [
        ...cells,
        {
          nowrap: true,
          actions: [
            ...(index > 0 ? [move('up', 'Up')] : []),
            ...(index < lastDomain ? [move('down', 'Down')] : []),
            { button: { action: `${href}/remove`, text: 'Remove', hiddenText: domain.title, fields: versionField } },
          ],
        },
      ];
    }),
    addDomainLink: isDraft ? { href: `${base}/domains/new`, text: 'Add a domain' } : null,
    adjustments: definition.adjustments.map((adjustment) => ({
      caption: adjustment.text,
      rows: adjustment.options.map((option): TableCell[] => [
        { text: option.label },
        { text: option.key },
        { text: signedPercent(option.percent), numeric: true },
      ]),
    })),
    changeAdjustmentsLink: isDraft ? { href: `${base}/adjustments`, text: 'Change the adjustments' } : null,
    carerBands: definition.carerBands.map((band): TableCell[] => [
      { text: `${band.minPoints} to ${band.maxPoints}` },
      { text: formatPence(band.annualPence), numeric: true },
    ]),
    changeCarerBandsLink: isDraft ? { href: `${base}/carer-bands`, text: 'Change the carer bands' } : null,
  };
}

/* ---------- Problems found by validateDefinition, at the fields that caused them ---------- */

/** "domains[2].questions[0].key" as ['domains', 2, 'questions', 0, 'key']. */
export function pathSegments(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const match of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[1] !== undefined) segments.push(match[1]);
  }
  return segments;
}

/** Where a problem shows on the page: a field id, or undefined when the page has no field for it. */
export type ProblemAnchor = (segments: (string | number)[]) => string | undefined;

/**
 * Every problem goes in the error summary (an admin fixing an import wants the whole list);
 * the first problem for a field also shows next to it. A problem this page has no field for
 * links to `fallbackAnchor`.
 */
export function formErrorsFromProblems(problems: Problem[], anchorOf: ProblemAnchor, fallbackAnchor: string): FormErrors {
  const fields: Record<string, string> = {};
  const summary: ErrorSummaryItem[] = [];
  for (const problem of problems) {
    const anchor = anchorOf(pathSegments(problem.path));
    if (anchor !== undefined && fields[anchor] === undefined) fields[anchor] = problem.message;
    summary.push({ text: problem.message, href: `#${anchor ?? fallbackAnchor}` });
  }
  return { summary, fields };
}

/** Problems that no field of the page can show, all linked to one place on it. */
export function problemsAt(problems: Problem[], anchor: string): FormErrors {
  return formErrorsFromProblems(problems, () => undefined, anchor);
}

/** "domains[2].questions[0]: message": an import lists every problem with where it is, as `ras validate` does. */
export function importErrors(problems: Problem[]): FormErrors {
  return {
    summary: problems.map((problem) => ({ text: `${problem.path ? `${problem.path}: ` : ''}${problem.message}`, href: '#definition' })),
    fields: {
      definition: `The definition has ${problems.length} problem${problems.length === 1 ? '' : 's'}, listed at the top of the page`,
    },
  };
}

const settingsFields: Record<string, string> = {
  name: 'name',
  minimumPoints: 'minimumPoints',
  floorPence: 'floor',
  ceilingPence: 'ceiling',
};

export const settingsAnchor: ProblemAnchor = ([first, second]) => {
  if (first === 'pricePoints') {
    return typeof second === 'string' && (pricedClientGroups as readonly string[]).includes(second)
      ? `price-${second}`
      : `price-${pricedClientGroups[0]}`;
  }
  return typeof first === 'string' ? settingsFields[first] : undefined;
};

/**
 * Field ids of a list of questions (or adjustments) and their options: `questions-3-key`,
 * `questions-3-options-1-points`. `listPath` is where the list sits in the definition
 * (['domains', 2, 'questions'] or ['adjustments']); `items` is the list as validated, after
 * any move, so a problem's position finds the row the admin typed it in.
 */
export function listAnchor(
  listPath: (string | number)[],
  items: ItemInput[],
  prefix: string,
  valueName: ValueName,
  ownFields: Record<string, string> = {},
): ProblemAnchor {
  return (segments) => {
    const matchesList = listPath.every((segment, index) => segments[index] === segment);
    const ownPathLength = listPath.length - 1;
    if (!matchesList) {
      // A problem with the domain itself (its key or title), one level above its questions.
      const owner = listPath.slice(0, ownPathLength);
      if (owner.length > 0 && owner.every((segment, index) => segments[index] === segment) && segments.length === ownPathLength + 1) {
        return ownFields[String(segments[ownPathLength])];
      }
      return undefined;
    }
    const rest = segments.slice(listPath.length);
    const firstItem = items[0]?.formIndex ?? 0;
    if (rest.length === 0) return `${prefix}-${firstItem}-key`;
    const item = items[Number(rest[0])];
    if (!item) return undefined;
    const itemId = `${prefix}-${item.formIndex}`;
    if (rest.length === 1) return `${itemId}-key`;
    if (rest[1] !== 'options') return `${itemId}-${String(rest[1])}`;
    const firstOption = item.options[0]?.formIndex ?? 0;
    if (rest.length === 2) return `${itemId}-options-${firstOption}-label`;
    const option = item.options[Number(rest[2])];
    if (!option) return undefined;
    const field = rest[3] === undefined ? 'key' : rest[3] === 'points' || rest[3] === 'percent' ? valueName : String(rest[3]);
    return `${itemId}-options-${option.formIndex}-${field}`;
  };
}

export function carerBandsAnchor(bands: CarerBandInput[]): ProblemAnchor {
  const fields: Record<string, string> = { minPoints: 'minPoints', maxPoints: 'maxPoints', annualPence: 'annual' };
  return ([first, index, field]) => {
    if (first !== 'carerBands') return undefined;
    const band = typeof index === 'number' ? bands[index] : bands[0];
    if (!band) return undefined;
    return `bands-${band.formIndex}-${typeof field === 'string' ? (fields[field] ?? 'minPoints') : 'minPoints'}`;
  };
}

export function effectiveDateTooEarlyErrors(earliest: string): FormErrors {
  return singleError(
    'effectiveFrom',
    `The date this version takes effect must be on or after ${formatDate(earliest)}, when the current RAS took effect`,
    'effectiveFrom-day',
  );
}

/* ---------- The editor's forms ---------- */

type FormState = { values: Record<string, unknown>; errors: FormErrors };
const heading = (version: Pick<RasVersion, 'id' | 'name'>) => ({ caption: version.name, base: versionPath(version.id) });

export function settingsFormView(version: RasVersion, state: FormState) {
  return {
    ...heading(version),
    ...state,
    prices: pricedClientGroups.map((group) => ({ name: `price-${group}`, label: `${clientGroupLabels[group]}: price for a point a year` })),
  };
}

/** One list of the editor: a domain's questions, or the adjustments; each with its options. */
type ListForm = { prefix: 'questions' | 'adjustments'; valueName: ValueName; valueLabel: string; noun: 'question' | 'adjustment' };
const questionList: ListForm = { prefix: 'questions', valueName: 'points', valueLabel: 'Points', noun: 'question' };
const adjustmentList: ListForm = { prefix: 'adjustments', valueName: 'percent', valueLabel: 'Percent', noun: 'adjustment' };

const blankOption = (option: TypedItem['options'][number]) => !option.key && !option.label && !option.value;
const blankItem = (item: TypedItem) => !item.key && !item.text && !item.hint && item.options.every(blankOption);

/** An input in a table cell, labelled for screen readers by what the column and row say to sighted users. */
type CellInput = { id: string; label: string; value: string; error?: string; classes: string; inputmode?: string };
type RemoveBox = { id: string; checked: boolean; text: string; context: string };
/** A move button: it saves everything typed, then moves one row. */
type MoveButton = { value: string; text: string; hiddenText?: string };
export type InputCell = { input?: CellInput; remove?: RemoveBox; moves?: MoveButton[]; nowrap?: boolean };

/**
 * Every row is a field of one form: "Save changes" and every move button save everything typed,
 * so a move never loses an edit. A blank row adds an option, the blank block at the end adds an
 * item, and "Remove" ticks take rows out when the form is saved.
 */
function itemsEditorView(typed: TypedItem[], errors: FormErrors, list: ListForm) {
  const items = withBlankRows(typed);
  const lastIndex = items.length - 1;
  const lastToMove = lastIndex - (items[lastIndex] && blankItem(items[lastIndex]) ? 1 : 0);
  const f = errors.fields;
  return items.map((item, i) => {
    const id = `${list.prefix}-${i}`;
    const adding = i === lastIndex && blankItem(item);
    const name = adding ? `the new ${list.noun}` : `${list.noun} ${i + 1}`;
    const input = (field: string) => ({ id: `${id}-${field}`, name: `${id}-${field}`, error: f[`${id}-${field}`] });
    return {
      id,
      legend: adding
        ? `Add ${list.noun === 'adjustment' ? 'an adjustment' : 'a question'} (optional)`
        : `${capitalise(list.noun)} ${i + 1}`,
      text: { ...input('text'), label: list.noun === 'question' ? 'Question' : 'Question the adjustment asks', value: item.text },
      hint: { ...input('hint'), label: 'Hint (optional)', hint: 'Shown under the question to help the person answer', value: item.hint },
      key: {
        ...input('key'),
        label: 'Key',
        hint: 'Names the answer in the data and in exports. Start with a letter; use letters, digits, hyphens and underscores.',
        value: item.key,
        classes: 'govuk-input--width-20',
        spellcheck: false,
      },
      options: {
        caption: `Answers to ${name}`,
        head: [
          { text: 'Answer the person sees' },
          { text: 'Key' },
          { text: list.valueLabel },
          { text: 'Remove' },
          ...(adding ? [] : [{ text: 'Order' }]),
        ],
        rows: item.options.map((option, j): InputCell[] => {
          const optionId = `${id}-options-${j}`;
          const optionName = `option ${j + 1} of ${name}`;
          const blank = blankOption(option);
          const next = item.options[j + 1];
          const cell = (field: string, label: string, value: string, classes: string, inputmode?: string): InputCell => ({
            input: {
              id: `${optionId}-${field}`,
              label: `${label}, ${optionName}`,
              value,
              error: f[`${optionId}-${field}`],
              classes,
              inputmode,
            },
          });
          const cells = [
            cell('label', 'Answer the person sees', option.label, 'govuk-input--width-30'),
            cell('key', 'Key', option.key, 'govuk-input--width-10'),
            cell(list.valueName, list.valueLabel, option.value, 'govuk-input--width-4', 'numeric'),
            blank ? {} : { remove: { id: `${optionId}-remove`, checked: option.remove, text: 'Remove', context: optionName } },
          ];
          if (adding) return cells;
          const moves: MoveButton[] = blank
            ? []
            : [
                ...(j > 0 ? [{ value: `option-up-${i}-${j}`, text: 'Up', hiddenText: `move ${optionName} up` }] : []),
                ...(next && !blankOption(next)
                  ? [{ value: `option-down-${i}-${j}`, text: 'Down', hiddenText: `move ${optionName} down` }]
                  : []),
              ];
          return [...cells, { moves, nowrap: true }];
        }),
      },
      remove: adding
        ? null
        : { id: `${id}-remove`, checked: item.remove, text: `Remove this ${list.noun}`, context: `(${list.noun} ${i + 1})` },
      moves: adding
        ? []
        : [
            ...(i > 0 ? [{ value: `item-up-${i}`, text: `Move ${list.noun} ${i + 1} up` }] : []),
            ...(i < lastToMove ? [{ value: `item-down-${i}`, text: `Move ${list.noun} ${i + 1} down` }] : []),
          ],
    };
  });
}

export function domainFormView(
  version: RasVersion,
  page: {
    number: number;
    isNew: boolean;
    values: { key: string; title: string; version: unknown };
    items: TypedItem[];
    errors: FormErrors;
  },
) {
  const { base } = heading(version);
  return {
    ...heading(version),
    heading: page.isNew ? 'Add a domain' : `Domain ${page.number}: ${page.values.title || 'untitled'}`,
    action: `${base}/domains/${page.isNew ? 'new' : page.number}`,
    values: page.values,
    errors: page.errors,
    items: itemsEditorView(page.items, page.errors, questionList),
  };
}

export function adjustmentsFormView(version: RasVersion, page: { version: unknown; items: TypedItem[]; errors: FormErrors }) {
  return {
    ...heading(version),
    formVersion: page.version,
    errors: page.errors,
    items: itemsEditorView(page.items, page.errors, adjustmentList),
  };
}

export function carerBandsFormView(version: RasVersion, page: { version: unknown; bands: TypedBand[]; errors: FormErrors }) {
  const f = page.errors.fields;
  return {
    ...heading(version),
    formVersion: page.version,
    errors: page.errors,
    rows: withBlankBand(page.bands).map((band, i): InputCell[] => {
      const id = `bands-${i}`;
      const name = `carer band ${i + 1}`;
      const blank = !band.minPoints && !band.maxPoints && !band.annual;
      const cell = (field: string, label: string, value: string, classes: string, inputmode: string): InputCell => ({
        input: { id: `${id}-${field}`, label, value, error: f[`${id}-${field}`], classes, inputmode },
      });
      return [
        cell('minPoints', `Lowest points of ${name}`, band.minPoints, 'govuk-input--width-4', 'numeric'),
        cell('maxPoints', `Highest points of ${name}`, band.maxPoints, 'govuk-input--width-4', 'numeric'),
        cell('annual', `Amount a year in pounds, ${name}`, band.annual, 'govuk-input--width-10', 'decimal'),
        blank ? {} : { remove: { id: `${id}-remove`, checked: band.remove, text: 'Remove', context: name } },
      ];
    }),
  };
}

/** What is being published, in a few lines, so nobody publishes blind. */
function definitionSummaryRows(definition: RasDefinition): SummaryRow[] {
  const counts = definitionCounts(definition);
  return [
    { key: 'Name', value: definition.name },
    { key: 'Questions', value: `${counts.questionCount} in ${counts.domainCount} domains, highest score ${counts.highestScore} points` },
    { key: 'Minimum points', value: String(definition.minimumPoints) },
    { key: 'Floor', value: floorText(definition.floorPence) },
    { key: 'Ceiling', value: formatPence(definition.ceilingPence) },
    ...pricedClientGroups.map((group) => ({
      key: `Price a point: ${clientGroupLabels[group].toLowerCase()}`,
      value: formatPence(definition.pricePoints[group]),
    })),
    {
      key: 'Adjustments',
      value: definition.adjustments.length ? definition.adjustments.map((adjustment) => adjustment.text).join('; ') : 'None',
    },
    {
      key: 'Carer bands',
      value: definition.carerBands.length
        ? definition.carerBands.map((band) => `${band.minPoints} to ${band.maxPoints}: ${formatPence(band.annualPence)}`).join('; ')
        : 'None',
    },
  ];
}

export function publishView(version: RasVersion, definition: RasDefinition, impact: ImpactView, state: FormState) {
  return {
    ...heading(version),
    caption: `RAS version ${version.id}`,
    name: version.name,
    summary: definitionSummaryRows(definition),
    impactHeadline: impact.headline,
    ...state,
  };
}

export function deleteView(version: RasVersion) {
  return { ...heading(version), caption: `RAS version ${version.id}`, name: version.name, version: version.version };
}

/* ---------- The one 409 page: the editor's fields by the labels the forms show ---------- */

export const settingsFieldLabels: FieldLabels = {
  name: { label: 'Name' },
  minimumPoints: { label: 'Minimum points for a budget' },
  floor: { label: 'Floor' },
  ceiling: { label: 'Ceiling' },
  ...Object.fromEntries(
    pricedClientGroups.map((group) => [`price-${group}`, { label: `${clientGroupLabels[group]}: price for a point a year` }]),
  ),
};

export const publishFieldLabels: FieldLabels = { effectiveFrom: { label: 'When this version takes effect' } };
export const importFieldLabels: FieldLabels = { definition: { label: 'RAS definition (JSON)' } };

const ticked = { yes: 'Yes' };

/** The rows among fields named `<prefix>-<n>-...`, in order, each with the options named under it (`-options-<m>-`). */
function rowsNamed(names: Iterable<string>, prefix: string): [number, number[]][] {
  const pattern = new RegExp(`^${prefix}-(\\d{1,3})-(?:options-(\\d{1,3})-)?`);
  const rows = new Map<number, Set<number>>();
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    const options = rows.get(Number(match[1])) ?? new Set<number>();
    if (match[2] !== undefined) options.add(Number(match[2]));
    rows.set(Number(match[1]), options);
  }
  const ascending = (a: number, b: number) => a - b;
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([row, options]) => [row, [...options].sort(ascending)]);
}

/** A list's fields in the order the form shows them: "Question 2", "Question 2, answer 1: points". */
function listFieldLabels(list: ListForm, names: Iterable<string>): FieldLabels {
  const labels: FieldLabels = {};
  for (const [row, options] of rowsNamed(names, list.prefix)) {
    const id = `${list.prefix}-${row}`;
    const owner = `${capitalise(list.noun)} ${row + 1}`;
    labels[`${id}-text`] = { label: owner };
    labels[`${id}-hint`] = { label: `${owner}: hint` };
    labels[`${id}-key`] = { label: `${owner}: key` };
    labels[`${id}-remove`] = { label: `Remove ${list.noun} ${row + 1}`, choices: ticked };
    for (const option of options) {
      const optionId = `${id}-options-${option}`;
      const answer = `${owner}, answer ${option + 1}`;
      labels[`${optionId}-label`] = { label: answer };
      labels[`${optionId}-key`] = { label: `${answer}: key` };
      labels[`${optionId}-${list.valueName}`] = { label: `${answer}: ${list.valueLabel.toLowerCase()}` };
      labels[`${optionId}-remove`] = { label: `Remove ${answer.toLowerCase()}`, choices: ticked };
    }
  }
  return labels;
}

/** A stored list as the form's flat fields, to show beside what was typed. */
function listFormValues(list: ListForm, items: TypedItem[]): Record<string, string> {
  const values: Record<string, string> = {};
  items.forEach((item, i) => {
    const id = `${list.prefix}-${i}`;
    Object.assign(values, { [`${id}-text`]: item.text, [`${id}-hint`]: item.hint, [`${id}-key`]: item.key });
    item.options.forEach((option, j) => {
      const optionId = `${id}-options-${j}`;
      Object.assign(values, {
        [`${optionId}-label`]: option.label,
        [`${optionId}-key`]: option.key,
        [`${optionId}-${list.valueName}`]: option.value,
      });
    });
  });
  return values;
}

type Conflict = { fields: FieldLabels; savedNow?: Record<string, unknown> };

export function settingsConflict(definition: RasDefinition | undefined, version: number): Conflict {
  return { fields: settingsFieldLabels, ...(definition ? { savedNow: settingsValuesOf(definition, version, penceForInput) } : {}) };
}

export function domainConflict(typed: Record<string, unknown>, domain: RasDefinition['domains'][number] | undefined): Conflict {
  const savedNow = domain
    ? { title: domain.title, key: domain.key, ...listFormValues(questionList, typedItemsOf(domain.questions)) }
    : undefined;
  return {
    fields: {
      title: { label: 'Title' },
      key: { label: 'Key' },
      ...listFieldLabels(questionList, [...Object.keys(typed), ...Object.keys(savedNow ?? {})]),
    },
    ...(savedNow ? { savedNow } : {}),
  };
}

export function adjustmentsConflict(typed: Record<string, unknown>, definition: RasDefinition): Conflict {
  const savedNow = listFormValues(adjustmentList, typedItemsOf(definition.adjustments));
  return { fields: listFieldLabels(adjustmentList, [...Object.keys(typed), ...Object.keys(savedNow)]), savedNow };
}

export function carerBandsConflict(typed: Record<string, unknown>, definition: RasDefinition): Conflict {
  const savedNow: Record<string, string> = {};
  definition.carerBands.forEach((band, i) => {
    Object.assign(savedNow, {
      [`bands-${i}-minPoints`]: String(band.minPoints),
      [`bands-${i}-maxPoints`]: String(band.maxPoints),
      [`bands-${i}-annual`]: penceForInput(band.annualPence),
    });
  });
  const fields: FieldLabels = {};
  for (const [row] of rowsNamed([...Object.keys(typed), ...Object.keys(savedNow)], 'bands')) {
    const name = `Carer band ${row + 1}`;
    fields[`bands-${row}-minPoints`] = { label: `${name}: lowest points` };
    fields[`bands-${row}-maxPoints`] = { label: `${name}: highest points` };
    fields[`bands-${row}-annual`] = { label: `${name}: amount a year (£)` };
    fields[`bands-${row}-remove`] = { label: `Remove carer band ${row + 1}`, choices: ticked };
  }
  return { fields, savedNow };
}
