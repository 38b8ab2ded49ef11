import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Each event carries a hash over its content and the previous event's hash, so an event
    -- changed or taken out afterwards breaks the chain at that point (npm run audit:verify).
    -- The content is a jsonb array: its text form is the same whatever the session's settings,
    -- and the time is written in UTC to the microsecond for the same reason.
    alter table audit_events add column previous_hash text, add column hash text;

    create function audit_event_hash(event audit_events) returns text language sql immutable as $$
      select encode(sha256(convert_to(jsonb_build_array(
        event.id,
        to_char(event.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        event.user_id, event.action, event.entity_type, event.entity_id, event.person_id,
        event.before, event.after, event.request_id, event.previous_hash
      )::text, 'UTF8')), 'hex')
    $$;

    -- The last event's id and hash: a deleted last event, which no later event would point
    -- past, is still found.
    create table audit_chain_head (
      only_row boolean primary key default true check (only_row),
      last_id bigint not null,
      last_hash text not null
    );

    alter table audit_events disable trigger audit_events_append_only;
    do $$
    declare
      event audit_events;
      previous text := '';
    begin
      for event in select * from audit_events order by id loop
        event.previous_hash := previous;
        event.hash := audit_event_hash(event);
        update audit_events set previous_hash = event.previous_hash, hash = event.hash where id = event.id;
        previous := event.hash;
      end loop;
    end;
    $$;
    alter table audit_events enable trigger audit_events_append_only;
    insert into audit_chain_head (last_id, last_hash)
      select id, hash from audit_events order by id desc limit 1;
    alter table audit_events alter column previous_hash set not null, alter column hash set not null;

    -- One insert at a time across all connections (a transaction-level advisory lock, held to
    -- commit): the id is taken inside the lock, so the chain runs in id order and two inserts can
    -- never both follow the same event. Reading the head FOR UPDATE makes a repeatable-read
    -- transaction that would see an old head fail instead of forking the chain.
    -- Security definer: the app's role may insert events but never touch the head itself.
    create function audit_events_chain() returns trigger language plpgsql security definer
      set search_path = pg_catalog, public as $$
    declare
      head audit_chain_head;
    begin
      perform pg_advisory_xact_lock(hashtext('selfdirect.audit_events'));
      select * into head from audit_chain_head for update;
      new.id := nextval(pg_get_serial_sequence('public.audit_events', 'id'));
      new.previous_hash := coalesce(head.last_hash, '');
      new.hash := audit_event_hash(new);
      if head.last_hash is null then
        insert into audit_chain_head (last_id, last_hash) values (new.id, new.hash);
      else
        update audit_chain_head set last_id = new.id, last_hash = new.hash;
      end if;
      return new;
    end;
    $$;
    create trigger audit_events_chain before insert on audit_events
      for each row execute function audit_events_chain();
    -- The trigger numbers every event; a default as well would spend two numbers on each.
    alter table audit_events alter column id drop default;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    alter table audit_events alter column id set default nextval(pg_get_serial_sequence('audit_events', 'id'));
    drop trigger audit_events_chain on audit_events;
    drop function audit_events_chain;
    drop table audit_chain_head;
    drop function audit_event_hash;
    alter table audit_events drop column previous_hash, drop column hash;
  `);
}
