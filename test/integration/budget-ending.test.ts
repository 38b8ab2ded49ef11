import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up as endReasonsUp, down as endReasonsDown } from '../../migrations/052_budget_end_reasons.js';
import { describeEvent } from '../../src/audit/describe.js';
import { ForbiddenError, NotFoundError } from '../../src/errors.js';
import type { PersonalBudgetRow } from '../../src/finance/repo.js';
import type { ReviewRecordRow } from '../../src/reviews/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, type Agent } from '../support/http.js';
import { changeAndSubmit, errorSummaryLinks, errorSummaryOf, inlineErrorOf, inputValueOf } from '../support/page-forms.js';
import { aSubmittedPlan, type ItemSpec } from '../support/plan-builders.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';

// The test clock stands on Monday 15 June 2026.
let t: TestApp;
let services: Services;
let northId: number;
let careManager: TestUser;
let teamManager: TestUser;
let southTeamManager: TestUser;
let financeOfficer: TestUser;
let admin: TestUser;
let cm: Agent;
let tm: Agent;
let southTm: Agent;
let finance: Agent;
let adminAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  northId = (await aTeam(t.db, 'North')).id;
  const southId = (await aTeam(t.db, 'South')).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId: northId, displayName: 'Priya Shah' });
  teamManager = await aUser(t.db, { role: 'team_manager', teamId: northId, displayName: 'Helen Marsh' });
  southTeamManager = await aUser(t.db, { role: 'team_manager', teamId: southId });
  financeOfficer = await aUser(t.db, { role: 'finance_officer', displayName: 'Gareth Lloyd' });
  admin = await aUser(t.db, { role: 'admin' });
  [cm, tm, southTm, finance, adminAgent] = await Promise.all([
    signIn(t.app, careManager.email, careManager.password),
    signIn(t.app, teamManager.email, teamManager.password),
    signIn(t.app, southTeamManager.email, southTeamManager.password),
    signIn(t.app, financeOfficer.email, financeOfficer.password),
    signIn(t.app, admin.email, admin.password),
  ]);
});
afterAll(() => t.drop());

async function withBudget(options: { items?: ItemSpec[]; startDate?: string; givenName?: string } = {}) {
  const person = await aPerson(t.db, { teamId: northId, allocatedWorkerId: careManager.id, givenName: options.givenName });
  const approved = await anApprovedBudget(services, t.db, t.clock, {
    person,
    careManager,
    financeOfficer,
    items: options.items ?? [{ weeklyPence: 12_000 }],
    startDate: options.startDate ?? '2026-04-01',
  });
  return { person, ...approved, budget: approved.budget as PersonalBudgetRow };
}

function dateFields(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}[day]`]: String(Number(day)), [`${name}[month]`]: String(Number(month)), [`${name}[year]`]: year };
}

const endPath = (budget: { id: number }) => `/budgets/${budget.id}/end`;

/** Opens the page as the user would, fills in the form and sends it with the page's CSRF token and version. */
function endBudget(agent: Agent, budget: { id: number }, fields: Record<string, string | null>) {
  return changeAndSubmit(agent, endPath(budget), endPath(budget), fields);
}

async function budgetRow(id: number): Promise<PersonalBudgetRow> {
  return (await t.db('personal_budgets').where({ id }).first()) as PersonalBudgetRow;
}

async function reviewsOf(personId: number): Promise<ReviewRecordRow[]> {
  return (await t.db('reviews').where({ person_id: personId }).orderBy('id')) as ReviewRecordRow[];
}

/** Pairs of one person's budgets that share a day, worked out without the constraint's own range arithmetic. */
async function overlappingPairs(personId: number): Promise<unknown[]> {
  const { rows } = (await t.db.raw(
    `select a.id, b.id from personal_budgets a join personal_budgets b on b.person_id = a.person_id and b.id > a.id
      where a.person_id = ?
        and a.start_date <= coalesce(a.end_date, 'infinity') and b.start_date <= coalesce(b.end_date, 'infinity')
        and a.start_date <= coalesce(b.end_date, 'infinity') and b.start_date <= coalesce(a.end_date, 'infinity')`,
    [personId],
  )) as { rows: unknown[] };
  return rows;
}

/** Everything ending a budget writes, to prove a refused request wrote none of it. */
async function snapshot(budgetId: number) {
  return {
    budget: await budgetRow(budgetId),
    reviews: await t.db('reviews').where({ budget_id: budgetId }).orderBy('id').select('status', 'version'),
    audit: await countRows(t.db, 'audit_events'),
  };
}

describe('ending a personal budget', () => {
  it('ends it on the date and for the reason chosen, cancels its scheduled reviews and leaves other people’s alone', async () => {
    const { person, budget } = await withBudget({
      givenName: 'Grace',
      items: [{ weeklyPence: 10_000, managementOption: 'direct_payment' }, { weeklyPence: 2_000 }],
    });
    const other = await withBudget({ items: [{ weeklyPence: 10_000, managementOption: 'direct_payment' }] });
    expect((await reviewsOf(person.id)).map((review) => [review.kind, review.status])).toEqual([
      ['first', 'scheduled'],
      ['direct_payment', 'scheduled'],
    ]);

    const page = await tm.get(endPath(budget));
    expect(page.status).toBe(200);
    expect(page.text).toContain('£120.00 a week (£6,240.00 a year)');
    expect(page.text).toContain('1 April 2026');

    const response = await endBudget(tm, budget, {
      ...dateFields('endDate', '2026-07-31'),
      endReason: 'died',
      endNote: 'Her son phoned the team on 12 June',
    });

    expect(response.status, response.text.slice(0, 300)).toBe(302);
    expect(response.headers.location).toBe(`/people/${person.id}#personal-budget`);
    const ended = await budgetRow(budget.id);
    expect(ended).toMatchObject({
      end_date: '2026-07-31',
      end_reason: 'died',
      end_note: 'Her son phoned the team on 12 June',
      ended_by: teamManager.id,
      version: 2,
    });
    expect(ended.ended_at).toBeInstanceOf(Date);
    expect((await reviewsOf(person.id)).map((review) => [review.kind, review.status, review.reason])).toEqual([
      ['first', 'cancelled', 'The personal budget ended: died'],
      ['direct_payment', 'cancelled', 'The personal budget ended: died'],
    ]);
    expect((await reviewsOf(other.person.id)).map((review) => review.status)).toEqual(['scheduled', 'scheduled']);
    expect(await budgetRow(other.budget.id)).toMatchObject({ end_date: null, version: 1 });

    const events = (await t
      .db('audit_events')
      .where({ person_id: person.id, user_id: teamManager.id })
      .orderBy('id')
      .select('action', 'before', 'after')) as { action: string; before: PersonalBudgetRow; after: PersonalBudgetRow }[];
    expect(events.map((event) => event.action)).toEqual(['budget_ended', 'review_cancelled', 'review_cancelled']);
    expect(events[0]?.before).toMatchObject({ end_date: null, end_reason: '', version: 1 });
    expect(events[0]?.after).toMatchObject({ end_date: '2026-07-31', end_reason: 'died', ended_by: teamManager.id, version: 2 });

    const personPage = await tm.get(response.headers.location as string);
    expect(personPage.text).toContain('Personal budget ended');
    expect(personPage.text).toContain('Its last day is 31 July 2026. Any reviews still scheduled for it have been cancelled.');
    expect(personPage.text).toContain('<strong>Personal budget ended (last day 31 July 2026): died</strong>');
    // The confirmation is shown once.
    expect((await tm.get(`/people/${person.id}`)).text).not.toContain('Its last day is 31 July 2026');
    expect(await overlappingPairs(person.id)).toEqual([]);
  });

  it('lets finance end a budget from a date in the future, and a double-click ends it once', async () => {
    const { person, budget } = await withBudget();
    const page = await finance.get(endPath(budget));
    const fields = {
      _csrf: csrfTokenFrom(page.text),
      version: '1',
      ...dateFields('endDate', '2026-12-31'),
      endReason: 'moved_out_of_area',
      endNote: '',
    };

    const [first, second] = [
      await finance.post(endPath(budget)).type('form').send(fields),
      await finance.post(endPath(budget)).type('form').send(fields),
    ];

    expect([first.status, second.status]).toEqual([302, 302]);
    expect(second.headers.location).toBe(first.headers.location);
    expect(await budgetRow(budget.id)).toMatchObject({ end_date: '2026-12-31', end_reason: 'moved_out_of_area', version: 2 });
    expect(await countRows(t.db, 'audit_events', { person_id: person.id, action: 'budget_ended' })).toBe(1);
  });

  it('refuses an end date before the budget started, next to the date, keeping what was typed', async () => {
    const { budget } = await withBudget({ startDate: '2026-04-01' });
    const before = await snapshot(budget.id);

    const response = await endBudget(tm, budget, {
      ...dateFields('endDate', '2026-03-31'),
      endReason: 'moved_into_residential_care',
      endNote: 'Oakfield House',
    });

    const message = 'The end date must be on or after 1 April 2026, when the personal budget started';
    expect(response.status).toBe(400);
    expect(inlineErrorOf(response.text, 'endDate')).toBe(message);
    expect(errorSummaryLinks(response.text)).toEqual([['#endDate-day', message]]);
    expect([inputValueOf(response.text, 'endDate-day'), inputValueOf(response.text, 'endDate-month')]).toEqual(['31', '3']);
    expect(response.text).toMatch(/value="moved_into_residential_care" checked/);
    expect(response.text).toContain('Oakfield House</textarea>');
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('refuses an end date on or after the day the person’s next budget starts', async () => {
    const { person, budget } = await withBudget({ startDate: '2026-04-01' });
    // Only a budget that covers no day can follow an open one: ended the day before it started.
    const later = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 9_000 }] });
    await t.db('personal_budgets').insert({
      ...Object.fromEntries(
        Object.entries(budget).filter(([column]) => !['id', 'replaced_by_id', 'approved_at', 'ended_at'].includes(column)),
      ),
      plan_id: later.id,
      start_date: '2026-09-01',
      end_date: '2026-08-31',
      end_reason: 'declined',
    });
    const before = await snapshot(budget.id);

    const refused = await endBudget(tm, budget, { ...dateFields('endDate', '2026-09-01'), endReason: 'declined' });
    expect(refused.status).toBe(400);
    expect(inlineErrorOf(refused.text, 'endDate')).toBe(
      `The end date must be before 1 September 2026, when Test ${person.family_name}’s next personal budget starts`,
    );
    expect(refused.text).toContain('It must be before 1 September 2026, when the next personal budget starts.');
    expect(await snapshot(budget.id)).toEqual(before);

    const accepted = await endBudget(tm, budget, { ...dateFields('endDate', '2026-08-31'), endReason: 'declined' });
    expect(accepted.status).toBe(302);
    expect(await overlappingPairs(person.id)).toEqual([]);
  });

  it('says a budget that has ended cannot be ended again, without a form, and refuses a post', async () => {
    const { person, budget } = await withBudget({ startDate: '2026-04-01' });
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    await services.finance.approve(actorOf(financeOfficer), plan.id, {
      startDate: '2026-09-01',
      approvedWeeklyPence: 15_000,
      reason: '',
      version: plan.version,
    });
    const replaced = await budgetRow(budget.id);
    expect(replaced).toMatchObject({ end_date: '2026-08-31', end_reason: 'replaced', ended_by: financeOfficer.id, version: 2 });

    const page = await tm.get(endPath(budget));
    expect(page.status).toBe(200);
    expect(page.text).toContain('This personal budget has already ended, so it cannot be ended again.');
    expect(page.text).toContain('Replaced by a new personal budget');
    expect(page.text).toContain('Last day 31 August 2026');
    expect(page.text).not.toContain(`action="${endPath(budget)}"`);

    const before = await snapshot(budget.id);
    const response = await tm
      .post(endPath(budget))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: '2', ...dateFields('endDate', '2026-06-30'), endReason: 'died' });
    expect(response.status).toBe(400);
    expect(errorSummaryLinks(response.text)).toEqual([
      ['#budget', 'This personal budget already ended on 31 August 2026, so it cannot be ended again'],
    ]);
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('needs the date and the reason, shows every problem at once and keeps what was typed', async () => {
    const { budget } = await withBudget();
    const before = await snapshot(budget.id);

    const response = await endBudget(tm, budget, {
      'endDate[day]': '31',
      'endDate[month]': '7',
      'endDate[year]': '',
      endNote: 'Waiting to hear from the family',
    });

    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual([
      'The date the budget ends must include a year',
      'Select why the personal budget is ending',
    ]);
    expect(inlineErrorOf(response.text, 'endReason')).toBe('Select why the personal budget is ending');
    expect(inputValueOf(response.text, 'endDate-day')).toBe('31');
    expect(response.text).toContain('Waiting to hear from the family</textarea>');
    expect(response.text).toMatch(/<title>Error: /);
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('offers every reason but "replaced", which only a new budget’s sign-off writes, and refuses it', async () => {
    const { budget } = await withBudget();
    const page = await tm.get(endPath(budget));
    expect([...page.text.matchAll(/name="endReason" type="radio" value="([a-z_]+)"/g)].map((match) => match[1])).toEqual([
      'no_longer_eligible',
      'needs_met_another_way',
      'moved_out_of_area',
      'moved_into_residential_care',
      'declined',
      'died',
    ]);
    const response = await endBudget(tm, budget, { ...dateFields('endDate', '2026-07-31'), endReason: 'replaced' });
    expect(response.status).toBe(400);
    expect(errorSummaryOf(response.text)).toEqual(['Select why the personal budget is ending']);
    expect(await budgetRow(budget.id)).toMatchObject({ end_date: null, version: 1 });
  });

  it('refuses a post without the CSRF token from the page', async () => {
    const { budget } = await withBudget();
    const before = await snapshot(budget.id);
    const response = await tm
      .post(endPath(budget))
      .type('form')
      .send({ version: '1', ...dateFields('endDate', '2026-07-31'), endReason: 'died' });
    expect(response.status).toBe(403);
    expect(await snapshot(budget.id)).toEqual(before);
  });
});

describe('who may end a budget', () => {
  it('offers "End this budget" on the person page to the team manager and finance only, while the budget is open', async () => {
    const { person, budget } = await withBudget();
    const link = `href="${endPath(budget)}"`;
    expect((await tm.get(`/people/${person.id}`)).text).toContain(link);
    expect((await finance.get(`/people/${person.id}`)).text).toContain(link);
    expect((await cm.get(`/people/${person.id}`)).text).not.toContain(link);
    expect((await adminAgent.get(`/people/${person.id}`)).text).not.toContain(link);
    expect((await endBudget(tm, budget, { ...dateFields('endDate', '2026-06-30'), endReason: 'died' })).status).toBe(302);
    expect((await tm.get(`/people/${person.id}`)).text).not.toContain(link);
  });

  it('refuses the person’s care manager with 403 and another team’s team manager with 404, changing nothing', async () => {
    const { budget } = await withBudget();
    const before = await snapshot(budget.id);
    const fields = { version: '1', ...dateFields('endDate', '2026-07-31'), endReason: 'died' };
    for (const [agent, status] of [
      [cm, 403],
      [southTm, 404],
    ] as const) {
      expect((await agent.get(endPath(budget))).status).toBe(status);
      const token = csrfTokenFrom((await agent.get('/people')).text);
      expect(
        (
          await agent
            .post(endPath(budget))
            .type('form')
            .send({ ...fields, _csrf: token })
        ).status,
      ).toBe(status);
    }
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('lets an administrator see the budget but not end it', async () => {
    const { budget } = await withBudget();
    const page = await adminAgent.get(endPath(budget));
    expect(page.status).toBe(200);
    expect(page.text).toContain('You can see it but not end it.');
    expect(page.text).not.toContain(`action="${endPath(budget)}"`);

    const before = await snapshot(budget.id);
    const response = await adminAgent
      .post(endPath(budget))
      .type('form')
      .send({ _csrf: csrfTokenFrom(page.text), version: '1', ...dateFields('endDate', '2026-07-31'), endReason: 'died' });
    expect(response.status).toBe(403);
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('is refused by the service itself, whatever page was or was not opened first', async () => {
    const { budget } = await withBudget();
    const before = await snapshot(budget.id);
    const input = { endDate: '2026-07-31', endReason: 'died', endNote: '', version: 1 } as const;
    await expect(services.budgetEnding.endBudget(actorOf(admin), budget.id, input)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.budgetEnding.endBudget(actorOf(careManager), budget.id, input)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(services.budgetEnding.endBudget(actorOf(southTeamManager), budget.id, input)).rejects.toBeInstanceOf(NotFoundError);
    expect(await snapshot(budget.id)).toEqual(before);
  });

  it('answers 404 for a budget that does not exist', async () => {
    expect((await tm.get('/budgets/999999/end')).status).toBe(404);
    expect((await tm.get('/budgets/not-a-number/end')).status).toBe(404);
  });
});

describe('when someone else ended the budget first', () => {
  it('gives the 409 page with what was typed beside how it was ended, and keeps the first ending', async () => {
    const { budget } = await withBudget();
    const managerPage = await tm.get(endPath(budget));

    expect((await endBudget(finance, budget, { ...dateFields('endDate', '2026-06-30'), endReason: 'moved_out_of_area' })).status).toBe(302);
    const after = await snapshot(budget.id);

    const response = await tm
      .post(endPath(budget))
      .type('form')
      .send({
        _csrf: csrfTokenFrom(managerPage.text),
        version: '1',
        ...dateFields('endDate', '2026-07-31'),
        endReason: 'died',
        endNote: 'Her son phoned the team',
      });

    expect(response.status).toBe(409);
    expect(response.text).toContain('Someone else changed Test');
    expect(response.text).toContain('Her son phoned the team');
    expect(response.text).toContain('31/7/2026');
    expect(response.text).toContain('30/6/2026');
    expect(response.text).toContain('Moved out of the area');
    expect(response.text).toContain(`href="${endPath(budget)}"`);
    expect(await snapshot(budget.id)).toEqual(after);
    expect(await budgetRow(budget.id)).toMatchObject({ end_reason: 'moved_out_of_area', ended_by: financeOfficer.id });
  });
});

describe('the person’s timeline', () => {
  it('says when and why a budget ended, and keeps the words of an ending recorded before reasons were chosen', () => {
    expect(describeEvent('budget_ended', { end_date: '2026-08-31', end_reason: 'replaced', end_note: '' })).toBe(
      'Personal budget ended (last day 31 August 2026): replaced by a new personal budget',
    );
    expect(describeEvent('budget_ended', { end_date: '2026-06-30', end_reason: 'Moving in with her son in Bristol' })).toBe(
      'Personal budget ended (last day 30 June 2026): Moving in with her son in Bristol',
    );
    expect(describeEvent('budget_ended', { end_date: '2026-06-30', end_reason: '', end_note: 'Moved to Bristol' })).toBe(
      'Personal budget ended (last day 30 June 2026): Moved to Bristol',
    );
    expect(describeEvent('budget_ended', null)).toBe('Personal budget ended');
    expect(describeEvent('budget_created', { end_date: '2026-06-30', end_reason: 'died' })).toBe('Personal budget started');
  });
});

describe('budgets ended before reasons were codes (migration 052)', () => {
  it('maps "Replaced by a new personal budget" to its code, keeps other words as the note, and finds who ended each', async () => {
    const { person, budget } = await withBudget({ startDate: '2026-04-01' });
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    await services.finance.approve(actorOf(financeOfficer), plan.id, {
      startDate: '2026-09-01',
      approvedWeeklyPence: 15_000,
      reason: '',
      version: plan.version,
    });
    const other = await withBudget();
    const otherReview = (other.reviews[0] as ReviewRecordRow).id;

    // Back to the schema before 052, in a transaction that is rolled back, so the other tests keep theirs.
    await t.db
      .transaction(async (trx) => {
        // The rows changed before the ALTERs queue the dashboard's commit-time trigger (migration 074);
        // a migration that changes rows and then alters their table fires such events first.
        await trx.raw('set constraints all immediate');
        await endReasonsDown(trx);
        expect(await trx('personal_budgets').where({ id: budget.id }).first('end_reason')).toEqual({
          end_reason: 'Replaced by a new personal budget',
        });
        await trx('personal_budgets')
          .where({ id: other.budget.id })
          .update({ end_date: '2026-05-31', end_reason: 'Moving in with her son in Bristol' });
        await trx('reviews').where({ id: otherReview }).update({ decision_end_reason: 'Moving in with her son in Bristol' });

        await endReasonsUp(trx);

        const rows = (await trx('personal_budgets')
          .whereIn('id', [budget.id, other.budget.id])
          .orderBy('id')
          .select('end_reason', 'end_note', 'ended_by', 'version')) as Partial<PersonalBudgetRow>[];
        expect(rows).toEqual([
          { end_reason: 'replaced', end_note: '', ended_by: financeOfficer.id, version: 1 },
          { end_reason: '', end_note: 'Moving in with her son in Bristol', ended_by: null, version: 1 },
        ]);
        expect(await trx('reviews').where({ id: otherReview }).first('decision_end_reason', 'decision_end_note')).toEqual({
          decision_end_reason: '',
          decision_end_note: 'Moving in with her son in Bristol',
        });
        await expect(trx('personal_budgets').where({ id: other.budget.id }).update({ end_reason: 'Moved away' })).rejects.toMatchObject({
          constraint: 'personal_budgets_end_reason',
        });
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        if ((error as Error).message !== 'roll back') throw error;
      });
    expect(await budgetRow(budget.id)).toMatchObject({ end_reason: 'replaced', version: 2 });
  });
});
