import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A care worker's own record of a contact (a call, a visit, a letter) or a note on the case.
    -- Its author may correct it for a day after writing it; the audit trail keeps every version.
    create table case_notes (
      id serial primary key,
      person_id integer not null references people (id),
      kind text not null check (kind in ('phone_call', 'visit', 'email', 'letter', 'meeting', 'note')),
      contact_at timestamptz not null,
      involved text not null default '' check (length(involved) <= 200),
      body text not null check (length(body) between 1 and 10000),
      written_by integer not null references users (id),
      written_at timestamptz not null,
      corrected_at timestamptz,
      version integer not null default 1
    );
    create index case_notes_person on case_notes (person_id, contact_at desc, id desc);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`drop table case_notes;`);
}
