import { readFile, realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { formatPath, rasAnswersSchema, validateDefinition, type RasDefinition } from './definition.js';
import { RasScoringError, scoreAssessment } from './engine.js';
import { describeFileError } from '../file-errors.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
}

interface Command {
  usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Bad input and wrong usage alike: scripts only need to tell success from failure. */
const failureExitCode = 2;

/** A failure the user can fix, reported as one line on stderr. */
class BadInput extends Error {}

const commands = new Map<string, Command>([
  [
    'score',
    {
      usage: 'ras score RAS.json ANSWERS.json   print the indicative budget for one set of answers, as JSON',
      async run(args, io) {
        const [rasPath, answersPath] = args;
        if (rasPath === undefined || answersPath === undefined || args.length !== 2) {
          return wrongArguments(io, 'score');
        }
        const definition = await readDefinition(rasPath, io);
        const answersInput = await readJson(answersPath, io);
        const answers = rasAnswersSchema.safeParse(answersInput);
        if (!answers.success) {
          const [first] = answers.error.issues;
          const where = first === undefined || first.path.length === 0 ? '' : `${formatPath(first.path)} `;
          throw new BadInput(`${answersPath} is not a valid set of answers: ${where}${first?.message ?? ''}`.trimEnd());
        }
        try {
          const result = scoreAssessment(definition, answers.data, { explain: false });
          const { rawPoints, domainPoints, modifierPercent, annualPence, weeklyPence, belowThreshold, exceedsCeiling } = result;
          const printed = { rawPoints, domainPoints, modifierPercent, annualPence, weeklyPence, belowThreshold, exceedsCeiling };
          io.stdout(`${JSON.stringify(printed, null, 2)}\n`);
          return 0;
        } catch (error) {
          if (error instanceof RasScoringError) throw new BadInput(`Cannot score ${answersPath}: ${error.message}`);
          throw error;
        }
      },
    },
  ],
  [
    'export',
    {
      usage: 'ras export                        print the published RAS from the database, as a definition',
      async run(args, io) {
        if (args.length !== 0) return wrongArguments(io, 'export');
        const { exportFromDatabase } = await import('./export-command.js');
        const definition = await exportFromDatabase();
        if (definition === undefined) throw new BadInput('The database has no published RAS');
        io.stdout(`${JSON.stringify(definition, null, 2)}\n`);
        return 0;
      },
    },
  ],
  [
    'validate',
    {
      usage: 'ras validate RAS.json             check a RAS definition and list every problem',
      async run(args, io) {
        const [rasPath] = args;
        if (rasPath === undefined || args.length !== 1) return wrongArguments(io, 'validate');
        const validation = validateDefinition(await readJson(rasPath, io));
        if (validation.ok) {
          io.stdout('ok\n');
          return 0;
        }
        for (const problem of validation.problems) {
          io.stderr(`${problem.path === '' ? '' : `${problem.path}: `}${problem.message}\n`);
        }
        return failureExitCode;
      },
    },
  ],
]);

function usage(): string {
  return ['Usage:', ...[...commands.values()].map((command) => `  ${command.usage}`)].join('\n');
}

function wrongArguments(io: CliIo, commandName: string): number {
  const command = commands.get(commandName);
  io.stderr(`Usage: ${command?.usage ?? commandName}\n`);
  return failureExitCode;
}

async function readJson(path: string, io: CliIo): Promise<unknown> {
  let text: string;
  try {
    text = await io.readFile(path);
  } catch (error) {
    throw new BadInput(`Cannot read ${path}: ${describeFileError(error)}`);
  }
  try {
    // A byte order mark from a Windows editor is not JSON but is not the user's mistake either.
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new BadInput(`${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readDefinition(path: string, io: CliIo): Promise<RasDefinition> {
  const validation = validateDefinition(await readJson(path, io));
  if (validation.ok) return validation.definition;
  const [first, ...others] = validation.problems;
  const more = others.length === 0 ? '' : ` (and ${others.length} more; run "ras validate ${path}" to see them all)`;
  throw new BadInput(`${path} is not a valid RAS definition: ${first?.message ?? 'unknown problem'}${more}`);
}

/** Returns the exit code: 0 on success, 2 for bad input or usage. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [commandName, ...args] = argv;
  if (commandName === '--help' || commandName === 'help') {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  const command = commandName === undefined ? undefined : commands.get(commandName);
  if (command === undefined) {
    io.stderr(`${commandName === undefined ? 'No command given' : `Unknown command '${commandName}'`}\n${usage()}\n`);
    return failureExitCode;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (!(error instanceof BadInput)) throw error;
    io.stderr(`${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return failureExitCode;
  }
}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
};

const scriptPath = process.argv[1];
const runDirectly = scriptPath !== undefined && (await realpath(scriptPath).catch(() => scriptPath)) === fileURLToPath(import.meta.url);
if (runDirectly) {
  process.exitCode = await runCli(process.argv.slice(2), nodeIo);
}
