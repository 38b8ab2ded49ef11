import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A team manager's home counts each worker's people: 12,500 in a large team, counted from
    -- this index alone instead of from the people's rows.
    create index people_team_worker on people (team_id, allocated_worker_id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index people_team_worker');
}
