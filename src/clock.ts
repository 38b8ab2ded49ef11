/** Injected wherever "today" matters, so tests can stand on a date boundary. */
export type Clock = { now: () => Date };

export const systemClock: Clock = { now: () => new Date() };

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Europe/London as YYYY-MM-DD: the council's "today". */
export function londonToday(clock: Clock): string {
  return londonDate.format(clock.now());
}
