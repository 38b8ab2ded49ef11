import type { Knex } from 'knex';
import type { Actor } from '../../src/auth/roles.js';
import type { ReviewKind } from '../../src/reviews/repo.js';
import type { PersonRow } from '../../src/people/repo.js';
import type { Services } from '../../src/services.js';
import type { TestClock } from './app.js';
import type { TestUser } from './builders.js';
import { aSubmittedPlan, type ItemSpec, type SubmittedAssessment } from './plan-builders.js';

/** A test user as a service call's actor: the same shape a seed script would build. */
export function actorOf(user: TestUser): Actor {
  return { id: user.id, email: user.email, displayName: user.displayName, role: user.role, teamId: user.teamId, requestId: 'test' };
}

/**
 * A submitted plan signed off by finance through the finance service, so the budget and its first
 * reviews are exactly what the real approval makes. `approvedAt` sets the clock for the approval.
 */
export async function anApprovedBudget(
  services: Services,
  db: Knex,
  clock: TestClock,
  options: {
    person: PersonRow;
    careManager: TestUser;
    financeOfficer: TestUser;
    items: ItemSpec[];
    startDate: string;
    approvedAt?: string;
    assessment?: SubmittedAssessment;
  },
) {
  const plan = await aSubmittedPlan(db, {
    person: options.person,
    createdBy: options.careManager.id,
    items: options.items,
    assessment: options.assessment,
  });
  // A plan its submission sent to panel was agreed there as planned, as a team manager would.
  const submitted = (await db('audit_events')
    .where({ entity_type: 'support_plan', entity_id: String(plan.id), action: 'plan_submitted' })
    .first('after')) as { after: { panel: string } };
  if (submitted.after.panel === 'awaiting') await db('support_plans').where({ id: plan.id }).update({ panel_status: 'approved' });
  const before = clock.now().toISOString();
  if (options.approvedAt) clock.set(options.approvedAt);
  try {
    await services.finance.approve(actorOf(options.financeOfficer), plan.id, {
      startDate: options.startDate,
      approvedWeeklyPence: options.items.reduce(
        (sum, item) => sum + ((item.fundingStream ?? 'social_care') === 'social_care' ? item.weeklyPence : 0),
        0,
      ),
      reason: '',
      version: plan.version,
    });
  } finally {
    clock.set(before);
  }
  const budget = await db('personal_budgets').where({ plan_id: plan.id }).first();
  const reviews = await db('reviews').where({ budget_id: budget.id }).orderBy('id');
  return { plan, budget, reviews };
}

/** A scheduled review written straight in, for lists that only care about its due date and who has it. */
export async function aScheduledReview(
  db: Knex,
  options: { person: PersonRow; dueDate: string; assignedTo: number | null; kind?: ReviewKind },
): Promise<number> {
  const [row] = (await db('reviews')
    .insert({
      person_id: options.person.id,
      kind: options.kind ?? 'annual',
      due_date: options.dueDate,
      assigned_to: options.assignedTo,
      status: 'scheduled',
    })
    .returning('id')) as { id: number }[];
  return (row as { id: number }).id;
}
