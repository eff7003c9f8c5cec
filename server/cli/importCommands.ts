import { basename } from 'node:path';
import type { ImportKind } from '../../data/schemas/importSchemas.js';
import type { ImportOptions } from '../imports/importKinds.js';
import { applyImport, describeImport, planImport, readImport, sha256Of } from '../imports/importService.js';
import {
  type CliCommand,
  type CliContext,
  dryRunOption,
  printCounts,
  readInputFile,
  UsageError,
  withWritableStore,
} from './cliContext.js';

/** Reads `--la` (repeatable): each must name something. */
function laOption(ctx: CliContext, what: string): string[] {
  const la = ((ctx.values.la as string[] | undefined) ?? []).map((s) => s.trim());
  if (la.some((s) => s === '')) throw new UsageError(`--la needs ${what}`);
  return la;
}

/**
 * `import KIND FILE`: through the import service the browser uses too. The file is read (and a bad one
 * refused) before the database is opened; `--dry-run` is the preview, writing nothing.
 */
function importCommand(
  kind: ImportKind,
  usage: string,
  options: CliCommand['options'],
  extra: (ctx: CliContext) => Partial<ImportOptions> = () => ({}),
): CliCommand {
  return {
    usage,
    options: { ...dryRunOption, ...options },
    async run(ctx) {
      const bytes = readInputFile(ctx, usage);
      const dryRun = Boolean(ctx.values['dry-run']);
      // Progress goes to stderr and only to a terminal, so piped output stays just the counts.
      const progress = ctx.io.isTty ? (message: string) => ctx.io.err(message) : undefined;
      const opts: ImportOptions = {
        la: [],
        source: null,
        today: ctx.asOf,
        spocPhases: ctx.config.spocPhases,
        progress,
        ...extra(ctx),
      };
      const read = readImport(kind, bytes, opts);
      const planned = await withWritableStore(ctx, (store) =>
        dryRun
          ? Promise.resolve(planImport(store, kind, read, opts))
          : applyImport(store, kind, read, opts, {
              actor: 'cli',
              via: 'command line',
              filename: basename(ctx.positionals[0]!),
              size: bytes.length,
              sha256: sha256Of(bytes),
            }),
      );
      const { lead, notes } = describeImport(kind, planned.result, !dryRun);
      for (const line of lead) ctx.io.out(line);
      printCounts(ctx, planned.result, dryRun);
      for (const line of notes) ctx.io.out(line);
      return 0;
    },
  };
}

export const importCommands: Record<string, CliCommand> = {
  'import premises': importCommand('premises', 'import premises FILE [--dry-run]', {}),
  'import bookings': importCommand('bookings', 'import bookings FILE [--dry-run]', {}),
  'import watchlist': importCommand(
    'watchlist',
    'import watchlist FILE [--source TEXT] [--dry-run]',
    { source: { type: 'string' } },
    (ctx) => {
      const source = (ctx.values.source as string | undefined)?.trim();
      if (ctx.values.source !== undefined && !source) throw new UsageError('--source needs some text');
      return { source: source ?? null, listAsOf: ctx.values['as-of'] as string | undefined };
    },
  ),
  'import libraries': importCommand(
    'libraries',
    'import libraries FILE [--la NAME]... [--dry-run]',
    { la: { type: 'string', multiple: true } },
    (ctx) => ({ la: laOption(ctx, 'a library service name, like Barnet') }),
  ),
  'import schools': importCommand(
    'schools',
    'import schools FILE [--la CODE|NAME]... [--dry-run]',
    { la: { type: 'string', multiple: true } },
    (ctx) => ({ la: laOption(ctx, 'a local authority code or name') }),
  ),
  'import training': importCommand('training', 'import training FILE [--dry-run]', {}),
};
