import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

type Migration = { up: (db: Knex) => Promise<void>; down?: (db: Knex) => Promise<void> };

/**
 * Knex's own loader imports files with Node's loader, which cannot read TypeScript under
 * vitest or tsx in every case; loading them through our own import() keeps one path for both.
 */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () =>
    readdirSync(migrationsDir)
      .filter((file) => /^\d{3}_[a-z0-9_]+\.ts$/.test(file))
      .sort(),
  getMigrationName: (file) => file,
  getMigration: async (file) => {
    const loaded = (await import(pathToFileURL(path.join(migrationsDir, file)).href)) as Migration;
    return { up: loaded.up, down: loaded.down ?? (async () => undefined) };
  },
};

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}

export class MigrationsAheadError extends Error {}

/**
 * Knex would stop with "the migration directory is corrupt"; an operator needs to know that the
 * database was upgraded by a newer version of the app than the one starting.
 */
export async function refuseMigrationsNewerThanCode(db: Knex): Promise<void> {
  if (!(await db.schema.hasTable('knex_migrations'))) return;
  const applied = (await db('knex_migrations').pluck('name')) as string[];
  const known = new Set(await migrationSource.getMigrations([]));
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new MigrationsAheadError(
      `The database has migrations this version of Selfdirect does not have (${unknown.join(', ')}): it was upgraded by a newer version. Run that version, or restore a backup taken with this one.`,
    );
  }
}
