import { createReadStream, existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { type AuditEntry, hashEntry } from './auditLog.js';
import { fsyncFolder } from './durableJsonFile.js';
import { holdsPersonalData, sealRecord } from './personalFields.js';
import type { SubjectKeys } from './subjectKeys.js';

/** The converted log is written here first, then renamed over the log. */
export function sealingPathFor(auditPath: string): string {
  return `${auditPath}.sealing`;
}

export interface SealedLog {
  entries: number;
  /** Entries whose personal fields were sealed. */
  sealed: number;
  head: { seq: number; hash: string };
  bytes: number;
}

/**
 * Writes a copy of a log written before personal fields were sealed, with them sealed (keys made as
 * needed) and the chain re-hashed from the first changed entry, to `sealingPathFor(auditPath)`, synced.
 * Nothing live changes: the caller records the new head in the database file, then `adoptSealedLog`
 * swaps it in. Line by line, so a large log is never held whole.
 */
export async function writeSealedLog(auditPath: string, keys: SubjectKeys): Promise<SealedLog> {
  const out = await open(sealingPathFor(auditPath), 'w', 0o600);
  const result: SealedLog = { entries: 0, sealed: 0, head: { seq: 0, hash: '' }, bytes: 0 };
  try {
    if (existsSync(auditPath)) {
      const lines = createInterface({ input: createReadStream(auditPath, 'utf8'), crlfDelay: Infinity });
      let prev = '';
      let chunk = '';
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const { hash: _old, ...entry } = JSON.parse(line) as AuditEntry;
        if (holdsPersonalData(entry.collection)) {
          const before = sealRecord(entry.collection, entry.before, keys);
          const after = sealRecord(entry.collection, entry.after, keys);
          if (before !== entry.before || after !== entry.after) result.sealed++;
          entry.before = before;
          entry.after = after;
        }
        entry.prev = prev;
        const hash = hashEntry(entry);
        const text = `${JSON.stringify({ ...entry, hash })}\n`;
        chunk += text;
        result.bytes += Buffer.byteLength(text);
        result.entries++;
        result.head = { seq: entry.seq, hash };
        prev = hash;
        if (chunk.length > 1 << 20) {
          await out.writeFile(chunk, 'utf8');
          chunk = '';
        }
      }
      await out.writeFile(chunk, 'utf8');
    }
    await out.sync();
  } finally {
    await out.close();
  }
  return result;
}

/** Swaps the sealed copy in for the log (the database file already records its head). */
export function adoptSealedLog(auditPath: string): void {
  renameSync(sealingPathFor(auditPath), auditPath);
  fsyncFolder(dirname(auditPath));
}

/** Removes a sealed copy that is not to be used (the log had nothing to convert). */
export function discardSealedLog(auditPath: string): void {
  if (existsSync(sealingPathFor(auditPath))) unlinkSync(sealingPathFor(auditPath));
}

/**
 * Finishes or discards a conversion a crash interrupted, before the database is opened: when the database
 * file already records the sealed copy's head, the copy is swapped in; otherwise it is removed (the old
 * log and the database still agree) and the conversion runs again. The caller holds the writer lock.
 */
export function finishLogSealing(dbPath: string, auditPath: string): void {
  const sealing = sealingPathFor(auditPath);
  if (!existsSync(sealing)) return;
  const text = readFileSync(sealing, 'utf8');
  const last = text.trimEnd().split('\n').at(-1);
  let head = '';
  try {
    head = last ? ((JSON.parse(last) as AuditEntry).hash ?? '') : '';
  } catch {
    // A copy cut short was never adopted.
  }
  let recorded: { auditHash?: string; logSealedAt?: string | null } = {};
  try {
    recorded = (JSON.parse(readFileSync(dbPath, 'utf8')) as { meta?: typeof recorded }).meta ?? {};
  } catch {
    // No database file: nothing was adopted.
  }
  if (recorded.logSealedAt && head !== '' && recorded.auditHash === head) adoptSealedLog(auditPath);
  else unlinkSync(sealing);
}
