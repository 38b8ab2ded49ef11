import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The council's own format for the references Selfdirect gives people it adds: a prefix and
    -- the number of digits the number is written with (SD- and 5 make SD-00123). A reference is
    -- 3 to 20 letters, numbers or hyphens, so the two together always make one.
    alter table council_settings
      add column reference_prefix text not null default 'SD-' check (reference_prefix = '' or reference_prefix ~ '^[A-Z0-9][A-Z0-9-]{0,9}$'),
      add column reference_digits integer not null default 5 check (reference_digits between 3 and 10);

    -- Each person added takes the next number, so two added at the same moment never share one.
    create sequence person_reference_numbers;

    -- References already in the default format were typed by hand before: numbering starts after them.
    select setval('person_reference_numbers', max(substring(reference from 4)::bigint))
      from people
      where reference ~ '^SD-[0-9]{1,18}$'
      having max(substring(reference from 4)::bigint) > 0;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop sequence person_reference_numbers;
    alter table council_settings drop column reference_prefix, drop column reference_digits;
  `);
}
