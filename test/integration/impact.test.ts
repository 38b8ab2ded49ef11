import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RasDefinition } from '../../src/ras/definition.js';
import { latestSubmittedAssessments } from '../../src/reports/repo.js';
import { reportsService } from '../../src/reports/service.js';
import { rasService } from '../../src/ras/service.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { aDraftRas, answersScoring, aSubmittedAssessment, defaultRasCopy, publishedRas } from '../support/ras-builders.js';

/*
 * A small council worked by hand. Published: the default RAS (older people £110.00 a point,
 * physical disability £130.00, learning disability £145.00, mental health £120.00, minimum 8
 * points, carers 8-24 points £250.00). The draft changes:
 *   - older people £100.00 a point, learning disability £160.00 a point;
 *   - 'every_day' for community_facilities is worth 6 points instead of 12;
 *   - nutrition no longer has the option 'two_people';
 *   - a new domain 'digital' (none 0, some 4): nobody has answered it, so 'none' (0) is assumed;
 *   - carers with 8-24 points get £300.00 instead of £250.00.
 *
 * person  team   group                 points  now (pence)                     with the draft (pence)
 * A       North  older people          40      40 x 11,000 = 440,000           40 x 10,000 = 400,000     loses 9.09%
 * B       North  older people, -25%    20      20 x 75% x 11,000 = 165,000     20 x 75% x 10,000 = 150,000  loses 9.09%
 * C       North  physical disability   12      12 x 13,000 = 156,000           6 points < 8: 0           loses 100%
 * D       North  learning disability   80      80 x 14,500 = 1,160,000        80 x 16,000 = 1,280,000   gains 10.34%
 * E       South  learning disability   40      not eligible: 0                 not eligible: 0           no change
 * F       South  older people          20      20 x 11,000 = 220,000           nutrition 'two_people' is gone: cannot be re-scored
 * G       South  carer                 20      band 8-24: 25,000               band 8-24: 30,000         gains 20%
 * H       South  mental health         10      10 x 12,000 = 120,000           the same                  no change
 *                                              (H's older, superseded assessment is not counted)
 *
 * Re-scored: A B C D E G H = 7 people.
 * Before: 440,000 + 165,000 + 156,000 + 1,160,000 + 0 + 25,000 + 120,000 = 2,066,000
 * After:  400,000 + 150,000 + 0 + 1,280,000 + 0 + 30,000 + 120,000     = 1,980,000
 * Gain: D, G = 2. Lose: A, B, C = 3. Lose more than 10%: C = 1. No change: E, H = 2.
 * North (A B C D): 1,921,000 -> 1,830,000. South (E G H): 145,000 -> 150,000.
 * Older people (A B): 605,000 -> 550,000. Learning disability (D E): 1,160,000 -> 1,280,000.
 * Bands: lose up to 10%: A, B; lose more than 50%: C; gain 10-25%: D, G; no change: E, H.
 */

let t: TestApp;
let worker: TestUser;
let adminAgent: Agent;
let draftId: number;
const references: Record<string, string> = {};

function draftDefinition(): RasDefinition {
  const definition = defaultRasCopy();
  definition.name = 'Draft 2027';
  definition.pricePoints.older_people = 10_000;
  definition.pricePoints.learning_disability = 16_000;
  const question = (key: string) => definition.domains.flatMap((domain) => domain.questions).find((q) => q.key === key);
  const community = question('community_facilities')?.options.find((option) => option.key === 'every_day');
  if (community) community.points = 6;
  const nutrition = question('nutrition');
  if (nutrition) nutrition.options = nutrition.options.filter((option) => option.key !== 'two_people');
  definition.domains.push({
    key: 'digital',
    title: 'Using technology',
    questions: [
      {
        key: 'digital',
        text: 'How much help do you need to use a phone or computer?',
        options: [
          { key: 'none', label: 'None', points: 0 },
          { key: 'some', label: 'Some', points: 4 },
        ],
      },
    ],
  });
  definition.carerBands = definition.carerBands.map((band) => (band.minPoints === 8 ? { ...band, annualPence: 30_000 } : band));
  return definition;
}

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  const north = await aTeam(t.db, 'North');
  const south = await aTeam(t.db, 'South');
  worker = await aUser(t.db, { role: 'care_manager', teamId: north.id });
  const admin = await aUser(t.db, { role: 'admin' });
  adminAgent = await signIn(t.app, admin.email, admin.password);

  const people: [string, number, string, Record<string, string>, { eligible?: boolean; carer?: boolean }?][] = [
    ['A', north.id, 'older_people', answersScoring(0, { personal_hygiene: 'two_people', toilet_needs: 'two_people' })],
    ['B', north.id, 'older_people', answersScoring(0, { clothing: 'two_people', informal_support: 'a_lot' })],
    ['C', north.id, 'physical_disability', answersScoring(0, { community_facilities: 'every_day' })],
    [
      'D',
      north.id,
      'learning_disability',
      answersScoring(0, { personal_hygiene: 'two_people', toilet_needs: 'two_people', clothing: 'two_people', home_safety: 'two_people' }),
    ],
    [
      'E',
      south.id,
      'learning_disability',
      answersScoring(0, { personal_hygiene: 'two_people', toilet_needs: 'two_people' }),
      { eligible: false },
    ],
    ['F', south.id, 'older_people', answersScoring(0, { nutrition: 'two_people' })],
    ['G', south.id, 'carer', answersScoring(0, { relationships: 'two_people' }, { carer: true }), { carer: true }],
    ['H', south.id, 'mental_health', answersScoring(10)],
  ];
  for (const [name, teamId, group, answers, options] of people) {
    const person = await aPerson(t.db, { teamId, clientGroup: group as 'older_people', reference: `IMP-${name}`, familyName: name });
    references[name] = person.reference;
    if (name === 'H') {
      await aSubmittedAssessment(t.db, {
        personId: person.id,
        startedBy: worker.id,
        clientGroup: group,
        answers: answersScoring(100),
        status: 'superseded',
        submittedAt: '2025-01-10T10:00:00Z',
      });
    }
    await aSubmittedAssessment(t.db, {
      personId: person.id,
      startedBy: worker.id,
      clientGroup: group,
      answers,
      assessmentType: options?.carer ? 'carer' : 'person',
      ...(options?.eligible === undefined ? {} : { eligible: options.eligible }),
    });
  }
  draftId = await aDraftRas(t.db, draftDefinition(), admin.id);
});
afterAll(() => t.drop());

describe('impact modelling of a draft', () => {
  it('gives the hand-computed totals, counts and bands, and writes nothing', async () => {
    const before = await t.db('assessments').orderBy('id').select();
    const reports = reportsService(t.db, rasService(t.db, t.clock));
    const { figures, added } = await reports.impact(draftId);

    expect(figures.overall).toEqual({
      people: 7,
      beforePence: 2_066_000,
      afterPence: 1_980_000,
      gain: 2,
      lose: 3,
      loseMoreThan10Percent: 1,
      unchanged: 2,
    });
    expect(Object.fromEntries(figures.byGroup)).toEqual({
      older_people: { people: 2, beforePence: 605_000, afterPence: 550_000, gain: 0, lose: 2, loseMoreThan10Percent: 0, unchanged: 0 },
      physical_disability: { people: 1, beforePence: 156_000, afterPence: 0, gain: 0, lose: 1, loseMoreThan10Percent: 1, unchanged: 0 },
      learning_disability: {
        people: 2,
        beforePence: 1_160_000,
        afterPence: 1_280_000,
        gain: 1,
        lose: 0,
        loseMoreThan10Percent: 0,
        unchanged: 1,
      },
      carer: { people: 1, beforePence: 25_000, afterPence: 30_000, gain: 1, lose: 0, loseMoreThan10Percent: 0, unchanged: 0 },
      mental_health: { people: 1, beforePence: 120_000, afterPence: 120_000, gain: 0, lose: 0, loseMoreThan10Percent: 0, unchanged: 1 },
    });
    const byTeam = [...figures.byTeam.values()].map((team) => [team.beforePence, team.afterPence]);
    expect(byTeam).toEqual([
      [1_921_000, 1_830_000],
      [145_000, 150_000],
    ]);
    expect(figures.bands).toEqual({
      lose_over_50: 1,
      lose_25_to_50: 0,
      lose_10_to_25: 0,
      lose_up_to_10: 2,
      no_change: 2,
      gain_up_to_10: 0,
      gain_10_to_25: 2,
      gain_25_to_50: 0,
      gain_over_50: 0,
      new_budget: 0,
    });
    expect(figures.notRescored.people).toBe(1);
    expect(figures.notRescored.beforePence).toBe(220_000);
    expect([...figures.notRescored.reasons]).toEqual([
      ["Their answer 'two_people' to question 'nutrition' is not an option in this version", 1],
    ]);
    expect(figures.peopleWithAssumedAnswers).toBe(7);
    expect(added).toEqual([{ key: 'digital', text: 'How much help do you need to use a phone or computer?' }]);

    expect(await t.db('assessments').orderBy('id').select()).toEqual(before);
  });

  it('shows the figures on the page, with the histogram and its table', async () => {
    const page = await adminAgent.get(`/admin/ras/${draftId}/impact`);
    expect(page.status).toBe(200);
    const text = page.text.replace(/\s+/g, ' ');
    expect(text).toContain('£20,660.00');
    expect(text).toContain('£19,800.00');
    expect(text).toContain('-£860.00');
    expect(text).toMatch(/Would lose more than 10%<\/dt> <dd class="govuk-summary-list__value">1 person/);
    expect(text).toContain('role="img" aria-labelledby="impact-histogram-title impact-histogram-desc"');
    expect(text).toContain('How yearly budgets would change, as a table');
    expect(text).toContain('How much help do you need to use a phone or computer? (digital)');
    expect(text).toContain('Their answer &#39;two_people&#39; to question &#39;nutrition&#39; is not an option in this version');
  });

  it('downloads one row for each person with points and budgets before and after', async () => {
    const response = await adminAgent.get(`/admin/ras/${draftId}/impact.csv`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename=ras-${draftId}-impact-2026-06-15.csv`);
    expect(response.headers['cache-control']).toBe('no-store');
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const assumed = '1 new question not yet answered: scored as the lowest option';
    expect(lines).toEqual([
      'Reference,Team,Client group,Points now,Points with this version,Budget a year now (£),Budget a year with this version (£),Change a year (£),Note',
      `${references.A},North,Older people,40,40,4400.00,4000.00,-400.00,${assumed}`,
      `${references.B},North,Older people,20,20,1650.00,1500.00,-150.00,${assumed}`,
      `${references.C},North,Physical disability,12,6,1560.00,0.00,-1560.00,${assumed}`,
      `${references.D},North,Learning disability,80,80,11600.00,12800.00,1200.00,${assumed}`,
      `${references.E},South,Learning disability,40,40,0.00,0.00,0.00,Not eligible: counted as £0; ${assumed}`,
      `${references.F},South,Older people,20,,2200.00,,,Cannot be re-scored: Their answer 'two_people' to question 'nutrition' is not an option in this version`,
      `${references.G},South,Carers,20,20,250.00,300.00,50.00,${assumed}`,
      `${references.H},South,Mental health,10,10,1200.00,1200.00,0.00,${assumed}`,
    ]);
  });

  it('shows no change at all for the published version itself', async () => {
    const published = (await t.db('ras_versions').where({ status: 'published' }).first('id')) as { id: number };
    const reports = reportsService(t.db, rasService(t.db, t.clock));
    const { figures } = await reports.impact(published.id);
    expect(figures.overall).toMatchObject({ people: 8, gain: 0, lose: 0, unchanged: 8, beforePence: 2_286_000, afterPence: 2_286_000 });
  });
});

describe('reading the latest assessments', () => {
  it("reads each person's latest submitted assessment once, in person order, in batches of the size asked", async () => {
    const batches: number[][] = [];
    for await (const batch of latestSubmittedAssessments(t.db, [], { batchSize: 3 })) batches.push(batch.map((row) => row.personId));
    const people = (await t.db('assessments').where({ status: 'submitted' }).distinct('person_id').orderBy('person_id')) as {
      person_id: number;
    }[];
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 2]);
    expect(batches.flat()).toEqual(people.map((row) => row.person_id));
  });

  it('ends its transaction when the caller stops part-way, so no connection is left holding the cursor', async () => {
    const openTransactions = async () =>
      (
        (await t.db.raw(
          'select count(*)::int as count from pg_stat_activity where datname = current_database() and xact_start is not null and pid <> pg_backend_pid()',
        )) as { rows: { count: number }[] }
      ).rows[0]?.count;
    let reading: number | undefined;
    for await (const batch of latestSubmittedAssessments(t.db, [], { batchSize: 2 })) {
      expect(batch).toHaveLength(2);
      reading = await openTransactions();
      break;
    }
    expect(reading).toBe(1);
    expect(await openTransactions()).toBe(0);
  });
});
