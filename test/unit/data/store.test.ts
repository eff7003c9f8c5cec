import { itemAt } from '../../../data/itemAt.js';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { CURRENT_SCHEMA_VERSION, emptyDb } from '../../../data/dbSchema.js';
import {
  type AuditEntry,
  appendAuditLines,
  chainEntry,
  readAuditEntries,
  verifyAuditChain,
} from '../../../data/store/auditLog.js';
import {
  ConflictError,
  MissingVersionError,
  NotFoundError,
  SavingPausedError,
  type FileStore,
  Store,
  type StoreOptions,
  ValidationError,
} from '../../../data/store/store.js';
import { premisesFields, premisesRecord } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('store');
const open: FileStore[] = [];

async function openStore(path: string, options?: StoreOptions): Promise<FileStore> {
  const store = await Store.open(path, options);
  open.push(store);
  return store;
}

function newDbPath(): string {
  return join(folders.make(), 'dueregard.json');
}

/** The audit head a database records, in the shape verifyAuditChain takes. */
function headOf(meta: { auditSeq: number; auditHash: string }) {
  return { seq: meta.auditSeq, hash: meta.auditHash };
}

function readJson(path: string) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Rejection of a promise, to assert on; fails the test when the promise resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to be rejected');
}

describe('Store', () => {
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    folders.cleanUp();
  });

  describe('opening', () => {
    it('when the file does not exist, then a writable open creates an empty database at the current version', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const onDisk = readJson(path);
      expect(onDisk.schemaVersion).to.equal(CURRENT_SCHEMA_VERSION);
      expect(onDisk.premises).to.deep.equal([]);
      expect(onDisk.meta.auditSeq).to.equal(0);
      expect(store.list('premises')).to.deep.equal([]);
    });

    it('when the file does not exist, then a read-only open is refused', async () => {
      const path = newDbPath();
      const err = await rejectionOf(Store.open(path, { write: false }));
      expect(err.message).to.match(/There is no database at/);
      expect(existsSync(path)).to.equal(false);
    });

    it('when the file is not JSON, then opening is refused with a clear message and the lock released', async () => {
      const path = newDbPath();
      writeFileSync(path, '{"schemaVersion": 1, "premises": [');
      const err = await rejectionOf(Store.open(path));
      expect(err.message).to.match(/is not valid JSON; restore it from a backup/);
      expect(existsSync(`${path}.lock`)).to.equal(false);
    });

    it('when the file holds an invalid record, then opening is refused naming the collection and record', async () => {
      const path = newDbPath();
      const db = emptyDb();
      db.premises.push(premisesRecord('p1'), { ...premisesRecord('p2'), ref: '' });
      writeFileSync(path, JSON.stringify(db));
      const err = await rejectionOf(Store.open(path));
      expect(err.message).to.match(/invalid premises record \(#2\)/);
      expect(existsSync(`${path}.lock`)).to.equal(false);
    });

    it('when the file has a newer schemaVersion, then opening is refused with a clear message and nothing is written', async () => {
      const path = newDbPath();
      writeFileSync(path, JSON.stringify({ ...emptyDb(), schemaVersion: CURRENT_SCHEMA_VERSION + 1 }));
      const before = readFileSync(path);
      const err = await rejectionOf(Store.open(path));
      expect(err.message).to.equal(
        `The database is schema version ${CURRENT_SCHEMA_VERSION + 1}, newer than this version of Due Regard understands (${CURRENT_SCHEMA_VERSION}); upgrade the app.`,
      );
      expect(readFileSync(path).equals(before)).to.equal(true);
      expect(existsSync(`${path}.lock`)).to.equal(false);
    });

    it('when the file is version 0 (no schemaVersion, audit head at top level), then it is migrated to version 1 and written back', async () => {
      const path = newDbPath();
      // Its log: seven notes, as a version-0 writer left it.
      const log: AuditEntry[] = [];
      for (let seq = 1; seq <= 7; seq++)
        log.push(
          chainEntry(
            {
              at: '2024-01-01T00:00:00.000Z',
              actor: 'old',
              action: 'note',
              collection: 'premises',
              recordId: '-',
              before: null,
              after: null,
            },
            seq,
            log.at(-1)?.hash ?? '',
          ),
        );
      await appendAuditLines(path.replace(/\.json$/, '.audit.jsonl'), log);
      const head7 = itemAt(log, 6).hash;
      const v0 = {
        meta: { jobRuns: {}, settings: {} },
        lastAuditSeq: 7,
        lastAuditHash: head7,
        users: [],
        premises: [premisesRecord('p1')],
      };
      writeFileSync(path, JSON.stringify(v0));
      const store = await openStore(path);

      expect(store.data.schemaVersion).to.equal(1);
      expect(store.data.meta.auditSeq).to.equal(7);
      expect(store.data.meta.auditHash).to.equal(head7);
      expect(store.get('premises', 'p1')?.ref).to.equal('REF-p1');
      expect(store.list('reviews')).to.deep.equal([]);

      const onDisk = readJson(path);
      expect(onDisk.schemaVersion).to.equal(1);
      expect(onDisk.meta.auditSeq).to.equal(7);
      expect(onDisk.meta.auditHash).to.equal(head7);
      expect(onDisk).not.to.have.property('lastAuditSeq');
      expect(onDisk).not.to.have.property('lastAuditHash');
      expect(onDisk.premises).to.have.length(1);

      // The audit chain carries on from the head the old file recorded.
      await store.transact('tester', (tx) => tx.insert('premises', premisesFields('P2')));
      const entry = (await readAuditEntries(store.auditPath)).at(-1)!;
      expect(entry.seq).to.equal(8);
      expect(entry.prev).to.equal(head7);
    });

    it('when a version-0 file is opened read-only, then it is migrated in memory but the file is left alone', async () => {
      const path = newDbPath();
      writeFileSync(path, JSON.stringify({ lastAuditSeq: 2, lastAuditHash: 'h', premises: [] }));
      const before = readFileSync(path);
      const store = await openStore(path, { write: false });
      expect(store.data.schemaVersion).to.equal(1);
      expect(store.data.meta.auditSeq).to.equal(2);
      expect(readFileSync(path).equals(before)).to.equal(true);
    });
  });

  describe('transactions', () => {
    it('when transact resolves, then its change is in the audit log and a fresh read-only open sees it before the database file is rewritten', async () => {
      const path = newDbPath();
      const store = await openStore(path, { now: () => new Date('2026-05-01T10:00:00Z') });
      const fileBefore = readFileSync(path, 'utf8');
      const created = await store.transact('alice@council.test', (tx) =>
        tx.insert('premises', premisesFields('P1', { name: 'Town Hall', risk: 'high' })),
      );

      // Durable the moment transact resolves: one appended, synced log entry holds the whole record.
      const entry = itemAt(await readAuditEntries(store.auditPath), 0);
      expect(entry).to.include({ seq: 1, action: 'create', recordId: created.id });
      expect(entry.tx).to.deep.equal({ first: 1, count: 1 });
      expect(entry.after).to.deep.equal(created);
      expect(created).to.include({
        ref: 'P1',
        name: 'Town Hall',
        risk: 'high',
        version: 1,
        createdAt: '2026-05-01T10:00:00.000Z',
      });
      // The database file is a snapshot written in the background, not once per change.
      expect(readFileSync(path, 'utf8')).to.equal(fileBefore);

      const reader = await openStore(path, { write: false });
      expect(reader.get('premises', created.id)).to.deep.equal(created);
      expect(reader.data.meta.auditSeq).to.equal(1);
      expect(readFileSync(path, 'utf8'), 'a reader writes nothing').to.equal(fileBefore);

      await store.close();
      const onDisk = readJson(path);
      expect(onDisk.premises).to.deep.equal([created]);
      expect(onDisk.meta).to.include({ auditSeq: 1, auditHash: entry.hash });
      expect(onDisk.meta.auditOffset).to.equal(readFileSync(store.auditPath).length);
    });

    it('when changes pause, then the database file is rewritten in the background with the head it includes', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const written = store.snapshots.written;
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
      while (store.snapshots.written === written) await new Promise((r) => setTimeout(r, 50));
      await store.flushed();
      const onDisk = readJson(path);
      expect(onDisk.premises.map((p: { ref: string }) => p.ref)).to.deep.equal(['P1', 'P2']);
      expect(onDisk.meta.auditSeq).to.equal(2);
      expect(onDisk.meta.auditOffset).to.equal(readFileSync(store.auditPath).length);
    });

    it('when transact resolves, then its result is returned and the revision increases', async () => {
      const store = await openStore(newDbPath());
      const revision = store.revision;
      const result = await store.transact('alice', (tx) => {
        tx.insert('premises', premisesFields('P1'));
        return 'done';
      });
      expect(result).to.equal('done');
      expect(store.revision).to.equal(revision + 1);
    });

    it('when a transaction throws, then nothing changes in memory or on disk', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const kept = await store.transact('alice', (tx) => {
        const a = tx.insert('premises', premisesFields('P1', { name: 'Library' }));
        tx.insert('premises', premisesFields('P2', { name: 'Museum' }));
        return a;
      });
      const other = itemAt(store.list('premises'), 1);
      const memoryBefore = JSON.stringify(store.data);
      const dbBytes = readFileSync(path);
      const auditBytes = readFileSync(store.auditPath);
      const revision = store.revision;

      const err = await rejectionOf(
        store.transact('alice', (tx) => {
          tx.insert('premises', premisesFields('P3', { id: 'new-one' }));
          tx.update('premises', kept.id, { name: 'Renamed library' });
          tx.update('premises', kept.id, { risk: 'high' });
          tx.remove('premises', other.id);
          tx.setMeta((meta) => {
            meta.settings.demo = true;
          });
          tx.note('export', 'premises', kept.id, { rows: 2 });
          throw new Error('changed my mind');
        }),
      );

      expect(err.message).to.equal('changed my mind');
      expect(JSON.stringify(store.data)).to.equal(memoryBefore);
      expect(store.get('premises', 'new-one')).to.equal(undefined);
      expect(store.get('premises', other.id)).to.equal(other);
      expect(store.get('premises', kept.id)).to.include({ name: 'Library', version: 1 });
      expect(store.list('premises').map((p) => p.ref)).to.deep.equal(['P1', 'P2']);
      expect(store.revision).to.equal(revision);
      await store.flushed();
      expect(readFileSync(path).equals(dbBytes)).to.equal(true);
      expect(readFileSync(store.auditPath).equals(auditBytes)).to.equal(true);

      // The next change carries on the chain as if the failed one never happened.
      await store.transact('alice', (tx) => tx.update('premises', kept.id, { name: 'Central library' }));
      const entries = await readAuditEntries(store.auditPath);
      expect(entries.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
      expect(verifyAuditChain(entries, headOf(store.data.meta)).ok).to.equal(true);
    });

    it('when a transaction callback is async, then it is refused and its synchronous changes are undone', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const memoryBefore = JSON.stringify(store.data);
      const err = await rejectionOf(
        store.transact('alice', async (tx) => {
          tx.insert('premises', premisesFields('P1'));
        }),
      );
      expect(err.message).to.match(/must be synchronous/);
      expect(JSON.stringify(store.data)).to.equal(memoryBefore);
    });

    it('when a record is invalid, then the transaction is refused with ValidationError and nothing changes', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      const memoryBefore = JSON.stringify(store.data);
      const dbBytes = readFileSync(path);
      const auditBytes = readFileSync(store.auditPath);

      const err = await rejectionOf(
        store.transact('alice', (tx) => {
          tx.insert('premises', premisesFields('P2'));
          tx.insert('premises', premisesFields('P3', { siteManagerEmail: 'not an email' }));
        }),
      );

      expect(err).to.be.instanceOf(ValidationError);
      const validation = err as ValidationError;
      expect(validation.collection).to.equal('premises');
      expect(validation.issues.map((i) => i.path)).to.deep.equal(['siteManagerEmail']);
      expect(validation.message).to.match(/^Invalid premises record: siteManagerEmail: /);
      expect(JSON.stringify(store.data)).to.equal(memoryBefore);
      await store.flushed();
      expect(readFileSync(path).equals(dbBytes)).to.equal(true);
      expect(readFileSync(store.auditPath).equals(auditBytes)).to.equal(true);
    });

    it('when an update makes a record invalid, then ValidationError and the record is unchanged', async () => {
      const store = await openStore(newDbPath());
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      const before = structuredClone(p);
      const err = await rejectionOf(
        store.transact('alice', (tx) =>
          tx.update('premises', p.id, { risk: 'extreme' } as unknown as { risk: 'high' }),
        ),
      );
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).issues[0]?.path).to.equal('risk');
      expect(store.get('premises', p.id)).to.deep.equal(before);
    });

    it('when an update gives a stale expectedVersion, then ConflictError and the newer record stays', async () => {
      const store = await openStore(newDbPath());
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      const saved = await store.transact('alice', (tx) =>
        tx.update('premises', p.id, { name: 'First save' }, 1),
      );
      expect(saved.version).to.equal(2);

      const err = await rejectionOf(
        store.transact('bob', (tx) => tx.update('premises', p.id, { name: 'Second save' }, 1)),
      );
      expect(err).to.be.instanceOf(ConflictError);
      const conflict = err as ConflictError;
      expect(conflict.collection).to.equal('premises');
      expect(conflict.expectedVersion).to.equal(1);
      expect((conflict.current as { version: number }).version).to.equal(2);
      expect(conflict.message).to.match(/changed since it was opened/);
      expect(store.get('premises', p.id)).to.include({ name: 'First save', version: 2 });
    });

    it('when an update gives an expectedVersion that is not a whole number from 1 (a form without its version), then MissingVersionError, not a conflict, and nothing changes', async () => {
      const store = await openStore(newDbPath());
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      for (const version of [Number.NaN, 0, -1, 1.5]) {
        const err = await rejectionOf(
          store.transact('bob', (tx) => tx.update('premises', p.id, { name: 'No version' }, version)),
        );
        expect(err, String(version)).to.be.instanceOf(MissingVersionError);
        expect(err).to.not.be.instanceOf(ConflictError);
      }
      expect(store.get('premises', p.id)).to.include({ name: p.name, version: 1 });
    });

    it('when an update keeps timestamps and id, then only version and updatedAt move', async () => {
      let clock = new Date('2026-05-01T10:00:00Z');
      const store = await openStore(newDbPath(), { now: () => clock });
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      clock = new Date('2026-05-02T11:00:00Z');
      const updated = await store.transact('alice', (tx) =>
        tx.update('premises', p.id, { name: 'New name' }),
      );
      expect(updated).to.include({
        id: p.id,
        version: 2,
        createdAt: '2026-05-01T10:00:00.000Z',
        updatedAt: '2026-05-02T11:00:00.000Z',
        name: 'New name',
      });
    });

    it('when a record id is unknown, then update and remove throw NotFoundError', async () => {
      const store = await openStore(newDbPath());
      const update = await rejectionOf(
        store.transact('alice', (tx) => tx.update('premises', 'nope', { name: 'x' })),
      );
      const remove = await rejectionOf(store.transact('alice', (tx) => tx.remove('premises', 'nope')));
      expect(update).to.be.instanceOf(NotFoundError);
      expect(remove).to.be.instanceOf(NotFoundError);
      expect(update.message).to.equal('No premises record with id nope');
    });

    it('when an id is already taken, then insert is refused', async () => {
      const store = await openStore(newDbPath());
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1', { id: 'same' })));
      const err = await rejectionOf(
        store.transact('alice', (tx) => tx.insert('premises', premisesFields('P2', { id: 'same' }))),
      );
      expect(err.message).to.match(/already exists/);
      expect(store.list('premises')).to.have.length(1);
    });

    it('when a record is removed, then it is gone from the list, the index and the file, and the audit log holds it as before', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const p = await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      await store.transact('alice', (tx) => tx.remove('premises', p.id));
      expect(store.get('premises', p.id)).to.equal(undefined);
      expect(store.list('premises')).to.deep.equal([]);
      expect((await openStore(path, { write: false })).list('premises')).to.deep.equal([]);
      const entries = await readAuditEntries(store.auditPath);
      expect(entries[1]).to.include({ action: 'delete', recordId: p.id, after: null });
      expect(entries[1]?.before).to.deep.equal(p);
    });

    it('when setMeta and note are used, then meta is in the database file once transact resolves and the note is audited', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      await store.transact('system', (tx) => {
        tx.setMeta((meta) => {
          meta.jobRuns.remind = '2026-05-01T06:00:00.000Z';
        });
        tx.note('purge', 'bookings', 'b1', { removed: ['hirerName'] });
      });
      // The log cannot replay settings, so that change waits for the database file.
      expect(readJson(path).meta.jobRuns).to.deep.equal({ remind: '2026-05-01T06:00:00.000Z' });
      expect(readJson(path).meta.auditSeq).to.equal(1);
      const entry = itemAt(await readAuditEntries(store.auditPath), 0);
      expect(entry).to.include({ seq: 1, actor: 'system', action: 'purge', collection: 'bookings' });
      expect(entry.tx).to.deep.equal({ first: 1, count: 1, snapshot: true });
      expect(entry.after).to.deep.equal({ removed: ['hirerName'] });

      await store.transact('system', (tx) =>
        tx.setMeta((meta) => {
          meta.settings.demo = true;
        }),
      );
      expect(readJson(path).meta.settings).to.deep.equal({ demo: true });
      expect(await readAuditEntries(store.auditPath), 'nothing logged for settings alone').to.have.length(1);
    });

    it('when a store is opened read-only, then it cannot write and takes no lock', async () => {
      const path = newDbPath();
      const writer = await openStore(path);
      await writer.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      const lockBytes = readFileSync(`${path}.lock`);

      const reader = await openStore(path, { write: false });
      expect(reader.writable).to.equal(false);
      expect(reader.list('premises')).to.have.length(1);
      const err = await rejectionOf(
        reader.transact('bob', (tx) => tx.insert('premises', premisesFields('P2'))),
      );
      expect(err.message).to.equal('This database was opened read-only');
      expect(reader.list('premises')).to.have.length(1);

      await reader.close();
      expect(readFileSync(`${path}.lock`).equals(lockBytes)).to.equal(true);
      await writer.transact('alice', (tx) => tx.insert('premises', premisesFields('P3')));
      expect((await openStore(path, { write: false })).list('premises')).to.have.length(2);
    });

    it('when the audit log cannot be appended to, then transact rejects, the change is undone in memory and later changes are refused while it cannot', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      // A folder where the log should be: the append fails.
      rmSync(store.auditPath);
      mkdirSync(join(store.auditPath, 'in-the-way'), { recursive: true });

      const failed = await rejectionOf(
        store.transact('alice', (tx) => tx.insert('premises', premisesFields('P2'))),
      );
      expect(failed).to.be.instanceOf(SavingPausedError);
      expect(failed.message).to.include('EISDIR');
      expect(
        store.list('premises').map((p) => p.ref),
        'the unsaved change is undone',
      ).to.deep.equal(['P1']);
      const refused = await rejectionOf(
        store.transact('alice', (tx) => tx.insert('premises', premisesFields('P3'))),
      );
      expect(refused).to.be.instanceOf(SavingPausedError);
      expect(store.health().status).to.equal('degraded');
      const fileBefore = readFileSync(path, 'utf8');
      await store.close();
      expect(readFileSync(path, 'utf8')).to.equal(fileBefore);
    });

    it('when the database file cannot be rewritten, then changes are still acknowledged from the log, close reports the failure and a reopen replays them', async () => {
      const path = newDbPath();
      const store = await Store.open(path);
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
      // A folder where the database file should be: renaming the new file over it fails.
      rmSync(path);
      mkdirSync(join(path, 'in-the-way'), { recursive: true });
      await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
      const err = await rejectionOf(store.close());
      expect((err as NodeJS.ErrnoException).code).to.be.oneOf(['EISDIR', 'ENOTEMPTY', 'EEXIST']);
      expect(existsSync(`${path}.lock`), 'the lock is released').to.equal(false);

      rmSync(path, { recursive: true });
      const reopened = await openStore(path);
      expect(reopened.list('premises').map((p) => p.ref)).to.deep.equal(['P1', 'P2']);
      expect(reopened.recovered).to.deep.equal({ transactions: 2, entries: 2, cut: 0 });
    });

    it('when the store is closed, then transact is refused', async () => {
      const store = await Store.open(newDbPath());
      await store.close();
      const err = await rejectionOf(
        store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1'))),
      );
      expect(err.message).to.equal('The database is closed');
    });
  });

  describe('concurrency and the audit log', () => {
    it('when a crash left a torn last audit line, then reopening cuts it off and the chain verifies', async () => {
      const path = newDbPath();
      const first = await openStore(path);
      await first.transact('alice', (tx) => tx.insert('premises', premisesFields('T1', { id: 't1' })));
      await first.close();
      open.splice(open.indexOf(first), 1);
      const auditPath = first.auditPath;
      const whole = readFileSync(auditPath, 'utf8');
      writeFileSync(auditPath, `${whole}{"seq":2,"at":"2026-`);
      const store = await openStore(path);
      expect(readFileSync(auditPath, 'utf8')).to.equal(whole);
      await store.transact('bob', (tx) => tx.insert('premises', premisesFields('T2', { id: 't2' })));
      const result = verifyAuditChain(await readAuditEntries(auditPath), {
        seq: store.data.meta.auditSeq,
        hash: store.data.meta.auditHash,
      });
      expect(result.ok).to.equal(true);
      expect(result.entries).to.equal(2);
    });

    it('when 200 transactions run at once, then every one lands, versions count up and the audit log has one entry per change in order', async () => {
      const path = newDbPath();
      const store = await openStore(path);
      const counterWork = store.transact('alice', (tx) =>
        tx.insert('premises', premisesFields('COUNTER', { id: 'counter' })),
      );
      const work: Promise<unknown>[] = [counterWork];
      for (let i = 0; i < 200; i++) {
        work.push(
          i % 2 === 0
            ? store.transact(`user${i}`, (tx) => tx.update('premises', 'counter', { name: `save ${i}` }))
            : store.transact(`user${i}`, (tx) =>
                tx.insert('premises', premisesFields(`P${i}`, { id: `p${i}` })),
              ),
        );
      }
      await Promise.all(work);

      const counter = store.get('premises', 'counter')!;
      expect(counter.version).to.equal(101);
      expect(counter.name).to.equal('save 198');
      expect(store.list('premises')).to.have.length(101);

      const reader = await openStore(path, { write: false });
      expect(reader.get('premises', 'counter')).to.deep.equal(counter);
      expect(reader.list('premises')).to.have.length(101);

      const entries = await readAuditEntries(store.auditPath);
      expect(entries).to.have.length(201);
      expect(entries.map((e) => e.seq)).to.deep.equal(entries.map((_, i) => i + 1));
      expect(entries.map((e) => e.actor)).to.deep.equal([
        'alice',
        ...Array.from({ length: 200 }, (_, i) => `user${i}`),
      ]);
      // The create entry shows the record as created, not as later saves left it.
      expect(entries[0]).to.include({ action: 'create', recordId: 'counter' });
      expect(entries[0]?.after).to.include({ version: 1, name: 'Premises COUNTER' });
      const counterSaves = entries.filter((e) => e.action === 'update');
      expect(counterSaves).to.have.length(100);
      counterSaves.forEach((e, i) => {
        expect((e.before as { version: number }).version).to.equal(i + 1);
        expect((e.after as { version: number }).version).to.equal(i + 2);
        expect((e.after as { name: string }).name).to.equal(`save ${i * 2}`);
      });
      expect(reader.data.meta.auditSeq).to.equal(201);
      expect(verifyAuditChain(entries, headOf(reader.data.meta))).to.deep.equal({ ok: true, entries: 201 });
    });

    it('when a record is inserted and then updated in one transaction, then the create entry shows it as inserted', async () => {
      const store = await openStore(newDbPath());
      await store.transact('alice', (tx) => {
        const p = tx.insert('premises', premisesFields('P1', { name: 'First' }));
        tx.update('premises', p.id, { name: 'Second' });
      });
      const entries = await readAuditEntries(store.auditPath);
      expect(entries.map((e) => e.action)).to.deep.equal(['create', 'update']);
      expect(entries[0]?.after).to.include({ name: 'First', version: 1 });
      expect(entries[1]?.before).to.include({ name: 'First', version: 1 });
      expect(entries[1]?.after).to.include({ name: 'Second', version: 2 });
      expect(verifyAuditChain(entries).ok).to.equal(true);
    });

    it('when the store is reopened, then the audit chain carries on from the last entry', async () => {
      const path = newDbPath();
      const first = await Store.open(path);
      for (const ref of ['A', 'B', 'C']) {
        await first.transact('alice', (tx) => tx.insert('premises', premisesFields(ref)));
      }
      await first.close();

      const second = await openStore(path);
      await second.transact('bob', (tx) => tx.insert('premises', premisesFields('D')));
      await second.transact('bob', (tx) =>
        tx.update('premises', itemAt(second.list('premises'), 0).id, { name: 'A again' }),
      );

      const entries = await readAuditEntries(second.auditPath);
      expect(entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(entries[3]?.prev).to.equal(entries[2]?.hash);
      expect(second.data.meta).to.include({ auditSeq: 5, auditHash: entries[4]?.hash });
      expect(verifyAuditChain(entries, headOf(second.data.meta))).to.deep.equal({ ok: true, entries: 5 });
      await second.close();
      expect(verifyAuditChain(entries, headOf(readJson(path).meta))).to.deep.equal({ ok: true, entries: 5 });
    });
  });
});
