import type { Knex } from 'knex';

/**
 * Names as the search ranks them, kept by Postgres beside the names, and a team's names in the
 * order of their first letters: the search counts and ranks a common surname's hundreds of
 * matches from an index alone, without reading a row or lowering each name at every search.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    alter table people
      add column family_key text generated always as (lower(family_name)) stored,
      add column given_key text generated always as (lower(given_name)) stored;

    -- Names that start with a word, within a team: each holds what ranking and filtering need.
    create index people_family_name_starts on people (team_id, family_key text_pattern_ops) include (given_key, client_group, id);
    create index people_given_name_starts on people (team_id, given_key text_pattern_ops) include (family_key, client_group, id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index people_family_name_starts, people_given_name_starts;
    alter table people drop column family_key, drop column given_key;
  `);
}
