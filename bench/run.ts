/** `npm run bench -- NAME` runs one bench; no name, or a name not listed here, runs them all. */
export const benches: Record<string, () => Promise<number>> = {
  ras: () => import('./ras.js').then((bench) => bench.benchRas()),
  impact: () => import('./impact.js').then((bench) => bench.benchImpact()),
};

const requested = process.argv[2];
const isKnown = requested !== undefined && Object.hasOwn(benches, requested);
if (requested !== undefined && !isKnown) {
  console.log(`No bench called '${requested}', so running them all: ${Object.keys(benches).join(', ')}`);
}
for (const name of isKnown ? [requested] : Object.keys(benches)) {
  await benches[name]?.();
}
