import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- What a member of staff typed into a long form and asked to keep: theirs alone, one per form
    -- and record, as posted (not checked beyond its shape), until they save the form or discard it.
    create table form_drafts (
      user_id integer not null references users (id),
      form text not null check (form in ('review', 'plan_details')),
      record_id integer not null,
      fields jsonb not null check (jsonb_typeof(fields) = 'object' and octet_length(fields::text) <= 100000),
      saved_at timestamptz not null,
      primary key (user_id, form, record_id)
    );
    create index form_drafts_record on form_drafts (form, record_id);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table form_drafts');
}
