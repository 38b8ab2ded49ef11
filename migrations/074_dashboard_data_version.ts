import type { Knex } from 'knex';

/** Every table the dashboard's figures are read from (src/dashboard/repo.ts, and the uptake targets). */
const dashboardTables = ['people', 'teams', 'assessments', 'support_plans', 'personal_budgets', 'uptake_targets'];

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A number that moves whenever a row the dashboard counts changes, however it was changed (by
    -- the app, a script or by hand): the dashboard keeps its figures while the number stands still
    -- (src/dashboard/service.ts). Searches, sign-ins and sessions write to none of these tables,
    -- so reading the app all day leaves it alone.
    create table dashboard_data_version (
      only_row boolean primary key default true check (only_row),
      version bigint not null
    );
    insert into dashboard_data_version (version) values (0);

    -- Runs at commit, once per transaction however many rows it wrote: the counter's row is locked
    -- last, after everything else the transaction holds, so two transactions cannot wait on each
    -- other through it. Committing transactions queue on that row as audited ones already queue on
    -- the audit chain's lock. Security definer: the app's role may read the counter, never set it.
    create function note_dashboard_data_change() returns trigger language plpgsql security definer
      set search_path = pg_catalog, public as $$
    begin
      if current_setting('selfdirect.dashboard_data_changed', true) = 'yes' then
        return null;
      end if;
      perform set_config('selfdirect.dashboard_data_changed', 'yes', true);
      update dashboard_data_version set version = version + 1;
      return null;
    end;
    $$;
    ${dashboardTables
      .map(
        (table) => `
    create constraint trigger dashboard_data_changed after insert or update or delete on ${table}
      deferrable initially deferred for each row execute function note_dashboard_data_change();
    create trigger dashboard_data_truncated after truncate on ${table}
      for each statement execute function note_dashboard_data_change();`,
      )
      .join('')}
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    ${dashboardTables
      .map((table) => `drop trigger dashboard_data_changed on ${table}; drop trigger dashboard_data_truncated on ${table};`)
      .join('\n    ')}
    drop function note_dashboard_data_change;
    drop table dashboard_data_version;
  `);
}
