import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Impact modelling reads everyone's latest submitted assessment (distinct on person_id, by
    -- submitted_at and id): walking this index gives them in that order, where before the wide
    -- rows with their answers were sorted, spilling to disk at a large council's size.
    create index assessments_latest_submitted on assessments (person_id, submitted_at desc, id desc) where status = 'submitted';
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index assessments_latest_submitted');
}
