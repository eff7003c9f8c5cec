import { readFile, unlink } from 'node:fs/promises';
import {
  EvidenceDamagedError,
  type EvidenceFiles,
  EvidenceFolder,
  type EvidenceUpload,
  type ReceivedFile,
  sha256Hex,
} from '../store/evidenceFiles.js';
import type { PgPool } from './pgPool.js';
import { PgStore } from './pgStore.js';

/** A file kept this long ago without a record is a crashed upload's, not one whose record is being saved. */
const UNRECORDED_AFTER = '1 hour';

/**
 * Evidence files in PostgreSQL (`evidence_files`: bytes, size, SHA-256), so every instance serves every
 * file. An upload streams into a temporary file in a local staging folder (as on the file store: hashed as
 * it goes, nothing held in memory), then `keep` stores it in one statement before the record is saved.
 * Every read recomputes the hash and refuses bytes that do not match.
 */
export class PgEvidenceFiles implements EvidenceFiles {
  private readonly staging: EvidenceFolder;

  constructor(
    private readonly pool: PgPool,
    stagingDir: string,
  ) {
    this.staging = new EvidenceFolder(stagingDir);
  }

  startUpload(): Promise<EvidenceUpload> {
    return this.staging.startUpload();
  }

  async keep(file: ReceivedFile, id: string): Promise<void> {
    this.staging.pathOf(id);
    const bytes = await readFile(file.tmp);
    // Checked again here: the staged file is what was hashed as it arrived.
    if (sha256Hex(bytes) !== file.sha256 || bytes.length !== file.size) throw new EvidenceDamagedError(id);
    await this.insert(id, bytes, file.sha256);
    await unlink(file.tmp).catch(() => {});
  }

  discard(file: ReceivedFile): Promise<void> {
    return this.staging.discard(file);
  }

  async put(id: string, bytes: Uint8Array): Promise<void> {
    this.staging.pathOf(id);
    await this.insert(id, bytes, sha256Hex(bytes));
  }

  async read(id: string): Promise<Buffer> {
    const pool = this.pool;
    const row = await pool.query<{ bytes: Buffer; sha256: string }>(
      'SELECT bytes, sha256 FROM evidence_files WHERE id = $1',
      [id],
    );
    const found = row.rows[0];
    if (!found) throw Object.assign(new Error(`No evidence file ${id}`), { code: 'ENOENT' });
    if (sha256Hex(found.bytes) !== found.sha256) throw new EvidenceDamagedError(id);
    return found.bytes;
  }

  async remove(id: string): Promise<void> {
    const pool = this.pool;
    await pool.query('DELETE FROM evidence_files WHERE id = $1', [id]);
  }

  /**
   * This instance's staged uploads left by a stop, and files no record names that were kept over an hour
   * ago (another instance may be saving the record of one kept just now).
   */
  async sweep(recordIds: ReadonlySet<string>): Promise<{ temporary: number; unrecorded: number }> {
    const { temporary } = this.staging.sweepSync(new Set());
    const pool = this.pool;
    const gone = await pool.query(
      `DELETE FROM evidence_files WHERE stored_at < now() - $1::interval AND NOT (id = ANY($2::text[]))`,
      [UNRECORDED_AFTER, [...recordIds]],
    );
    return { temporary, unrecorded: gone.rowCount ?? 0 };
  }

  /** Every stored file's id, size and hash (backups and move-to-postgres check them against the records). */
  async list(): Promise<{ id: string; size: number; sha256: string }[]> {
    const pool = this.pool;
    const rows = await pool.query<{ id: string; size: number; sha256: string }>(
      'SELECT id, size, sha256 FROM evidence_files ORDER BY id',
    );
    return rows.rows;
  }

  private async insert(id: string, bytes: Uint8Array, sha256: string): Promise<void> {
    const pool = this.pool;
    await pool.query(
      `INSERT INTO evidence_files (id, bytes, size, sha256) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET bytes = EXCLUDED.bytes, size = EXCLUDED.size, sha256 = EXCLUDED.sha256`,
      [id, Buffer.from(bytes), bytes.length, sha256],
    );
  }
}

/** The evidence files of a store: in PostgreSQL for a `PgStore` (its pool), else the folder beside the file. */
export function evidenceFilesFor(store: { path: string }): EvidenceFiles {
  const folder = EvidenceFolder.forDatabase(store.path);
  return store instanceof PgStore ? new PgEvidenceFiles(store.pool, folder.dir) : folder;
}
