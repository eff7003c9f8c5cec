import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Store } from '../../data/store/store.js';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Every file under `dir` with a hash of its bytes: two equal results mean nothing on disk changed
 * (a refused request must leave the database, its log and everything beside them byte-for-byte alone).
 */
export function folderBytes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out[relative(dir, path)] = sha(readFileSync(path));
    }
  };
  walk(dir);
  return out;
}

/**
 * What a store holds, on disk and in memory: every file beside the database (the audit log, archives,
 * evidence, outbox…) byte for byte, and the records themselves. The database file is left out because the
 * store rewrites it from memory on a timer after earlier changes; equal records and an equal log mean the
 * file it writes next is the same too.
 */
export async function storeBytes(store: Store, dir: string): Promise<Record<string, string>> {
  // Writes started before (an email of an earlier decision going to the outbox) finish first: the
  // files are read until two readings 50 ms apart agree and no temporary file is left (5 s at most).
  const read = () => {
    const db = basename(store.path);
    const files = folderBytes(dir);
    for (const name of Object.keys(files)) if (name === db) delete files[name];
    return { ...files, '(records in memory)': sha(JSON.stringify(store.data)) };
  };
  let last = '';
  for (let i = 0; i < 100; i++) {
    await store.flushed();
    const now = read();
    const text = JSON.stringify(now);
    if (text === last && !Object.keys(now).some((n) => n.endsWith('.tmp'))) return now;
    last = text;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}
