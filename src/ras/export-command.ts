import { systemClock } from '../clock.js';
import { withCommandDatabase } from '../db/database.js';
import type { RasDefinition } from './definition.js';
import { exportPublishedDefinition } from './service.js';

/** Kept apart from cli.ts so that scoring and validating never load the database layer. */
export function exportFromDatabase(): Promise<RasDefinition | undefined> {
  return withCommandDatabase((db) => exportPublishedDefinition(db, systemClock));
}
