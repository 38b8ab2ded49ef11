import type { DbOrTransaction } from '../db/knex.js';
import type { CalibrationSums } from './calibration.js';
import type { ImpactRow } from './impact.js';

/**
 * One row as an array in the order of latestSubmittedColumns: a hundred thousand rows read as
 * arrays spare building and reading back an object for each.
 */
type LatestSubmittedRow = [
  personId: number,
  teamId: number,
  assessmentType: 'person' | 'carer',
  clientGroup: string,
  eligible: boolean | null,
  rawPoints: number,
  annualPence: number,
  answers: string,
  reference?: string,
];

const latestSubmittedColumns = [
  'a.person_id',
  'p.team_id',
  'a.assessment_type',
  'a.client_group',
  'a.eligible',
  'a.raw_points',
  'a.annual_pence',
];

/**
 * Between the answers in one text: option keys are letters, digits, hyphens and underscores
 * (rasDefinitionSchema), and a submitted assessment's answers are options it was scored with, so
 * no answer holds a comma, and none is empty, which stands for no answer.
 */
const ANSWER_SEPARATOR = ',';

/**
 * The chosen option of each key, in the order given, as one text: Postgres picks the few answers
 * out of each row's jsonb, which is far less work for both sides than sending every answer as
 * JSON and parsing it here.
 */
function answersInOrder(db: DbOrTransaction, answerKeys: readonly string[]) {
  if (answerKeys.length === 0) return db.raw("'' as answers");
  return db.raw(`${answerKeys.map(() => "coalesce(a.answers ->> ?::text, '')").join(` || '${ANSWER_SEPARATOR}' || `)} as answers`, [
    ...answerKeys,
  ]);
}

function latestSubmittedQuery(db: DbOrTransaction, answerKeys: readonly string[], withReference: boolean) {
  // Walks assessments_latest_submitted in its order, so nobody's answers are sorted.
  return db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .distinctOn('a.person_id')
    .where('a.status', 'submitted')
    .orderBy([{ column: 'a.person_id' }, { column: 'a.submitted_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .select([...latestSubmittedColumns, answersInOrder(db, answerKeys), ...(withReference ? ['p.reference'] : [])]);
}

function answerVector(personId: number, answers: string, length: number): (string | undefined)[] {
  if (length === 0) return [];
  const vector: (string | undefined)[] = answers.split(ANSWER_SEPARATOR);
  if (vector.length !== length) throw new Error(`The answers of person ${personId}'s latest assessment do not split into ${length}`);
  for (let index = 0; index < length; index++) if (vector[index] === '') vector[index] = undefined;
  return vector;
}

/**
 * The latest submitted assessment of every person in person id order, with the answers to
 * `answerKeys` in that order (CompiledRas.answerKeys of the version being modelled), in batches
 * read from one cursor: Postgres finds everyone's latest in a single pass, where a query per
 * batch would look again each time. The cursor lives in a read-only transaction of its own (so a
 * read replica serves it too); the next batch is already being fetched while the caller works on
 * this one, so Postgres and the scoring run side by side.
 */
export async function* latestSubmittedAssessments(
  db: DbOrTransaction,
  answerKeys: readonly string[],
  options: { withReference?: boolean; batchSize?: number } = {},
): AsyncGenerator<ImpactRow[]> {
  // A few thousand rows at a time: a batch is dropped before the next few arrive, which keeps the
  // garbage collector's work small; a round trip to the cursor costs far less.
  const batchSize = options.batchSize ?? 2_000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a whole number of 1 or more');
  const trx = await db.transaction({ readOnly: true });
  // FETCH takes its count only as a literal, not as a parameter.
  const fetchBatch = (): Promise<{ rows: LatestSubmittedRow[] }> =>
    trx.raw(`fetch ${batchSize} from latest_assessments`).options({ rowMode: 'array' });
  let pending: Promise<{ rows: LatestSubmittedRow[] }> | undefined;
  try {
    await trx.raw('declare latest_assessments no scroll cursor for ?', [
      latestSubmittedQuery(trx, answerKeys, options.withReference ?? false),
    ]);
    pending = fetchBatch();
    while (pending) {
      const { rows }: { rows: LatestSubmittedRow[] } = await pending;
      pending = rows.length === batchSize ? fetchBatch() : undefined;
      yield rows.map(([personId, teamId, assessmentType, clientGroup, eligible, rawPoints, annualPence, answers, reference]) => ({
        personId,
        reference,
        teamId,
        assessmentType,
        clientGroup,
        eligible,
        rawPoints,
        annualPence,
        answers: answerVector(personId, answers, answerKeys.length),
      }));
    }
  } finally {
    // A caller that stops early leaves a fetch in flight; its failure must not go unhandled.
    await pending?.catch(() => undefined);
    // Nothing was written: ending the transaction closes the cursor.
    await trx.rollback();
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
