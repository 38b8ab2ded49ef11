import type { Knex } from 'knex';
import { addCalendarDays } from '../calendar.js';
import { endOfLastQuarter } from './monitoring.js';
import type { DbOrTransaction } from '../db/knex.js';
import { readPage, type Paged, type PageRequest } from '../db/paging.js';
import type { PersonClientGroup } from '../people/client-groups.js';
import { joinedPersonOf, type JoinedPersonColumns } from '../people/repo.js';

/**
 * The direct payment figures a dashboard shows, and the people behind each: one query per figure
 * gives both the count and the list, so a list always holds exactly the people its figure counted.
 */
export const directPaymentFigureIds = ['on-direct-payments', 'paid', 'surplus', 'returns-overdue'] as const;
export type DirectPaymentFigureId = (typeof directPaymentFigureIds)[number];

/** The day a return for a quarter is due by: this many days after the quarter ends. */
export const RETURN_DAYS_ALLOWED = 28;

/** What a figure's query is asked for: the day, and the last day of the quarters whose returns are overdue. */
export type FigureDates = { today: string; overdueQuarterEnd: string };

/** The days the figures are counted on: today, and the end of the last quarter whose returns are overdue now. */
export function figureDates(today: string): FigureDates {
  return { today, overdueQuarterEnd: endOfLastQuarter(addCalendarDays(today, -RETURN_DAYS_ALLOWED)) };
}

/** The day this system started paying (migrations/092); periods before it were paid by another system. */
const cutOver = `(select direct_payments_from from council_settings where id = 1)`;

/**
 * Each figure as rows of person_id, amount_pence and on_date, one row a person:
 * - on-direct-payments: a budget with a direct payment share active today; its weekly share, from its start;
 * - paid: paid in the latest approved payment run; what they were paid, on its payment date;
 * - surplus: their latest account return shows a surplus; its closing balance, on its last day;
 * - returns-overdue: a day paid by direct payment, from the cut-over date to the end of the last
 *   quarter that ended more than RETURN_DAYS_ALLOWED days ago, that no return covers; the first such day.
 */
const figureSql: Record<DirectPaymentFigureId, string> = {
  'on-direct-payments': `
    select b.person_id, b.direct_payment_weekly_pence as amount_pence, b.start_date as on_date
    from personal_budgets b
    where b.direct_payment_weekly_pence > 0 and b.start_date <= :today and (b.end_date is null or b.end_date >= :today)`,
  paid: `
    select d.person_id, sum(d.amount_pence) as amount_pence, min(r.payment_date) as on_date
    from direct_payments d
    join (select id, payment_date from direct_payment_runs where status = 'approved' order by payment_date desc, id desc limit 1) r
      on r.id = d.run_id
    -- A payment a recovery took all of paid nobody.
    where d.amount_pence > 0
    group by d.person_id`,
  surplus: `
    select person_id, closing_balance_pence as amount_pence, period_to as on_date
    from (
      select distinct on (person_id) person_id, closing_balance_pence, period_to, surplus
      from direct_payment_returns
      order by person_id, period_to desc
    ) latest
    where surplus`,
  'returns-overdue': `
    select paid.person_id, null::bigint as amount_pence, lower(paid.days - coalesce(returned.days, '{}'::datemultirange)) as on_date
    from (
      select b.person_id,
        range_agg(daterange(greatest(b.start_date, coalesce(${cutOver}, b.start_date)), least(coalesce(b.end_date, :quarterEnd), :quarterEnd), '[]')) as days
      from personal_budgets b
      where b.direct_payment_weekly_pence > 0
        and greatest(b.start_date, coalesce(${cutOver}, b.start_date)) <= least(coalesce(b.end_date, :quarterEnd), :quarterEnd)
      group by b.person_id
    ) paid
    left join (
      select person_id, range_agg(daterange(period_from, period_to, '[]')) as days
      from direct_payment_returns
      group by person_id
    ) returned on returned.person_id = paid.person_id
    where not isempty(paid.days - coalesce(returned.days, '{}'::datemultirange))`,
};

function figureBase(db: DbOrTransaction, figure: DirectPaymentFigureId, dates: FigureDates, teamId: number | undefined) {
  const query = db
    .from(db.raw(`(${figureSql[figure]}) as f`, { today: dates.today, quarterEnd: dates.overdueQuarterEnd }))
    .join('people as p', 'p.id', 'f.person_id');
  if (teamId !== undefined) query.where('p.team_id', teamId);
  return query;
}

/** How many people a figure counts, and the money it adds up to (nothing for returns overdue). */
export type DirectPaymentFigure = { people: number; amountPence: number };

export async function directPaymentFigures(
  db: DbOrTransaction,
  dates: FigureDates,
  teamId?: number,
): Promise<Record<DirectPaymentFigureId, DirectPaymentFigure> & { latestRunDate: string | null }> {
  const counted = async (figure: DirectPaymentFigureId): Promise<DirectPaymentFigure> => {
    const row = (await figureBase(db, figure, dates, teamId).first(
      db.raw('count(*)::int as people'),
      db.raw('coalesce(sum(f.amount_pence), 0)::bigint as amount_pence'),
    )) as {
      people: number;
      amount_pence: number;
    };
    return { people: row.people, amountPence: Number(row.amount_pence) };
  };
  const [onDirectPayments, paid, surplus, overdue, latestRun] = await Promise.all([
    counted('on-direct-payments'),
    counted('paid'),
    counted('surplus'),
    counted('returns-overdue'),
    db('direct_payment_runs').where({ status: 'approved' }).orderBy('payment_date', 'desc').orderBy('id', 'desc').first('payment_date'),
  ]);
  return {
    'on-direct-payments': onDirectPayments,
    paid,
    surplus,
    'returns-overdue': overdue,
    latestRunDate: (latestRun as { payment_date: string } | undefined)?.payment_date ?? null,
  };
}

/** One person behind a figure, with their team and what the figure counts of them. */
export type FigurePerson = {
  person: { id: number; givenName: string; familyName: string; reference: string; clientGroup: PersonClientGroup };
  teamName: string;
  amountPence: number | null;
  onDate: string | null;
};

type FigurePersonRow = JoinedPersonColumns & { team_name: string; amount_pence: number | null; on_date: string | null };

/** The people behind a figure, by name, a page at a time. */
export async function directPaymentFigurePeople(
  db: DbOrTransaction,
  figure: DirectPaymentFigureId,
  dates: FigureDates,
  teamId: number | undefined,
  request: PageRequest,
): Promise<Paged<FigurePerson>> {
  const paged = await readPage<FigurePersonRow>(figureBase(db, figure, dates, teamId), {
    select: (query: Knex.QueryBuilder) =>
      query
        .join('teams as t', 't.id', 'p.team_id')
        .select(
          'f.person_id',
          'p.given_name',
          'p.family_name',
          'p.reference',
          'p.client_group',
          't.name as team_name',
          'f.amount_pence',
          'f.on_date',
        ),
    orderBy: 'p.family_name, p.given_name, p.id',
    request,
  });
  return {
    page: paged.page,
    rows: paged.rows.map((row) => ({
      person: joinedPersonOf(row),
      teamName: row.team_name,
      amountPence: row.amount_pence === null ? null : Number(row.amount_pence),
      onDate: row.on_date,
    })),
  };
}

/** The day this system took over direct payments from the council's previous one, or null. */
export async function directPaymentsFrom(db: DbOrTransaction): Promise<string | null> {
  const row = (await db('council_settings').where({ id: 1 }).first('direct_payments_from')) as { direct_payments_from: string | null };
  return row.direct_payments_from;
}
