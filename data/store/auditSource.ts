import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { type AuditEntry, readAuditEntries } from './auditLog.js';

/** One entry's line of the audit log, and where to read it again (`at`, `length`: see AuditSource). */
export interface AuditLine {
  text: string;
  at: number;
  length: number;
}

/**
 * Reads the audit log wherever the backend keeps it: a file (`at` is a byte offset, the cursor a byte
 * count) or PostgreSQL's `audit_log` table (`at` and the cursor are entry numbers). The audit page keeps a
 * small index and reads whole entries back by `at`.
 */
export interface AuditSource {
  /**
   * Whole lines written past `cursor` (0: from the start), and the cursor after them. A log now shorter
   * than the cursor (a restore) is read again from its start (`restarted`).
   */
  linesAfter(cursor: number): Promise<{ lines: AuditLine[]; cursor: number; restarted: boolean }>;
  /** These entries' lines again, in the order given. */
  linesAt(rows: readonly { at: number; length: number }[]): Promise<string[]>;
  /** Every entry, for `audit verify` (a line that is no entry is marked for verifyAuditChain). */
  readAll(): Promise<AuditEntry[]>;
}

/** The audit log file of the file store (`<db>.audit.jsonl`). */
export function fileAuditSource(path: string): AuditSource {
  return {
    async linesAfter(cursor) {
      if (!existsSync(path)) return { lines: [], cursor: 0, restarted: cursor > 0 };
      const handle = await open(path, 'r');
      try {
        const { size } = await handle.stat();
        const restarted = size < cursor;
        const from = restarted ? 0 : cursor;
        if (size === from) return { lines: [], cursor: from, restarted };
        const buf = Buffer.alloc(size - from);
        await handle.read(buf, 0, buf.length, from);
        // Only whole lines: a write may be under way.
        const end = buf.lastIndexOf(0x0a);
        if (end < 0) return { lines: [], cursor: from, restarted };
        const lines: AuditLine[] = [];
        let start = 0;
        while (start <= end) {
          const nl = buf.indexOf(0x0a, start);
          lines.push({ text: buf.toString('utf8', start, nl), at: from + start, length: nl - start });
          start = nl + 1;
        }
        return { lines, cursor: from + end + 1, restarted };
      } finally {
        await handle.close();
      }
    },
    async linesAt(rows) {
      if (rows.length === 0) return [];
      const handle = await open(path, 'r');
      try {
        const out: string[] = [];
        for (const row of rows) {
          const buf = Buffer.alloc(row.length);
          await handle.read(buf, 0, row.length, row.at);
          out.push(buf.toString('utf8'));
        }
        return out;
      } finally {
        await handle.close();
      }
    },
    readAll: () => readAuditEntries(path),
  };
}
