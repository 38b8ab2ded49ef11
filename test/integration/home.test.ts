import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { signIn, type Agent } from '../support/http.js';
import { aSubmittedAssessment, aSubmittedPlan } from '../support/plan-builders.js';
import { aScheduledReview, actorOf, anApprovedBudget } from '../support/review-builders.js';

// Each describe block builds its own team, so lists only hold that block's rows.
let t: TestApp;
let services: Services;
let financeOfficer: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  admin = await aUser(t.db, { role: 'admin', displayName: 'Ada Admin' });
});
afterAll(() => t.drop());
beforeEach(() => t.clock.set('2026-06-15T10:00:00Z'));

/** The rows of the table in a home-page section: each row's cells as text, tags and line breaks flattened. */
function sectionRows(html: string, sectionId: string): string[][] {
  const section = new RegExp(`<section id="${sectionId}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
  const body = /<tbody[\s\S]*?<\/tbody>/.exec(section)?.[0] ?? '';
  return [...body.matchAll(/<tr[\s\S]*?<\/tr>/g)].map((row) =>
    [...row[0].matchAll(/<t[hd]\b[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<br>/g, ' ')
        .replace(/<span class="govuk-visually-hidden">[\s\S]*?<\/span>/g, '')
        .replace(/<[^>]+>/g, '')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

function countOf(html: string, id: string): number {
  const match = new RegExp(`href="#${id}"><span class="app-counts__number">([\\d,]+)</span>`).exec(html);
  return Number(match?.[1]?.replaceAll(',', '') ?? NaN);
}

describe('a care manager’s home page', () => {
  let careManager: TestUser;
  let colleague: TestUser;
  let agent: Agent;
  let team: { id: number };
  const people: Record<string, PersonRow> = {};

  beforeAll(async () => {
    team = await aTeam(t.db, 'Boundary Team');
    careManager = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
    colleague = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Sam Patel' });
    agent = await signIn(t.app, careManager.email, careManager.password);
    const person = async (given: string, family: string) => {
      people[given] = await aPerson(t.db, { teamId: team.id, givenName: given, familyName: family, allocatedWorkerId: careManager.id });
      return people[given] as PersonRow;
    };
    // Today is 15 June 2026.
    await aScheduledReview(t.db, { person: await person('Tia', 'Today'), dueDate: '2026-06-15', assignedTo: careManager.id });
    await aScheduledReview(t.db, { person: await person('Thea', 'Thirty'), dueDate: '2026-07-15', assignedTo: careManager.id });
    await aScheduledReview(t.db, { person: await person('Tom', 'Thirtyone'), dueDate: '2026-07-16', assignedTo: careManager.id });
    await aScheduledReview(t.db, {
      person: await person('Yan', 'Yesterday'),
      dueDate: '2026-06-14',
      assignedTo: careManager.id,
      kind: 'first',
    });
    await aScheduledReview(t.db, { person: await person('Olu', 'Older'), dueDate: '2026-06-03', assignedTo: careManager.id });
    // Someone else's review is not on this page.
    const theirs = await aPerson(t.db, { teamId: team.id, givenName: 'Cal', familyName: 'Colleague', allocatedWorkerId: colleague.id });
    await aScheduledReview(t.db, { person: theirs, dueDate: '2026-06-10', assignedTo: colleague.id });
  });

  it('lists reviews overdue and due in the next 30 days right at the date boundaries', async () => {
    const response = await agent.get('/');
    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1 class="govuk-heading-l">Your work</h1>');
    expect(sectionRows(response.text, 'overdue')).toEqual([
      ['Olu Older ' + people.Olu?.reference, 'Annual review', '3 June 2026 overdue by 12 days'],
      ['Yan Yesterday ' + people.Yan?.reference, 'First review', '14 June 2026 overdue by 1 day'],
    ]);
    expect(sectionRows(response.text, 'due-soon')).toEqual([
      ['Tia Today ' + people.Tia?.reference, 'Annual review', '15 June 2026 due today'],
      ['Thea Thirty ' + people.Thea?.reference, 'Annual review', '15 July 2026 due in 30 days'],
    ]);
    // Due in 31 days is on neither list, though Tom is still among "my people"; a colleague's review is on neither.
    expect(sectionRows(response.text, 'my-people').map((row) => row[0]?.split(' ')[1])).toContain('Thirtyone');
    expect(response.text).not.toContain('Colleague');
    expect(countOf(response.text, 'overdue')).toBe(2);
    expect(countOf(response.text, 'due-soon')).toBe(2);
    expect(countOf(response.text, 'my-people')).toBe(5);
  });

  it('moves the boundaries with the London day, not the UTC one', async () => {
    // 11:30pm UTC on 15 June is 12:30am on 16 June in London.
    t.clock.set('2026-06-15T23:30:00Z');
    const response = await agent.get('/');
    expect(sectionRows(response.text, 'overdue').map((row) => row[2])).toEqual([
      '3 June 2026 overdue by 13 days',
      '14 June 2026 overdue by 2 days',
      '15 June 2026 overdue by 1 day',
    ]);
    expect(sectionRows(response.text, 'due-soon').map((row) => row[2])).toEqual([
      '15 July 2026 due in 29 days',
      '16 July 2026 due in 30 days',
    ]);
  });

  it('sorts a table by the column header links, with aria-sort on the sorted column, and leaves the other tables alone', async () => {
    const byNameDown = await agent.get('/?table=due-soon&sort=person&dir=desc');
    expect(sectionRows(byNameDown.text, 'due-soon').map((row) => row[0]?.split(' ')[1])).toEqual(['Today', 'Thirty']);
    const heading = /<section id="due-soon"[\s\S]*?<thead[\s\S]*?<\/thead>/.exec(byNameDown.text)?.[0] ?? '';
    expect(heading).toContain(
      'aria-sort="descending"><a class="govuk-link app-sort-link" href="/?table=due-soon&amp;sort=person&amp;dir=asc#due-soon">Person',
    );
    expect(heading).toContain(
      '<th scope="col" class="govuk-table__header"><a class="govuk-link app-sort-link" href="/?table=due-soon&amp;sort=due&amp;dir=asc#due-soon">Due',
    );
    expect(heading.match(/aria-sort/g)).toHaveLength(1);
    // The overdue table keeps its usual order, most overdue first.
    expect(sectionRows(byNameDown.text, 'overdue').map((row) => row[0]?.split(' ')[1])).toEqual(['Older', 'Yesterday']);

    const byNameUp = await agent.get('/?table=due-soon&sort=person&dir=asc');
    expect(sectionRows(byNameUp.text, 'due-soon').map((row) => row[0]?.split(' ')[1])).toEqual(['Thirty', 'Today']);
    const nonsense = await agent.get('/?table=due-soon&sort=%3Cscript%3E&dir=up');
    expect(nonsense.status).toBe(200);
    expect(sectionRows(nonsense.text, 'due-soon').map((row) => row[0]?.split(' ')[1])).toEqual(['Today', 'Thirty']);
  });

  it('lists drafts with their age and plans returned with the reason', async () => {
    const person = people.Tia as PersonRow;
    await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id });
    const { assessment } = await services.assessments.start(actorOf(careManager), (people.Thea as PersonRow).id);
    await t.db('assessments').where({ id: assessment.id }).update({ started_at: '2026-06-01T09:00:00Z' });
    const returned = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 9_000 }] });
    await t.db('support_plans').where({ id: returned.id }).update({
      status: 'returned',
      return_reason: 'Costs for the day centre are missing',
      returned_by: financeOfficer.id,
      returned_at: '2026-06-12T15:00:00Z',
    });

    const response = await agent.get('/');
    expect(sectionRows(response.text, 'drafts')).toEqual([
      ['Thea Thirty ' + people.Thea?.reference, 'Supported self-assessment Started 1 June 2026', '14 days'],
    ]);
    expect(sectionRows(response.text, 'returned')).toEqual([
      ['Tia Today ' + person.reference, '12 June 2026 by Gareth Lloyd', 'Costs for the day centre are missing'],
    ]);
    expect(response.text).toContain(`href="/plans/${returned.id}"`);
    expect(response.text).toContain(`href="/assessments/${assessment.id}"`);
  });
});

describe('a team manager’s home page', () => {
  it('counts the team per worker, and lists plans waiting for panel and people not allocated', async () => {
    const team = await aTeam(t.db, 'Panel Team');
    const manager = await aUser(t.db, { role: 'team_manager', teamId: team.id, displayName: 'Helen Marsh' });
    const priya = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Priya Shah' });
    const sam = await aUser(t.db, { role: 'care_manager', teamId: team.id, displayName: 'Sam Patel' });
    const a = await aPerson(t.db, { teamId: team.id, givenName: 'Ann', familyName: 'Able', allocatedWorkerId: priya.id });
    const b = await aPerson(t.db, { teamId: team.id, givenName: 'Ben', familyName: 'Baker', allocatedWorkerId: priya.id });
    const c = await aPerson(t.db, { teamId: team.id, givenName: 'Cat', familyName: 'Cole', allocatedWorkerId: sam.id });
    const nobody = await aPerson(t.db, { teamId: team.id, givenName: 'Nia', familyName: 'Nobody' });
    await aScheduledReview(t.db, { person: a, dueDate: '2026-06-01', assignedTo: priya.id });
    await aScheduledReview(t.db, { person: b, dueDate: '2026-06-20', assignedTo: priya.id });
    await aScheduledReview(t.db, { person: c, dueDate: '2026-06-10', assignedTo: null });
    const panel = await aSubmittedPlan(t.db, {
      person: c,
      createdBy: sam.id,
      items: [{ weeklyPence: 65_000 }],
      panelStatus: 'awaiting',
      submittedAt: '2026-06-05T09:00:00Z',
    });

    const agent = await signIn(t.app, manager.email, manager.password);
    const response = await agent.get('/');
    expect(response.status).toBe(200);
    expect(sectionRows(response.text, 'workers')).toEqual([
      ['Helen Marsh', '0', '0', '0', '0', '0'],
      ['Priya Shah', '2', '0', '0', '1', '1'],
      ['Sam Patel', '1', '0', '0', '0', '0'],
      ['Not assigned', '0', '0', '0', '1', '0'],
    ]);
    expect(sectionRows(response.text, 'overdue').map((row) => [row[0]?.split(' ')[1], row[3]])).toEqual([
      ['Able', 'Priya Shah'],
      ['Cole', 'Not assigned'],
    ]);
    expect(sectionRows(response.text, 'panel')).toEqual([['Cat Cole ' + c.reference, '10 days', '£650.00']]);
    expect(response.text).toContain(`href="/plans/${panel.id}/panel"`);
    expect(sectionRows(response.text, 'unallocated').map((row) => row[0])).toEqual(['Nia Nobody ' + nobody.reference]);
    expect(response.text).toContain(`href="/people/${nobody.id}/allocate"`);
    expect(countOf(response.text, 'panel')).toBe(1);
    expect(countOf(response.text, 'unallocated')).toBe(1);

    const byOverdue = await agent.get('/?table=workers&sort=overdue&dir=desc');
    expect(sectionRows(byOverdue.text, 'workers').map((row) => row[0])).toEqual(['Priya Shah', 'Not assigned', 'Helen Marsh', 'Sam Patel']);
  });
});

describe('a finance officer’s home page', () => {
  it('shows the sign-off queue oldest first, budgets starting this week, and active budgets without a financial assessment', async () => {
    const team = await aTeam(t.db, 'Finance Team');
    const worker = await aUser(t.db, { role: 'care_manager', teamId: team.id });
    const person = (given: string, family: string) =>
      aPerson(t.db, { teamId: team.id, givenName: given, familyName: family, allocatedWorkerId: worker.id });
    const older = await aSubmittedPlan(t.db, {
      person: await person('Olive', 'Oldest'),
      createdBy: worker.id,
      items: [{ weeklyPence: 9_000 }],
      submittedAt: '2026-06-01T09:00:00Z',
    });
    await aSubmittedPlan(t.db, {
      person: await person('Nina', 'Newest'),
      createdBy: worker.id,
      items: [{ weeklyPence: 8_000 }],
      submittedAt: '2026-06-14T09:00:00Z',
    });
    // This week is Monday 15 to Sunday 21 June.
    const sunday = await anApprovedBudget(services, t.db, t.clock, {
      person: await person('Sun', 'Day'),
      careManager: worker,
      financeOfficer,
      items: [{ weeklyPence: 10_000, managementOption: 'direct_payment' }],
      startDate: '2026-06-21',
    });
    await anApprovedBudget(services, t.db, t.clock, {
      person: await person('Next', 'Monday'),
      careManager: worker,
      financeOfficer,
      items: [{ weeklyPence: 10_000 }],
      startDate: '2026-06-22',
    });
    const active = await anApprovedBudget(services, t.db, t.clock, {
      person: await person('Una', 'Unassessed'),
      careManager: worker,
      financeOfficer,
      items: [{ weeklyPence: 7_500 }],
      startDate: '2026-05-01',
    });
    const assessed = await anApprovedBudget(services, t.db, t.clock, {
      person: await person('Ava', 'Assessed'),
      careManager: worker,
      financeOfficer,
      items: [{ weeklyPence: 7_500 }],
      startDate: '2026-05-01',
    });
    await t.db('financial_assessments').insert({
      person_id: assessed.plan.person_id,
      effective_from: '2026-05-01',
      weekly_income_pence: 20_000,
      weekly_allowances_pence: 19_000,
      capital_pence: 0,
      tariff_income_pence: 0,
      pays_full_cost: false,
      calculated_weekly_contribution_pence: 1_000,
      weekly_contribution_pence: 1_000,
      recorded_by: financeOfficer.id,
    });

    const agent = await signIn(t.app, financeOfficer.email, financeOfficer.password);
    const response = await agent.get('/');
    expect(response.status).toBe(200);
    const queue = sectionRows(response.text, 'sign-off').filter((row) => row[1] === 'Finance Team');
    expect(queue).toEqual([
      [`Olive Oldest ${older.person.reference}`, 'Finance Team', '14 days', '£90.00'],
      [expect.stringContaining('Nina Newest'), 'Finance Team', '1 day', '£80.00'],
    ]);
    expect(response.text).toContain(`href="/plans/${older.id}/sign-off"`);
    const starting = sectionRows(response.text, 'starting').filter((row) => row[1] === 'Finance Team');
    expect(starting).toEqual([[`Sun Day ${sunday.plan.person.reference}`, 'Finance Team', '21 June 2026', '£100.00', '£100.00']]);
    expect(response.text).toContain('Monday 15 June 2026 to Sunday 21 June 2026');
    const unassessed = sectionRows(response.text, 'unassessed').filter((row) => row[1] === 'Finance Team');
    expect(unassessed).toEqual([[`Una Unassessed ${active.plan.person.reference}`, 'Finance Team', '1 May 2026', '45 days', '£75.00']]);
    expect(response.text).toContain(`href="/people/${active.plan.person_id}/financial-assessment"`);
  });
});

describe('an administrator’s home page', () => {
  it('lists RAS versions and users, each linking to where they are managed', async () => {
    await aSubmittedAssessment(t.db, { person: await aPerson(t.db, { teamId: (await aTeam(t.db)).id }), submittedBy: admin.id });
    const agent = await signIn(t.app, admin.email, admin.password);
    const response = await agent.get('/');
    expect(response.status).toBe(200);
    const versions = sectionRows(response.text, 'ras-versions');
    expect(versions.length).toBeGreaterThan(0);
    expect(versions.some((row) => row[1] === 'Current')).toBe(true);
    expect(response.text).toMatch(/href="\/admin\/ras\/\d+"/);
    expect(sectionRows(response.text, 'users').map((row) => row[0])).toContain(`Ada Admin ${admin.email}`);
    expect(response.text).toContain(`href="/admin/users/${admin.id}/edit"`);
  });
});
