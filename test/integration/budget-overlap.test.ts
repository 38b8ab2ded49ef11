import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../src/calendar.js';
import { RuleError } from '../../src/errors.js';
import { budgetsOfPerson, openBudgetOfPerson } from '../../src/finance/repo.js';
import { endPersonalBudget } from '../../src/finance/service.js';
import type { PersonRow } from '../../src/people/repo.js';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { csrfTokenFrom, signIn } from '../support/http.js';
import { errorSummaryOf, inlineErrorOf } from '../support/page-forms.js';
import { aSubmittedAssessment, aSubmittedPlan, type SubmittedAssessment, type SubmittedPlan } from '../support/plan-builders.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';
import { countRows } from '../support/forms.js';

const OVERLAP_MESSAGE = 'This budget would overlap another personal budget of this person: choose a start date after the current one ends';

let t: TestApp;
let services: Services;
let teamId: number;
let careManager: TestUser;
let financeOfficer: TestUser;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  teamId = (await aTeam(t.db, 'North')).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  financeOfficer = await aUser(t.db, { role: 'finance_officer' });
});
afterAll(() => t.drop());

type Assessed = { person: PersonRow; assessment: SubmittedAssessment };

async function anAssessedPerson(): Promise<Assessed> {
  const person = await aPerson(t.db, { teamId });
  return { person, assessment: await aSubmittedAssessment(t.db, { person, submittedBy: careManager.id }) };
}

/** A budget row for a direct insert, on an approved plan of its own (a plan has at most one budget). */
async function budgetColumns({ person, assessment }: Assessed, startDate: string, endDate: string | null) {
  const [plan] = (await t
    .db('support_plans')
    .insert({
      person_id: person.id,
      assessment_id: assessment.id,
      status: 'approved',
      indicative_annual_pence: assessment.annualPence,
      indicative_weekly_pence: assessment.weeklyPence,
      ceiling_pence: assessment.ceilingPence,
      created_by: careManager.id,
      approved_by: financeOfficer.id,
      approved_at: '2026-05-10T10:00:00Z',
    })
    .returning('id')) as { id: number }[];
  return {
    person_id: person.id,
    plan_id: (plan as { id: number }).id,
    assessment_id: assessment.id,
    start_date: startDate,
    end_date: endDate,
    weekly_pence: 10_000,
    annual_pence: 520_000,
    planned_weekly_pence: 10_000,
    planned_annual_pence: 520_000,
    individual_budget_weekly_pence: 10_000,
    council_managed_weekly_pence: 10_000,
    approved_by: financeOfficer.id,
  };
}

async function budgetCount(personId: number): Promise<number> {
  const [row] = (await t.db('personal_budgets').where({ person_id: personId }).count({ n: '*' })) as { n: string }[];
  return Number(row?.n);
}

/** Pairs of one person's budgets that share a day, worked out without the constraint's own range arithmetic. */
async function overlappingPairs(personId: number): Promise<{ first: number; second: number }[]> {
  const { rows } = (await t.db.raw(
    `select a.id as first, b.id as second
       from personal_budgets a
       join personal_budgets b on b.person_id = a.person_id and b.id > a.id
      where a.person_id = ?
        and a.start_date <= coalesce(a.end_date, 'infinity') and b.start_date <= coalesce(b.end_date, 'infinity')
        and a.start_date <= coalesce(b.end_date, 'infinity') and b.start_date <= coalesce(a.end_date, 'infinity')`,
    [personId],
  )) as { rows: { first: number; second: number }[] };
  return rows;
}

describe('the database keeps one person’s budgets from sharing a day', () => {
  it('refuses a budget that starts on the last day of the person’s previous one, and keeps nothing of it', async () => {
    const subject = await anAssessedPerson();
    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-01-01', '2026-06-30'));

    const overlapping = await budgetColumns(subject, '2026-06-30', null);
    await expect(t.db('personal_budgets').insert(overlapping)).rejects.toMatchObject({
      code: '23P01',
      constraint: 'personal_budgets_no_overlap',
    });
    expect(await budgetCount(subject.person.id)).toBe(1);
  });

  it('refuses an open-ended budget that starts before one already in place', async () => {
    const subject = await anAssessedPerson();
    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-03-01', '2026-03-31'));

    await expect(t.db('personal_budgets').insert(await budgetColumns(subject, '2026-02-01', null))).rejects.toMatchObject({
      code: '23P01',
    });
    expect(await budgetCount(subject.person.id)).toBe(1);
  });

  it('accepts a budget that starts the day after the previous one ends', async () => {
    const subject = await anAssessedPerson();
    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-01-01', '2026-06-30'));

    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-07-01', null));
    expect(await budgetCount(subject.person.id)).toBe(2);
  });

  it('accepts another person’s budget on the same days', async () => {
    const [first, second] = [await anAssessedPerson(), await anAssessedPerson()];
    await t.db('personal_budgets').insert(await budgetColumns(first, '2026-01-01', null));

    await t.db('personal_budgets').insert(await budgetColumns(second, '2026-01-01', null));
    expect(await budgetCount(second.person.id)).toBe(1);
  });

  it('still takes a budget ended the day before it started, which covers no day', async () => {
    const subject = await anAssessedPerson();
    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-01-01', null));

    await t.db('personal_budgets').insert(await budgetColumns(subject, '2026-03-01', '2026-02-28'));
    expect(await budgetCount(subject.person.id)).toBe(2);
  });
});

describe('sign-off when the start date falls inside a budget a review ended', () => {
  it('answers 400 with the overlap next to the start date, and approves nothing until the date is after the end', async () => {
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    const { budget } = await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager,
      financeOfficer,
      items: [{ weeklyPence: 12_000 }],
      startDate: '2026-07-01',
    });
    // A review's decision to end the budget at the end of the year, through the function the review uses.
    await t.db.transaction(async (trx) => {
      const open = await openBudgetOfPerson(trx, person.id, true);
      if (!open || open.id !== budget.id) throw new Error('The approved budget is not the open one');
      await endPersonalBudget(trx, actorOf(financeOfficer), open, { endDate: '2026-12-31', endReason: 'needs_met_another_way' });
    });
    const plan = await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 15_000 }] });
    const finance = await signIn(t.app, financeOfficer.email, financeOfficer.password);

    const post = async (day: string, month: string, year: string) => {
      const page = await finance.get(`/plans/${plan.id}/sign-off`);
      return finance
        .post(`/plans/${plan.id}/approve`)
        .type('form')
        .send({
          version: String(plan.version),
          'startDate[day]': day,
          'startDate[month]': month,
          'startDate[year]': year,
          weeklyAmount: '',
          amountReason: '',
          _csrf: csrfTokenFrom(page.text),
        });
    };

    const refused = await post('1', '10', '2026');
    expect(refused.status).toBe(400);
    expect(inlineErrorOf(refused.text, 'startDate')).toBe(OVERLAP_MESSAGE);
    expect(errorSummaryOf(refused.text)).toContain(OVERLAP_MESSAGE);
    expect(await budgetCount(person.id)).toBe(1);
    expect(await t.db('support_plans').where({ id: plan.id }).first('status')).toEqual({ status: 'submitted' });

    const accepted = await post('1', '1', '2027');
    expect(accepted.status).toBe(302);
    expect(await budgetCount(person.id)).toBe(2);
    expect(await overlappingPairs(person.id)).toEqual([]);
  });
});

type Step =
  /** Finance approves a budget from a start date near the latest one; the app may refuse it. */
  | { kind: 'approve'; offsetDays: number }
  /** Finance approves a budget from a date after the current one starts, or after the last one ended. */
  | { kind: 'replace'; offsetDays: number }
  /** A team manager or finance ends the latest budget on its own page, on a day near its start; the app may refuse it. */
  | { kind: 'end'; offsetDays: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('approve' as const), offsetDays: fc.integer({ min: -60, max: 120 }) }),
  fc.record({ kind: fc.constant('replace' as const), offsetDays: fc.integer({ min: 1, max: 120 }) }),
  fc.record({ kind: fc.constant('end' as const), offsetDays: fc.integer({ min: -30, max: 400 }) }),
);

describe('budgets changed through the finance service', () => {
  it('never share a day, whatever order budgets are approved, replaced and ended in', async () => {
    const finance = actorOf(financeOfficer);
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
        // A refused approval leaves its plan submitted, and a person has one open plan, so the next approval reuses it.
        let waiting: SubmittedPlan | undefined;
        const approveFrom = async (startDate: string) => {
          waiting ??= await aSubmittedPlan(t.db, { person, createdBy: careManager.id, items: [{ weeklyPence: 10_000 }] });
          const { version } = (await t.db('support_plans').where({ id: waiting.id }).first('version')) as { version: number };
          await services.finance.approve(finance, waiting.id, { startDate, approvedWeeklyPence: 10_000, reason: '', version });
          waiting = undefined;
        };

        for (const { kind, offsetDays } of steps) {
          const budgets = await budgetsOfPerson(t.db, person.id);
          const open = budgets.find((budget) => budget.endDate === null);
          const latest = budgets[0];
          const before = budgets.length;

          if (kind === 'end') {
            const ending = open ?? latest;
            if (!ending) continue;
            const endDate = addCalendarDays(ending.startDate, offsetDays);
            const outcome = await services.budgetEnding
              .endBudget(finance, ending.id, { endDate, endReason: 'moved_out_of_area', endNote: '', version: ending.version })
              .then(
                () => 'ended',
                (error: unknown) => {
                  if (error instanceof RuleError) return `refused at ${error.field}`;
                  throw error;
                },
              );
            // Only the open budget ends, and never before it started.
            expect(outcome).toBe(
              ending.endDate !== null ? 'refused at budget' : endDate < ending.startDate ? 'refused at endDate' : 'ended',
            );
            if (outcome === 'ended') {
              expect(await t.db('personal_budgets').where({ id: ending.id }).first('end_date', 'end_reason')).toEqual({
                end_date: endDate,
                end_reason: 'moved_out_of_area',
              });
              expect(await countRows(t.db, 'reviews', { budget_id: ending.id, status: 'scheduled' })).toBe(0);
            }
          } else if (kind === 'replace') {
            await approveFrom(addCalendarDays(open?.startDate ?? latest?.endDate ?? '2026-07-01', offsetDays));
            expect(await budgetCount(person.id)).toBe(before + 1);
          } else {
            const startDate = addCalendarDays(latest?.startDate ?? '2026-07-01', offsetDays);
            // The open budget gives way to a later start; any other budget still covering the start date or later does not.
            const inTheWay = budgets.some((budget) =>
              budget === open ? startDate <= budget.startDate : budget.endDate !== null && budget.endDate >= startDate,
            );
            const outcome = await approveFrom(startDate).then(
              () => 'approved',
              (error: unknown) => {
                if (error instanceof RuleError && error.field === 'startDate') return 'refused';
                throw error;
              },
            );
            expect(outcome).toBe(inTheWay ? 'refused' : 'approved');
            expect(await budgetCount(person.id)).toBe(inTheWay ? before : before + 1);
          }
          expect(await overlappingPairs(person.id)).toEqual([]);
        }
      }),
      { numRuns: 20 },
    );
  });
});
