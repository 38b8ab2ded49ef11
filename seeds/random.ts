import type { EligibilityFacts } from '../src/assessments/eligibility.js';
import { eligibilityOutcomes } from '../src/assessments/eligibility.js';
import type { RasDefinition } from '../src/ras/definition.js';

/** mulberry32: tiny and seeded, so the same seed always generates the same council. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick needs at least one item');
  return item;
}

/**
 * Answers that hang together like a real person's: one level of need (0 = none, 1 = the most)
 * sets roughly how far down each question's options they answer, with some spread, rather than
 * every answer being independent noise.
 */
export function answersForNeed(
  definition: RasDefinition,
  random: () => number,
  need: number,
  options: { withAdjustments: boolean },
): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const question of definition.domains.flatMap((domain) => domain.questions)) {
    const count = question.options.length;
    const index = Math.min(count - 1, Math.max(0, Math.floor(need * count + (random() - 0.5) * 1.6)));
    answers[question.key] = (question.options[index] ?? question.options[0])?.key ?? '';
  }
  if (options.withAdjustments) {
    for (const adjustment of definition.adjustments) {
      // Most people have no informal support that changes the amount; some have a little or a lot.
      const roll = random();
      const option =
        roll < 0.7 ? adjustment.options.find((o) => o.percent === 0) : roll < 0.9 ? adjustment.options[1] : adjustment.options.at(-1);
      answers[adjustment.key] = (option ?? adjustment.options[0])?.key ?? '';
    }
  }
  return answers;
}

/**
 * Eligibility facts that follow from the answers: an outcome is not achieved, because they
 * cannot do it without help, whenever they need any help with it.
 */
export function eligibilityFactsFor(answers: Record<string, string>, noHelpOptions: ReadonlySet<string>): EligibilityFacts {
  const outcomes = Object.fromEntries(
    eligibilityOutcomes.map((outcome) => {
      const answer = answers[outcome.key];
      const achieved = answer === undefined || noHelpOptions.has(answer);
      return [outcome.key, achieved ? { achieved: true } : { achieved: false, reasons: ['without_assistance'] }];
    }),
  ) as EligibilityFacts['outcomes'];
  return { arisesFromImpairment: true, outcomes, significantImpactOnWellbeing: true };
}

/** The option keys that mean "no help needed": the option worth fewest points of each question. */
export function noHelpOptionsOf(definition: RasDefinition): Set<string> {
  return new Set(
    definition.domains
      .flatMap((domain) => domain.questions)
      .map((question) => question.options.reduce((least, option) => (option.points < least.points ? option : least)).key),
  );
}

export function shiftDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
