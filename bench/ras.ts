import { formatPence } from '../src/money.js';
import { pricedClientGroups, type RasAnswers } from '../src/ras/definition.js';
import { defaultRasDefinition } from '../src/ras/default-ras.js';
import { compileDefinition, scoreAnswerVector, scoreAssessment, type CompiledRas } from '../src/ras/engine.js';
import { pick, seededRandom } from '../seeds/random.js';
import { alternate, median } from './timing.js';

const assessmentCount = 100_000;
const targetMs = 50;
const rounds = 5;

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

/** The answers as the impact model reads them from the database: one option key per question and adjustment. */
function asVectors(compiled: CompiledRas, assessments: readonly RasAnswers[]) {
  return assessments.map((assessment) => ({
    assessmentType: assessment.assessmentType,
    clientGroup: assessment.clientGroup,
    vector: compiled.answerKeys.map((key) => assessment.answers[key]),
  }));
}

/**
 * `npm run bench -- ras`: 100,000 assessments scored one by one through scoreAssessment (the
 * baseline: what submitting an assessment runs, without the explanation) and in bulk through
 * scoreAnswerVector (what the impact model runs), taking turns; prints the medians.
 */
export async function benchRas(): Promise<number> {
  const assessments = randomAssessments(seededRandom(2026));
  const compiled = compileDefinition(defaultRasDefinition);
  const vectors = asVectors(compiled, assessments);
  const totals = { engine: 0, bulk: 0 };
  const timings = await alternate(rounds, {
    engine: () => {
      let total = 0;
      for (const assessment of assessments) total += scoreAssessment(compiled, assessment, { explain: false }).annualPence;
      totals.engine = total;
    },
    bulk: () => {
      let total = 0;
      for (const { assessmentType, clientGroup, vector } of vectors)
        total += scoreAnswerVector(compiled, assessmentType, clientGroup, vector).annualPence;
      totals.bulk = total;
    },
  });
  if (totals.bulk !== totals.engine) throw new Error(`bulk scoring gave ${totals.bulk} pence, the engine ${totals.engine}`);
  const engineMs = Math.round(median(timings.engine));
  const bulkMs = Math.round(median(timings.bulk));
  console.log(
    `ras: ${assessmentCount.toLocaleString('en-GB')} assessments, median of ${rounds} alternating runs: one by one ${engineMs} ms, in bulk ${bulkMs} ms (target < ${targetMs} ms, ${(engineMs / Math.max(bulkMs, 1)).toFixed(1)} times as fast); ${formatPence(totals.bulk)} a year in all, the same both ways`,
  );
  return bulkMs;
}
