import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The council's personal budget uptake targets, each in force from its date until the next
    -- one's, so the dashboard measures against the target of the day and older ones stay on record.
    -- A target is never changed, only added or removed, so it needs no version.
    create table uptake_targets (
      id serial primary key,
      in_force_from date not null unique,
      target_percent integer not null check (target_percent between 0 and 100),
      -- Null only for the target carried over from the single setting, whose author was not kept.
      added_by integer references users (id),
      added_at timestamptz not null default now()
    );
    insert into uptake_targets (in_force_from, target_percent)
      select (now() at time zone 'Europe/London')::date, pb_uptake_target_percent from council_settings;
    alter table council_settings drop column pb_uptake_target_percent;

    -- The settings page shows the history of these few changes out of a trail of millions of events.
    create index audit_events_settings on audit_events (occurred_at desc, id desc)
      where action in ('council_settings_changed', 'uptake_target_added', 'uptake_target_removed', 'uptake_target_changed');
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index audit_events_settings;
    alter table council_settings
      add column pb_uptake_target_percent integer not null default 100 check (pb_uptake_target_percent between 0 and 100);
    -- The one number kept is the target in force today, or failing that the first one to come.
    update council_settings set pb_uptake_target_percent = coalesce(
      (select target_percent from uptake_targets
        order by in_force_from <= (now() at time zone 'Europe/London')::date desc,
          case when in_force_from <= (now() at time zone 'Europe/London')::date then in_force_from end desc nulls last,
          in_force_from
        limit 1),
      100);
    drop table uptake_targets;
  `);
}
