import { loadConfig } from '../config.js';
import { openDatabaseForCommand } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { RasDefinition } from './definition.js';
import { exportPublishedDefinition } from './service.js';

/** Kept apart from cli.ts so that scoring and validating never load the database layer. */
export async function exportFromDatabase(): Promise<RasDefinition | undefined> {
  const config = loadConfig();
  const database = await openDatabaseForCommand({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedPostgresPort,
  });
  try {
    await migrateToLatest(database.db);
    return await exportPublishedDefinition(database.db);
  } finally {
    await database.close();
  }
}
