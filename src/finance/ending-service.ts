import type { Knex } from 'knex';
import type { Actor, Role, SignedInUser } from '../auth/roles.js';
import { writtenCalendarDate } from '../calendar.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPersonForUpdate, type Person } from '../people/repo.js';
import { canSeePerson, type PeopleService } from '../people/service.js';
import { cancelReviewsOfBudget } from '../reviews/service.js';
import { findBudget, nextBudgetStart } from './ending-repo.js';
import { budgetEndReasonLabels } from './ending-reasons.js';
import type { EndBudgetInput } from './ending-schemas.js';
import { displayNames, type PersonalBudget } from './repo.js';
import { endPersonalBudget } from './service.js';

/** Who may end a personal budget: a team manager of the person's team, or finance. */
const endingRoles: readonly Role[] = ['team_manager', 'finance_officer'];

const onlyThem = 'Only a team manager of the person’s team or a finance officer can end a personal budget. Nothing was changed.';

/**
 * Whether the user may end this budget now: the person page's "End this budget" link shows on
 * exactly this. A user who can see the person is in their team, or is finance or an administrator.
 */
export function canEndBudget(user: SignedInUser, person: Pick<Person, 'teamId'>, budget: Pick<PersonalBudget, 'endDate'>): boolean {
  return endingRoles.includes(user.role) && canSeePerson(user, person) && budget.endDate === null;
}

/** Why the page shows the budget without the form. */
export type CannotEnd = 'wrong_role' | 'already_ended';

/** What ending did; `alreadyDone` when it repeats the user's own ending (a double-click), which changes nothing. */
export type EndingOutcome = { personId: number; endDate: string; alreadyDone: boolean };

export function budgetEndingService(db: Knex, people: PeopleService) {
  return {
    /** The budget, its person, and whether this user may end it; an administrator may look. */
    async endingPage(user: SignedInUser, budgetId: number, purpose: 'view' | 'end' = 'view') {
      const budget = await findBudget(db, budgetId);
      if (!budget) throw new NotFoundError('Personal budget');
      const person = await people.visiblePerson(user, budget.personId);
      const allowed: readonly Role[] = purpose === 'end' ? endingRoles : [...endingRoles, 'admin'];
      if (!allowed.includes(user.role)) throw new ForbiddenError(onlyThem);
      const [nextStart, names] = await Promise.all([nextBudgetStart(db, budget), displayNames(db, [budget.endedBy])]);
      const cannotEnd: CannotEnd | null =
        budget.endDate !== null ? 'already_ended' : canEndBudget(user, person, budget) ? null : 'wrong_role';
      return {
        budget,
        person,
        nextBudgetStart: nextStart,
        endedByName: budget.endedBy === null ? null : (names.get(budget.endedBy) ?? null),
        cannotEnd,
      };
    },

    /**
     * Ends a budget on a date with a reason, in one transaction: the person locked first (as
     * finance's approval and a review lock them, so one person's budget changes take turns), the
     * budget ended with its audit event, and its scheduled reviews cancelled, as nothing more is due.
     */
    async endBudget(actor: Actor, budgetId: number, input: EndBudgetInput): Promise<EndingOutcome> {
      return db.transaction(async (trx) => {
        const unlocked = await findBudget(trx, budgetId);
        const person = unlocked ? await findPersonForUpdate(trx, unlocked.personId) : undefined;
        if (!unlocked || !person || !canSeePerson(actor, person)) throw new NotFoundError('Personal budget');
        if (!endingRoles.includes(actor.role)) throw new ForbiddenError(onlyThem);
        const budget = (await findBudget(trx, budgetId, true)) as PersonalBudget;
        const repeat =
          budget.endedBy === actor.id &&
          budget.version === input.version + 1 &&
          budget.endDate === input.endDate &&
          budget.endReason === input.endReason;
        if (repeat) return { personId: person.id, endDate: input.endDate, alreadyDone: true };
        if (budget.version !== input.version) throw new StaleVersionError('personal budget', budget);
        if (budget.endDate !== null) {
          throw new RuleError(
            `This personal budget already ended on ${writtenCalendarDate(budget.endDate)}, so it cannot be ended again`,
            'budget',
          );
        }
        if (input.endDate < budget.startDate) {
          throw new RuleError(
            `The end date must be on or after ${writtenCalendarDate(budget.startDate)}, when the personal budget started`,
            'endDate',
          );
        }
        const nextStart = await nextBudgetStart(trx, budget);
        if (nextStart !== null && input.endDate >= nextStart) {
          throw new RuleError(
            `The end date must be before ${writtenCalendarDate(nextStart)}, when ${person.givenName} ${person.familyName}’s next personal budget starts`,
            'endDate',
          );
        }
        await endPersonalBudget(trx, actor, budget, { endDate: input.endDate, endReason: input.endReason, endNote: input.endNote });
        await cancelReviewsOfBudget(
          trx,
          actor,
          budget,
          `The personal budget ended: ${budgetEndReasonLabels[input.endReason].toLowerCase()}`,
        );
        return { personId: person.id, endDate: input.endDate, alreadyDone: false };
      });
    },
  };
}

export type BudgetEndingService = ReturnType<typeof budgetEndingService>;
export type EndingPage = Awaited<ReturnType<BudgetEndingService['endingPage']>>;
