import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A form posted after its sender's session had ended: nothing was changed, the text waits here
    -- (for an hour at most) to be offered back once they sign in again. The browser holds the token;
    -- only its hash is stored, so the table alone cannot claim anything.
    create table kept_posts (
      token_hash bytea primary key check (octet_length(token_hash) = 32),
      -- Who was signed in when the session ended, when that could still be read; otherwise whoever
      -- signs in next in the same browser.
      user_id integer references users (id),
      page text not null check (page like '/%' and length(page) <= 500),
      fields jsonb not null check (jsonb_typeof(fields) = 'object' and octet_length(fields::text) <= 100000),
      kept_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > kept_at)
    );
    create index kept_posts_expiry on kept_posts (expires_at);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table kept_posts');
}
