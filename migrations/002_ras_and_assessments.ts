import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    create table ras_versions (
      id serial primary key,
      name text not null,
      status text not null default 'draft' check (status in ('draft', 'published', 'retired')),
      minimum_points integer not null check (minimum_points >= 0),
      floor_pence bigint not null check (floor_pence >= 0),
      ceiling_pence bigint not null check (ceiling_pence >= 0),
      effective_from date,
      based_on_id integer references ras_versions (id),
      created_by integer references users (id),
      created_at timestamptz not null default now(),
      published_by integer references users (id),
      published_at timestamptz,
      retired_at timestamptz,
      version integer not null default 1,
      check (status = 'draft' or (published_at is not null and effective_from is not null))
    );
    -- One RAS is current at a time.
    create unique index ras_versions_one_published on ras_versions ((true)) where status = 'published';

    create table ras_price_points (
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      client_group text not null,
      pence_per_point bigint not null check (pence_per_point > 0),
      primary key (ras_version_id, client_group)
    );

    create table ras_domains (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      key text not null,
      title text not null,
      position integer not null,
      unique (ras_version_id, key)
    );

    create table ras_questions (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      domain_id integer not null references ras_domains (id) on delete cascade,
      key text not null,
      text text not null,
      hint text,
      position integer not null,
      unique (ras_version_id, key)
    );

    create table ras_options (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      question_id integer not null references ras_questions (id) on delete cascade,
      key text not null,
      label text not null,
      points integer not null check (points >= 0),
      position integer not null,
      unique (question_id, key)
    );

    create table ras_adjustments (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      key text not null,
      text text not null,
      hint text,
      position integer not null,
      unique (ras_version_id, key)
    );

    create table ras_adjustment_options (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      adjustment_id integer not null references ras_adjustments (id) on delete cascade,
      key text not null,
      label text not null,
      percent integer not null check (percent between -100 and 100),
      position integer not null,
      unique (adjustment_id, key)
    );

    create table ras_carer_bands (
      id serial primary key,
      ras_version_id integer not null references ras_versions (id) on delete cascade,
      min_points integer not null check (min_points >= 0),
      max_points integer not null check (max_points >= min_points),
      annual_pence bigint not null check (annual_pence >= 0),
      position integer not null
    );

    -- A published or retired RAS explains past budgets, so the database itself refuses to change it.
    -- The only change allowed is the status moving on: draft -> published -> retired.
    create function ras_versions_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then
          raise exception 'RAS version % is % and cannot be deleted', old.id, old.status using errcode = 'integrity_constraint_violation';
        end if;
        return old;
      end if;
      if old.status = 'draft' then
        return new;
      end if;
      if old.status = 'published' and new.status = 'retired'
         and (new.name, new.minimum_points, new.floor_pence, new.ceiling_pence, new.effective_from, new.published_by, new.published_at)
             is not distinct from
             (old.name, old.minimum_points, old.floor_pence, old.ceiling_pence, old.effective_from, old.published_by, old.published_at) then
        return new;
      end if;
      raise exception 'RAS version % is % and cannot be changed', old.id, old.status using errcode = 'integrity_constraint_violation';
    end;
    $$;
    create trigger ras_versions_immutable before update or delete on ras_versions
      for each row execute function ras_versions_guard();

    create function ras_parts_guard() returns trigger language plpgsql as $$
    declare
      version_status text;
    begin
      select status into version_status from ras_versions
        where id = case when tg_op = 'DELETE' then old.ras_version_id else new.ras_version_id end;
      -- A cascade from deleting a draft finds no version row: that is allowed.
      if version_status is not null and version_status <> 'draft' then
        raise exception 'RAS version is % and its % cannot be changed', version_status, tg_table_name
          using errcode = 'integrity_constraint_violation';
      end if;
      if tg_op = 'UPDATE' and old.ras_version_id <> new.ras_version_id then
        raise exception 'RAS parts cannot move between versions' using errcode = 'integrity_constraint_violation';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end;
    $$;
  `);
  for (const table of [
    'ras_price_points',
    'ras_domains',
    'ras_questions',
    'ras_options',
    'ras_adjustments',
    'ras_adjustment_options',
    'ras_carer_bands',
  ]) {
    await db.raw(`create trigger ${table}_immutable before insert or update or delete on ${table}
      for each row execute function ras_parts_guard()`);
  }

  await db.raw(`
    create table assessments (
      id serial primary key,
      person_id integer not null references people (id),
      assessment_type text not null check (assessment_type in ('person', 'carer')),
      -- The group whose price point applies, fixed when the assessment starts.
      client_group text not null,
      ras_version_id integer not null references ras_versions (id),
      status text not null default 'draft' check (status in ('draft', 'submitted', 'superseded')),
      answers jsonb not null default '{}',
      eligibility jsonb not null default '{}',
      started_by integer not null references users (id),
      started_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      submitted_by integer references users (id),
      submitted_at timestamptz,
      superseded_at timestamptz,
      eligible boolean,
      raw_points integer,
      domain_points jsonb,
      modifier_percent integer,
      annual_pence bigint,
      weekly_pence bigint,
      below_threshold boolean,
      exceeds_ceiling boolean,
      explanation jsonb,
      version integer not null default 1,
      check (status = 'draft' or (submitted_at is not null and raw_points is not null and annual_pence is not null))
    );
    create unique index assessments_one_draft on assessments (person_id, assessment_type) where status = 'draft';
    create unique index assessments_one_current on assessments (person_id, assessment_type) where status = 'submitted';
    create index assessments_person on assessments (person_id, started_at desc);
    create index assessments_submitted on assessments (status, client_group) where status = 'submitted';

    -- What was submitted is the record of how a budget was worked out: only its status may move on.
    create function assessments_guard() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.status <> 'draft' then
          raise exception 'a submitted assessment cannot be deleted' using errcode = 'integrity_constraint_violation';
        end if;
        return old;
      end if;
      if old.status = 'draft' then
        return new;
      end if;
      if old.status = 'submitted' and new.status = 'superseded'
         and (new.answers, new.eligibility, new.ras_version_id, new.raw_points, new.annual_pence, new.weekly_pence, new.eligible, new.domain_points, new.client_group)
             is not distinct from
             (old.answers, old.eligibility, old.ras_version_id, old.raw_points, old.annual_pence, old.weekly_pence, old.eligible, old.domain_points, old.client_group) then
        return new;
      end if;
      raise exception 'assessment % is % and cannot be changed', old.id, old.status using errcode = 'integrity_constraint_violation';
    end;
    $$;
    create trigger assessments_read_only_once_submitted before update or delete on assessments
      for each row execute function assessments_guard();
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table assessments;
    drop function assessments_guard;
    drop table ras_carer_bands, ras_adjustment_options, ras_adjustments, ras_options, ras_questions, ras_domains, ras_price_points;
    drop function ras_parts_guard;
    drop table ras_versions;
    drop function ras_versions_guard;
  `);
}
