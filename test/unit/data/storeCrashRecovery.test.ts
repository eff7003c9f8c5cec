import { itemAt } from '../../../data/itemAt.js';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  appendAuditLines,
  chainEntry,
  readAuditEntries,
  verifyAuditChain,
} from '../../../data/store/auditLog.js';
import { Store } from '../../../data/store/store.js';
import { premisesFields, premisesRecord } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('recovery');

/** Rejection of a promise, to assert on; fails the test when the promise resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to be rejected');
}

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');
const chainOf = async (store: Store) =>
  verifyAuditChain(await readAuditEntries(store.auditPath), {
    seq: store.data.meta.auditSeq,
    hash: store.data.meta.auditHash,
  });

/**
 * A database whose file holds premises P1 only while its log goes on with the changes `more` made: as a
 * writer leaves them when killed after acknowledging those changes and before rewriting the file.
 * Returns the state the writer had acknowledged (its records by ref).
 */
async function killedAfter(more: (store: Store) => Promise<void>) {
  const dbPath = join(folders.make(), 'dueregard.json');
  const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
  const store = await Store.open(dbPath);
  await store.transact('tester', (tx) => tx.insert('premises', premisesFields('P1', { id: 'p1' })));
  await store.close();
  const fileAtHead = readFileSync(dbPath, 'utf8');
  const logAtHead = readFileSync(auditPath, 'utf8');
  const writer = await Store.open(dbPath);
  await more(writer);
  const acknowledged = structuredClone(writer.list('premises'));
  const meta = structuredClone(writer.data.meta);
  await writer.close();
  writeFileSync(dbPath, fileAtHead); // the file as the killed writer left it
  return { dbPath, auditPath, fileAtHead, logAtHead, acknowledged, meta };
}

function userFields(id: string, passwordHash: string) {
  return {
    id,
    email: `${id}@council.test`,
    name: `User ${id}`,
    role: 'viewer' as const,
    passwordHash,
    active: true,
    libraryIds: [],
    mustChangePassword: false,
    sessionEpoch: 0,
    calendarTokenHash: null,
    failedSignIns: [],
    lockedUntil: null,
  };
}

describe('Store: recovering from a crash', () => {
  afterEach(() => folders.cleanUp());

  it('when the log holds acknowledged transactions past the database file, then a writable open replays them, rewrites the file and the chain goes on from the last', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => {
        tx.insert('premises', premisesFields('P2', { id: 'p2' }));
        tx.insert('premises', premisesFields('P3', { id: 'p3' }));
      });
      await s.transact('bob', (tx) => tx.update('premises', 'p1', { name: 'Renamed' }));
      await s.transact('bob', (tx) => tx.remove('premises', 'p2'));
      await s.transact('bob', (tx) => tx.note('export', 'premises', '*', { rows: 2 }));
    });
    const logBefore = readFileSync(k.auditPath, 'utf8');

    const store = await Store.open(k.dbPath);
    expect(store.recovered).to.deep.equal({ transactions: 4, entries: 4, cut: 0 });
    expect(store.list('premises')).to.deep.equal(k.acknowledged);
    expect(store.list('premises').map((p) => [p.ref, p.name, p.version])).to.deep.equal([
      ['P1', 'Renamed', 2],
      ['P3', 'Premises P3', 1],
    ]);
    expect(store.data.meta).to.deep.equal(k.meta);
    expect(readFileSync(k.auditPath, 'utf8'), 'nothing added to the log').to.equal(logBefore);
    // The file is brought up to date at once, so a crash now would not have to replay it all again.
    expect(JSON.parse(readFileSync(k.dbPath, 'utf8')).meta).to.deep.equal(k.meta);
    await store.transact('carol', (tx) => tx.update('premises', 'p3', { ward: 'Castle' }));
    expect((await chainOf(store)).ok).to.equal(true);
    await store.close();

    const again = await Store.open(k.dbPath);
    expect(again.recovered, 'the file written on close holds it all').to.deep.equal({
      transactions: 0,
      entries: 0,
      cut: 0,
    });
    expect(again.get('premises', 'p3')?.ward).to.equal('Castle');
    await again.close();
  });

  it('when opened read-only, then the acknowledged changes past the database file are replayed in memory and nothing is written', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2', { id: 'p2' })));
    });
    const logBefore = readFileSync(k.auditPath, 'utf8');
    const reader = await Store.open(k.dbPath, { write: false });
    expect(reader.list('premises').map((p) => p.ref)).to.deep.equal(['P1', 'P2']);
    expect(reader.fileHead.seq).to.equal(1);
    expect(reader.data.meta.auditSeq).to.equal(2);
    expect(readFileSync(k.dbPath, 'utf8')).to.equal(k.fileAtHead);
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(logBefore);
  });

  it('when a crash tore a transaction of several entries (two lines written, the third half written), then it is cut off and the transactions before it are kept', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2', { id: 'p2' })));
      await s.transact('alice', (tx) => {
        for (const ref of ['P3', 'P4', 'P5']) tx.insert('premises', premisesFields(ref));
      });
    });
    const all = lines(k.auditPath);
    expect(all).to.have.length(5);
    // The crash came while the last transaction's three lines were being appended: two whole, one half.
    writeFileSync(k.auditPath, `${all.slice(0, 4).join('\n')}\n${itemAt(all, 4).slice(0, 30)}`);
    const keep = `${all.slice(0, 2).join('\n')}\n`;

    const store = await Store.open(k.dbPath);
    expect(store.recovered, 'two whole lines and a torn one').to.deep.equal({
      transactions: 1,
      entries: 1,
      cut: 3,
    });
    expect(store.list('premises').map((p) => p.ref)).to.deep.equal(['P1', 'P2']);
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(keep);
    await store.transact('bob', (tx) => tx.insert('premises', premisesFields('P6')));
    expect(await chainOf(store)).to.deep.equal({ ok: true, entries: 3 });
    await store.close();
  });

  it('when a reader opens while a transaction is half written, then it leaves it alone and sees the transactions before it', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => {
        tx.insert('premises', premisesFields('P2'));
        tx.insert('premises', premisesFields('P3'));
      });
    });
    const all = lines(k.auditPath);
    const partial = `${all.slice(0, 2).join('\n')}\n`;
    writeFileSync(k.auditPath, partial);
    const reader = await Store.open(k.dbPath, { write: false });
    expect(reader.list('premises').map((p) => p.ref)).to.deep.equal(['P1']);
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(partial);
  });

  it('when the log ends with a change of settings whose database file was never written, then that change (never acknowledged) is cut off', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
    });
    const logged = readFileSync(k.auditPath, 'utf8');
    // As the killed writer would have left it: the settings change logged, its database file not written.
    const entries = await readAuditEntries(k.auditPath);
    const last = entries.at(-1)!;
    const pending = chainEntry(
      {
        at: '2026-05-01T06:00:00.000Z',
        actor: 'system',
        action: 'purge',
        collection: 'bookings',
        recordId: '*',
        before: null,
        after: { removed: 3 },
        tx: { first: last.seq + 1, count: 1, snapshot: true },
      },
      last.seq + 1,
      last.hash,
    );
    await appendAuditLines(k.auditPath, [pending]);

    const store = await Store.open(k.dbPath);
    expect(store.recovered).to.deep.equal({ transactions: 1, entries: 1, cut: 1 });
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(logged);
    expect(store.list('premises')).to.have.length(2);
    await store.close();
  });

  it('when the log past the database file was altered, then a writable open is refused and changes nothing, and a reader replays what comes before', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P3')));
    });
    const all = lines(k.auditPath);
    all[2] = itemAt(all, 2).replace('Premises P3', 'Premises PX');
    writeFileSync(k.auditPath, `${all.join('\n')}\n`);
    const logBefore = readFileSync(k.auditPath, 'utf8');

    const err = await rejectionOf(Store.open(k.dbPath));
    expect(err.message).to.match(/cannot be replayed onto the database: entry 3 was altered/);
    expect(err.message).to.match(/restore the latest backup/);
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(logBefore);
    expect(readFileSync(k.dbPath, 'utf8')).to.equal(k.fileAtHead);
    expect(existsSync(`${k.dbPath}.lock`)).to.equal(false);

    const reader = await Store.open(k.dbPath, { write: false });
    expect(reader.list('premises').map((p) => p.ref)).to.deep.equal(['P1', 'P2']);
  });

  it('when the database file records no log offset (or a wrong one), then the log is searched for its head and the rest replayed', async () => {
    for (const offset of [undefined, 3]) {
      const k = await killedAfter(async (s) => {
        await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
      });
      const file = JSON.parse(k.fileAtHead);
      if (offset === undefined) delete file.meta.auditOffset;
      else file.meta.auditOffset = offset;
      writeFileSync(k.dbPath, JSON.stringify(file));
      const store = await Store.open(k.dbPath);
      expect(
        store.list('premises').map((p) => p.ref),
        `offset ${offset}`,
      ).to.deep.equal(['P1', 'P2']);
      expect(store.data.meta.auditOffset).to.equal(readFileSync(k.auditPath).length);
      await store.close();
    }
  });

  it('when the log holds entries written before it was the journal (no transaction marks), then each is replayed as a transaction of its own', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields('SAVED-1')));
    await store.close();
    const last = itemAt((await readAuditEntries(store.auditPath)).slice(-1), 0);
    const old = chainEntry(
      {
        at: '2026-01-05T09:00:00.000Z',
        actor: 'tester',
        action: 'create',
        collection: 'premises',
        recordId: 'p-old',
        before: null,
        after: premisesRecord('p-old', { ref: 'OLD-1' }),
      },
      last.seq + 1,
      last.hash,
    );
    await appendAuditLines(store.auditPath, [old]);
    const reopened = await Store.open(dbPath);
    expect(reopened.list('premises').map((p) => p.ref)).to.deep.equal(['SAVED-1', 'OLD-1']);
    expect(reopened.data.meta.auditSeq).to.equal(old.seq);
    await reopened.close();
  });

  it('when a crash left a torn line and nothing else past the database file, then it is cut and nothing is replayed', async () => {
    const k = await killedAfter(async () => {});
    writeFileSync(k.auditPath, `${k.logAtHead}{"seq":2,"at":"2026-`);
    const store = await Store.open(k.dbPath);
    expect(store.recovered).to.deep.equal({ transactions: 0, entries: 0, cut: 1 });
    expect(readFileSync(k.auditPath, 'utf8')).to.equal(k.logAtHead);
    await store.close();
  });

  it('when a user changed but kept their password, then the change is replayed with the hash from the file (the log shows only its fingerprint)', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const first = await Store.open(dbPath);
    await first.transact('admin', (tx) => tx.insert('users', userFields('u1', 'hash-one')));
    await first.close();
    const fileBefore = readFileSync(dbPath, 'utf8');
    const writer = await Store.open(dbPath);
    await writer.transact('admin', (tx) => tx.update('users', 'u1', { name: 'Renamed' }));
    const entry = itemAt((await readAuditEntries(writer.auditPath)).slice(-1), 0);
    expect(entry.tx).to.deep.equal({ first: entry.seq, count: 1 });
    expect((entry.after as { passwordHash: string }).passwordHash).to.match(/^secret:/);
    await writer.close();
    writeFileSync(dbPath, fileBefore); // killed before the file was rewritten

    const store = await Store.open(dbPath);
    expect(store.recovered.transactions).to.equal(1);
    expect(store.get('users', 'u1')).to.include({ name: 'Renamed', passwordHash: 'hash-one', version: 2 });
    await store.close();
  });

  it('when a password is set or data erased, then transact resolves once the database file holds it, and the log marks that change', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.transact('admin', (tx) => tx.insert('users', userFields('u1', 'hash-one')));
    expect(JSON.parse(readFileSync(dbPath, 'utf8')).users[0].passwordHash).to.equal('hash-one');
    await store.transact('admin', (tx) => tx.update('users', 'u1', { passwordHash: 'hash-two' }));
    expect(JSON.parse(readFileSync(dbPath, 'utf8')).users[0].passwordHash).to.equal('hash-two');
    await store.transact('admin', (tx) => tx.insert('premises', premisesFields('P1', { id: 'p1' })));
    await store.transact('retention', (tx) =>
      tx.update('premises', 'p1', { siteManagerEmail: null }, undefined, { erase: true }),
    );
    expect(JSON.parse(readFileSync(dbPath, 'utf8')).premises[0].version).to.equal(2);
    const entries = await readAuditEntries(store.auditPath);
    expect(entries.map((e) => [e.action, e.tx?.snapshot ?? false])).to.deep.equal([
      ['create', true],
      ['update', true],
      ['create', false],
      ['erase', true],
    ]);
    expect(JSON.stringify(entries)).to.not.include('hash-');
    await store.close();
  });

  it('when an erased record was deleted after the database file was written, then the deletion is replayed', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('retention', (tx) => tx.remove('premises', 'p1', { erase: true }));
    });
    const [entry] = (await readAuditEntries(k.auditPath)).slice(-1);
    expect(entry).to.include({ action: 'erase', recordId: 'p1' });
    const store = await Store.open(k.dbPath);
    expect(store.list('premises')).to.deep.equal([]);
    await store.close();
  });

  it('when the log ends exactly at the database head, then reopening adds nothing to it', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields('SAVED-1')));
    await store.close();
    const log = readFileSync(`${dbPath.replace(/\.json$/, '')}.audit.jsonl`, 'utf8');
    const file = readFileSync(dbPath, 'utf8');
    const reopened = await Store.open(dbPath);
    await reopened.close();
    expect(readFileSync(reopened.auditPath, 'utf8')).to.equal(log);
    expect(readFileSync(dbPath, 'utf8'), 'nothing changed: no new file').to.equal(file);
  });

  it('when entries were lost from the end of the log, then opening to write is refused (rebuild is named) and the log is left as it is', async () => {
    const k = await killedAfter(async (s) => {
      await s.transact('alice', (tx) => tx.insert('premises', premisesFields('P2')));
    });
    await (await Store.open(k.dbPath)).close(); // the file now holds P2 (head 2)
    truncateSync(k.auditPath, Buffer.byteLength(k.logAtHead));
    const err = await rejectionOf(Store.open(k.dbPath));
    expect(err.message).to.include('rebuild --from-log');
    expect((await readAuditEntries(k.auditPath)).map((e) => e.seq)).to.deep.equal([1]);
  });

  it('when a killed writer left temp files beside the database, then a writable open removes them and leaves other files alone', async () => {
    const folder = folders.make();
    const dbPath = join(folder, 'dueregard.json');
    const store = await Store.open(dbPath);
    await store.close();
    const stray = [join(folder, '.dueregard.json.4242.tmp'), join(folder, '.dueregard.json.77.tmp')];
    const keep = [
      join(folder, '.dueregard.json.notapid.tmp'),
      join(folder, '.other.json.4242.tmp'),
      join(folder, 'notes.tmp'),
    ];
    for (const f of [...stray, ...keep]) writeFileSync(f, '{"half":');

    const readOnly = await Store.open(dbPath, { write: false });
    expect(readOnly.list('premises')).to.deep.equal([]);
    for (const f of stray) expect(existsSync(f), `${f} kept by a read-only open`).to.equal(true);

    const writable = await Store.open(dbPath);
    await writable.close();
    for (const f of stray) expect(existsSync(f), `${f} removed`).to.equal(false);
    for (const f of keep) expect(existsSync(f), `${f} kept`).to.equal(true);
  });
});
