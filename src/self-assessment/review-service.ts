import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import { optionLabel, sectionsOf, questionsOf } from '../assessments/questionnaire.js';
import { findAssessment, type Assessment } from '../assessments/repo.js';
import { assessmentsService } from '../assessments/service.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPerson } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import { assessmentTypeFor } from '../assessments/questionnaire.js';
import { loadRasDefinition } from '../ras/repo.js';
import { personPages } from './plain-language.js';
import { agreedAnswersOf, findSelfAssessment, saveAgreedAnswers, updateSelfAssessment, type AgreedAnswer } from './repo.js';

type Db = Knex | Knex.Transaction;

/**
 * The care manager going through the person's answers with them. The person's own answers are
 * never changed; each agreed answer is kept beside it (with the reason where they differ) and is
 * written to the staff assessment made from the self-assessment, which the existing submission
 * scores: the indicative budget comes from the agreed answers only.
 */
export function selfAssessmentReviewService(db: Knex, clock: Clock) {
  async function load(user: SignedInUser, id: number, options: { trx?: Db; lock?: boolean; mustEdit?: boolean } = {}) {
    const trx = options.trx ?? db;
    const selfAssessment = await findSelfAssessment(trx, id, options.lock);
    const person = selfAssessment && (await findPerson(trx, selfAssessment.personId));
    if (!selfAssessment || !person || !canSeePerson(user, person) || selfAssessment.status === 'in_progress') {
      throw new NotFoundError('Self-assessment');
    }
    if (options.mustEdit && !canEditPerson(user, person)) {
      throw new ForbiddenError('Only a care manager or team manager in the person’s team can go through their answers.');
    }
    const definition = await loadRasDefinition(trx, selfAssessment.rasVersionId);
    if (!definition) throw new Error(`RAS version ${selfAssessment.rasVersionId} is missing`);
    const pages = personPages(definition, assessmentTypeFor(person.clientGroup));
    return { selfAssessment, person, pages, canEdit: canEditPerson(user, person) };
  }

  return {
    /** Makes (or finds) the staff assessment the agreed answers go into, and links it. */
    async start(actor: Actor, id: number): Promise<{ selfAssessmentId: number }> {
      return db.transaction(async (trx) => {
        const { selfAssessment, person } = await load(actor, id, { trx, lock: true, mustEdit: true });
        if (selfAssessment.assessmentId !== null) return { selfAssessmentId: id };
        const { assessment } = await assessmentsService(trx, clock).start(actor, person.id);
        const linked = await updateSelfAssessment(trx, id, selfAssessment.version, { assessmentId: assessment.id, at: clock.now() });
        if (!linked) throw new StaleVersionError('self-assessment', selfAssessment);
        await recordEvent(trx, actor, {
          action: 'self_assessment_review_started',
          entityType: 'self_assessment',
          entityId: id,
          personId: person.id,
          after: { assessment_id: assessment.id },
        });
        return { selfAssessmentId: id };
      });
    },

    async reviewPage(user: SignedInUser, id: number) {
      const loaded = await load(user, id);
      const [agreed, assessment] = await Promise.all([
        agreedAnswersOf(db, id),
        loaded.selfAssessment.assessmentId === null ? undefined : findAssessment(db, loaded.selfAssessment.assessmentId),
      ]);
      return { ...loaded, agreed, assessment };
    },

    /**
     * Saves what was agreed for every question on the page. An answer different from the
     * person's needs a reason; the agreed answers go into the staff assessment's draft through
     * its own service, so its rules and audit apply as if typed there.
     */
    async agree(
      actor: Actor,
      id: number,
      posted: { agreed: Record<string, string>; reasons: Record<string, string> },
      expectedVersion: number,
    ): Promise<void> {
      await db.transaction(async (trx) => {
        const { selfAssessment, person, pages } = await load(actor, id, { trx, lock: true, mustEdit: true });
        if (selfAssessment.status !== 'submitted' || selfAssessment.assessmentId === null)
          throw new StaleVersionError('self-assessment', selfAssessment);
        if (selfAssessment.version !== expectedVersion) throw new StaleVersionError('self-assessment', selfAssessment);
        const questions = pages.flatMap((page) => page.questions);
        const answers: AgreedAnswer[] = questions.map((question) => {
          const agreedOption = posted.agreed[question.key] as string;
          if (optionLabel(question, agreedOption) === undefined) throw new RuleError(`Select the agreed answer`, `agreed.${question.key}`);
          const personOption = selfAssessment.answers[question.key] ?? null;
          const reason = posted.reasons[question.key]?.trim() || null;
          if (agreedOption !== personOption && !reason)
            throw new RuleError('Enter why the agreed answer is different from the person’s', `reasons.${question.key}`);
          return { questionKey: question.key, personOption, agreedOption, reason: agreedOption === personOption ? null : reason };
        });
        const now = clock.now();
        await saveAgreedAnswers(trx, id, answers, actor.id, now);
        if (!(await updateSelfAssessment(trx, id, expectedVersion, { at: now })))
          throw new StaleVersionError('self-assessment', selfAssessment);

        const assessments = assessmentsService(trx, clock);
        const agreed = Object.fromEntries(answers.map((answer) => [answer.questionKey, answer.agreedOption]));
        const draft = await draftOf(trx, selfAssessment.assessmentId);
        const definition = await loadRasDefinition(trx, draft.rasVersionId);
        if (!definition) throw new Error(`RAS version ${draft.rasVersionId} is missing`);
        for (const section of sectionsOf(draft, definition)) {
          if (section.kind === 'eligibility') continue;
          const sectionAnswers = Object.fromEntries(
            questionsOf(section)
              .filter((question) => optionLabel(question, agreed[question.key]) !== undefined)
              .map((question) => [question.key, agreed[question.key] as string]),
          );
          const current = await draftOf(trx, draft.id);
          await assessments.saveQuestions(
            actor,
            draft.id,
            section.kind === 'domain' ? { kind: 'domain', key: section.domain.key } : { kind: 'adjustments' },
            sectionAnswers,
            current.version,
          );
        }
        await recordEvent(trx, actor, {
          action: 'self_assessment_answers_agreed',
          entityType: 'self_assessment',
          entityId: id,
          personId: person.id,
          after: {
            assessment_id: draft.id,
            changed: answers
              .filter((answer) => answer.agreedOption !== answer.personOption)
              .map((answer) => ({
                question: answer.questionKey,
                from: answer.personOption,
                to: answer.agreedOption,
                reason: answer.reason,
              })),
          },
        });
      });
    },

    /**
     * Submits the staff assessment made from the agreed answers (the existing submission: its
     * checks, its scoring, its audit), and marks the self-assessment gone through, in one transaction.
     */
    async submit(actor: Actor, id: number, expectedVersion: number): Promise<Assessment> {
      return db.transaction(async (trx) => {
        const { selfAssessment, pages } = await load(actor, id, { trx, lock: true, mustEdit: true });
        if (selfAssessment.status !== 'submitted' || selfAssessment.assessmentId === null)
          throw new StaleVersionError('self-assessment', selfAssessment);
        if (selfAssessment.version !== expectedVersion) throw new StaleVersionError('self-assessment', selfAssessment);
        const agreed = new Set((await agreedAnswersOf(trx, id)).map((answer) => answer.questionKey));
        if (!pages.every((page) => page.questions.every((question) => agreed.has(question.key)))) {
          throw new RuleError('Go through every answer with the person before you submit');
        }
        const draft = await draftOf(trx, selfAssessment.assessmentId);
        const submitted = await assessmentsService(trx, clock).submit(actor, draft.id, draft.version);
        if (!(await updateSelfAssessment(trx, id, expectedVersion, { status: 'reviewed', at: clock.now() })))
          throw new StaleVersionError('self-assessment', selfAssessment);
        return submitted;
      });
    },
  };

  async function draftOf(trx: Db, assessmentId: number): Promise<Assessment> {
    const assessment = await findAssessment(trx, assessmentId);
    if (!assessment) throw new NotFoundError('Assessment');
    if (assessment.status !== 'draft') throw new StaleVersionError('assessment', assessment);
    return assessment;
  }
}

export type SelfAssessmentReviewService = ReturnType<typeof selfAssessmentReviewService>;
export type ReviewPage = Awaited<ReturnType<SelfAssessmentReviewService['reviewPage']>>;
