import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A recovery is either recorded as owed by the person, or taken from their next payments, at
    -- most cap_pence from each payment when the finance officer set a most.
    alter table direct_payment_recoveries
      add column method text not null default 'owed' check (method in ('owed', 'from_payments')),
      add column cap_pence bigint check (cap_pence > 0),
      add check (method = 'from_payments' or cap_pence is null);
    alter table direct_payment_recoveries alter column method drop default;

    -- A payment keeps what was due for its period; amount_pence is what the run pays after any
    -- recovery taken from it, which can be nothing.
    alter table direct_payments add column due_pence bigint;
    update direct_payments set due_pence = amount_pence;
    alter table direct_payments
      alter column due_pence set not null,
      drop constraint direct_payments_amount_pence_check,
      add check (amount_pence >= 0 and amount_pence <= due_pence);

    -- What each payment gave back to each recovery. A payment is made once, so a deduction is too.
    create table direct_payment_deductions (
      id serial primary key,
      recovery_id integer not null references direct_payment_recoveries (id),
      payment_id integer not null references direct_payments (id),
      amount_pence bigint not null check (amount_pence > 0),
      unique (payment_id, recovery_id)
    );
    create index direct_payment_deductions_recovery on direct_payment_deductions (recovery_id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table direct_payment_deductions;
    update direct_payments set amount_pence = due_pence;
    alter table direct_payments drop column due_pence, add check (amount_pence > 0);
    alter table direct_payment_recoveries drop column cap_pence, drop column method;
  `);
}
