import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The people search finds a postcode however it was typed ("ls14ap", "LS1 4AP"): compared
    -- without spaces and in capitals, through this index, so it never reads the whole table. The
    -- expression, not the column, because records brought over from older systems may not be
    -- spaced the way the form now keeps them.
    create index people_postcode on people ((upper(replace(postcode, ' ', ''))));
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index people_postcode');
}
