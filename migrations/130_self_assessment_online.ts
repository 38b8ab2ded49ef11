import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- An access code a care manager gives a person so they can fill in their own self-assessment
    -- online. Only a hash of the code is kept. Creating a new code revokes the person's earlier
    -- one, so at most one is ever unrevoked.
    create table self_assessment_invitations (
      id serial primary key,
      person_id integer not null references people (id),
      code_hash text not null,
      created_by integer not null references users (id),
      created_at timestamptz not null,
      expires_at timestamptz not null check (expires_at > created_at),
      revoked_at timestamptz,
      revoked_by integer references users (id),
      check ((revoked_at is null) = (revoked_by is null))
    );
    create unique index self_assessment_invitations_one_unrevoked on self_assessment_invitations (person_id) where revoked_at is null;

    -- What the person answered themselves, kept apart from the assessment the care manager
    -- agrees with them (whose answers are the agreed ones, and which alone is scored).
    create table self_assessments (
      id serial primary key,
      person_id integer not null references people (id),
      ras_version_id integer not null references ras_versions (id),
      status text not null default 'in_progress' check (status in ('in_progress', 'submitted', 'reviewed')),
      answers jsonb not null default '{}'::jsonb,
      started_at timestamptz not null,
      updated_at timestamptz not null,
      submitted_at timestamptz,
      assessment_id integer references assessments (id),
      version integer not null default 1,
      check ((status = 'in_progress') = (submitted_at is null))
    );
    -- One self-assessment under way or waiting for the care manager per person.
    create unique index self_assessments_one_open on self_assessments (person_id) where status <> 'reviewed';
    create index self_assessments_person on self_assessments (person_id, started_at desc);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table self_assessments; drop table self_assessment_invitations;');
}
