import type { Knex } from 'knex';
import type { DbOrTransaction } from '../db/knex.js';
import type { CalibrationSums } from './calibration.js';
import type { AnswerVector } from '../ras/engine.js';
import type { ImpactRow } from './impact.js';

/**
 * One row as an array in the order of latestSubmittedColumns: a hundred thousand rows read as
 * arrays spare building and reading back an object for each.
 */
type LatestSubmittedRow = [personId: number, ...LatestSubmittedFields, answers: string, reference?: string];

/** What both the impact model's reads give of a person's latest assessment, after the person's id. */
type LatestSubmittedFields = [
  teamId: number,
  assessmentType: 'person' | 'carer',
  clientGroup: string,
  eligible: boolean | null,
  rawPoints: number,
  annualPence: number,
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
 * The chosen option of each key, in the order given, as one text, from the answers of the
 * assessment named `assessment` in the query: Postgres picks the few answers out of each row's
 * jsonb, which is far less work for both sides than sending every answer as JSON and parsing it here.
 */
function answersInOrder(assessment: string, answerKeys: readonly string[]): Sql {
  return [inOneText(answerKeys.map(() => `${assessment}.answers ->> ?::text`)), [...answerKeys]];
}

/** SQL for the answers `expressions` give, in their order, as one text (read back by answerVector). */
function inOneText(expressions: readonly string[]): string {
  if (expressions.length === 0) return "''";
  return expressions.map((expression) => `coalesce(${expression}, '')`).join(` || '${ANSWER_SEPARATOR}' || `);
}

function latestSubmittedQuery(db: DbOrTransaction, answerKeys: readonly string[], withReference: boolean) {
  const [answers, answerBindings] = answersInOrder('a', answerKeys);
  // Walks assessments_latest_submitted in its order, so nobody's answers are sorted.
  return db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .distinctOn('a.person_id')
    .where('a.status', 'submitted')
    .orderBy([{ column: 'a.person_id' }, { column: 'a.submitted_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .select([...latestSubmittedColumns, db.raw(`${answers} as answers`, answerBindings), ...(withReference ? ['p.reference'] : [])]);
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

/** A question or adjustment as Postgres adds it up: each option's points (or percent), and the answer assumed where there is none. */
export type WeightedAnswer = { key: string; assumed: string; values: ReadonlyMap<string, number> };

/**
 * What the impact model needs of the version it models to have Postgres add up everyone's points:
 * its questions and then its adjustments, the order of CompiledRas.answerKeys.
 */
export type ModelledVersion = {
  questions: readonly WeightedAnswer[];
  adjustments: readonly WeightedAnswer[];
  /** The client groups a person's assessment can be priced in; a carer's can also be "carer". */
  pricedGroups: readonly string[];
  carerGroups: readonly string[];
};

/**
 * People whose latest submitted assessments add up the same under the modelled version, counted
 * together: the same team, type, client group, eligibility, budget now, points and adjustments'
 * percent after and number of answers assumed. Someone the version cannot score (an option or
 * client group it lacks) is a group of one, with their person id and answers, so the engine can
 * say why.
 */
export type ImpactGroupRow = Pick<ImpactRow, 'teamId' | 'assessmentType' | 'clientGroup' | 'eligible' | 'rawPoints' | 'annualPence'> & {
  pointsAfter: number;
  percentAfter: number;
  assumedAnswers: number;
  people: number;
  cannotScore?: { personId: number; answers: AnswerVector };
};

/** What a group row gives after the latest assessment's fields. */
type GroupSums = [
  pointsAfter: number | null,
  percentAfter: number | null,
  assumedAnswers: number,
  people: number,
  personId: number | null,
  answers: string | null,
];

type ImpactGroupTuple = [...LatestSubmittedFields, ...GroupSums];

/** A piece of SQL and the values of its placeholders. */
type Sql = [sql: string, bindings: (string | number | number[])[]];

/** The column a person's answer to the version's n-th question or adjustment is read into (impactGroupsQuery). */
const answerColumn = (index: number) => `a.answer_${index}`;

/** The column a person's answer to a question the modelled version no longer asks is read into. */
const goneColumn = (index: number) => `a.gone_${index}`;

/** The points (or percent) `values` give the option `chosen` names; null for an option they lack. */
function pointsFor(values: ReadonlyMap<string, number>, [chosen, chosenBindings]: Sql): Sql {
  const options = [...values];
  return [`case ${chosen} ${options.map(() => 'when ? then ?::int').join(' ')} end`, [...chosenBindings, ...options.flat()]];
}

/** The chosen option's points (or percent) in the modelled version, the assumed one's where there is no answer. */
const valueOf = (item: WeightedAnswer, column: string): Sql => pointsFor(item.values, [`coalesce(${column}, ?::text)`, [item.assumed]]);

/** The points a version gave the option in `column`, which it was scored with, so is one of its own. */
const scoredValueOf = (values: ReadonlyMap<string, number>, column: string): Sql => pointsFor(values, [column, []]);

function sumOf(parts: Sql[]): Sql {
  if (parts.length === 0) return ['0', []];
  return [parts.map(([sql]) => `(${sql})`).join(' + '), parts.flatMap(([, bindings]) => bindings)];
}

/** The same options with the same points (or percents). */
function sameWeights(one: ReadonlyMap<string, number> | undefined, other: ReadonlyMap<string, number>): boolean {
  return one !== undefined && one.size === other.size && [...other].every(([option, value]) => one.get(option) === value);
}

/**
 * How the modelled version differs from one that scored assessments: the questions whose points
 * differ (or that it adds), the questions it no longer asks, and whether its adjustments are the
 * same. Everything else adds up as it did when the assessment was scored.
 */
function differencesFrom(version: ModelledVersion, scoredWith: ScoringWeights) {
  const asked = new Set(version.questions.map((question) => question.key));
  return {
    changed: version.questions.flatMap((question, index) =>
      sameWeights(scoredWith.questions.get(question.key), question.values) ? [] : [index],
    ),
    gone: [...scoredWith.questions.keys()].filter((key) => !asked.has(key)),
    sameAdjustments:
      scoredWith.adjustments.size === version.adjustments.length &&
      version.adjustments.every((adjustment) => sameWeights(scoredWith.adjustments.get(adjustment.key), adjustment.values)),
  };
}

/**
 * One half (by person id) of the impact model's groups. The points are added up by Postgres as
 * it reads each person's latest assessment, so what crosses to the app is counted groups (about
 * 29,000 for 100,000 people) rather than everyone's answers.
 *
 * Picking answers out of the jsonb is most of the work, so only the answers that can change the
 * sum are read. A submitted assessment was scored by the engine with its version, which is
 * read-only once published, as is the assessment once submitted (migration 002's guards): so it
 * answered every question of that version with one of its options, and its stored points and
 * (clamped) percent are that version's sums. Under the modelled version, its points are those
 * less the questions whose points changed or that went, plus what the changed and added
 * questions give now; its percent is the stored one where the adjustments are the same. A
 * version the model was given no weights for leaves the points null, so the engine scores that
 * person from their answers, as for anyone who cannot be scored here.
 */
function impactGroupsQuery(
  db: DbOrTransaction,
  version: ModelledVersion,
  scoredWith: ReadonlyMap<number, ScoringWeights>,
  fromPersonId: number,
  toPersonId: number,
) {
  const asked = [...version.questions, ...version.adjustments];
  const differences = [...scoredWith].map(([versionId, weights]) => ({ versionId, weights, ...differencesFrom(version, weights) }));
  // The versions whose assessments' answer to the n-th item need not be read.
  const notRead = asked.map((_, index) =>
    differences
      .filter((difference) => (index < version.questions.length ? !difference.changed.includes(index) : difference.sameAdjustments))
      .map((difference) => difference.versionId),
  );
  const goneKeys = [...new Set(differences.flatMap((difference) => difference.gone))];
  const readAnswer = (key: string, index: number) => {
    const skipped = notRead[index] ?? [];
    return skipped.length === 0
      ? db.raw(`a.answers ->> ?::text as answer_${index}`, [key])
      : db.raw(`case when a.ras_version_id = any(?::int[]) then null else a.answers ->> ?::text end as answer_${index}`, [skipped, key]);
  };
  const latest = db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .distinctOn('a.person_id')
    .where('a.status', 'submitted')
    .whereBetween('a.person_id', [fromPersonId, toPersonId])
    // The same range again, so only this half of the people is walked to join their teams.
    .whereBetween('p.id', [fromPersonId, toPersonId])
    .orderBy([{ column: 'a.person_id' }, { column: 'a.submitted_at', order: 'desc' }, { column: 'a.id', order: 'desc' }])
    .select([
      ...latestSubmittedColumns,
      'a.ras_version_id',
      'a.modifier_percent',
      'a.id as assessment_id',
      ...asked.map((item, index) => readAnswer(item.key, index)),
      ...goneKeys.map((key, index) =>
        db.raw(`case when a.ras_version_id = any(?::int[]) then a.answers ->> ?::text end as gone_${index}`, [
          differences.filter((difference) => difference.gone.includes(key)).map((difference) => difference.versionId),
          key,
        ]),
      ),
    ]);
  const adjustmentColumns = version.adjustments.map((_, index) => answerColumn(version.questions.length + index));
  const unanswered = (columns: string[]) => (columns.length === 0 ? '0' : columns.map((column) => `(${column} is null)::int`).join(' + '));
  // A carer is asked no adjustments (rule 3), so none is assumed for them.
  const unansweredAdjustments = `case when a.assessment_type = 'carer' then 0 else ${unanswered(adjustmentColumns)} end`;
  const allPercent = sumOf(version.adjustments.map((item, index) => valueOf(item, answerColumn(version.questions.length + index))));
  const byVersion = (each: (difference: (typeof differences)[number]) => Sql): Sql => {
    if (differences.length === 0) return ['null', []];
    const branches = differences.map((difference): Sql => {
      const [sql, bindings] = each(difference);
      return [`when ? then ${sql}`, [difference.versionId, ...bindings]];
    });
    return [`case a.ras_version_id ${branches.map(([sql]) => sql).join(' ')} end`, branches.flatMap(([, bindings]) => bindings)];
  };
  const [points, pointBindings] = byVersion(({ weights, changed, gone }) => {
    const changedQuestions = version.questions.flatMap((question, index) => (changed.includes(index) ? [{ question, index }] : []));
    const [less, lessBindings] = sumOf([
      ...changedQuestions.flatMap(({ question, index }) => {
        const before = weights.questions.get(question.key);
        return before ? [scoredValueOf(before, answerColumn(index))] : [];
      }),
      ...gone.map((key) => scoredValueOf(weights.questions.get(key) ?? new Map(), goneColumn(goneKeys.indexOf(key)))),
    ]);
    const [more, moreBindings] = sumOf(changedQuestions.map(({ question, index }) => valueOf(question, answerColumn(index))));
    return [`a.raw_points - (${less}) + (${more})`, [...lessBindings, ...moreBindings]];
  });
  const [percent, percentBindings] = byVersion(({ sameAdjustments }) => (sameAdjustments ? ['a.modifier_percent', []] : allPercent));
  const [assumed, assumedBindings] = byVersion(({ changed, sameAdjustments }) => [
    `${unanswered(changed.map(answerColumn))} + ${sameAdjustments ? '0' : unansweredAdjustments}`,
    [],
  ]);
  // Read with offset 0, which keeps it a query of its own, so each sum is worked out once a person
  // rather than again wherever the queries around it name it.
  const added = db
    .from(latest.as('a'))
    .select(
      'a.*',
      db.raw(`${points} as points_after`, pointBindings),
      db.raw(`${percent} as percent_after`, percentBindings),
      db.raw(`coalesce(${assumed}, 0) as assumed_answers`, assumedBindings),
    );
  const checked = db.from(db.raw('(? offset 0) as a', [added])).select(
    'a.*',
    db.raw(
      `a.points_after is not null and case when a.assessment_type = 'carer' then a.client_group = any(?::text[])
        else a.assessment_type = 'person' and a.percent_after is not null and a.client_group = any(?::text[]) end as scorable`,
      [[...version.carerGroups], [...version.pricedGroups]],
    ),
  );
  // Only someone who cannot be scored here has their answers read again, by the assessment's id:
  // carried along the walk of everyone's latest assessment, the answers made each row of it
  // twice as wide, and the model a quarter slower.
  const [answers, answerBindings] = answersInOrder(
    'x',
    asked.map((item) => item.key),
  );
  // Everything read of the latest assessment but the person's id, then the sums.
  const grouping = [
    ...latestSubmittedColumns.slice(1).map((column) => `a.${column.slice(column.indexOf('.') + 1)}`),
    'a.points_after',
    'a.percent_after',
    'a.assumed_answers',
  ];
  return db
    .from(checked.as('a'))
    .select(
      ...grouping,
      db.raw('count(*)::int as people'),
      db.raw('case when not a.scorable then a.person_id end as person_id'),
      db.raw(
        `case when not a.scorable then (select ${answers} from assessments as x where x.id = a.assessment_id) end as answers`,
        answerBindings,
      ),
    )
    .groupByRaw(`${grouping.join(', ')}, 11, 12`);
}

/**
 * For each half's transaction: the two halves already keep both processors busy, so neither asks
 * for parallel workers (which would sort everyone instead of walking the latest-assessment index);
 * and the groups are counted in memory rather than sorted on disk.
 */
const HALF_SETTINGS = "set local max_parallel_workers_per_gather = 0; set local enable_sort = off; set local work_mem = '32MB'";

/** The options' points (or percents) of each question and adjustment of a version that can score assessments. */
export type ScoringWeights = {
  questions: ReadonlyMap<string, ReadonlyMap<string, number>>;
  adjustments: ReadonlyMap<string, ReadonlyMap<string, number>>;
};

/** Every published or retired version's weights: only those have scored submitted assessments. */
async function scoringWeights(db: DbOrTransaction): Promise<Map<number, ScoringWeights>> {
  const { rows } = (await db
    .raw(
      `select o.ras_version_id, false, q.key, o.key, o.points
         from ras_options as o join ras_questions as q on q.id = o.question_id join ras_versions as v on v.id = o.ras_version_id
        where v.status <> 'draft'
       union all
       select o.ras_version_id, true, j.key, o.key, o.percent
         from ras_adjustment_options as o join ras_adjustments as j on j.id = o.adjustment_id join ras_versions as v on v.id = o.ras_version_id
        where v.status <> 'draft'`,
    )
    .options({ rowMode: 'array' })) as { rows: [versionId: number, adjustment: boolean, item: string, option: string, value: number][] };
  const byVersion = new Map<number, { questions: Map<string, Map<string, number>>; adjustments: Map<string, Map<string, number>> }>();
  for (const [versionId, adjustment, item, option, value] of rows) {
    let weights = byVersion.get(versionId);
    if (!weights) byVersion.set(versionId, (weights = { questions: new Map(), adjustments: new Map() }));
    const items = adjustment ? weights.adjustments : weights.questions;
    let options = items.get(item);
    if (!options) items.set(item, (options = new Map()));
    options.set(option, value);
  }
  return byVersion;
}

/**
 * The impact model's groups (ImpactGroupRow) for everyone's latest submitted assessment. The two
 * halves of the people are read side by side on two connections, so Postgres adds them up on two
 * processors; they share one snapshot (exported by the first, taken by the second, which a read
 * replica allows too), so the halves and the versions' weights are of the same moment. Both
 * transactions only read.
 */
export async function impactGroups(db: Knex, version: ModelledVersion): Promise<ImpactGroupRow[]> {
  const first = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  let second: Knex.Transaction | undefined;
  try {
    const { rows } = (await first.raw(
      'select pg_export_snapshot() as snapshot, (select min(id) from people) as lowest, (select max(id) from people) as highest',
    )) as { rows: [{ snapshot: string; lowest: number | null; highest: number | null }] };
    const [{ snapshot, lowest, highest }] = rows;
    if (lowest === null || highest === null) return [];
    // SET TRANSACTION SNAPSHOT takes no parameter; the id comes from Postgres and is checked for its form.
    if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(snapshot)) throw new Error('Postgres exported a snapshot id of an unexpected form');
    const secondStarted = db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
    const scoredWith = await scoringWeights(first);
    second = await secondStarted;
    await second.raw(`set transaction snapshot '${snapshot}'`);
    await Promise.all([first, second].map((trx) => trx.raw(HALF_SETTINGS)));
    const middle = Math.floor((lowest + highest) / 2);
    const halves = await Promise.all([
      impactGroupsQuery(first, version, scoredWith, lowest, middle).options({ rowMode: 'array' }),
      impactGroupsQuery(second, version, scoredWith, middle + 1, highest).options({ rowMode: 'array' }),
    ]);
    return halves.flatMap((half) =>
      (half as unknown as ImpactGroupTuple[]).map((tuple) => toImpactGroup(tuple, version.questions.length + version.adjustments.length)),
    );
  } finally {
    await second?.rollback();
    await first.rollback();
  }
}

/**
 * Built as one literal of a fixed shape: spreading the fields in, and cannotScore only when
 * there, took ten times as long for 29,000 groups (270 ms), a third of the whole model.
 */
function toImpactGroup(tuple: ImpactGroupTuple, answerCount: number): ImpactGroupRow {
  const [
    teamId,
    assessmentType,
    clientGroup,
    eligible,
    rawPoints,
    annualPence,
    pointsAfter,
    percentAfter,
    assumedAnswers,
    people,
    personId,
    answers,
  ] = tuple;
  return {
    teamId,
    assessmentType,
    clientGroup,
    eligible,
    rawPoints,
    annualPence,
    pointsAfter: pointsAfter ?? 0,
    percentAfter: percentAfter ?? 0,
    assumedAnswers,
    people,
    cannotScore: personId === null ? undefined : { personId, answers: answerVector(personId, answers ?? '', answerCount) },
  };
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
