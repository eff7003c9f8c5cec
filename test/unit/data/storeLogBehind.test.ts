import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { LogBehindError } from '../../../data/store/storeLoad.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('logbehind');

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to be rejected');
}

/** A closed database with premises P1..P`n`, one change each; its log as it stood after `keep` of them. */
async function databaseWithOlderLog(n: number, keep: number) {
  const dbPath = join(folders.make(), 'dueregard.json');
  const auditPath = dbPath.replace(/\.json$/, '.audit.jsonl');
  const store = await Store.open(dbPath);
  let olderLog = '';
  for (let i = 1; i <= n; i++) {
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields(`P${i}`)));
    if (i === keep) olderLog = readFileSync(auditPath, 'utf8');
  }
  await store.close();
  return { dbPath, auditPath, olderLog, file: readFileSync(dbPath, 'utf8') };
}

describe('Store: the log checked against the database file in both directions', () => {
  afterEach(() => folders.cleanUp());

  it('when the log was copied back from an older version (it ends before the head the file records), then opening to write is refused naming rebuild, and nothing changes', async () => {
    const db = await databaseWithOlderLog(4, 2);
    writeFileSync(db.auditPath, db.olderLog);
    const err = await rejectionOf(Store.open(db.dbPath));
    expect(err).to.be.instanceOf(LogBehindError);
    expect(err.message).to.include('ends at entry 2');
    expect(err.message).to.include('up to entry 4');
    expect(err.message).to.include('npx dueregard rebuild --from-log');
    expect(readFileSync(db.dbPath, 'utf8')).to.equal(db.file);
    expect(readFileSync(db.auditPath, 'utf8'), 'the log is not cut or added to').to.equal(db.olderLog);

    // A reader still sees the database file, so `audit verify` and reports can say what is wrong.
    const reader = await Store.open(db.dbPath, { write: false });
    expect(reader.list('premises')).to.have.length(4);
  });

  it('when the log was cut part-way through an entry before the head, then opening to write is refused', async () => {
    const db = await databaseWithOlderLog(3, 3);
    const text = readFileSync(db.auditPath, 'utf8');
    writeFileSync(db.auditPath, text.slice(0, text.length - 40));
    const err = await rejectionOf(Store.open(db.dbPath));
    expect(err).to.be.instanceOf(LogBehindError);
    expect(err.message).to.include('ends at entry 2');
  });

  it('when the log is missing but the database file records entries, then opening to write is refused', async () => {
    const db = await databaseWithOlderLog(2, 2);
    unlinkSync(db.auditPath);
    const err = await rejectionOf(Store.open(db.dbPath));
    expect(err).to.be.instanceOf(LogBehindError);
    expect(err.message).to.include('is missing or empty');
  });

  it('when a byte is flipped in the log past the head (changes to replay), then opening to write is refused too', async () => {
    const db = await databaseWithOlderLog(1, 1);
    const store = await Store.open(db.dbPath);
    for (const ref of ['P2', 'P3'])
      await store.transact('tester', (tx) => tx.insert('premises', premisesFields(ref)));
    await store.close();
    writeFileSync(db.dbPath, db.file); // the file as a writer killed before rewriting it leaves it
    const text = readFileSync(db.auditPath, 'utf8');
    writeFileSync(db.auditPath, text.replace('"Premises P3"', '"Premises Q3"'));
    const err = await rejectionOf(Store.open(db.dbPath));
    expect(err.message).to.include('was altered');
  });

  it('when the log is whole, then the database opens as before', async () => {
    const db = await databaseWithOlderLog(3, 3);
    const store = await Store.open(db.dbPath);
    expect(store.list('premises')).to.have.length(3);
    await store.close();
  });
});
