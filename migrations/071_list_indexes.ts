import type { Knex } from 'knex';

/**
 * Indexes for the lists read a page at a time (src/db/paging.ts), so each page is a short walk
 * down an index in the list's usual order rather than a sort of everything that matches.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A care manager's people by name: the first 50 of 12,500 without sorting them all. It also
    -- serves everything people_worker did.
    create index people_worker_name on people (allocated_worker_id, lower(family_name), lower(given_name), id);
    drop index people_worker;

    -- A team's people waiting for a worker, the longest waiting first.
    create index people_unallocated on people (team_id, created_at, id) where allocated_worker_id is null;

    -- A person's next scheduled review, looked up for each row of a page of people.
    create index reviews_next_scheduled on reviews (person_id, due_date) where status = 'scheduled';

    -- A worker's drafts: a few among every assessment and plan ever written.
    create index assessments_draft_by on assessments (started_by) where status = 'draft';
    create index support_plans_draft_by on support_plans (created_by) where status = 'draft';

    -- Budgets starting in a week, for finance to set up.
    create index personal_budgets_start on personal_budgets (start_date, id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index personal_budgets_start;
    drop index support_plans_draft_by;
    drop index assessments_draft_by;
    drop index reviews_next_scheduled;
    drop index people_unallocated;
    create index people_worker on people (allocated_worker_id);
    drop index people_worker_name;
  `);
}
