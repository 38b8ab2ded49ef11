import { runQueries, type DbOrTransaction } from '../db/knex.js';
import { pricedClientGroups, type PricedClientGroup, type RasDefinition } from './definition.js';

type RasVersionRow = {
  id: number;
  name: string;
  status: RasVersionStatus;
  minimum_points: number;
  floor_pence: number;
  ceiling_pence: number;
  effective_from: string | null;
  based_on_id: number | null;
  created_by: number | null;
  created_at: Date;
  published_by: number | null;
  published_at: Date | null;
  retired_at: Date | null;
  version: number;
};

export type RasVersionStatus = 'draft' | 'published' | 'retired';

/** A RAS version's own record; its questions, prices and bands are the definition (loadRasDefinition). */
export type RasVersion = {
  id: number;
  name: string;
  status: RasVersionStatus;
  minimumPoints: number;
  floorPence: number;
  ceilingPence: number;
  /** null until published. */
  effectiveFrom: string | null;
  basedOnId: number | null;
  createdBy: number | null;
  createdAt: Date;
  publishedBy: number | null;
  publishedAt: Date | null;
  retiredAt: Date | null;
  version: number;
};

function toRasVersion(row: RasVersionRow): RasVersion {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    minimumPoints: row.minimum_points,
    floorPence: row.floor_pence,
    ceilingPence: row.ceiling_pence,
    effectiveFrom: row.effective_from,
    basedOnId: row.based_on_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    publishedBy: row.published_by,
    publishedAt: row.published_at,
    retiredAt: row.retired_at,
    version: row.version,
  };
}

const maybe = (row: RasVersionRow | undefined) => (row ? toRasVersion(row) : undefined);

export async function findRasVersion(db: DbOrTransaction, id: number): Promise<RasVersion | undefined> {
  return maybe(await db<RasVersionRow>('ras_versions').where({ id }).first());
}

/**
 * The RAS in force on a day: of the published versions, the one that took effect last on or
 * before it. A version published for a later date waits, published, until its day comes; nothing
 * has to run on that day for it to become current. A day before the first version took effect (a
 * case recorded with an earlier date, as the demo council's are) has only that first one to use.
 */
export async function findRasVersionInForce(db: DbOrTransaction, day: string): Promise<RasVersion | undefined> {
  return maybe(
    await db<RasVersionRow>('ras_versions')
      .where({ status: 'published' })
      .orderByRaw('effective_from <= ?::date desc, case when effective_from <= ?::date then effective_from end desc, effective_from', [
        day,
        day,
      ])
      .first(),
  );
}

/**
 * Where a version stands on a day. A published version is current from its date until a later
 * one's date comes, and scheduled before its date; one overtaken that way reads as retired, as a
 * version retired at a publish does, though no one had to retire it on the day.
 */
export type RasVersionStage = 'draft' | 'scheduled' | 'current' | 'retired';

/** A version with the names of who published and created it and what it was copied from, for the lists. */
export type RasVersionListing = RasVersion & {
  stage: RasVersionStage;
  publishedByName: string | null;
  createdByName: string | null;
  basedOnName: string | null;
};

type RasVersionListingRow = RasVersionRow & {
  stage: RasVersionStage;
  published_by_name: string | null;
  created_by_name: string | null;
  based_on_name: string | null;
};

function toRasVersionListing(row: RasVersionListingRow): RasVersionListing {
  return {
    ...toRasVersion(row),
    stage: row.stage,
    publishedByName: row.published_by_name,
    createdByName: row.created_by_name,
    basedOnName: row.based_on_name,
  };
}

function listingQuery(db: DbOrTransaction, today: string) {
  return db('ras_versions as v')
    .leftJoin('users as p', 'p.id', 'v.published_by')
    .leftJoin('users as c', 'c.id', 'v.created_by')
    .leftJoin('ras_versions as b', 'b.id', 'v.based_on_id')
    .select(
      'v.*',
      'p.display_name as published_by_name',
      'c.display_name as created_by_name',
      'b.name as based_on_name',
      db.raw(
        `case
          when v.status <> 'published' then v.status
          when v.effective_from > ?::date then 'scheduled'
          when exists (
            select 1 from ras_versions later
            where later.status = 'published' and later.effective_from > v.effective_from and later.effective_from <= ?::date
          ) then 'retired'
          else 'current'
        end as stage`,
        [today, today],
      ),
    );
}

export async function listRasVersions(db: DbOrTransaction, today: string): Promise<RasVersionListing[]> {
  const rows = (await listingQuery(db, today).orderBy('v.id', 'desc')) as RasVersionListingRow[];
  return rows.map(toRasVersionListing);
}

export async function findRasVersionListing(db: DbOrTransaction, id: number, today: string): Promise<RasVersionListing | undefined> {
  const row = (await listingQuery(db, today).where('v.id', id).first()) as RasVersionListingRow | undefined;
  return row ? toRasVersionListing(row) : undefined;
}

/** Locks the version row for the rest of the transaction, so two admins' edits to one draft queue up. */
export async function lockRasVersion(db: DbOrTransaction, id: number): Promise<RasVersion | undefined> {
  return maybe(await db<RasVersionRow>('ras_versions').where({ id }).forUpdate().first());
}

/** Saves a draft's own columns only at the version the admin saw; false when someone saved first. */
export async function updateDraftVersionRow(
  db: DbOrTransaction,
  id: number,
  expectedVersion: number,
  definition: Pick<RasDefinition, 'name' | 'minimumPoints' | 'floorPence' | 'ceilingPence'>,
): Promise<boolean> {
  const updated = await db('ras_versions')
    .where({ id, version: expectedVersion, status: 'draft' })
    .update({
      name: definition.name,
      minimum_points: definition.minimumPoints,
      floor_pence: definition.floorPence,
      ceiling_pence: definition.ceilingPence,
      version: db.raw('version + 1'),
    });
  return updated === 1;
}

/** Deletes a draft and, by cascade, its parts; the database refuses to delete any other version. */
export async function deleteDraftVersion(db: DbOrTransaction, id: number): Promise<boolean> {
  return (await db('ras_versions').where({ id, status: 'draft' }).delete()) === 1;
}

/** Reads a stored version back into the definition format the engine, the CLI and admins share. */
export async function loadRasDefinition(db: DbOrTransaction, versionId: number): Promise<RasDefinition | undefined> {
  const version = await findRasVersion(db, versionId);
  if (!version) return undefined;
  const queries: (() => Promise<unknown[]>)[] = [
    () => db('ras_price_points').where({ ras_version_id: versionId }).select('client_group', 'pence_per_point'),
    () => db('ras_domains').where({ ras_version_id: versionId }).orderBy('position').select('id', 'key', 'title'),
    () => db('ras_questions').where({ ras_version_id: versionId }).orderBy('position').select('id', 'domain_id', 'key', 'text', 'hint'),
    () => db('ras_options').where({ ras_version_id: versionId }).orderBy('position').select('question_id', 'key', 'label', 'points'),
    () => db('ras_adjustments').where({ ras_version_id: versionId }).orderBy('position').select('id', 'key', 'text', 'hint'),
    () =>
      db('ras_adjustment_options')
        .where({ ras_version_id: versionId })
        .orderBy('position')
        .select('adjustment_id', 'key', 'label', 'percent'),
    () => db('ras_carer_bands').where({ ras_version_id: versionId }).orderBy('position').select('min_points', 'max_points', 'annual_pence'),
  ];
  const [prices, domains, questions, options, adjustments, adjustmentOptions, bands] = await runQueries<unknown[][]>(db, queries);
  const pricePoints = Object.fromEntries(
    (prices as { client_group: PricedClientGroup; pence_per_point: number }[]).map((price) => [price.client_group, price.pence_per_point]),
  ) as Record<PricedClientGroup, number>;
  const withHint = <T extends { hint: string | null }>(row: T) => (row.hint ? { hint: row.hint } : {});
  return {
    name: version.name,
    minimumPoints: version.minimumPoints,
    floorPence: version.floorPence,
    ceilingPence: version.ceilingPence,
    pricePoints,
    domains: (domains as { id: number; key: string; title: string }[]).map((domain) => ({
      key: domain.key,
      title: domain.title,
      questions: (questions as { id: number; domain_id: number; key: string; text: string; hint: string | null }[])
        .filter((question) => question.domain_id === domain.id)
        .map((question) => ({
          key: question.key,
          text: question.text,
          ...withHint(question),
          options: (options as { question_id: number; key: string; label: string; points: number }[])
            .filter((option) => option.question_id === question.id)
            .map((option) => ({ key: option.key, label: option.label, points: option.points })),
        })),
    })),
    adjustments: (adjustments as { id: number; key: string; text: string; hint: string | null }[]).map((adjustment) => ({
      key: adjustment.key,
      text: adjustment.text,
      ...withHint(adjustment),
      options: (adjustmentOptions as { adjustment_id: number; key: string; label: string; percent: number }[])
        .filter((option) => option.adjustment_id === adjustment.id)
        .map((option) => ({ key: option.key, label: option.label, percent: option.percent })),
    })),
    carerBands: (bands as { min_points: number; max_points: number; annual_pence: number }[]).map((band) => ({
      minPoints: band.min_points,
      maxPoints: band.max_points,
      annualPence: band.annual_pence,
    })),
  };
}

/** Writes a definition's parts under an existing draft version (replacing what the draft had). */
export async function replaceDraftParts(db: DbOrTransaction, versionId: number, definition: RasDefinition): Promise<void> {
  await db('ras_price_points').where({ ras_version_id: versionId }).delete();
  await db('ras_domains').where({ ras_version_id: versionId }).delete();
  await db('ras_adjustments').where({ ras_version_id: versionId }).delete();
  await db('ras_carer_bands').where({ ras_version_id: versionId }).delete();
  await db('ras_price_points').insert(
    pricedClientGroups.map((group) => ({ ras_version_id: versionId, client_group: group, pence_per_point: definition.pricePoints[group] })),
  );
  for (const [domainIndex, domain] of definition.domains.entries()) {
    const [domainRow] = (await db('ras_domains')
      .insert({ ras_version_id: versionId, key: domain.key, title: domain.title, position: domainIndex })
      .returning('id')) as { id: number }[];
    for (const [questionIndex, question] of domain.questions.entries()) {
      const [questionRow] = (await db('ras_questions')
        .insert({
          ras_version_id: versionId,
          domain_id: domainRow?.id,
          key: question.key,
          text: question.text,
          hint: question.hint ?? null,
          position: questionIndex,
        })
        .returning('id')) as { id: number }[];
      if (question.options.length > 0) {
        await db('ras_options').insert(
          question.options.map((option, position) => ({
            ras_version_id: versionId,
            question_id: questionRow?.id,
            key: option.key,
            label: option.label,
            points: option.points,
            position,
          })),
        );
      }
    }
  }
  for (const [adjustmentIndex, adjustment] of definition.adjustments.entries()) {
    const [adjustmentRow] = (await db('ras_adjustments')
      .insert({
        ras_version_id: versionId,
        key: adjustment.key,
        text: adjustment.text,
        hint: adjustment.hint ?? null,
        position: adjustmentIndex,
      })
      .returning('id')) as { id: number }[];
    if (adjustment.options.length > 0) {
      await db('ras_adjustment_options').insert(
        adjustment.options.map((option, position) => ({
          ras_version_id: versionId,
          adjustment_id: adjustmentRow?.id,
          key: option.key,
          label: option.label,
          percent: option.percent,
          position,
        })),
      );
    }
  }
  if (definition.carerBands.length > 0) {
    await db('ras_carer_bands').insert(
      definition.carerBands.map((band, position) => ({
        ras_version_id: versionId,
        min_points: band.minPoints,
        max_points: band.maxPoints,
        annual_pence: band.annualPence,
        position,
      })),
    );
  }
}

export async function insertDraftVersion(
  db: DbOrTransaction,
  definition: RasDefinition,
  meta: { createdBy: number | null; basedOnId: number | null },
): Promise<number> {
  const [row] = (await db('ras_versions')
    .insert({
      name: definition.name,
      status: 'draft',
      minimum_points: definition.minimumPoints,
      floor_pence: definition.floorPence,
      ceiling_pence: definition.ceilingPence,
      created_by: meta.createdBy,
      based_on_id: meta.basedOnId,
    })
    .returning('id')) as { id: number }[];
  const id = (row as { id: number }).id;
  await replaceDraftParts(db, id, definition);
  return id;
}

/**
 * Publishing retires what the new version makes unreachable: a version waiting for the same date
 * (replaced), and, when it takes effect at once, every version in force until now. A version
 * waiting for a later date stays, and follows this one then. Returns the versions it retired.
 */
export async function publishVersion(
  db: DbOrTransaction,
  versionId: number,
  meta: { publishedBy: number | null; effectiveFrom: string; today: string; at: Date },
): Promise<RasVersion[]> {
  const retiredUpTo = meta.effectiveFrom <= meta.today ? meta.today : null;
  const retired = (await db('ras_versions')
    .where({ status: 'published' })
    .where((replaced) => {
      void replaced.where('effective_from', meta.effectiveFrom);
      if (retiredUpTo) void replaced.orWhere('effective_from', '<=', retiredUpTo);
    })
    .update({ status: 'retired', retired_at: meta.at })
    .returning('*')) as RasVersionRow[];
  await db('ras_versions')
    .where({ id: versionId, status: 'draft' })
    .update({
      status: 'published',
      effective_from: meta.effectiveFrom,
      published_by: meta.publishedBy,
      published_at: meta.at,
      version: db.raw('version + 1'),
    });
  return retired.map(toRasVersion);
}
