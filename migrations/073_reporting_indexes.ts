import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- The dashboard's waits from assessment to approval read the budgets approved in the last
    -- 90 days: a range of approved_at, a few thousand of a large council's budgets.
    create index personal_budgets_approved on personal_budgets (approved_at);
    -- Uptake counts everyone whose current assessment found eligible needs: read from this small
    -- index alone, not from the assessments' rows with their answers.
    create index assessments_current_eligible on assessments (person_id, submitted_at)
      where status = 'submitted' and (eligible = true or (eligible is null and below_threshold = false));
    -- Calibration joins every budget in force to its assessment's points: these few columns in an
    -- index are read without touching the assessments' rows, which are wide with their answers.
    create index assessments_calibration on assessments (id) include (client_group, raw_points, modifier_percent, annual_pence)
      where assessment_type = 'person';
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop index personal_budgets_approved, assessments_current_eligible, assessments_calibration');
}
