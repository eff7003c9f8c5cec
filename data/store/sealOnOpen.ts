import { archiveYears, readArchiveFile } from './archiveFiles.js';
import { adoptSealedLog, discardSealedLog, writeSealedLog } from './sealLog.js';
import type { Store } from './storeApi.js';

/** What sealing changes inside the store: its database file written now, and its log's new head. */
export interface SealingHooks {
  writeFile(): Promise<void>;
  adoptHead(head: { seq: number; hash: string }, bytes: number): void;
}

/**
 * Converts a log written before personal fields were sealed (a database from before this version, or a
 * restored old backup): a sealed copy is written beside it, the database file records the copy's head,
 * then the copy replaces the log (see sealLog.ts: a crash at any point is finished or redone at the next
 * open). The conversion is logged, and the keys of subjects whose data retention had already removed
 * are destroyed at once, so what the old log held of them becomes unreadable.
 */
export async function sealLogIfNeeded(store: Store, hooks: SealingHooks): Promise<void> {
  if (store.data.meta.logSealedAt) return;
  await store.flushed();
  const sealed = await writeSealedLog(store.auditPath, store.keys);
  // Every subject in the records gets its key now, in one synced write, so a later change to it does not
  // pay for a key of its own (new subjects do, once, when they are created).
  for (const h of store.list('hirers')) if (!h.personalDataRemoved) store.keys.keyFor(`hirers/${h.id}`);
  for (const b of store.list('bookings')) if (!b.personalDataRemoved) store.keys.keyFor(`bookings/${b.id}`);
  await store.keys.flush();
  const meta = store.data.meta;
  if (sealed.entries === 0) {
    // Nothing logged yet: there is nothing to convert, and the log is sealed from its first entry.
    discardSealedLog(store.auditPath);
    meta.logSealedAt = store.now().toISOString();
    await hooks.writeFile();
    return;
  }
  meta.auditSeq = sealed.head.seq;
  meta.auditHash = sealed.head.hash;
  meta.auditOffset = sealed.bytes;
  meta.logSealedAt = store.now().toISOString();
  hooks.adoptHead(sealed.head, sealed.bytes);
  await hooks.writeFile();
  adoptSealedLog(store.auditPath);
  if (sealed.sealed === 0) return;
  await store.transact('system', (tx) =>
    tx.note('seal', 'auditLog', '-', {
      what: "personal fields sealed under each data subject's key",
      entries: sealed.entries,
      sealed: sealed.sealed,
    }),
  );
  const erased: string[] = [];
  for (const h of store.list('hirers')) if (h.personalDataRemoved) erased.push(`hirers/${h.id}`);
  for (const b of store.list('bookings')) if (b.personalDataRemoved) erased.push(`bookings/${b.id}`);
  for (const year of archiveYears(store.path))
    for (const b of readArchiveFile(store.path, year)?.records.bookings ?? [])
      if (b.personalDataRemoved) erased.push(`bookings/${b.id}`);
  await store.destroySubjectKeys(erased);
}

/**
 * Destroys the audit-log keys of data subjects whose personal data was removed: those the last removal
 * left pending and any `also` given. The keys go first (atomically, by `destroy`), then the pending list is cleared,
 * so a crash in between only repeats the destruction. Returns how many keys were destroyed.
 */
export async function destroySubjectKeys(
  store: Store,
  also: Iterable<string> = [],
  /** How the backend destroys keys where they are kept (default: the key file, see SubjectKeys). */
  destroy: (subjects: string[]) => Promise<number> = (subjects) => store.keys.destroy(subjects),
): Promise<number> {
  const pending = store.data.meta.erasePending;
  const destroyed = await destroy([...pending, ...also]);
  if (pending.length || destroyed)
    await store.transact('retention', (tx) => {
      tx.setMeta((m) => {
        m.erasePending = [];
        if (destroyed) m.keysDestroyedAt = [...m.keysDestroyedAt, tx.at];
      });
      if (destroyed) tx.note('erase-keys', 'auditLog', '-', { keysDestroyed: destroyed });
    });
  return destroyed;
}
