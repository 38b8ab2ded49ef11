import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Empty until someone records it, so everyone already on the system stays valid; one person
    -- per NHS number, which the unique index (it ignores the empty ones) keeps, and the search finds
    -- a number through it.
    alter table people
      add column nhs_number char(10) check (nhs_number ~ '^[0-9]{10}$');
    create unique index people_nhs_number on people (nhs_number);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('alter table people drop column nhs_number');
}
