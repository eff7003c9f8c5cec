import { closeSync, createWriteStream, fsyncSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { OWNER_FILE_MODE } from './ownerOnly.js';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Adapter } from 'lowdb';
import { writeFaults } from './writeFaults.js';

/**
 * A lowdb adapter that makes each write durable: the JSON is written to a temp file, fsynced,
 * renamed over the live file, and the folder is fsynced so the rename itself survives a power cut.
 * (lowdb's own JSONFile renames without fsync.)
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`The database file ${this.path} is not valid JSON; restore it from a backup.`);
    }
  }

  async write(data: T): Promise<void> {
    // Serialise synchronously so the snapshot is the state at the moment write() was called.
    await writeDurably(this.path, JSON.stringify(data));
  }
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Removes temp files a killed writer left beside `path` (each process names its own by pid). Only the
 * lock holder writes them, so the caller must hold the writer lock. Returns how many were removed.
 */
export function removeStrayTempFiles(path: string): number {
  const prefix = `.${basename(path)}.`;
  let removed = 0;
  for (const name of readdirSync(dirname(path))) {
    if (!name.startsWith(prefix) || !/^\d+\.tmp$/.test(name.slice(prefix.length))) continue;
    try {
      unlinkSync(join(dirname(path), name));
      removed++;
    } catch {
      // Gone already.
    }
  }
  return removed;
}

/** The file gets `mode` (owner only by default: every file the product writes may hold personal data). */
export async function writeDurably(
  path: string,
  text: string | Uint8Array,
  mode: number = OWNER_FILE_MODE,
): Promise<void> {
  const fault = writeFaults.check(path, 'write');
  if (fault) throw fault;
  const tmp = tempPathFor(path);
  try {
    const handle = await open(tmp, 'w', mode);
    try {
      // Set explicitly: a temp file left from before, or a umask that adds bits, changes nothing.
      await handle.chmod(mode);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A half-written temp file (a full disk) would hold space and data: it goes with the failure.
    await unlink(tmp).catch(() => {});
    throw err;
  }
  fsyncFolder(dirname(path));
}

/**
 * Like writeDurably, for content produced as a stream (never held whole): written to a temp file through
 * `transform` (e.g. gzip), synced, renamed over `path`, the folder synced.
 */
export async function writeStreamDurably(
  path: string,
  source: AsyncIterable<string | Uint8Array>,
  transform: NodeJS.ReadWriteStream,
  mode: number = OWNER_FILE_MODE,
): Promise<void> {
  const tmp = tempPathFor(path);
  try {
    await pipeline(Readable.from(source), transform, createWriteStream(tmp, { mode }));
    // fsync applies to the file, whichever descriptor asks.
    const handle = await open(tmp, 'r+');
    try {
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  fsyncFolder(dirname(path));
}

export function fsyncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the file itself is already synced.
  }
}
