import { createHash, randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { evidenceDirFor } from '../data/store/evidenceFiles.js';

/**
 * Evidence files in a backup. The backup file is one JSON document whose last member, `evidenceFiles`,
 * holds one file per line — `{"id","sha256","size","base64"}` — so a backup is written and read a file at
 * a time (never the whole set in memory), and is still plain JSON for `jq`.
 */
export interface EvidenceEntry {
  id: string;
  sha256: string;
  size: number;
  base64: string;
}

/** What an evidence record in the database says about its file. */
interface EvidenceRecord {
  id: string;
  sha256: string;
  size: number;
}

export interface EvidenceSnapshot {
  /** The files in the backup, pinned (hard links) so a removal while the backup runs cannot touch them. */
  files: EvidenceRecord[];
  /** Records whose file was gone or did not match (removed while the backup ran, or damaged): left out. */
  missing: { id: string; reason: string }[];
  bytes: number;
  read(id: string): Promise<Buffer>;
  close(): void;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function stagingPrefix(dbPath: string): string {
  return `.${basename(dbPath).replace(/\.json$/i, '')}.backup-evidence-`;
}

/** Removes pinned copies a killed backup left (named by its pid), so removed evidence does not linger. */
function removeStaleStaging(dbPath: string): void {
  const prefix = stagingPrefix(dbPath);
  for (const name of readdirSync(dirname(dbPath))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (pid === process.pid || processIsAlive(pid)) continue;
    rmSync(join(dirname(dbPath), name), { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Pins the evidence files the backed-up database names: each is hard-linked (copied where links are not
 * possible) into a staging folder beside the database, then checked against its record's size and hash.
 * Files are never changed in place, so a pinned file is the file as it was.
 */
export function snapshotEvidence(dbPath: string, records: readonly EvidenceRecord[]): EvidenceSnapshot {
  const source = evidenceDirFor(dbPath);
  if (existsSync(dirname(dbPath))) removeStaleStaging(dbPath);
  const staging = join(dirname(dbPath), `${stagingPrefix(dbPath)}${process.pid}-${randomUUID()}`);
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  const files: EvidenceRecord[] = [];
  const missing: { id: string; reason: string }[] = [];
  let bytes = 0;
  for (const r of records) {
    const from = join(source, r.id);
    const to = join(staging, r.id);
    try {
      try {
        linkSync(from, to);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
        copyFileSync(from, to);
      }
    } catch {
      missing.push({ id: r.id, reason: 'the file is gone (removed while the backup ran, or lost)' });
      continue;
    }
    const content = readFileSync(to);
    if (content.length !== r.size || sha256(content) !== r.sha256) {
      missing.push({ id: r.id, reason: 'the file does not match the size and SHA-256 its record holds' });
      continue;
    }
    files.push(r);
    bytes += r.size;
  }
  return {
    files,
    missing,
    bytes,
    read: (id) => readFile(join(staging, id)),
    close: () => rmSync(staging, { recursive: true, force: true }),
  };
}

/** The `evidenceFiles` member's lines, one file each, read one at a time. */
export async function* evidenceLines(snapshot: EvidenceSnapshot): AsyncGenerator<string> {
  let first = true;
  for (const f of snapshot.files) {
    const content = await snapshot.read(f.id);
    const entry: EvidenceEntry = {
      id: f.id,
      sha256: f.sha256,
      size: f.size,
      base64: content.toString('base64'),
    };
    yield `${first ? '' : ','}\n${JSON.stringify(entry)}`;
    first = false;
  }
}

/**
 * Checks one file of a backup against the database's record of it; its bytes, or what is wrong.
 * `expected` holds each evidence record of the backed-up database not yet met.
 */
export function checkEvidenceEntry(
  entry: unknown,
  expected: Map<string, EvidenceRecord>,
): { id: string; bytes: Buffer } | { problem: string } {
  const e = entry as Partial<EvidenceEntry> | null;
  if (!e || typeof e.id !== 'string' || typeof e.base64 !== 'string') {
    return { problem: 'an evidence file entry is not in the expected form' };
  }
  const record = expected.get(e.id);
  if (!record) return { problem: `evidence file ${e.id} is not one its database records (or appears twice)` };
  const bytes = Buffer.from(e.base64, 'base64');
  if (bytes.length !== record.size || sha256(bytes) !== record.sha256) {
    return { problem: `evidence file ${e.id} does not match the size and SHA-256 its database records` };
  }
  expected.delete(e.id);
  return { id: e.id, bytes };
}

/** The evidence records of a backed-up database, by id. */
export function evidenceRecordsOf(db: Record<string, unknown>): Map<string, EvidenceRecord> {
  const list = Array.isArray(db.evidence) ? (db.evidence as EvidenceRecord[]) : [];
  return new Map(list.map((r) => [r.id, r]));
}
