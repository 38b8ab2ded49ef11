import { lastDayOfMonth } from '../calendar.js';

/**
 * The return covers one quarter of the council's financial year, which starts in April: 2026-27 Q2
 * is July to September 2026. Staff write quarters that way, so the app reads and shows them so.
 */
export type Quarter = {
  /** The year the financial year starts in: 2026 for 2026-27. */
  year: number;
  quarter: 1 | 2 | 3 | 4;
  /** First and last days, 'YYYY-MM-DD'. */
  start: string;
  end: string;
};

const iso = (year: number, month: number, day: number) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export function quarterOf(year: number, quarter: 1 | 2 | 3 | 4): Quarter {
  // Q1 is April to June; Q4 is January to March of the next calendar year.
  const firstMonth = ((quarter - 1) * 3 + 3) % 12;
  const calendarYear = quarter === 4 ? year + 1 : year;
  const lastMonth = firstMonth + 3;
  return {
    year,
    quarter,
    start: iso(calendarYear, firstMonth + 1, 1),
    end: iso(calendarYear, lastMonth, lastDayOfMonth(calendarYear, lastMonth)),
  };
}

/** "2026-27 Q2" */
export function quarterLabel(quarter: Quarter): string {
  return `${quarter.year}-${String((quarter.year + 1) % 100).padStart(2, '0')} Q${quarter.quarter}`;
}

/** The quarter a day falls in. */
export function quarterContaining(day: string): Quarter {
  const [year, month] = day.split('-').map(Number) as [number, number];
  const monthsIntoYear = (month + 8) % 12; // April is 0, March is 11
  const startYear = month >= 4 ? year : year - 1;
  return quarterOf(startYear, (Math.floor(monthsIntoYear / 3) + 1) as 1 | 2 | 3 | 4);
}

/** The quarter before: the one a council is usually preparing its return for. */
export function previousQuarter(quarter: Quarter): Quarter {
  return quarter.quarter === 1 ? quarterOf(quarter.year - 1, 4) : quarterOf(quarter.year, (quarter.quarter - 1) as 1 | 2 | 3);
}
