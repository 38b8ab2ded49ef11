import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAuditEvent } from '../../src/audit/repo.js';
import { createDb } from '../../src/db/knex.js';
import { grantAppPrivileges } from '../../src/db/privileges.js';
import { aTeam, aUser } from '../support/builders.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** The error PostgreSQL gives the app's role, or undefined if the statement ran. */
async function refusal(t: TestDatabase, sql: string): Promise<string | undefined> {
  try {
    await t.appDb.raw(sql);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe("the app's database role", () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
    const team = await aTeam(t.db);
    const user = await aUser(t.db, { role: 'admin', teamId: team.id });
    await insertAuditEvent(t.appDb, { userId: user.id, requestId: 'r1', action: 'team_created', entityType: 'team', entityId: team.id });
  });
  afterAll(async () => t.drop());

  it('is neither a superuser nor the owner of the tables', async () => {
    const [row] = (
      await t.appDb.raw(`select rolsuper, (select tableowner from pg_tables where tablename = 'audit_events') = current_user as owns
        from pg_roles where rolname = current_user`)
    ).rows as [{ rolsuper: boolean; owns: boolean }];
    expect(row).toEqual({ rolsuper: false, owns: false });
  });

  it('adds to and reads the audit trail', async () => {
    const rows = (await t.appDb('audit_events').select('id')) as unknown[];
    expect(rows.length).toBe(1);
  });

  it('cannot change or remove audit events: the privilege is refused before the guard trigger is reached', async () => {
    expect(await refusal(t, `update audit_events set action = 'signed_in'`)).toBe(
      "update audit_events set action = 'signed_in' - permission denied for table audit_events",
    );
    expect(await refusal(t, 'delete from audit_events')).toBe('delete from audit_events - permission denied for table audit_events');
    expect(await refusal(t, 'truncate audit_events')).toBe('truncate audit_events - permission denied for table audit_events');
  });

  it('cannot switch off the audit triggers, nor all triggers for its session', async () => {
    expect(await refusal(t, 'alter table audit_events disable trigger audit_events_append_only')).toMatch(
      /must be owner of table audit_events/,
    );
    expect(await refusal(t, 'alter table audit_events disable trigger audit_events_chain')).toMatch(/must be owner of table audit_events/);
    expect(await refusal(t, 'set session_replication_role = replica')).toMatch(
      /permission denied to set parameter "session_replication_role"/,
    );
  });

  it('cannot create tables nor change the chain head', async () => {
    expect(await refusal(t, 'create table notes (id int)')).toMatch(/permission denied for schema public/);
    expect(await refusal(t, 'update audit_chain_head set last_id = 0')).toMatch(/permission denied for table audit_chain_head/);
  });

  it('changes the data it needs: people, sessions and the rest', async () => {
    expect(await refusal(t, `update people set given_name = given_name`)).toBeUndefined();
    expect(await refusal(t, `delete from session where expire < now()`)).toBeUndefined();
  });

  it('gets tables a later migration adds without a grant of their own', async () => {
    await t.db.raw('create table later_migration_table (id serial primary key, note text)');
    expect(await refusal(t, `insert into later_migration_table (note) values ('added')`)).toBeUndefined();
    expect(await refusal(t, 'drop table later_migration_table')).toMatch(/must be owner of table later_migration_table/);
  });

  it('is given nothing when the app serves as the owner, as with a single DATABASE_URL', async () => {
    const owner = createDb(t.url, 1);
    try {
      const [{ role }] = (await owner.raw('select current_user as role')).rows as [{ role: string }];
      await expect(grantAppPrivileges(owner, role)).resolves.toBeUndefined();
    } finally {
      await owner.destroy();
    }
  });
});
