import { MoveRefusedError, moveToPostgres } from '../../jobs/moveToPostgres.js';
import { type CliCommand, RefusedError, UsageError } from './cliContext.js';

const count = (n: number) => n.toLocaleString('en-GB');

/**
 * `move-to-postgres` (SPEC §14): with DATABASE_URL set, copies the file store named by --db into an empty
 * PostgreSQL database, checks the copy, and says what it moved in plain words.
 */
export const moveToPostgresCommand: CliCommand = {
  usage: 'move-to-postgres --db FILE (with DATABASE_URL set)',
  async run(ctx) {
    if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
    const url = ctx.config.databaseUrl;
    if (!url) throw new UsageError('Set DATABASE_URL to the PostgreSQL database to move into');
    let r: Awaited<ReturnType<typeof moveToPostgres>>;
    try {
      r = await moveToPostgres(ctx.config.dbPath, url);
    } catch (err) {
      if (err instanceof MoveRefusedError) throw new RefusedError(err.message);
      throw err;
    }
    const out = ctx.io.out;
    out(`Moved ${ctx.config.dbPath} into PostgreSQL and checked the copy:`);
    out(
      `  ${count(r.records)} records (${r.collections.map((c) => `${c.collection} ${count(c.records)}`).join(', ')}), each the same as in the file`,
    );
    out(`  ${count(r.auditEntries)} audit log entries: the chain verifies and ends where the file's did`);
    out(`  ${count(r.subjectKeys)} keys sealing personal data in the audit log`);
    out(`  ${count(r.reminderLogLines)} reminder log lines (nothing already sent goes again)`);
    out(
      `  ${count(r.evidenceFiles)} evidence files (${(r.evidenceBytes / 1024).toFixed(1)} kB), each matching the fingerprint recorded at upload`,
    );
    out(`  ${count(r.archiveYears)} years of archive, each the same as its file`);
    out(
      'The file store was only read and is unchanged. Start the server with DATABASE_URL set to use PostgreSQL;',
    );
    out('each instance keeps a copy of the archives beside its own DUEREGARD_DB, taken from PostgreSQL.');
    return 0;
  },
};
