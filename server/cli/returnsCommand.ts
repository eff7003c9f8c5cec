import type { Store } from '../../data/store/store.js';
import { createServices } from '../services/createServices.js';
import { type CliCommand, UsageError, withReadOnlyStore, withWritableStore } from './cliContext.js';

/**
 * `returns send [--dry-run]`: the schools' annual return to every school in SPOC scope whose link is not
 * still in date, as the schools page's "send to every school" does. Exit 1 when any email was not taken.
 */
export const returnsSendCommand: CliCommand = {
  usage: 'returns send [--dry-run]',
  options: { 'dry-run': { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
    const dryRun = Boolean(ctx.values['dry-run']);
    const go = async (store: Store) => {
      const services = createServices(store, ctx.config, 'the CLI has no sessions');
      try {
        return await services.returnSending.send('cli', { dryRun });
      } finally {
        services.reminders.close();
      }
    };
    // Sending takes the writer lock (exit 3 while the server runs: send from the schools page then).
    const outcome = dryRun ? await withReadOnlyStore(ctx, go) : await withWritableStore(ctx, go);
    const line = (name: string, urn: string, what: string) => `  ${name} (${urn}): ${what}`;
    ctx.io.out(
      `${dryRun ? 'Dry run, nothing sent: would send' : 'Sent'} the annual return to ${outcome.sent.length} ${outcome.sent.length === 1 ? 'school' : 'schools'}.`,
    );
    for (const s of outcome.sent) ctx.io.out(line(s.school.name, s.school.urn, s.to.join(', ')));
    if (outcome.notSent.length) ctx.io.out(`Not sent (${outcome.notSent.length}):`);
    for (const s of outcome.notSent) ctx.io.out(line(s.school.name, s.school.urn, s.reason));
    if (outcome.skipped.length) ctx.io.out(`Left out, link still in date (${outcome.skipped.length}):`);
    for (const s of outcome.skipped) ctx.io.out(line(s.school.name, s.school.urn, s.reason));
    if (outcome.failed.length === 0) return 0;
    ctx.io.err(`The mail server did not accept ${outcome.failed.length}:`);
    for (const f of outcome.failed) ctx.io.err(line(f.school.name, f.school.urn, `${f.to}: ${f.error}`));
    return 1;
  },
};
