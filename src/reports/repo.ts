import type { DbOrTransaction } from '../db/knex.js';
import type { CalibrationSums } from './calibration.js';
import type { ImpactRow } from './impact.js';

type LatestSubmittedRow = {
  person_id: number;
  reference?: string;
  team_id: number;
  assessment_type: 'person' | 'carer';
  client_group: string;
  eligible: boolean | null;
  raw_points: number;
  annual_pence: number;
  answers: Record<string, string>;
};

function latestSubmittedBatch(db: DbOrTransaction, afterPersonId: number, limit: number, withReference: boolean) {
  const columns = [
    'a.person_id',
    'p.team_id',
    'a.assessment_type',
    'a.client_group',
    'a.eligible',
    'a.raw_points',
    'a.annual_pence',
    'a.answers',
  ];
  if (withReference) columns.push('p.reference');
  return db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .distinctOn('a.person_id')
    .where('a.status', 'submitted')
    .where('a.person_id', '>', afterPersonId)
    .orderBy([{ column: 'a.person_id' }, { column: 'a.submitted_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .limit(limit)
    .select(columns) as Promise<LatestSubmittedRow[]>;
}

/**
 * The latest submitted assessment of every person, in batches by person id (keyset paging, so
 * each batch is an index range, not an ever-larger offset). Only the columns impact modelling
 * needs are read. The next batch is already being fetched while the caller works on this one,
 * so Postgres and the scoring run side by side.
 */
export async function* latestSubmittedAssessments(
  db: DbOrTransaction,
  options: { withReference?: boolean; batchSize?: number } = {},
): AsyncGenerator<ImpactRow[]> {
  const batchSize = options.batchSize ?? 10_000;
  const withReference = options.withReference ?? false;
  let pending: Promise<LatestSubmittedRow[]> | undefined = latestSubmittedBatch(db, 0, batchSize, withReference);
  try {
    while (pending) {
      const rows: LatestSubmittedRow[] = await pending;
      const last = rows.at(-1);
      pending = rows.length === batchSize && last ? latestSubmittedBatch(db, last.person_id, batchSize, withReference) : undefined;
      yield rows.map((row) => ({
        personId: row.person_id,
        reference: row.reference,
        teamId: row.team_id,
        assessmentType: row.assessment_type,
        clientGroup: row.client_group,
        eligible: row.eligible,
        rawPoints: row.raw_points,
        annualPence: row.annual_pence,
        answers: row.answers,
      }));
    }
  } finally {
    // A caller that stops early leaves a fetch in flight; its failure must not go unhandled.
    await pending?.catch(() => undefined);
  }
}

type CalibrationSumsRow = {
  client_group: string;
  count: number;
  sum_indicative: string;
  sum_approved: string;
  sum_x: string;
  sum_x_approved: string;
  sum_x_squared: string;
};

/** A client group's sums, read as text and made exact whole numbers here so nothing is rounded. */
export type GroupCalibrationSums = CalibrationSums & { clientGroup: string };

function toGroupCalibrationSums(row: CalibrationSumsRow): GroupCalibrationSums {
  return {
    clientGroup: row.client_group,
    count: row.count,
    sumIndicativePence: BigInt(row.sum_indicative),
    sumApprovedPence: BigInt(row.sum_approved),
    sumX: BigInt(row.sum_x),
    sumXApproved: BigInt(row.sum_x_approved),
    sumXSquared: BigInt(row.sum_x_squared),
  };
}

/**
 * The budgets recalibration looks at: personal budgets in force (not ended), each with the
 * person's assessment it was approved from. Carers' budgets are left out: carers are priced by
 * band, not by price per point. x is points after the informal support adjustment, in hundredths
 * (see calibration.ts); sums are numeric in Postgres and read as text, so nothing is rounded.
 */
function calibrationBudgets(db: DbOrTransaction) {
  return db('personal_budgets as b')
    .join('assessments as a', 'a.id', 'b.assessment_id')
    .whereNull('b.end_date')
    .where('a.assessment_type', 'person');
}

const X = 'a.raw_points::numeric * (100 + coalesce(a.modifier_percent, 0))';

export async function calibrationSums(db: DbOrTransaction): Promise<GroupCalibrationSums[]> {
  const rows = (await calibrationBudgets(db)
    .groupBy('a.client_group')
    .select(
      'a.client_group',
      db.raw('count(*)::int as count'),
      db.raw('sum(a.annual_pence)::text as sum_indicative'),
      db.raw('sum(b.annual_pence)::text as sum_approved'),
      db.raw(`sum(${X})::text as sum_x`),
      db.raw(`sum(${X} * b.annual_pence)::text as sum_x_approved`),
      db.raw(`sum((${X}) * (${X}))::text as sum_x_squared`),
    )) as CalibrationSumsRow[];
  return rows.map(toGroupCalibrationSums);
}

type CalibrationPointRow = { client_group: string; x: number; approved: number };

/** One approved budget as a dot: its points after the adjustment (x, in hundredths of a point) and its amount a year. */
export type CalibrationPoint = { clientGroup: string; x: number; approvedPence: number };

/**
 * Up to `perGroup` budgets of each client group for the scatter plot, spread evenly over the
 * group (every n-th by budget id) so a large council's chart stays readable and light.
 */
export async function calibrationPoints(db: DbOrTransaction, perGroup: number): Promise<CalibrationPoint[]> {
  const numbered = calibrationBudgets(db).select(
    'a.client_group',
    db.raw(`(${X})::bigint as x`),
    'b.annual_pence as approved',
    db.raw('row_number() over (partition by a.client_group order by b.id) as n'),
    db.raw('count(*) over (partition by a.client_group) as total'),
  );
  const rows = (await db
    .from(numbered.as('numbered'))
    .whereRaw('(n - 1) % greatest(1, ceil(total::numeric / ?)) = 0', [perGroup])
    .select('client_group', 'x', 'approved')
    .orderBy(['client_group', 'x'])) as CalibrationPointRow[];
  return rows.map((row) => ({ clientGroup: row.client_group, x: row.x, approvedPence: row.approved }));
}

type CalibrationBandRow = { client_group: string; band: number; count: number; sum_x: string; sum_approved: string };

/** Budgets of a client group whose points fall in one band: `band` counts bands from 0 points. */
export type CalibrationBand = { clientGroup: string; band: number; count: number; sumX: bigint; sumApprovedPence: bigint };

/** Budgets grouped by points band of `width` points: the scatter plot's table alternative. */
export async function calibrationBands(db: DbOrTransaction, width: number): Promise<CalibrationBand[]> {
  const rows = (await calibrationBudgets(db)
    .groupBy('a.client_group', 'band')
    .select(
      'a.client_group',
      db.raw(`floor((${X}) / ?)::int as band`, [width * 100]),
      db.raw('count(*)::int as count'),
      db.raw(`sum(${X})::text as sum_x`),
      db.raw('sum(b.annual_pence)::text as sum_approved'),
    )
    .orderBy(['a.client_group', 'band'])) as CalibrationBandRow[];
  return rows.map((row) => ({
    clientGroup: row.client_group,
    band: row.band,
    count: row.count,
    sumX: BigInt(row.sum_x),
    sumApprovedPence: BigInt(row.sum_approved),
  }));
}

export async function teamNames(db: DbOrTransaction): Promise<Map<number, string>> {
  const rows = (await db('teams').select('id', 'name')) as { id: number; name: string }[];
  return new Map(rows.map((row) => [row.id, row.name]));
}
