import type { Knex } from 'knex';
import { insertAuditEvent } from '../audit/repo.js';
import { londonToday, type Clock } from '../clock.js';
import { defaultRasDefinition } from './default-ras.js';
import type { RasDefinition } from './definition.js';
import { findPublishedRasVersion, insertDraftVersion, loadRasDefinition, publishVersion } from './repo.js';

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
    await publishVersion(trx, id, { publishedBy: null, effectiveFrom: londonToday(clock), at: clock.now() });
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

/** The current RAS in the definition format, as `ras export` prints it. */
export async function exportPublishedDefinition(db: Knex): Promise<RasDefinition | undefined> {
  const published = await findPublishedRasVersion(db);
  return published ? loadRasDefinition(db, published.id) : undefined;
}
