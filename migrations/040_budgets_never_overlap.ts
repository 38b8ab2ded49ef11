import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Lets a gist index compare person_id with =, next to the date ranges.
    create extension if not exists btree_gist;

    -- A person has at most one personal budget on any day. The range is written half-open with
    -- end_date + 1 rather than '[]': a budget replaced the day before it started (end_date =
    -- start_date - 1, which the table allows) is then an empty range that covers no day, where
    -- '[]' would refuse to build it. A null end_date is an open upper bound.
    alter table personal_budgets
      add constraint personal_budgets_no_overlap
      exclude using gist (person_id with =, daterange(start_date, end_date + 1) with &&);
  `);
}

export async function down(db: Knex): Promise<void> {
  // The extension stays: other objects may have come to use it since.
  await db.raw(`alter table personal_budgets drop constraint personal_budgets_no_overlap`);
}
