import { createHash, randomUUID } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncFolder } from './durableJsonFile.js';

/** `var/dueregard.json` → `var/dueregard.evidence`: uploaded evidence files, one per evidence record. */
export function evidenceDirFor(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath).replace(/\.json$/i, '')}.evidence`);
}

/** A file received in full and synced, under a temporary name until it is kept (or discarded). */
export interface ReceivedFile {
  tmp: string;
  size: number;
  sha256: string;
}

const ID = /^[A-Za-z0-9-]{1,64}$/;
const TEMP = /^\.(upload|write)-[A-Za-z0-9-]+\.tmp$/;

/**
 * A file being written as it is uploaded: into a temporary file in the evidence folder (mode 0600: it may
 * hold personal data), hashed as it goes. `finish` syncs it to disk; nothing is visible under an
 * evidence id until the folder `keep`s it.
 */
export class EvidenceUpload {
  size = 0;
  private readonly hash = createHash('sha256');
  private closed = false;

  constructor(
    readonly tmp: string,
    private readonly handle: FileHandle,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.length;
    await this.handle.write(chunk);
  }

  async finish(): Promise<ReceivedFile> {
    await this.handle.sync();
    await this.close();
    return { tmp: this.tmp, size: this.size, sha256: this.hash.digest('hex') };
  }

  async abort(): Promise<void> {
    await this.close().catch(() => {});
    await unlink(this.tmp).catch(() => {});
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

/**
 * Where evidence files are kept, whichever store is in use: the folder beside the database
 * (`EvidenceFolder`) or PostgreSQL (`data/pg/pgEvidenceFiles.ts`). An upload is always received into a
 * local temporary file first (hashed as it streams), then kept under its evidence id before the record is
 * saved.
 */
export interface EvidenceFiles {
  startUpload(): Promise<EvidenceUpload>;
  keep(file: ReceivedFile, id: string): Promise<void>;
  discard(file: ReceivedFile): Promise<void>;
  /** The file's bytes; PostgreSQL also checks them against the hash stored beside them. */
  read(id: string): Promise<Buffer>;
  /** Writes a whole file as evidence `id` (restore, move-to-postgres, demo data). */
  put(id: string, bytes: Uint8Array): Promise<void>;
  remove(id: string): void | Promise<void>;
  /** At start: removes what a stopped upload left (see each). */
  sweep(recordIds: ReadonlySet<string>): Promise<{ temporary: number; unrecorded: number }>;
}

/** A stored file whose bytes no longer match its hash: never served as the evidence it claims to be. */
export class EvidenceDamagedError extends Error {
  constructor(readonly id: string) {
    super(`The evidence file ${id} does not match the fingerprint recorded when it was uploaded`);
  }
}

/** The SHA-256 of bytes, hex, as evidence records and backups hold it. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The evidence folder beside the database: each file named by its evidence record's id. A file is
 * written to a temporary name, synced, renamed to its id and the folder synced, all before its record is
 * saved, so a saved record always has its file; a crash in between leaves at most a file without a
 * record, which `sweep` removes at the next start.
 */
export class EvidenceFolder implements EvidenceFiles {
  constructor(readonly dir: string) {}

  static forDatabase(dbPath: string): EvidenceFolder {
    return new EvidenceFolder(evidenceDirFor(dbPath));
  }

  pathOf(id: string): string {
    if (!ID.test(id)) throw new Error(`"${id}" is not an evidence id`);
    return join(this.dir, id);
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async startUpload(): Promise<EvidenceUpload> {
    this.ensureDir();
    const tmp = join(this.dir, `.upload-${randomUUID()}.tmp`);
    return new EvidenceUpload(tmp, await open(tmp, 'wx', 0o600));
  }

  /** Makes a received file the evidence file `id` (durably: renamed, then the folder synced). */
  async keep(file: ReceivedFile, id: string): Promise<void> {
    await rename(file.tmp, this.pathOf(id));
    fsyncFolder(this.dir);
  }

  async discard(file: ReceivedFile): Promise<void> {
    await unlink(file.tmp).catch(() => {});
  }

  /** Writes a whole file as evidence `id` durably (demo data, restore staging). */
  writeSync(id: string, bytes: Uint8Array): void {
    this.ensureDir();
    const tmp = join(this.dir, `.write-${randomUUID()}.tmp`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.pathOf(id));
    fsyncFolder(this.dir);
  }

  async put(id: string, bytes: Uint8Array): Promise<void> {
    this.writeSync(id, bytes);
  }

  read(id: string): Promise<Buffer> {
    return readFile(this.pathOf(id));
  }

  has(id: string): boolean {
    return existsSync(this.pathOf(id));
  }

  /** Deletes evidence file `id` (gone already is fine). */
  remove(id: string): void {
    try {
      unlinkSync(this.pathOf(id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    fsyncFolder(this.dir);
  }

  /**
   * At start, with the writer lock held: removes temporary files a stopped upload left and files no
   * record names (a crash between keeping a file and saving its record). Returns what it removed.
   */
  async sweep(recordIds: ReadonlySet<string>): Promise<{ temporary: number; unrecorded: number }> {
    return this.sweepSync(recordIds);
  }

  sweepSync(recordIds: ReadonlySet<string>): { temporary: number; unrecorded: number } {
    const removed = { temporary: 0, unrecorded: 0 };
    if (!existsSync(this.dir)) return removed;
    for (const name of readdirSync(this.dir)) {
      const kind = TEMP.test(name)
        ? 'temporary'
        : ID.test(name) && !recordIds.has(name)
          ? 'unrecorded'
          : null;
      if (!kind) continue;
      try {
        unlinkSync(join(this.dir, name));
        removed[kind]++;
      } catch {
        // Gone already.
      }
    }
    if (removed.temporary + removed.unrecorded > 0) fsyncFolder(this.dir);
    return removed;
  }
}
