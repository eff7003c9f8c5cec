import { existsSync, readFileSync } from 'node:fs';
import { type CollectionName, collectionSchemas } from '../data/dbSchema.js';
import { migratePg } from '../data/pg/pgMigrations.js';
import { archiveRowHashes, checkArchiveText, putArchiveRow } from '../data/pg/pgArchives.js';
import { archivePathFor, archiveYears } from '../data/store/archiveFiles.js';
import { createPgPool, inPgTransaction, type PgClient } from '../data/pg/pgPool.js';
import { insertReminderLine, writeWholeStore } from '../data/pg/pgWholeStore.js';
import { parseAuditText, verifyAuditChain } from '../data/store/auditLog.js';
import { EvidenceFolder, sha256Hex } from '../data/store/evidenceFiles.js';
import { ReminderLog, reminderLogPathFor } from '../data/store/reminderLog.js';
import { FileStore } from '../data/store/store.js';

/** What was copied, and what the database was checked to hold afterwards (each count read back from it). */
export interface MoveResult {
  collections: { collection: CollectionName; records: number }[];
  records: number;
  auditEntries: number;
  auditHead: { seq: number; hash: string };
  subjectKeys: number;
  reminderLogLines: number;
  evidenceFiles: number;
  evidenceBytes: number;
  /** Years of archive copied (each file's text, hash checked by PostgreSQL). */
  archiveYears: number;
}

/** The database already holds data, or the file store cannot be moved as it is: nothing was written. */
export class MoveRefusedError extends Error {}

/** Tables that must be empty before a move (the store's head must be at its start). */
const MUST_BE_EMPTY = [
  'records',
  'audit_log',
  'subject_keys',
  'reminder_log',
  'evidence_files',
  'archives',
] as const;

const COLLECTIONS = Object.keys(collectionSchemas) as CollectionName[];

/**
 * `move-to-postgres` (SPEC §14): copies a file store — every record, the settings, the audit log line for
 * line (so its hash chain and head stay as they are), the subject keys, the reminder log, the evidence
 * files and the archive files — into an empty PostgreSQL database in one transaction, then reads everything back and checks it:
 * counts per collection, every record's JSON, the audit chain and head, each evidence and archive file's hash. Any
 * difference rolls the whole move back. The file store is only read; it stays as it was.
 */
export async function moveToPostgres(dbPath: string, databaseUrl: string): Promise<MoveResult> {
  if (!existsSync(dbPath)) throw new MoveRefusedError(`There is no database at ${dbPath}`);
  const store = await FileStore.open(dbPath, { write: false });
  const pool = createPgPool(databaseUrl, { applicationName: 'due-regard move-to-postgres' });
  try {
    if (store.logDamage)
      throw new MoveRefusedError(`The audit log cannot be read in full: ${store.logDamage}`);
    const source = readSource(store, dbPath);
    await migratePg(pool);
    return await inPgTransaction(pool, async (client) => {
      await refuseUnlessEmpty(client);
      await copy(client, store, source);
      return verify(client, store, source);
    });
  } finally {
    await store.close();
    await pool.end();
  }
}

interface Source {
  auditLines: { seq: number; line: string }[];
  keys: { subject: string; key: string }[];
  reminders: ReminderLog;
  evidence: { id: string; bytes: Buffer; sha256: string }[];
  archives: { year: number; text: string; sha256: string }[];
}

/** Everything read from the files first, and checked: a move starts only from a sound file store. */
function readSource(store: FileStore, dbPath: string): Source {
  const head = { seq: store.data.meta.auditSeq, hash: store.data.meta.auditHash };
  const text = existsSync(store.auditPath) ? readFileSync(store.auditPath, 'utf8') : '';
  // Only what the database includes: a reader leaves any unacknowledged tail in place, so it is cut here.
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const entries = parseAuditText(lines.join('\n')).slice(0, head.seq);
  const checked = verifyAuditChain(entries, head);
  if (!checked.ok || entries.length !== head.seq)
    throw new MoveRefusedError(`The audit log does not verify: ${checked.problem ?? 'entries are missing'}`);
  const keys = store.keys
    .text()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { s: string; k: string })
    .map((k) => ({ subject: k.s, key: k.k }));
  const folder = EvidenceFolder.forDatabase(dbPath);
  const evidence = store.list('evidence').map((e) => {
    const path = folder.pathOf(e.id);
    if (!existsSync(path)) throw new MoveRefusedError(`The evidence file of "${e.filename}" is missing`);
    const bytes = readFileSync(path);
    if (sha256Hex(bytes) !== e.sha256 || bytes.length !== e.size)
      throw new MoveRefusedError(
        `The evidence file of "${e.filename}" does not match its recorded fingerprint`,
      );
    return { id: e.id, bytes, sha256: e.sha256 };
  });
  const archives = archiveYears(dbPath).map((year) => {
    const path = archivePathFor(dbPath, year);
    const text = readFileSync(path, 'utf8');
    try {
      checkArchiveText(text, year, `The archive file ${path}`);
    } catch (err) {
      throw new MoveRefusedError((err as Error).message);
    }
    return { year, text, sha256: sha256Hex(Buffer.from(text, 'utf8')) };
  });
  return {
    archives,
    auditLines: lines.slice(0, head.seq).map((line, i) => ({ seq: i + 1, line })),
    keys,
    reminders: ReminderLog.open(reminderLogPathFor(dbPath), { write: false }),
    evidence,
  };
}

async function refuseUnlessEmpty(client: PgClient): Promise<void> {
  // Another move (or a server) starting at the same time waits here, then finds data.
  await client.query('LOCK TABLE store_head IN EXCLUSIVE MODE');
  const head = await client.query<{ rev: string }>('SELECT rev FROM store_head WHERE id = 1');
  const counts: string[] = [];
  for (const table of MUST_BE_EMPTY) {
    const n = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    if ((n.rows[0]?.n ?? 0) > 0) counts.push(table);
  }
  if (Number(head.rows[0]?.rev ?? 0) !== 0 || counts.length > 0)
    throw new MoveRefusedError(
      'The PostgreSQL database already holds Due Regard data. Move into an empty database (nothing was changed).',
    );
}

async function copy(client: PgClient, store: FileStore, source: Source): Promise<void> {
  // The whole file store is revision 1: what every instance loads first.
  await writeWholeStore(client, {
    rev: 1,
    records: COLLECTIONS.flatMap((c) =>
      (store.list(c) as readonly { id: string }[]).map((r) => ({
        collection: c,
        id: r.id,
        body: store.jsonOf(r),
      })),
    ),
    audit: source.auditLines,
    keys: source.keys,
    meta: JSON.stringify(store.data.meta),
    head: { seq: store.data.meta.auditSeq, hash: store.data.meta.auditHash },
    schemaVersion: store.schemaVersion,
    evidence: source.evidence,
  });
  for (const e of source.reminders.entries()) await insertReminderLine(client, e);
  for (const a of source.archives) await putArchiveRow(client, a.year, a.text);
}

/** Reads back what the transaction wrote and compares it with the file store; throws on any difference. */
async function verify(client: PgClient, store: FileStore, source: Source): Promise<MoveResult> {
  const problems: string[] = [];
  const collections: MoveResult['collections'] = [];
  const bodies = await client.query<{ collection: string; id: string; body: string }>(
    'SELECT collection, id, body FROM records ORDER BY pos',
  );
  const byCollection = new Map<string, Map<string, string>>();
  for (const r of bodies.rows) {
    const m = byCollection.get(r.collection) ?? new Map<string, string>();
    byCollection.set(r.collection, m);
    m.set(r.id, r.body);
  }
  let records = 0;
  for (const c of COLLECTIONS) {
    const list = store.list(c) as readonly { id: string }[];
    const copied = byCollection.get(c) ?? new Map<string, string>();
    if (copied.size !== list.length) problems.push(`${c}: ${list.length} in the file, ${copied.size} copied`);
    const changed = list.filter((r) => copied.get(r.id) !== store.jsonOf(r)).length;
    if (changed) problems.push(`${c}: ${changed} records differ`);
    if (list.length) collections.push({ collection: c, records: copied.size });
    records += copied.size;
  }
  const lines = await client.query<{ line: string }>('SELECT line FROM audit_log ORDER BY seq');
  const head = await client.query<{ audit_seq: string; audit_hash: string }>(
    'SELECT audit_seq, audit_hash FROM store_head WHERE id = 1',
  );
  const auditHead = { seq: Number(head.rows[0]?.audit_seq ?? -1), hash: head.rows[0]?.audit_hash ?? '' };
  const chain = verifyAuditChain(parseAuditText(lines.rows.map((r) => r.line).join('\n')), auditHead);
  if (!chain.ok) problems.push(`the copied audit log does not verify: ${chain.problem}`);
  if (auditHead.seq !== store.data.meta.auditSeq || auditHead.hash !== store.data.meta.auditHash)
    problems.push('the copied audit head differs from the file store’s');
  const keys = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM subject_keys');
  if (keys.rows[0]?.n !== source.keys.length) problems.push('subject keys were not all copied');
  const reminders = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM reminder_log');
  if (reminders.rows[0]?.n !== source.reminders.entries().length)
    problems.push('reminder log lines were not all copied');
  // The hash of each stored file computed by PostgreSQL itself, against the record's.
  const files = await client.query<{ id: string; size: number; hash: string }>(
    "SELECT id, length(bytes) AS size, encode(sha256(bytes), 'hex') AS hash FROM evidence_files",
  );
  const stored = new Map(files.rows.map((f) => [f.id, f]));
  let evidenceBytes = 0;
  for (const e of store.list('evidence')) {
    const f = stored.get(e.id);
    if (!f || f.hash !== e.sha256 || f.size !== e.size) problems.push(`evidence "${e.filename}" differs`);
    else evidenceBytes += f.size;
  }
  if (files.rows.length !== store.list('evidence').length) problems.push('evidence files differ in number');
  // Each archive's hash computed by PostgreSQL from the stored text, against the file's.
  const archived = await archiveRowHashes(client, true);
  for (const a of source.archives)
    if (archived.get(a.year) !== a.sha256) problems.push(`the archive of ${a.year} differs`);
  if (archived.size !== source.archives.length) problems.push('archive years differ in number');
  if (problems.length)
    throw new Error(`The copy did not verify, so nothing was kept: ${problems.join('; ')}`);
  return {
    collections,
    records,
    auditEntries: lines.rows.length,
    auditHead,
    subjectKeys: source.keys.length,
    reminderLogLines: source.reminders.entries().length,
    evidenceFiles: files.rows.length,
    evidenceBytes,
    archiveYears: archived.size,
  };
}
