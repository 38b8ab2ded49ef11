import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { recordEvent } from '../audit/repo.js';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { findPerson, findPersonForUpdate, type Person } from '../people/repo.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import { findOpenPlanForPerson } from '../plans/repo.js';
import { supersedePlansFromOlderAssessments } from '../plans/service.js';
import type { RasDefinition } from '../ras/definition.js';
import { scoreAssessment } from '../ras/engine.js';
import { findRasVersion, findRasVersionInForce, loadRasDefinition } from '../ras/repo.js';
import { determineEligibility, type EligibilityDecision, type EligibilityOutcomeKey, type UnableReason } from './eligibility.js';
import {
  answersForScoring,
  assessmentTypeFor,
  completeFacts,
  nextPathAfter,
  optionLabel,
  notAnOptionMessage,
  outcomesWithoutReasons,
  questionsOf,
  sectionsOf,
  sectionStatus,
  type RecordedEligibility,
  type Section,
  type TaskStatus,
  storedEligibility,
  unachievedOutcomes,
} from './questionnaire.js';
import {
  findAssessment,
  findAssessmentForUpdate,
  findDraft,
  insertDraft,
  markDraftFromReview,
  markSubmitted,
  supersedeCurrent,
  updateDraft,
  userName,
  type Assessment,
  type AssessmentListing,
} from './repo.js';

/** Which page of the questionnaire: a RAS domain by its key, or the adjustments. */
export type QuestionsSection = { kind: 'domain'; key: string } | { kind: 'adjustments' };

type Db = Knex | Knex.Transaction;

function findSection(sections: Section[], wanted: QuestionsSection | { kind: 'eligibility' }): Section {
  const section = sections.find((candidate) =>
    wanted.kind === 'domain' ? candidate.kind === 'domain' && candidate.domain.key === wanted.key : candidate.kind === wanted.kind,
  );
  // A carer's assessment has no eligibility or adjustments pages; an unknown domain is no page at all.
  if (!section) throw new NotFoundError('Page');
  return section;
}

/** Compares as stored: jsonb does not keep key order, and JSON leaves out undefined. */
function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}

function pick(answers: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => Object.hasOwn(answers, key)).map((key) => [key, answers[key] as string]));
}

/** What saving one page changes: the answers and facts it leaves, what to store, and what the audit trail records. */
type SectionChange = {
  unchanged: boolean;
  answers: Record<string, string>;
  facts: RecordedEligibility;
  changes: { answers?: Record<string, string>; eligibility?: unknown };
  audit: { before: Record<string, unknown>; after: Record<string, unknown> };
};

/** Each section of the questionnaire with how far it has got. */
export type SectionProgress = { section: Section; status: TaskStatus };

export const unableReasonsPath = (assessmentId: number) => `/assessments/${assessmentId}/eligibility/reasons`;

function withEarlierReasons(posted: RecordedEligibility, earlier: RecordedEligibility): RecordedEligibility {
  const outcomes = { ...posted.outcomes };
  for (const key of unachievedOutcomes(posted)) {
    const before = earlier.outcomes[key];
    if (outcomes[key]?.reasons.length === 0 && before?.achieved === false) outcomes[key] = { achieved: false, reasons: before.reasons };
  }
  return { ...posted, outcomes };
}

function eligibilityChange(assessment: Assessment, facts: RecordedEligibility): SectionChange {
  return {
    unchanged: sameJson(assessment.eligibility.facts, facts),
    answers: assessment.answers,
    facts,
    changes: { eligibility: storedEligibility({ facts }) },
    audit: { before: { facts: assessment.eligibility.facts }, after: { facts } },
  };
}

export function assessmentsService(db: Knex, clock: Clock) {
  async function load(user: SignedInUser, id: number, options: { trx?: Db; forUpdate?: boolean; mustEdit?: boolean } = {}) {
    const trx = options.trx ?? db;
    const assessment = options.forUpdate ? await findAssessmentForUpdate(trx, id) : await findAssessment(trx, id);
    const person = assessment ? await findPerson(trx, assessment.personId) : undefined;
    // Another team's assessment is "not found", like their people: the URL must not confirm it exists.
    if (!assessment || !person || !canSeePerson(user, person)) throw new NotFoundError('Assessment');
    if (options.mustEdit && !canEditPerson(user, person)) {
      throw new ForbiddenError('Only a care manager or team manager in the person’s team can change an assessment.');
    }
    return { assessment, person };
  }

  /** The version the assessment started with, never the one published now: that is what explains its budget. */
  async function definitionOf(assessment: Assessment, trx: Db = db): Promise<RasDefinition> {
    const definition = await loadRasDefinition(trx, assessment.rasVersionId);
    if (!definition) throw new Error(`RAS version ${assessment.rasVersionId} of assessment ${assessment.id} is missing`);
    return definition;
  }

  async function editable(user: SignedInUser, id: number) {
    const { assessment, person } = await load(user, id, { mustEdit: true });
    const definition = await definitionOf(assessment);
    return { assessment, person, definition, sections: sectionsOf(assessment, definition), facts: assessment.eligibility.facts };
  }

  /**
   * Saves one page of a draft. A post that changes nothing succeeds whatever version it carries
   * (a double-clicked "Save and continue" lands here); any real change needs the version the
   * user saw, so nobody's answers are silently overwritten.
   */
  async function saveSection(
    actor: Actor,
    id: number,
    wanted: QuestionsSection | { kind: 'eligibility' },
    expectedVersion: number,
    edit: (assessment: Assessment, section: Section) => SectionChange,
  ): Promise<{ nextPath: string }> {
    return db.transaction(async (trx) => {
      const { assessment, person } = await load(actor, id, { trx, forUpdate: true, mustEdit: true });
      if (assessment.status !== 'draft') throw new StaleVersionError('assessment', assessment);
      const sections = sectionsOf(assessment, await definitionOf(assessment, trx));
      const section = findSection(sections, wanted);
      const change = edit(assessment, section);
      const nextPath = nextPathAfter(sections, section, change.answers, change.facts, assessment.id);
      if (change.unchanged) return { nextPath };
      if (assessment.version !== expectedVersion) throw new StaleVersionError('assessment', assessment);
      const after = await updateDraft(trx, id, expectedVersion, { ...change.changes, at: clock.now() });
      if (!after) throw new StaleVersionError('assessment', assessment);
      await recordEvent(trx, actor, {
        action: 'assessment_saved',
        entityType: 'assessment',
        entityId: id,
        personId: person.id,
        before: { section: section.title, ...change.audit.before },
        after: { section: section.title, ...change.audit.after },
      });
      return { nextPath };
    });
  }

  const progressOf = (assessment: Assessment, sections: Section[]): SectionProgress[] =>
    sections.map((section) => ({ section, status: sectionStatus(section, assessment.answers, assessment.eligibility.facts) }));

  /** A submitted (or replaced) assessment's result: the budget, the points and the decision behind them. */
  async function resultOf(assessment: Assessment, person: Person, canEdit: boolean) {
    if (assessment.status === 'draft') return { kind: 'draft' as const, assessment, canEdit };
    const definition = await definitionOf(assessment);
    const [ras, submittedBy, openPlan] = await Promise.all([
      findRasVersion(db, assessment.rasVersionId),
      userName(db, assessment.submittedBy),
      assessment.status === 'submitted' ? findOpenPlanForPerson(db, person.id) : undefined,
    ]);
    const domainPoints = assessment.domainPoints ?? {};
    const { answers } = assessment;
    return {
      kind: 'result' as const,
      assessment,
      person,
      canEdit,
      submittedBy,
      openPlanId: openPlan?.id ?? null,
      ras: {
        name: ras?.name ?? definition.name,
        effectiveFrom: ras?.effectiveFrom ?? null,
        minimumPoints: definition.minimumPoints,
        ceilingPence: definition.ceilingPence,
      },
      domains: definition.domains.map((domain) => ({ title: domain.title, points: domainPoints[domain.key] ?? 0 })),
      adjustments:
        assessment.type === 'person'
          ? definition.adjustments.map((adjustment) => {
              const option = adjustment.options.find((candidate) => candidate.key === answers[adjustment.key]);
              return {
                key: adjustment.key,
                text: adjustment.text,
                answer: option?.label,
                optionKey: option?.key,
                percent: option?.percent ?? 0,
              };
            })
          : [],
      eligibility: assessment.eligibility.decision ?? null,
    };
  }

  return {
    /**
     * The person page's "Assessments" section: every assessment, newest first, as the page read
     * them, and whether this user may start one.
     */
    personSection(user: SignedInUser, person: Person, assessments: AssessmentListing[]) {
      const type = assessmentTypeFor(person.clientGroup);
      return {
        person,
        canEdit: canEditPerson(user, person),
        type,
        /** A reassessment says so: the person already has an assessment of this type that a new one would replace. */
        assessedBefore: assessments.some((assessment) => assessment.type === type),
        draft: assessments.find((assessment) => assessment.status === 'draft' && assessment.type === type),
        assessments,
      };
    },

    /** Starts with the RAS published now, or returns the draft already under way: one draft per person and type. */
    async start(actor: Actor, personId: number): Promise<{ assessment: Assessment; created: boolean }> {
      return db.transaction(async (trx) => {
        // Locking the person makes two "Start" clicks queue, so the second finds the first's draft.
        const person = await findPersonForUpdate(trx, personId);
        if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only a care manager or team manager in the person’s team can start an assessment.');
        const type = assessmentTypeFor(person.clientGroup);
        const existing = await findDraft(trx, person.id, type);
        if (existing) return { assessment: existing, created: false };
        const ras = await findRasVersionInForce(trx, londonToday(clock));
        if (!ras)
          throw new RuleError('No RAS has been published yet, so there are no questions to ask. Ask an administrator to publish one.');
        const assessment = await insertDraft(trx, {
          personId: person.id,
          type,
          clientGroup: person.clientGroup,
          rasVersionId: ras.id,
          startedBy: actor.id,
          at: clock.now(),
        });
        await recordEvent(trx, actor, {
          action: 'assessment_started',
          entityType: 'assessment',
          entityId: assessment.id,
          personId: person.id,
          after: { assessment_type: type, client_group: person.clientGroup, ras_version_id: ras.id, ras_version_name: ras.name },
        });
        return { assessment, created: true };
      });
    },

    /** A review asked for a new assessment: a draft already under way becomes it, else one is started. */
    async startReassessment(actor: Actor, personId: number, reviewId: number): Promise<{ assessmentId: number }> {
      const { assessment } = await this.start(actor, personId);
      await markDraftFromReview(db, assessment.id, reviewId);
      return { assessmentId: assessment.id };
    },

    async taskList(user: SignedInUser, id: number) {
      const { assessment, person, definition, sections, facts } = await editable(user, id);
      const [ras, startedBy] = await Promise.all([findRasVersion(db, assessment.rasVersionId), userName(db, assessment.startedBy)]);
      const complete = completeFacts(facts);
      return {
        assessment,
        person,
        rasVersionName: ras?.name ?? definition.name,
        startedBy,
        progress: progressOf(assessment, sections),
        eligibilityDecision: complete ? determineEligibility(complete) : null,
      };
    },

    async questionsPage(user: SignedInUser, id: number, wanted: QuestionsSection) {
      const { assessment, person, sections } = await editable(user, id);
      const section = findSection(sections, wanted);
      const questions = questionsOf(section);
      return {
        assessment,
        person,
        section,
        questions,
        answers: pick(
          assessment.answers,
          questions.map((question) => question.key),
        ),
      };
    },

    async eligibilityPage(user: SignedInUser, id: number) {
      const { assessment, person, sections, facts } = await editable(user, id);
      return { assessment, person, section: findSection(sections, { kind: 'eligibility' }), facts };
    },

    /** Saves one page of RAS questions (a domain, or the adjustments); an answer must be one of the page's options. */
    saveQuestions: (actor: Actor, id: number, wanted: QuestionsSection, posted: Record<string, string>, expectedVersion: number) =>
      saveSection(actor, id, wanted, expectedVersion, (assessment, section) => {
        const questions = questionsOf(section);
        for (const [key, optionKey] of Object.entries(posted)) {
          const question = questions.find((candidate) => candidate.key === key);
          if (!question) throw new RuleError(`There is no question ‘${key}’ on this page`, 'form');
          if (optionLabel(question, optionKey) === undefined) throw new RuleError(notAnOptionMessage(question), `answers.${key}`);
        }
        const keys = questions.map((question) => question.key);
        const before = pick(assessment.answers, keys);
        const answers = { ...Object.fromEntries(Object.entries(assessment.answers).filter(([key]) => !keys.includes(key))), ...posted };
        return {
          unchanged: sameJson(before, posted),
          answers,
          facts: assessment.eligibility.facts,
          changes: { answers },
          audit: { before: { answers: before }, after: { answers: posted } },
        };
      }),

    /**
     * The eligibility page: whether each outcome is achieved. Reasons come on their own page, so an
     * outcome still "No" keeps the reasons given before; one newly "No" sends the user there next.
     */
    async saveEligibility(actor: Actor, id: number, posted: RecordedEligibility, expectedVersion: number): Promise<{ nextPath: string }> {
      let facts = posted;
      const saved = await saveSection(actor, id, { kind: 'eligibility' }, expectedVersion, (assessment) => {
        facts = withEarlierReasons(posted, assessment.eligibility.facts);
        return eligibilityChange(assessment, facts);
      });
      return outcomesWithoutReasons(facts).length > 0 ? { nextPath: unableReasonsPath(id) } : saved;
    },

    /** The reasons page: why each outcome recorded as not achieved cannot be achieved (reg. 2(3)). */
    saveUnableReasons: (
      actor: Actor,
      id: number,
      reasons: Partial<Record<EligibilityOutcomeKey, UnableReason[]>>,
      expectedVersion: number,
    ) =>
      saveSection(actor, id, { kind: 'eligibility' }, expectedVersion, (assessment) => {
        const before = assessment.eligibility.facts;
        const outcomes = { ...before.outcomes };
        for (const key of unachievedOutcomes(before)) {
          const given = reasons[key];
          if (given) outcomes[key] = { achieved: false, reasons: given };
        }
        return eligibilityChange(assessment, { ...before, outcomes });
      }),

    async checkAnswersPage(user: SignedInUser, id: number) {
      const { assessment, person, sections, facts } = await editable(user, id);
      const complete = completeFacts(facts);
      return {
        assessment,
        person,
        sections,
        facts,
        decision: complete ? determineEligibility(complete) : null,
        incomplete: progressOf(assessment, sections)
          .filter((progress) => progress.status !== 'completed')
          .map((progress) => progress.section),
      };
    },

    /**
     * Submits in one transaction: score with the assessment's own RAS version, derive the
     * eligibility decision from the recorded facts, replace the person's current result, audit.
     */
    async submit(actor: Actor, id: number, expectedVersion: number): Promise<Assessment> {
      return db.transaction(async (trx) => {
        const { assessment, person } = await load(actor, id, { trx, forUpdate: true, mustEdit: true });
        if (assessment.status !== 'draft') {
          // The same form posted twice (a double click): the first post submitted it, so show that result.
          if (assessment.version === expectedVersion + 1 && assessment.submittedBy === actor.id) return assessment;
          throw new StaleVersionError('assessment', assessment);
        }
        if (assessment.version !== expectedVersion) throw new StaleVersionError('assessment', assessment);
        const definition = await definitionOf(assessment, trx);
        const sections = sectionsOf(assessment, definition);
        const { facts: recorded } = assessment.eligibility;
        const unfinished = sections.filter((section) => sectionStatus(section, assessment.answers, recorded) !== 'completed');
        if (unfinished.length > 0) {
          throw new RuleError(`Complete ${unfinished.map((section) => `‘${section.title}’`).join(', ')} before you submit`);
        }
        const answers = answersForScoring(sections, assessment.answers);
        const result = scoreAssessment(definition, {
          assessmentType: assessment.type,
          clientGroup: assessment.clientGroup,
          answers,
        });
        const facts = assessment.type === 'person' ? completeFacts(recorded) : undefined;
        const decision: EligibilityDecision | undefined = facts ? determineEligibility(facts) : undefined;
        const now = clock.now();

        const replaced = await supersedeCurrent(trx, person.id, assessment.type, now);
        for (const old of replaced) {
          await recordEvent(trx, actor, {
            action: 'assessment_superseded',
            entityType: 'assessment',
            entityId: old.id,
            personId: person.id,
            // Only a submitted assessment is superseded (supersedeCurrent).
            before: { status: 'submitted' },
            after: { status: 'superseded', replaced_by: assessment.id },
          });
        }
        const submitted = await markSubmitted(trx, id, expectedVersion, {
          answers,
          eligibility: decision ? storedEligibility({ facts: recorded, decision }) : {},
          // Carers: null. This determination is the one for adults needing care (reg. 2); it is not made for carers here.
          eligible: decision ? decision.eligible : null,
          rawPoints: result.rawPoints,
          domainPoints: result.domainPoints,
          modifierPercent: result.modifierPercent,
          annualPence: result.annualPence,
          weeklyPence: result.weeklyPence,
          belowThreshold: result.belowThreshold,
          exceedsCeiling: result.exceedsCeiling,
          explanation: result.explanation,
          submittedBy: actor.id,
          at: now,
        });
        if (!submitted) throw new StaleVersionError('assessment', assessment);
        await supersedePlansFromOlderAssessments(trx, actor, submitted, now);
        await recordEvent(trx, actor, {
          action: 'assessment_submitted',
          entityType: 'assessment',
          entityId: id,
          personId: person.id,
          after: {
            ras_version_id: assessment.rasVersionId,
            eligible: submitted.eligible,
            raw_points: result.rawPoints,
            annual_pence: result.annualPence,
            below_threshold: result.belowThreshold,
            exceeds_ceiling: result.exceedsCeiling,
            replaced: replaced.map((old) => old.id),
          },
        });
        return submitted;
      });
    },

    /**
     * The explanation of a result, made to be printed for the person: read-only, for everyone who
     * may see the person (finance and admin included), and each opening is recorded in the audit trail.
     */
    async explanationPage(actor: Actor, id: number) {
      const page = await this.resultPage(actor, id);
      if (page.kind !== 'draft') {
        await recordLookedAt(db, actor, {
          action: 'assessment_explanation_printed',
          entityType: 'assessment',
          entityId: id,
          personId: page.assessment.personId,
        });
      }
      return page;
    },

    async resultPage(user: SignedInUser, id: number) {
      const { assessment, person } = await load(user, id);
      return resultOf(assessment, person, canEditPerson(user, person));
    },

    /**
     * The person's own result, for their online space: the assessment is read only as one of this
     * person's, so nothing the person sends can reach anyone else's. A draft has no result yet.
     */
    async resultOfPerson(person: Person, assessmentId: number) {
      const assessment = await findAssessment(db, assessmentId);
      if (!assessment || assessment.personId !== person.id || assessment.status === 'draft') return undefined;
      return (await resultOf(assessment, person, false)) as ResultPage;
    },
  };
}

export type AssessmentsService = ReturnType<typeof assessmentsService>;
export type PersonAssessments = Awaited<ReturnType<AssessmentsService['personSection']>>;
export type TaskListPage = Awaited<ReturnType<AssessmentsService['taskList']>>;
export type QuestionsPage = Awaited<ReturnType<AssessmentsService['questionsPage']>>;
export type EligibilityPage = Awaited<ReturnType<AssessmentsService['eligibilityPage']>>;
export type CheckAnswersPage = Awaited<ReturnType<AssessmentsService['checkAnswersPage']>>;
export type ResultPage = Extract<Awaited<ReturnType<AssessmentsService['resultPage']>>, { kind: 'result' }>;
