import { formatPence } from '../money.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { pricedClientGroups, type RasDefinition } from './definition.js';

/**
 * Every value a version changes from the one it was copied from, so an admin (and the panel that
 * agrees the change) reads the old and new value side by side instead of comparing two pages.
 * Questions, options and adjustments are matched by key, carer bands by their points range: a key
 * is what assessments store, so a renamed label is not a new question.
 */
export type RasChange = {
  /** What changed, in words an admin recognises ("Points: Washing and dressing, help every day"). */
  what: string;
  before: string;
  now: string;
  /** The difference with its sign ("+2 points", "-£10.00"), or "Added" / "Removed" / "Reworded". */
  change: string;
};

const pointsText = (count: number) => `${count} ${count === 1 ? 'point' : 'points'}`;
const signed = (difference: number, text: string) => `${difference > 0 ? '+' : ''}${difference < 0 ? '-' : ''}${text}`;
const signedPercent = (percent: number) => `${percent > 0 ? '+' : ''}${percent}%`;

function byKey<Item extends { key: string }>(items: readonly Item[]): Map<string, Item> {
  return new Map(items.map((item) => [item.key, item]));
}

function number(what: string, before: number, now: number, show: (value: number) => string): RasChange[] {
  return before === now ? [] : [{ what, before: show(before), now: show(now), change: signed(now - before, show(Math.abs(now - before))) }];
}

function addedOrRemoved(what: string, before: string | undefined, now: string | undefined): RasChange[] {
  if (before === undefined && now !== undefined) return [{ what, before: 'Not asked', now, change: 'Added' }];
  if (before !== undefined && now === undefined) return [{ what, before, now: 'Not asked', change: 'Removed' }];
  return [];
}

function questionChanges(before: RasDefinition, now: RasDefinition): RasChange[] {
  const questionsOf = (definition: RasDefinition) =>
    definition.domains.flatMap((domain) => domain.questions.map((question) => ({ ...question, domainTitle: domain.title })));
  const earlier = byKey(questionsOf(before));
  const later = byKey(questionsOf(now));
  const keys = [...new Set([...earlier.keys(), ...later.keys()])];
  return keys.flatMap((key) => {
    const old = earlier.get(key);
    const current = later.get(key);
    if (!old || !current) {
      const title = (current ?? old)?.domainTitle ?? key;
      const optionsText = (question: typeof old) => question?.options.map((option) => `${option.label} ${option.points}`).join(', ');
      return addedOrRemoved(`Question: ${title}`, optionsText(old), optionsText(current));
    }
    const oldOptions = byKey(old.options);
    const newOptions = byKey(current.options);
    const optionKeys = [...new Set([...oldOptions.keys(), ...newOptions.keys()])];
    return [
      ...(old.text === current.text
        ? []
        : [{ what: `Wording: ${current.domainTitle}`, before: old.text, now: current.text, change: 'Reworded' }]),
      ...optionKeys.flatMap((optionKey) => {
        const was = oldOptions.get(optionKey);
        const is = newOptions.get(optionKey);
        const label = (is ?? was)?.label ?? optionKey;
        if (was && is) return number(`Points: ${current.domainTitle}, ${label}`, was.points, is.points, pointsText);
        return addedOrRemoved(
          `Answer: ${current.domainTitle}, ${label}`,
          was ? pointsText(was.points) : undefined,
          is ? pointsText(is.points) : undefined,
        );
      }),
    ];
  });
}

function adjustmentChanges(before: RasDefinition, now: RasDefinition): RasChange[] {
  const earlier = byKey(before.adjustments);
  const later = byKey(now.adjustments);
  return [...new Set([...earlier.keys(), ...later.keys()])].flatMap((key) => {
    const old = earlier.get(key);
    const current = later.get(key);
    const optionsText = (adjustment: typeof old) =>
      adjustment?.options.map((option) => `${option.label} ${signedPercent(option.percent)}`).join(', ');
    if (!old || !current) return addedOrRemoved(`Adjustment: ${(current ?? old)?.text ?? key}`, optionsText(old), optionsText(current));
    const oldOptions = byKey(old.options);
    const newOptions = byKey(current.options);
    return [...new Set([...oldOptions.keys(), ...newOptions.keys()])].flatMap((optionKey) => {
      const was = oldOptions.get(optionKey);
      const is = newOptions.get(optionKey);
      const what = `Adjustment: ${current.text}, ${(is ?? was)?.label ?? optionKey}`;
      if (was && is)
        return was.percent === is.percent
          ? []
          : [
              {
                what,
                before: signedPercent(was.percent),
                now: signedPercent(is.percent),
                change: `${signed(is.percent - was.percent, String(Math.abs(is.percent - was.percent)))} percentage points`,
              },
            ];
      return addedOrRemoved(what, was ? signedPercent(was.percent) : undefined, is ? signedPercent(is.percent) : undefined);
    });
  });
}

function carerBandChanges(before: RasDefinition, now: RasDefinition): RasChange[] {
  const rangeOf = (band: { minPoints: number; maxPoints: number }) => `${band.minPoints} to ${band.maxPoints} points`;
  const earlier = new Map(before.carerBands.map((band) => [rangeOf(band), band.annualPence]));
  const later = new Map(now.carerBands.map((band) => [rangeOf(band), band.annualPence]));
  return [...new Set([...earlier.keys(), ...later.keys()])].flatMap((range) => {
    const was = earlier.get(range);
    const is = later.get(range);
    const what = `Carer band: ${range}, a year`;
    if (was !== undefined && is !== undefined) return number(what, was, is, formatPence);
    return addedOrRemoved(what, was === undefined ? undefined : formatPence(was), is === undefined ? undefined : formatPence(is));
  });
}

export function rasChanges(before: RasDefinition, now: RasDefinition): RasChange[] {
  return [
    ...number('Minimum points for a budget', before.minimumPoints, now.minimumPoints, pointsText),
    ...number('Floor (smallest budget a year)', before.floorPence, now.floorPence, formatPence),
    ...number('Ceiling (above this goes to panel)', before.ceilingPence, now.ceilingPence, formatPence),
    ...pricedClientGroups.flatMap((group) =>
      number(`Price point: ${clientGroupLabels[group]}, a point a year`, before.pricePoints[group], now.pricePoints[group], formatPence),
    ),
    ...questionChanges(before, now),
    ...adjustmentChanges(before, now),
    ...carerBandChanges(before, now),
  ];
}
