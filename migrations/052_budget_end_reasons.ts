import type { Knex } from 'knex';

/** DOMAIN.md, "Money rules at sign-off": the reasons a personal budget ends, as the app writes them. */
const reasons = `'replaced', 'no_longer_eligible', 'needs_met_another_way', 'moved_out_of_area', 'moved_into_residential_care', 'declined', 'died'`;
/** A review never replaces a budget: only finance's sign-off of a new one does. */
const reviewReasons = `'no_longer_eligible', 'needs_met_another_way', 'moved_out_of_area', 'moved_into_residential_care', 'declined', 'died'`;

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Why a budget ended becomes a code the returns and reports can count. The one reason the app
    -- wrote itself is mapped; any other words (a review's reason, typed freely until now) are kept
    -- as the note, with the code left empty because nobody chose one.
    alter table personal_budgets
      add column end_note text not null default '',
      add column ended_by integer references users (id),
      add column ended_at timestamptz,
      -- Ending a budget is checked against the version its form was opened at.
      add column version integer not null default 1;
    update personal_budgets set end_note = end_reason where end_reason not in ('', 'Replaced by a new personal budget');
    update personal_budgets set end_reason = case when end_reason = 'Replaced by a new personal budget' then 'replaced' else '' end;

    -- Who ended a budget before this was kept is in the audit trail; the latest ending is the one that stands.
    update personal_budgets b set ended_by = e.user_id, ended_at = e.occurred_at
      from (
        select distinct on (entity_id) entity_id, user_id, occurred_at
          from audit_events
         where action = 'budget_ended' and entity_type = 'personal_budget'
         order by entity_id, occurred_at desc, id desc
      ) e
     where b.end_date is not null and e.entity_id = b.id::text;

    alter table personal_budgets
      add constraint personal_budgets_end_reason check (end_reason in ('', ${reasons})),
      add constraint personal_budgets_open_has_no_ending
        check (end_date is not null or (end_reason = '' and end_note = '' and ended_by is null and ended_at is null));

    alter table reviews add column decision_end_note text not null default '';
    update reviews set decision_end_note = decision_end_reason, decision_end_reason = '' where decision_end_reason <> '';
    alter table reviews add constraint reviews_decision_end_reason check (decision_end_reason in ('', ${reviewReasons}));
  `);
}

export async function down(db: Knex): Promise<void> {
  // The codes go back to words, with any note after them, so nothing recorded since is lost.
  const inWords = (reason: string, note: string) => `concat_ws(': ', nullif(case ${reason}
      when 'replaced' then 'Replaced by a new personal budget'
      when 'no_longer_eligible' then 'Needs no longer eligible'
      when 'needs_met_another_way' then 'Needs met another way'
      when 'moved_out_of_area' then 'Moved out of the area'
      when 'moved_into_residential_care' then 'Moved into residential or nursing care'
      when 'declined' then 'Declined by the person'
      when 'died' then 'Died'
      else '' end, ''), nullif(${note}, ''))`;
  await db.raw(`
    alter table reviews drop constraint reviews_decision_end_reason;
    update reviews set decision_end_reason = ${inWords('decision_end_reason', 'decision_end_note')};
    alter table reviews drop column decision_end_note;

    alter table personal_budgets drop constraint personal_budgets_open_has_no_ending, drop constraint personal_budgets_end_reason;
    update personal_budgets set end_reason = ${inWords('end_reason', 'end_note')};
    alter table personal_budgets drop column end_note, drop column ended_by, drop column ended_at, drop column version;
  `);
}
