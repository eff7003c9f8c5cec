import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, gunzipSync } from 'node:zlib';
import { type AuditEntry, verifyAuditChain } from '../data/store/auditLog.js';
import { ArchiveDamagedError, checkArchive } from '../data/store/archiveFiles.js';
import { migrate } from '../data/store/migrations.js';
import { checkEvidenceEntry, evidenceRecordsOf } from './backupEvidence.js';
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  type BackupEnvelope,
  BackupRefusedError,
  EVIDENCE_MEMBER,
  READABLE_VERSIONS,
  sha256,
} from './backupFormat.js';

function headOf(db: Record<string, unknown>): { seq: number; hash: string } {
  const { db: migrated } = migrate(structuredClone(db));
  const meta = (migrated.meta ?? {}) as { auditSeq?: number; auditHash?: string };
  return { seq: meta.auditSeq ?? 0, hash: meta.auditHash ?? '' };
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
  if (p.reminderLog !== undefined && !Array.isArray(p.reminderLog))
    throw new BackupRefusedError(`${label} is damaged: its reminder log is not a list`);
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
