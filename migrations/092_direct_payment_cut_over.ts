import type { Knex } from 'knex';

/** The tables the direct payment figures on the dashboard are read from (src/direct-payments/figures-repo.ts). */
const directPaymentTables = ['direct_payments', 'direct_payment_runs', 'direct_payment_returns', 'council_settings'];

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The day this system took over direct payments from the council's previous one: periods that
    -- start before it were paid, and their returns checked, there, so the first run does not pay
    -- every period back to each budget's start. Empty when this system has paid from the start.
    alter table council_settings add column direct_payments_from date;

    -- The dashboard's direct payment figures are kept while nothing they count changes, as its
    -- other figures are (migrations/074_dashboard_data_version.ts).
    ${directPaymentTables
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
    ${directPaymentTables
      .map((table) => `drop trigger dashboard_data_changed on ${table}; drop trigger dashboard_data_truncated on ${table};`)
      .join('\n    ')}
    alter table council_settings drop column direct_payments_from;
  `);
}
