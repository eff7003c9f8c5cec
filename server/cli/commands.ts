import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { computeFlags } from '../../checks/flags/computeFlags.js';
import { formatDateTime } from '../../checks/londonDates.js';
import { verifyAuditChain } from '../../data/store/auditLog.js';
import { openStore } from '../../data/store/openStore.js';
import type { Store } from '../../data/store/store.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import { runArchive } from '../../jobs/archiveJob.js';
import {
  BackupRefusedError,
  DEFAULT_KEEP,
  ERASED_BACKUP_KEEP_DAYS,
  restoreBackup,
  runBackup,
} from '../../jobs/backupJob.js';
import { migratePg } from '../../data/pg/pgMigrations.js';
import { createPgPool, type PgPool } from '../../data/pg/pgPool.js';
import { restorePgBackup, runPgBackup } from '../../jobs/pgBackup.js';
import { createServices } from '../services/createServices.js';
import { DEMO_PASSWORD, setUpDemo } from '../services/demoSetup.js';
import { periodOf } from '../../checks/report/reportPeriod.js';
import { createAuditService } from '../services/auditService.js';
import { createHirerExportService } from '../services/hirerExport.js';
import {
  buildReportWithArchive,
  periodProblem,
  renderReport,
  reportFormats,
  type ReportFormat,
} from '../services/report/reportService.js';
import {
  type CliCommand,
  dryRunOption,
  RefusedError,
  UsageError,
  withReadOnlyStore,
  withWritableStore,
} from './cliContext.js';
import { importCommands } from './importCommands.js';
import { runSchoolMail } from '../returns/schoolMailRun.js';
import { moveToPostgresCommand } from './moveCommand.js';
import { rebuildCommand } from './rebuildCommand.js';
import { retentionCommand } from './retentionCommand.js';
import { returnsSendCommand } from './returnsCommand.js';
import { userCommands } from './userCommands.js';

// The CLI's shared parts live in cliContext.ts; these re-exports keep `commands.js` importers working.
export {
  type CliCommand,
  type CliContext,
  printCounts,
  readInputFile,
  RefusedError,
  UsageError,
  withReadOnlyStore,
  withWritableStore,
} from './cliContext.js';

/** Every command, by name (a two-word name is `command subcommand`). */
export const commands: Record<string, CliCommand> = {
  ...importCommands,
  report: {
    usage: 'report [--period YYYY-Qn] [--format html|csv|pdf] [--out FILE]',
    options: { period: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
      const periodId = (ctx.values.period as string | undefined) ?? periodOf(ctx.asOf).id;
      const problem = periodProblem(periodId, ctx.asOf);
      if (problem) throw new UsageError(`--period: ${problem}`);
      const format = ((ctx.values.format as string | undefined) ?? 'html').toLowerCase() as ReportFormat;
      if (!reportFormats.includes(format)) throw new UsageError('--format must be html, csv or pdf');
      const out = ctx.values.out as string | undefined;
      if (format === 'pdf' && !out) throw new UsageError('A PDF needs --out FILE');
      const report = await withReadOnlyStore(ctx, (store) =>
        buildReportWithArchive(store, new ArchiveReader(store.path), periodId, ctx.asOf),
      );
      const rendered = await renderReport(report, format);
      if (!out) {
        ctx.io.out(rendered.body.toString('utf8').replace(/\r?\n$/, ''));
        return 0;
      }
      try {
        writeFileSync(out, rendered.body);
      } catch (err) {
        throw new RefusedError(`Cannot write ${out}: ${(err as Error).message}`);
      }
      ctx.io.err(`Board report for ${report.period.id} written to ${out}`);
      return 0;
    },
  },
  checks: {
    usage: 'checks [--json]',
    options: { json: { type: 'boolean' } },
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
      const flags = await withReadOnlyStore(ctx, (store) => computeFlags(store.data, ctx.asOf));
      if (ctx.values.json) {
        ctx.io.out(JSON.stringify(flags));
        return 0;
      }
      if (flags.length === 0) ctx.io.out(`No flags as of ${ctx.asOf}.`);
      for (const f of flags) {
        ctx.io.out(
          `${f.severity.toUpperCase().padEnd(8)} ${f.rule.padEnd(26)} ${f.subject.type} ${f.subject.ref} (${f.subject.name}): ${f.message}`,
        );
      }
      if (flags.length) ctx.io.out(`${flags.length} flags as of ${ctx.asOf}.`);
      return 0;
    },
  },
  remind: {
    usage: 'remind [--dry-run]',
    options: dryRunOption,
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
      const dryRun = Boolean(ctx.values['dry-run']);
      const asOf = ctx.values['as-of'] === undefined ? undefined : ctx.asOf;
      // A real run takes the writer lock like every writer: while the server runs (exit 3) its own
      // scheduler sends reminders, and two senders could otherwise both send the same reminder.
      const go = async (store: Store) => {
        const services = createServices(store, ctx.config, 'the CLI has no sessions');
        try {
          const result = await services.reminders.run({ asOf, dryRun });
          // The schools' return reminders and bulletin retries go with the reminder run.
          if (!dryRun) await runSchoolMail(services, asOf);
          return result;
        } finally {
          services.reminders.close();
        }
      };
      const result = dryRun ? await withReadOnlyStore(ctx, go) : await withWritableStore(ctx, go);
      const describe = (p: (typeof result.planned)[number]) =>
        `${p.plan.to}: "${p.email.subject}" (${p.plan.kind === 'weekly-summary' ? 'weekly summary' : `${p.plan.reminders.length} reminders`})`;
      if (dryRun) {
        ctx.io.out(
          `Dry run, nothing sent: ${result.planned.length} emails would be sent as of ${result.asOf}.`,
        );
        for (const p of result.planned) {
          ctx.io.out(`  ${describe(p)}`);
          for (const r of p.plan.reminders)
            if (r.stage !== 'weekly') ctx.io.out(`    - ${r.title} [${r.stage}]`);
        }
        return 0;
      }
      ctx.io.out(`Sent ${result.sent.length} of ${result.planned.length} emails as of ${result.asOf}.`);
      for (const p of result.sent) ctx.io.out(`  sent ${describe(p)}`);
      if (result.pending.length === 0) return 0;
      ctx.io.err(
        `${result.pending.length} ${result.pending.length === 1 ? 'email was' : 'emails were'} not accepted by the mail server; the next run sends ${result.pending.length === 1 ? 'it' : 'them'}:`,
      );
      for (const p of result.pending) ctx.io.err(`  pending ${describe(p)}: ${p.error}`);
      return 1;
    },
  },
  ...userCommands,
  demo: {
    usage: 'demo',
    async run(ctx) {
      return withWritableStore(ctx, async (store) => {
        if (store.list('users').length > 0 || store.list('premises').length > 0) {
          throw new RefusedError(
            `The database ${ctx.config.dbPath} is not empty; the demo loads only into an empty database`,
          );
        }
        await setUpDemo(store, { passwordHashCost: ctx.config.passwordHashCost, today: ctx.asOf });
        const where = store.backend === 'postgres' ? 'the PostgreSQL database' : ctx.config.dbPath;
        ctx.io.out(`Loaded the demo borough into ${where}. Demo password: ${DEMO_PASSWORD}`);
        return 0;
      });
    },
  },
  backup: {
    usage: 'backup [--dir DIR] [--keep N]',
    options: { dir: { type: 'string' }, keep: { type: 'string' } },
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
      const keepRaw = (ctx.values.keep as string | undefined) ?? String(DEFAULT_KEEP);
      if (!/^[1-9]\d{0,3}$/.test(keepRaw))
        throw new UsageError(`--keep must be a whole number from 1, not "${keepRaw}"`);
      // Reads the files only (no lock), or one PostgreSQL snapshot, so it works while the server runs.
      const backupOpts = { dir: ctx.values.dir as string | undefined, keep: Number(keepRaw) };
      const url = ctx.config.databaseUrl;
      const r = url
        ? await withPgPool(url, 'backup', (pool) => runPgBackup(pool, ctx.config.dbPath, backupOpts))
        : await runBackup({ path: ctx.config.dbPath }, backupOpts);
      ctx.io.out(
        `Backed up ${r.records} records, ${r.auditEntries} audit entries and ${r.evidenceFiles} evidence files to ${r.file} (${(r.bytes / 1024).toFixed(1)} kB).`,
      );
      for (const m of r.evidenceMissing)
        ctx.io.err(`Evidence file ${m.id} was left out of the backup, with its record: ${m.reason}.`);
      if (r.removed.length)
        ctx.io.out(
          `Removed ${r.removed.length} older backup(s), keeping the newest ${keepRaw} and none holding personal data erased over ${ERASED_BACKUP_KEEP_DAYS} days ago.`,
        );
      for (const h of r.holdingErased)
        ctx.io.out(
          `${basename(h.file)} (taken ${formatDateTime(h.createdAt)}) still holds personal data erased on ${formatDateTime(h.erasedSince)}; it is removed ${ERASED_BACKUP_KEEP_DAYS} days after that.`,
        );
      return 0;
    },
  },
  restore: {
    usage: 'restore FILE',
    async run(ctx) {
      const file = ctx.positionals[0];
      if (!file || ctx.positionals.length > 1) throw new UsageError('Give exactly one backup FILE');
      const url = ctx.config.databaseUrl;
      const r = await (url
        ? withPgPool(url, 'restore', async (pool) => {
            await migratePg(pool);
            return restorePgBackup(pool, ctx.config.dbPath, file);
          })
        : restoreBackup(ctx.config.dbPath, file)
      ).catch((err) => {
        throw err instanceof BackupRefusedError
          ? new RefusedError(`${err.message}. Nothing was changed.`)
          : err;
      });
      ctx.io.out(
        `Restored ${url ? 'the PostgreSQL database' : ctx.config.dbPath} from ${file} (taken ${formatDateTime(r.backupCreatedAt)}): ${r.records} records, ${r.auditEntries} audit entries, ${r.evidenceFiles} evidence files.`,
      );
      ctx.io.out(
        r.replacedCopy
          ? `The database it replaced is kept in ${r.replacedCopy}.`
          : 'There was no database before; nothing was replaced.',
      );
      return 0;
    },
  },
  archive: {
    usage: 'archive [--dry-run]',
    options: dryRunOption,
    async run(ctx) {
      if (ctx.positionals.length) throw new UsageError(`Unexpected argument "${ctx.positionals[0]}"`);
      const dryRun = Boolean(ctx.values['dry-run']);
      const r = await withWritableStore(ctx, (store) => runArchive(store, { asOf: ctx.asOf, dryRun }));
      const verb = dryRun ? 'Dry run, nothing written: would move' : 'Moved';
      ctx.io.out(
        `${verb} ${r.bookings} decided bookings whose event ended before ${r.cutoff} (${r.records} records) to the archive files.`,
      );
      for (const f of r.files)
        ctx.io.out(
          `  ${f.file}: ${f.counts.bookings} bookings, ${f.counts.bookingDecisions} decisions, ${f.counts.bookingScreenings} screenings, ${f.counts.reviews} checks, ${f.counts.actions} actions`,
        );
      const held = r.heldBack.flagged + r.heldBack.openWork;
      if (held)
        ctx.io.out(
          `Kept live: ${r.heldBack.flagged} with a flag raised, ${r.heldBack.openWork} with an open action or a check in progress.`,
        );
      if (r.changedMeanwhile)
        ctx.io.out(`${r.changedMeanwhile} changed while being archived: kept live, the next run moves them.`);
      return 0;
    },
  },
  'export hirer': {
    usage: 'export hirer ID [--out FILE]',
    options: { out: { type: 'string' } },
    async run(ctx) {
      const id = ctx.positionals[0];
      if (!id || ctx.positionals.length > 1) throw new UsageError('Give exactly one hirer ID');
      const out = ctx.values.out as string | undefined;
      // Writable: the export itself is recorded in the audit log (who exported whose data).
      const data = await withWritableStore(ctx, (store) =>
        createHirerExportService(store, new ArchiveReader(store.path), createAuditService(store)).exportHirer(
          id,
          'cli',
        ),
      );
      if (!data) throw new RefusedError(`There is no hirer with id ${id}`);
      if ('erased' in data && data.erased) ctx.io.err(data.erased.note);
      const text = `${JSON.stringify(data, null, 2)}\n`;
      if (!out) {
        ctx.io.out(text.replace(/\n$/, ''));
        return 0;
      }
      try {
        writeFileSync(out, text, { mode: 0o600 });
      } catch (err) {
        throw new RefusedError(`Cannot write ${out}: ${(err as Error).message}`);
      }
      ctx.io.err(
        `Everything held about hirer ${id} (${data.bookings.length} bookings, ${data.auditEntries.length} audit entries) written to ${out}`,
      );
      return 0;
    },
  },
  rebuild: rebuildCommand,
  'move-to-postgres': moveToPostgresCommand,
  retention: retentionCommand,
  'audit verify': {
    usage: 'audit verify',
    async run(ctx) {
      const store = await openStore(ctx.config, { write: false, validateOnLoad: false });
      // Against the head the database recorded: for a file, entries past it are the journal's, replayed at open.
      const entries = await store.auditSource.readAll().finally(() => store.close());
      const result = verifyAuditChain(entries, store.fileHead);
      if (result.ok) {
        ctx.io.out(`Audit log intact: ${result.entries} entries.`);
        return 0;
      }
      ctx.io.err(`Audit log broken at line ${result.line}: ${result.problem}`);
      return 1;
    },
  },
  'returns send': returnsSendCommand,
};

/** A pool of its own for one command, named in pg_stat_activity, ended after. */
async function withPgPool<T>(url: string, what: string, fn: (pool: PgPool) => Promise<T>): Promise<T> {
  const pool = createPgPool(url, { applicationName: `due-regard ${what}`, max: 2 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}
