/**
 * Process timeliness ("process creep"): how many days people wait from asking for help (their
 * support request, the referral) to each step of the journey. Quarters are the council's
 * financial-year quarters (April to June is the first), which fall on calendar quarters.
 */

import { MONTH_NAMES } from '../calendar.js';

/** The steps measured from the referral, in the order a journey reaches them. */
export const timelinessStages = ['assessment', 'plan', 'sign_off', 'first_review'] as const;
export type TimelinessStage = (typeof timelinessStages)[number];

export const timelinessStageLabels: Record<TimelinessStage, string> = {
  assessment: 'Referral to assessment submitted',
  plan: 'Referral to support plan submitted',
  sign_off: 'Referral to budget signed off',
  first_review: 'Referral to first review completed',
};

/** How many quarters the report covers: the current one and the three before it, a year of trend. */
export const TIMELINESS_QUARTERS = 4;

/** The first day of the quarter a date is in: '2026-05-20' is in the quarter from '2026-04-01'. */
export function quarterStart(iso: string): string {
  const year = iso.slice(0, 4);
  const month = Number(iso.slice(5, 7));
  const first = month - ((month - 1) % 3);
  return `${year}-${String(first).padStart(2, '0')}-01`;
}

/** The first day of the quarter `count` quarters after (or, negative, before) the one starting `start`. */
export function addQuarters(start: string, count: number): string {
  const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + count * 3;
  return `${Math.floor(months / 12)}-${String((months % 12) + 1).padStart(2, '0')}-01`;
}

/** The quarters the report covers, oldest first, ending with the one `today` is in. */
export function reportQuarters(today: string): string[] {
  const current = quarterStart(today);
  return Array.from({ length: TIMELINESS_QUARTERS }, (_, index) => addQuarters(current, index - (TIMELINESS_QUARTERS - 1)));
}

/** "April to June 2026": a quarter as staff name it, with no Q1/Q2 numbering to confuse calendar and financial years. */
export function quarterLabel(start: string): string {
  const month = Number(start.slice(5, 7)) - 1;
  return `${MONTH_NAMES[month] as string} to ${MONTH_NAMES[month + 2] as string} ${start.slice(0, 4)}`;
}
