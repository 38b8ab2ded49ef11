import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    set constraints all immediate;

    -- A management option is how the council pays social care money; support the NHS or another
    -- body funds is theirs to arrange, so it has none (a printout called an NHS nurse "Council-managed budget").
    alter table plan_items alter column management_option drop not null;
    update plan_items set management_option = null where funding_stream <> 'social_care';
    alter table plan_items add constraint plan_items_managed_if_social_care
      check ((management_option is not null) = (funding_stream = 'social_care'));

    -- How a person reaches their care manager's team, printed on their plan and letters.
    alter table teams
      add column phone text not null default '' check (length(phone) <= 40),
      add column email text not null default '' check (length(email) <= 200),
      add column version integer not null default 1;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    alter table teams drop column phone, drop column email, drop column version;
    alter table plan_items drop constraint plan_items_managed_if_social_care;
    update plan_items set management_option = 'council_managed' where management_option is null;
    alter table plan_items alter column management_option set not null;
  `);
}
