import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readAuditEntries, verifyAuditChain } from '../../../data/store/auditLog.js';
import { SavingPausedError, Store } from '../../../data/store/store.js';
import { systemError, writeFaults } from '../../../data/store/writeFaults.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('writefaults');

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to be rejected');
}

/** The disk is full for appends and new files (as ENOSPC is); truncating still works, as it does then. */
function diskFull(): void {
  writeFaults.inject((path, kind) =>
    kind === 'truncate' ? null : systemError('ENOSPC', 'no space left on device', path),
  );
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const refs = (store: Store) => store.list('premises').map((p) => p.ref);

describe('Store: a full disk pauses saving, and saving resumes once it can write', () => {
  afterEach(() => {
    writeFaults.inject(null);
    folders.cleanUp();
  });

  it('when the disk fills, then the change is refused and undone, health says degraded, and after space is freed writes resume with nothing lost', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const lines: string[] = [];
    const store = await Store.open(dbPath, { retryMs: 20, log: (l) => lines.push(l) });
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    const revision = store.revision;

    diskFull();
    const err = await rejectionOf(store.transact('t', (tx) => tx.insert('premises', premisesFields('LOST'))));
    expect(err).to.be.instanceOf(SavingPausedError);
    expect(err.message).to.include('the disk holding the database is full');
    expect(refs(store), 'never acknowledged, so never shown').to.deep.equal(['P1']);
    expect(store.revision, 'caches see the undo').to.be.greaterThan(revision);
    expect(store.health()).to.include({
      status: 'degraded',
      reason: 'the disk holding the database is full',
    });
    const again = await rejectionOf(store.transact('t', (tx) => tx.insert('premises', premisesFields('X'))));
    expect(again).to.be.instanceOf(SavingPausedError);
    await new Promise((r) => setTimeout(r, 100));
    expect(store.health().status, 'still full: still paused after retries').to.equal('degraded');

    writeFaults.inject(null); // space freed
    await until(() => store.health().status === 'ok');
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P2')));
    expect(refs(store)).to.deep.equal(['P1', 'P2']);
    expect(lines.some((l) => l.startsWith('Saving paused: the disk holding the database is full'))).to.equal(
      true,
    );
    expect(lines.some((l) => l.startsWith('Saving resumed'))).to.equal(true);
    await store.close();

    const reopened = await Store.open(dbPath, { write: false });
    expect(refs(reopened)).to.deep.equal(['P1', 'P2']);
    const entries = await readAuditEntries(reopened.auditPath);
    expect(verifyAuditChain(entries, reopened.fileHead).ok).to.equal(true);
    expect(entries.map((e) => e.recordId)).to.have.length(2);
  });

  it('when changes are queued behind the one whose append fails, then each is refused and undone, newest first', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath, { retryMs: 20 });
    const p1 = await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    diskFull();
    const results = await Promise.allSettled([
      store.transact('t', (tx) => tx.update('premises', p1.id, { name: 'First rename' })),
      store.transact('t', (tx) => tx.update('premises', p1.id, { name: 'Second rename' })),
      store.transact('t', (tx) => tx.insert('premises', premisesFields('P2'))),
      store.transact('t', (tx) => tx.remove('premises', p1.id)),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(refs(store)).to.deep.equal(['P1']);
    expect(store.get('premises', p1.id)).to.include({ name: 'Premises P1', version: 1 });
    writeFaults.inject(null);
    await until(() => store.health().status === 'ok');
    await store.close();
    const reopened = await Store.open(dbPath, { write: false });
    expect(reopened.list('premises').map((p) => [p.ref, p.name, p.version])).to.deep.equal([
      ['P1', 'Premises P1', 1],
    ]);
  });

  it('when the server stops cleanly while paused, then the half-written line is cut and audit verify accepts the log', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath, { retryMs: 60_000 });
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    const logBefore = readFileSync(store.auditPath, 'utf8');
    diskFull();
    await rejectionOf(store.transact('t', (tx) => tx.insert('premises', premisesFields('LOST'))));
    expect(readFileSync(store.auditPath, 'utf8').length, 'a torn line').to.be.greaterThan(logBefore.length);
    await store.close();
    writeFaults.inject(null);
    expect(readFileSync(store.auditPath, 'utf8')).to.equal(logBefore);
    const reopened = await Store.open(dbPath, { write: false });
    expect(verifyAuditChain(await readAuditEntries(reopened.auditPath), reopened.fileHead).ok).to.equal(true);
    expect(refs(reopened)).to.deep.equal(['P1']);
  });

  it('when a settings change cannot write its database file, then it is undone and its log entries are cut before the next write', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath, { retryMs: 20 });
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    // Only new files fail: the log append goes through, the database file does not.
    writeFaults.inject((path, kind) =>
      kind === 'write' ? systemError('ENOSPC', 'no space left on device', path) : null,
    );
    const err = await rejectionOf(
      store.transact('t', (tx) => {
        tx.insert('premises', premisesFields('P2'));
        tx.setMeta((meta) => {
          meta.jobRuns.backup = '2026-01-01T00:00:00.000Z';
        });
      }),
    );
    expect(err).to.be.instanceOf(SavingPausedError);
    expect(store.data.meta.jobRuns.backup).to.equal(undefined);
    expect(refs(store)).to.deep.equal(['P1']);
    writeFaults.inject(null);
    await until(() => store.health().status === 'ok');
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P3')));
    await store.close();
    const reopened = await Store.open(dbPath, { write: false });
    expect(refs(reopened)).to.deep.equal(['P1', 'P3']);
    expect(verifyAuditChain(await readAuditEntries(reopened.auditPath), reopened.fileHead).ok).to.equal(true);
  });

  it('when the disk turns read-only (even truncating fails), then saving stays paused saying so, and resumes once it is writable again', async () => {
    const dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath, { retryMs: 20 });
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P1')));
    writeFaults.inject((path) => systemError('EROFS', 'read-only file system', path));
    const err = await rejectionOf(store.transact('t', (tx) => tx.insert('premises', premisesFields('LOST'))));
    expect(err.message).to.include('the disk holding the database is read-only');
    await new Promise((r) => setTimeout(r, 100));
    expect(store.health()).to.include({
      status: 'degraded',
      reason: 'the disk holding the database is read-only',
    });
    expect((store.health() as { retries: number }).retries).to.be.greaterThan(0);
    writeFaults.inject(null);
    await until(() => store.health().status === 'ok');
    await store.transact('t', (tx) => tx.insert('premises', premisesFields('P2')));
    await store.close();
    const reopened = await Store.open(dbPath, { write: false });
    expect(refs(reopened)).to.deep.equal(['P1', 'P2']);
    expect(verifyAuditChain(await readAuditEntries(reopened.auditPath), reopened.fileHead).ok).to.equal(true);
  });
});
