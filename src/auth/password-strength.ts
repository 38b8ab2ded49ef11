import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/**
 * zxcvbn's score 3 ("safely unguessable: moderate protection from offline slow-hash
 * scenario") is what NCSC-style guidance asks of a password guarding personal data. The
 * person's own name and address are added to the words it looks for.
 */
export function passwordWeakness(password: string, personalWords: string[]): string | null {
  const result = estimator.check(password, personalWords);
  if (result.score >= 3) return null;
  const advice = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Choose a password that is harder to guess${advice ? `: ${advice.replace(/\.$/, '').toLowerCase()}` : ''}`;
}
