import type { Knex } from 'knex';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { ForbiddenError, NotFoundError, RuleError } from '../errors.js';
import { clientGroups, type ClientGroup, type RasDefinition } from '../ras/definition.js';
import { compileDefinition, roundHalfUp } from '../ras/engine.js';
import { findPublishedRasVersion, findRasVersionListRow, loadRasDefinition } from '../ras/repo.js';
import type { RasService } from '../ras/service.js';
import { calibrationFigures, estimatorLabels, type CalibrationFigures, type Estimator } from './calibration.js';
import { assumedAnswersOf, csvLine, ImpactAccumulator, impactGroupOf, poundsForCsv, rescore, type ImpactFigures } from './impact.js';
import { groupLabel } from './presenters.js';
import { calibrationBands, calibrationPoints, calibrationSums, latestSubmittedAssessments, teamNames } from './repo.js';

/** Points per row of the calibration table that stands in for the scatter plot. */
export const CALIBRATION_BAND_POINTS = 20;
/** Enough dots to see the spread; more would make the page heavy and the chart unreadable. */
export const SCATTER_POINTS_PER_GROUP = 600;

function canReadReports(user: SignedInUser): boolean {
  return user.role === 'admin' || user.role === 'team_manager';
}

type QuestionRef = { key: string; text: string };

function askedIn(definition: RasDefinition): QuestionRef[] {
  return [...definition.domains.flatMap((domain) => domain.questions), ...definition.adjustments].map(({ key, text }) => ({ key, text }));
}

export type ImpactReport = {
  version: NonNullable<Awaited<ReturnType<typeof findRasVersionListRow>>>;
  definition: RasDefinition;
  /** The published version the stored budgets mostly come from; null when nothing is published. */
  current: { id: number; name: string } | null;
  added: QuestionRef[];
  removed: QuestionRef[];
  figures: ImpactFigures;
  teams: Map<number, string>;
};

export type CalibrationGroup = {
  group: ClientGroup;
  figures: CalibrationFigures;
  currentPricePence: number | null;
  points: { x: number; approvedPence: number }[];
  sampled: boolean;
  bands: { fromPoints: number; toPoints: number; count: number; meanApprovedPence: number; currentRasPence: number | null }[];
};

export type CalibrationReport = {
  current: { id: number; name: string; definition: RasDefinition } | null;
  totalBudgets: number;
  groups: CalibrationGroup[];
};

export function reportsService(db: Knex, ras: RasService) {
  async function versionToModel(versionId: number) {
    const version = await findRasVersionListRow(db, versionId);
    const definition = version ? await loadRasDefinition(db, versionId) : undefined;
    if (!version || !definition) throw new NotFoundError('RAS version');
    return { version, definition };
  }

  async function compared(definition: RasDefinition) {
    const published = await findPublishedRasVersion(db);
    const publishedDefinition = published ? await loadRasDefinition(db, published.id) : undefined;
    const before = publishedDefinition ? askedIn(publishedDefinition) : [];
    const after = askedIn(definition);
    const beforeKeys = new Set(before.map((question) => question.key));
    const afterKeys = new Set(after.map((question) => question.key));
    return {
      current: published ? { id: published.id, name: published.name } : null,
      added: publishedDefinition ? after.filter((question) => !beforeKeys.has(question.key)) : [],
      removed: before.filter((question) => !afterKeys.has(question.key)),
    };
  }

  async function calibration(): Promise<CalibrationReport> {
    const published = await findPublishedRasVersion(db);
    const definition = published ? await loadRasDefinition(db, published.id) : undefined;
    const [sums, points, bands] = await Promise.all([
      calibrationSums(db),
      calibrationPoints(db, SCATTER_POINTS_PER_GROUP),
      calibrationBands(db, CALIBRATION_BAND_POINTS),
    ]);
    const groups = clientGroups.map((group): CalibrationGroup => {
      const row = sums.find((candidate) => candidate.client_group === group);
      const figures = calibrationFigures({
        count: row?.count ?? 0,
        sumIndicativePence: BigInt(row?.sum_indicative ?? 0),
        sumApprovedPence: BigInt(row?.sum_approved ?? 0),
        sumX: BigInt(row?.sum_x ?? 0),
        sumXApproved: BigInt(row?.sum_x_approved ?? 0),
        sumXSquared: BigInt(row?.sum_x_squared ?? 0),
      });
      const price = definition?.pricePoints[group] ?? null;
      const groupPoints = points.filter((point) => point.client_group === group);
      return {
        group,
        figures,
        currentPricePence: price,
        points: groupPoints.map((point) => ({ x: point.x / 100, approvedPence: point.approved })),
        sampled: groupPoints.length < figures.count,
        bands: bands
          .filter((band) => band.client_group === group)
          .map((band) => ({
            fromPoints: band.band * CALIBRATION_BAND_POINTS,
            toPoints: band.band * CALIBRATION_BAND_POINTS + CALIBRATION_BAND_POINTS - 1,
            count: band.count,
            meanApprovedPence: Number(roundHalfUp(BigInt(band.sum_approved), BigInt(band.count))),
            // What the current price gives at the band's average points: price * (sum x / 100) / count.
            currentRasPence: price === null ? null : Number(roundHalfUp(BigInt(price) * BigInt(band.sum_x), 100n * BigInt(band.count))),
          })),
      };
    });
    return {
      current: published && definition ? { id: published.id, name: published.name, definition } : null,
      totalBudgets: groups.reduce((total, group) => total + group.figures.count, 0),
      groups,
    };
  }

  return {
    /**
     * Re-scores the latest submitted assessment of every person with a RAS version and adds up
     * what would change. Reads and scores in batches and keeps only totals, so memory stays flat
     * however many people there are; writes nothing.
     */
    async impact(versionId: number): Promise<ImpactReport> {
      const { version, definition } = await versionToModel(versionId);
      const compiled = compileDefinition(definition);
      const assumed = assumedAnswersOf(definition);
      const accumulator = new ImpactAccumulator();
      for await (const batch of latestSubmittedAssessments(db)) {
        for (const row of batch) accumulator.add(row, rescore(compiled, assumed, row));
      }
      return { version, definition, ...(await compared(definition)), figures: accumulator.figures, teams: await teamNames(db) };
    },

    /** One line per person, written as it is worked out so a large council's file is never held whole. */
    async writeImpactCsv(versionId: number, write: (chunk: string) => Promise<void>): Promise<void> {
      const { definition } = await versionToModel(versionId);
      const compiled = compileDefinition(definition);
      const assumed = assumedAnswersOf(definition);
      const teams = await teamNames(db);
      await write(
        csvLine([
          'Reference',
          'Team',
          'Client group',
          'Points now',
          'Points with this version',
          'Budget a year now (£)',
          'Budget a year with this version (£)',
          'Change a year (£)',
          'Note',
        ]),
      );
      for await (const batch of latestSubmittedAssessments(db, { withReference: true })) {
        let chunk = '';
        for (const row of batch) {
          const result = rescore(compiled, assumed, row);
          const notes: string[] = [];
          if (row.eligible === false) notes.push('Not eligible: counted as £0');
          const common = [row.reference ?? '', teams.get(row.teamId) ?? '', groupLabel(impactGroupOf(row)), result.pointsBefore];
          if (!result.ok) {
            chunk += csvLine([
              ...common,
              '',
              poundsForCsv(result.beforePence),
              '',
              '',
              [...notes, `Cannot be re-scored: ${result.reason}`].join('; '),
            ]);
            continue;
          }
          if (result.assumedAnswers > 0)
            notes.push(
              `${result.assumedAnswers} new question${result.assumedAnswers === 1 ? '' : 's'} not yet answered: scored as the lowest option`,
            );
          chunk += csvLine([
            ...common,
            result.pointsAfter,
            poundsForCsv(result.beforePence),
            poundsForCsv(result.afterPence),
            (result.afterPence < result.beforePence ? '-' : '') + poundsForCsv(Math.abs(result.afterPence - result.beforePence)),
            notes.join('; '),
          ]);
        }
        await write(chunk);
      }
    },

    async calibration(user: SignedInUser): Promise<CalibrationReport> {
      if (!canReadReports(user)) throw new ForbiddenError();
      return calibration();
    },

    /**
     * A new draft copied from the published RAS with the price points calibration suggests, by
     * the estimator the admin chose. A group with no approved budgets keeps its current price.
     */
    async createCalibratedDraft(actor: Actor, estimator: Estimator): Promise<number> {
      if (actor.role !== 'admin') throw new ForbiddenError('Only an administrator can change the RAS');
      const report = await calibration();
      if (!report.current) throw new RuleError('There is no published RAS to recalibrate');
      const pricePoints = { ...report.current.definition.pricePoints };
      const changed: Partial<Record<ClientGroup, number>> = {};
      for (const group of report.groups) {
        const suggested = estimator === 'ratio' ? group.figures.ratioPricePence : group.figures.leastSquaresPricePence;
        if (suggested !== null && suggested > 0) {
          pricePoints[group.group] = suggested;
          changed[group.group] = suggested;
        }
      }
      if (Object.keys(changed).length === 0)
        throw new RuleError('There are no approved personal budgets to recalibrate from yet', 'estimator');
      return ras.createDraft(
        actor,
        { ...report.current.definition, name: `${report.current.definition.name} (recalibrated)`, pricePoints },
        {
          basedOnId: report.current.id,
          action: 'ras_draft_created',
          source: { source: 'calibration', estimator: estimatorLabels[estimator], price_points: changed },
        },
      );
    },
  };
}

export type ReportsService = ReturnType<typeof reportsService>;
