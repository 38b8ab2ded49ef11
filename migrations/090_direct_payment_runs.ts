import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Where a person's direct payment goes: their own account, a representative's, or a managing
    -- organisation's. One account a person at a time; a change is kept in the audit trail.
    create table direct_payment_bank_accounts (
      id serial primary key,
      person_id integer not null unique references people (id),
      recipient_kind text not null check (recipient_kind in ('person', 'representative', 'managing_organisation')),
      account_name text not null check (length(account_name) between 1 and 100),
      sort_code text not null check (sort_code ~ '^[0-9]{6}$'),
      account_number text not null check (account_number ~ '^[0-9]{8}$'),
      version integer not null default 1,
      updated_by integer not null references users (id),
      updated_at timestamptz not null default now()
    );

    -- A payment run: every direct payment due by its payment date, created by one finance
    -- officer and approved by another before it is exported. The database refuses an approval
    -- by the run's creator too, so no code path can skip the second pair of eyes.
    create table direct_payment_runs (
      id serial primary key,
      payment_date date not null,
      status text not null default 'awaiting_approval' check (status in ('awaiting_approval', 'approved')),
      created_by integer not null references users (id),
      created_at timestamptz not null default now(),
      approved_by integer references users (id),
      approved_at timestamptz,
      version integer not null default 1,
      check ((status = 'approved') = (approved_by is not null and approved_at is not null)),
      check (approved_by <> created_by)
    );

    -- One payment of one budget for one payment period, with the bank details as they were
    -- when the run was made, so what was approved is what is exported. Nobody is paid twice:
    -- one payment per budget and period, and no two payments of a person cover the same day.
    create table direct_payments (
      id serial primary key,
      run_id integer not null references direct_payment_runs (id),
      budget_id integer not null references personal_budgets (id),
      person_id integer not null references people (id),
      period_start date not null,
      period_end date not null,
      covers_from date not null,
      covers_to date not null,
      amount_pence bigint not null check (amount_pence > 0),
      account_name text not null,
      sort_code text not null check (sort_code ~ '^[0-9]{6}$'),
      account_number text not null check (account_number ~ '^[0-9]{8}$'),
      reference text not null,
      check (period_start <= covers_from and covers_from <= covers_to and covers_to <= period_end),
      constraint direct_payments_once_a_period unique (budget_id, period_start),
      constraint direct_payments_no_day_twice exclude using gist (person_id with =, daterange(covers_from, covers_to, '[]') with &&)
    );
    create index direct_payments_run on direct_payments (run_id);
    create index direct_payments_person on direct_payments (person_id, period_start);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table direct_payments;
    drop table direct_payment_runs;
    drop table direct_payment_bank_accounts;
  `);
}
