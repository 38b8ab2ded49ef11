import type { Knex } from 'knex';
import { insertAuditEvent, recordEvent } from '../audit/repo.js';
import type { Actor } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { rasChanges } from './changes.js';
import { defaultRasDefinition } from './default-ras.js';
import { validateDefinition, type RasDefinition } from './definition.js';
import {
  DefinitionProblemsError,
  withAdjustments,
  withCarerBands,
  withDomain,
  withDomainMoved,
  withoutDomain,
  withSettings,
  type AdjustmentsInput,
  type CarerBandsInput,
  type Direction,
  type DomainInput,
  type SettingsInput,
} from './editing.js';
import {
  deleteDraftVersion,
  findRasVersionInForce,
  findRasVersionListing,
  insertDraftVersion,
  listRasVersions,
  loadRasDefinition,
  lockRasVersion,
  publishVersion,
  replaceDraftParts,
  updateDraftVersionRow,
  type RasVersion,
} from './repo.js';

/** The date a version takes effect may not come before the current one's; the page words `earliest` as a date. */
export class EffectiveDateTooEarlyError extends RuleError {
  constructor(readonly earliest: string) {
    super(`The date this version takes effect must be on or after ${earliest}, when the current RAS took effect`, 'effectiveFrom');
  }
}

/**
 * A council needs a current RAS before anyone can be assessed: on a database with no RAS at all
 * the default one from DOMAIN.md is published. Admins replace it through the RAS editor.
 */
export async function ensureDefaultRas(db: Knex, clock: Clock): Promise<boolean> {
  return db.transaction(async (trx) => {
    await trx.raw('lock table ras_versions in exclusive mode');
    const any = await trx('ras_versions').first('id');
    if (any) return false;
    const id = await insertDraftVersion(trx, defaultRasDefinition, { createdBy: null, basedOnId: null });
    const today = londonToday(clock);
    await publishVersion(trx, id, { publishedBy: null, effectiveFrom: today, today, at: clock.now() });
    await insertAuditEvent(trx, {
      userId: null,
      requestId: null,
      action: 'ras_published',
      entityType: 'ras_version',
      entityId: id,
      after: { name: defaultRasDefinition.name, source: 'default RAS' },
    });
    return true;
  });
}

/** The RAS in force today in the definition format, as `ras export` prints it. */
export async function exportPublishedDefinition(db: Knex, clock: Clock): Promise<RasDefinition | undefined> {
  const published = await findRasVersionInForce(db, londonToday(clock));
  return published ? loadRasDefinition(db, published.id) : undefined;
}

const statusWords: Record<RasVersion['status'], string> = { draft: 'a draft', published: 'published', retired: 'retired' };

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('Only an administrator can change the RAS');
}

function refuseUnlessDraft(row: RasVersion): void {
  if (row.status !== 'draft') {
    throw new ForbiddenError(
      `‘${row.name}’ is ${statusWords[row.status]}, so it cannot be changed: it explains the budgets worked out with it. Create a draft from it to make changes.`,
    );
  }
}

/** The part of the definition an edit changed, for the audit trail: enough to see what moved without copying the whole RAS each time. */
type Section = { name: string; of: (definition: RasDefinition) => unknown };

const sections = {
  settings: {
    name: 'settings and price points',
    of: (d: RasDefinition) => ({
      name: d.name,
      minimumPoints: d.minimumPoints,
      floorPence: d.floorPence,
      ceilingPence: d.ceilingPence,
      pricePoints: d.pricePoints,
    }),
  },
  domainOrder: { name: 'domains', of: (d: RasDefinition) => d.domains.map((domain) => domain.key) },
  adjustments: { name: 'adjustments', of: (d: RasDefinition) => d.adjustments },
  carerBands: { name: 'carer bands', of: (d: RasDefinition) => d.carerBands },
} satisfies Record<string, Section>;

function domainSection(position: number): Section {
  return { name: 'domain', of: (d) => d.domains[position] ?? null };
}

export function rasService(db: Knex, clock: Clock) {
  async function versionOrNotFound(id: number) {
    const row = await findRasVersionListing(db, id, londonToday(clock));
    const definition = row ? await loadRasDefinition(db, id) : undefined;
    if (!row || !definition) throw new NotFoundError('RAS version');
    return { row, definition };
  }

  /**
   * Every edit of a draft: in one transaction, lock the draft, check it is still a draft at the
   * version the admin saw, apply the edit to the stored definition in memory, and store it only
   * when validateDefinition finds nothing wrong.
   */
  async function changeDraft(
    actor: Actor,
    id: number,
    expectedVersion: number,
    section: Section,
    edit: (definition: RasDefinition) => RasDefinition,
  ) {
    requireAdmin(actor);
    return db.transaction(async (trx) => {
      const row = await lockRasVersion(trx, id);
      if (!row) throw new NotFoundError('RAS version');
      refuseUnlessDraft(row);
      if (row.version !== expectedVersion) throw new StaleVersionError('RAS version', row);
      const before = await loadRasDefinition(trx, id);
      if (!before) throw new NotFoundError('RAS version');
      const validation = validateDefinition(edit(structuredClone(before)));
      if (!validation.ok) throw new DefinitionProblemsError(validation.problems);
      const after = validation.definition;
      await replaceDraftParts(trx, id, after);
      if (!(await updateDraftVersionRow(trx, id, expectedVersion, after))) throw new StaleVersionError('RAS version', row);
      await recordEvent(trx, actor, {
        action: 'ras_draft_changed',
        entityType: 'ras_version',
        entityId: id,
        before: { section: section.name, value: section.of(before) },
        after: { section: section.name, value: section.of(after) },
      });
      return after;
    });
  }

  async function createDraft(
    actor: Actor,
    input: unknown,
    meta: { basedOnId: number | null; action: 'ras_draft_created' | 'ras_draft_imported'; source: Record<string, unknown> },
  ): Promise<number> {
    requireAdmin(actor);
    const validation = validateDefinition(input);
    if (!validation.ok) throw new DefinitionProblemsError(validation.problems);
    const definition = validation.definition;
    return db.transaction(async (trx) => {
      const id = await insertDraftVersion(trx, definition, { createdBy: actor.id, basedOnId: meta.basedOnId });
      await recordEvent(trx, actor, {
        action: meta.action,
        entityType: 'ras_version',
        entityId: id,
        after: { name: definition.name, based_on_id: meta.basedOnId, ...meta.source },
      });
      return id;
    });
  }

  return {
    versions: () => listRasVersions(db, londonToday(clock)),
    /** The version in force today; assessments started now use it. */
    current: () => findRasVersionInForce(db, londonToday(clock)),
    version: versionOrNotFound,
    /** A version with every value it changes from the version it was copied from, for its page. */
    async versionWithChanges(id: number) {
      const { row, definition } = await versionOrNotFound(id);
      const basedOn = row.basedOnId === null ? undefined : await loadRasDefinition(db, row.basedOnId);
      return { row, definition, changes: basedOn ? rasChanges(basedOn, definition) : null };
    },
    createDraft,

    /** A version to show in the editor: only a draft can be edited, so anything else is refused with the reason. */
    async draftToEdit(id: number) {
      const version = await versionOrNotFound(id);
      refuseUnlessDraft(version.row);
      return version;
    },

    /** A published or retired version copied into a new draft: the usual way to start changing the RAS. */
    async copyToDraft(actor: Actor, fromId: number): Promise<number> {
      const { row, definition } = await versionOrNotFound(fromId);
      // Copying a draft would let a published version name a draft that is later deleted as its origin.
      if (row.status === 'draft')
        throw new ForbiddenError('Make changes to this draft itself: only a published or retired version is copied');
      return createDraft(
        actor,
        { ...definition, name: `${definition.name} (copy)` },
        { basedOnId: row.id, action: 'ras_draft_created', source: { source: 'copy' } },
      );
    },

    importDraft(actor: Actor, input: unknown): Promise<number> {
      return createDraft(actor, input, { basedOnId: null, action: 'ras_draft_imported', source: { source: 'import' } });
    },

    saveSettings: (actor: Actor, id: number, input: SettingsInput) =>
      changeDraft(actor, id, input.version, sections.settings, (definition) => withSettings(definition, input)),

    /** Saves a domain with its questions and options; `position` just past the last domain adds a new one. */
    saveDomain: (actor: Actor, id: number, position: number, input: DomainInput) =>
      changeDraft(actor, id, input.version, domainSection(position), (definition) => {
        if (position > definition.domains.length) throw new NotFoundError('Domain');
        return withDomain(definition, position, input);
      }),

    moveDomain: (actor: Actor, id: number, position: number, direction: Direction, version: number) =>
      changeDraft(actor, id, version, sections.domainOrder, (definition) => {
        if (!definition.domains[position]) throw new NotFoundError('Domain');
        return withDomainMoved(definition, position, direction);
      }),

    removeDomain: (actor: Actor, id: number, position: number, version: number) =>
      changeDraft(actor, id, version, sections.domainOrder, (definition) => {
        if (!definition.domains[position]) throw new NotFoundError('Domain');
        return withoutDomain(definition, position);
      }),

    saveAdjustments: (actor: Actor, id: number, input: AdjustmentsInput) =>
      changeDraft(actor, id, input.version, sections.adjustments, (definition) => withAdjustments(definition, input.items)),

    saveCarerBands: (actor: Actor, id: number, input: CarerBandsInput) =>
      changeDraft(actor, id, input.version, sections.carerBands, (definition) => withCarerBands(definition, input.bands)),

    /**
     * The draft is published and can never change again. It becomes the current RAS on its date:
     * at once if that is today or earlier (the previous one is retired), else on that day, while
     * the current one serves until then. Assessments keep the version they were started with, so nobody's draft assessment or past
     * budget moves. The table lock makes two publishes queue rather than race for "current".
     */
    async publish(actor: Actor, id: number, input: { effectiveFrom: string; version: number }): Promise<void> {
      requireAdmin(actor);
      await db.transaction(async (trx) => {
        await trx.raw('lock table ras_versions in exclusive mode');
        const row = await lockRasVersion(trx, id);
        if (!row) throw new NotFoundError('RAS version');
        // The same form posted twice (a double click): the first post published it.
        if (row.status === 'published' && row.publishedBy === actor.id && row.version === input.version + 1) return;
        refuseUnlessDraft(row);
        if (row.version !== input.version) throw new StaleVersionError('RAS version', row);
        const definition = await loadRasDefinition(trx, id);
        const validation = validateDefinition(definition);
        if (!validation.ok) throw new DefinitionProblemsError(validation.problems);
        const today = londonToday(clock);
        const current = await findRasVersionInForce(trx, today);
        if (current?.effectiveFrom && input.effectiveFrom < current.effectiveFrom)
          throw new EffectiveDateTooEarlyError(current.effectiveFrom);
        const retired = await publishVersion(trx, id, {
          publishedBy: actor.id,
          effectiveFrom: input.effectiveFrom,
          today,
          at: clock.now(),
        });
        for (const version of retired) {
          await recordEvent(trx, actor, {
            action: 'ras_retired',
            entityType: 'ras_version',
            entityId: version.id,
            before: { status: 'published', effective_from: version.effectiveFrom },
            after: { status: 'retired', name: version.name, replaced_by_id: id },
          });
        }
        await recordEvent(trx, actor, {
          action: 'ras_published',
          entityType: 'ras_version',
          entityId: id,
          before: { status: row.status },
          after: { status: 'published', name: row.name, effective_from: input.effectiveFrom, in_force_until_then_id: current?.id ?? null },
        });
      });
    },

    async deleteDraft(actor: Actor, id: number, version: number): Promise<void> {
      requireAdmin(actor);
      await db.transaction(async (trx) => {
        const row = await lockRasVersion(trx, id);
        if (!row) throw new NotFoundError('RAS version');
        refuseUnlessDraft(row);
        if (row.version !== version) throw new StaleVersionError('RAS version', row);
        const definition = await loadRasDefinition(trx, id);
        if (!(await deleteDraftVersion(trx, id))) throw new StaleVersionError('RAS version', row);
        await recordEvent(trx, actor, {
          action: 'ras_draft_deleted',
          entityType: 'ras_version',
          entityId: id,
          before: definition,
        });
      });
    },
  };
}

export type RasService = ReturnType<typeof rasService>;
