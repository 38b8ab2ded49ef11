import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A case note can be long (a visit written up afterwards): it keeps a draft as the review and
    -- the plan's details do, under the person it is about.
    alter table form_drafts drop constraint form_drafts_form_check;
    alter table form_drafts add constraint form_drafts_form_check check (form in ('review', 'plan_details', 'case_note'));
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    delete from form_drafts where form = 'case_note';
    alter table form_drafts drop constraint form_drafts_form_check;
    alter table form_drafts add constraint form_drafts_form_check check (form in ('review', 'plan_details'));
  `);
}
