import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/ras/cli.js';
import { defaultRasDefinition } from '../../src/ras/default-ras.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliPath = join(repoRoot, 'src/ras/cli.ts');
const fixturesRoot = join(repoRoot, 'test/fixtures/ras');
const fixtures = readdirSync(fixturesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The real command as `npm run ras` runs it (tsx), in the fixture's folder so messages name ras.json. */
async function runRealCli(args: string[], cwd: string): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cliPath, ...args], { cwd });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { exitCode: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface FakeRun extends Run {
  io: CliIo;
}

function fakeIo(files: Record<string, string | NodeJS.ErrnoException>): FakeRun {
  const run: FakeRun = {
    exitCode: -1,
    stdout: '',
    stderr: '',
    io: {
      stdout: (text) => void (run.stdout += text),
      stderr: (text) => void (run.stderr += text),
      readFile: async (path) => {
        const content = files[path];
        if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        if (typeof content !== 'string') throw content;
        return content;
      },
    },
  };
  return run;
}

async function runFake(argv: string[], files: Record<string, string | NodeJS.ErrnoException> = {}): Promise<Run> {
  const run = fakeIo(files);
  const exitCode = await runCli(argv, run.io);
  return { exitCode, stdout: run.stdout, stderr: run.stderr };
}

const defaultRasJson = JSON.stringify(defaultRasDefinition);
const workedExampleAnswers = readFileSync(join(fixturesRoot, '01-older-person-worked-example/answers.json'), 'utf8');

describe('ras score on the worked examples in test/fixtures/ras', () => {
  it('has at least ten worked examples, each with its hand calculation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
    for (const fixture of fixtures) {
      const files = readdirSync(join(fixturesRoot, fixture));
      expect(files, fixture).toEqual(expect.arrayContaining(['ras.json', 'answers.json', 'expected.json', 'README.md']));
    }
  });

  it.concurrent.each(fixtures)('%s', { timeout: 30_000 }, async (fixture) => {
    const folder = join(fixturesRoot, fixture);
    const expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const run = await runRealCli(['score', 'ras.json', 'answers.json'], folder);
    if ('exitCode' in expected) {
      expect({ exitCode: run.exitCode, stderr: run.stderr, stdout: run.stdout }).toEqual({
        exitCode: expected.exitCode,
        stderr: `${String(expected.stderr)}\n`,
        stdout: '',
      });
    } else {
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(0);
      const printed = JSON.parse(run.stdout) as Record<string, unknown>;
      expect(printed).toEqual(expected);
      expect(Object.keys(printed)).toEqual([
        'rawPoints',
        'domainPoints',
        'modifierPercent',
        'annualPence',
        'weeklyPence',
        'belowThreshold',
        'exceedsCeiling',
      ]);
    }
  });
});

describe('ras validate', () => {
  it('lists every problem on stderr, one a line, and exits 2 when run for real', { timeout: 30_000 }, async () => {
    const broken = JSON.parse(defaultRasJson) as { floorPence: number; domains: { questions: { options: unknown[] }[] }[] };
    const firstQuestion = broken.domains[0]?.questions[0];
    if (firstQuestion) firstQuestion.options = [];
    broken.floorPence = -1;
    const run = await runFake(['validate', 'ras.json'], { 'ras.json': JSON.stringify(broken) });
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: "floorPence: The floor must be 0 or more\ndomains[0].questions[0].options: Question 'nutrition' has no options\n",
    });
    const real = await runRealCli(['validate', 'ras.json'], join(fixturesRoot, '19-error-invalid-definition'));
    expect(real).toEqual({ exitCode: 2, stdout: '', stderr: "domains[0].questions[0].options: Question 'nutrition' has no options\n" });
  });

  it('prints ok and exits 0 for a valid definition', async () => {
    expect(await runFake(['validate', 'ras.json'], { 'ras.json': defaultRasJson })).toEqual({ exitCode: 0, stdout: 'ok\n', stderr: '' });
  });

  it('prints the whole-definition problem without a path', async () => {
    expect(await runFake(['validate', 'ras.json'], { 'ras.json': '[]' })).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'The RAS definition must be a JSON object\n',
    });
  });
});

describe('ras command line errors', () => {
  it('scores in-process exactly as the real command does', async () => {
    const run = await runFake(['score', 'ras.json', 'answers.json'], { 'ras.json': defaultRasJson, 'answers.json': workedExampleAnswers });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rawPoints: 83, annualPence: 913_000, weeklyPence: 17_558 });
  });

  it.each<[string, string[], Record<string, string | NodeJS.ErrnoException>, string]>([
    ['a missing file', ['score', 'ras.json', 'answers.json'], {}, 'Cannot read ras.json: no such file\n'],
    [
      'a folder instead of a file',
      ['validate', 'ras'],
      { ras: Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' }) },
      'Cannot read ras: it is a folder, not a file\n',
    ],
    [
      'an unreadable file',
      ['validate', 'ras.json'],
      { 'ras.json': Object.assign(new Error('EACCES'), { code: 'EACCES' }) },
      'Cannot read ras.json: permission denied\n',
    ],
    [
      'answers that are not JSON',
      ['score', 'ras.json', 'answers.json'],
      { 'ras.json': defaultRasJson, 'answers.json': '{ "assessmentType": ' },
      'answers.json is not valid JSON: Unexpected end of JSON input\n',
    ],
    [
      'answers without an assessment type',
      ['score', 'ras.json', 'answers.json'],
      { 'ras.json': defaultRasJson, 'answers.json': '{ "clientGroup": "older_people", "answers": {} }' },
      'answers.json is not a valid set of answers: assessmentType must be "person" or "carer"\n',
    ],
    [
      'an answer that is not text',
      ['score', 'ras.json', 'answers.json'],
      {
        'ras.json': defaultRasJson,
        'answers.json': '{ "assessmentType": "person", "clientGroup": "older_people", "answers": { "nutrition": 12 } }',
      },
      'answers.json is not a valid set of answers: answers.nutrition must be an option key (text)\n',
    ],
    [
      'a definition with several problems',
      ['score', 'ras.json', 'answers.json'],
      { 'ras.json': JSON.stringify({ ...defaultRasDefinition, floorPence: -1, ceilingPence: -1 }), 'answers.json': workedExampleAnswers },
      'ras.json is not a valid RAS definition: The floor must be 0 or more (and 1 more; run "ras validate ras.json" to see them all)\n',
    ],
  ])('prints one line and exits 2 for %s', async (_, argv, files, stderr) => {
    expect(await runFake(argv, files)).toEqual({ exitCode: 2, stdout: '', stderr });
  });

  it('reads a file that starts with a byte order mark', async () => {
    const run = await runFake(['validate', 'ras.json'], { 'ras.json': `\uFEFF${defaultRasJson}` });
    expect(run.exitCode).toBe(0);
  });

  it('names an unknown command and shows the usage', async () => {
    const run = await runFake(['rescore']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(
      [
        "Unknown command 'rescore'",
        'Usage:',
        '  ras score RAS.json ANSWERS.json   print the indicative budget for one set of answers, as JSON',
        '  ras export                        print the published RAS from the database, as a definition',
        '  ras validate RAS.json             check a RAS definition and list every problem',
        '',
      ].join('\n'),
    );
  });

  it('does not treat inherited object names as commands', async () => {
    expect((await runFake(['constructor'])).stderr).toMatch(/^Unknown command 'constructor'\n/);
  });

  it('shows the usage and exits 2 with no command', async () => {
    const run = await runFake([]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^No command given\nUsage:\n/);
  });

  it('shows the usage on stdout and exits 0 when asked for help', async () => {
    const run = await runFake(['--help']);
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage:\n {2}ras score/);
  });

  it.each([
    [['score', 'ras.json'], 'Usage: ras score RAS.json ANSWERS.json   print the indicative budget for one set of answers, as JSON\n'],
    [['score', 'a', 'b', 'c'], 'Usage: ras score RAS.json ANSWERS.json   print the indicative budget for one set of answers, as JSON\n'],
    [['validate'], 'Usage: ras validate RAS.json             check a RAS definition and list every problem\n'],
  ])('shows the command usage and exits 2 for the wrong number of files: %j', async (argv, stderr) => {
    expect(await runFake(argv)).toEqual({ exitCode: 2, stdout: '', stderr });
  });
});
