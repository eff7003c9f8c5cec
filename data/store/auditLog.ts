import { itemAt } from '../itemAt.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncFolder } from './durableJsonFile.js';
import { OWNER_FILE_MODE } from './ownerOnly.js';
import { writeFaults } from './writeFaults.js';

/**
 * Which transaction an entry belongs to: `first` is the sequence number of its first entry, `count` how
 * many entries it has. The log is the store's journal, so a transaction whose entries are not all on disk
 * was never acknowledged. `snapshot` marks a transaction the log alone cannot replay (a change of the
 * database's settings): it is acknowledged only once the database file holding it is written.
 */
export interface TxMark {
  first: number;
  count: number;
  snapshot?: true;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete' | string;
  collection: string;
  recordId: string;
  before: unknown;
  after: unknown;
  /** Absent on entries written before the log became the journal: each is then its own transaction. */
  tx?: TxMark;
  prev: string;
  hash: string;
}

export type AuditDraft = Omit<AuditEntry, 'seq' | 'prev' | 'hash'>;

/** Fields never copied into the audit log: a short fingerprint shows that they changed, not what they hold. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'passwordHash',
  'tokenHash',
  'calendarTokenHash',
  'totpSecret',
  'recoveryCodeHashes',
]);

export function fingerprint(value: string): string {
  return `secret:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

/** Whether a record holds a secret field the log shows only as a fingerprint. */
export function hasSecrets(value: object): boolean {
  for (const k of SECRET_FIELDS) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'string' && !v.startsWith('secret:')) return true;
  }
  return false;
}

/** A record (or any value) with its secret fields replaced by fingerprints; other values untouched. */
export function redactSecrets<T>(value: T): T {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_FIELDS.has(k) && typeof v === 'string' && !v.startsWith('secret:')) {
      out ??= { ...(value as Record<string, unknown>) };
      out[k] = fingerprint(v);
    }
  }
  return (out ?? value) as T;
}

export function auditPathFor(dbPath: string): string {
  return dbPath.replace(/\.json$/i, '') + '.audit.jsonl';
}

export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex');
}

/** Chains a draft onto the previous entry: each entry carries the hash of the one before it. */
export function chainEntry(draft: AuditDraft, seq: number, prev: string): AuditEntry {
  const unsigned = { seq, ...draft, prev };
  return { ...unsigned, hash: hashEntry(unsigned) };
}

export interface EntryHeader {
  seq: number;
  at: string;
  actor: string;
  action: string;
  collection: string;
  recordId: string;
}

/**
 * One entry as its log line (no newline) and hash, built from `before` and `after` already serialised:
 * each record is turned into JSON once per change. The line is exactly `JSON.stringify` of the entry
 * `chainEntry` makes (same keys, same order), so `verifyAuditChain` checks it the same way.
 */
export function serializeEntry(
  h: EntryHeader,
  beforeJson: string,
  afterJson: string,
  tx: TxMark | undefined,
  prev: string,
): { line: string; hash: string } {
  const unsigned =
    `{"seq":${h.seq},"at":${JSON.stringify(h.at)},"actor":${JSON.stringify(h.actor)},` +
    `"action":${JSON.stringify(h.action)},"collection":${JSON.stringify(h.collection)},` +
    `"recordId":${JSON.stringify(h.recordId)},"before":${beforeJson},"after":${afterJson}` +
    `${tx ? `,"tx":${JSON.stringify(tx)}` : ''},"prev":${JSON.stringify(prev)}}`;
  const hash = createHash('sha256').update(unsigned).digest('hex');
  return { line: `${unsigned.slice(0, -1)},"hash":"${hash}"}`, hash };
}

/** Appends text (whole lines) and syncs it; a log created here also has its folder entry synced. */
export async function appendLogText(path: string, text: string, mode = OWNER_FILE_MODE): Promise<void> {
  if (text === '') return;
  const created = !existsSync(path);
  const handle = await open(path, 'a', mode);
  try {
    // Set explicitly on a new log: whatever the umask, only its owner can read it.
    if (created) await handle.chmod(mode);
    const fault = writeFaults.check(path, 'append');
    if (fault) {
      // As a full disk does: part of the text is written, then the write fails (a torn last line).
      await handle.writeFile(text.slice(0, Math.ceil(text.length / 2)), 'utf8');
      throw fault;
    }
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created) fsyncFolder(dirname(path));
}

export async function appendAuditLines(path: string, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await appendLogText(path, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
}

export async function readAuditEntries(path: string): Promise<AuditEntry[]> {
  if (!existsSync(path)) return [];
  return parseAuditText(await readFile(path, 'utf8'));
}

/** The entries of an audit log's text, one JSON line each; a line that is no entry is marked for verifyAuditChain. */
export function parseAuditText(text: string): AuditEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let entry: unknown = null;
      try {
        entry = JSON.parse(line);
      } catch {
        // Not JSON: marked below.
      }
      // Not JSON, or JSON that is no entry (`null`, `42`): marked so verifyAuditChain names the line.
      if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) return entry as AuditEntry;
      return { seq: -1, hash: '', prev: '', line: i + 1 } as unknown as AuditEntry;
    });
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  /** Plain-English account of the first problem found. */
  problem?: string;
  /** Line number (1-based) of the first broken entry. */
  line?: number;
}

/**
 * Checks the chain: each entry's hash matches its content, each `prev` is the previous entry's hash and
 * sequence numbers run 1, 2, 3… So an altered, removed or reordered entry is found. The database records the
 * head it includes, which also catches entries cut from the end.
 */
export function verifyAuditChain(entries: AuditEntry[], head?: { seq: number; hash: string }): VerifyResult {
  let prev = '';
  for (let i = 0; i < entries.length; i++) {
    const e = itemAt(entries, i);
    const line = i + 1;

    if (e.seq === -1)
      return { ok: false, entries: entries.length, line, problem: `entry on line ${line} is not valid JSON` };
    const { hash, ...unsigned } = e;
    if (hashEntry(unsigned) !== hash) {
      return {
        ok: false,
        entries: entries.length,
        line,
        problem: `entry ${e.seq} (line ${line}) was altered: its hash does not match its content`,
      };
    }
    if (e.seq !== i + 1) {
      return {
        ok: false,
        entries: entries.length,
        line,
        problem: `entry ${e.seq} (line ${line}) is out of place: expected entry ${i + 1} (an entry was removed or the order changed)`,
      };
    }
    if (e.prev !== prev) {
      return {
        ok: false,
        entries: entries.length,
        line,
        problem: `entry ${e.seq} (line ${line}) does not follow the entry before it`,
      };
    }
    prev = hash;
  }
  if (head && head.seq > 0) {
    const at = entries[head.seq - 1];
    if (!at) {
      return {
        ok: false,
        entries: entries.length,
        line: entries.length + 1,
        problem: `the database includes ${head.seq} audit entries but the log holds only ${entries.length}: entries were removed from the end`,
      };
    }
    if (at.hash !== head.hash) {
      return {
        ok: false,
        entries: entries.length,
        line: head.seq,
        problem: `entry ${head.seq} is not the one the database recorded`,
      };
    }
  }
  return { ok: true, entries: entries.length };
}
