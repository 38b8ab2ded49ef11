import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { assessmentTypeFor, isAnswered, notAnOptionMessage, optionLabel } from '../assessments/questionnaire.js';
import { londonToday, type Clock } from '../clock.js';
import { NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import type { Person } from '../people/repo.js';
import type { RasDefinition } from '../ras/definition.js';
import { findRasVersionInForce, loadRasDefinition } from '../ras/repo.js';
import { personPages, type PersonPage } from './plain-language.js';
import { insertSelfAssessment, latestSelfAssessment, updateSelfAssessment, type SelfAssessment } from './repo.js';
import { recordPersonEvent, type PersonActor } from './service.js';

export type PageProgress = { page: PersonPage; complete: boolean };

const pick = (answers: Record<string, string>, keys: string[]) =>
  Object.fromEntries(keys.filter((key) => Object.hasOwn(answers, key)).map((key) => [key, answers[key] as string]));

const pageComplete = (page: PersonPage, answers: Record<string, string>) =>
  page.questions.every((question) => isAnswered(question, answers));

/** The person's answers to their own questionnaire: started, saved page by page, and sent to the council. */
export function selfAssessmentAnswersService(db: Knex, clock: Clock) {
  async function definitionOf(selfAssessment: SelfAssessment, trx: Knex | Knex.Transaction = db): Promise<RasDefinition> {
    const definition = await loadRasDefinition(trx, selfAssessment.rasVersionId);
    if (!definition) throw new Error(`RAS version ${selfAssessment.rasVersionId} of self-assessment ${selfAssessment.id} is missing`);
    return definition;
  }

  async function withPages(person: Person, selfAssessment: SelfAssessment, trx: Knex | Knex.Transaction = db) {
    const pages = personPages(await definitionOf(selfAssessment, trx), assessmentTypeFor(person.clientGroup));
    return {
      person,
      selfAssessment,
      pages,
      progress: pages.map((page): PageProgress => ({ page, complete: pageComplete(page, selfAssessment.answers) })),
    };
  }

  /** The self-assessment the person is filling in; anything else (not started, already sent) has no questions to answer. */
  async function inProgress(person: Person, trx: Knex | Knex.Transaction = db, lock = false) {
    const selfAssessment = await latestSelfAssessment(trx, person.id, lock);
    if (!selfAssessment || selfAssessment.status !== 'in_progress') return undefined;
    return withPages(person, selfAssessment, trx);
  }

  return {
    /** Where the person is: not started, filling in (with each page's progress), or sent. */
    async overview(person: Person) {
      const selfAssessment = await latestSelfAssessment(db, person.id);
      if (!selfAssessment) return { kind: 'not_started' as const, person };
      return { kind: 'started' as const, ...(await withPages(person, selfAssessment)) };
    },

    /** Starts with the RAS in force today; a second click finds the one already started. */
    async start(actor: PersonActor, person: Person): Promise<SelfAssessment> {
      return db.transaction(async (trx) => {
        await trx('people').where({ id: person.id }).forUpdate().first('id');
        const existing = await latestSelfAssessment(trx, person.id);
        if (existing) return existing;
        const ras = await findRasVersionInForce(trx, londonToday(clock));
        if (!ras) throw new RuleError('The online self-assessment is not ready yet. Please contact your care manager.');
        const selfAssessment = await insertSelfAssessment(trx, { personId: person.id, rasVersionId: ras.id, at: clock.now() });
        await recordPersonEvent(trx, actor, {
          action: 'self_assessment_started',
          entityType: 'self_assessment',
          entityId: selfAssessment.id,
          after: { ras_version_id: ras.id },
        });
        return selfAssessment;
      });
    },

    async page(person: Person, key: string) {
      const found = await inProgress(person);
      if (!found) return undefined;
      const index = found.pages.findIndex((page) => page.key === key);
      const page = found.pages[index];
      if (!page) throw new NotFoundError('Page');
      return {
        ...found,
        page,
        number: index + 1,
        previous: found.pages[index - 1]?.key,
        answers: pick(
          found.selfAssessment.answers,
          page.questions.map((question) => question.key),
        ),
      };
    },

    /**
     * Saves one page. A post that changes nothing succeeds whatever version it carries (a
     * double-click); a change needs the version the page was drawn with. Returns the page to go
     * to next, or undefined when every page is answered (check answers comes next).
     */
    async savePage(
      actor: PersonActor,
      person: Person,
      key: string,
      posted: Record<string, string>,
      expectedVersion: number,
    ): Promise<{ nextKey: string | undefined }> {
      return db.transaction(async (trx) => {
        const found = await inProgress(person, trx, true);
        if (!found) throw new StaleVersionError('self-assessment', { status: 'submitted' });
        const index = found.pages.findIndex((page) => page.key === key);
        const page = found.pages[index];
        if (!page) throw new NotFoundError('Page');
        for (const [questionKey, optionKey] of Object.entries(posted)) {
          const question = page.questions.find((candidate) => candidate.key === questionKey);
          if (!question) throw new RuleError(`There is no question ‘${questionKey}’ on this page`, 'form');
          if (optionLabel(question, optionKey) === undefined) throw new RuleError(notAnOptionMessage(question), `answers.${questionKey}`);
        }
        const keys = page.questions.map((question) => question.key);
        const { selfAssessment } = found;
        const before = pick(selfAssessment.answers, keys);
        const answers = { ...Object.fromEntries(Object.entries(selfAssessment.answers).filter(([k]) => !keys.includes(k))), ...posted };
        const nextKey =
          found.pages.slice(index + 1).find((candidate) => !pageComplete(candidate, answers))?.key ??
          found.pages.find((candidate) => !pageComplete(candidate, answers))?.key;
        if (isDeepStrictEqual(before, posted)) return { nextKey };
        if (selfAssessment.version !== expectedVersion) throw new StaleVersionError('self-assessment', selfAssessment);
        const saved = await updateSelfAssessment(trx, selfAssessment.id, expectedVersion, { answers, at: clock.now() });
        if (!saved) throw new StaleVersionError('self-assessment', selfAssessment);
        await recordPersonEvent(trx, actor, {
          action: 'self_assessment_saved',
          entityType: 'self_assessment',
          entityId: selfAssessment.id,
          before: { page: page.title, answers: before },
          after: { page: page.title, answers: posted },
        });
        return { nextKey };
      });
    },

    checkAnswers: (person: Person) => inProgress(person),

    /** Sends the answers to the council: every question must be answered, and nothing changes after. */
    async submit(actor: PersonActor, person: Person, expectedVersion: number): Promise<SelfAssessment> {
      return db.transaction(async (trx) => {
        const found = await inProgress(person, trx, true);
        if (!found) throw new StaleVersionError('self-assessment', { status: 'submitted' });
        const unfinished = found.progress.filter((progress) => !progress.complete);
        if (unfinished.length > 0) {
          throw new RuleError(
            `Answer the questions about ${unfinished.map((progress) => `‘${progress.page.title}’`).join(', ')} before you send your answers`,
          );
        }
        const now = clock.now();
        const submitted = await updateSelfAssessment(trx, found.selfAssessment.id, expectedVersion, {
          status: 'submitted',
          submittedAt: now,
          at: now,
        });
        if (!submitted) throw new StaleVersionError('self-assessment', found.selfAssessment);
        await recordPersonEvent(trx, actor, {
          action: 'self_assessment_submitted',
          entityType: 'self_assessment',
          entityId: submitted.id,
          after: { answers: submitted.answers },
        });
        return submitted;
      });
    },
  };
}

export type SelfAssessmentAnswersService = ReturnType<typeof selfAssessmentAnswersService>;
