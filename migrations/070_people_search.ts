import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- pg_trgm is a trusted extension: the owning role creates it with CREATE on the database,
    -- no superuser needed (where a council's DBA has already created it, this does nothing).
    create extension if not exists pg_trgm;

    -- One index for both ways the search finds a name: LIKE 'okaf%' (a prefix, which the btree
    -- index cannot serve under a C.UTF-8 collation) and % (a near-miss spelling, "Okafer").
    -- People are added a few a day and searched all day: without fastupdate each is indexed as it
    -- is added, instead of waiting in a pending list that every search would have to read through.
    create index people_name_trigrams on people
      using gin (lower(family_name) gin_trgm_ops, lower(given_name) gin_trgm_ops)
      with (fastupdate = off);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index people_name_trigrams;
    drop extension if exists pg_trgm;
  `);
}
