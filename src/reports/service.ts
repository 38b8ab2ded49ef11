import type { Knex } from 'knex';
import { recordLookedAt } from '../audit/looked-at.js';
import type { Actor, SignedInUser } from '../auth/roles.js';
import { ForbiddenError, RuleError } from '../errors.js';
import { pricedClientGroups, type PricedClientGroup, type RasDefinition } from '../ras/definition.js';
import { compileDefinition, roundHalfUp } from '../ras/engine.js';
import { loadRasDefinition, type RasVersionListing } from '../ras/repo.js';
import type { RasService } from '../ras/service.js';
import { calibrationFigures, estimatorLabels, type CalibrationFigures, type Estimator } from './calibration.js';
import {
  assumedAnswersOf,
  ImpactAccumulator,
  modelledVersionOf,
  rescore,
  rescoreGroup,
  type ImpactFigures,
  type ImpactRow,
  type Rescored,
} from './impact.js';
import { calibrationBands, calibrationPoints, calibrationSums, impactGroups, latestSubmittedAssessments, teamNames } from './repo.js';

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

export type RescoredPerson = { row: ImpactRow; result: Rescored };

export type ImpactReport = {
  version: RasVersionListing;
  definition: RasDefinition;
  /** The published version the stored budgets mostly come from; null when nothing is published. */
  current: { id: number; name: string } | null;
  added: QuestionRef[];
  removed: QuestionRef[];
  figures: ImpactFigures;
  teams: Map<number, string>;
};

export type CalibrationGroup = {
  group: PricedClientGroup;
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

/**
 * `reportingDb` takes the long reads over every person (a read replica when the council runs one);
 * RAS versions are read from `db`, so a draft saved a moment ago can be modelled before the
 * replica has it, and the audit trail is written there.
 */
export function reportsService(db: Knex, ras: RasService, reportingDb: Knex = db) {
  async function versionToModel(versionId: number) {
    const { row, definition } = await ras.version(versionId);
    return { version: row, definition };
  }

  async function compared(definition: RasDefinition) {
    const published = await ras.current();
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
    const published = await ras.current();
    const definition = published ? await loadRasDefinition(db, published.id) : undefined;
    const [sums, points, bands] = await Promise.all([
      calibrationSums(reportingDb),
      calibrationPoints(reportingDb, SCATTER_POINTS_PER_GROUP),
      calibrationBands(reportingDb, CALIBRATION_BAND_POINTS),
    ]);
    const groups = pricedClientGroups.map((group): CalibrationGroup => {
      const figures = calibrationFigures(
        sums.find((candidate) => candidate.clientGroup === group) ?? {
          count: 0,
          sumIndicativePence: 0n,
          sumApprovedPence: 0n,
          sumX: 0n,
          sumXApproved: 0n,
          sumXSquared: 0n,
        },
      );
      const price = definition?.pricePoints[group] ?? null;
      const groupPoints = points.filter((point) => point.clientGroup === group);
      return {
        group,
        figures,
        currentPricePence: price,
        points: groupPoints.map((point) => ({ x: point.x / 100, approvedPence: point.approvedPence })),
        sampled: groupPoints.length < figures.count,
        bands: bands
          .filter((band) => band.clientGroup === group)
          .map((band) => ({
            fromPoints: band.band * CALIBRATION_BAND_POINTS,
            toPoints: band.band * CALIBRATION_BAND_POINTS + CALIBRATION_BAND_POINTS - 1,
            count: band.count,
            meanApprovedPence: Number(roundHalfUp(band.sumApprovedPence, BigInt(band.count))),
            // What the current price gives at the band's average points: price * (sum x / 100) / count.
            currentRasPence: price === null ? null : Number(roundHalfUp(BigInt(price) * band.sumX, 100n * BigInt(band.count))),
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
      async function modelled() {
        const accumulator = new ImpactAccumulator();
        for (const group of await impactGroups(reportingDb, modelledVersionOf(compiled, assumed)))
          accumulator.add(group, rescoreGroup(compiled, assumed, group), group.people);
        return accumulator.figures;
      }
      // The small reads go alongside the long one rather than after it.
      const [comparison, figures, teams] = await Promise.all([compared(definition), modelled(), teamNames(reportingDb)]);
      return { version, definition, ...comparison, figures, teams };
    },

    /**
     * Each person's latest assessment scored again under a draft RAS, batch by batch, for the
     * one-row-per-person CSV file: each batch is written before the next is read, so a large
     * council's file is never held whole. The download is recorded in the audit trail.
     */
    async rescoredPeople(
      actor: Actor,
      versionId: number,
    ): Promise<{ teams: Map<number, string>; batches: AsyncGenerator<RescoredPerson[]> }> {
      await recordLookedAt(db, actor, { action: 'ras_impact_downloaded', entityType: 'ras_version', entityId: versionId });
      const { definition } = await versionToModel(versionId);
      const compiled = compileDefinition(definition);
      const assumed = assumedAnswersOf(definition);
      async function* batches() {
        for await (const batch of latestSubmittedAssessments(reportingDb, compiled.answerKeys, { withReference: true })) {
          yield batch.map((row) => ({ row, result: rescore(compiled, assumed, row) }));
        }
      }
      return { teams: await teamNames(reportingDb), batches: batches() };
    },

    /**
     * A report table taken away as a file: who took which, and with what filter, goes in the audit
     * trail, as the figures (and a list's names) leave the council's screens. Called once the
     * table has been read, so the read's own permission check has already let the user see it.
     */
    async recordDownload(actor: Actor, report: string, filter: Record<string, unknown> = {}): Promise<void> {
      await recordLookedAt(db, actor, { action: 'report_downloaded', entityType: 'report', entityId: report, after: filter });
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
      if (!report.current) throw new RuleError('There is no published RAS to recalibrate', 'estimator');
      const pricePoints = { ...report.current.definition.pricePoints };
      const changed: Partial<Record<PricedClientGroup, number>> = {};
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
