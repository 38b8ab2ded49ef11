import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- An account return: what the direct payment account's statement showed for a period. The
    -- figures must add up, and two returns of a person never cover the same day.
    create table direct_payment_returns (
      id serial primary key,
      person_id integer not null references people (id),
      period_from date not null,
      period_to date not null check (period_from <= period_to),
      opening_balance_pence bigint not null check (opening_balance_pence >= 0),
      money_in_pence bigint not null check (money_in_pence >= 0),
      money_out_pence bigint not null check (money_out_pence >= 0),
      closing_balance_pence bigint not null check (closing_balance_pence >= 0),
      -- The threshold as it stood for this return: the council's number of weeks times the weekly payment then.
      surplus_threshold_pence bigint not null check (surplus_threshold_pence >= 0),
      surplus boolean not null,
      recorded_by integer not null references users (id),
      recorded_at timestamptz not null,
      check (opening_balance_pence + money_in_pence - money_out_pence = closing_balance_pence),
      constraint direct_payment_returns_no_overlap exclude using gist (person_id with =, daterange(period_from, period_to, '[]') with &&)
    );

    -- Money the council asks back, recorded as owed by the person.
    create table direct_payment_recoveries (
      id serial primary key,
      person_id integer not null references people (id),
      return_id integer references direct_payment_returns (id),
      amount_pence bigint not null check (amount_pence > 0),
      reason text not null check (length(reason) between 1 and 1000),
      recorded_by integer not null references users (id),
      recorded_at timestamptz not null
    );
    create index direct_payment_recoveries_person on direct_payment_recoveries (person_id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table direct_payment_recoveries;
    drop table direct_payment_returns;
  `);
}
