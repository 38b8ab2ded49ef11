export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Times each contender once per round, taking turns, so a machine that slows down part-way
 * (other work on a shared machine) slows them alike; gives each one's milliseconds per round.
 */
export async function alternate<Name extends string>(
  rounds: number,
  contenders: Record<Name, () => unknown>,
): Promise<Record<Name, number[]>> {
  const names = Object.keys(contenders) as Name[];
  const timings = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<Name, number[]>;
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) {
      const started = performance.now();
      await contenders[name]();
      timings[name].push(performance.now() - started);
    }
  }
  return timings;
}
