import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { archivePathFor, archiveYears } from './archiveFiles.js';
import { auditPathFor } from './auditLog.js';
import { fsyncFolder, removeStrayTempFiles, writeDurably } from './durableJsonFile.js';
import { evidenceDirFor } from './evidenceFiles.js';
import { keysPathFor } from './subjectKeys.js';

/**
 * Replacing a database, its audit log and its evidence folder together. Renames cannot be one atomic
 * step, so the replacements are written in full first, then a marker naming them, then the renames; a
 * crash between the renames leaves the marker, and the next writer to open the database finishes them
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
    newEvidence: join(folder, `.${base}.restore.evidence`),
    newKeys: keysPathFor(newDb),
    db: dbPath,
    audit: auditPathFor(dbPath),
    keys: keysPathFor(dbPath),
    evidence: evidenceDirFor(dbPath),
  };
}

/** An empty folder for the evidence files of a restore (the restore writes them in as it reads the backup). */
export function stageRestoreEvidence(dbPath: string): string {
  const p = restorePaths(dbPath);
  rmSync(p.newEvidence, { recursive: true, force: true });
  mkdirSync(p.newEvidence, { recursive: true, mode: 0o700 });
  return p.newEvidence;
}

/** Where a restore stages one year's archive file (see archiveFiles.ts) before swapping it in. */
export function stagedArchivePath(dbPath: string, year: number): string {
  const base = basename(dbPath).replace(/\.json$/i, '');
  return join(dirname(dbPath), `.${base}.restore.archive-${year}.json`);
}

/** The archive years staged beside the database. */
function stagedArchiveYears(dbPath: string): number[] {
  const base = basename(dbPath)
    .replace(/\.json$/i, '')
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${base}\\.restore\\.archive-(\\d{4})\\.json$`);
  const dir = dirname(dbPath);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => pattern.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
}

/**
 * Writes the replacement files durably beside the database (nothing live is touched yet): the database,
 * its audit log, and the archive files of the backed-up set (year → file text).
 */
export async function stageRestore(
  dbPath: string,
  dbText: string,
  auditText: string,
  archives: ReadonlyMap<number, string> = new Map(),
  keysText: string | null = null,
): Promise<void> {
  const p = restorePaths(dbPath);
  for (const [year, text] of archives) await writeDurably(stagedArchivePath(dbPath, year), text, 0o600);
  // The keys that open the personal fields sealed in the restored log (absent in backups made before them).
  if (keysText !== null) await writeDurably(p.newKeys, keysText, 0o600);
  await writeDurably(p.newAudit, auditText);
  await writeDurably(p.newDb, dbText);
}

/**
 * Swaps the staged files in. The caller holds the writer lock. `archives`: the years of the restored set's
 * archive files (staged with stageRestore); archive files of other years are removed, so the set is the
 * backup's exactly. Left out (an older caller), archive files are not touched. With staged evidence, the
 * evidence folder it replaces is moved to `evidenceReplacedTo` (kept, like copies of the replaced files).
 */
export async function commitRestore(
  dbPath: string,
  archives?: readonly number[],
  opts: { evidenceReplacedTo?: string } = {},
): Promise<void> {
  const p = restorePaths(dbPath);
  const staged = existsSync(p.newEvidence);
  await writeDurably(
    p.marker,
    JSON.stringify({
      db: basename(p.newDb),
      audit: basename(p.newAudit),
      ...(archives ? { archives: [...archives] } : {}),
      ...(staged
        ? { evidence: basename(p.newEvidence), evidenceReplacedTo: opts.evidenceReplacedTo ?? null }
        : {}),
    }),
  );
  finishPendingRestore(dbPath);
}

/** Removes staged files that were never committed (a refused or interrupted restore before its marker). */
export function discardStagedRestore(dbPath: string): void {
  const p = restorePaths(dbPath);
  if (existsSync(p.marker)) return;
  for (const f of [
    p.newDb,
    p.newAudit,
    p.newKeys,
    ...stagedArchiveYears(dbPath).map((y) => stagedArchivePath(dbPath, y)),
  ]) {
    try {
      unlinkSync(f);
    } catch {
      // Not there.
    }
  }
  rmSync(p.newEvidence, { recursive: true, force: true });
}

/**
 * Finishes a restore a crash interrupted after its marker was written; else discards staged files.
 * The caller holds the writer lock. Returns true when a restore was finished.
 */
export function finishPendingRestore(dbPath: string): boolean {
  const p = restorePaths(dbPath);
  for (const f of [p.marker, p.newDb, p.newAudit, p.newKeys]) removeStrayTempFiles(f);
  for (const y of stagedArchiveYears(dbPath)) removeStrayTempFiles(stagedArchivePath(dbPath, y));
  if (!existsSync(p.marker)) {
    discardStagedRestore(dbPath);
    return false;
  }
  // The marker is written durably (whole or not at all); its names are checked against ours anyway.
  const named = JSON.parse(readFileSync(p.marker, 'utf8')) as {
    db?: string;
    audit?: string;
    archives?: unknown;
    evidence?: string;
    evidenceReplacedTo?: string | null;
  };
  if (
    named.db !== basename(p.newDb) ||
    named.audit !== basename(p.newAudit) ||
    (named.evidence !== undefined && named.evidence !== basename(p.newEvidence))
  ) {
    throw new Error(
      `The restore marker ${p.marker} is not one this version wrote; remove it by hand after checking.`,
    );
  }
  if (existsSync(p.newKeys)) renameSync(p.newKeys, p.keys);
  if (existsSync(p.newAudit)) renameSync(p.newAudit, p.audit);
  if (existsSync(p.newDb)) renameSync(p.newDb, p.db);
  if (Array.isArray(named.archives)) {
    const keep = new Set(named.archives.map(Number));
    for (const y of keep) {
      const staged = stagedArchivePath(dbPath, y);
      if (existsSync(staged)) renameSync(staged, archivePathFor(dbPath, y));
    }
    for (const y of archiveYears(dbPath)) if (!keep.has(y)) unlinkSync(archivePathFor(dbPath, y));
  }
  if (named.evidence !== undefined && existsSync(p.newEvidence)) {
    // The evidence folder it replaces is kept (never deleted), then the staged one takes its name.
    if (existsSync(p.evidence))
      renameSync(p.evidence, freePath(keptEvidencePath(dbPath, named.evidenceReplacedTo)));
    renameSync(p.newEvidence, p.evidence);
  }
  fsyncFolder(dirname(dbPath));
  unlinkSync(p.marker);
  fsyncFolder(dirname(dbPath));
  return true;
}

function keptEvidencePath(dbPath: string, named: string | null | undefined): string {
  if (named) return resolve(dirname(dbPath), named);
  return join(dirname(dbPath), `.${basename(evidenceDirFor(dbPath))}.replaced`);
}

/** `path`, or `path-2`, `path-3`… if it is taken. */
function freePath(path: string): string {
  let free = path;
  for (let n = 2; existsSync(free); n++) free = `${path}-${n}`;
  mkdirSync(dirname(free), { recursive: true, mode: 0o700 });
  return free;
}

export function restoreIsPending(dbPath: string): boolean {
  return existsSync(restorePaths(dbPath).marker);
}
