import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- A new account, or one whose password an administrator reset, has no password until its
    -- owner sets one through a one-time link: no administrator ever types or knows it.
    alter table users
      alter column password_hash drop not null,
      add column totp_secret text,
      add column totp_enrolled_at timestamptz,
      add check ((totp_secret is null) = (totp_enrolled_at is null));

    create table recovery_codes (
      id serial primary key,
      user_id integer not null references users (id),
      code_hash text not null,
      used_at timestamptz
    );
    create index recovery_codes_user on recovery_codes (user_id) where used_at is null;

    -- Only a SHA-256 of the token is kept: the token itself is 256 random bits, so the hash
    -- cannot be reversed, and someone reading this table cannot use a link.
    create table set_password_links (
      token_hash text primary key,
      user_id integer not null references users (id),
      created_by integer references users (id),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index set_password_links_user on set_password_links (user_id);

    -- The old lock-out counted failures per typed address; the new attempts are counted per
    -- account and address pair, per address and per account's code step, with keys that hold
    -- account ids rather than anything typed.
    delete from sign_in_throttles;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table set_password_links;
    drop table recovery_codes;
    alter table users drop column totp_enrolled_at, drop column totp_secret;
  `);
}
