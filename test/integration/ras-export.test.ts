import { londonToday } from '../../src/clock.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';
import { scoreAssessment } from '../../src/ras/engine.js';
import { findRasVersionInForce, loadRasDefinition } from '../../src/ras/repo.js';
import { ensureDefaultRas, exportPublishedDefinition } from '../../src/ras/service.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { testClock } from '../support/app.js';

const run = promisify(execFile);
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await ensureDefaultRas(t.db, testClock());
});
afterAll(() => t.drop());

describe('ras export', () => {
  it('publishes the default RAS once on an empty database', async () => {
    expect(await ensureDefaultRas(t.db, testClock())).toBe(false);
    const versions = await t.db('ras_versions').select('status');
    expect(versions).toEqual([{ status: 'published' }]);
  });

  it('reads the stored version back as exactly the definition that was stored', async () => {
    expect(await exportPublishedDefinition(t.db, testClock())).toEqual(defaultRasDefinition);
  });

  it('prints the published RAS from the database, and the exported file scores exactly like the stored version', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/ras/cli.ts', 'export'], {
      env: { ...process.env, DATABASE_URL: t.url, NODE_ENV: 'test' },
    });
    const exported = JSON.parse(stdout);
    const published = await findRasVersionInForce(t.db, londonToday(testClock()));
    const stored = await loadRasDefinition(t.db, published?.id ?? 0);
    expect(exported).toEqual(stored);

    const folder = mkdtempSync(path.join(tmpdir(), 'ras-export-'));
    writeFileSync(path.join(folder, 'ras.json'), stdout);
    const answers = {
      assessmentType: 'person',
      clientGroup: 'learning_disability',
      answers: Object.fromEntries([
        ...defaultRasDefinition.domains.flatMap((domain) =>
          domain.questions.map((question) => [question.key, question.options.at(-1)?.key]),
        ),
        ['informal_support', 'some'],
      ]),
    };
    writeFileSync(path.join(folder, 'answers.json'), JSON.stringify(answers));
    const scored = await run(process.execPath, [
      '--import',
      'tsx',
      'src/ras/cli.ts',
      'score',
      path.join(folder, 'ras.json'),
      path.join(folder, 'answers.json'),
    ]);
    const fromDatabase = scoreAssessment(stored ?? defaultRasDefinition, answers as never, { explain: false });
    const { explanation: _explanation, ...expected } = fromDatabase;
    expect(JSON.parse(scored.stdout)).toEqual(expected);
  });

  it('refuses a change to a published version in the database itself', async () => {
    const published = await findRasVersionInForce(t.db, londonToday(testClock()));
    await expect(t.db('ras_versions').where({ id: published?.id }).update({ minimum_points: 1 })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_options').where({ ras_version_id: published?.id }).update({ points: 99 })).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_price_points').where({ ras_version_id: published?.id }).delete()).rejects.toThrow(/cannot be changed/);
    await expect(t.db('ras_versions').where({ id: published?.id }).delete()).rejects.toThrow(/cannot be deleted/);
  });
});
