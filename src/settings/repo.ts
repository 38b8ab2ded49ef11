import type { DbOrTransaction } from '../db/knex.js';

export const ceilingBehaviours = ['panel', 'not_used'] as const;
export type CeilingBehaviour = (typeof ceilingBehaviours)[number];

/** The council's own money rules, one row that administrators keep. */
export type CouncilSettings = {
  /** How far above the indicative budget, in percent, an amount may go before a panel must agree it. */
  overIndicativeTolerancePercent: number;
  /** 'panel': an amount whose yearly value is above the RAS ceiling needs a panel; 'not_used': the ceiling is shown only. */
  ceilingBehaviour: CeilingBehaviour;
  /** A direct-payment account holding more than this many weeks of payments holds a surplus. */
  directPaymentSurplusWeeks: number;
  /** The council's code in statutory returns. */
  localAuthorityCode: string;
  /** The start of every reference Selfdirect gives a person it adds, like "SD-"; may be empty. */
  referencePrefix: string;
  /** How many digits the number after the prefix is written with, zeros in front: 5 makes SD-00123. */
  referenceDigits: number;
  version: number;
};

type CouncilSettingsRow = {
  over_indicative_tolerance_percent: number;
  ceiling_behaviour: CeilingBehaviour;
  direct_payment_surplus_weeks: number;
  local_authority_code: string;
  reference_prefix: string;
  reference_digits: number;
  version: number;
};

export function toCouncilSettings(row: CouncilSettingsRow): CouncilSettings {
  return {
    overIndicativeTolerancePercent: row.over_indicative_tolerance_percent,
    ceilingBehaviour: row.ceiling_behaviour,
    directPaymentSurplusWeeks: row.direct_payment_surplus_weeks,
    localAuthorityCode: row.local_authority_code,
    referencePrefix: row.reference_prefix,
    referenceDigits: row.reference_digits,
    version: row.version,
  };
}

export async function councilSettings(db: DbOrTransaction, lock = false): Promise<CouncilSettings> {
  const query = db('council_settings')
    .where({ id: 1 })
    .first(
      'over_indicative_tolerance_percent',
      'ceiling_behaviour',
      'direct_payment_surplus_weeks',
      'local_authority_code',
      'reference_prefix',
      'reference_digits',
      'version',
    );
  if (lock) query.forUpdate();
  return toCouncilSettings((await query) as CouncilSettingsRow);
}

export type CouncilSettingsChanges = Omit<CouncilSettings, 'version'>;

/** Each setting's column, the name the audit trail keeps it by. */
export const councilSettingsColumns = {
  overIndicativeTolerancePercent: 'over_indicative_tolerance_percent',
  ceilingBehaviour: 'ceiling_behaviour',
  directPaymentSurplusWeeks: 'direct_payment_surplus_weeks',
  localAuthorityCode: 'local_authority_code',
  referencePrefix: 'reference_prefix',
  referenceDigits: 'reference_digits',
} as const satisfies Record<keyof CouncilSettingsChanges, keyof CouncilSettingsRow>;

export async function updateCouncilSettings(
  db: DbOrTransaction,
  expectedVersion: number,
  changes: CouncilSettingsChanges,
  by: { userId: number; at: Date },
): Promise<boolean> {
  const updated = await db('council_settings')
    .where({ id: 1, version: expectedVersion })
    .update({
      over_indicative_tolerance_percent: changes.overIndicativeTolerancePercent,
      ceiling_behaviour: changes.ceilingBehaviour,
      direct_payment_surplus_weeks: changes.directPaymentSurplusWeeks,
      local_authority_code: changes.localAuthorityCode,
      reference_prefix: changes.referencePrefix,
      reference_digits: changes.referenceDigits,
      updated_by: by.userId,
      updated_at: by.at,
      version: db.raw('version + 1'),
    });
  return updated === 1;
}

/** A personal budget uptake target: the share of people with eligible needs who should have a budget, from its date on. */
export type UptakeTarget = { id: number; inForceFrom: string; targetPercent: number; addedByName: string | null; addedAt: Date };

type UptakeTargetRow = { id: number; in_force_from: string; target_percent: number; added_by_name: string | null; added_at: Date };

const toUptakeTarget = (row: UptakeTargetRow): UptakeTarget => ({
  id: row.id,
  inForceFrom: row.in_force_from,
  targetPercent: row.target_percent,
  addedByName: row.added_by_name,
  addedAt: row.added_at,
});

const targetColumns = ['t.id', 't.in_force_from', 't.target_percent', 'u.display_name as added_by_name', 't.added_at'];

const targets = (db: DbOrTransaction) => db('uptake_targets as t').leftJoin('users as u', 'u.id', 't.added_by');

/** Every target, earliest first. */
export async function uptakeTargets(db: DbOrTransaction): Promise<UptakeTarget[]> {
  const rows = (await targets(db).select(targetColumns).orderBy('t.in_force_from')) as UptakeTargetRow[];
  return rows.map(toUptakeTarget);
}

/** The latest target dated on or before `date`. */
export async function latestTargetOnOrBefore(db: DbOrTransaction, date: string): Promise<UptakeTarget | undefined> {
  const row = (await targets(db).where('t.in_force_from', '<=', date).orderBy('t.in_force_from', 'desc').first(targetColumns)) as
    UptakeTargetRow | undefined;
  return row && toUptakeTarget(row);
}

/** The earliest target dated after `date`. */
export async function earliestTargetAfter(db: DbOrTransaction, date: string): Promise<UptakeTarget | undefined> {
  const row = (await targets(db).where('t.in_force_from', '>', date).orderBy('t.in_force_from').first(targetColumns)) as
    UptakeTargetRow | undefined;
  return row && toUptakeTarget(row);
}

export async function targetDated(db: DbOrTransaction, inForceFrom: string): Promise<boolean> {
  return Boolean(await db('uptake_targets').where({ in_force_from: inForceFrom }).first('id'));
}

export async function insertUptakeTarget(
  db: DbOrTransaction,
  target: { inForceFrom: string; targetPercent: number; addedBy: number; addedAt: Date },
): Promise<number> {
  const [row] = (await db('uptake_targets')
    .insert({ in_force_from: target.inForceFrom, target_percent: target.targetPercent, added_by: target.addedBy, added_at: target.addedAt })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}

/** Removes a target and returns what it was; undefined when it was already gone. */
export async function deleteUptakeTarget(
  db: DbOrTransaction,
  id: number,
): Promise<{ inForceFrom: string; targetPercent: number } | undefined> {
  const [row] = (await db('uptake_targets').where({ id }).delete().returning(['in_force_from', 'target_percent'])) as {
    in_force_from: string;
    target_percent: number;
  }[];
  return row && { inForceFrom: row.in_force_from, targetPercent: row.target_percent };
}

/** The audit actions that change what this page keeps, including the single target's changes from before targets had dates. */
export const settingsActions = [
  'council_settings_changed',
  'uptake_target_added',
  'uptake_target_removed',
  'uptake_target_changed',
] as const;
export type SettingsAction = (typeof settingsActions)[number];

/** One change to the council's settings as the audit trail recorded it, with the columns it changed before and after. */
export type SettingsChangeEvent = {
  id: number;
  occurredAt: Date;
  action: SettingsAction;
  userName: string | null;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
};

type SettingsChangeRow = {
  id: number;
  occurred_at: Date;
  action: SettingsAction;
  user_name: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** The latest `limit` changes, newest first. */
export async function settingsHistory(db: DbOrTransaction, limit: number): Promise<SettingsChangeEvent[]> {
  const rows = (await db('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.user_id')
    .whereIn('a.action', settingsActions)
    .select('a.id', 'a.occurred_at', 'a.action', 'u.display_name as user_name', 'a.before', 'a.after')
    .orderBy('a.occurred_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(limit)) as SettingsChangeRow[];
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    action: row.action,
    userName: row.user_name,
    before: row.before ?? {},
    after: row.after ?? {},
  }));
}
