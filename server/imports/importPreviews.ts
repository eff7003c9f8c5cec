import { basename, dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { RowError } from '../../data/csv/rowError.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { ImportKind } from '../../data/schemas/importSchemas.js';
import { EvidenceFolder, type ReceivedFile } from '../../data/store/evidenceFiles.js';
import type { Store } from '../../data/store/store.js';
import { formatDate, londonDate } from '../../checks/londonDates.js';
import type { Config } from '../config.js';
import type { UploadSink } from '../forms/uploadForm.js';
import { ImportRefusedError, type ImportSamples } from '../services/importPlan.js';
import { previewKeeperFor } from './previewKeepers.js';
import type { AnyImportResult, ImportOptions } from './importKinds.js';
import {
  applyImport,
  describeImport,
  planImport,
  PreviewOutdatedError,
  readImport,
  sha256Of,
} from './importService.js';

/** An abandoned preview (and its file) is removed after this long. */
export const PREVIEW_TTL_MS = 60 * 60 * 1000;

/** Every refused row is listed; past this many the page says how many more (a whole bad file can be huge). */
const MAX_ERRORS_SHOWN = 1000;

export interface ImportPreview {
  id: string;
  kind: ImportKind;
  filename: string;
  size: number;
  sha256: string;
  userId: string;
  la: string[];
  source: string | null;
  startedAt: number;
  status: 'reading' | 'ready' | 'refused' | 'failed';
  /** What is happening while the file is read, in words. */
  progress: string;
  errors: RowError[];
  moreErrors: number;
  /** A reason the whole file was refused, or why it could not be read. */
  message: string | null;
  result: AnyImportResult | null;
  samples: ImportSamples | null;
  lead: string[];
  notes: string[];
  digest: string | null;
  changes: boolean;
  /** The last apply found the data changed since this preview. */
  outdated: boolean;
}

/** Another import of the same kind is being read or applied. */
export class ImportBusyError extends Error {
  constructor(kind: ImportKind) {
    super(
      `Another ${kind === 'watchlist' ? 'watch list' : kind} import is being read or applied. Try again when it has finished.`,
    );
  }
}

/** `<db>.imports` beside the database: uploaded files waiting for their preview to be applied. */
export function importsDirFor(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath).replace(/\.json$/i, '')}.imports`);
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * Imports in the browser (SPEC §12): an uploaded file waits (in the imports folder, or in PostgreSQL for a
 * `PgStore`, `previewKeepers.ts`) while its preview is read and shown; applying it plans again in the
 * applying transaction and writes only if the plan is the one previewed. One import of each kind is read or
 * applied at a time in an instance, and each preview is confirmed once. A preview left for an hour is
 * removed with its file; on the file store a restart removes them all.
 */
export function createImportPreviews(store: Store, config: Config) {
  const folder = new EvidenceFolder(importsDirFor(store.path));
  // Files a stopped server left: their previews are gone with it (on PostgreSQL: uploads cut short).
  if (store.writable) folder.sweepSync(new Set());
  const kept = previewKeeperFor(store, folder);
  /** Previews being read in this instance, so their page follows the progress. */
  const reading = new Map<string, ImportPreview>();
  const busy = new Set<ImportKind>();

  const optionsOf = (p: ImportPreview, progress?: (m: string) => void): ImportOptions => ({
    la: p.la,
    source: p.source,
    today: londonDate(store.now()),
    spocPhases: config.spocPhases,
    progress,
  });

  /** Reads and plans an uploaded file in the background; the page polls until it is ready. */
  async function read(p: ImportPreview): Promise<void> {
    reading.set(p.id, p);
    let dropFile = false;
    /** What the reading found: shown once it is saved, so every instance shows it at once. */
    let outcome: Partial<ImportPreview> = {};
    try {
      p.progress = `Received ${mb(p.size)}. Reading the file…`;
      // Let the answer to the upload go out before the file is parsed (a national file takes seconds).
      await new Promise((r) => setImmediate(r));
      const bytes = await kept.bytes(p.id);
      const opts = optionsOf(p, (m) => {
        p.progress = m;
      });
      const rows = readImport(p.kind, bytes, opts);
      if (p.progress.startsWith('Received'))
        p.progress = 'Read the file; comparing it with the records held…';
      // A breath between reading and comparing, so a page asking meanwhile sees how far it got.
      await new Promise((r) => setImmediate(r));
      const planned = planImport(store, p.kind, rows, opts);
      const { lead, notes } = describeImport(p.kind, planned.result, false, formatDate);
      outcome = {
        status: 'ready',
        result: planned.result,
        samples: planned.samples,
        digest: planned.digest,
        changes: planned.changes,
        lead,
        notes,
        outdated: false,
      };
      // Nothing to apply: the file is not needed any more.
      dropFile = !planned.changes;
    } catch (err) {
      dropFile = true;
      if (err instanceof ImportRefusedError) {
        outcome = {
          status: 'refused',
          errors: err.errors.slice(0, MAX_ERRORS_SHOWN),
          moreErrors: Math.max(0, err.errors.length - MAX_ERRORS_SHOWN),
        };
      } else if ((err as { refused?: boolean }).refused) {
        outcome = { status: 'refused', message: (err as Error).message };
      } else {
        outcome = {
          status: 'failed',
          message:
            'The file could not be read. Try again, and if it happens again tell your system administrator.',
        };
        if (config.logErrors) console.error(`Import preview ${p.id} failed: ${(err as Error).stack}`);
      }
    } finally {
      try {
        await kept.save({ ...p, ...outcome }, dropFile);
      } catch (err) {
        if (config.logErrors)
          console.error(`Import preview ${p.id} could not be saved: ${(err as Error).stack}`);
      }
      Object.assign(p, outcome);
      reading.delete(p.id);
      busy.delete(p.kind);
    }
  }

  const service = {
    maxBytes: config.importMaxBytes,

    /** Whether a new import of `kind` may start now. */
    isBusy: (kind: ImportKind) => busy.has(kind),

    /** Holds `kind` for an upload about to be received (released by `start` or `release`). */
    reserve(kind: ImportKind): void {
      if (busy.has(kind)) throw new ImportBusyError(kind);
      busy.add(kind);
    },
    release: (kind: ImportKind) => busy.delete(kind),

    /** Where an upload's bytes go: a temporary file (mode 0600) in the imports folder, hashed as it streams. */
    async receive(): Promise<UploadSink<ReceivedFile>> {
      const upload = await folder.startUpload();
      return upload;
    },

    discard: (file: ReceivedFile) => folder.discard(file),

    /** A received file becomes a preview being read; its kind stays reserved until the reading ends. */
    async start(
      user: User,
      kind: ImportKind,
      file: { filename: string; received: ReceivedFile },
      opts: { la: string[]; source: string | null },
    ): Promise<ImportPreview> {
      const p: ImportPreview = {
        id: randomUUID(),
        kind,
        filename: file.filename.slice(0, 255),
        size: file.received.size,
        sha256: file.received.sha256,
        userId: user.id,
        la: opts.la,
        source: opts.source,
        startedAt: store.now().getTime(),
        status: 'reading',
        progress: `Received ${mb(file.received.size)}. Reading the file…`,
        errors: [],
        moreErrors: 0,
        message: null,
        result: null,
        samples: null,
        lead: [],
        notes: [],
        digest: null,
        changes: false,
        outdated: false,
      };
      try {
        // One preview per person and kind: a new upload replaces their earlier one.
        for (const old of await kept.forUser(user.id))
          if (old.kind === kind && old.status !== 'reading') await kept.remove(old.id);
        await kept.add(p, file.received);
      } catch (err) {
        busy.delete(kind);
        await folder.discard(file.received);
        throw err;
      }
      void read(p);
      return p;
    },

    /** The person's own preview (anyone else's is not found). */
    async get(user: User, id: string): Promise<ImportPreview | undefined> {
      const p = reading.get(id) ?? (await kept.find(id));
      return p && p.userId === user.id ? p : undefined;
    },

    /** The previews a person has open. */
    async openFor(user: User): Promise<ImportPreview[]> {
      return (await kept.forUser(user.id)).map((p) => reading.get(p.id) ?? p);
    },

    /** Reads the same file again against the data as it is now (after "preview again"). */
    async refresh(user: User, id: string): Promise<ImportPreview | undefined> {
      const p = await service.get(user, id);
      if (p?.status !== 'ready' || !p.changes) return p;
      service.reserve(p.kind);
      Object.assign(p, { status: 'reading', startedAt: store.now().getTime(), outdated: false });
      try {
        await kept.save(p, false);
      } catch (err) {
        busy.delete(p.kind);
        throw err;
      }
      void read(p);
      return p;
    },

    /**
     * Applies exactly what was previewed, all or nothing, once: the preview is claimed (a second
     * confirmation, here or on another instance, is refused), the file read again (it must have the same
     * SHA-256) and planned again inside the applying transaction; a plan that differs from the preview's
     * refuses with PreviewOutdatedError, nothing written. Null when there is nothing (left) to apply.
     */
    async apply(user: User, id: string) {
      const p = await service.get(user, id);
      if (p?.status !== 'ready' || !p.changes || !p.digest) return null;
      service.reserve(p.kind);
      let claimed = false;
      try {
        const claim = await kept.claim(p.id);
        if (claim === 'gone') return null;
        if (claim === 'busy') throw new ImportBusyError(p.kind);
        claimed = true;
        const bytes = await kept.bytes(p.id);
        if (sha256Of(bytes) !== p.sha256) throw new Error(`The uploaded file of import ${p.id} changed`);
        const opts = optionsOf(p);
        let read: unknown;
        try {
          read = readImport(p.kind, bytes, opts);
        } catch (err) {
          // The same bytes read differently (training dates against a new day): the preview no longer holds.
          if (err instanceof ImportRefusedError) throw new PreviewOutdatedError();
          throw err;
        }
        const planned = await applyImport(store, p.kind, read, opts, {
          actor: user.email,
          via: 'browser',
          id: p.id,
          expectedDigest: p.digest,
          filename: p.filename,
          size: p.size,
          sha256: p.sha256,
        });
        claimed = false;
        await kept.remove(p.id);
        return {
          preview: p,
          ...describeImport(p.kind, planned.result, true, formatDate),
          result: planned.result,
        };
      } catch (err) {
        if (err instanceof PreviewOutdatedError) p.outdated = true;
        throw err;
      } finally {
        if (claimed) await kept.release(p);
        busy.delete(p.kind);
      }
    },

    /** Removes previews left for an hour (never one being read or applied), with their files. */
    sweep(): Promise<number> {
      const cutoff = store.now().getTime() - PREVIEW_TTL_MS;
      return kept.sweep(cutoff, cutoff - PREVIEW_TTL_MS);
    },
  };
  setInterval(() => {
    service.sweep().catch((err) => {
      if (config.logErrors) console.error(`Import previews could not be swept: ${(err as Error).stack}`);
    });
  }, 60_000).unref();
  return service;
}

export type ImportPreviews = ReturnType<typeof createImportPreviews>;
