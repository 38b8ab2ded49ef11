import type { Knex } from 'knex';

/*
 * What the Client Level Data return asks of a person, and requests for support as events of their
 * own. The code lists are written out here rather than imported, so this migration stays as it ran
 * when src/people/client-level-data.ts later grows.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Every new column may be empty, so everyone already on the system stays valid until someone
    -- fills it in; the CLD check page lists who still misses a mandatory one.
    alter table people
      add column gender text check (gender in ('male', 'female', 'other', 'not_stated', 'not_known')),
      add column ethnicity text check (ethnicity in ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'Z', '99')),
      add column primary_support_reason text check (primary_support_reason in
        ('physical_access_mobility', 'physical_personal_care', 'sensory_visual', 'sensory_hearing', 'sensory_dual', 'memory_cognition', 'learning_disability', 'mental_health', 'social_substance_misuse', 'social_asylum_seeker', 'social_isolation_other')),
      add column accommodation_status text check (accommodation_status in
        ('owner_occupier', 'tenant_council', 'tenant_housing_association', 'tenant_private', 'with_family_settled', 'supported_accommodation', 'shared_lives', 'sheltered_housing', 'approved_premises', 'traveller_site', 'rough_sleeping', 'night_shelter', 'refuge', 'temporary_council_placed', 'with_family_short_term', 'hospital', 'care_home', 'nursing_home', 'prison', 'other_temporary', 'unknown')),
      add column employment_status text check (employment_status in
        ('paid_16_hours_or_more', 'paid_under_16_hours', 'paid_hours_unknown', 'seeking_work', 'voluntary_work_only', 'not_seeking_work', 'unknown')),
      -- Null is "not asked yet", which the return must tell apart from "no".
      add column has_unpaid_carer boolean,
      add column date_of_death date,
      add constraint people_death_after_birth check (date_of_death >= date_of_birth);

    -- A carer's record names the people they care for (the service keeps it to three, as CLD does).
    create table carer_links (
      carer_id integer not null references people (id),
      cared_for_id integer not null references people (id),
      created_at timestamptz not null default now(),
      primary key (carer_id, cared_for_id),
      check (carer_id <> cared_for_id)
    );
    create index carer_links_cared_for on carer_links (cared_for_id);

    -- A request for support (a referral), with how it reached the council and, once dealt with,
    -- what was decided. A person may make several over the years.
    create table support_requests (
      id serial primary key,
      person_id integer not null references people (id),
      received_on date not null,
      route_of_access text not null check (route_of_access in
        ('planned_entry_transition', 'discharge_from_hospital', 'diversion_from_hospital', 'community_other', 'prison', 'self_funder', 'discharge_from_reablement', 'transfer_from_other_council')),
      outcome text check (outcome in
        ('progress_to_assessment', 'progress_to_reablement', 'progress_to_support_planning', 'nfa_information_signposting', 'nfa_support_declined', 'nfa_self_funder', 'nfa_moved_away', 'nfa_deceased', 'nfa_nhs_funded', 'nfa_other')),
      decided_on date,
      cancelled_at timestamptz,
      recorded_by integer references users (id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      check ((outcome is null) = (decided_on is null)),
      check (decided_on >= received_on)
    );
    create index support_requests_person on support_requests (person_id, received_on desc);
    create index support_requests_received on support_requests (received_on);

    -- Everyone referred so far made one request, on their referral date. Nobody recorded its route,
    -- so it is the CLD default; it went on to an assessment once one was started.
    insert into support_requests (person_id, received_on, route_of_access, outcome, decided_on)
    select p.id, p.referral_date, 'community_other',
      case when first_assessment.started_on is not null then 'progress_to_assessment' end,
      case when first_assessment.started_on is not null then greatest(first_assessment.started_on, p.referral_date) end
    from people p
    left join lateral (
      select min(a.started_at)::date as started_on from assessments a where a.person_id = p.id
    ) first_assessment on true
    where p.referral_date is not null;
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop table support_requests;
    drop table carer_links;
    alter table people
      drop constraint people_death_after_birth,
      drop column gender, drop column ethnicity, drop column primary_support_reason,
      drop column accommodation_status, drop column employment_status,
      drop column has_unpaid_carer, drop column date_of_death;
  `);
}
