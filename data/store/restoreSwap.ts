import { existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { auditPathFor } from './auditLog.js';
import { fsyncFolder, removeStrayTempFiles, writeDurably } from './durableJsonFile.js';

/**
 * Replacing a database and its audit log together. Two renames cannot be one atomic step, so the
 * replacement files are written in full first, then a marker naming them, then the renames; a crash
 * between the renames leaves the marker, and the next writer to open the database finishes the renames
 * (roll forward). Without a marker nothing was replaced and the half-written files are discarded.
 */
export function restorePaths(dbPath: string) {
  const folder = dirname(dbPath);
  const base = basename(dbPath).replace(/\.json$/i, '');
  const newDb = join(folder, `.${base}.restore.json`);
  return {
    marker: `${dbPath}.restore-pending`,
    newDb,
    newAudit: auditPathFor(newDb),
    db: dbPath,
    audit: auditPathFor(dbPath),
  };
}

/** Writes the replacement files durably beside the database (nothing live is touched yet). */
export async function stageRestore(dbPath: string, dbText: string, auditText: string): Promise<void> {
  const p = restorePaths(dbPath);
  await writeDurably(p.newAudit, auditText);
  await writeDurably(p.newDb, dbText);
}

/** Swaps the staged files in. The caller holds the writer lock. */
export async function commitRestore(dbPath: string): Promise<void> {
  const p = restorePaths(dbPath);
  await writeDurably(p.marker, JSON.stringify({ db: basename(p.newDb), audit: basename(p.newAudit) }));
  finishPendingRestore(dbPath);
}

/** Removes staged files that were never committed (a refused or interrupted restore before its marker). */
export function discardStagedRestore(dbPath: string): void {
  const p = restorePaths(dbPath);
  if (existsSync(p.marker)) return;
  for (const f of [p.newDb, p.newAudit]) {
    try {
      unlinkSync(f);
    } catch {
      // Not there.
    }
  }
}

/**
 * Finishes a restore a crash interrupted after its marker was written; else discards staged files.
 * The caller holds the writer lock. Returns true when a restore was finished.
 */
export function finishPendingRestore(dbPath: string): boolean {
  const p = restorePaths(dbPath);
  for (const f of [p.marker, p.newDb, p.newAudit]) removeStrayTempFiles(f);
  if (!existsSync(p.marker)) {
    discardStagedRestore(dbPath);
    return false;
  }
  // The marker is written durably (whole or not at all); its names are checked against ours anyway.
  const named = JSON.parse(readFileSync(p.marker, 'utf8')) as { db?: string; audit?: string };
  if (named.db !== basename(p.newDb) || named.audit !== basename(p.newAudit)) {
    throw new Error(
      `The restore marker ${p.marker} is not one this version wrote; remove it by hand after checking.`,
    );
  }
  if (existsSync(p.newAudit)) renameSync(p.newAudit, p.audit);
  if (existsSync(p.newDb)) renameSync(p.newDb, p.db);
  fsyncFolder(dirname(dbPath));
  unlinkSync(p.marker);
  fsyncFolder(dirname(dbPath));
  return true;
}

export function restoreIsPending(dbPath: string): boolean {
  return existsSync(restorePaths(dbPath).marker);
}
