import { formatPence } from '../src/money.js';
import { clientGroups, type RasAnswers } from '../src/ras/definition.js';
import { defaultRasDefinition } from '../src/ras/default-ras.js';
import { compileDefinition, scoreAssessment } from '../src/ras/engine.js';

const assessmentCount = 100_000;
const targetMs = 1000;

/** mulberry32: tiny, seeded and good enough to spread answers; the same seed gives the same run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick needs at least one item');
  return item;
}

/** One in ten is a carer's assessment, roughly the share councils report. */
function randomAssessments(random: () => number): RasAnswers[] {
  const questions = defaultRasDefinition.domains.flatMap((domain) => domain.questions);
  return Array.from({ length: assessmentCount }, () => {
    const isCarer = random() < 0.1;
    const answers: Record<string, string> = {};
    for (const question of questions) answers[question.key] = pick(random, question.options).key;
    if (!isCarer) {
      for (const adjustment of defaultRasDefinition.adjustments) answers[adjustment.key] = pick(random, adjustment.options).key;
    }
    return isCarer
      ? { assessmentType: 'carer', clientGroup: 'carer', answers }
      : { assessmentType: 'person', clientGroup: pick(random, clientGroups), answers };
  });
}

export async function benchRas(): Promise<number> {
  const assessments = randomAssessments(seededRandom(2026));
  const compiled = compileDefinition(defaultRasDefinition);
  const started = performance.now();
  let totalAnnualPence = 0;
  for (const assessment of assessments) {
    totalAnnualPence += scoreAssessment(compiled, assessment, { explain: false }).annualPence;
  }
  const elapsedMs = Math.round(performance.now() - started);
  console.log(
    `ras: scored ${assessmentCount} assessments in ${elapsedMs} ms (target < ${targetMs} ms); ${formatPence(totalAnnualPence)} a year in all`,
  );
  return elapsedMs;
}
