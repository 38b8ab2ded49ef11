import { uptake } from '../dashboard/figures.js';
import type { Dashboard } from '../dashboard/service.js';
import { clientGroupLabels } from '../people/client-groups.js';
import { formatDate } from '../web/format.js';
import type { TableCell, TableHead } from '../web/view-models.js';
import { nationalUptakeTargets, shortOfNational } from './national-targets.js';

export const nationalTargetHeading = (target: (typeof nationalUptakeTargets)[number]) => `${target.percent}% by ${formatDate(target.by)}`;

type Counts = { label: string; eligible: number; withBudget: number };

/** Each line of the uptake table, with, for each national target, whether it is met or how many people short. */
export function nationalTargetLines(dashboard: Dashboard): Counts[] {
  return [
    ...dashboard.byGroup.map((line) => ({
      label: clientGroupLabels[line.clientGroup],
      eligible: line.eligible,
      withBudget: line.withBudget,
    })),
    { label: 'All', eligible: dashboard.overall.eligible, withBudget: dashboard.overall.withBudget },
  ];
}

export function nationalTargetsView(dashboard: Dashboard) {
  const head: TableHead[] = [
    { text: 'Client group' },
    { text: 'Share with an active personal budget', numeric: true },
    ...nationalUptakeTargets.map((target) => ({ text: nationalTargetHeading(target) })),
  ];
  return {
    caption: 'Personal budget uptake against the national targets',
    head,
    rows: nationalTargetLines(dashboard).map((line): TableCell[] => {
      const share = uptake(line.eligible, line.withBudget, null).percent;
      return [
        { text: line.label },
        { text: share === null ? 'No one eligible' : `${share}%`, numeric: true },
        ...nationalUptakeTargets.map((target): TableCell => {
          const short = shortOfNational(line, target.percent);
          if (short === null) return { text: '' };
          return short === 0 ? { tag: { text: 'Met', colour: 'green' } } : { tag: { text: `${short} short`, colour: 'orange' } };
        }),
      ];
    }),
  };
}
