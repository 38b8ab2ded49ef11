import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A version published for a later date waits, published, beside the one in force until its
    -- day comes; so more than one may be published, but never two for the same day.
    drop index ras_versions_one_published;
    create unique index ras_versions_one_per_day on ras_versions (effective_from) where status = 'published';
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index ras_versions_one_per_day;
    create unique index ras_versions_one_published on ras_versions ((true)) where status = 'published';
  `);
}
