import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** Files the product writes are readable by their owner only (SPEC §10), whatever the umask. */
export const OWNER_FILE_MODE = 0o600;
export const OWNER_DIR_MODE = 0o700;

/** A folder only its owner can enter: created 0700, and set to 0700 if it was already there. */
export function ownerOnlyFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: OWNER_DIR_MODE });
  chmodSync(path, OWNER_DIR_MODE);
}

/**
 * Sets the modes of everything the store keeps beside the database (`test.json`: `test.json`,
 * `test.audit.jsonl`, `test.archive-2025.json`, `test.evidence/`, temp files, and `backups/`): files
 * 0600, folders 0700. Run when the store opens for writing, so files left by an older version (or a
 * copy made under a loose umask) are closed too. The database's own folder is left as it is: it may be
 * shared (a path under /tmp); a new one is created 0700.
 */
export function restrictStoreFiles(dbPath: string): void {
  const dir = dirname(dbPath);
  const name = basename(dbPath);
  const stem = basename(dbPath, extname(dbPath));
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const ours =
      entry.name === name ||
      entry.name.startsWith(`${stem}.`) ||
      entry.name.startsWith(`.${name}.`) ||
      (entry.isDirectory() && entry.name === 'backups');
    if (!ours) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(path, OWNER_DIR_MODE);
      for (const inner of readdirSync(path, { withFileTypes: true }))
        if (inner.isFile()) chmodSync(join(path, inner.name), OWNER_FILE_MODE);
    } else if (entry.isFile()) chmodSync(path, OWNER_FILE_MODE);
  }
}
