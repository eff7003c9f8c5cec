import type { AuditEntry } from '../../data/store/auditLog.js';
import type { TestApp } from './testApp.js';

/** Every entry of the test app's audit log, as stored (the file, or PostgreSQL's audit_log table). */
export async function auditEntries(t: TestApp): Promise<AuditEntry[]> {
  await t.store.flushed();
  return t.store.auditSource.readAll();
}
