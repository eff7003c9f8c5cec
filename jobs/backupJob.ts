import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip, gunzipSync } from 'node:zlib';
import {
  type AuditEntry,
  auditPathFor,
  chainEntry,
  parseAuditText,
  verifyAuditChain,
} from '../data/store/auditLog.js';
import {
  ArchiveDamagedError,
  type ArchiveFile,
  archivePathFor,
  archiveYears,
  checkArchive,
  readArchiveFile,
} from '../data/store/archiveFiles.js';
import { fsyncFolder, writeStreamDurably } from '../data/store/durableJsonFile.js';
import { EvidenceFolder } from '../data/store/evidenceFiles.js';
import { migrate } from '../data/store/migrations.js';
import {
  commitRestore,
  discardStagedRestore,
  finishPendingRestore,
  restorePaths,
  stageRestore,
  stageRestoreEvidence,
} from '../data/store/restoreSwap.js';
import { Store } from '../data/store/store.js';
import { WriterLock } from '../data/store/writerLock.js';
import {
  checkEvidenceEntry,
  type EvidenceEntry,
  type EvidenceSnapshot,
  evidenceLines,
  evidenceRecordsOf,
  snapshotEvidence,
} from './backupEvidence.js';

/**
 * A backup is ONE gzip-compressed JSON file holding the database, its audit log and its evidence files
 * as they were at one moment:
 *
 *   { "format": "dueregard-backup", "version": 2, "createdAt": ISO instant, "database": "dueregard.json",
 *     "schemaVersion": 1, "auditHead": { "seq", "hash" }, "counts": { collection: records },
 *     "dbSha256": sha256 of JSON.stringify(db), "db": { …the database… }, "audit": [ …entries 1..seq… ],
 *     "archives": { "2024": { …that year's archive file, with its own checksum… } },
 *     "evidence": { "files", "bytes", "missing": [{ "id", "reason" }] },
 *     "evidenceFiles": [
 *       { "id", "sha256", "size", "base64" },   ← one file per line (see backupEvidence.ts)
 *     ] }
 *
 * `archives` (the per-year files of past bookings, see archiveFiles.ts) is there once the database has any.
 *
 * Named `<db name>-backup-<UTC stamp>.json.gz` in `backups/` beside the database, mode 0600 (it holds
 * personal data). `zcat FILE | jq` reads one by hand. Version 1 backups (no evidence) still restore.
 */
export const BACKUP_FORMAT = 'dueregard-backup';
export const BACKUP_VERSION = 2;
const READABLE_VERSIONS = new Set([1, 2]);
export const DEFAULT_KEEP = 30;

export interface BackupEnvelope {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  database: string;
  schemaVersion: number;
  auditHead: { seq: number; hash: string };
  counts: Record<string, number>;
  dbSha256: string;
  db: Record<string, unknown>;
  audit: AuditEntry[];
  /** The archive files of past bookings, by year; absent when there are none. */
  archives?: Record<string, ArchiveFile>;
  /** What the evidence files hold; files whose record is in `db` but not their file are left out of `db`. */
  evidence?: { files: number; bytes: number; missing: { id: string; reason: string }[] };
  evidenceFiles?: EvidenceEntry[];
  /**
   * The keys that open the personal fields sealed in `audit` (the key file's lines, see subjectKeys.ts).
   * Keys retention destroyed before the backup are not in it; absent in backups made before sealing.
   */
  keys?: string;
}

/** A backup or restore refused for a stated reason; nothing was changed. The CLI answers exit 1. */
export class BackupRefusedError extends Error {
  readonly refused = true;
}

/**
 * What a backup reads: the server's own store (which may be writing), or just the database's path (opened
 * read-only, replaying what the log holds past the database file).
 */
export type BackupSource = Store | { path: string };

export interface BackupOptions {
  /** Folder for backups (default `backups/` beside the database). */
  dir?: string;
  /** How many backups of this database to keep, newest first (default 30). */
  keep?: number;
  now?: () => Date;
}

/** A backup made before retention erased personal data still holds it: removed this many days after. */
export const ERASED_BACKUP_KEEP_DAYS = 30;

export interface BackupHoldingErased {
  file: string;
  createdAt: string;
  /** When retention first erased personal data this backup still holds. */
  erasedSince: string;
}

export interface BackupResult {
  file: string;
  bytes: number;
  records: number;
  auditEntries: number;
  createdAt: string;
  /** Older backups removed to keep the newest `keep`, or holding personal data erased too long ago. */
  removed: string[];
  /** Older backups kept that still hold personal data retention erased since they were made. */
  holdingErased: BackupHoldingErased[];
  evidenceFiles: number;
  /** Evidence records left out because their file was gone or damaged (with why). */
  evidenceMissing: { id: string; reason: string }[];
}

export function defaultBackupDir(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const baseName = (dbPath: string) => basename(dbPath).replace(/\.json$/i, '');
const stampOf = (d: Date) => d.toISOString().replace(/[-:.]/g, '');

function backupPattern(dbPath: string): RegExp {
  const base = baseName(dbPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${base}-backup-(\\d{8}T\\d{9}Z)(?:-(\\d+))?\\.json\\.gz$`);
}

/** The backups of this database in `dir`, oldest first. */
export function listBackups(dbPath: string, dir = defaultBackupDir(dbPath)): string[] {
  if (!existsSync(dir)) return [];
  const pattern = backupPattern(dbPath);
  // Ordered by time, then by the -2, -3 suffix of backups taken in the same millisecond.
  const key = (m: RegExpExecArray) => `${m[1]}-${(m[2] ?? '1').padStart(6, '0')}`;
  return readdirSync(dir)
    .map((f) => pattern.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map((m) => join(dir, m[0]));
}

/**
 * Takes a consistent backup and keeps the newest `keep`. Never writes the database, so it runs beside the
 * server. The audit log is the journal and the database file a snapshot that may lag it, so the backup holds
 * the database as of the last logged change (the store replays the log onto the file) and the log up to
 * that change. The chain is verified against that head; a broken chain refuses the backup (earlier ones are
 * kept), since a restore would refuse it anyway.
 */
export async function runBackup(source: BackupSource, opts: BackupOptions = {}): Promise<BackupResult> {
  const dbPath = source.path;
  const now = opts.now ?? (() => new Date());
  const keep = opts.keep ?? DEFAULT_KEEP;
  if (!Number.isInteger(keep) || keep < 1) throw new BackupRefusedError('Keep at least one backup');
  let store: Store;
  if (source instanceof Store) {
    store = source;
  } else {
    try {
      store = await Store.open(dbPath, { write: false, validateOnLoad: false });
    } catch (err) {
      throw new BackupRefusedError(`${(err as Error).message.replace(/\.$/, '')}; no backup was taken`);
    }
  }
  const copy = await store.copyForBackup();
  const auditPath = auditPathFor(dbPath);
  const auditText = existsSync(auditPath) ? readPrefix(auditPath, copy.logBytes) : '';
  const createdAt = now().toISOString();

  const db = JSON.parse(copy.dbText) as Record<string, unknown>;
  const head = copy.head;
  const audit = parseAuditText(auditText).slice(0, head.seq);
  const chain = verifyAuditChain(audit, head);
  if (!chain.ok) {
    throw new BackupRefusedError(
      `The audit log does not verify (${chain.problem}); no backup was taken and the earlier backups are kept. Run "npx dueregard audit verify".`,
    );
  }
  // Read after the database: a booking moved meanwhile is then in one or the other, never in neither.
  const archives = readArchivesForBackup(dbPath);
  const dir = opts.dir ?? defaultBackupDir(dbPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}.json.gz`);
  for (let n = 2; existsSync(file); n++) {
    file = join(dir, `${baseName(dbPath)}-backup-${stampOf(new Date(createdAt))}-${n}.json.gz`);
  }

  // The evidence files are pinned first; a record whose file is gone (removed meanwhile) is left out.
  const evidence = snapshotEvidence(dbPath, [...evidenceRecordsOf(db).values()]);
  let counts: Record<string, number>;
  try {
    const gone = new Set(evidence.missing.map((m) => m.id));
    if (gone.size > 0) db.evidence = (db.evidence as { id: string }[]).filter((e) => !gone.has(e.id));
    counts = countsOf(db);
    const envelope: BackupEnvelope = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt,
      database: basename(dbPath),
      schemaVersion: typeof db.schemaVersion === 'number' ? db.schemaVersion : 0,
      auditHead: head,
      counts,
      dbSha256: sha256(JSON.stringify(db)),
      db,
      audit,
      ...(archives ? { archives } : {}),
      keys: store.keys.text(),
      evidence: { files: evidence.files.length, bytes: evidence.bytes, missing: evidence.missing },
    };
    await writeStreamDurably(file, backupText(JSON.stringify(envelope), evidence), createGzip(), 0o600);
  } finally {
    evidence.close();
  }

  const all = listBackups(dbPath, dir);
  const erasures = ((db.meta as { keysDestroyedAt?: string[] } | undefined)?.keysDestroyedAt ?? [])
    .slice()
    .sort();
  const holding = backupsHoldingErased(all, erasures);
  // Retention reaches backups too: one still holding data erased over ERASED_BACKUP_KEEP_DAYS ago goes.
  const tooLong = new Date(
    new Date(createdAt).getTime() - ERASED_BACKUP_KEEP_DAYS * 86_400_000,
  ).toISOString();
  const removed = [
    ...new Set([
      ...all.slice(0, Math.max(0, all.length - keep)),
      ...holding.filter((h) => h.erasedSince < tooLong && h.file !== file).map((h) => h.file),
    ]),
  ];
  for (const old of removed) unlinkSync(old);
  if (removed.length) fsyncFolder(dir);
  return {
    file,
    bytes: statSync(file).size,
    records: Object.values(counts).reduce((a, b) => a + b, 0) + archivedRecords(archives),
    auditEntries: audit.length,
    createdAt,
    removed,
    holdingErased: holding.filter((h) => !removed.includes(h.file)),
    evidenceFiles: evidence.files.length,
    evidenceMissing: evidence.missing,
  };
}

/** When a backup was made, from its name (`…-backup-20261207T021531269Z.json.gz`). */
function createdAtOf(file: string): string | null {
  const m = /-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(basename(file));
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z` : null;
}

/** The backups made before a retention run that erased personal data, with the first such run after each. */
export function backupsHoldingErased(
  files: readonly string[],
  erasures: readonly string[],
): BackupHoldingErased[] {
  const out: BackupHoldingErased[] = [];
  for (const file of files) {
    const createdAt = createdAtOf(file);
    if (!createdAt) continue;
    const erasedSince = erasures.find((e) => e > createdAt);
    if (erasedSince) out.push({ file, createdAt, erasedSince });
  }
  return out;
}

/** Every archive file beside the database, checked; a damaged one refuses the backup. */
function readArchivesForBackup(dbPath: string): Record<string, ArchiveFile> | null {
  const years = archiveYears(dbPath);
  if (years.length === 0) return null;
  const out: Record<string, ArchiveFile> = {};
  for (const y of years) {
    try {
      const file = readArchiveFile(dbPath, y);
      if (file) out[String(y)] = file;
    } catch (err) {
      if (!(err instanceof ArchiveDamagedError)) throw err;
      throw new BackupRefusedError(
        `${err.message.replace(/ Restore it from a backup\.$/, '')}; no backup was taken and the earlier backups are kept`,
      );
    }
  }
  return out;
}

function archivedRecords(archives: Record<string, ArchiveFile> | null | undefined): number {
  let n = 0;
  for (const a of Object.values(archives ?? {})) n += Object.values(a.counts).reduce((x, y) => x + y, 0);
  return n;
}

/** The member the evidence files follow, ending the envelope's first line. */
const EVIDENCE_MEMBER = '"evidenceFiles":[';

/** The backup's text: the envelope (first line) with its `evidenceFiles` member filled a line per file. */
async function* backupText(envelopeJson: string, evidence: EvidenceSnapshot): AsyncGenerator<string> {
  yield `${envelopeJson.slice(0, -1)},${EVIDENCE_MEMBER}`;
  yield* evidenceLines(evidence);
  yield '\n]}\n';
}

/** The first `bytes` bytes of a file (the log grows while the server writes; later lines are not ours). */
function readPrefix(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    let got = 0;
    while (got < bytes) {
      const n = readSync(fd, buf, got, bytes - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}

function copyDurably(from: string, to: string): void {
  copyFileSync(from, to);
  chmodSync(to, 0o600);
  const fd = openSync(to, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function headOf(db: Record<string, unknown>): { seq: number; hash: string } {
  const { db: migrated } = migrate(structuredClone(db));
  const meta = (migrated.meta ?? {}) as { auditSeq?: number; auditHash?: string };
  return { seq: meta.auditSeq ?? 0, hash: meta.auditHash ?? '' };
}

function countsOf(db: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(db)
      .filter(([, v]) => Array.isArray(v))
      .map(([k, v]) => [k, (v as unknown[]).length]),
  );
}

/** Checks a parsed backup: our format and a version we read, a database matching its checksum, an audit chain that verifies up to the head that database records. */
function checkEnvelope(parsed: unknown, label: string): BackupEnvelope {
  const p = parsed as (Partial<BackupEnvelope> & Record<string, unknown>) | null;
  if (p === null || typeof p !== 'object' || p.format !== BACKUP_FORMAT) {
    throw new BackupRefusedError(
      `${label} is not a Due Regard backup: it has no "format": "${BACKUP_FORMAT}"`,
    );
  }
  if (!READABLE_VERSIONS.has(p.version as number)) {
    throw new BackupRefusedError(
      typeof p.version === 'number' && p.version > BACKUP_VERSION
        ? `${label} was made by a newer version of Due Regard (backup format ${p.version}); upgrade first`
        : `${label} has an unknown backup format version (${String(p.version)})`,
    );
  }
  const db = p.db;
  if (!db || typeof db !== 'object' || Array.isArray(db) || !Array.isArray(p.audit)) {
    throw new BackupRefusedError(`${label} is damaged: it lacks the database or the audit log`);
  }
  if (typeof p.dbSha256 !== 'string' || sha256(JSON.stringify(db)) !== p.dbSha256) {
    throw new BackupRefusedError(
      `${label} is damaged: its database does not match the checksum recorded when the backup was taken`,
    );
  }
  let head: { seq: number; hash: string };
  try {
    head = headOf(db);
  } catch (err) {
    throw new BackupRefusedError(`${label} cannot be restored: ${(err as Error).message}`);
  }
  const chain = verifyAuditChain(p.audit as AuditEntry[], head);
  if (!chain.ok) {
    throw new BackupRefusedError(
      `${label} cannot be restored: its audit log does not verify (${chain.problem})`,
    );
  }
  if (p.audit.length !== head.seq) {
    throw new BackupRefusedError(
      `${label} cannot be restored: its audit log has ${p.audit.length} entries but its database records ${head.seq}`,
    );
  }
  if (p.keys !== undefined && typeof p.keys !== 'string')
    throw new BackupRefusedError(`${label} is damaged: its audit-log keys are not readable`);
  if (p.archives !== undefined) {
    if (!p.archives || typeof p.archives !== 'object' || Array.isArray(p.archives))
      throw new BackupRefusedError(`${label} is damaged: its archive files are not readable`);
    for (const [year, archive] of Object.entries(p.archives)) {
      try {
        if (!/^\d{4}$/.test(year))
          throw new ArchiveDamagedError(`an archive is filed under "${year}", not a year`);
        checkArchive(archive, `its archive of ${year}`, Number(year));
      } catch (err) {
        if (!(err instanceof ArchiveDamagedError)) throw err;
        throw new BackupRefusedError(`${label} cannot be restored: ${err.message}`);
      }
    }
  }
  return p as BackupEnvelope;
}

/**
 * Checks a backup's evidence files against the records of its database, handing each file's bytes to
 * `onFile`; every record must have its file.
 */
class EvidenceCheck {
  private readonly expected: ReturnType<typeof evidenceRecordsOf>;
  files = 0;

  constructor(
    envelope: BackupEnvelope,
    private readonly label: string,
    private readonly onFile: (id: string, bytes: Buffer) => void,
  ) {
    this.expected = evidenceRecordsOf(envelope.db);
  }

  entry(entry: unknown): void {
    const r = checkEvidenceEntry(entry, this.expected);
    if ('problem' in r) throw new BackupRefusedError(`${this.label} is damaged: ${r.problem}`);
    this.onFile(r.id, r.bytes);
    this.files++;
  }

  end(): void {
    const [missing] = this.expected.keys();
    if (missing !== undefined) {
      throw new BackupRefusedError(
        `${this.label} is damaged: evidence file ${missing}, which its database records, is not in it`,
      );
    }
  }
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new BackupRefusedError(`${label} is damaged: its content is not valid JSON`);
  }
}

const isGzip = (head: Uint8Array) => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
const looksLikeJson = (head: Uint8Array) => /^\s*\{/.test(Buffer.from(head.subarray(0, 64)).toString('utf8'));

/**
 * Reads and checks a whole backup held in memory: a gzip (or plain) JSON envelope of our format (see
 * checkEnvelope), and its evidence files against its database. Anything else is refused with the reason.
 */
export function readBackup(bytes: Buffer, label: string): BackupEnvelope {
  let text: string;
  if (isGzip(bytes)) {
    try {
      text = gunzipSync(bytes).toString('utf8');
    } catch (err) {
      throw new BackupRefusedError(
        `${label} is damaged: it is not a complete gzip file (${(err as Error).message})`,
      );
    }
  } else if (looksLikeJson(bytes)) {
    text = bytes.toString('utf8');
  } else {
    throw new BackupRefusedError(`${label} is not a Due Regard backup: it is neither gzip nor JSON`);
  }
  const envelope = checkEnvelope(parseJson(text, label), label);
  const check = new EvidenceCheck(envelope, label, () => {});
  for (const entry of envelope.evidenceFiles ?? []) check.entry(entry);
  check.end();
  return envelope;
}

/** The lines of a stream of UTF-8 text, each found by looking only at the chunk that ends it. */
async function* linesOf(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pieces: string[] = [];
  for await (const chunk of stream) {
    let text = decoder.write(chunk);
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n')) {
      pieces.push(text.slice(0, i));
      yield pieces.join('');
      pieces = [];
      text = text.slice(i + 1);
    }
    if (text) pieces.push(text);
  }
  pieces.push(decoder.end());
  const last = pieces.join('');
  if (last) yield last;
}

/**
 * Reads and checks a backup file a line at a time (never the whole file in memory): its envelope first,
 * then each evidence file, handed to `onFile` once checked. A backup on one line (version 1) or
 * re-formatted by hand is read whole. Refuses (BackupRefusedError) whatever readBackup refuses.
 */
export async function readBackupFile(
  path: string,
  label: string,
  onFile: (id: string, bytes: Buffer) => void,
): Promise<{ envelope: BackupEnvelope; evidenceFiles: number }> {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(64);
      head = head.subarray(0, readSync(fd, head, 0, 64, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new BackupRefusedError(
      `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  const gzipped = isGzip(head);
  if (!gzipped && !looksLikeJson(head)) {
    throw new BackupRefusedError(`${label} is not a Due Regard backup: it is neither gzip nor JSON`);
  }
  const input = createReadStream(path);
  const lines = linesOf(gzipped ? input.pipe(createGunzip()) : input);
  try {
    const first = await lines.next();
    const firstLine = first.done ? '' : first.value;
    if (!firstLine.endsWith(EVIDENCE_MEMBER)) {
      const rest: string[] = [firstLine];
      for await (const line of lines) rest.push(line);
      const envelope = checkEnvelope(parseJson(rest.join('\n'), label), label);
      const check = new EvidenceCheck(envelope, label, onFile);
      for (const entry of envelope.evidenceFiles ?? []) check.entry(entry);
      check.end();
      delete envelope.evidenceFiles;
      return { envelope, evidenceFiles: check.files };
    }
    const envelope = checkEnvelope(parseJson(`${firstLine}]}`, label), label);
    const check = new EvidenceCheck(envelope, label, onFile);
    let closed = false;
    for await (const raw of lines) {
      const line = raw.trim();
      if (!line) continue;
      if (closed)
        throw new BackupRefusedError(`${label} is damaged: there is more after its last evidence file`);
      if (line === ']}') closed = true;
      else check.entry(parseJson(line.replace(/,$/, ''), label));
    }
    if (!closed)
      throw new BackupRefusedError(`${label} is damaged: it ends part-way through its evidence files`);
    check.end();
    return { envelope, evidenceFiles: check.files };
  } catch (err) {
    if (err instanceof BackupRefusedError) throw err;
    throw new BackupRefusedError(
      `${label} is damaged: it is not a complete gzip file (${(err as Error).message})`,
    );
  } finally {
    input.destroy();
  }
}

export interface RestoreOptions {
  actor?: string;
  now?: () => Date;
}

export interface RestoreResult {
  backupCreatedAt: string;
  records: number;
  auditEntries: number;
  evidenceFiles: number;
  /**
   * Folder holding copies of the database and audit log that were replaced, and the evidence folder
   * that was (null if there were none).
   */
  replacedCopy: string | null;
}

/**
 * Replaces the database, its audit log and its evidence files with a backup's. Takes the writer lock first
 * (DatabaseLockedError while the server runs), checks the backup fully (each evidence file against its
 * record) and loads its database before touching anything, keeps copies of the files it replaces (and the
 * evidence folder), swaps them in as one step (see restoreSwap.ts) and adds a `restore` entry to the
 * restored log. A refused restore leaves the database byte-for-byte as it was.
 */
export async function restoreBackup(
  dbPath: string,
  backupFile: string,
  opts: RestoreOptions = {},
): Promise<RestoreResult> {
  const now = opts.now ?? (() => new Date());
  mkdirSync(dirname(dbPath), { recursive: true });
  const lock = new WriterLock(dbPath);
  lock.acquire(dbPath);
  try {
    finishPendingRestore(dbPath);
    // The evidence files are written into a staging folder as the backup is read and checked.
    const staged = new EvidenceFolder(stageRestoreEvidence(dbPath));
    let read: Awaited<ReturnType<typeof readBackupFile>>;
    try {
      read = await readBackupFile(backupFile, basename(backupFile), (id, bytes) =>
        staged.writeSync(id, bytes),
      );
    } catch (err) {
      discardStagedRestore(dbPath);
      throw err;
    }
    const backup = read.envelope;

    const at = now();
    const paths = restorePaths(dbPath);
    const replacing = [
      paths.db,
      paths.audit,
      paths.keys,
      ...archiveYears(dbPath).map((y) => archivePathFor(dbPath, y)),
    ].filter((f) => existsSync(f));
    const replacedCopy =
      replacing.length || existsSync(paths.evidence)
        ? join(defaultBackupDir(dbPath), `replaced-${baseName(dbPath)}-${stampOf(at)}`)
        : null;

    const { db } = migrate(structuredClone(backup.db));
    const head = backup.audit.at(-1);
    const note = chainEntry(
      {
        at: at.toISOString(),
        actor: opts.actor ?? 'cli',
        action: 'restore',
        collection: 'database',
        recordId: basename(dbPath),
        before: null,
        after: {
          backup: basename(backupFile),
          backupCreatedAt: backup.createdAt,
          auditEntriesRestored: backup.audit.length,
          evidenceFilesRestored: read.evidenceFiles,
          replacedCopy,
        },
      },
      (head?.seq ?? 0) + 1,
      head?.hash ?? '',
    );
    const audit = [...backup.audit, note];
    const auditText = audit.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const archiveTexts = new Map(
      Object.entries(backup.archives ?? {}).map(([y, a]) => [Number(y), JSON.stringify(a)] as const),
    );
    db.meta = {
      ...db.meta,
      auditSeq: note.seq,
      auditHash: note.hash,
      auditOffset: Buffer.byteLength(auditText),
    };

    try {
      await stageRestore(dbPath, JSON.stringify(db), auditText, archiveTexts, backup.keys ?? null);
      // The staged database must load exactly as the server will load it.
      await Store.open(paths.newDb, { write: false });
    } catch (err) {
      discardStagedRestore(dbPath);
      if (err instanceof BackupRefusedError) throw err;
      throw new BackupRefusedError(
        `${basename(backupFile)} cannot be restored: its database does not load (${(err as Error).message})`,
      );
    }

    if (replacedCopy) {
      mkdirSync(replacedCopy, { recursive: true, mode: 0o700 });
      for (const f of replacing) copyDurably(f, join(replacedCopy, basename(f)));
      fsyncFolder(replacedCopy);
    }
    // The evidence folder it replaces is moved (not copied) beside those copies as part of the swap.
    await commitRestore(dbPath, [...archiveTexts.keys()], {
      evidenceReplacedTo: replacedCopy ? join(replacedCopy, basename(paths.evidence)) : undefined,
    });
    return {
      backupCreatedAt: backup.createdAt,
      records:
        Object.values(countsOf(backup.db)).reduce((a, b) => a + b, 0) + archivedRecords(backup.archives),
      auditEntries: audit.length,
      evidenceFiles: read.evidenceFiles,
      replacedCopy,
    };
  } finally {
    lock.release();
  }
}

/**
 * The daily backup as a job for the scheduler (same shape as its ScheduledJob): runs `runBackup` on the
 * server's own store and records the run in `meta.jobRuns.backup`, so a run missed while the server was
 * down is caught up at start.
 */
export function backupScheduledJob(
  store: Store,
  opts: BackupOptions & { cron?: string; log?: (line: string) => void } = {},
) {
  const { cron = '30 2 * * *', log = () => {}, ...backupOptions } = opts;
  return {
    name: 'backup',
    crons: [cron],
    lastRun: (): string | null => store.data.meta.jobRuns.backup ?? null,
    async run(): Promise<undefined> {
      const r = await runBackup(store, backupOptions);
      await store.transact('system', (tx) =>
        tx.setMeta((meta) => {
          meta.jobRuns.backup = r.createdAt;
        }),
      );
      log(
        `Backup written to ${r.file} (${r.records} records, ${r.auditEntries} audit entries, ${r.evidenceFiles} evidence files)`,
      );
      for (const m of r.evidenceMissing) log(`Evidence file ${m.id} was left out of the backup: ${m.reason}`);
      return undefined;
    },
  };
}
