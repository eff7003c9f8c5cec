import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { computeFlags } from '../../checks/flags/computeFlags.js';
import { formatDateTime } from '../../checks/londonDates.js';
import { roles } from '../../data/schemas/accountSchemas.js';
import { readAuditEntries, verifyAuditChain } from '../../data/store/auditLog.js';
import { Store } from '../../data/store/store.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import { runArchive } from '../../jobs/archiveJob.js';
import {
  BackupRefusedError,
  DEFAULT_KEEP,
  ERASED_BACKUP_KEEP_DAYS,
  restoreBackup,
  runBackup,
} from '../../jobs/backupJob.js';
import type { Config } from '../config.js';
import { createServices } from '../services/createServices.js';
import { DEMO_PASSWORD, setUpDemo } from '../services/demoSetup.js';
import type { ImportCounts } from '../services/importPlan.js';
import { importBookings } from '../services/bookingImport.js';
import { importLibraries, layoutNames, readLibraryImport } from '../services/libraryImport.js';
import { importPremises } from '../services/premisesImport.js';
import { importWatchlist } from '../services/watchlistService.js';
import { readSchoolsFile, saveSchools } from '../services/schoolImport.js';
import { InputError, createUserService } from '../services/userService.js';
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
import { importTraining } from '../services/trainingImport.js';
import type { CliIo } from './cli.js';
import { returnsSendCommand } from './returnsCommand.js';
import { runSchoolMail } from '../returns/schoolMailRun.js';
import { rebuildCommand } from './rebuildCommand.js';
import { retentionCommand } from './retentionCommand.js';

export class UsageError extends Error {}

/** Refused input: exit 1, nothing written. */
export class RefusedError extends Error {
  refused = true;
}

export interface CliContext {
  config: Config;
  values: Record<string, unknown>;
  positionals: string[];
  asOf: string;
  io: CliIo;
}

export interface CliCommand {
  usage: string;
  options?: ParseArgsConfig['options'];
  run(ctx: CliContext): Promise<number>;
}

/** Opens the database to write (takes the lock: exit 3 when the server holds it), runs, closes. */
export async function withWritableStore<T>(ctx: CliContext, fn: (store: Store) => Promise<T>): Promise<T> {
  // A database that does not exist yet is created only by a change: a dry run or a refusal leaves no file.
  const store = await Store.open(ctx.config.dbPath, { deferCreate: true });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Opens the database read-only: works while the server runs (each write is an atomic rename). */
export async function withReadOnlyStore<T>(
  ctx: CliContext,
  fn: (store: Store) => Promise<T> | T,
): Promise<T> {
  const store = await Store.open(ctx.config.dbPath, { write: false });
  return fn(store);
}

export function readInputFile(ctx: CliContext, usage: string): Buffer {
  const file = ctx.positionals[0];
  if (!file || ctx.positionals.length > 1) throw new UsageError(`Give exactly one FILE. ${usage}`);
  try {
    if (!statSync(file).isFile()) throw new RefusedError(`${file} is not a file`);
    return readFileSync(file);
  } catch (err) {
    if (err instanceof RefusedError) throw err;
    throw new RefusedError(
      `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
}

export function printCounts(ctx: CliContext, counts: ImportCounts, dryRun: boolean): void {
  ctx.io.out(
    `${dryRun ? 'Dry run, nothing written: ' : ''}created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, skipped ${counts.skipped}`,
  );
}

const dryRunOption = { 'dry-run': { type: 'boolean' as const } };

export const commands: Record<string, CliCommand> = {
  'import premises': {
    usage: 'import premises FILE [--dry-run]',
    options: dryRunOption,
    async run(ctx) {
      const file = readInputFile(ctx, 'import premises FILE [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const counts = await withWritableStore(ctx, (store) => importPremises(store, 'cli', file, dryRun));
      printCounts(ctx, counts, dryRun);
      return 0;
    },
  },
  'import bookings': {
    usage: 'import bookings FILE [--dry-run]',
    options: dryRunOption,
    async run(ctx) {
      const file = readInputFile(ctx, 'import bookings FILE [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const r = await withWritableStore(ctx, (store) => importBookings(store, 'cli', file, dryRun));
      printCounts(ctx, r, dryRun);
      if (r.hallsCreated.length) ctx.io.out(`New halls: ${r.hallsCreated.join('; ')}`);
      if (r.hirersCreated || r.hirersUpdated)
        ctx.io.out(`Hirers: ${r.hirersCreated} new, ${r.hirersUpdated} updated`);
      if (r.sentBack.length)
        ctx.io.out(`Names changed, so these bookings need their checks again: ${r.sentBack.join(', ')}`);
      if (r.skippedArchived.length)
        ctx.io.out(
          `Skipped as already archived (decided, event ended more than 12 months ago; not created again): ${r.skippedArchived.join(', ')}`,
        );
      return 0;
    },
  },
  'import watchlist': {
    usage: 'import watchlist FILE [--source TEXT] [--dry-run]',
    options: { ...dryRunOption, source: { type: 'string' } },
    async run(ctx) {
      const file = readInputFile(ctx, 'import watchlist FILE [--source TEXT] [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const source = (ctx.values.source as string | undefined)?.trim();
      if (ctx.values.source !== undefined && !source) throw new UsageError('--source needs some text');
      const r = await withWritableStore(ctx, (store) =>
        importWatchlist(store, 'cli', file, {
          source,
          dryRun,
          asOf: ctx.values['as-of'] as string | undefined,
          today: ctx.asOf,
        }),
      );
      printCounts(ctx, r, dryRun);
      if (r.removed) ctx.io.out(`Removed ${r.removed} no longer on the list`);
      for (const l of r.lists) {
        ctx.io.out(`${l.created ? 'New list' : 'List'} "${l.source}" as of ${l.asOf}: ${l.entries} entries`);
        if (l.replacedAsOf && l.replacedAsOf > l.asOf)
          ctx.io.out(`  Note: this is older than the list it replaces, which was as of ${l.replacedAsOf}`);
      }
      return 0;
    },
  },
  'import libraries': {
    usage: 'import libraries FILE [--la NAME]... [--dry-run]',
    options: { ...dryRunOption, la: { type: 'string', multiple: true } },
    async run(ctx) {
      const file = readInputFile(ctx, 'import libraries FILE [--la NAME]... [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const la = ((ctx.values.la as string[] | undefined) ?? []).map((s) => s.trim());
      if (la.some((s) => s === '')) throw new UsageError('--la needs a library service name, like Barnet');
      const parsed = readLibraryImport(file, la);
      const result = await withWritableStore(ctx, (store) => importLibraries(store, 'cli', parsed, dryRun));
      ctx.io.out(`Read the ${layoutNames[result.layout]}.`);
      printCounts(ctx, result, dryRun);
      if (result.closed > 0)
        ctx.io.out(
          `${result.closed} ${result.closed === 1 ? 'library has' : 'libraries have'} a closing year: kept as closed, not reviewed or flagged.`,
        );
      return 0;
    },
  },
  'import schools': {
    usage: 'import schools FILE [--la CODE|NAME]... [--dry-run]',
    options: { ...dryRunOption, la: { type: 'string', multiple: true } },
    async run(ctx) {
      const file = readInputFile(ctx, 'import schools FILE [--la CODE|NAME]... [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const la = (ctx.values.la as string[] | undefined) ?? [];
      if (la.some((x) => x.trim() === '')) throw new UsageError('--la needs a local authority code or name');
      // Progress goes to stderr and only to a terminal, so piped output stays just the counts.
      const progress = ctx.io.isTty ? (message: string) => ctx.io.err(message) : undefined;
      const read = readSchoolsFile(file, { la, progress });
      const counts = await withWritableStore(ctx, (store) =>
        saveSchools(store, 'cli', read, { dryRun, spocPhases: ctx.config.spocPhases, progress }),
      );
      printCounts(ctx, counts, dryRun);
      return 0;
    },
  },
  'import training': {
    usage: 'import training FILE [--dry-run]',
    options: dryRunOption,
    async run(ctx) {
      const file = readInputFile(ctx, 'import training FILE [--dry-run]');
      const dryRun = Boolean(ctx.values['dry-run']);
      const counts = await withWritableStore(ctx, (store) =>
        importTraining(store, 'cli', file, { dryRun, today: ctx.asOf }),
      );
      printCounts(ctx, counts, dryRun);
      return 0;
    },
  },
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
  'users add': {
    usage: 'users add --email E --name N --role R [--library NAME]...',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      library: { type: 'string', multiple: true },
    },
    async run(ctx) {
      const { email, name, role } = ctx.values as { email?: string; name?: string; role?: string };
      if (!email || !name || !role) throw new UsageError('--email, --name and --role are required');
      if (!roles.includes(role as never)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
      const libraryNames = (ctx.values.library as string[] | undefined) ?? [];
      return withWritableStore(ctx, async (store) => {
        const libraries =
          (store.data as unknown as { libraries?: { id: string; name: string }[] }).libraries ?? [];
        const libraryIds: string[] = [];
        for (const n of libraryNames) {
          const found = libraries.filter((l) => l.name.toLowerCase() === n.toLowerCase());
          if (found.length !== 1)
            throw new RefusedError(
              `No library called "${n}"${found.length > 1 ? ' (more than one matches)' : ''}`,
            );
          libraryIds.push(found[0].id);
        }
        const users = createUserService(store, { passwordHashCost: ctx.config.passwordHashCost });
        try {
          const { user, password } = await users.create('cli', { email, name, role, libraryIds });
          ctx.io.out(`Created ${user.email} (${user.role}). One-time password: ${password}`);
          return 0;
        } catch (err) {
          if (err instanceof InputError)
            throw new RefusedError(
              Object.values(err.errors)
                .map((e) => e.text)
                .join('; '),
            );
          throw err;
        }
      });
    },
  },
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
        ctx.io.out(`Loaded the demo borough into ${ctx.config.dbPath}. Demo password: ${DEMO_PASSWORD}`);
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
      // Reads the files only (no lock), so it works while the server runs; see runBackup.
      const r = await runBackup(
        { path: ctx.config.dbPath },
        { dir: ctx.values.dir as string | undefined, keep: Number(keepRaw) },
      );
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
      const r = await restoreBackup(ctx.config.dbPath, file).catch((err) => {
        throw err instanceof BackupRefusedError
          ? new RefusedError(`${err.message}. Nothing was changed.`)
          : err;
      });
      ctx.io.out(
        `Restored ${ctx.config.dbPath} from ${file} (taken ${formatDateTime(r.backupCreatedAt)}): ${r.records} records, ${r.auditEntries} audit entries, ${r.evidenceFiles} evidence files.`,
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
  retention: retentionCommand,
  'audit verify': {
    usage: 'audit verify',
    async run(ctx) {
      const store = await Store.open(ctx.config.dbPath, { write: false, validateOnLoad: false });
      // Against the head the database file records: entries past it are the journal's, replayed at open.
      const result = verifyAuditChain(await readAuditEntries(store.auditPath), store.fileHead);
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
