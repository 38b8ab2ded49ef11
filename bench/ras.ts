import { formatPence } from '../src/money.js';
import { pricedClientGroups, type RasAnswers } from '../src/ras/definition.js';
import { defaultRasDefinition } from '../src/ras/default-ras.js';
import { compileDefinition, scoreAssessment } from '../src/ras/engine.js';
import { pick, seededRandom } from '../seeds/random.js';

const assessmentCount = 100_000;
const targetMs = 50;

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
      : { assessmentType: 'person', clientGroup: pick(random, pricedClientGroups), answers };
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
