import type { DbOrTransaction } from '../db/knex.js';
import type { TimelinessStage } from './timeliness.js';

type TimelinessRow = {
  stage: TimelinessStage;
  quarter: string;
  team_id: number | null;
  journeys: number;
  median_days: number;
  p90_days: number;
};

/** One stage's waits in one quarter, for one team or (teamId null) every team together. */
export type TimelinessFigures = {
  stage: TimelinessStage;
  /** The first day of the quarter the stage was reached in. */
  quarter: string;
  teamId: number | null;
  journeys: number;
  medianDays: number;
  ninetiethPercentileDays: number;
};

/**
 * Median and 90th percentile of the whole London calendar days from referral to each stage, per
 * quarter the stage was reached in (so a quarter's figures are final once it ends) and per team
 * (the person's team now), with every team together as well (teamId null).
 *
 * The journey starts from the support request an assessment answers: the latest request not
 * cancelled that was received on or before the day the assessment was started. An earlier
 * request was dealt with some other way, and a later one cannot have led to it. Assessments a
 * review asked for are left out, as are plans changed at a review: those journeys start from a
 * review, not a referral. Each stage counts once per request, when it was first reached (a new
 * submission of the same assessment does not restart the clock); a plan returned and submitted
 * again counts from its last submission, as that is the one the plan keeps.
 *
 * percentile_disc, not percentile_cont: every figure is a wait someone actually had, in whole
 * days, and the 90th percentile reads exactly as "nine in ten waited this long or less". An
 * interpolated 17.5 days is a wait nobody had.
 */
export async function timelinessFigures(db: DbOrTransaction, from: string, today: string): Promise<TimelinessFigures[]> {
  const result = await db.raw(
    `
    with answered as (
      select a.id as assessment_id, r.id as request_id
      from assessments a
      join lateral (
        select sr.id from support_requests sr
        where sr.person_id = a.person_id and sr.cancelled_at is null
          and sr.received_on <= (a.started_at at time zone 'Europe/London')::date
        order by sr.received_on desc, sr.id desc
        limit 1
      ) r on true
      where a.submitted_at is not null and a.from_review_id is null
    ),
    reached as (
      select x.request_id, 'assessment' as stage, min(a.submitted_at) as at
      from answered x join assessments a on a.id = x.assessment_id
      group by x.request_id
      union all
      select x.request_id, 'plan', min(s.submitted_at)
      from answered x join support_plans s on s.assessment_id = x.assessment_id
      where s.from_review_id is null and s.submitted_at is not null
      group by x.request_id
      union all
      select x.request_id, 'sign_off', min(b.approved_at)
      from answered x
      join personal_budgets b on b.assessment_id = x.assessment_id
      join support_plans s on s.id = b.plan_id and s.from_review_id is null
      group by x.request_id
      union all
      select x.request_id, 'first_review', min(v.completed_at)
      from answered x
      join personal_budgets b on b.assessment_id = x.assessment_id
      join support_plans s on s.id = b.plan_id and s.from_review_id is null
      join reviews v on v.budget_id = b.id and v.status = 'completed'
      group by x.request_id
    ),
    measured as (
      select r.stage, p.team_id, d.reached_on, date_trunc('quarter', d.reached_on)::date as quarter,
        d.reached_on - q.received_on as days
      from reached r
      join support_requests q on q.id = r.request_id
      join people p on p.id = q.person_id
      cross join lateral (select (r.at at time zone 'Europe/London')::date as reached_on) d
    )
    select stage, quarter::text as quarter, team_id,
      count(*)::int as journeys,
      percentile_disc(0.5) within group (order by days) as median_days,
      percentile_disc(0.9) within group (order by days) as p90_days
    from measured
    where reached_on >= :from and reached_on <= :today
    group by grouping sets ((stage, quarter, team_id), (stage, quarter))
    `,
    { from, today },
  );
  return (result as { rows: TimelinessRow[] }).rows.map((row) => ({
    stage: row.stage,
    quarter: row.quarter,
    teamId: row.team_id,
    journeys: row.journeys,
    medianDays: row.median_days,
    ninetiethPercentileDays: row.p90_days,
  }));
}
