import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import type { Actor } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import type { DbOrTransaction } from '../db/knex.js';
import { ForbiddenError, RuleError, StaleVersionError } from '../errors.js';
import {
  councilSettings,
  councilSettingsColumns,
  deleteUptakeTarget,
  earliestTargetAfter,
  insertUptakeTarget,
  latestTargetOnOrBefore,
  settingsHistory,
  targetDated,
  updateCouncilSettings,
  uptakeTargets,
  type CouncilSettingsChanges,
  type UptakeTarget,
} from './repo.js';
import type { CouncilSettingsInput, UptakeTargetInput } from './schemas.js';

/** The page shows this many changes; older ones stay in the audit trail. */
export const HISTORY_LIMIT = 100;

/** Where a target stands today: in force, replaced by a later one, or still to come. */
export type TargetStanding = 'in_force' | 'replaced' | 'to_come';

export type SettingName = keyof CouncilSettingsChanges;

const settingNames = Object.keys(councilSettingsColumns) as SettingName[];

const ONE_TARGET_A_DAY = 'There is already a target from this date: remove it first to set a different one';

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only an administrator can change the council settings');
}

/**
 * The target uptake is measured against on `today`: the latest one dated on or before it. Before
 * the first target's date the council has still chosen that target, so it is used, said to be ahead.
 */
export async function uptakeTargetOn(db: DbOrTransaction, today: string): Promise<{ target: UptakeTarget; inForce: boolean } | null> {
  const inForce = await latestTargetOnOrBefore(db, today);
  if (inForce) return { target: inForce, inForce: true };
  const ahead = await earliestTargetAfter(db, today);
  return ahead ? { target: ahead, inForce: false } : null;
}

/** Each target, earliest first, with where it stands today. */
function withStandings(targets: readonly UptakeTarget[], today: string): (UptakeTarget & { standing: TargetStanding })[] {
  const inForce = targets.findLast((target) => target.inForceFrom <= today);
  return targets.map((target) => ({
    ...target,
    standing: target === inForce ? 'in_force' : target.inForceFrom <= today ? 'replaced' : 'to_come',
  }));
}

export function settingsService(db: Knex, clock: Clock) {
  return {
    async settingsPage(actor: Actor) {
      requireAdmin(actor);
      const today = londonToday(clock);
      const [settings, targets, history] = await Promise.all([
        councilSettings(db),
        uptakeTargets(db),
        settingsHistory(db, HISTORY_LIMIT + 1),
      ]);
      return {
        settings,
        targets: withStandings(targets, today),
        history: history.slice(0, HISTORY_LIMIT),
        moreHistory: history.length > HISTORY_LIMIT,
      };
    },

    /** Saves the money rules; returns the settings that changed, which the audit event records before and after. */
    async changeSettings(actor: Actor, input: CouncilSettingsInput): Promise<SettingName[]> {
      requireAdmin(actor);
      const { version, ...wanted } = input;
      return db.transaction(async (trx) => {
        const before = await councilSettings(trx, true);
        const changed = settingNames.filter((name) => before[name] !== wanted[name]);
        if (before.version !== version) {
          // The same change posted twice (a double-click) is saved already; anything else is someone else's change.
          if (before.version === version + 1 && changed.length === 0) return [];
          throw new StaleVersionError('council settings', before);
        }
        if (changed.length === 0) return [];
        if (!(await updateCouncilSettings(trx, version, wanted, { userId: actor.id, at: clock.now() }))) {
          throw new StaleVersionError('council settings', before);
        }
        const columns = (values: CouncilSettingsChanges) =>
          Object.fromEntries(changed.map((name) => [councilSettingsColumns[name], values[name]]));
        await recordEvent(trx, actor, {
          action: 'council_settings_changed',
          entityType: 'council_settings',
          entityId: 1,
          before: columns(before),
          after: columns(wanted),
        });
        return changed;
      });
    },

    async addUptakeTarget(actor: Actor, input: UptakeTargetInput): Promise<void> {
      requireAdmin(actor);
      await db
        .transaction(async (trx) => {
          if (await targetDated(trx, input.inForceFrom)) throw new RuleError(ONE_TARGET_A_DAY, 'inForceFrom');
          const id = await insertUptakeTarget(trx, { ...input, addedBy: actor.id, addedAt: clock.now() });
          await recordEvent(trx, actor, {
            action: 'uptake_target_added',
            entityType: 'uptake_target',
            entityId: id,
            after: { in_force_from: input.inForceFrom, target_percent: input.targetPercent },
          });
        })
        .catch((error: unknown) => {
          // Two administrators adding a target for the same day at once: the unique index decides.
          if ((error as { code?: string }).code === '23505') throw new RuleError(ONE_TARGET_A_DAY, 'inForceFrom');
          throw error;
        });
    },

    /**
     * A target is never changed, only removed, so its id is all a stale page can hold: removing
     * one already gone changes nothing and says so. Returns what was removed.
     */
    async removeUptakeTarget(actor: Actor, id: number): Promise<{ inForceFrom: string; targetPercent: number } | undefined> {
      requireAdmin(actor);
      return db.transaction(async (trx) => {
        const removed = await deleteUptakeTarget(trx, id);
        if (!removed) return undefined;
        await recordEvent(trx, actor, {
          action: 'uptake_target_removed',
          entityType: 'uptake_target',
          entityId: id,
          before: { in_force_from: removed.inForceFrom, target_percent: removed.targetPercent },
        });
        return removed;
      });
    },
  };
}

export type SettingsService = ReturnType<typeof settingsService>;
export type SettingsPage = Awaited<ReturnType<SettingsService['settingsPage']>>;
