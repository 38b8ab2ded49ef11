import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { ForbiddenError } from '../errors.js';
import { councilSettings } from '../settings/repo.js';
import { returnCsv } from './csv.js';
import { quarterLabel, type Quarter } from './quarters.js';
import { assessmentsIn, peopleById, requestsIn, reviewsIn, servicesIn } from './repo.js';
import { buildReturn, type CldReturn } from './return.js';

export type ReturnScope = { kind: 'council' } | { kind: 'team'; teamId: number };

export type CheckedReturn = CldReturn & { quarter: Quarter; scope: ReturnScope; localAuthorityCode: string };

/**
 * Admins send the council's return; a team manager prepares their own team's part of it, so they
 * see and download only their team's people. Nobody else sends statutory returns.
 */
function scopeOf(user: SignedInUser): ReturnScope {
  if (user.role === 'admin') return { kind: 'council' };
  if (user.role === 'team_manager' && user.teamId !== null) return { kind: 'team', teamId: user.teamId };
  throw new ForbiddenError();
}

/** `reportingDb` reads the records (a read replica when the council runs one); the audit trail is written to `db`. */
export function clientLevelDataService(db: Knex, reportingDb: Knex = db) {
  async function worked(user: SignedInUser, quarter: Quarter): Promise<CheckedReturn> {
    const scope = scopeOf(user);
    const teamId = scope.kind === 'team' ? scope.teamId : null;
    const [settings, requests, assessments, services, reviews] = await Promise.all([
      councilSettings(reportingDb),
      requestsIn(reportingDb, quarter, teamId),
      assessmentsIn(reportingDb, quarter, teamId),
      servicesIn(reportingDb, quarter, teamId),
      reviewsIn(reportingDb, quarter, teamId),
    ]);
    const personIds = new Set([...requests, ...assessments, ...services, ...reviews].map((record) => record.personId));
    const people = await peopleById(reportingDb, [...personIds]);
    const built = buildReturn(quarter, {
      localAuthorityCode: settings.localAuthorityCode,
      people,
      requests,
      assessments,
      services,
      reviews,
    });
    return { ...built, quarter, scope, localAuthorityCode: settings.localAuthorityCode };
  }

  return {
    scope: scopeOf,

    /** The return as it stands, for the check page: who misses what, and how many rows the file will have. */
    check: worked,

    /** The file, recorded in the audit trail with what it held: personal data of everyone in it leaves the system. */
    async download(actor: Actor, quarter: Quarter): Promise<{ csv: Readable; checked: CheckedReturn }> {
      const checked = await worked(actor, quarter);
      await recordLookedAt(db, actor, {
        action: 'client_level_data_downloaded',
        entityType: 'client_level_data_return',
        entityId: quarterLabel(quarter),
        after: {
          quarter: quarterLabel(quarter),
          team: checked.scope.kind === 'team' ? checked.scope.teamId : null,
          people: checked.people,
          rows: checked.rows.length,
          peopleWithGaps: checked.gaps.length,
        },
      });
      return { csv: returnCsv(checked.rows), checked };
    },
  };
}

export type ClientLevelDataService = ReturnType<typeof clientLevelDataService>;
