/**
 * `npm run bench -- NAME [options]` runs one bench; no name, or a name not listed here, runs them
 * all. Options after the name go to that bench (`npm run bench -- pages --people 5000 --seconds 3`).
 */
export const benches: Record<string, () => Promise<number>> = {
  ras: () => import('./ras.js').then((bench) => bench.benchRas()),
  impact: () => import('./impact.js').then((bench) => bench.benchImpact()),
  pages: () => import('./pages.js').then((bench) => bench.benchPages(isKnown ? process.argv.slice(3) : [])),
};

const requested = process.argv[2];
const isKnown = requested !== undefined && Object.hasOwn(benches, requested);
if (requested !== undefined && !isKnown) {
  console.log(`No bench called '${requested}', so running them all: ${Object.keys(benches).join(', ')}`);
}
for (const name of isKnown ? [requested] : Object.keys(benches)) {
  await benches[name]?.();
}
