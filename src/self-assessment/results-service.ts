import type { Knex } from 'knex';
import type { AssessmentsService } from '../assessments/service.js';
import type { Person } from '../people/repo.js';
import type { PlansService } from '../plans/service.js';
import { latestSelfAssessment } from './repo.js';
import { recordPersonEvent, type PersonActor } from './service.js';

/**
 * What the person reads afterwards in their online space: the explanation of the budget worked
 * out from their agreed answers, and their signed-off plan. Both are found from the person alone,
 * so no id the person sends can show them anyone else's.
 */
export function selfAssessmentResultsService(db: Knex, assessments: AssessmentsService, plans: PlansService) {
  async function explanationOf(person: Person) {
    const selfAssessment = await latestSelfAssessment(db, person.id);
    if (selfAssessment?.status !== 'reviewed' || selfAssessment.assessmentId === null) return undefined;
    return assessments.resultOfPerson(person, selfAssessment.assessmentId);
  }

  const recordRead = (actor: PersonActor, entityType: string, entityId: number, page: string) =>
    db.transaction((trx) => recordPersonEvent(trx, actor, { action: 'self_assessment_page_read', entityType, entityId, after: { page } }));

  return {
    /** Which of the two the person can read yet, for their overview page. */
    async available(person: Person): Promise<{ explanation: boolean; plan: boolean }> {
      const [explanation, plan] = await Promise.all([explanationOf(person), plans.signedOffPlanOfPerson(person)]);
      return { explanation: explanation !== undefined, plan: plan !== undefined };
    },

    async explanation(actor: PersonActor, person: Person) {
      const page = await explanationOf(person);
      if (page) await recordRead(actor, 'assessment', page.assessment.id, 'budget explanation');
      return page;
    },

    async plan(actor: PersonActor, person: Person) {
      const page = await plans.signedOffPlanOfPerson(person);
      if (page) await recordRead(actor, 'support_plan', page.plan.id, 'support plan');
      return page;
    },
  };
}

export type SelfAssessmentResultsService = ReturnType<typeof selfAssessmentResultsService>;
