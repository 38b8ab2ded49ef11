import type { Knex } from 'knex';

/** Tables the app may add to and read, but never change: the trail of who did what. */
const appendOnlyTables = ['audit_events'] as const;

/** Kept by triggers that run as the owner; the app reads them (the dashboard's data version). */
const readOnlyTables = ['dashboard_data_version'] as const;

/** The audit chain's head (kept by a trigger that runs as the owner) and the migrations' own records. */
const ownerOnlyTables = ['audit_chain_head', 'knex_migrations', 'knex_migrations_lock'] as const;

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Gives the role the app serves as data access and nothing more: it does not own the tables, so
 * it cannot alter them, disable their triggers or create new ones, and it may only add to and read
 * the audit trail. Run as the owning role after every migration, so a restored backup (whose
 * tables the restoring role owns, with no grants) is served again; the default privileges cover
 * tables that a later migration adds while the app is running.
 */
export async function grantAppPrivileges(ownerDb: Knex, appRole: string): Promise<void> {
  const app = quoteIdentifier(appRole);
  const [{ owner }] = (await ownerDb.raw('select current_user as owner')).rows as [{ owner: string }];
  if (owner === appRole) return;
  const appendOnly = appendOnlyTables.map(quoteIdentifier).join(', ');
  const readOnly = readOnlyTables.map(quoteIdentifier).join(', ');
  const ownerOnly = ownerOnlyTables.map(quoteIdentifier).join(', ');
  await ownerDb.transaction(async (trx) => {
    await trx.raw(`
      revoke create on schema public from public;
      grant usage on schema public to ${app};
      grant select, insert, update, delete on all tables in schema public to ${app};
      grant usage, select on all sequences in schema public to ${app};
      revoke update, delete, truncate on ${appendOnly} from ${app};
      revoke insert, update, delete, truncate on ${readOnly} from ${app};
      revoke all on ${ownerOnly} from ${app};
      alter default privileges in schema public grant select, insert, update, delete on tables to ${app};
      alter default privileges in schema public grant usage, select on sequences to ${app};
    `);
  });
}

/** The user a connection URL signs in as. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}
