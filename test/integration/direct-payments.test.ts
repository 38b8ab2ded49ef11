import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/services.js';
import { buildTestApp, type TestApp } from '../support/app.js';
import { aPerson, aTeam, aUser, type TestUser } from '../support/builders.js';
import { aDirectPaymentBudget } from '../support/direct-payment-builders.js';
import { countRows } from '../support/forms.js';
import { csrfTokenFrom, signIn, submitForm, type Agent } from '../support/http.js';
import { actorOf, anApprovedBudget } from '../support/review-builders.js';

/**
 * Each test makes its own people, so a run (which pays everyone due) finds what the test expects
 * of its own person whichever test ran before it. The clock stands on Monday 15 June 2026, the
 * first day of a 4-weekly period (18 May to 14 June is the one before).
 */

let t: TestApp;
let services: Services;
let teamId: number;
let careManager: TestUser;
let finance: TestUser;
let secondFinance: TestUser;
let financeAgent: Agent;
let secondFinanceAgent: Agent;
let careManagerAgent: Agent;

beforeAll(async () => {
  t = await buildTestApp();
  services = createServices(t.db, t.clock);
  teamId = (await aTeam(t.db)).id;
  careManager = await aUser(t.db, { role: 'care_manager', teamId });
  finance = await aUser(t.db, { role: 'finance_officer' });
  secondFinance = await aUser(t.db, { role: 'finance_officer' });
  financeAgent = await signIn(t.app, finance.email, finance.password);
  secondFinanceAgent = await signIn(t.app, secondFinance.email, secondFinance.password);
  careManagerAgent = await signIn(t.app, careManager.email, careManager.password);
});
afterAll(() => t.drop());

async function aPersonOnDirectPayments(options: { weeklyPence: number; startDate: string; accountName?: string; noBankDetails?: boolean }) {
  const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
  const { budget } = await aDirectPaymentBudget(services, t.db, t.clock, {
    person,
    careManager,
    financeOfficer: finance,
    weeklyPence: options.weeklyPence,
    startDate: options.startDate,
    bankDetails: options.noBankDetails
      ? null
      : { accountName: options.accountName ?? 'Test Person', sortCode: '309950', accountNumber: '00733445' },
  });
  return { person, budget };
}

const runForm = (date: string) => {
  const [year, month, day] = date.split('-');
  return { 'paymentDate[day]': String(Number(day)), 'paymentDate[month]': String(Number(month)), 'paymentDate[year]': year as string };
};

describe('bank details for a direct payment', () => {
  it('refuses a sort code or account number of the wrong form, keeping what was typed, then shows only the last digits', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-06-03', noBankDetails: true });
    const page = `/people/${person.id}/direct-payments/bank-details`;

    const refused = await submitForm(financeAgent, page, page, {
      recipientKind: 'representative',
      accountName: 'Jo Bloggs',
      sortCode: '30-99-5',
      accountNumber: '0073344A',
      version: '',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The sort code must be 6 digits, like 30-99-50');
    expect(refused.text).toContain('The account number must be numbers only, like 00733445');
    expect(refused.text).toContain('value="30-99-5"');
    expect(await countRows(t.db, 'direct_payment_bank_accounts', { person_id: person.id })).toBe(0);

    const saved = await submitForm(financeAgent, page, page, {
      recipientKind: 'representative',
      accountName: 'Jo Bloggs',
      sortCode: '30-99-50',
      accountNumber: '0073 3445',
      version: '',
    });
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe(`/people/${person.id}/direct-payments`);
    expect(await t.db('direct_payment_bank_accounts').where({ person_id: person.id }).first()).toMatchObject({
      recipient_kind: 'representative',
      sort_code: '309950',
      account_number: '00733445',
    });

    const shown = await financeAgent.get(`/people/${person.id}/direct-payments`);
    expect(shown.text).toContain('**-**-50');
    expect(shown.text).toContain('****3445');
    expect(shown.text).not.toContain('00733445');
    expect((await financeAgent.get(page)).text).not.toContain('00733445');

    const event = await t.db('audit_events').where({ action: 'direct_payment_bank_details_changed', person_id: person.id }).first();
    expect(event.after).toEqual({
      recipientKind: 'representative',
      accountName: 'Jo Bloggs',
      sortCodeEnding: '50',
      accountNumberEnding: '3445',
    });
    expect(JSON.stringify(event)).not.toContain('00733445');
  });

  it('sends a change made from an out-of-date form to the 409 page, keeping the details saved first', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-06-03' });
    const page = `/people/${person.id}/direct-payments/bank-details`;
    const stale = await submitForm(financeAgent, page, page, {
      recipientKind: 'person',
      accountName: 'Late Change',
      sortCode: '112233',
      accountNumber: '12345678',
      version: '',
    });
    expect(stale.status).toBe(409);
    expect(await t.db('direct_payment_bank_accounts').where({ person_id: person.id }).first()).toMatchObject({
      account_name: 'Test Person',
    });
  });
});

describe('payment runs', () => {
  it('pays the part period from a mid-period start and the period starting on the payment date, and refuses a second run for them', async () => {
    const { person, budget } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-06-03' });
    const { person: withoutBank } = await aPersonOnDirectPayments({ weeklyPence: 50_00, startDate: '2026-06-01', noBankDetails: true });

    const created = await submitForm(financeAgent, '/direct-payments/runs', '/direct-payments/runs', runForm('2026-06-15'));
    expect(created.status, created.text.slice(0, 500)).toBe(302);
    expect(created.headers.location).toMatch(/^\/direct-payments\/runs\/\d+$/);
    const runPage = await financeAgent.get(String(created.headers.location));
    expect(runPage.text).toContain('Payment run created');
    expect(runPage.text).toContain('left out until their bank details are added');

    const payments = await t.db('direct_payments').where({ person_id: person.id }).orderBy('period_start');
    expect(payments.map((row) => [row.budget_id, row.covers_from, row.covers_to, row.amount_pence])).toEqual([
      [budget.id, '2026-06-03', '2026-06-14', 171_43], // 12 days of £100 a week, rounded once
      [budget.id, '2026-06-15', '2026-07-12', 400_00],
    ]);
    expect(await countRows(t.db, 'direct_payments', { person_id: withoutBank.id })).toBe(0);

    const runs = await countRows(t.db, 'direct_payment_runs');
    const again = await submitForm(financeAgent, '/direct-payments/runs', '/direct-payments/runs', runForm('2026-06-15'));
    expect(again.status).toBe(400);
    expect(again.text).toContain('already in a payment run');
    expect(again.text).toContain('govuk-error-summary');
    expect(await countRows(t.db, 'direct_payment_runs')).toBe(runs);
    expect(await countRows(t.db, 'direct_payments', { person_id: person.id })).toBe(2);
  });

  it('refuses a payment date more than 5 weeks ahead with a message by the field', async () => {
    const runs = await countRows(t.db, 'direct_payment_runs');
    const refused = await submitForm(financeAgent, '/direct-payments/runs', '/direct-payments/runs', runForm('2026-09-01'));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The payment date must be between');
    expect(refused.text).toContain('value="9"');
    expect(await countRows(t.db, 'direct_payment_runs')).toBe(runs);
  });

  it('lets a second finance officer approve a run but never its creator, and exports only an approved run, its cells guarded', async () => {
    const { person } = await aPersonOnDirectPayments({
      weeklyPence: 70_00,
      startDate: '2026-07-13',
      accountName: '=HYPERLINK("http://x")',
    });
    t.clock.set('2026-07-10T10:00:00Z');
    try {
      const { runId } = await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-07-13' });
      const url = `/direct-payments/runs/${runId}`;

      const ownPage = await financeAgent.get(url);
      expect(ownPage.text).toContain('You created this run, so another finance officer must approve it.');
      expect(ownPage.text).not.toContain('Approve this payment run');
      const byCreator = await financeAgent
        .post(`${url}/approve`)
        .type('form')
        .send({ version: '1', _csrf: csrfTokenFrom(ownPage.text) });
      expect(byCreator.status).toBe(400);
      expect(byCreator.text).toContain('You created this payment run, so another finance officer must approve it');
      expect(await t.db('direct_payment_runs').where({ id: runId }).first()).toMatchObject({
        status: 'awaiting_approval',
        approved_by: null,
      });

      expect((await financeAgent.get(`${url}/payments.csv`)).status).toBe(403);

      const otherPage = await secondFinanceAgent.get(url);
      expect(otherPage.text).toContain('Approve this payment run');
      const approved = await secondFinanceAgent
        .post(`${url}/approve`)
        .type('form')
        .send({ version: '1', _csrf: csrfTokenFrom(otherPage.text) });
      expect(approved.status).toBe(302);
      expect(await t.db('direct_payment_runs').where({ id: runId }).first()).toMatchObject({
        status: 'approved',
        approved_by: secondFinance.id,
      });
      expect(await countRows(t.db, 'audit_events', { action: 'direct_payment_run_approved', entity_id: String(runId) })).toBe(1);

      const file = await financeAgent.get(`${url}/payments.csv`);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toContain('text/csv');
      const lines = file.text.replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('Recipient name,Sort code,Account number,Amount,Reference,Period from,Period to');
      expect(lines).toContain(`"'=HYPERLINK(""http://x"")",309950,00733445,280.00,${person.reference} DP 130726,2026-07-13,2026-08-09`);
      expect(lines.every((line) => !/^[=+\-@]/.test(line))).toBe(true);
      expect(await countRows(t.db, 'audit_events', { action: 'direct_payment_run_exported', entity_id: String(runId) })).toBe(1);
    } finally {
      t.clock.set('2026-06-15T10:00:00Z');
    }
  });
});

describe('what the database refuses whatever the code does', () => {
  it('refuses a second payment of a budget for a period, a payment covering a day already paid, and an approval by the run’s creator', async () => {
    const { person, budget } = await aPersonOnDirectPayments({ weeklyPence: 90_00, startDate: '2026-06-15' });
    const { runId } = await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-06-15' });
    const paid = await t.db('direct_payments').where({ person_id: person.id }).first();
    const [otherRun] = (await t
      .db('direct_payment_runs')
      .insert({ payment_date: '2026-06-15', created_by: finance.id })
      .returning('id')) as { id: number }[];
    const copy = { ...paid, id: undefined, run_id: otherRun?.id };

    await expect(t.db('direct_payments').insert(copy)).rejects.toMatchObject({
      code: '23505',
      constraint: 'direct_payments_once_a_period',
    });
    await expect(
      t.db('direct_payments').insert({ ...copy, budget_id: budget.id, period_start: '2026-06-14', covers_from: '2026-06-20' }),
    ).rejects.toMatchObject({
      code: '23P01',
      constraint: 'direct_payments_no_day_twice',
    });
    await expect(
      t.db('direct_payment_runs').where({ id: runId }).update({ status: 'approved', approved_by: finance.id, approved_at: t.db.fn.now() }),
    ).rejects.toMatchObject({ code: '23514' });
  });
});

describe('account returns and recoveries', () => {
  const returnForm = (from: string, to: string, figures: [string, string, string, string]) => {
    const date = (name: string, iso: string) => {
      const [year, month, day] = iso.split('-');
      return { [`${name}[day]`]: String(Number(day)), [`${name}[month]`]: String(Number(month)), [`${name}[year]`]: year as string };
    };
    const [openingBalance, moneyIn, moneyOut, closingBalance] = figures;
    return { ...date('periodFrom', from), ...date('periodTo', to), openingBalance, moneyIn, moneyOut, closingBalance };
  };

  it('refuses a return that does not add up, saying what it should be, and keeps what was typed', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-01-05' });
    const url = `/people/${person.id}/direct-payments/returns/new`;
    const refused = await submitForm(
      financeAgent,
      url,
      url,
      returnForm('2026-02-01', '2026-02-28', ['500.00', '400.00', '250.00', '600.00']),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(
      'The figures do not add up: £500.00 opening balance plus £400.00 paid in less £250.00 paid out is £650.00, not £600.00. Check them against the bank statement',
    );
    expect(refused.text).toContain('href="#closingBalance"');
    expect(refused.text).toContain('value="600.00"');
    expect(await countRows(t.db, 'direct_payment_returns', { person_id: person.id })).toBe(0);
  });

  it('flags a closing balance of 8 weeks of payments as a surplus and a penny less as none, and lists the periods no return covers', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-01-05' });
    const url = `/people/${person.id}/direct-payments/returns/new`;
    const below = await submitForm(
      financeAgent,
      url,
      url,
      returnForm('2026-02-01', '2026-02-28', ['700.00', '400.00', '300.01', '799.99']),
    );
    expect(below.status, below.text.slice(0, 300)).toBe(302);
    const at = await submitForm(financeAgent, url, url, returnForm('2026-03-01', '2026-03-31', ['799.99', '400.00', '399.99', '800.00']));
    expect(at.status).toBe(302);

    const rows = await t.db('direct_payment_returns').where({ person_id: person.id }).orderBy('period_from');
    expect(rows.map((row) => [row.closing_balance_pence, row.surplus_threshold_pence, row.surplus])).toEqual([
      [799_99, 800_00, false],
      [800_00, 800_00, true],
    ]);
    const page = await financeAgent.get(`/people/${person.id}/direct-payments`);
    expect(page.text).toContain('Account return recorded: surplus');
    expect(page.text).toContain('The closing balance of £800.00 is at or above £800.00, 8 weeks of payments.');
    // Returns were due up to 31 March 2026, the end of the last quarter; January's days are not covered.
    expect(page.text).toMatch(
      /<ul class="govuk-list govuk-list--bullet" id="missing-returns">\s*<li>5 January 2026 to 31 January 2026<\/li>/,
    );

    const overlapping = await submitForm(financeAgent, url, url, returnForm('2026-03-15', '2026-04-15', ['0', '0', '0', '0']));
    expect(overlapping.status).toBe(400);
    expect(overlapping.text).toContain('Another return already covers some of these days');
    expect(await countRows(t.db, 'direct_payment_returns', { person_id: person.id })).toBe(2);
  });

  it('records a recovery with its amount and reason, in the audit trail', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-01-05' });
    const url = `/people/${person.id}/direct-payments/recoveries/new`;
    const refused = await submitForm(financeAgent, url, url, { amount: '0', reason: '' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('The amount to recover must be more than £0');
    expect(refused.text).toContain('Enter why it is being recovered');

    expect(refused.text).toContain('Select how the money is recovered');
    const capWhenOwed = await submitForm(financeAgent, url, url, { amount: '10', reason: 'Surplus', method: 'owed', cap: '5' });
    expect(capWhenOwed.status).toBe(400);
    expect(capWhenOwed.text).toContain('Leave the most to take from each payment blank when the recovery is recorded as owed');
    expect(capWhenOwed.text).toContain('value="5"');
    expect(await countRows(t.db, 'direct_payment_recoveries', { person_id: person.id })).toBe(0);

    const saved = await submitForm(financeAgent, url, url, {
      amount: '£1,200.50',
      reason: 'Surplus found at the review',
      method: 'owed',
      cap: '',
    });
    expect(saved.status).toBe(302);
    expect(await t.db('direct_payment_recoveries').where({ person_id: person.id }).first()).toMatchObject({
      amount_pence: 1_200_50,
      reason: 'Surplus found at the review',
      method: 'owed',
      cap_pence: null,
    });
    expect(await countRows(t.db, 'audit_events', { action: 'direct_payment_recovery_recorded', person_id: person.id })).toBe(1);
    expect((await financeAgent.get(`/people/${person.id}/direct-payments`)).text).toContain('£1,200.50');

    // Recorded as owed, it changes no payment.
    await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-06-15' });
    const payments = await t.db('direct_payments').where({ person_id: person.id });
    expect(payments.length).toBeGreaterThan(0);
    expect(payments.every((payment) => payment.amount_pence === payment.due_pence)).toBe(true);
    expect(
      await t
        .db('direct_payment_deductions')
        .whereIn(
          'payment_id',
          payments.map((payment) => payment.id),
        )
        .count(),
    ).toEqual([{ count: 0 }]);
  });

  it('takes a recovery from the next payments up to the most for each, the rest in the next run, and pays the reduced amount', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-06-15' });
    const { person: allTaken } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-06-15' });
    const recover = async (personId: number, form: Record<string, string>) => {
      const url = `/people/${personId}/direct-payments/recoveries/new`;
      const saved = await submitForm(financeAgent, url, url, { reason: 'Surplus found at the review', ...form });
      expect(saved.status, saved.text.slice(0, 300)).toBe(302);
    };
    await recover(person.id, { amount: '500.00', method: 'from_payments', cap: '300' });
    await recover(allTaken.id, { amount: '400.00', method: 'from_payments', cap: '' });

    const { runId } = await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-06-15' });
    const paid = async (personId: number) =>
      (await t.db('direct_payments').where({ person_id: personId }).orderBy('period_start')).map((row) => [
        row.due_pence,
        row.amount_pence,
      ]);
    expect(await paid(person.id)).toEqual([[400_00, 100_00]]);
    expect(await paid(allTaken.id)).toEqual([[400_00, 0]]);

    const runPage = await financeAgent.get(`/direct-payments/runs/${runId}`);
    expect(runPage.text).toContain('Nothing to pay: recovered');
    expect(runPage.text).toContain('£300.00');
    await services.directPayments.approveRun(actorOf(secondFinance), runId, { version: 1 });
    const file = await financeAgent.get(`/direct-payments/runs/${runId}/payments.csv`);
    expect(file.status).toBe(200);
    expect(file.text).toContain(`100.00,${person.reference} DP 150626`);
    expect(file.text).not.toContain(`${allTaken.reference} DP`);

    const page = await financeAgent.get(`/people/${person.id}/direct-payments`);
    expect(page.text).toContain('Taken from the next payments, at most £300.00 from each');
    expect(page.text).toMatch(/£500\.00<\/td>\s*<td[^>]*>£300\.00<\/td>\s*<td[^>]*>£200\.00<\/td>/);

    t.clock.set('2026-07-10T10:00:00Z');
    try {
      await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-07-13' });
      await services.directPayments.createRun(actorOf(finance), { paymentDate: '2026-08-10' });
    } finally {
      t.clock.set('2026-06-15T10:00:00Z');
    }
    expect(await paid(person.id)).toEqual([
      [400_00, 100_00],
      [400_00, 200_00],
      [400_00, 400_00],
    ]);
    expect(await paid(allTaken.id)).toEqual([
      [400_00, 0],
      [400_00, 400_00],
      [400_00, 400_00],
    ]);
    const recovered = await t
      .db('direct_payment_deductions as d')
      .join('direct_payment_recoveries as c', 'c.id', 'd.recovery_id')
      .whereIn('c.person_id', [person.id, allTaken.id])
      .groupBy('c.person_id')
      .select('c.person_id', t.db.raw('sum(d.amount_pence)::integer as total'));
    expect(Object.fromEntries(recovered.map((row) => [row.person_id, row.total]))).toEqual({ [person.id]: 500_00, [allTaken.id]: 400_00 });
  });
});

describe('the direct payment review', () => {
  it('shows the latest return, any surplus and the periods with no return in the review itself', async () => {
    const { person } = await aPersonOnDirectPayments({ weeklyPence: 100_00, startDate: '2026-01-05' });
    const review = await t.db('reviews').where({ person_id: person.id, kind: 'direct_payment' }).first('id');
    const before = await careManagerAgent.get(`/reviews/${review.id}`);
    expect(before.status).toBe(200);
    expect(before.text).toContain('No account returns have been recorded.');
    expect(before.text).toContain('5 January 2026 to 31 March 2026');

    await services.directPayments.recordReturn(actorOf(finance), person.id, {
      periodFrom: '2026-01-05',
      periodTo: '2026-02-28',
      openingBalance: 0,
      moneyIn: 1_000_00,
      moneyOut: 150_00,
      closingBalance: 850_00,
    });
    const page = await careManagerAgent.get(`/reviews/${review.id}`);
    const monitoring = /<section aria-labelledby="monitoring-heading"[\s\S]*?<\/section>/.exec(page.text)?.[0] ?? '';
    expect(monitoring).toContain('5 January 2026 to 28 February 2026');
    expect(monitoring).toContain('£850.00');
    expect(monitoring).toContain('is at or above £800.00, 8 weeks of payments');
    expect(monitoring).toContain('1 March 2026 to 31 March 2026');
    // The worker reads it; recording returns stays with finance on the direct payments page.
    expect(monitoring).not.toContain('Record an account return');
    expect(page.text).toContain(`href="/people/${person.id}/direct-payments"`);
  });

  it('is not shown in a review of a budget with no direct payment', async () => {
    const person = await aPerson(t.db, { teamId, allocatedWorkerId: careManager.id });
    await anApprovedBudget(services, t.db, t.clock, {
      person,
      careManager,
      financeOfficer: finance,
      items: [{ weeklyPence: 100_00 }],
      startDate: '2026-01-05',
    });
    const review = await t.db('reviews').where({ person_id: person.id }).first('id');
    const page = await careManagerAgent.get(`/reviews/${review.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('monitoring-heading');
  });
});
