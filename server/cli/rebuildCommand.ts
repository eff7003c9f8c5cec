import { basename } from 'node:path';
import { BackupRefusedError } from '../../jobs/backupFormat.js';
import { rebuildFromLog } from '../../jobs/rebuildJob.js';
import { type CliCommand, RefusedError, UsageError } from './cliContext.js';

/** `rebuild --from-log`: a database whose file is damaged, rebuilt from its intact audit log. */
export const rebuildCommand: CliCommand = {
  usage: 'rebuild --from-log',
  options: { 'from-log': { type: 'boolean' } },
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
    if (!ctx.values['from-log']) throw new UsageError('Say where to rebuild from: --from-log');
    const r = await rebuildFromLog(ctx.config.dbPath).catch((err) => {
      throw err instanceof BackupRefusedError ? new RefusedError(`${err.message}.`) : err;
    });
    ctx.io.out(
      `Rebuilt ${ctx.config.dbPath} from its audit log: ${r.base ? `started from the backup ${basename(r.base)} (entry ${r.baseSeq})` : 'started from an empty database'} and replayed ${r.replayed} entries, up to entry ${r.head}.`,
    );
    if (r.replacedCopy) ctx.io.out(`The file it replaced is kept in ${r.replacedCopy}.`);
    if (r.replacedHead !== null && r.replacedHead > r.head)
      ctx.io.err(
        `The file it replaced recorded changes up to entry ${r.replacedHead}; those after entry ${r.head} are not in the log, so they are not in the rebuilt database.`,
      );
    if (r.lostSecrets.length)
      ctx.io.err(
        `Set since the backup, these passwords or tokens are held in the log only as fingerprints, so they no longer work: reset the passwords (Users page) and create the tokens again: ${r.lostSecrets.map((s) => s.label).join(', ')}.`,
      );
    return 0;
  },
};
