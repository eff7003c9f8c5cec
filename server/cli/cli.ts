import { parseArgs } from 'node:util';
import { isValidIsoDate, londonDate } from '../../checks/londonDates.js';
import { DatabaseLockedError } from '../../data/store/writerLock.js';
import { ConfigError, loadConfig } from '../config.js';
import { ImportRefusedError, formatRowErrors } from '../services/importPlan.js';
import { type CliCommand, type CliContext, UsageError, commands } from './commands.js';

const USAGE = `Usage: npx dueregard <command> [options]

Global options: --db PATH (default $DUEREGARD_DB, else var/dueregard.json), --as-of YYYY-MM-DD

Commands:
${Object.values(commands)
  .map((c) => `  ${c.usage}`)
  .join('\n')}

Exit codes: 0 done; 1 refused input (nothing written); 2 usage error; 3 the database is held by another process.`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  isTty: boolean;
  /** Environment for configuration; process.env when omitted. */
  env?: NodeJS.ProcessEnv;
}

/** Runs one CLI command; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [first, second] = argv;
  if (!first || first === '--help' || first === 'help') {
    (first ? io.out : io.err)(USAGE);
    return first ? 0 : 2;
  }
  const twoWord = `${first} ${second ?? ''}`.trim();
  const entry: [string, CliCommand] | undefined =
    (commands[twoWord] ? [twoWord, commands[twoWord]] : undefined) ??
    (commands[first] ? [first, commands[first]] : undefined);
  if (!entry) {
    io.err(`Unknown command "${first}".\n\n${USAGE}`);
    return 2;
  }
  const [name, command] = entry;
  const rest = argv.slice(name.split(' ').length);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { db: { type: 'string' }, 'as-of': { type: 'string' }, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    const asOfRaw = values['as-of'] as string | undefined;
    if (asOfRaw !== undefined && !isValidIsoDate(asOfRaw))
      throw new UsageError(`--as-of must be a date like 2026-03-14, not "${asOfRaw}"`);
    const config = loadConfig(io.env ?? undefined, values.db ? { dbPath: values.db as string } : {});
    const ctx: CliContext = {
      config,
      values: values as Record<string, unknown>,
      positionals,
      asOf: asOfRaw ?? londonDate(new Date()),
      io,
    };
    return await command.run(ctx);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(err as Error).message}\nUsage: npx dueregard ${command.usage}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      io.err(err.message);
      return 2;
    }
    if (err instanceof DatabaseLockedError) {
      io.err(err.message);
      return 3;
    }
    if (err instanceof ImportRefusedError) {
      io.err(`${err.message}; nothing was written.\n${formatRowErrors(err.errors)}`);
      return 1;
    }
    if ((err as { refused?: boolean }).refused) {
      io.err((err as Error).message);
      return 1;
    }
    io.err(`Error: ${(err as Error).message}`);
    return 1;
  }
}
