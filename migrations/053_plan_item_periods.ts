import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Support that costs a year (a carer's £250) or once (equipment, a respite week) keeps the
    -- amount as typed: turned into a weekly figure it would be rounded, and 52 rounded weeks
    -- are not the amount. A one-off amount counts in the plan's first year.
    alter table plan_items
      add column yearly_pence bigint check (yearly_pence >= 0),
      add column one_off_pence bigint check (one_off_pence >= 0),
      alter column weekly_pence drop not null,
      drop constraint plan_items_cost_type_check,
      add constraint plan_items_cost_type_check check (cost_type in ('weekly', 'unit', 'yearly', 'one_off')),
      drop constraint plan_items_check,
      -- Each way of costing an item has its own amount and no other: weekly and unit items keep
      -- their weekly cost as before.
      add constraint plan_items_cost_as_typed check (case cost_type
        when 'weekly' then weekly_pence is not null and yearly_pence is null and one_off_pence is null
        when 'unit' then weekly_pence is not null and unit_cost_pence is not null and units_per_week_hundredths is not null
          and yearly_pence is null and one_off_pence is null
        when 'yearly' then yearly_pence is not null and weekly_pence is null and one_off_pence is null
          and unit_cost_pence is null and units_per_week_hundredths is null
        when 'one_off' then one_off_pence is not null and weekly_pence is null and yearly_pence is null
          and unit_cost_pence is null and units_per_week_hundredths is null
        else false
      end);

    -- A plan can be withdrawn while a draft or returned, with a reason; a newer submitted
    -- assessment supersedes plans started from an older one. Neither can be submitted or
    -- approved, and neither holds the person's one open plan, so a new plan can start.
    alter table support_plans
      drop constraint support_plans_status_check,
      add constraint support_plans_status_check
        check (status in ('draft', 'submitted', 'returned', 'approved', 'replaced', 'cancelled', 'withdrawn', 'superseded')),
      add column withdrawn_reason text not null default '',
      add column withdrawn_by integer references users (id),
      add column withdrawn_at timestamptz,
      add column superseded_by_assessment_id integer references assessments (id),
      add column superseded_at timestamptz,
      add constraint support_plans_withdrawn_says_why
        check (status <> 'withdrawn' or (withdrawn_by is not null and withdrawn_at is not null and btrim(withdrawn_reason) <> '')),
      add constraint support_plans_superseded_says_by_what
        check (status <> 'superseded' or (superseded_by_assessment_id is not null and superseded_at is not null));
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    -- The old statuses cannot say why a plan stopped; 'cancelled' is the nearest.
    update support_plans set status = 'cancelled' where status in ('withdrawn', 'superseded');
    alter table support_plans
      drop constraint support_plans_withdrawn_says_why,
      drop constraint support_plans_superseded_says_by_what,
      drop column withdrawn_reason,
      drop column withdrawn_by,
      drop column withdrawn_at,
      drop column superseded_by_assessment_id,
      drop column superseded_at,
      drop constraint support_plans_status_check,
      add constraint support_plans_status_check
        check (status in ('draft', 'submitted', 'returned', 'approved', 'replaced', 'cancelled'));

    alter table plan_items drop constraint plan_items_cost_as_typed, drop constraint plan_items_cost_type_check;
    -- Without yearly and one-off amounts, the nearest is their weekly share, rounded half up.
    update plan_items set cost_type = 'weekly', weekly_pence = (coalesce(yearly_pence, one_off_pence) * 2 + 52) / 104
      where cost_type in ('yearly', 'one_off');
    alter table plan_items
      add constraint plan_items_cost_type_check check (cost_type in ('weekly', 'unit')),
      add constraint plan_items_check
        check (cost_type = 'weekly' or (unit_cost_pence is not null and units_per_week_hundredths is not null)),
      alter column weekly_pence set not null,
      drop column yearly_pence,
      drop column one_off_pence;
  `);
}
