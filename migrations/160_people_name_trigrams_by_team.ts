import type { Knex } from 'knex';

/**
 * The trigram index holds each person's team as well as their names, so a team's search for a
 * rare name or a near miss finds the team's matches in the index alone. Before, Postgres listed
 * the team's 12,500 people from another index to intersect with the names' matches, which was
 * most of the search's work. Searches of every team use the same index without the team.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- btree_gin lets a GIN index hold a plain column such as team_id. Like pg_trgm it is trusted:
    -- the owning role creates it, no superuser needed.
    create extension if not exists btree_gin;

    drop index people_name_trigrams;
    create index people_name_trigrams on people
      using gin (team_id, lower(family_name) gin_trgm_ops, lower(given_name) gin_trgm_ops)
      with (fastupdate = off);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index people_name_trigrams;
    create index people_name_trigrams on people
      using gin (lower(family_name) gin_trgm_ops, lower(given_name) gin_trgm_ops)
      with (fastupdate = off);
    drop extension if exists btree_gin;
  `);
}
