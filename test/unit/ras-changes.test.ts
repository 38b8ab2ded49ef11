import { describe, expect, it } from 'vitest';
import { rasChanges } from '../../src/ras/changes.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import type { RasDefinition } from '../../src/ras/definition.js';

const copy = (): RasDefinition => structuredClone(defaultRasDefinition);

describe('the changes a RAS version makes to the one it was copied from', () => {
  it('finds nothing in an unchanged copy, even under a new name', () => {
    expect(rasChanges(defaultRasDefinition, { ...copy(), name: 'Renamed' })).toEqual([]);
  });

  it('gives each changed setting and price point before and now, with the signed difference', () => {
    const now = copy();
    now.minimumPoints = 10;
    now.ceilingPence = 2_500_000;
    now.pricePoints.older_people = 12_000;
    expect(rasChanges(defaultRasDefinition, now)).toEqual([
      { what: 'Minimum points for a budget', before: '8 points', now: '10 points', change: '+2 points' },
      { what: 'Ceiling (above this goes to panel)', before: '£30,000.00', now: '£25,000.00', change: '-£5,000.00' },
      { what: 'Price point: Older people, a point a year', before: '£110.00', now: '£120.00', change: '+£10.00' },
    ]);
  });

  it('matches answers by key, so a changed score, a new answer, a removed question and new wording each show once', () => {
    const now = copy();
    const [nutrition, hygiene] = now.domains;
    if (!nutrition?.questions[0] || !hygiene?.questions[0]) throw new Error('the default RAS has changed shape');
    const everyDay = nutrition.questions[0].options.find((option) => option.key === 'every_day');
    if (!everyDay) throw new Error('the default RAS has changed shape');
    everyDay.points = 14;
    nutrition.questions[0].options.push({ key: 'tube_feeding', label: 'I am fed by tube', points: 24 });
    hygiene.questions[0].text = 'How much help do you need to wash?';
    now.domains = now.domains.filter((domain) => domain.key !== 'personal_hygiene').concat([hygiene]);
    const safety = now.domains.find((domain) => domain.key !== 'nutrition' && domain.key !== 'personal_hygiene');
    now.domains = now.domains.filter((domain) => domain !== safety);

    const changes = rasChanges(defaultRasDefinition, now);
    expect(changes).toContainEqual({
      what: 'Points: Managing and maintaining nutrition, I need help every day',
      before: '12 points',
      now: '14 points',
      change: '+2 points',
    });
    expect(changes).toContainEqual({
      what: 'Answer: Managing and maintaining nutrition, I am fed by tube',
      before: 'Not asked',
      now: '24 points',
      change: 'Added',
    });
    expect(changes).toContainEqual({
      what: 'Wording: Maintaining personal hygiene',
      before: 'How much help do you need to keep yourself clean?',
      now: 'How much help do you need to wash?',
      change: 'Reworded',
    });
    expect(changes.filter((change) => change.change === 'Removed')).toEqual([
      expect.objectContaining({ what: `Question: ${safety?.title}`, now: 'Not asked' }),
    ]);
    expect(changes).toHaveLength(4);
  });

  it('shows a changed adjustment in percentage points and a changed carer band in pounds a year', () => {
    const now = copy();
    const some = now.adjustments[0]?.options.find((option) => option.percent === -10);
    const firstBand = now.carerBands[0];
    if (!some || !firstBand) throw new Error('the default RAS has changed shape');
    some.percent = -15;
    firstBand.annualPence = 30_000;
    const changes = rasChanges(defaultRasDefinition, now);
    expect(changes).toEqual([
      expect.objectContaining({ before: '-10%', now: '-15%', change: '-5 percentage points' }),
      { what: 'Carer band: 8 to 24 points, a year', before: '£250.00', now: '£300.00', change: '+£50.00' },
    ]);
  });
});
