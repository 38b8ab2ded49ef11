import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table teams (
      id serial primary key,
      name text not null unique,
      created_at timestamptz not null default now()
    );

    create table users (
      id serial primary key,
      email text not null,
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('care_manager', 'team_manager', 'finance_officer', 'admin')),
      team_id integer references teams (id),
      active boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (role not in ('care_manager', 'team_manager') or team_id is not null)
    );
    create unique index users_email_unique on users (lower(email));

    -- Failed sign-ins are counted per account and per address, in the database so that a
    -- restart or a second instance does not reset them.
    create table sign_in_throttles (
      key text primary key,
      failures integer not null,
      window_started_at timestamptz not null,
      locked_until timestamptz
    );

    create table session (
      sid varchar not null primary key,
      sess json not null,
      expire timestamp(6) not null
    );
    create index session_expire on session (expire);

    create table people (
      id serial primary key,
      reference text not null,
      given_name text not null,
      family_name text not null,
      date_of_birth date not null,
      postcode text not null,
      client_group text not null check (client_group in
        ('older_people', 'learning_disability', 'physical_disability', 'mental_health', 'sensory_impairment', 'carer')),
      team_id integer not null references teams (id),
      allocated_worker_id integer references users (id),
      address text not null default '',
      phone text not null default '',
      email text not null default '',
      preferred_contact text not null default 'phone' check (preferred_contact in ('phone', 'email', 'letter')),
      referral_date date,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index people_reference_unique on people (upper(reference));
    create index people_name on people (lower(family_name), lower(given_name), id);
    create index people_team on people (team_id, client_group);
    create index people_worker on people (allocated_worker_id);
    create index people_date_of_birth on people (date_of_birth);

    create table audit_events (
      id bigserial primary key,
      occurred_at timestamptz not null default now(),
      user_id integer references users (id),
      action text not null,
      entity_type text not null,
      entity_id text not null,
      person_id integer references people (id),
      before jsonb,
      after jsonb,
      request_id text
    );
    create index audit_events_person on audit_events (person_id, occurred_at desc);
    create index audit_events_user on audit_events (user_id, occurred_at desc);
    create index audit_events_occurred on audit_events (occurred_at desc);

    create function audit_events_are_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_events is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end;
    $$;
    create trigger audit_events_append_only
      before update or delete on audit_events
      for each statement execute function audit_events_are_append_only();
    create trigger audit_events_no_truncate
      before truncate on audit_events
      for each statement execute function audit_events_are_append_only();
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table audit_events;
    drop function audit_events_are_append_only;
    drop table people;
    drop table session;
    drop table sign_in_throttles;
    drop table users;
    drop table teams;
  `);
}
