import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    -- Going through the person's answers with them: for each question, the answer agreed, and why
    -- when it is not the person's own. The person's answer stays in self_assessments; the agreed
    -- ones are also the answers of the staff assessment, which alone is scored.
    create table self_assessment_agreed_answers (
      self_assessment_id integer not null references self_assessments (id),
      question_key text not null,
      person_option text,
      agreed_option text not null,
      reason text check (length(reason) between 1 and 1000),
      agreed_by integer not null references users (id),
      agreed_at timestamptz not null,
      primary key (self_assessment_id, question_key),
      check (agreed_option = person_option or reason is not null)
    );
  `);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('drop table self_assessment_agreed_answers');
}
