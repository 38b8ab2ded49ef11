import { describe, expect, it } from 'vitest';
import { barChartSvg, niceScale, scatterChartSvg } from '../../src/web/charts.js';

const bar = () =>
  barChartSvg({
    id: 'histogram',
    title: 'How budgets would change',
    description: 'People in each band',
    categoryLabel: 'Change',
    valueLabel: 'Number of people',
    bars: [
      { label: 'Would lose <10%', value: 5 },
      { label: 'No change', value: 10 },
      { label: 'Would gain', value: 0 },
    ],
  });

function attribute(svg: string, tag: string, name: string): number[] {
  return [...svg.matchAll(new RegExp(`<${tag} [^>]*?${name}="([\\d.]+)"`, 'g'))].map((match) => Number(match[1]));
}

describe('bar chart', () => {
  it('is an image named by its title and description', () => {
    const svg = bar();
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="histogram-title histogram-desc"/);
    expect(svg).toContain('<title id="histogram-title">How budgets would change</title>');
    expect(svg).toContain('<desc id="histogram-desc">People in each band</desc>');
  });

  it('labels both axes and every bar, escaping the text', () => {
    const svg = bar();
    expect(svg).toContain('>Change</text>');
    expect(svg).toContain('>Number of people</text>');
    expect(svg).toContain('>Would lose &lt;10%</text>');
    expect(svg).not.toContain('<10%');
  });

  it('draws bars in proportion, and none for zero', () => {
    const widths = attribute(bar(), 'rect', 'width');
    expect(widths).toHaveLength(2);
    expect((widths[1] ?? 0) / (widths[0] ?? 1)).toBeCloseTo(2, 5);
  });

  it('uses no inline styles, which the content security policy would block', () => {
    expect(bar()).not.toMatch(/style=/);
    expect(scatterChartSvg({ id: 's', title: 't', description: 'd', xLabel: 'x', yLabel: 'y', points: [{ x: 1, y: 1 }] })).not.toMatch(
      /style=/,
    );
  });

  it('copes with nothing to show', () => {
    const svg = barChartSvg({
      id: 'empty',
      title: 'Nothing',
      description: 'No people',
      categoryLabel: 'Change',
      valueLabel: 'People',
      bars: [{ label: 'None', value: 0 }],
    });
    expect(svg).not.toContain('NaN');
    expect(svg).not.toContain('<rect');
  });
});

describe('scatter chart', () => {
  const svg = scatterChartSvg({
    id: 'scatter',
    title: 'Approved budgets against points',
    description: 'One dot for each budget',
    xLabel: 'Points',
    yLabel: 'Approved a year',
    points: [
      { x: 40, y: 700_000 },
      { x: 80, y: 1_400_000 },
    ],
    line: { slope: 14_500, label: 'Current RAS' },
    formatY: (pence) => `£${pence / 100}`,
  });

  it('has a title, a description and labelled axes', () => {
    expect(svg).toContain('aria-labelledby="scatter-title scatter-desc"');
    expect(svg).toContain('<title id="scatter-title">Approved budgets against points</title>');
    expect(svg).toContain('>Points</text>');
    expect(svg).toMatch(/rotate\(-90 [^)]*\)">Approved a year<\/text>/);
    expect(svg).toContain('>£0</text>');
  });

  it('draws a dot for every point, inside the plot, higher for more money', () => {
    const cx = attribute(svg, 'circle', 'cx');
    const cy = attribute(svg, 'circle', 'cy');
    expect(cx).toHaveLength(2);
    expect(cx[1]).toBeGreaterThan(cx[0] ?? 0);
    expect(cy[1]).toBeLessThan(cy[0] ?? 0);
    for (const x of cx) expect(x).toBeGreaterThanOrEqual(96);
  });

  it('draws the price line from zero with its label', () => {
    expect(svg).toMatch(/<line x1="96" y1="356" x2="[\d.]+" y2="[\d.]+" stroke="#d4351c"/);
    expect(svg).toContain('>Current RAS</text>');
  });
});

describe('nice scales', () => {
  it.each([
    [0, 1, 1],
    [7, 8, 2],
    [10, 10, 2],
    [23, 25, 5],
    [1_460_000, 1_500_000, 500_000],
  ])('rounds %d up to %d in steps of %d', (max, expectedMax, expectedStep) => {
    expect(niceScale(max)).toEqual({ max: expectedMax, step: expectedStep });
  });
});
