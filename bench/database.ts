import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.js';
import { createDb } from '../src/db/knex.js';

/**
 * Its own server and data directory, so a bench never touches the app's or the tests' data.
 * BENCH_POSTGRES_PORT lets two checkouts bench at once, each with its own server.
 */
const benchEnvironment = z.object({
  BENCH_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(54345),
});
const benchDataDir = path.resolve('.data/bench-postgres');

/**
 * DATABASE_URL when set, else a database of the benches' own embedded server. The generated
 * council is kept between runs (seeding 100,000 people takes minutes), one database per size.
 */
export async function openBenchDatabase(name = 'selfdirect_bench'): Promise<{ db: Knex; url: string; server?: EmbeddedServer }> {
  if (process.env.DATABASE_URL) return { db: createDb(process.env.DATABASE_URL), url: process.env.DATABASE_URL };
  const { BENCH_POSTGRES_PORT: port } = benchEnvironment.parse(process.env);
  const server = await startEmbeddedPostgres({ dataDir: benchDataDir, port });
  await server.createDatabase(name);
  const url = server.url(name);
  return { db: createDb(url), url, server };
}

export function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}
