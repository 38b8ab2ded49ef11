import type { Knex } from 'knex';
import type { SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError } from '../errors.js';
import { teamNames } from './repo.js';
import { reportQuarters } from './timeliness.js';
import { timelinessFigures, type TimelinessFigures } from './timeliness-repo.js';

export type TimelinessReport = {
  today: string;
  /** First days of the quarters covered, oldest first. */
  quarters: string[];
  /** Every team with figures, by name; a team manager's own team first. */
  teams: { id: number; name: string; own: boolean }[];
  /** The team a team manager is in, whose figures the chart shows; null for an administrator (every team together). */
  ownTeamId: number | null;
  figures: TimelinessFigures[];
};

/**
 * Waits are council-wide figures with no names, so a team manager sees every team's beside their
 * own, as with the other reports; their own team comes first and is the one charted.
 */
export function timelinessService(reportingDb: Knex, clock: Clock) {
  return {
    async timeliness(user: SignedInUser): Promise<TimelinessReport> {
      if (user.role !== 'admin' && user.role !== 'team_manager') throw new ForbiddenError();
      const today = londonToday(clock);
      const quarters = reportQuarters(today);
      const [figures, names] = await Promise.all([timelinessFigures(reportingDb, quarters[0] as string, today), teamNames(reportingDb)]);
      const ownTeamId = user.role === 'team_manager' ? (user.teamId ?? -1) : null;
      const withFigures = new Set(figures.map((line) => line.teamId));
      if (ownTeamId !== null) withFigures.add(ownTeamId);
      const teams = [...names.entries()]
        .filter(([id]) => withFigures.has(id))
        .map(([id, name]) => ({ id, name, own: id === ownTeamId }))
        .sort((a, b) => Number(b.own) - Number(a.own) || a.name.localeCompare(b.name));
      return { today, quarters, teams, ownTeamId, figures };
    },
  };
}

export type TimelinessService = ReturnType<typeof timelinessService>;
