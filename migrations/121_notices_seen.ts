import type { Knex } from 'knex';

/** The audit actions a home page tells a worker about (src/home/notices.ts). */
const noticeActions = [
  'plan_approved',
  'plan_returned',
  'plan_panel_approved',
  'plan_panel_returned',
  'review_scheduled',
  'review_reassigned',
];

export async function up(db: Knex): Promise<void> {
  const actions = noticeActions.map((action) => `'${action}'`).join(', ');
  await db.raw(`
    -- How far each user has read their home page's notices: the last audit event shown to them.
    -- Events are numbered in commit order (migration 061), so one committed after the home page
    -- was read always has a higher number and is still new the next time.
    create table notices_seen (
      user_id integer primary key references users (id),
      last_event_id bigint not null
    );

    -- The few events that become notices, newest first, out of the whole trail.
    create index audit_events_notices on audit_events (occurred_at desc, id desc) where action in (${actions});
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index audit_events_notices;
    drop table notices_seen;
  `);
}
