import { sha256Hex } from '../store/evidenceFiles.js';
import type { PgPool } from './pgPool.js';

/** What the table needs to know of a preview; the rest is kept as its JSON text. */
export interface StoredPreview {
  id: string;
  userId: string;
  kind: string;
  status: string;
  startedAt: number;
  sha256: string;
}

/** A confirmation that has not finished in this long was cut short (its instance stopped): it may be tried again. */
const APPLYING_FOR = '10 minutes';

/**
 * Import previews in PostgreSQL (`import_previews`, step 204): each preview's state as JSON text and its
 * uploaded file's bytes, so any instance shows, confirms or removes a preview another instance read.
 */
export class PgImportPreviews<P extends StoredPreview> {
  constructor(private readonly pool: PgPool) {}

  async add(p: P, bytes: Buffer): Promise<void> {
    if (sha256Hex(bytes) !== p.sha256) throw new Error(`The uploaded file of import ${p.id} changed`);
    await this.pool.query(
      `INSERT INTO import_previews (id, user_id, kind, status, started_at, state, bytes, sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [p.id, p.userId, p.kind, p.status, p.startedAt, JSON.stringify(p), bytes, p.sha256],
    );
  }

  /** Saves a preview's state; `dropFile` forgets its bytes (nothing left to apply). */
  async save(p: P, dropFile: boolean): Promise<void> {
    await this.pool.query(
      `UPDATE import_previews SET status = $2, started_at = $3, state = $4,
         bytes = CASE WHEN $5 THEN NULL ELSE bytes END WHERE id = $1`,
      [p.id, p.status, p.startedAt, JSON.stringify(p), dropFile],
    );
  }

  async find(id: string): Promise<P | undefined> {
    const rows = await this.pool.query<{ state: string }>('SELECT state FROM import_previews WHERE id = $1', [
      id,
    ]);
    const row = rows.rows[0];
    return row ? (JSON.parse(row.state) as P) : undefined;
  }

  async forUser(userId: string): Promise<P[]> {
    const rows = await this.pool.query<{ state: string }>(
      'SELECT state FROM import_previews WHERE user_id = $1 ORDER BY started_at',
      [userId],
    );
    return rows.rows.map((r) => JSON.parse(r.state) as P);
  }

  /** The uploaded file, checked against the hash taken as it arrived. */
  async bytes(id: string): Promise<Buffer> {
    const rows = await this.pool.query<{ bytes: Buffer | null; sha256: string }>(
      'SELECT bytes, sha256 FROM import_previews WHERE id = $1',
      [id],
    );
    const row = rows.rows[0];
    if (!row?.bytes) throw new Error(`The uploaded file of import ${id} is not kept`);
    if (sha256Hex(row.bytes) !== row.sha256) throw new Error(`The uploaded file of import ${id} changed`);
    return row.bytes;
  }

  /** Marks the preview as being applied; 'busy' while another confirmation holds it, 'gone' once removed. */
  async claim(id: string): Promise<'claimed' | 'busy' | 'gone'> {
    const rows = await this.pool.query<{ claimed: boolean; present: boolean }>(
      `WITH c AS (UPDATE import_previews SET applying = now()
                   WHERE id = $1 AND (applying IS NULL OR applying < now() - $2::interval) RETURNING id)
       SELECT EXISTS (SELECT 1 FROM c) AS claimed, EXISTS (SELECT 1 FROM import_previews WHERE id = $1) AS present`,
      [id, APPLYING_FOR],
    );
    const row = rows.rows[0];
    if (row?.claimed) return 'claimed';
    return row?.present ? 'busy' : 'gone';
  }

  /** Ends a confirmation that did not apply, saving what it learnt (the preview is outdated). */
  async release(p: P): Promise<void> {
    await this.pool.query('UPDATE import_previews SET applying = NULL, state = $2 WHERE id = $1', [
      p.id,
      JSON.stringify(p),
    ]);
  }

  async remove(id: string): Promise<void> {
    await this.pool.query('DELETE FROM import_previews WHERE id = $1', [id]);
  }

  /**
   * Removes previews started at or before `cutoff` (ms), none being read or applied, but one whose reading
   * or confirmation has lasted another hour past that (its instance stopped) goes too.
   */
  async sweep(cutoff: number, stale: number): Promise<number> {
    const gone = await this.pool.query(
      `DELETE FROM import_previews WHERE started_at <= $1
         AND ((status <> 'reading' AND applying IS NULL) OR started_at <= $2)`,
      [cutoff, stale],
    );
    return gone.rowCount ?? 0;
  }
}
