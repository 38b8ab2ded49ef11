import type { Knex } from 'knex';
import type { PageRequest } from '../db/paging.js';
import { recordEvent } from '../audit/repo.js';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, Role, SignedInUser } from '../auth/roles.js';
import { addCalendarDays, writtenCalendarDate } from '../calendar.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { chargesOfBudgets, type BudgetCharge, type PersonalBudget } from '../finance/repo.js';
import { formatPence } from '../money.js';
import { findPersonForUpdate, type Person } from '../people/repo.js';
import { councilSettings } from '../settings/repo.js';
import type { PeopleService } from '../people/service.js';
import {
  bankAccountsOf,
  directPaymentBudgetsStartedBy,
  findBankAccount,
  findRun,
  insertAccountReturn,
  insertDeductions,
  insertPayments,
  insertRecovery,
  recoveriesToTakeFrom,
  accountReturnRecord,
  recoveriesOfPerson,
  returnsOfPerson,
  insertRun,
  latestRuns,
  lockRun,
  markRunApproved,
  payeesOf,
  paymentsOfBudgets,
  paymentsOfRun,
  saveBankAccount,
  type BankAccount,
  type BankAccountDetails,
  type DirectPayment,
  type NewDirectPayment,
  type Payee,
  type RecoveryMethod,
} from './repo.js';
import { deductionsFrom, type Deduction } from './recovery-deductions.js';
import { addsUp, endOfLastQuarter, expectedClosingPence, isSurplus, missingPeriods, surplusThresholdPence } from './monitoring.js';
import type { AccountReturnInput, BankAccountInput, PaymentRunInput, RecoveryInput } from './schemas.js';
import {
  directPaymentFigurePeople,
  directPaymentFigures,
  directPaymentsFrom,
  figureDates,
  type DirectPaymentFigureId,
} from './figures-repo.js';
import {
  directPaymentTermsOf,
  paymentPeriodOf,
  scheduledPayments,
  weeklyRateOn,
  type DirectPaymentTerms,
  type ScheduledPayment,
} from './schedule.js';

/** Finance pays direct payments: they keep bank details and make, approve and export runs. */
const payingRoles: readonly Role[] = ['finance_officer'];
/** Administrators may look at runs, and change nothing. */
const runReaders: readonly Role[] = ['finance_officer', 'admin'];

const onlyFinance = 'Only a finance officer can do this. Nothing was changed.';

/** The direct payment figures and the people behind them: finance and administrators see every team, a team manager their own. */
const figureReaders: readonly Role[] = ['finance_officer', 'admin', 'team_manager'];

/** The team whose people a user's figures count: undefined for every team. */
function figureTeamOf(user: SignedInUser): number | undefined {
  if (!figureReaders.includes(user.role)) throw new ForbiddenError('Only finance, team managers and administrators see these figures.');
  return user.role === 'team_manager' ? (user.teamId ?? -1) : undefined;
}

/** A period that starts before the day this system took over was paid by the council's previous system. */
const paidHere = (from: string | null) => (payment: Pick<ScheduledPayment, 'periodStart'>) => from === null || payment.periodStart >= from;

/** How many payments ahead a person's page shows, so they and their worker know what is coming. */
const UPCOMING_PAYMENTS = 3;

/** The audit trail keeps who a payment goes to and the last digits only, as the pages show them. */
export function maskedAccount(account: BankAccountDetails) {
  return {
    recipientKind: account.recipientKind,
    accountName: account.accountName,
    sortCodeEnding: account.sortCode.slice(-2),
    accountNumberEnding: account.accountNumber.slice(-4),
  };
}

/** The bank reference: the person's council reference and the first day the payment is for, so a statement line is traced back. */
export function paymentReference(person: Pick<Payee, 'reference'>, periodStart: string): string {
  return `${person.reference} DP ${periodStart.slice(8, 10)}${periodStart.slice(5, 7)}${periodStart.slice(2, 4)}`;
}

/** A budget's schedule, with each payment's run if it is in one. */
export type BudgetSchedule = {
  budget: PersonalBudget;
  terms: DirectPaymentTerms;
  paid: DirectPayment[];
  /** Payments due by today that no run has taken yet. */
  owed: ScheduledPayment[];
  upcoming: ScheduledPayment[];
};

/** What a new run would pay, and whom it cannot pay yet. */
type DuePayments = { payments: (ScheduledPayment & { personId: number })[]; withoutBankDetails: Set<number> };

function termsByBudget(budgets: readonly PersonalBudget[], charges: readonly BudgetCharge[]) {
  const chargesOf = new Map<number, BudgetCharge[]>();
  for (const charge of charges) chargesOf.set(charge.budgetId, [...(chargesOf.get(charge.budgetId) ?? []), charge]);
  return budgets.flatMap((budget) => {
    const terms = directPaymentTermsOf(budget, chargesOf.get(budget.id) ?? []);
    return terms ? [{ budget, terms }] : [];
  });
}

function refuseDoublePayment(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (
    (code === '23505' && constraint === 'direct_payments_once_a_period') ||
    (code === '23P01' && constraint === 'direct_payments_no_day_twice')
  ) {
    throw new RuleError(
      'Another payment run took some of these payments at the same moment. Nothing was created: look at the runs and try again',
      'paymentDate',
    );
  }
  throw error;
}

function refuseOverlappingReturn(error: unknown): never {
  const { code, constraint } = error as { code?: string; constraint?: string };
  if (code === '23P01' && constraint === 'direct_payment_returns_no_overlap') {
    throw new RuleError('Another return already covers some of these days: check the statement period', 'periodFrom');
  }
  throw error;
}

export function directPaymentsService(db: Knex, people: PeopleService, clock: Clock) {
  async function schedulesOf(personId: number, today: string): Promise<BudgetSchedule[]> {
    // A budget starting later this month is shown with its first payments.
    const horizon = paymentPeriodOf(today, 'monthly').end;
    const budgets = await directPaymentBudgetsStartedBy(db, horizon, personId);
    const ids = budgets.map((budget) => budget.id);
    const [charges, paid, from] = await Promise.all([chargesOfBudgets(db, ids), paymentsOfBudgets(db, ids), directPaymentsFrom(db)]);
    return termsByBudget(budgets, charges).map(({ budget, terms }) => {
      const ofBudget = paid.filter((payment) => payment.budgetId === budget.id);
      const taken = new Set(ofBudget.map((payment) => payment.periodStart));
      // Far enough ahead for the next few payments of any frequency.
      const schedule = scheduledPayments(terms, addCalendarDays(today, UPCOMING_PAYMENTS * 31))
        .filter(paidHere(from))
        .filter((payment) => !taken.has(payment.periodStart));
      return {
        budget,
        terms,
        paid: ofBudget,
        owed: schedule.filter((payment) => payment.periodStart <= today),
        upcoming: schedule.filter((payment) => payment.periodStart > today).slice(0, UPCOMING_PAYMENTS),
      };
    });
  }

  /**
   * A person's account returns and recoveries, and the days paid since the cut-over date up to the
   * end of the last quarter that no return covers.
   */
  async function monitoringOf(personId: number, today: string) {
    const returnsDueBy = endOfLastQuarter(today);
    const budgets = await directPaymentBudgetsStartedBy(db, returnsDueBy, personId);
    const [charges, returns, recoveries, settings, from] = await Promise.all([
      chargesOfBudgets(
        db,
        budgets.map((budget) => budget.id),
      ),
      returnsOfPerson(db, personId),
      recoveriesOfPerson(db, personId),
      councilSettings(db),
      directPaymentsFrom(db),
    ]);
    const paid = termsByBudget(budgets, charges).map(({ terms }) => ({
      from: from !== null && from > terms.startDate ? from : terms.startDate,
      to: terms.endDate ?? returnsDueBy,
    }));
    return {
      returns,
      recoveries,
      surplusWeeks: settings.directPaymentSurplusWeeks,
      returnsDueBy,
      directPaymentsFrom: from,
      missing: missingPeriods(
        paid.filter((span) => span.from <= span.to),
        returns.map((accountReturn) => ({ from: accountReturn.periodFrom, to: accountReturn.periodTo })),
        returnsDueBy,
      ),
    };
  }

  async function duePayments(trx: Knex.Transaction, paymentDate: string): Promise<DuePayments> {
    const budgets = await directPaymentBudgetsStartedBy(trx, paymentDate);
    const ids = budgets.map((budget) => budget.id);
    // One query at a time: a transaction's connection runs them in turn anyway.
    const charges = await chargesOfBudgets(trx, ids);
    const paid = await paymentsOfBudgets(trx, ids);
    const accounts = await bankAccountsOf(trx, [...new Set(budgets.map((budget) => budget.personId))]);
    const from = await directPaymentsFrom(trx);
    const taken = new Set(paid.map((payment) => `${payment.budgetId} ${payment.periodStart}`));
    const due: DuePayments = { payments: [], withoutBankDetails: new Set() };
    for (const { budget, terms } of termsByBudget(budgets, charges)) {
      const owed = scheduledPayments(terms, paymentDate)
        .filter(paidHere(from))
        .filter((payment) => !taken.has(`${budget.id} ${payment.periodStart}`));
      if (owed.length === 0) continue;
      if (!accounts.has(budget.personId)) due.withoutBankDetails.add(budget.personId);
      else due.payments.push(...owed.map((payment) => ({ ...payment, personId: budget.personId })));
    }
    return due;
  }

  async function visibleRun(user: SignedInUser, runId: number) {
    if (!runReaders.includes(user.role)) throw new ForbiddenError('Only finance officers and administrators can see payment runs.');
    const run = await findRun(db, runId);
    if (!run) throw new NotFoundError('Payment run');
    return run;
  }

  return {
    /** A person's direct payments: schedule, payments made, and where they go. Anyone who can see the person may look. */
    async personPage(user: SignedInUser, personId: number) {
      const person = await people.visiblePerson(user, personId);
      const today = londonToday(clock);
      const [schedules, account, monitoring] = await Promise.all([
        schedulesOf(person.id, today),
        findBankAccount(db, person.id),
        monitoringOf(person.id, today),
      ]);
      return {
        person,
        today,
        schedules,
        account: account ?? null,
        ...monitoring,
        canChangeBankDetails: payingRoles.includes(user.role),
        canMonitor: payingRoles.includes(user.role) && schedules.length > 0,
      };
    },

    /**
     * What a direct payment review looks at: the returns, any surplus and the periods no return
     * covers. For a page that has already checked the user may see the person.
     */
    async monitoringOfVisiblePerson(person: Pick<Person, 'id'>) {
      return monitoringOf(person.id, londonToday(clock));
    },

    /** The person for a finance officer's return or recovery form. */
    async monitoringFormPage(user: SignedInUser, personId: number) {
      const person = await people.visiblePerson(user, personId);
      if (!payingRoles.includes(user.role)) throw new ForbiddenError('Only a finance officer can record account returns and recoveries.');
      return { person };
    },

    /**
     * Records an account return: refused unless it adds up, or when it covers a day another return
     * covers; measured against the council's surplus weeks of the weekly payment on its last day
     * (or the last day a payment was made before it).
     */
    async recordReturn(actor: Actor, personId: number, input: AccountReturnInput): Promise<{ personId: number; surplus: boolean }> {
      if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
      const figures = {
        openingBalancePence: input.openingBalance,
        moneyInPence: input.moneyIn,
        moneyOutPence: input.moneyOut,
        closingBalancePence: input.closingBalance,
      };
      if (!addsUp(figures)) {
        throw new RuleError(
          `The figures do not add up: ${formatPence(input.openingBalance)} opening balance plus ${formatPence(input.moneyIn)} paid in less ${formatPence(input.moneyOut)} paid out is ${formatPence(expectedClosingPence(figures))}, not ${formatPence(input.closingBalance)}. Check them against the bank statement`,
          'closingBalance',
        );
      }
      return db.transaction(async (trx) => {
        const person = await findPersonForUpdate(trx, personId);
        if (!person) throw new NotFoundError('Person');
        const budgets = await directPaymentBudgetsStartedBy(trx, input.periodTo, person.id);
        const terms = termsByBudget(
          budgets,
          await chargesOfBudgets(
            trx,
            budgets.map((budget) => budget.id),
          ),
        ).map((entry) => entry.terms);
        const last = terms.at(-1);
        if (!last) throw new RuleError('This person had no direct payment by the end of this statement period', 'periodTo');
        const lastPaidDay = last.endDate !== null && last.endDate < input.periodTo ? last.endDate : input.periodTo;
        const weekly = weeklyRateOn(last, lastPaidDay) ?? 0;
        const settings = await councilSettings(trx);
        const threshold = surplusThresholdPence(weekly, settings.directPaymentSurplusWeeks);
        const accountReturn = await insertAccountReturn(trx, {
          personId: person.id,
          periodFrom: input.periodFrom,
          periodTo: input.periodTo,
          ...figures,
          surplusThresholdPence: threshold,
          surplus: isSurplus(input.closingBalance, threshold),
          recordedBy: actor.id,
          recordedAt: clock.now(),
        }).catch(refuseOverlappingReturn);
        await recordEvent(trx, actor, {
          action: 'direct_payment_return_recorded',
          entityType: 'direct_payment_return',
          entityId: accountReturn.id,
          personId: person.id,
          after: accountReturnRecord(accountReturn),
        });
        return { personId: person.id, surplus: accountReturn.surplus };
      });
    },

    /**
     * Records money the council asks back against the person's latest return: owed by the person,
     * or taken from their next payment runs until it is all recovered.
     */
    async recordRecovery(actor: Actor, personId: number, input: RecoveryInput): Promise<{ personId: number; method: RecoveryMethod }> {
      if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
      return db.transaction(async (trx) => {
        const person = await findPersonForUpdate(trx, personId);
        if (!person) throw new NotFoundError('Person');
        const [latest] = await returnsOfPerson(trx, person.id);
        const recovery = await insertRecovery(trx, {
          personId: person.id,
          returnId: latest?.id ?? null,
          amountPence: input.amount,
          reason: input.reason,
          method: input.method,
          capPence: input.method === 'from_payments' ? input.cap : null,
          recordedBy: actor.id,
          recordedAt: clock.now(),
        });
        await recordEvent(trx, actor, {
          action: 'direct_payment_recovery_recorded',
          entityType: 'direct_payment_recovery',
          entityId: recovery.id,
          personId: person.id,
          after: {
            amountPence: recovery.amountPence,
            reason: recovery.reason,
            returnId: recovery.returnId,
            method: recovery.method,
            capPence: recovery.capPence,
          },
        });
        return { personId: person.id, method: recovery.method };
      });
    },

    async bankAccountPage(user: SignedInUser, personId: number) {
      const person = await people.visiblePerson(user, personId);
      if (!payingRoles.includes(user.role)) throw new ForbiddenError('Only a finance officer can change where a direct payment is paid.');
      return { person, account: (await findBankAccount(db, person.id)) ?? null };
    },

    /** Saves the person's bank details, checked against the version the form was opened at, audited with the last digits only. */
    async saveBankAccount(actor: Actor, personId: number, input: BankAccountInput): Promise<{ person: Person; account: BankAccount }> {
      return db.transaction(async (trx) => {
        const person = await findPersonForUpdate(trx, personId);
        if (!person) throw new NotFoundError('Person');
        if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
        const before = await findBankAccount(trx, person.id, true);
        if ((before?.version ?? null) !== input.version) throw new StaleVersionError('bank details', before ? maskedAccount(before) : {});
        const account = await saveBankAccount(trx, person.id, input, actor.id);
        await recordEvent(trx, actor, {
          action: 'direct_payment_bank_details_changed',
          entityType: 'person',
          entityId: person.id,
          personId: person.id,
          before: before && maskedAccount(before),
          after: maskedAccount(account),
        });
        return { person, account };
      });
    },

    async runsPage(user: SignedInUser) {
      if (!runReaders.includes(user.role)) throw new ForbiddenError('Only finance officers and administrators can see payment runs.');
      const today = londonToday(clock);
      const dates = figureDates(today);
      const [runs, figures, from] = await Promise.all([latestRuns(db, 50), directPaymentFigures(db, dates), directPaymentsFrom(db)]);
      return { runs, today, dates, figures, directPaymentsFrom: from, canCreate: payingRoles.includes(user.role) };
    },

    /** The people behind one of the direct payment figures, a page at a time: a team manager's team, or everyone. */
    async figurePeoplePage(user: SignedInUser, figure: DirectPaymentFigureId, request: PageRequest) {
      const teamId = figureTeamOf(user);
      const today = londonToday(clock);
      const dates = figureDates(today);
      const [paged, figures] = await Promise.all([
        directPaymentFigurePeople(db, figure, dates, teamId, request),
        directPaymentFigures(db, dates, teamId),
      ]);
      return { figure, today, dates, allTeams: teamId === undefined, paged, latestRunDate: figures.latestRunDate };
    },

    async runPage(user: SignedInUser, runId: number) {
      const run = await visibleRun(user, runId);
      const payments = await paymentsOfRun(db, run.id);
      const payees = await payeesOf(db, [...new Set(payments.map((payment) => payment.personId))]);
      const mayApprove = payingRoles.includes(user.role) && run.status === 'awaiting_approval';
      return {
        run,
        payments: payments.map((payment) => ({ payment, payee: payees.get(payment.personId) as Payee })),
        cannotApprove: mayApprove && run.createdBy === user.id ? ('created_it' as const) : null,
        canApprove: mayApprove && run.createdBy !== user.id,
        canExport: payingRoles.includes(user.role) && run.status === 'approved',
      };
    },

    /**
     * A run for a payment date: every period started by then that no run has paid, for every
     * direct payment with bank details. One run is made at a time (a transaction lock), and the
     * table's constraints refuse a period paid twice even so. Recoveries taken from payments come
     * off in the same transaction, under the same lock, so no recovery is taken twice.
     */
    async createRun(actor: Actor, input: PaymentRunInput): Promise<{ runId: number; count: number; withoutBankDetails: number }> {
      if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
      return db.transaction(async (trx) => {
        await trx.raw(`select pg_advisory_xact_lock(hashtext('direct_payment_runs'))`);
        const due = await duePayments(trx, input.paymentDate);
        if (due.payments.length === 0) {
          const waiting = due.withoutBankDetails.size;
          throw new RuleError(
            waiting > 0
              ? `No payment due by ${writtenCalendarDate(input.paymentDate)} can be made: ${waiting === 1 ? '1 person has' : `${waiting} people have`} no bank details. Every other payment due is already in a payment run`
              : `Every direct payment due by ${writtenCalendarDate(input.paymentDate)} is already in a payment run, so nobody would be paid twice. Nothing was created`,
            'paymentDate',
          );
        }
        const runId = await insertRun(trx, input.paymentDate, actor.id, clock.now());
        const personIds = [...new Set(due.payments.map((payment) => payment.personId))];
        const accounts = await bankAccountsOf(trx, personIds);
        const payees = await payeesOf(trx, personIds);
        // A person's payments by period, so a recovery comes off the earliest first.
        const ordered = [...due.payments].sort(
          (a, b) => a.personId - b.personId || a.periodStart.localeCompare(b.periodStart) || a.budgetId - b.budgetId,
        );
        const recoveries = await recoveriesToTakeFrom(trx, personIds);
        const deductions: Deduction[][] = [];
        // In the same order as the payments, so each payment's deductions sit at its index.
        for (const personId of new Set(ordered.map((payment) => payment.personId))) {
          const ofPerson = ordered.filter((payment) => payment.personId === personId);
          const open = recoveries
            .filter((recovery) => recovery.personId === personId)
            .map((recovery) => ({
              id: recovery.id,
              stillToRecoverPence: recovery.amountPence - recovery.recoveredPence,
              capPence: recovery.capPence,
            }));
          deductions.push(
            ...deductionsFrom(
              ofPerson.map((payment) => payment.amountPence),
              open,
            ),
          );
        }
        const rows: NewDirectPayment[] = ordered.map((payment, index) => {
          const account = accounts.get(payment.personId) as BankAccount;
          const recovered = (deductions[index] ?? []).reduce((total, deduction) => total + deduction.amountPence, 0);
          return {
            runId,
            budgetId: payment.budgetId,
            personId: payment.personId,
            periodStart: payment.periodStart,
            periodEnd: payment.periodEnd,
            coversFrom: payment.coversFrom,
            coversTo: payment.coversTo,
            duePence: payment.amountPence,
            amountPence: payment.amountPence - recovered,
            accountName: account.accountName,
            sortCode: account.sortCode,
            accountNumber: account.accountNumber,
            reference: paymentReference(payees.get(payment.personId) as Payee, payment.periodStart),
          };
        });
        const paymentIds = await insertPayments(trx, rows).catch(refuseDoublePayment);
        const taken = deductions.flatMap((ofPayment, index) =>
          ofPayment.map((deduction) => ({ ...deduction, paymentId: paymentIds[index] as number })),
        );
        await insertDeductions(trx, taken);
        await recordEvent(trx, actor, {
          action: 'direct_payment_run_created',
          entityType: 'direct_payment_run',
          entityId: runId,
          after: {
            paymentDate: input.paymentDate,
            payments: rows.length,
            totalPence: rows.reduce((total, row) => total + row.amountPence, 0),
            recoveredPence: taken.reduce((total, deduction) => total + deduction.amountPence, 0),
            withoutBankDetails: due.withoutBankDetails.size,
          },
        });
        return { runId, count: rows.length, withoutBankDetails: due.withoutBankDetails.size };
      });
    },

    /** The second finance officer's approval: never the run's creator, and only once. */
    async approveRun(actor: Actor, runId: number, input: { version: number }): Promise<{ runId: number; alreadyDone: boolean }> {
      if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
      return db.transaction(async (trx) => {
        await lockRun(trx, runId);
        const run = await findRun(trx, runId);
        if (!run) throw new NotFoundError('Payment run');
        if (run.status === 'approved' && run.approvedBy === actor.id && run.version === input.version + 1)
          return { runId, alreadyDone: true };
        if (run.version !== input.version) throw new StaleVersionError('payment run', run);
        if (run.status === 'approved')
          throw new RuleError(`This payment run was already approved by ${run.approvedByName ?? 'someone else'}`, 'run');
        if (run.createdBy === actor.id) {
          throw new RuleError('You created this payment run, so another finance officer must approve it', 'run');
        }
        await markRunApproved(trx, run.id, actor.id, clock.now());
        await recordEvent(trx, actor, {
          action: 'direct_payment_run_approved',
          entityType: 'direct_payment_run',
          entityId: run.id,
          before: { status: run.status },
          after: { status: 'approved', paymentDate: run.paymentDate, payments: run.paymentCount, totalPence: run.totalPence },
        });
        return { runId, alreadyDone: false };
      });
    },

    /**
     * An approved run's payments for the council's payment system, with the download in the audit
     * trail. A payment a recovery took all of pays nothing, so it is not in the file.
     */
    async exportRun(actor: Actor, runId: number) {
      if (!payingRoles.includes(actor.role)) throw new ForbiddenError(onlyFinance);
      const run = await findRun(db, runId);
      if (!run) throw new NotFoundError('Payment run');
      if (run.status !== 'approved')
        throw new ForbiddenError('A payment run is exported only once another finance officer has approved it.');
      const payments = (await paymentsOfRun(db, run.id)).filter((payment) => payment.amountPence > 0);
      await recordLookedAt(db, actor, {
        action: 'direct_payment_run_exported',
        entityType: 'direct_payment_run',
        entityId: run.id,
        after: { payments: payments.length, totalPence: run.totalPence },
      });
      return { run, payments };
    },
  };
}

export type DirectPaymentsService = ReturnType<typeof directPaymentsService>;
export type DirectPaymentPersonPage = Awaited<ReturnType<DirectPaymentsService['personPage']>>;
export type BankAccountPage = Awaited<ReturnType<DirectPaymentsService['bankAccountPage']>>;
export type RunsPage = Awaited<ReturnType<DirectPaymentsService['runsPage']>>;
export type RunPage = Awaited<ReturnType<DirectPaymentsService['runPage']>>;
export type FigurePeoplePage = Awaited<ReturnType<DirectPaymentsService['figurePeoplePage']>>;
export type DirectPaymentMonitoring = Awaited<ReturnType<DirectPaymentsService['monitoringOfVisiblePerson']>>;
