import { readFileSync } from 'node:fs';
import { type AuditEntry, auditPathFor } from '../../data/store/auditLog.js';
import type { TestApp } from './testApp.js';

/** Every entry of the test app's audit log, as written on disk. */
export async function auditEntries(t: TestApp): Promise<AuditEntry[]> {
  await t.store.flushed();
  return readFileSync(auditPathFor(t.dbPath), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
}
