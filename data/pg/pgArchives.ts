import { createHash } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync } from 'node:fs';
import { writeDurably } from '../store/durableJsonFile.js';
import {
  type ArchiveShare,
  archivePathFor,
  archiveWritesBusy,
  archiveYears,
  checkArchive,
} from '../store/archiveFiles.js';
import type { PgClient, PgPool } from './pgPool.js';

/** The advisory lock every instance takes to write archives (any fixed number unlike the store's). */
const ARCHIVE_LOCK = 7_203_203;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

type Queryable = Pick<PgClient, 'query'> | Pick<PgPool, 'query'>;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Checks a year's text as a file would be checked; throws ArchiveDamagedError. */
export function checkArchiveText(text: string, year: number, label: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${label} is damaged: it is not valid JSON`);
  }
  checkArchive(parsed, label, year);
}

/** Stores a year's archive text (checked first) in the table. */
export async function putArchiveRow(db: Queryable, year: number, text: string): Promise<string> {
  checkArchiveText(text, year, `The archive of ${year}`);
  const hash = sha256(text);
  await db.query(
    `INSERT INTO archives (year, body, sha256, written_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (year) DO UPDATE SET body = EXCLUDED.body, sha256 = EXCLUDED.sha256, written_at = now()`,
    [year, text, hash],
  );
  return hash;
}

/**
 * Each year in the table with the SHA-256 of its text: as recorded (cheap, for following), or with
 * `recompute` as the table computes it from the body now (for verifying a copy).
 */
export async function archiveRowHashes(db: Queryable, recompute = false): Promise<Map<number, string>> {
  const r = await db.query<{ year: number; sha256: string }>(
    recompute
      ? "SELECT year, encode(sha256(convert_to(body, 'UTF8')), 'hex') AS sha256 FROM archives"
      : 'SELECT year, sha256 FROM archives',
  );
  return new Map(r.rows.map((row) => [row.year, row.sha256]));
}

/**
 * This instance's files beside `dbPath`, kept in step with the `archives` table (the truth): a year the
 * table holds is written here when this copy differs; a year the table lacks is deleted here only if this
 * instance wrote it from the table (the marker file `<db>.archive-mirror.json` lists those, with their
 * hashes), so archives not yet copied into the table (before `move-to-postgres`) are never lost. A local
 * file that differs from the table and was not written from it is kept aside (`….replaced-<ms>`), never
 * overwritten. Readers stay synchronous on the files.
 */
export class PgArchiveMirror implements ArchiveShare {
  private chain: Promise<unknown> = Promise.resolve();
  private readonly markerPath: string;

  constructor(
    private readonly pool: PgPool,
    readonly dbPath: string,
  ) {
    this.markerPath = `${dbPath.replace(/\.json$/i, '')}.archive-mirror.json`;
  }

  private marker(): Record<string, string> {
    const text = readText(this.markerPath);
    if (!text) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private one<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.catch(() => {}).then(fn);
    this.chain = run;
    return run;
  }

  /**
   * Brings the files in step with the table as `db` sees it (a store's snapshot, so the archives match the
   * records it applies). Skipped while this process writes archives: the writer brings them in step.
   */
  sync(db: Queryable, force = false): Promise<number> {
    return this.one(async () => {
      if (!force && archiveWritesBusy(this.dbPath)) return 0;
      let rows: Map<number, string>;
      try {
        rows = await archiveRowHashes(db);
      } catch (err) {
        // A reader opened before any writer added the table (step 203): nothing is shared yet.
        if ((err as { code?: string }).code === '42P01') return 0;
        throw err;
      }
      const marker = this.marker();
      let written = 0;
      let markerChanged = false;
      for (const [year, hash] of rows) {
        const path = archivePathFor(this.dbPath, year);
        const local = readText(path);
        const localHash = local === null ? null : sha256(local);
        if (localHash === hash) {
          if (marker[year] !== hash) {
            marker[year] = hash;
            markerChanged = true;
          }
          continue;
        }
        const r = await db.query<{ body: string }>('SELECT body FROM archives WHERE year = $1', [year]);
        const body = r.rows[0]?.body;
        if (body === undefined || sha256(body) !== hash) continue; // Rewritten meanwhile: the next sync has it.
        checkArchiveText(body, year, `The archive of ${year} in PostgreSQL`);
        if (local !== null && localHash !== marker[year]) renameSync(path, `${path}.replaced-${Date.now()}`);
        await writeDurably(path, body, 0o600);
        marker[year] = hash;
        markerChanged = true;
        written++;
      }
      for (const year of archiveYears(this.dbPath)) {
        if (rows.has(year) || marker[year] === undefined) continue;
        const path = archivePathFor(this.dbPath, year);
        const local = readText(path);
        if (local !== null && sha256(local) === marker[year]) unlinkSync(path);
        delete marker[year];
        markerChanged = true;
      }
      if (markerChanged) await writeDurably(this.markerPath, JSON.stringify(marker), 0o600);
      return written;
    });
  }

  /** Takes the archive lock shared by every instance, then brings the files in step. */
  async lock(): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [ARCHIVE_LOCK]);
      await this.sync(client, true);
    } catch (err) {
      await client.query('SELECT pg_advisory_unlock($1)', [ARCHIVE_LOCK]).catch(() => {});
      client.release();
      throw err;
    }
    return async () => {
      try {
        await client.query('SELECT pg_advisory_unlock($1)', [ARCHIVE_LOCK]);
      } finally {
        client.release();
      }
    };
  }

  /** The table first; the marker says the file about to be written came from the table. */
  async put(year: number, text: string): Promise<void> {
    const hash = await putArchiveRow(this.pool, year, text);
    await this.one(async () => {
      const marker = this.marker();
      marker[year] = hash;
      await writeDurably(this.markerPath, JSON.stringify(marker), 0o600);
    });
  }
}
