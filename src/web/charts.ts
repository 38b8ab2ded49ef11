import { escapeHtml } from './format.js';

/**
 * Server-rendered SVG charts. Every chart is an image with a title and a description (role="img"
 * with aria-labelledby, so a screen reader reads those and skips the shapes), has labelled axes,
 * and is drawn with presentation attributes only: the CSP allows no inline styles. A chart never
 * stands alone: the page shows the same figures as a table next to it (views/partials/chart.ejs).
 */

export type ChartText = { id: string; title: string; description: string };

export type BarChart = ChartText & {
  /** Says what the bars are, above the category labels, e.g. "Change in yearly budget". */
  categoryLabel: string;
  /** Says what the length of a bar measures, under the axis, e.g. "Number of people". */
  valueLabel: string;
  bars: { label: string; value: number }[];
  formatValue?: (value: number) => string;
};

export type ScatterChart = ChartText & {
  xLabel: string;
  yLabel: string;
  points: { x: number; y: number }[];
  /** A line through the origin, y = slope * x, e.g. the current price per point. */
  line?: { slope: number; label: string };
  formatX?: (value: number) => string;
  formatY?: (value: number) => string;
};

const colours = {
  text: '#0b0c0c',
  secondaryText: '#505a5f',
  grid: '#b1b4b6',
  bar: '#1d70b8',
  point: '#1d70b8',
  line: '#d4351c',
};

const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const plain = (value: number) => wholeNumber.format(value);

/** A round step for about `count` ticks up to `max`: 1, 2, 2.5 or 5 times a power of ten. */
export function niceScale(max: number, count = 5): { max: number; step: number } {
  if (!(max > 0) || !Number.isFinite(max)) return { max: 1, step: 1 };
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough) ?? 10 * power;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

function ticks(scale: { max: number; step: number }): number[] {
  const values: number[] = [];
  for (let index = 0; index * scale.step <= scale.max + scale.step / 1e6; index += 1) values.push(index * scale.step);
  return values;
}

/** Numbers in SVG coordinates: two decimals is finer than any screen and keeps the markup short. */
function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function open(chart: ChartText, width: number, height: number): string {
  const id = escapeHtml(chart.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc"` +
    ` viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="arial, sans-serif" font-size="14" fill="${colours.text}">` +
    `<title id="${id}-title">${escapeHtml(chart.title)}</title><desc id="${id}-desc">${escapeHtml(chart.description)}</desc>`
  );
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${n(x)}" y="${n(y)}"${attributes ? ` ${attributes}` : ''}>${escapeHtml(content)}</text>`;
}

/** Horizontal bars, so that long category names ("Would lose more than 50%") stay readable. */
export function barChartSvg(chart: BarChart): string {
  const format = chart.formatValue ?? plain;
  const longestLabel = Math.max(0, ...chart.bars.map((bar) => bar.label.length));
  const left = Math.min(320, Math.max(120, 16 + longestLabel * 7.4));
  const width = 720;
  const right = 72;
  const top = 36;
  const rowHeight = 30;
  const plotHeight = Math.max(1, chart.bars.length) * rowHeight;
  const bottom = 56;
  const height = top + plotHeight + bottom;
  const plotWidth = width - left - right;
  const scale = niceScale(Math.max(0, ...chart.bars.map((bar) => bar.value)));
  const x = (value: number) => left + (Math.max(0, value) / scale.max) * plotWidth;

  const parts = [open(chart, width, height)];
  parts.push(text(left - 8, top - 14, chart.categoryLabel, 'text-anchor="end" font-weight="bold"'));
  for (const tick of ticks(scale)) {
    parts.push(
      `<line x1="${n(x(tick))}" y1="${top}" x2="${n(x(tick))}" y2="${top + plotHeight}" stroke="${colours.grid}" stroke-width="1"/>`,
    );
    parts.push(text(x(tick), top + plotHeight + 18, format(tick), `text-anchor="middle" fill="${colours.secondaryText}"`));
  }
  chart.bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    parts.push(text(left - 8, y + rowHeight / 2 + 5, bar.label, 'text-anchor="end"'));
    const barWidth = x(bar.value) - left;
    if (barWidth > 0)
      parts.push(`<rect x="${left}" y="${n(y + 5)}" width="${n(barWidth)}" height="${rowHeight - 10}" fill="${colours.bar}"/>`);
    parts.push(text(x(bar.value) + 6, y + rowHeight / 2 + 5, format(bar.value)));
  });
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="${colours.text}" stroke-width="1"/>`);
  parts.push(text(left + plotWidth / 2, height - 12, chart.valueLabel, 'text-anchor="middle" font-weight="bold"'));
  parts.push('</svg>');
  return parts.join('');
}

/** Points with an optional line through the origin; both axes start at zero. */
export function scatterChartSvg(chart: ScatterChart): string {
  const formatX = chart.formatX ?? plain;
  const formatY = chart.formatY ?? plain;
  const width = 720;
  const height = 420;
  const left = 96;
  const right = 24;
  const top = 24;
  const bottom = 64;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const xScale = niceScale(Math.max(0, ...chart.points.map((point) => point.x)));
  const yScale = niceScale(
    Math.max(0, ...chart.points.map((point) => point.y), chart.line ? chart.line.slope * Math.max(0, ...chart.points.map((p) => p.x)) : 0),
  );
  const x = (value: number) => left + (Math.max(0, value) / xScale.max) * plotWidth;
  const y = (value: number) => top + plotHeight - (Math.max(0, value) / yScale.max) * plotHeight;

  const parts = [open(chart, width, height)];
  for (const tick of ticks(yScale)) {
    parts.push(
      `<line x1="${left}" y1="${n(y(tick))}" x2="${left + plotWidth}" y2="${n(y(tick))}" stroke="${colours.grid}" stroke-width="1"/>`,
    );
    parts.push(text(left - 8, y(tick) + 5, formatY(tick), `text-anchor="end" fill="${colours.secondaryText}"`));
  }
  for (const tick of ticks(xScale)) {
    parts.push(
      `<line x1="${n(x(tick))}" y1="${top + plotHeight}" x2="${n(x(tick))}" y2="${top + plotHeight + 5}" stroke="${colours.text}" stroke-width="1"/>`,
    );
    parts.push(text(x(tick), top + plotHeight + 20, formatX(tick), `text-anchor="middle" fill="${colours.secondaryText}"`));
  }
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotHeight}" stroke="${colours.text}" stroke-width="1"/>`);
  parts.push(
    `<line x1="${left}" y1="${top + plotHeight}" x2="${left + plotWidth}" y2="${top + plotHeight}" stroke="${colours.text}" stroke-width="1"/>`,
  );
  for (const point of chart.points) {
    parts.push(`<circle cx="${n(x(point.x))}" cy="${n(y(point.y))}" r="4" fill="${colours.point}" fill-opacity="0.55"/>`);
  }
  if (chart.line && chart.line.slope > 0) {
    // The line stops where it leaves the plot, at the top or at the right, whichever comes first.
    const endX = Math.min(xScale.max, yScale.max / chart.line.slope);
    parts.push(
      `<line x1="${n(x(0))}" y1="${n(y(0))}" x2="${n(x(endX))}" y2="${n(y(endX * chart.line.slope))}" stroke="${colours.line}" stroke-width="3"/>`,
    );
    parts.push(text(left + 12, top + 18, chart.line.label, `fill="${colours.line}" font-weight="bold"`));
  }
  parts.push(text(left + plotWidth / 2, height - 16, chart.xLabel, 'text-anchor="middle" font-weight="bold"'));
  parts.push(
    text(
      18,
      top + plotHeight / 2,
      chart.yLabel,
      `text-anchor="middle" font-weight="bold" transform="rotate(-90 18 ${n(top + plotHeight / 2)})"`,
    ),
  );
  parts.push('</svg>');
  return parts.join('');
}
