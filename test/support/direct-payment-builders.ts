import type { Knex } from 'knex';
import type { PersonRow } from '../../src/people/repo.js';
import type { Services } from '../../src/services.js';
import type { TestClock } from './app.js';
import type { TestUser } from './builders.js';
import { anApprovedBudget } from './review-builders.js';

/**
 * A signed-off budget paid wholly as a direct payment (4-weekly and net, as the plan builder
 * writes a direct payment, with no financial assessment yet so it is paid in full), and, unless
 * told otherwise, bank details for it written straight in.
 */
export async function aDirectPaymentBudget(
  services: Services,
  db: Knex,
  clock: TestClock,
  options: {
    person: PersonRow;
    careManager: TestUser;
    financeOfficer: TestUser;
    weeklyPence: number;
    startDate: string;
    bankDetails?: { accountName: string; sortCode: string; accountNumber: string } | null;
  },
) {
  const approved = await anApprovedBudget(services, db, clock, {
    person: options.person,
    careManager: options.careManager,
    financeOfficer: options.financeOfficer,
    items: [{ weeklyPence: options.weeklyPence, managementOption: 'direct_payment' }],
    startDate: options.startDate,
  });
  const bank =
    options.bankDetails === undefined ? { accountName: 'Test Person', sortCode: '309950', accountNumber: '00733445' } : options.bankDetails;
  if (bank) {
    await db('direct_payment_bank_accounts').insert({
      person_id: options.person.id,
      recipient_kind: 'person',
      account_name: bank.accountName,
      sort_code: bank.sortCode,
      account_number: bank.accountNumber,
      updated_by: options.financeOfficer.id,
    });
  }
  return approved;
}
