import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { DatabaseLockedError, WriterLock } from '../../../data/store/writerLock.js';
import { premisesFields } from '../../support/records.js';
import {
  exitOf,
  HOLD_STORE,
  outputOf,
  startChild,
  TRY_STORE,
  untilPrinted,
} from '../../support/storeChild.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('lock');
async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to be rejected');
}

describe('Writer lock', () => {
  const children: ChildProcess[] = [];
  const stores: Store[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exitOf(child);
      }
    }
    for (const store of stores.splice(0)) await store.close();
    folders.cleanUp();
  });

  function dbPath(): string {
    return join(folders.make(), 'dueregard.json');
  }

  it('when a store is open for writing, then the lock file beside it holds this pid', async () => {
    const path = dbPath();
    stores.push(await Store.open(path));
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal(String(process.pid));
  });

  it('when this process already holds the database, then a second open is refused with DatabaseLockedError naming the pid', async () => {
    const path = dbPath();
    const first = await Store.open(path);
    stores.push(first);
    const err = await rejectionOf(Store.open(path));
    expect(err).to.be.instanceOf(DatabaseLockedError);
    expect((err as DatabaseLockedError).holderPid).to.equal(process.pid);
    expect(err.message).to.include(`pid ${process.pid}`);

    // The refused open left the holder's lock in place.
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal(String(process.pid));
    await first.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
  });

  it('when another process holds the database, then opening it here is refused with DatabaseLockedError naming that pid', async () => {
    const path = dbPath();
    const holder = startChild(HOLD_STORE, path);
    children.push(holder);
    await untilPrinted(holder, 'ready');

    const err = await rejectionOf(Store.open(path));
    expect(err).to.be.instanceOf(DatabaseLockedError);
    expect((err as DatabaseLockedError).holderPid).to.equal(holder.pid);
    expect(err.message).to.include(`pid ${holder.pid}`);
    expect(err.message).to.include(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal(String(holder.pid));

    // Once the holder closes, the database is free.
    holder.stdin!.end();
    expect(await exitOf(holder)).to.equal(0);
    expect(existsSync(`${path}.lock`)).to.equal(false);
    stores.push(await Store.open(path));
  });

  it('when this process holds the database, then another process is refused with DatabaseLockedError naming this pid', async () => {
    const path = dbPath();
    stores.push(await Store.open(path));
    const { stdout, stderr, code } = await outputOf(startChild(TRY_STORE, path));
    expect(code, stderr).to.equal(0);
    const result = JSON.parse(stdout.trim());
    expect(result).to.include({ opened: false, ctor: 'DatabaseLockedError', holderPid: process.pid });
    expect(result.message).to.include(`pid ${process.pid}`);
  });

  it('when the lock file names a process that has exited, then it is taken over', async () => {
    const path = dbPath();
    const short = spawn(process.execPath, ['-e', '']);
    await exitOf(short);
    const deadPid = short.pid!;
    writeFileSync(`${path}.lock`, String(deadPid));

    const store = await Store.open(path);
    stores.push(store);
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal(String(process.pid));
    await store.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
  });

  it('when the lock file is unreadable rubbish, then it is taken over', async () => {
    const path = dbPath();
    writeFileSync(`${path}.lock`, 'not a pid');
    stores.push(await Store.open(path));
    expect(readFileSync(`${path}.lock`, 'utf8')).to.equal(String(process.pid));
  });

  it('when the store is closed, then the lock is released and the database can be opened again', async () => {
    const path = dbPath();
    const first = await Store.open(path);
    await first.transact('alice', (tx) => tx.insert('premises', premisesFields('P1')));
    await first.close();
    expect(existsSync(`${path}.lock`)).to.equal(false);

    const { stdout, stderr } = await outputOf(startChild(TRY_STORE, path));
    expect(JSON.parse(stdout.trim()), stderr).to.deep.equal({ opened: true });

    const second = await Store.open(path);
    stores.push(second);
    expect(second.list('premises')).to.have.length(1);
  });

  it('when a lock is released after another process took it over, then that process keeps it', async () => {
    const path = dbPath();
    const lock = new WriterLock(path);
    await lock.acquire(path);
    writeFileSync(lock.path, '999999999');
    lock.release();
    expect(readFileSync(lock.path, 'utf8')).to.equal('999999999');
  });
});
