import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The council's money rules, kept by administrators. The old yes/no "over the indicative
    -- budget needs panel" becomes a tolerance: yes is 0%, and no keeps the old behaviour as
    -- closely as a tolerance can, at 10%.
    alter table council_settings
      add column over_indicative_tolerance_percent integer not null default 10
        check (over_indicative_tolerance_percent between 0 and 100),
      add column ceiling_behaviour text not null default 'panel' check (ceiling_behaviour in ('panel', 'not_used')),
      add column direct_payment_surplus_weeks integer not null default 8 check (direct_payment_surplus_weeks between 1 and 52),
      add column local_authority_code text not null default '',
      add column updated_by integer references users (id),
      add column updated_at timestamptz;
    update council_settings set over_indicative_tolerance_percent = case when over_indicative_needs_panel then 0 else 10 end;
    alter table council_settings drop column over_indicative_needs_panel;

    -- The amount a panel agreed; finance may approve up to it and no more.
    alter table support_plans add column panel_agreed_weekly_pence bigint check (panel_agreed_weekly_pence >= 0);

    -- The Care Act s.26 figures as they were at approval and whenever a financial assessment
    -- changes them later: each row is in force from its date until the next row's. A row is
    -- never changed, so the history stays.
    create table personal_budget_charges (
      id serial primary key,
      budget_id integer not null references personal_budgets (id),
      effective_from date not null,
      -- Null: no financial assessment was in force, so what the person pays is not yet known.
      financial_assessment_id integer references financial_assessments (id),
      cost_weekly_pence bigint not null check (cost_weekly_pence >= 0),
      person_pays_weekly_pence bigint check (person_pays_weekly_pence >= 0),
      council_pays_weekly_pence bigint check (council_pays_weekly_pence >= 0),
      direct_payment_basis text check (direct_payment_basis in ('gross', 'net')),
      direct_payment_frequency text check (direct_payment_frequency in ('weekly', 'four_weekly', 'monthly')),
      direct_payment_per_payment_pence bigint check (direct_payment_per_payment_pence >= 0),
      recorded_by integer not null references users (id),
      recorded_at timestamptz not null default now(),
      check ((person_pays_weekly_pence is null) = (council_pays_weekly_pence is null)),
      check (person_pays_weekly_pence is null or person_pays_weekly_pence + council_pays_weekly_pence = cost_weekly_pence)
    );
    create index personal_budget_charges_budget on personal_budget_charges (budget_id, effective_from desc, id desc);
    -- Budgets approved before these figures were kept: the cost is known, what the person pays is not.
    insert into personal_budget_charges (budget_id, effective_from, cost_weekly_pence, recorded_by, recorded_at)
      select id, start_date, weekly_pence, approved_by, approved_at from personal_budgets;

    -- The plan's exact yearly cost, with items that cost a year or once, next to the weekly amount.
    alter table personal_budgets add column planned_annual_pence bigint check (planned_annual_pence >= 0);
    update personal_budgets set planned_annual_pence = planned_weekly_pence * 52;
    alter table personal_budgets alter column planned_annual_pence set not null;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    alter table personal_budgets drop column planned_annual_pence;
    drop table personal_budget_charges;
    alter table support_plans drop column panel_agreed_weekly_pence;
    alter table council_settings add column over_indicative_needs_panel boolean not null default false;
    update council_settings set over_indicative_needs_panel = over_indicative_tolerance_percent = 0;
    alter table council_settings
      drop column over_indicative_tolerance_percent, drop column ceiling_behaviour, drop column direct_payment_surplus_weeks,
      drop column local_authority_code, drop column updated_by, drop column updated_at;
  `);
}
