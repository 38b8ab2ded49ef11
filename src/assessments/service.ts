import { isDeepStrictEqual } from 'node:util';
import type { Knex } from 'knex';
import { insertAuditEvent } from '../audit/repo.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { londonToday, type Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, RuleError, StaleVersionError } from '../errors.js';
import { clientGroupLabels, clientGroups, type PersonClientGroup } from '../people/client-groups.js';
import { findPerson, findPersonForUpdate, type Person } from '../people/repo.js';
import type { PersonPageSection } from '../people/sections.js';
import { canEditPerson, canSeePerson } from '../people/service.js';
import type { RasDefinition } from '../ras/definition.js';
import { scoreAssessment } from '../ras/engine.js';
import { findPublishedRasVersion, findRasVersion, loadRasDefinition } from '../ras/repo.js';
import type { ErrorSummaryItem } from '../web/validation.js';
import { indicativeBudgetOf } from './budget.js';
import { determineEligibility, eligibilityOutcomes, type EligibilityDecision } from './eligibility.js';
import {
  answersForScoring,
  assessmentTypeFor,
  assessmentTypeLabels,
  completeFacts,
  nextPathAfter,
  optionLabel,
  notAnOptionMessage,
  readEligibility,
  sectionsOf,
  sectionStatus,
  type RecordedEligibility,
  type Section,
  storedEligibility,
} from './questionnaire.js';
import { eligibilityRows, questionRows, questionsOf } from './summary.js';
import {
  findAssessment,
  findAssessmentForUpdate,
  findDraft,
  insertDraft,
  listForPerson,
  markSubmitted,
  supersedeCurrent,
  updateDraft,
  userName,
  type AssessmentRow,
} from './repo.js';

// A reassessment says so: the person already has a result that the new one will replace.
const startLabels = {
  person: { first: 'Start an assessment', again: 'Start a new assessment' },
  carer: { first: 'Start a carer’s assessment', again: 'Start a new carer’s assessment' },
} as const;

/** Which page of the questionnaire: a RAS domain by its key, or the adjustments. */
export type QuestionsSection = { kind: 'domain'; key: string } | { kind: 'adjustments' };

type Db = Knex | Knex.Transaction;

/** The London calendar day of an instant, for lists that show dates without times. */
function londonDateOf(instant: Date): string {
  return londonToday({ now: () => instant });
}

function personName(person: Person): string {
  return `${person.givenName} ${person.familyName}`;
}

function personSummary(person: Person) {
  return { id: person.id, name: personName(person), reference: person.reference };
}

function clientGroupLabel(group: string): string {
  return (clientGroups as readonly string[]).includes(group) ? clientGroupLabels[group as PersonClientGroup] : group;
}

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

const outcomeLabels = Object.fromEntries(eligibilityOutcomes.map((outcome) => [outcome.key, outcome.label])) as Record<string, string>;

export function assessmentsService(db: Knex, clock: Clock) {
  async function load(user: SignedInUser, id: number, options: { trx?: Db; forUpdate?: boolean; mustEdit?: boolean } = {}) {
    const trx = options.trx ?? db;
    const assessment = options.forUpdate ? await findAssessmentForUpdate(trx, id) : await findAssessment(trx, id);
    const person = assessment ? await findPerson(trx, assessment.person_id) : undefined;
    // Another team's assessment is "not found", like their people: the URL must not confirm it exists.
    if (!assessment || !person || !canSeePerson(user, person)) throw new NotFoundError('Assessment');
    if (options.mustEdit && !canEditPerson(user, person)) {
      throw new ForbiddenError('Only a care manager or team manager in the person’s team can change an assessment.');
    }
    return { assessment, person };
  }

  /** The version the assessment started with, never the one published now: that is what explains its budget. */
  async function definitionOf(assessment: AssessmentRow, trx: Db = db): Promise<RasDefinition> {
    const definition = await loadRasDefinition(trx, assessment.ras_version_id);
    if (!definition) throw new Error(`RAS version ${assessment.ras_version_id} of assessment ${assessment.id} is missing`);
    return definition;
  }

  async function editable(user: SignedInUser, id: number) {
    const { assessment, person } = await load(user, id, { mustEdit: true });
    const definition = await definitionOf(assessment);
    const sections = sectionsOf(assessment, definition);
    return { assessment, person, definition, sections, eligibility: readEligibility(assessment.eligibility) };
  }

  function header(assessment: AssessmentRow, person: Person) {
    return {
      // Not "id": EJS partials inherit the page's locals, and several read locals.id.
      assessmentId: assessment.id,
      status: assessment.status,
      type: assessment.assessment_type,
      typeLabel: assessmentTypeLabels[assessment.assessment_type],
      version: assessment.version,
      person: personSummary(person),
      taskListPath: `/assessments/${assessment.id}`,
    };
  }

  return {
    /** The person page's "Assessments" section: every assessment, newest first, and whether this user may start one. */
    async personSection(user: SignedInUser, person: Person): Promise<PersonPageSection> {
      const rows = await listForPerson(db, person.id);
      const canEdit = canEditPerson(user, person);
      const type = assessmentTypeFor(person.clientGroup);
      const draft = rows.find((row) => row.status === 'draft' && row.assessment_type === type);
      return {
        partial: 'assessments/_person-assessments',
        model: {
          personId: person.id,
          canStart: canEdit && !draft,
          startLabel: startLabels[type][rows.some((row) => row.assessment_type === type) ? 'again' : 'first'],
          continueHref: canEdit && draft ? `/assessments/${draft.id}` : null,
          assessments: rows.map((row) => ({
            id: row.id,
            typeLabel: assessmentTypeLabels[row.assessment_type],
            status: row.status,
            startedOn: londonDateOf(row.started_at),
            submittedOn: row.submitted_at ? londonDateOf(row.submitted_at) : null,
            eligible:
              row.assessment_type === 'carer'
                ? 'not_applicable'
                : row.eligible === null
                  ? 'not_decided'
                  : row.eligible
                    ? 'eligible'
                    : 'not_eligible',
            rawPoints: row.raw_points,
            budget: indicativeBudgetOf(row) ?? null,
            rasVersionName: row.ras_version_name,
            href: row.status === 'draft' ? (canEdit ? `/assessments/${row.id}` : null) : `/assessments/${row.id}/result`,
          })),
        },
      };
    },

    /** Starts with the RAS published now, or returns the draft already under way: one draft per person and type. */
    async start(actor: Actor, personId: number): Promise<{ assessment: AssessmentRow; created: boolean }> {
      return db.transaction(async (trx) => {
        // Locking the person makes two "Start" clicks queue, so the second finds the first's draft.
        const person = await findPersonForUpdate(trx, personId);
        if (!person || !canSeePerson(actor, person)) throw new NotFoundError('Person');
        if (!canEditPerson(actor, person))
          throw new ForbiddenError('Only a care manager or team manager in the person’s team can start an assessment.');
        const type = assessmentTypeFor(person.clientGroup);
        const existing = await findDraft(trx, person.id, type);
        if (existing) return { assessment: existing, created: false };
        const ras = await findPublishedRasVersion(trx);
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
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'assessment_started',
          entityType: 'assessment',
          entityId: assessment.id,
          personId: person.id,
          after: { assessment_type: type, client_group: person.clientGroup, ras_version_id: ras.id, ras_version_name: ras.name },
        });
        return { assessment, created: true };
      });
    },

    async taskList(user: SignedInUser, id: number) {
      const { assessment, person, definition, sections, eligibility } = await editable(user, id);
      const ras = await findRasVersion(db, assessment.ras_version_id);
      const tasks = sections.map((section) => ({
        kind: section.kind,
        title: section.title,
        href: section.path,
        status: sectionStatus(section, assessment.answers, eligibility.facts),
      }));
      const facts = completeFacts(eligibility.facts);
      const domainTasks = tasks.filter((task) => task.kind === 'domain');
      return {
        ...header(assessment, person),
        rasVersionName: ras?.name ?? definition.name,
        startedAt: assessment.started_at,
        startedBy: await userName(db, assessment.started_by),
        eligibilityTask: tasks.find((task) => task.kind === 'eligibility') ?? null,
        eligibilityDecision: facts ? determineEligibility(facts) : null,
        domainTasks,
        domainsCompleted: domainTasks.filter((task) => task.status === 'completed').length,
        adjustmentsTask: tasks.find((task) => task.kind === 'adjustments') ?? null,
        allCompleted: tasks.every((task) => task.status === 'completed'),
        checkAnswersPath: `/assessments/${assessment.id}/check-answers`,
      };
    },

    async questionsPage(user: SignedInUser, id: number, wanted: QuestionsSection) {
      const { assessment, person, sections } = await editable(user, id);
      const section = findSection(sections, wanted);
      const questions = questionsOf(section);
      return {
        ...header(assessment, person),
        section: { kind: section.kind, title: section.title, path: section.path },
        questions,
        answers: pick(
          assessment.answers,
          questions.map((question) => question.key),
        ),
      };
    },

    async eligibilityPage(user: SignedInUser, id: number) {
      const { assessment, person, sections, eligibility } = await editable(user, id);
      const section = findSection(sections, { kind: 'eligibility' });
      return {
        ...header(assessment, person),
        section: { kind: section.kind, title: section.title, path: section.path },
        facts: eligibility.facts,
      };
    },

    /**
     * Saves one page's answers. A post that changes nothing succeeds whatever version it carries
     * (a double-clicked "Save and continue" lands here); any real change needs the version the
     * user saw, so nobody's answers are silently overwritten.
     */
    async saveQuestions(
      actor: Actor,
      id: number,
      wanted: QuestionsSection,
      posted: Record<string, string>,
      expectedVersion: number,
    ): Promise<{ nextPath: string }> {
      return db.transaction(async (trx) => {
        const { assessment, person } = await load(actor, id, { trx, forUpdate: true, mustEdit: true });
        if (assessment.status !== 'draft') throw new StaleVersionError('assessment', assessment);
        const definition = await definitionOf(assessment, trx);
        const sections = sectionsOf(assessment, definition);
        const section = findSection(sections, wanted);
        const questions = questionsOf(section);
        for (const [key, optionKey] of Object.entries(posted)) {
          const question = questions.find((candidate) => candidate.key === key);
          if (!question) throw new RuleError(`There is no question ‘${key}’ on this page`, 'form');
          if (optionLabel(question, optionKey) === undefined) throw new RuleError(notAnOptionMessage(question), `answers.${key}`);
        }
        const keys = questions.map((question) => question.key);
        const before = pick(assessment.answers, keys);
        const answers = { ...Object.fromEntries(Object.entries(assessment.answers).filter(([key]) => !keys.includes(key))), ...posted };
        const eligibility = readEligibility(assessment.eligibility).facts;
        if (sameJson(before, posted)) return { nextPath: nextPathAfter(sections, section, answers, eligibility, assessment.id) };
        if (assessment.version !== expectedVersion) throw new StaleVersionError('assessment', assessment);
        const after = await updateDraft(trx, id, expectedVersion, { answers, at: clock.now() });
        if (!after) throw new StaleVersionError('assessment', assessment);
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'assessment_saved',
          entityType: 'assessment',
          entityId: id,
          personId: person.id,
          before: { section: section.title, answers: before },
          after: { section: section.title, answers: posted },
        });
        return { nextPath: nextPathAfter(sections, section, answers, eligibility, assessment.id) };
      });
    },

    async saveEligibility(actor: Actor, id: number, facts: RecordedEligibility, expectedVersion: number): Promise<{ nextPath: string }> {
      return db.transaction(async (trx) => {
        const { assessment, person } = await load(actor, id, { trx, forUpdate: true, mustEdit: true });
        if (assessment.status !== 'draft') throw new StaleVersionError('assessment', assessment);
        const definition = await definitionOf(assessment, trx);
        const sections = sectionsOf(assessment, definition);
        const section = findSection(sections, { kind: 'eligibility' });
        const before = readEligibility(assessment.eligibility).facts;
        const nextPath = nextPathAfter(sections, section, assessment.answers, facts, assessment.id);
        if (sameJson(before, facts)) return { nextPath };
        if (assessment.version !== expectedVersion) throw new StaleVersionError('assessment', assessment);
        const after = await updateDraft(trx, id, expectedVersion, { eligibility: storedEligibility({ facts }), at: clock.now() });
        if (!after) throw new StaleVersionError('assessment', assessment);
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'assessment_saved',
          entityType: 'assessment',
          entityId: id,
          personId: person.id,
          before: { section: section.title, facts: before },
          after: { section: section.title, facts },
        });
        return { nextPath };
      });
    },

    async checkAnswersPage(user: SignedInUser, id: number) {
      const { assessment, person, sections, eligibility } = await editable(user, id);
      const returnTo = '?returnTo=check-answers';
      const incomplete: ErrorSummaryItem[] = sections
        .filter((section) => sectionStatus(section, assessment.answers, eligibility.facts) !== 'completed')
        .map((section) => ({ text: `Complete ‘${section.title}’`, href: section.path }));
      const facts = completeFacts(eligibility.facts);
      const eligibilitySection = sections.find((section) => section.kind === 'eligibility');
      const adjustments = sections.find((section) => section.kind === 'adjustments');
      return {
        ...header(assessment, person),
        eligibility: eligibilitySection
          ? {
              rows: eligibilityRows(eligibility.facts, `${eligibilitySection.path}${returnTo}`),
              decision: facts ? determineEligibility(facts) : null,
            }
          : null,
        needs: sections
          .filter((section) => section.kind === 'domain')
          .flatMap((section) => questionRows(section, assessment.answers, returnTo)),
        adjustments: adjustments ? questionRows(adjustments, assessment.answers, returnTo) : null,
        incomplete,
      };
    },

    /**
     * Submits in one transaction: score with the assessment's own RAS version, derive the
     * eligibility decision from the recorded facts, replace the person's current result, audit.
     */
    async submit(actor: Actor, id: number, expectedVersion: number): Promise<AssessmentRow> {
      return db.transaction(async (trx) => {
        const { assessment, person } = await load(actor, id, { trx, forUpdate: true, mustEdit: true });
        if (assessment.status !== 'draft') {
          // The same form posted twice (a double click): the first post submitted it, so show that result.
          if (assessment.version === expectedVersion + 1 && assessment.submitted_by === actor.id) return assessment;
          throw new StaleVersionError('assessment', assessment);
        }
        if (assessment.version !== expectedVersion) throw new StaleVersionError('assessment', assessment);
        const definition = await definitionOf(assessment, trx);
        const sections = sectionsOf(assessment, definition);
        const eligibility = readEligibility(assessment.eligibility);
        const unfinished = sections.filter((section) => sectionStatus(section, assessment.answers, eligibility.facts) !== 'completed');
        if (unfinished.length > 0) {
          throw new RuleError(`Complete ${unfinished.map((section) => `‘${section.title}’`).join(', ')} before you submit`);
        }
        const answers = answersForScoring(sections, assessment.answers);
        const result = scoreAssessment(definition, {
          assessmentType: assessment.assessment_type,
          clientGroup: assessment.client_group,
          answers,
        });
        const facts = assessment.assessment_type === 'person' ? completeFacts(eligibility.facts) : undefined;
        const decision: EligibilityDecision | undefined = facts ? determineEligibility(facts) : undefined;
        const now = clock.now();

        const replaced = await supersedeCurrent(trx, person.id, assessment.assessment_type, now);
        for (const old of replaced) {
          await insertAuditEvent(trx, {
            userId: actor.id,
            requestId: actor.requestId,
            action: 'assessment_superseded',
            entityType: 'assessment',
            entityId: old.id,
            personId: person.id,
            after: { replaced_by: assessment.id },
          });
        }
        const submitted = await markSubmitted(trx, id, expectedVersion, {
          answers,
          eligibility: decision ? storedEligibility({ facts: eligibility.facts, decision }) : {},
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
        await insertAuditEvent(trx, {
          userId: actor.id,
          requestId: actor.requestId,
          action: 'assessment_submitted',
          entityType: 'assessment',
          entityId: id,
          personId: person.id,
          after: {
            ras_version_id: assessment.ras_version_id,
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

    /** Read-only, for everyone who may see the person; finance and admin included. */
    async resultPage(user: SignedInUser, id: number) {
      const { assessment, person } = await load(user, id);
      const canEdit = canEditPerson(user, person);
      if (assessment.status === 'draft') return { kind: 'draft' as const, assessmentId: assessment.id, canEdit };
      const definition = await definitionOf(assessment);
      const [ras, submittedBy] = await Promise.all([findRasVersion(db, assessment.ras_version_id), userName(db, assessment.submitted_by)]);
      const stored = readEligibility(assessment.eligibility);
      const domainPoints = assessment.domain_points ?? {};
      const answers = assessment.answers;
      const adjustments =
        assessment.assessment_type === 'person'
          ? definition.adjustments.map((adjustment) => {
              const option = adjustment.options.find((candidate) => candidate.key === answers[adjustment.key]);
              return { text: adjustment.text, answer: option?.label ?? 'Not answered', percent: option?.percent ?? 0 };
            })
          : [];
      return {
        kind: 'result' as const,
        ...header(assessment, person),
        canEdit,
        clientGroupLabel: clientGroupLabel(assessment.client_group),
        submittedAt: assessment.submitted_at,
        submittedBy,
        supersededAt: assessment.superseded_at,
        ras: {
          name: ras?.name ?? definition.name,
          effectiveFrom: ras?.effective_from ?? null,
          minimumPoints: definition.minimumPoints,
          ceilingPence: definition.ceilingPence,
        },
        rawPoints: assessment.raw_points ?? 0,
        modifierPercent: assessment.modifier_percent ?? 0,
        belowThreshold: assessment.below_threshold === true,
        exceedsCeiling: assessment.exceeds_ceiling === true,
        budget: indicativeBudgetOf(assessment),
        domains: definition.domains.map((domain) => ({ title: domain.title, points: domainPoints[domain.key] ?? 0 })),
        adjustments,
        eligibility: stored.decision
          ? { ...stored.decision, unmetOutcomeLabels: stored.decision.unmetOutcomes.map((key) => outcomeLabels[key] ?? key) }
          : null,
        explanation: assessment.explanation ?? [],
      };
    },
  };
}

export type AssessmentsService = ReturnType<typeof assessmentsService>;
