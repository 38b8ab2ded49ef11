import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Council-wide rules that differ between councils; one row.
    create table council_settings (
      id integer primary key default 1 check (id = 1),
      -- Some councils send any amount above the indicative budget, even GBP 1, to panel.
      over_indicative_needs_panel boolean not null default false,
      pb_uptake_target_percent integer not null default 100 check (pb_uptake_target_percent between 0 and 100),
      version integer not null default 1
    );
    insert into council_settings (id) values (1);

    create table support_plans (
      id serial primary key,
      person_id integer not null references people (id),
      assessment_id integer not null references assessments (id),
      status text not null default 'draft' check (status in ('draft', 'submitted', 'returned', 'approved', 'replaced', 'cancelled')),
      -- Copied from the assessment when the plan starts, so the plan explains itself later.
      indicative_annual_pence bigint not null check (indicative_annual_pence >= 0),
      indicative_weekly_pence bigint not null check (indicative_weekly_pence >= 0),
      ceiling_pence bigint not null,
      people_involved text not null default '',
      contact_arrangements text not null default '',
      eligible_needs text not null default '',
      needs_council_will_meet text not null default '',
      wellbeing text not null default '',
      prevention_advice text not null default '',
      direct_payment_needs text not null default '',
      direct_payment_frequency text check (direct_payment_frequency in ('weekly', 'four_weekly', 'monthly')),
      direct_payment_basis text check (direct_payment_basis in ('gross', 'net')),
      over_indicative_reason text not null default '',
      panel_status text not null default 'not_needed' check (panel_status in ('not_needed', 'awaiting', 'approved')),
      panel_decided_by integer references users (id),
      panel_decided_at timestamptz,
      panel_note text not null default '',
      submitted_by integer references users (id),
      submitted_at timestamptz,
      returned_by integer references users (id),
      returned_at timestamptz,
      return_reason text not null default '',
      approved_by integer references users (id),
      approved_at timestamptz,
      created_by integer not null references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      -- Set when a review asked for the plan to change, so sign-off can see where it came from.
      from_review_id integer,
      version integer not null default 1
    );
    create unique index support_plans_one_open on support_plans (person_id) where status in ('draft', 'submitted', 'returned');
    create index support_plans_queue on support_plans (status, submitted_at) where status = 'submitted';
    create index support_plans_person on support_plans (person_id, created_at desc);

    create table plan_outcomes (
      id serial primary key,
      plan_id integer not null references support_plans (id) on delete cascade,
      description text not null,
      eligibility_outcomes text[] not null check (cardinality(eligibility_outcomes) > 0),
      position integer not null
    );
    create index plan_outcomes_plan on plan_outcomes (plan_id, position);

    create table plan_items (
      id serial primary key,
      plan_id integer not null references support_plans (id) on delete cascade,
      outcome_id integer not null references plan_outcomes (id),
      description text not null,
      provider text not null default '',
      funding_stream text not null check (funding_stream in ('social_care', 'supporting_people', 'health', 'other')),
      management_option text not null check (management_option in ('direct_payment', 'council_managed', 'individual_service_fund', 'prepaid_card')),
      cost_type text not null check (cost_type in ('weekly', 'unit')),
      unit_cost_pence bigint check (unit_cost_pence >= 0),
      -- Hundredths of a unit, so 7.5 hours a week is 750.
      units_per_week_hundredths integer check (units_per_week_hundredths > 0),
      weekly_pence bigint not null check (weekly_pence >= 0),
      position integer not null,
      check (cost_type = 'weekly' or (unit_cost_pence is not null and units_per_week_hundredths is not null))
    );
    create index plan_items_plan on plan_items (plan_id, position);

    create table plan_risks (
      id serial primary key,
      plan_id integer not null references support_plans (id) on delete cascade,
      risk text not null,
      how_managed text not null,
      position integer not null
    );

    create table personal_budgets (
      id serial primary key,
      person_id integer not null references people (id),
      plan_id integer not null unique references support_plans (id),
      assessment_id integer not null references assessments (id),
      start_date date not null,
      end_date date,
      end_reason text not null default '',
      weekly_pence bigint not null check (weekly_pence >= 0),
      annual_pence bigint not null check (annual_pence >= 0),
      planned_weekly_pence bigint not null check (planned_weekly_pence >= 0),
      individual_budget_weekly_pence bigint not null check (individual_budget_weekly_pence >= 0),
      direct_payment_weekly_pence bigint not null default 0,
      council_managed_weekly_pence bigint not null default 0,
      individual_service_fund_weekly_pence bigint not null default 0,
      prepaid_card_weekly_pence bigint not null default 0,
      approval_reason text not null default '',
      approved_by integer not null references users (id),
      approved_at timestamptz not null default now(),
      replaced_by_id integer references personal_budgets (id),
      check (end_date is null or end_date >= start_date - 1)
    );
    -- At most one open-ended budget per person: a new one ends the old one the day before it starts.
    create unique index personal_budgets_one_open on personal_budgets (person_id) where end_date is null;
    create index personal_budgets_person on personal_budgets (person_id, start_date desc);

    create table reviews (
      id serial primary key,
      person_id integer not null references people (id),
      budget_id integer references personal_budgets (id),
      kind text not null check (kind in ('first', 'annual', 'direct_payment', 'unplanned')),
      due_date date not null,
      status text not null default 'scheduled' check (status in ('scheduled', 'completed', 'cancelled')),
      assigned_to integer references users (id),
      reason text not null default '',
      created_at timestamptz not null default now(),
      version integer not null default 1
    );
    create index reviews_due on reviews (status, due_date);
    create index reviews_person on reviews (person_id, due_date);
    alter table support_plans add foreign key (from_review_id) references reviews (id);

    create table financial_assessments (
      id serial primary key,
      person_id integer not null references people (id),
      effective_from date not null,
      weekly_income_pence bigint not null check (weekly_income_pence >= 0),
      weekly_allowances_pence bigint not null check (weekly_allowances_pence >= 0),
      capital_pence bigint not null check (capital_pence >= 0),
      tariff_income_pence bigint not null check (tariff_income_pence >= 0),
      pays_full_cost boolean not null,
      calculated_weekly_contribution_pence bigint not null check (calculated_weekly_contribution_pence >= 0),
      weekly_contribution_pence bigint not null check (weekly_contribution_pence >= 0),
      adjustment_reason text not null default '',
      recorded_by integer not null references users (id),
      recorded_at timestamptz not null default now()
    );
    create index financial_assessments_person on financial_assessments (person_id, effective_from desc, id desc);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table financial_assessments, reviews, personal_budgets, plan_risks, plan_items, plan_outcomes, support_plans, council_settings;
  `);
}
