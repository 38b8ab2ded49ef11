import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibrationView } from '../../src/reports/presenters.js';
import { reportsService } from '../../src/reports/service.js';
import { loadRasDefinition } from '../../src/ras/repo.js';
import { rasService } from '../../src/ras/service.js';
import { seedCalibrationScenario } from '../../seeds/calibration.js';
import { buildTestApp, testClock, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { createTestDatabase } from '../support/database.js';
import { signIn, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryOf } from '../support/page-forms.js';
import { anApprovedBudget, answersScoring, aSubmittedAssessment, publishedRas } from '../support/ras-builders.js';

/*
 * The Wirral finding, built by hand with the default RAS (learning disability £145.00 a point,
 * older people £110.00, physical disability £130.00). "Points" are after the informal support
 * adjustment, since that is what the price multiplies: 60 points with "a lot" (-25%) count as 45.
 *
 * Learning disability          points  indicative (pence)               approved (pence)
 *   P1                         40      40 x 14,500 = 580,000            1.32 x 580,000 = 765,600
 *   P2                         80      80 x 14,500 = 1,160,000          1.23 x 1,160,000 = 1,426,800
 *   P3 (60, a lot: -25%)       45      60 x 75% x 14,500 = 652,500      1.26 x 652,500 = 822,150
 *   sums                       165     2,392,500                        3,014,550
 *   ratio 3,014,550 / 2,392,500 = 1.26; means 797,500 and 1,004,850
 *   sum approved / sum points = 3,014,550 / 165 = 18,270 pence a point
 *   least squares = (40 x 765,600 + 80 x 1,426,800 + 45 x 822,150) / (40² + 80² + 45²)
 *                 = (30,624,000 + 114,144,000 + 36,996,750) / (1,600 + 6,400 + 2,025)
 *                 = 181,764,750 / 10,025 = 18,131.15 -> 18,131 pence a point
 *
 * Older people
 *   P4                         50      50 x 11,000 = 550,000            0.70 x 550,000 = 385,000
 *   P5                         100     100 x 11,000 = 1,100,000         0.64 x 1,100,000 = 704,000
 *   sums                       150     1,650,000                        1,089,000
 *   ratio 1,089,000 / 1,650,000 = 0.66; means 825,000 and 544,500
 *   sum approved / sum points = 1,089,000 / 150 = 7,260 pence a point
 *   least squares = (50 x 385,000 + 100 x 704,000) / (50² + 100²) = 89,650,000 / 12,500 = 7,172
 *   Not counted: P6's budget, which has ended (£50,000 a year), and carer P8's budget.
 *
 * Physical disability (rounding half up)
 *   P7                         20      20 x 13,000 = 260,000            326,300
 *   ratio 326,300 / 260,000 = 1.255 -> 1.26; both prices 326,300 / 20 = 16,315
 */

let t: TestApp;
let worker: TestUser;
let finance: TestUser;
let adminAgent: Agent;
let teamId: number;

async function withBudget(
  group: string,
  answers: Record<string, string>,
  approvedPence: number,
  options: { endDate?: string; carer?: boolean } = {},
) {
  const person = await aPerson(t.db, { teamId, clientGroup: group as 'older_people' });
  const assessment = await aSubmittedAssessment(t.db, {
    personId: person.id,
    startedBy: worker.id,
    clientGroup: group,
    answers,
    assessmentType: options.carer ? 'carer' : 'person',
  });
  await anApprovedBudget(t.db, {
    personId: person.id,
    assessmentId: assessment.id,
    writtenBy: worker.id,
    approvedBy: finance.id,
    annualPence: approvedPence,
    ...(options.endDate ? { endDate: options.endDate } : {}),
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  await publishedRas(t.db);
  const team = await aTeam(t.db, 'North');
  teamId = team.id;
  worker = await aUser(t.db, { role: 'care_manager', teamId });
  finance = await aUser(t.db, { role: 'finance_officer' });
  const admin = await aUser(t.db, { role: 'admin' });
  adminAgent = await signIn(t.app, admin.email, admin.password);

  await withBudget('learning_disability', answersScoring(40), 765_600);
  await withBudget('learning_disability', answersScoring(80), 1_426_800);
  await withBudget('learning_disability', answersScoring(60, { informal_support: 'a_lot' }), 822_150);
  await withBudget('older_people', answersScoring(50), 385_000);
  await withBudget('older_people', answersScoring(100), 704_000);
  await withBudget('older_people', answersScoring(60), 5_000_000, { endDate: '2026-06-01' });
  await withBudget('physical_disability', answersScoring(20), 326_300);
  await withBudget('carer', answersScoring(20, {}, { carer: true }), 100_000, { carer: true });
});
afterAll(() => t.drop());

describe('the calibration report', () => {
  it('gives count, means, ratio and both matching prices per client group, as worked by hand', async () => {
    const report = await reportsService(t.db, rasService(t.db, t.clock)).calibration({
      id: 1,
      email: '',
      displayName: '',
      role: 'admin',
      teamId: null,
    });
    const figures = Object.fromEntries(report.groups.map((group) => [group.group, group.figures]));
    expect(figures.learning_disability).toEqual({
      count: 3,
      meanIndicativePence: 797_500,
      meanApprovedPence: 1_004_850,
      ratioHundredths: 126,
      ratioPricePence: 18_270,
      leastSquaresPricePence: 18_131,
    });
    expect(figures.older_people).toEqual({
      count: 2,
      meanIndicativePence: 825_000,
      meanApprovedPence: 544_500,
      ratioHundredths: 66,
      ratioPricePence: 7_260,
      leastSquaresPricePence: 7_172,
    });
    expect(figures.physical_disability).toMatchObject({
      count: 1,
      ratioHundredths: 126,
      ratioPricePence: 16_315,
      leastSquaresPricePence: 16_315,
    });
    expect(figures.mental_health).toMatchObject({ count: 0, ratioHundredths: null, ratioPricePence: null });
    expect(report.totalBudgets).toBe(6);

    const view = calibrationView(report);
    const learning = view.groups.find((group) => group.group === 'learning_disability');
    expect(learning).toMatchObject({ ratio: '1.26', ratioPrice: '£182.70', leastSquaresPrice: '£181.31', currentPrice: '£145.00' });
    expect(view.groups.find((group) => group.group === 'older_people')).toMatchObject({
      ratio: '0.66',
      ratioPrice: '£72.60',
      leastSquaresPrice: '£71.72',
    });
  });

  it('shows the table, a scatter plot with the current price line and a table alternative for each group', async () => {
    const page = await adminAgent.get('/reports/calibration');
    expect(page.status).toBe(200);
    const text = page.text.replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Learning disability<\/th> <td class="govuk-table__cell govuk-table__cell--numeric">3<\/td> <td[^>]*>£7,975.00<\/td> <td[^>]*>£10,048.50<\/td> <td[^>]*>1.26<\/td>/,
    );
    expect(text).toMatch(/Older people<\/th> <td[^>]*>2<\/td> <td[^>]*>£8,250.00<\/td> <td[^>]*>£5,445.00<\/td> <td[^>]*>0.66<\/td>/);
    expect(text).toContain('aria-labelledby="calibration-learning-disability-title calibration-learning-disability-desc"');
    expect(text).toContain('Current RAS: £145.00 a point');
    expect(text).toContain('Learning disability: approved budgets by points, as a table');
    expect((text.match(/<circle /g) ?? []).length).toBe(6);
    expect(text).toContain('Create a draft with these prices');
  });

  it('creates a draft with the least squares prices, other groups keeping theirs, and opens its impact', async () => {
    const response = await changeAndSubmit(adminAgent, '/reports/calibration', '/reports/calibration/draft', {
      estimator: 'least_squares',
    });
    expect(response.status).toBe(302);
    const id = Number(/^\/admin\/ras\/(\d+)\/impact$/.exec(response.headers.location ?? '')?.[1]);
    const definition = await loadRasDefinition(t.db, id);
    expect(definition?.pricePoints).toEqual({
      older_people: 7_172,
      learning_disability: 18_131,
      physical_disability: 16_315,
      mental_health: 12_000,
      sensory_impairment: 12_500,
    });
    expect(definition?.name).toBe('Default RAS 2026 (recalibrated)');
    const row = (await t.db('ras_versions').where({ id }).first()) as { status: string; based_on_id: number };
    expect(row.status).toBe('draft');
    const impact = await adminAgent.get(response.headers.location ?? '');
    expect(impact.status).toBe(200);
  });

  it('creates a draft with the total approved ÷ total points prices', async () => {
    const response = await changeAndSubmit(adminAgent, '/reports/calibration', '/reports/calibration/draft', { estimator: 'ratio' });
    const id = Number(/^\/admin\/ras\/(\d+)\/impact$/.exec(response.headers.location ?? '')?.[1]);
    expect((await loadRasDefinition(t.db, id))?.pricePoints).toMatchObject({
      older_people: 7_260,
      learning_disability: 18_270,
      physical_disability: 16_315,
    });
  });

  it('asks which price to use when none is chosen', async () => {
    const response = await changeAndSubmit(adminAgent, '/reports/calibration', '/reports/calibration/draft');
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['Select how to work out the new price points']);
  });

  it('lets a team manager read the report but not create a draft', async () => {
    const manager = await aUser(t.db, { role: 'team_manager', teamId });
    const agent = await signIn(t.app, manager.email, manager.password);
    const page = await agent.get('/reports/calibration');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Create a draft with these prices');
  });
});

describe('the demo calibration scenario', () => {
  it('adds enough approved budgets that learning disability comes out at 1.26 and older people at 0.66', async () => {
    const database = await createTestDatabase();
    try {
      await publishedRas(database.db);
      const team = await aTeam(database.db, 'North');
      const care = await aUser(database.db, { role: 'care_manager', teamId: team.id });
      const financeOfficer = await aUser(database.db, { role: 'finance_officer' });
      const seeded = await seedCalibrationScenario(database.db, testClock(), {
        teams: [team],
        workers: [{ id: care.id, teamId: team.id }],
        financeOfficerId: financeOfficer.id,
      });
      expect(seeded.budgets).toBeGreaterThanOrEqual(40);
      const report = await reportsService(database.db, rasService(database.db, testClock())).calibration({
        id: 1,
        email: '',
        displayName: '',
        role: 'admin',
        teamId: null,
      });
      const ratio = (group: string) => (report.groups.find((g) => g.group === group)?.figures.ratioHundredths ?? 0) / 100;
      expect(ratio('learning_disability')).toBe(1.26);
      expect(ratio('older_people')).toBe(0.66);
      const overCeiling = await database.db('personal_budgets').where('annual_pence', '>', 3_000_000).count({ count: '*' });
      expect(Number((overCeiling[0] as { count: string }).count)).toBe(0);
    } finally {
      await database.drop();
    }
  });
});
