import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

// A bench runs without --expose-gc; the flag set now makes gc() available to a new context.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * Times each contender once per round, taking turns, so a machine that slows down part-way
 * (other work on a shared machine) slows them alike; gives each one's milliseconds per round.
 * Each starts after the garbage left by the one before is collected, so that one's 100,000 rows
 * are never counted against the next.
 */
export async function alternate<Name extends string>(
  rounds: number,
  contenders: Record<Name, () => unknown>,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(contenders) as Name[];
  const timings = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      collectGarbage();
      const started = performance.now();
      await contenders[name]();
      timings[name].push(performance.now() - started);
    }
  }
  return timings;
}
