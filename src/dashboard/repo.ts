import type { DbOrTransaction } from '../db/knex.js';
import { readPage, type Paged, type PageRequest } from '../db/paging.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import { joinedPersonOf, type JoinedPersonColumns } from '../people/repo.js';
import { managementOptions, type ManagementOption } from '../plans/options.js';

type UptakeCountRow = { team_id: number; team_name: string; client_group: PersonClientGroup; eligible: number; with_budget: number };

/** How many people of one team and client group have eligible needs, and how many of them an active personal budget. */
export type UptakeCount = { teamId: number; teamName: string; clientGroup: PersonClientGroup; eligible: number; withBudget: number };

/**
 * Each person's uptake flags as the common table `flags` (person_id, team_id, client_group,
 * eligible, active), by the rules given at uptakeCounts; the counts and the lists of the people
 * behind them both read it, so a list holds exactly the people its figure counted.
 */
function uptakeFlagsSql(peopleFilter: string): string {
  // Set-based, not a subquery per person: each person's budgets are summed up once, and the
  // assessments that count are found in one pass, so 100,000 people are three scans and two joins.
  return `
    with budget_flags as (
      select b.person_id,
        bool_or(b.start_date <= :today and (b.end_date is null or b.end_date >= :today)) as active,
        bool_or(b.end_date is null or b.end_date >= :today) as open_budget
      from personal_budgets b
      group by b.person_id
    ),
    assessed_eligible as (
      select distinct a.person_id
      from assessments a
      where a.status = 'submitted'
        and (a.eligible = true or (a.eligible is null and a.below_threshold = false))
        and not exists (
          select 1 from personal_budgets b
          where b.person_id = a.person_id and b.approved_at >= a.submitted_at
            and b.end_date < :today and b.replaced_by_id is null
        )
    ),
    flags as (
      select p.id as person_id, p.team_id, p.client_group,
        coalesce(f.active, false) as active,
        coalesce(f.active or f.open_budget, false) or e.person_id is not null as eligible
      from people p
      left join budget_flags f on f.person_id = p.id
      left join assessed_eligible e on e.person_id = p.id
      ${peopleFilter}
    )`;
}

/**
 * People with eligible needs, and those of them with an active personal budget, on `today`, per
 * team and client group (the person's team and group now).
 *
 * "Eligible needs" here means any one of:
 *  1. a personal budget active today (start_date <= today, no end_date or end_date >= today);
 *  2. an approved plan whose personal budget has not ended: a budget approved to start later
 *     (approval creates the budget with the plan, so this is a budget with no end_date or one
 *     ending today or later);
 *  3. a current assessment (submitted, not superseded) that found the person eligible, whatever
 *     their points: someone below the RAS minimum still has eligible needs (DOMAIN.md, uptake).
 *     Carers' assessments make no determination and count when they reach a band - unless a budget
 *     approved since that assessment has ended for good (ended before today and not replaced):
 *     their needs are met some other way now, or they have left the service.
 * Rule 1 puts everyone with an active budget among the eligible, so uptake never passes 100%.
 * "With an active budget" is rule 1 alone.
 */
export async function uptakeCounts(db: DbOrTransaction, today: string, teamId?: number): Promise<UptakeCount[]> {
  const teamFilter = teamId === undefined ? '' : 'where p.team_id = :teamId';
  const result = await db.raw(
    `
    ${uptakeFlagsSql(teamFilter)},
    counts as (
      select team_id, client_group,
        count(*) filter (where eligible)::int as eligible,
        count(*) filter (where active)::int as with_budget
      from flags
      group by team_id, client_group
    )
    -- Teams are named after counting, so 100,000 rows are grouped by number, not sorted by name.
    select c.team_id, t.name as team_name, c.client_group, c.eligible, c.with_budget
    from counts c
    join teams t on t.id = c.team_id
    where c.eligible > 0
    order by t.name, c.client_group
    `,
    { today, ...(teamId === undefined ? {} : { teamId }) },
  );
  return (result as { rows: UptakeCountRow[] }).rows.map((row) => ({
    teamId: row.team_id,
    teamName: row.team_name,
    clientGroup: row.client_group,
    eligible: row.eligible,
    withBudget: row.with_budget,
  }));
}

type ManagementTotalsRow = {
  budgets: number;
  direct_payment: number;
  council_managed: number;
  individual_service_fund: number;
  prepaid_card: number;
  direct_payment_count: number;
  council_managed_count: number;
  individual_service_fund_count: number;
  prepaid_card_count: number;
};

/** The budgets active today: how many, and for each way of managing them the weekly pence and how many budgets use it. */
export type ManagementTotals = { budgets: number; byOption: Record<ManagementOption, { weeklyPence: number; budgets: number }> };

/** Weekly pence of the budgets active today, by how they are managed, and how many budgets use each option. */
export async function managementTotals(db: DbOrTransaction, today: string, teamId?: number): Promise<ManagementTotals> {
  const query = db('personal_budgets as b')
    .where('b.start_date', '<=', today)
    .where((q) => q.whereNull('b.end_date').orWhere('b.end_date', '>=', today));
  // People are joined only to pick a team: the whole council's totals need no row of theirs.
  if (teamId !== undefined) query.join('people as p', 'p.id', 'b.person_id').where('p.team_id', teamId);
  const row = (await query
    .select(
      db.raw('count(*)::int as budgets'),
      db.raw('coalesce(sum(b.direct_payment_weekly_pence), 0)::bigint as direct_payment'),
      db.raw('coalesce(sum(b.council_managed_weekly_pence), 0)::bigint as council_managed'),
      db.raw('coalesce(sum(b.individual_service_fund_weekly_pence), 0)::bigint as individual_service_fund'),
      db.raw('coalesce(sum(b.prepaid_card_weekly_pence), 0)::bigint as prepaid_card'),
      db.raw('count(*) filter (where b.direct_payment_weekly_pence > 0)::int as direct_payment_count'),
      db.raw('count(*) filter (where b.council_managed_weekly_pence > 0)::int as council_managed_count'),
      db.raw('count(*) filter (where b.individual_service_fund_weekly_pence > 0)::int as individual_service_fund_count'),
      db.raw('count(*) filter (where b.prepaid_card_weekly_pence > 0)::int as prepaid_card_count'),
    )
    .first()) as ManagementTotalsRow;
  return {
    budgets: row.budgets,
    byOption: Object.fromEntries(
      managementOptions.map((option) => [option, { weeklyPence: Number(row[option]), budgets: row[`${option}_count`] }]),
    ) as ManagementTotals['byOption'],
  };
}

/**
 * Whole London calendar days from the assessment being submitted to the budget being approved,
 * for budgets approved in the 90 days up to and including today. A plan changed at a review is
 * left out: it starts from an old assessment, so its wait says nothing about the journey from
 * assessment to sign-off. A plan from a reassessment is counted: that is a new journey. Both the
 * median and the list of the people behind it read these budgets.
 */
function approvalWaits(db: DbOrTransaction, today: string, teamId?: number) {
  const query = db('personal_budgets as b')
    .join('assessments as a', 'a.id', 'b.assessment_id')
    .join('support_plans as s', 's.id', 'b.plan_id')
    .whereNull('s.from_review_id')
    // London midnight 89 days back to London midnight tomorrow: a range on approved_at, so its index is used.
    .whereRaw(`b.approved_at >= (?::date - 89)::timestamp at time zone 'Europe/London'`, [today])
    .whereRaw(`b.approved_at < (?::date + 1)::timestamp at time zone 'Europe/London'`, [today]);
  if (teamId !== undefined) query.join('people as p', 'p.id', 'b.person_id').where('p.team_id', teamId);
  return query;
}

const waitDays = `((b.approved_at at time zone 'Europe/London')::date - (a.submitted_at at time zone 'Europe/London')::date)`;

export async function daysFromAssessmentToApproval(db: DbOrTransaction, today: string, teamId?: number): Promise<number[]> {
  const rows = (await approvalWaits(db, today, teamId).select(db.raw(`${waitDays} as days`))) as { days: number }[];
  return rows.map((row) => Number(row.days));
}

/** One person behind a dashboard figure, with their team; for a wait, its days from assessment to approval. */
export type FigurePerson = {
  person: { id: number; givenName: string; familyName: string; reference: string; clientGroup: PersonClientGroup };
  teamName: string;
  days: number | null;
};

type FigurePersonRow = JoinedPersonColumns & { team_name: string; days: number | null };

const toFigurePerson = (row: FigurePersonRow): FigurePerson => ({
  person: joinedPersonOf(row),
  teamName: row.team_name,
  days: row.days === null ? null : Number(row.days),
});

const figurePersonColumns = ['p.id as person_id', 'p.given_name', 'p.family_name', 'p.reference', 'p.client_group', 't.name as team_name'];

export const uptakeListIds = ['eligible', 'with-budget', 'without-budget'] as const;
export type UptakeListId = (typeof uptakeListIds)[number];

/** Which people of the uptake figures: a team's, a client group's, or everyone's (within the team a team manager sees). */
export type UptakeFilter = { teamId?: number; clientGroup?: PersonClientGroup };

const uptakeCondition: Record<UptakeListId, string> = {
  eligible: 'eligible',
  'with-budget': 'active',
  'without-budget': 'eligible and not active',
};

/** The people counted in an uptake figure, by name, a page at a time. */
export async function uptakePeople(
  db: DbOrTransaction,
  list: UptakeListId,
  today: string,
  filter: UptakeFilter,
  request: PageRequest,
): Promise<Paged<FigurePerson>> {
  const base = db
    .from(db.raw(`(${uptakeFlagsSql('')} select person_id from flags where ${uptakeCondition[list]}) as f`, { today }))
    .join('people as p', 'p.id', 'f.person_id');
  if (filter.teamId !== undefined) base.where('p.team_id', filter.teamId);
  if (filter.clientGroup !== undefined) base.where('p.client_group', filter.clientGroup);
  const paged = await readPage<FigurePersonRow>(base, {
    select: (query) => query.join('teams as t', 't.id', 'p.team_id').select([...figurePersonColumns, db.raw('null::int as days')]),
    orderBy: 'p.family_name, p.given_name, p.id',
    request,
  });
  return { page: paged.page, rows: paged.rows.map(toFigurePerson) };
}

/** The budgets counted in the wait for sign-off, longest wait first, a page at a time. */
export async function approvalWaitPeople(
  db: DbOrTransaction,
  today: string,
  teamId: number | undefined,
  request: PageRequest,
): Promise<Paged<FigurePerson>> {
  const base = approvalWaits(db, today, teamId);
  if (teamId === undefined) base.join('people as p', 'p.id', 'b.person_id');
  const paged = await readPage<FigurePersonRow>(base, {
    select: (query) => query.join('teams as t', 't.id', 'p.team_id').select([...figurePersonColumns, db.raw(`${waitDays} as days`)]),
    orderBy: `${waitDays} desc, p.family_name, p.given_name, b.id`,
    request,
  });
  return { page: paged.page, rows: paged.rows.map(toFigurePerson) };
}

/** A number that moves on every commit that changes a row the dashboard reads (migrations/074_dashboard_data_version.ts). */
export async function dashboardDataVersion(db: DbOrTransaction): Promise<number> {
  const row = (await db('dashboard_data_version').first('version')) as { version: number };
  return row.version;
}

/** A team's name for a list's caption; a team that does not exist has no people to list. */
export async function teamNameOf(db: DbOrTransaction, teamId: number): Promise<string | null> {
  const row = (await db('teams').where({ id: teamId }).first('name')) as { name: string } | undefined;
  return row?.name ?? null;
}
