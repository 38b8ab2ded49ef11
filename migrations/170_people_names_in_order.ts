import type { Knex } from 'knex';

/**
 * The name-start indexes hold each team's names in full order (family name, given name, id), so
 * a one-word search reads its first page of a common surname from them already ranked, instead
 * of sorting all the surname's people to find the first 20.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    drop index people_family_name_starts, people_given_name_starts;
    create index people_family_name_starts on people (team_id, family_key text_pattern_ops, given_key text_pattern_ops, id) include (client_group);
    create index people_given_name_starts on people (team_id, given_key text_pattern_ops, family_key text_pattern_ops, id) include (client_group);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index people_family_name_starts, people_given_name_starts;
    create index people_family_name_starts on people (team_id, family_key text_pattern_ops) include (given_key, client_group, id);
    create index people_given_name_starts on people (team_id, given_key text_pattern_ops) include (family_key, client_group, id);
  `);
}
