import { existsSync } from 'node:fs';
import { type RetentionCount, runRetention } from '../../jobs/retentionJob.js';
import {
  type CliCommand,
  RefusedError,
  UsageError,
  withReadOnlyStore,
  withWritableStore,
} from './cliContext.js';

function describeCount(c: RetentionCount): string {
  const parts = [
    c.redacted ? `${c.redacted} with personal data removed` : '',
    c.deleted ? `${c.deleted} deleted` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `  ${c.collection}: ${parts || 'nothing'} (${c.describe})`;
}

/** `retention [--dry-run]`: the purge the daily job runs, now; counts by kind, never the data. */
export const retentionCommand: CliCommand = {
  usage: 'retention [--dry-run]',
  options: { 'dry-run': { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
    if (!existsSync(ctx.config.dbPath))
      throw new RefusedError(`There is no database at ${ctx.config.dbPath}`);
    const dryRun = ctx.values['dry-run'] === true;
    const opts = { asOf: ctx.asOf, retentionYears: ctx.config.retentionYears, dryRun };
    const result = dryRun
      ? await withReadOnlyStore(ctx, (store) => runRetention(store, opts))
      : await withWritableStore(ctx, (store) => runRetention(store, opts));
    const shown = result.counts.filter((c) => c.redacted + c.deleted > 0);
    ctx.io.out(
      `${dryRun ? 'Dry run, nothing written: would remove' : 'Removed'} personal data older than ${ctx.config.retentionYears} years (dated before ${result.keptFrom}) from ${result.total} records.`,
    );
    for (const c of shown) ctx.io.out(describeCount(c));
    return 0;
  },
};
