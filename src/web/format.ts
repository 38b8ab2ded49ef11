import { writtenCalendarDate } from '../calendar.js';

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
  timeZone: 'Europe/London',
});

const countFormat = new Intl.NumberFormat('en-GB');

/** A whole number as staff read it, with commas from a thousand up: "12,500". */
export const formatCount = (count: number): string => countFormat.format(count);

/** A calendar date ('YYYY-MM-DD') as "3 March 2026"; calendar dates have no time zone. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? writtenCalendarDate(iso) : '';
}

/** An instant as London time: "3 March 2026 at 2:05pm". */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const parts = dateTimeFormat.formatToParts(new Date(value));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')} at ${get('hour')}:${get('minute')}${get('dayPeriod').toLowerCase().replaceAll('.', '')}`;
}

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** For the charts, which are drawn as SVG text (src/web/charts.ts). */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (character) => htmlEscapes[character] ?? character);
}
