import { eligibilityOutcomes, unableReasons } from './eligibility.js';
import { optionLabel, type Question, type RecordedEligibility, type Section } from './questionnaire.js';

/** Answers as people read them: the check-answers summary and the 409 page's comparison. */

export function questionsOf(section: Section): Question[] {
  if (section.kind === 'domain') return section.domain.questions;
  if (section.kind === 'adjustments') return section.questions;
  return [];
}

const reasonLabels = Object.fromEntries(unableReasons.map((reason) => [reason.key, reason.label])) as Record<string, string>;

/** One line of the check-answers summary; `lines` keeps several reasons readable. */
export type AnswerRow = { key: string; lines: string[]; href: string; changeText: string };

function yesNoText(value: boolean | undefined): string {
  return value === undefined ? 'Not answered' : value ? 'Yes' : 'No';
}

export function eligibilityRows(facts: RecordedEligibility, path: string): AnswerRow[] {
  const rows: AnswerRow[] = [
    {
      key: 'Needs arise from a physical or mental impairment or illness',
      lines: [yesNoText(facts.arisesFromImpairment)],
      href: `${path}#arisesFromImpairment`,
      changeText: 'whether their needs arise from an impairment or illness',
    },
  ];
  for (const outcome of eligibilityOutcomes) {
    const finding = facts.outcomes[outcome.key];
    const lines =
      finding?.achieved === undefined
        ? ['Not answered']
        : finding.achieved
          ? ['Can achieve this']
          : [
              'Cannot achieve this:',
              ...(finding.reasons.length ? finding.reasons.map((reason) => reasonLabels[reason] ?? reason) : ['no reason recorded']),
            ];
    rows.push({
      key: outcome.label,
      lines,
      href: `${path}#outcomes-${outcome.key}-achieved`,
      changeText: `whether they can achieve ${outcome.label.toLowerCase()}`,
    });
  }
  rows.push({
    key: 'Significant impact on their wellbeing',
    lines: [yesNoText(facts.significantImpactOnWellbeing)],
    href: `${path}#significantImpact`,
    changeText: 'whether there is a significant impact on their wellbeing',
  });
  return rows;
}

export function questionRows(section: Section, answers: Record<string, string>, returnTo: string): AnswerRow[] {
  const questions = questionsOf(section);
  return questions.map((question) => ({
    // One-question domains read best under the domain's title; otherwise each question names itself.
    key: section.kind === 'domain' && questions.length === 1 ? section.title : question.text,
    lines: [optionLabel(question, answers[question.key]) ?? 'Not answered'],
    href: `${section.path}${returnTo}#answers-${question.key}`,
    changeText: (section.kind === 'domain' && questions.length === 1 ? section.title : question.text).toLowerCase(),
  }));
}

/** The 409 page's comparison: what is saved now beside what the user chose, so nothing they chose is lost. */
export type ConflictRow = { question: string; savedNow: string; youChose: string };

export function questionConflictRows(
  questions: Question[],
  savedNow: Record<string, string>,
  youChose: Record<string, string>,
): ConflictRow[] {
  return questions.map((question) => ({
    question: question.text,
    savedNow: optionLabel(question, savedNow[question.key]) ?? 'Not answered',
    youChose: optionLabel(question, youChose[question.key]) ?? 'Not answered',
  }));
}

export function eligibilityConflictRows(savedNow: RecordedEligibility, youChose: RecordedEligibility): ConflictRow[] {
  const chosen = eligibilityRows(youChose, '');
  return eligibilityRows(savedNow, '').map((row, index) => ({
    question: row.key,
    savedNow: row.lines.join(' '),
    youChose: chosen[index]?.lines.join(' ') ?? 'Not answered',
  }));
}
