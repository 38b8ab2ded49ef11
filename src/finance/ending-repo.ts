import type { DbOrTransaction } from '../db/knex.js';
import { toPersonalBudget, type PersonalBudget, type PersonalBudgetRow } from './repo.js';

/** One personal budget; locked while it is ended, so two endings of it take turns. */
export async function findBudget(db: DbOrTransaction, id: number, lock = false): Promise<PersonalBudget | undefined> {
  const query = db<PersonalBudgetRow>('personal_budgets').where({ id }).first();
  if (lock) query.forUpdate();
  const row = await query;
  return row && toPersonalBudget(row);
}

/** When the person's next budget after this one starts, if there is one: this one must end before it. */
export async function nextBudgetStart(db: DbOrTransaction, budget: Pick<PersonalBudget, 'id' | 'personId' | 'startDate'>) {
  const row = (await db('personal_budgets')
    .where({ person_id: budget.personId })
    .whereNot({ id: budget.id })
    .where('start_date', '>', budget.startDate)
    .min({ start: 'start_date' })
    .first()) as { start: string | null } | undefined;
  return row?.start ?? null;
}
