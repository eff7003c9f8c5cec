import { readFile, unlink } from 'node:fs/promises';
import { PgImportPreviews } from '../../data/pg/pgImportPreviews.js';
import { PgStore } from '../../data/pg/pgStore.js';
import type { EvidenceFolder, ReceivedFile } from '../../data/store/evidenceFiles.js';
import type { Store } from '../../data/store/store.js';
import type { ImportPreview } from './importPreviews.js';

/**
 * Where import previews and their uploaded files are kept: in this process and the imports folder on the
 * file store; in PostgreSQL (`import_previews`) for a `PgStore`, so every instance sees every preview.
 */
export interface PreviewKeeper {
  /** Keeps a new preview with its received file (the temporary file is moved or deleted). */
  add(p: ImportPreview, file: ReceivedFile): Promise<void>;
  /** Saves the preview's state; `dropFile` removes its file (nothing left to apply). */
  save(p: ImportPreview, dropFile: boolean): Promise<void>;
  find(id: string): Promise<ImportPreview | undefined>;
  forUser(userId: string): Promise<ImportPreview[]>;
  bytes(id: string): Promise<Buffer>;
  /** Holds the preview for one confirmation: 'busy' while another holds it, 'gone' once removed. */
  claim(id: string): Promise<'claimed' | 'busy' | 'gone'>;
  release(p: ImportPreview): Promise<void>;
  remove(id: string): Promise<void>;
  /** Removes previews started at or before `cutoff` (none being read or applied unless started by `stale`). */
  sweep(cutoff: number, stale: number): Promise<number>;
}

/** The file store's previews: objects in this process, files in the imports folder beside the database. */
class LocalPreviews implements PreviewKeeper {
  private readonly previews = new Map<string, ImportPreview>();
  private readonly applying = new Set<string>();

  constructor(private readonly folder: EvidenceFolder) {}

  async add(p: ImportPreview, file: ReceivedFile): Promise<void> {
    await this.folder.keep(file, p.id);
    this.previews.set(p.id, p);
  }
  async save(p: ImportPreview, dropFile: boolean): Promise<void> {
    if (dropFile) this.folder.remove(p.id);
  }
  async find(id: string) {
    return this.previews.get(id);
  }
  async forUser(userId: string) {
    return [...this.previews.values()].filter((p) => p.userId === userId);
  }
  bytes(id: string): Promise<Buffer> {
    return this.folder.read(id);
  }
  async claim(id: string) {
    if (!this.previews.has(id)) return 'gone' as const;
    if (this.applying.has(id)) return 'busy' as const;
    this.applying.add(id);
    return 'claimed' as const;
  }
  async release(p: ImportPreview): Promise<void> {
    this.applying.delete(p.id);
  }
  async remove(id: string): Promise<void> {
    this.previews.delete(id);
    this.applying.delete(id);
    this.folder.remove(id);
  }
  async sweep(cutoff: number): Promise<number> {
    let removed = 0;
    for (const p of [...this.previews.values()]) {
      if (p.status === 'reading' || this.applying.has(p.id) || p.startedAt > cutoff) continue;
      await this.remove(p.id);
      removed++;
    }
    return removed;
  }
}

/** PostgreSQL's previews: the received file is stored in the table, then its staged copy deleted. */
class SharedPreviews implements PreviewKeeper {
  constructor(private readonly table: PgImportPreviews<ImportPreview>) {}

  async add(p: ImportPreview, file: ReceivedFile): Promise<void> {
    try {
      await this.table.add(p, await readFile(file.tmp));
    } finally {
      await unlink(file.tmp).catch(() => {});
    }
  }
  save = (p: ImportPreview, dropFile: boolean) => this.table.save(p, dropFile);
  find = (id: string) => this.table.find(id);
  forUser = (userId: string) => this.table.forUser(userId);
  bytes = (id: string) => this.table.bytes(id);
  claim = (id: string) => this.table.claim(id);
  release = (p: ImportPreview) => this.table.release(p);
  remove = (id: string) => this.table.remove(id);
  sweep = (cutoff: number, stale: number) => this.table.sweep(cutoff, stale);
}

/** PostgreSQL's table for a `PgStore`, else this process and the folder. */
export function previewKeeperFor(store: Store, folder: EvidenceFolder): PreviewKeeper {
  return store instanceof PgStore
    ? new SharedPreviews(new PgImportPreviews<ImportPreview>(store.pool))
    : new LocalPreviews(folder);
}
