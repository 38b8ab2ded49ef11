import { describe, expect, it } from 'vitest';
import { figureDates, RETURN_DAYS_ALLOWED } from '../../src/direct-payments/figures-repo.js';

describe('the quarter whose account returns are overdue', () => {
  it(`is not the one just ended until ${RETURN_DAYS_ALLOWED} days have passed, and is from the day after`, () => {
    // 31 March plus 28 days is 28 April.
    expect(figureDates('2026-04-28').overdueQuarterEnd).toBe('2025-12-31');
    expect(figureDates('2026-04-29').overdueQuarterEnd).toBe('2026-03-31');
  });

  it('stays on that quarter until the next has been over for as long', () => {
    expect(figureDates('2026-06-30').overdueQuarterEnd).toBe('2026-03-31');
    expect(figureDates('2026-07-28').overdueQuarterEnd).toBe('2026-03-31');
    expect(figureDates('2026-07-29').overdueQuarterEnd).toBe('2026-06-30');
  });

  it('crosses the year', () => {
    expect(figureDates('2027-01-28').overdueQuarterEnd).toBe('2026-09-30');
    expect(figureDates('2027-01-29').overdueQuarterEnd).toBe('2026-12-31');
  });
});
