import { ConfigError, loadConfig } from '../config.js';
import { BackupError, backUp, restore } from './backup.js';
import { describeStartupFailure } from './errors.js';

/** `npm run backup [-- FILE]` and `npm run restore -- FILE`. Any failure is one line on stderr and exit code 1. */
async function run(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === 'backup') {
      if (args.length > 1) return usage('npm run backup [-- FILE]');
      const { file, bytes } = await backUp(loadConfig(), args[0]);
      process.stdout.write(`Backed up to ${file} (${formatSize(bytes)})\n`);
      return 0;
    }
    if (command === 'restore') {
      const [file] = args;
      if (file === undefined || args.length !== 1) return usage('npm run restore -- FILE');
      const restored = await restore(loadConfig(), file);
      process.stdout.write(`Restored ${file} into the database ${restored.database} (${restored.tables} tables)\n`);
      return 0;
    }
    return usage('npm run backup [-- FILE]   or   npm run restore -- FILE');
  } catch (error) {
    const known = error instanceof BackupError || error instanceof ConfigError;
    const message = known ? error.message : describeStartupFailure(error, process.env.DATABASE_URL ?? '');
    const line = known ? message : `${command === 'restore' ? 'Restore' : 'Backup'} failed: ${message}`;
    process.stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

function usage(text: string): number {
  process.stderr.write(`Usage: ${text}\n`);
  return 1;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

process.exitCode = await run(process.argv.slice(2));
