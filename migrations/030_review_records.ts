import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    alter table reviews
      add column plan_id integer references support_plans (id),
      add column completed_at timestamptz,
      add column completed_by integer references users (id),
      add column review_date date,
      -- Per outcome of the plan: met / partly_met / not_met with a comment.
      add column outcome_findings jsonb not null default '[]',
      add column budget_use text not null default '',
      add column budget_variance text check (budget_variance in ('underspend', 'overspend', 'as_planned')),
      add column person_view text not null default '',
      add column decision text check (decision in ('continue', 'change_plan', 'reassess', 'end_budget')),
      add column decision_end_date date,
      add column decision_end_reason text not null default '',
      add column created_by integer references users (id),
      add constraint reviews_completed_has_decision check (status <> 'completed' or (decision is not null and completed_at is not null));

    -- A reassessment or plan change that came from a review says so, because a review must not
    -- cut a budget unless needs have changed (Care Act guidance, ch. 13).
    alter table assessments add column from_review_id integer references reviews (id);
    alter table support_plans add column needs_changed text not null default '';

    create index reviews_assigned on reviews (assigned_to, status, due_date);
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`
    drop index reviews_assigned;
    alter table support_plans drop column needs_changed;
    alter table assessments drop column from_review_id;
    alter table reviews
      drop constraint reviews_completed_has_decision,
      drop column plan_id, drop column completed_at, drop column completed_by, drop column review_date,
      drop column outcome_findings, drop column budget_use, drop column budget_variance, drop column person_view,
      drop column decision, drop column decision_end_date, drop column decision_end_reason, drop column created_by;
  `);
}
