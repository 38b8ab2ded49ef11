import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RasDefinition } from '../../src/ras/definition.js';
import { createDb } from '../../src/db/knex.js';
import { compileDefinition, RasScoringError, scoreAssessment } from '../../src/ras/engine.js';
import { rasService } from '../../src/ras/service.js';
import { assumedAnswersOf, ImpactAccumulator, type ImpactRow, type Rescored } from '../../src/reports/impact.js';
import { reportsService } from '../../src/reports/service.js';
import { pick, seededRandom } from '../../seeds/random.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { actorOf } from '../support/review-builders.js';
import { aDraftRas, aSubmittedAssessment, defaultRasCopy, publishedRas } from '../support/ras-builders.js';

/*
 * The impact model reads only the answers the modelled version asks, picked out by Postgres in
 * the version's order, and of those only the ones whose points differ from the version that
 * scored the assessment. Checked here against the engine itself, person by person: each person's
 * latest submitted assessment found in plain code, their stored answers with the version's
 * assumed answer for each one missing, scored with scoreAssessment.
 */

let t: TestApp;
let admin: TestUser;
let draftId: number;
let draft: RasDefinition;
let published: { id: number; definition: RasDefinition };

type Stored = {
  id: number;
  person_id: number;
  team_id: number;
  reference: string;
  assessment_type: 'person' | 'carer';
  client_group: string;
  status: string;
  submitted_at: Date;
  eligible: boolean | null;
  raw_points: number;
  annual_pence: number;
  answers: Record<string, string>;
};

/** The draft: an option gone, a question gone, a question and an adjustment added, new prices and bands. */
function draftDefinition(): RasDefinition {
  const definition = defaultRasCopy();
  definition.name = 'Draft for the reader';
  definition.pricePoints.older_people = 9_900;
  definition.pricePoints.mental_health = 13_100;
  const questions = definition.domains.flatMap((domain) => domain.questions);
  const nutrition = questions.find((question) => question.key === 'nutrition');
  if (nutrition) nutrition.options = nutrition.options.filter((option) => option.key !== 'two_people');
  for (const domain of definition.domains) domain.questions = domain.questions.filter((question) => question.key !== 'relationships');
  definition.domains.push({
    key: 'digital',
    title: 'Using technology',
    questions: [
      {
        key: 'digital',
        text: 'How much help do you need to use a phone or computer?',
        options: [
          { key: 'some', label: 'Some', points: 4 },
          { key: 'none', label: 'None', points: 1 },
        ],
      },
    ],
  });
  definition.adjustments.push({
    key: 'equipment',
    text: 'Does equipment meet some of the need?',
    options: [
      { key: 'much', label: 'Much of it', percent: -20 },
      { key: 'little', label: 'A little', percent: -5 },
    ],
  });
  definition.carerBands = definition.carerBands.map((band) => ({ ...band, annualPence: band.annualPence + 1_000 }));
  return definition;
}

/**
 * The version before the published one, since retired: an option and a question the draft no
 * longer has, other points for a question, and a question and an adjustment it did not yet ask.
 */
function olderDefinition(): RasDefinition {
  const definition = defaultRasCopy();
  definition.name = 'Older RAS';
  for (const domain of definition.domains) {
    domain.questions = domain.questions.filter((question) => question.key !== 'clothing');
    for (const question of domain.questions) {
      if (question.key === 'nutrition') question.options.push({ key: 'an_old_option', label: 'An old option', points: 7 });
      if (question.key === 'personal_hygiene')
        question.options = question.options.map((option) => ({ ...option, points: option.points + 3 }));
    }
  }
  definition.domains[0]?.questions.push({
    key: 'retired_question',
    text: 'A question since retired',
    options: [
      { key: 'yes', label: 'Yes', points: 5 },
      { key: 'no', label: 'No', points: 0 },
    ],
  });
  definition.adjustments = [
    {
      key: 'old_support',
      text: 'An adjustment since retired',
      options: [
        { key: 'none', label: 'None', percent: 0 },
        { key: 'some', label: 'Some', percent: -15 },
      ],
    },
  ];
  return definition;
}

/** Writes an assessment as it is stored without scoring it, as the engine would refuse it. */
async function storedAssessment(
  db: Knex,
  row: Omit<Stored, 'id' | 'team_id' | 'reference'>,
  versionId: number,
  startedBy: number,
): Promise<void> {
  await db('assessments').insert({
    person_id: row.person_id,
    assessment_type: row.assessment_type,
    client_group: row.client_group,
    ras_version_id: versionId,
    status: row.status,
    answers: JSON.stringify(row.answers),
    eligibility: JSON.stringify({}),
    eligible: row.eligible,
    started_by: startedBy,
    started_at: row.submitted_at,
    updated_at: row.submitted_at,
    submitted_by: startedBy,
    submitted_at: row.submitted_at,
    superseded_at: row.status === 'superseded' ? row.submitted_at : null,
    raw_points: row.raw_points,
    annual_pence: row.annual_pence,
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  published = await publishedRas(t.db);
  const teams = [await aTeam(t.db, 'East'), await aTeam(t.db, 'West')];
  admin = await aUser(t.db, { role: 'admin' });
  const older = olderDefinition();
  const olderId = await aDraftRas(t.db, older, admin.id);
  await t
    .db('ras_versions')
    .where({ id: olderId })
    .update({ status: 'retired', effective_from: '2024-04-01', published_at: new Date('2024-03-01'), retired_at: new Date('2025-04-01') });
  // No assessment is scored with a version still in draft; were one, the model has no weights for it.
  const unpublished = defaultRasCopy();
  unpublished.name = 'Never published';
  const unpublishedId = await aDraftRas(t.db, unpublished, admin.id);
  const random = seededRandom(13);
  const answersFor = (definition: RasDefinition, type: 'person' | 'carer'): Record<string, string> => {
    const answers: Record<string, string> = {};
    for (const question of definition.domains.flatMap((domain) => domain.questions))
      answers[question.key] = pick(random, question.options).key;
    // A carer's answers to the adjustments are kept but not scored (rule 3).
    if (type === 'person' || random() < 0.3)
      for (const adjustment of definition.adjustments) answers[adjustment.key] = pick(random, adjustment.options).key;
    return answers;
  };
  const groups = ['older_people', 'learning_disability', 'physical_disability', 'mental_health', 'sensory_impairment'] as const;
  for (let index = 0; index < 90; index += 1) {
    const group = pick(random, groups);
    const person = await aPerson(t.db, { teamId: pick(random, teams).id, clientGroup: group });
    const day = (offset: number) => new Date(Date.UTC(2025, 0, 1 + offset, 10)).toISOString();
    const assess = async (type: 'person' | 'carer', status: 'submitted' | 'superseded', at: string) => {
      const [versionId, definition] =
        index % 15 === 14 ? [unpublishedId, unpublished] : random() < 0.5 ? [olderId, older] : [published.id, published.definition];
      await aSubmittedAssessment(t.db, {
        personId: person.id,
        startedBy: admin.id,
        assessmentType: type,
        clientGroup: type === 'carer' ? pick(random, ['carer', group]) : group,
        answers: answersFor(definition, type),
        eligible: type === 'carer' ? null : random() < 0.8,
        rasVersionId: versionId,
        status,
        submittedAt: at,
      });
    };
    const kind = index % 6;
    const type = random() < 0.25 ? 'carer' : 'person';
    if (kind === 1) await assess(type, 'superseded', day(index + 40));
    await assess(type, 'submitted', day(index));
    // Both a carer's and their own assessment: the later one counts, and the later id on the same day.
    if (kind === 2) await assess(type === 'carer' ? 'person' : 'carer', 'submitted', day(index + 1));
    if (kind === 3) await assess(type === 'carer' ? 'person' : 'carer', 'submitted', day(index));
    if (kind === 4) await assess(type === 'carer' ? 'person' : 'carer', 'submitted', day(index - 1));
  }
  // A person's own assessment in the carers' group, which prices nobody: the engine refuses it.
  const inCarersGroup = await aPerson(t.db, { teamId: teams[1]?.id ?? 0 });
  await storedAssessment(
    t.db,
    {
      person_id: inCarersGroup.id,
      assessment_type: 'person',
      client_group: 'carer',
      status: 'submitted',
      submitted_at: new Date(Date.UTC(2025, 5, 1, 10)),
      eligible: true,
      raw_points: 40,
      annual_pence: 900_000,
      answers: answersFor(published.definition, 'person'),
    },
    published.id,
    admin.id,
  );
  // Someone assessed and never submitted counts for nothing.
  const drafted = await aPerson(t.db, { teamId: teams[0]?.id ?? 0 });
  await t.db('assessments').insert({
    person_id: drafted.id,
    assessment_type: 'person',
    client_group: 'older_people',
    ras_version_id: published.id,
    answers: JSON.stringify({}),
    started_by: admin.id,
  });
  draft = draftDefinition();
  draftId = await aDraftRas(t.db, draft, admin.id);
});
afterAll(() => t.drop());

/** Everyone's latest submitted assessment, found in plain code rather than SQL. */
async function latestByPerson(): Promise<Stored[]> {
  const rows = (await t
    .db('assessments as a')
    .join('people as p', 'p.id', 'a.person_id')
    .where('a.status', 'submitted')
    .select('a.*', 'p.team_id', 'p.reference')) as Stored[];
  const latest = new Map<number, Stored>();
  for (const row of rows) {
    const kept = latest.get(row.person_id);
    const later =
      !kept ||
      row.submitted_at.getTime() > kept.submitted_at.getTime() ||
      (row.submitted_at.getTime() === kept.submitted_at.getTime() && row.id > kept.id);
    if (later) latest.set(row.person_id, row);
  }
  return [...latest.values()].sort((a, b) => a.person_id - b.person_id);
}

/** What the engine gives for one stored assessment under the draft. */
function engineResult(definition: RasDefinition, stored: Stored): Rescored {
  const assumed = assumedAnswersOf(definition);
  const asked = [...assumed.questions, ...(stored.assessment_type === 'person' ? assumed.adjustments : [])];
  const answers: Record<string, string> = {};
  let assumedAnswers = 0;
  for (const [key, lowest] of asked) {
    if (Object.hasOwn(stored.answers, key)) answers[key] = stored.answers[key] ?? '';
    else {
      answers[key] = lowest;
      assumedAnswers += 1;
    }
  }
  const beforePence = stored.eligible === false ? 0 : stored.annual_pence;
  try {
    const result = scoreAssessment(
      compileDefinition(definition),
      { assessmentType: stored.assessment_type, clientGroup: stored.client_group, answers },
      { explain: false },
    );
    return {
      ok: true,
      pointsBefore: stored.raw_points,
      pointsAfter: result.rawPoints,
      beforePence,
      afterPence: stored.eligible === false ? 0 : result.annualPence,
      assumedAnswers,
    };
  } catch (error) {
    if (!(error instanceof RasScoringError)) throw error;
    const option = /^Unknown option '(.+)' for (question|adjustment) '(.+)'$/.exec(error.message);
    const reason = option ? `Their answer '${option[1]}' to ${option[2]} '${option[3]}' is not an option in this version` : error.message;
    return { ok: false, pointsBefore: stored.raw_points, beforePence, reason };
  }
}

function rowOf(stored: Stored): Omit<ImpactRow, 'answers'> {
  return {
    personId: stored.person_id,
    teamId: stored.team_id,
    assessmentType: stored.assessment_type,
    clientGroup: stored.client_group,
    eligible: stored.eligible,
    rawPoints: stored.raw_points,
    annualPence: stored.annual_pence,
  };
}

describe("the impact model's reader", () => {
  it('gives every person the result the engine gives for their latest submitted assessment', async () => {
    const reports = reportsService(t.db, rasService(t.db, t.clock));
    const { batches } = await reports.rescoredPeople(actorOf(admin), draftId);
    const read: { personId: number; reference: string | undefined; result: Rescored }[] = [];
    for await (const batch of batches)
      for (const { row, result } of batch) read.push({ personId: row.personId, reference: row.reference, result });

    const latest = await latestByPerson();
    expect(read).toEqual(
      latest.map((stored) => ({ personId: stored.person_id, reference: stored.reference, result: engineResult(draft, stored) })),
    );
    // The set is varied enough to mean something.
    const results = read.map((person) => person.result);
    expect(results.filter((result) => !result.ok).length).toBeGreaterThan(3);
    expect(results.filter((result) => result.ok && result.assumedAnswers > 1).length).toBeGreaterThan(3);
    expect(latest.filter((stored) => stored.assessment_type === 'carer').length).toBeGreaterThan(3);
    expect(latest.filter((stored) => stored.eligible === false).length).toBeGreaterThan(3);
  });

  it("adds up to the figures of everyone's engine results", async () => {
    const expected = new ImpactAccumulator();
    for (const stored of await latestByPerson()) expected.add(rowOf(stored), engineResult(draft, stored));
    const { figures } = await reportsService(t.db, rasService(t.db, t.clock)).impact(draftId);
    expect(figures).toEqual(expected.figures);
    expect(figures.notRescored.reasons.size).toBeGreaterThan(1);
    expect(figures.notRescored.reasons.get("Client group 'carer' has no price point: it is only for carers' assessments")).toBe(1);
  });

  it('adds up to the engine results for a version that asks nothing new, where only the answers old assessments lack are assumed', async () => {
    const expected = new ImpactAccumulator();
    for (const stored of await latestByPerson()) expected.add(rowOf(stored), engineResult(published.definition, stored));
    const { figures } = await reportsService(t.db, rasService(t.db, t.clock)).impact(published.id);
    expect(figures).toEqual(expected.figures);
    expect(figures.peopleWithAssumedAnswers).toBeGreaterThan(3);
    expect(figures.peopleWithAssumedAnswers).toBeLessThan(figures.overall.people);
  });

  it('reads through a connection that can only read, as a read replica is', async () => {
    const replicaLike = createDb(`${t.appUrl}?options=${encodeURIComponent('-c default_transaction_read_only=on')}`);
    try {
      expect((await replicaLike.raw('show default_transaction_read_only')).rows).toEqual([{ default_transaction_read_only: 'on' }]);
      const reports = reportsService(t.db, rasService(t.db, t.clock), replicaLike);
      const { figures } = await reports.impact(draftId);
      expect(figures).toEqual((await reportsService(t.db, rasService(t.db, t.clock)).impact(draftId)).figures);
      const { batches } = await reports.rescoredPeople(actorOf(admin), draftId);
      let people = 0;
      for await (const batch of batches) people += batch.length;
      expect(people).toBe((await latestByPerson()).length);
    } finally {
      await replicaLike.destroy();
    }
  });

  it("finds everyone's latest assessment from its index, with no sort of everyone's answers", async () => {
    // A test's few rows are quicker to sort than to look up: sorting is priced out, as it is at
    // a large council's size.
    const plan = await t.db.transaction(async (trx) => {
      await trx.raw('set local enable_sort = off');
      const explained = (await trx.raw(`
        explain declare latest_assessments no scroll cursor for
        select distinct on (a.person_id) a.person_id, a.answers ->> 'nutrition'
        from assessments as a join people as p on p.id = a.person_id
        where a.status = 'submitted' order by a.person_id, a.submitted_at desc, a.id desc`)) as { rows: { 'QUERY PLAN': string }[] };
      return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Index Scan using assessments_latest_submitted');
    expect(plan).not.toMatch(/Sort/);
  });
});
