import type { DbOrTransaction } from '../db/knex.js';
import { toPersonalBudget, type PersonalBudget, type PersonalBudgetRow } from '../finance/repo.js';

export const recipientKinds = ['person', 'representative', 'managing_organisation'] as const;
export type RecipientKind = (typeof recipientKinds)[number];

/** Where a person's direct payment goes. */
export type BankAccount = {
  personId: number;
  recipientKind: RecipientKind;
  accountName: string;
  sortCode: string;
  accountNumber: string;
  version: number;
  updatedBy: number;
  updatedAt: Date;
};

type BankAccountRow = {
  person_id: number;
  recipient_kind: RecipientKind;
  account_name: string;
  sort_code: string;
  account_number: string;
  version: number;
  updated_by: number;
  updated_at: Date;
};

const toBankAccount = (row: BankAccountRow): BankAccount => ({
  personId: row.person_id,
  recipientKind: row.recipient_kind,
  accountName: row.account_name,
  sortCode: row.sort_code,
  accountNumber: row.account_number,
  version: row.version,
  updatedBy: row.updated_by,
  updatedAt: row.updated_at,
});

export async function findBankAccount(db: DbOrTransaction, personId: number, lock = false): Promise<BankAccount | undefined> {
  const query = db<BankAccountRow>('direct_payment_bank_accounts').where({ person_id: personId }).first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toBankAccount(row);
}

export type BankAccountDetails = Pick<BankAccount, 'recipientKind' | 'accountName' | 'sortCode' | 'accountNumber'>;

/** Writes the person's account, new or in place of the last one, one version on. */
export async function saveBankAccount(
  db: DbOrTransaction,
  personId: number,
  details: BankAccountDetails,
  userId: number,
): Promise<BankAccount> {
  const [row] = (await db('direct_payment_bank_accounts')
    .insert({
      person_id: personId,
      recipient_kind: details.recipientKind,
      account_name: details.accountName,
      sort_code: details.sortCode,
      account_number: details.accountNumber,
      updated_by: userId,
    })
    .onConflict('person_id')
    .merge({
      recipient_kind: details.recipientKind,
      account_name: details.accountName,
      sort_code: details.sortCode,
      account_number: details.accountNumber,
      updated_by: userId,
      updated_at: db.fn.now(),
      version: db.raw('direct_payment_bank_accounts.version + 1'),
    })
    .returning('*')) as BankAccountRow[];
  return toBankAccount(row as BankAccountRow);
}

/** The people's accounts, by person. */
export async function bankAccountsOf(db: DbOrTransaction, personIds: number[]): Promise<Map<number, BankAccount>> {
  if (personIds.length === 0) return new Map();
  const rows = (await db('direct_payment_bank_accounts').whereIn('person_id', personIds)) as BankAccountRow[];
  return new Map(rows.map((row) => [row.person_id, toBankAccount(row)]));
}

/** Every budget with a direct payment share that started by a date, ended or not: a run pays any period not yet paid. */
export async function directPaymentBudgetsStartedBy(db: DbOrTransaction, date: string, personId?: number): Promise<PersonalBudget[]> {
  const query = db<PersonalBudgetRow>('personal_budgets')
    .where('direct_payment_weekly_pence', '>', 0)
    .where('start_date', '<=', date)
    .orderBy('person_id')
    .orderBy('start_date');
  if (personId !== undefined) query.where({ person_id: personId });
  return ((await query) as PersonalBudgetRow[]).map(toPersonalBudget);
}

/** The people a run pays, with what the payment file and the run page show of them. */
export type Payee = { id: number; reference: string; givenName: string; familyName: string };

export async function payeesOf(db: DbOrTransaction, personIds: number[]): Promise<Map<number, Payee>> {
  if (personIds.length === 0) return new Map();
  const rows = (await db('people').whereIn('id', personIds).select('id', 'reference', 'given_name', 'family_name')) as {
    id: number;
    reference: string;
    given_name: string;
    family_name: string;
  }[];
  return new Map(
    rows.map((row) => [row.id, { id: row.id, reference: row.reference, givenName: row.given_name, familyName: row.family_name }]),
  );
}

export type PaymentRunStatus = 'awaiting_approval' | 'approved';

export type PaymentRun = {
  id: number;
  paymentDate: string;
  status: PaymentRunStatus;
  createdBy: number;
  createdByName: string;
  createdAt: Date;
  approvedBy: number | null;
  approvedByName: string | null;
  approvedAt: Date | null;
  version: number;
  paymentCount: number;
  totalPence: number;
};

type PaymentRunRow = {
  id: number;
  payment_date: string;
  status: PaymentRunStatus;
  created_by: number;
  created_by_name: string;
  created_at: Date;
  approved_by: number | null;
  approved_by_name: string | null;
  approved_at: Date | null;
  version: number;
  payment_count: number;
  total_pence: number;
};

const toPaymentRun = (row: PaymentRunRow): PaymentRun => ({
  id: row.id,
  paymentDate: row.payment_date,
  status: row.status,
  createdBy: row.created_by,
  createdByName: row.created_by_name,
  createdAt: row.created_at,
  approvedBy: row.approved_by,
  approvedByName: row.approved_by_name,
  approvedAt: row.approved_at,
  version: row.version,
  paymentCount: row.payment_count,
  totalPence: row.total_pence,
});

function runsQuery(db: DbOrTransaction) {
  return db('direct_payment_runs as r')
    .join('users as c', 'c.id', 'r.created_by')
    .leftJoin('users as a', 'a.id', 'r.approved_by')
    .select(
      'r.*',
      'c.display_name as created_by_name',
      'a.display_name as approved_by_name',
      db.raw('(select count(*)::integer from direct_payments p where p.run_id = r.id) as payment_count'),
      db.raw('(select coalesce(sum(p.amount_pence), 0)::bigint from direct_payments p where p.run_id = r.id) as total_pence'),
    );
}

/** The latest runs first. */
export async function latestRuns(db: DbOrTransaction, limit: number): Promise<PaymentRun[]> {
  const rows = (await runsQuery(db).orderBy('r.payment_date', 'desc').orderBy('r.id', 'desc').limit(limit)) as PaymentRunRow[];
  return rows.map(toPaymentRun);
}

export async function findRun(db: DbOrTransaction, id: number): Promise<PaymentRun | undefined> {
  const row = (await runsQuery(db).where('r.id', id).first()) as PaymentRunRow | undefined;
  return row && toPaymentRun(row);
}

/** Locks a run's row while it is approved, so two approvals take turns. */
export async function lockRun(db: DbOrTransaction, id: number): Promise<void> {
  await db('direct_payment_runs').where({ id }).forUpdate().first('id');
}

export async function insertRun(db: DbOrTransaction, paymentDate: string, userId: number, at: Date): Promise<number> {
  const [row] = (await db('direct_payment_runs')
    .insert({ payment_date: paymentDate, created_by: userId, created_at: at })
    .returning('id')) as {
    id: number;
  }[];
  return (row as { id: number }).id;
}

export async function markRunApproved(db: DbOrTransaction, id: number, userId: number, at: Date): Promise<void> {
  await db('direct_payment_runs')
    .where({ id })
    .update({ status: 'approved', approved_by: userId, approved_at: at, version: db.raw('version + 1') });
}

/** One payment in a run. */
export type DirectPayment = {
  id: number;
  runId: number;
  budgetId: number;
  personId: number;
  periodStart: string;
  periodEnd: string;
  coversFrom: string;
  coversTo: string;
  /** What the schedule made due for the period. */
  duePence: number;
  /** What the run pays: what was due less any recovery taken from it. */
  amountPence: number;
  accountName: string;
  sortCode: string;
  accountNumber: string;
  reference: string;
};

type DirectPaymentRow = {
  id: number;
  run_id: number;
  budget_id: number;
  person_id: number;
  period_start: string;
  period_end: string;
  covers_from: string;
  covers_to: string;
  due_pence: number;
  amount_pence: number;
  account_name: string;
  sort_code: string;
  account_number: string;
  reference: string;
};

const toDirectPayment = (row: DirectPaymentRow): DirectPayment => ({
  id: row.id,
  runId: row.run_id,
  budgetId: row.budget_id,
  personId: row.person_id,
  periodStart: row.period_start,
  periodEnd: row.period_end,
  coversFrom: row.covers_from,
  coversTo: row.covers_to,
  duePence: Number(row.due_pence),
  amountPence: Number(row.amount_pence),
  accountName: row.account_name,
  sortCode: row.sort_code,
  accountNumber: row.account_number,
  reference: row.reference,
});

export type NewDirectPayment = Omit<DirectPayment, 'id'>;

/** Inserts a run's payments, returning their ids in the order given. */
export async function insertPayments(db: DbOrTransaction, payments: readonly NewDirectPayment[]): Promise<number[]> {
  const rows = (await db('direct_payments')
    .insert(
      payments.map((payment) => ({
        run_id: payment.runId,
        budget_id: payment.budgetId,
        person_id: payment.personId,
        period_start: payment.periodStart,
        period_end: payment.periodEnd,
        covers_from: payment.coversFrom,
        covers_to: payment.coversTo,
        due_pence: payment.duePence,
        amount_pence: payment.amountPence,
        account_name: payment.accountName,
        sort_code: payment.sortCode,
        account_number: payment.accountNumber,
        reference: payment.reference,
      })),
    )
    .returning('id')) as { id: number }[];
  return rows.map((row) => row.id);
}

export async function paymentsOfRun(db: DbOrTransaction, runId: number): Promise<DirectPayment[]> {
  const rows = (await db('direct_payments').where({ run_id: runId }).orderBy('person_id').orderBy('period_start')) as DirectPaymentRow[];
  return rows.map(toDirectPayment);
}

/** Payments already in a run, approved or not, for the given budgets. */
export async function paymentsOfBudgets(db: DbOrTransaction, budgetIds: number[]): Promise<DirectPayment[]> {
  if (budgetIds.length === 0) return [];
  const rows = (await db('direct_payments').whereIn('budget_id', budgetIds).orderBy('period_start')) as DirectPaymentRow[];
  return rows.map(toDirectPayment);
}

/** An account return as recorded, with the threshold it was measured against then. */
export type AccountReturn = {
  id: number;
  personId: number;
  periodFrom: string;
  periodTo: string;
  openingBalancePence: number;
  moneyInPence: number;
  moneyOutPence: number;
  closingBalancePence: number;
  surplusThresholdPence: number;
  surplus: boolean;
  recordedBy: number;
  recordedAt: Date;
};

type AccountReturnRow = {
  id: number;
  person_id: number;
  period_from: string;
  period_to: string;
  opening_balance_pence: number;
  money_in_pence: number;
  money_out_pence: number;
  closing_balance_pence: number;
  surplus_threshold_pence: number;
  surplus: boolean;
  recorded_by: number;
  recorded_at: Date;
};

const toAccountReturn = (row: AccountReturnRow): AccountReturn => ({
  id: row.id,
  personId: row.person_id,
  periodFrom: row.period_from,
  periodTo: row.period_to,
  openingBalancePence: row.opening_balance_pence,
  moneyInPence: row.money_in_pence,
  moneyOutPence: row.money_out_pence,
  closingBalancePence: row.closing_balance_pence,
  surplusThresholdPence: row.surplus_threshold_pence,
  surplus: row.surplus,
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

export type NewAccountReturn = Omit<AccountReturn, 'id'>;

/** Only the columns the audit trail keeps of a return: its figures, not who (the event says that). */
export function accountReturnRecord(accountReturn: NewAccountReturn) {
  return {
    person_id: accountReturn.personId,
    period_from: accountReturn.periodFrom,
    period_to: accountReturn.periodTo,
    opening_balance_pence: accountReturn.openingBalancePence,
    money_in_pence: accountReturn.moneyInPence,
    money_out_pence: accountReturn.moneyOutPence,
    closing_balance_pence: accountReturn.closingBalancePence,
    surplus_threshold_pence: accountReturn.surplusThresholdPence,
    surplus: accountReturn.surplus,
  };
}

export async function insertAccountReturn(db: DbOrTransaction, accountReturn: NewAccountReturn): Promise<AccountReturn> {
  const [row] = (await db('direct_payment_returns')
    .insert({ ...accountReturnRecord(accountReturn), recorded_by: accountReturn.recordedBy, recorded_at: accountReturn.recordedAt })
    .returning('*')) as AccountReturnRow[];
  return toAccountReturn(row as AccountReturnRow);
}

/** A person's returns, the latest period first. */
export async function returnsOfPerson(db: DbOrTransaction, personId: number): Promise<AccountReturn[]> {
  const rows = (await db('direct_payment_returns').where({ person_id: personId }).orderBy('period_from', 'desc')) as AccountReturnRow[];
  return rows.map(toAccountReturn);
}

export const recoveryMethods = ['from_payments', 'owed'] as const;
export type RecoveryMethod = (typeof recoveryMethods)[number];

export type Recovery = {
  id: number;
  personId: number;
  returnId: number | null;
  amountPence: number;
  reason: string;
  method: RecoveryMethod;
  /** The most taken from any one payment; null takes as much as each payment allows. */
  capPence: number | null;
  /** What payment runs have taken of it so far. */
  recoveredPence: number;
  recordedBy: number;
  recordedAt: Date;
};

type RecoveryRow = {
  id: number;
  person_id: number;
  return_id: number | null;
  amount_pence: number;
  reason: string;
  method: RecoveryMethod;
  cap_pence: number | null;
  recovered_pence: number;
  recorded_by: number;
  recorded_at: Date;
};

const toRecovery = (row: RecoveryRow): Recovery => ({
  id: row.id,
  personId: row.person_id,
  returnId: row.return_id,
  amountPence: Number(row.amount_pence),
  reason: row.reason,
  method: row.method,
  capPence: row.cap_pence === null ? null : Number(row.cap_pence),
  recoveredPence: Number(row.recovered_pence),
  recordedBy: row.recorded_by,
  recordedAt: row.recorded_at,
});

export async function insertRecovery(db: DbOrTransaction, recovery: Omit<Recovery, 'id' | 'recoveredPence'>): Promise<Recovery> {
  const [row] = (await db('direct_payment_recoveries')
    .insert({
      person_id: recovery.personId,
      return_id: recovery.returnId,
      amount_pence: recovery.amountPence,
      reason: recovery.reason,
      method: recovery.method,
      cap_pence: recovery.capPence,
      recorded_by: recovery.recordedBy,
      recorded_at: recovery.recordedAt,
    })
    .returning(['*', db.raw('0 as recovered_pence')])) as RecoveryRow[];
  return toRecovery(row as RecoveryRow);
}

function recoveriesQuery(db: DbOrTransaction) {
  return db('direct_payment_recoveries as c').select(
    'c.*',
    db.raw(
      '(select coalesce(sum(d.amount_pence), 0)::bigint from direct_payment_deductions d where d.recovery_id = c.id) as recovered_pence',
    ),
  );
}

export async function recoveriesOfPerson(db: DbOrTransaction, personId: number): Promise<Recovery[]> {
  const rows = (await recoveriesQuery(db)
    .where('c.person_id', personId)
    .orderBy('c.recorded_at', 'desc')
    .orderBy('c.id', 'desc')) as RecoveryRow[];
  return rows.map(toRecovery);
}

/** The people's recoveries still being taken from payments, the oldest first: the order a run takes them in. */
export async function recoveriesToTakeFrom(db: DbOrTransaction, personIds: number[]): Promise<Recovery[]> {
  if (personIds.length === 0) return [];
  const rows = (await recoveriesQuery(db)
    .whereIn('c.person_id', personIds)
    .where('c.method', 'from_payments')
    .orderBy('c.recorded_at')
    .orderBy('c.id')) as RecoveryRow[];
  return rows.map(toRecovery).filter((recovery) => recovery.recoveredPence < recovery.amountPence);
}

export async function insertDeductions(
  db: DbOrTransaction,
  deductions: readonly { recoveryId: number; paymentId: number; amountPence: number }[],
): Promise<void> {
  if (deductions.length === 0) return;
  await db('direct_payment_deductions').insert(
    deductions.map((deduction) => ({
      recovery_id: deduction.recoveryId,
      payment_id: deduction.paymentId,
      amount_pence: deduction.amountPence,
    })),
  );
}
