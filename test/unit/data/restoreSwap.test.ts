import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { emptyDb } from '../../../data/dbSchema.js';
import { restorePaths, stageRestore } from '../../../data/store/restoreSwap.js';
import { Store } from '../../../data/store/store.js';
import { premisesRecord } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('swap');

async function savedDb(): Promise<string> {
  const dbPath = join(folders.make(), 'dueregard.json');
  const store = await Store.open(dbPath);
  await store.close();
  return dbPath;
}

function stagedDbText(): string {
  const db = emptyDb();
  db.premises.push(premisesRecord('p1', { ref: 'RESTORED-1' }));
  return JSON.stringify(db);
}

describe('Restore swap: replacing the database and its audit log as one step', () => {
  afterEach(() => folders.cleanUp());

  it('when a restore was interrupted after its marker was written, then a read-only open refuses and the next writable open finishes it', async () => {
    const dbPath = await savedDb();
    await stageRestore(dbPath, stagedDbText(), '');
    const p = restorePaths(dbPath);
    writeFileSync(
      p.marker,
      JSON.stringify({ db: '.dueregard.restore.json', audit: '.dueregard.restore.audit.jsonl' }),
    );

    let refused: Error | null = null;
    await Store.open(dbPath, { write: false }).catch((err) => {
      refused = err;
    });
    expect(String(refused)).to.include('A restore of');

    const store = await Store.open(dbPath);
    expect(store.list('premises').map((r) => r.ref)).to.deep.equal(['RESTORED-1']);
    await store.close();
    for (const f of [p.marker, p.newDb, p.newAudit]) expect(existsSync(f), f).to.equal(false);
  });

  it('when a restore was interrupted before its marker was written, then the next writable open discards the staged files and keeps the database', async () => {
    const dbPath = await savedDb();
    const before = readFileSync(dbPath, 'utf8');
    await stageRestore(dbPath, stagedDbText(), '');
    const store = await Store.open(dbPath);
    expect(store.list('premises')).to.deep.equal([]);
    await store.close();
    expect(readFileSync(dbPath, 'utf8')).to.equal(before);
    const p = restorePaths(dbPath);
    for (const f of [p.newDb, p.newAudit]) expect(existsSync(f), f).to.equal(false);
  });
});
