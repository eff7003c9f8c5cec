import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  type AuditEntry,
  auditPathFor,
  hashEntry,
  readAuditEntries,
  verifyAuditChain,
} from '../../../data/store/auditLog.js';
import { SEALED, unsealForReading } from '../../../data/store/personalFields.js';
import { sealingPathFor, writeSealedLog } from '../../../data/store/sealLog.js';
import { Store } from '../../../data/store/store.js';
import { keysPathFor, SubjectKeys } from '../../../data/store/subjectKeys.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { createAuditService } from '../../../server/services/auditService.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('log-sealing');

/**
 * Turns a database into what releases before sealing wrote: the log with personal fields in plain JSON
 * (re-chained), no key file, and the database file not marking the log as sealed.
 */
function asBeforeSealing(db: string): void {
  const keys = SubjectKeys.load(db);
  const lines = readFileSync(auditPathFor(db), 'utf8').trimEnd().split('\n');
  let prev = '';
  let text = '';
  for (const line of lines) {
    const { hash: _h, ...e } = JSON.parse(line) as AuditEntry;
    e.before = unsealForReading(e.collection, e.before, keys).record;
    e.after = unsealForReading(e.collection, e.after, keys).record;
    e.prev = prev;
    prev = hashEntry(e);
    text += `${JSON.stringify({ ...e, hash: prev })}\n`;
  }
  writeFileSync(auditPathFor(db), text);
  unlinkSync(keysPathFor(db));
  const file = JSON.parse(readFileSync(db, 'utf8'));
  file.meta.auditHash = prev;
  file.meta.auditOffset = Buffer.byteLength(text);
  delete file.meta.logSealedAt;
  writeFileSync(db, JSON.stringify(file));
}

async function demoDb(): Promise<{ db: string; hirerName: string; hirerId: string }> {
  const db = join(folders.make(), 'dueregard.json');
  const store = await Store.open(db);
  await setUpDemo(store, { passwordHashCost: 1, today: '2026-12-07' });
  const hirer = store.list('hirers')[0]!;
  await store.close();
  return { db, hirerName: hirer.name, hirerId: hirer.id };
}

async function verifies(db: string): Promise<boolean> {
  const store = await Store.open(db, { write: false });
  return verifyAuditChain(await readAuditEntries(store.auditPath), store.fileHead).ok;
}

describe('Audit log: converting a log written before personal fields were sealed', function () {
  this.timeout(60_000);
  afterEach(() => folders.cleanUp());

  it('when an old database is opened, then its log is sealed in place, verifies before and after, reads the same and the step is logged', async () => {
    const { db, hirerName, hirerId } = await demoDb();
    asBeforeSealing(db);
    expect(readFileSync(auditPathFor(db), 'utf8')).to.include(hirerName);
    expect(await verifies(db)).to.equal(true);

    const store = await Store.open(db);
    const entries = await readAuditEntries(store.auditPath);
    expect(readFileSync(auditPathFor(db), 'utf8')).not.to.include(hirerName);
    expect(entries.find((e) => e.recordId === hirerId)?.after).to.have.property(SEALED);
    expect(entries.at(-1)).to.include({ action: 'seal', collection: 'auditLog' });
    const [created] = await createAuditService(store).about(new Set([hirerId]));
    expect((created?.after as { name?: string } | undefined)?.name).to.equal(hirerName);
    expect(store.data.meta.logSealedAt).to.be.a('string');
    await store.close();
    expect(await verifies(db)).to.equal(true);
    expect(existsSync(sealingPathFor(auditPathFor(db)))).to.equal(false);
  });

  it('when retention had erased a hirer before the conversion, then the converted log holds nothing readable of them', async () => {
    const { db } = await demoDb();
    const first = await Store.open(db);
    await runRetention(first, { asOf: '2040-01-01', retentionYears: 6, followUps: [] });
    await first.close();
    asBeforeSealing(db);
    // What retention left in plain text in the old log (the records as they were before erasure).
    const oldLog = readFileSync(auditPathFor(db), 'utf8');
    const store = await Store.open(db);
    const erased = store.list('hirers').filter((h) => h.personalDataRemoved);
    expect(erased.length).to.be.greaterThan(0);
    for (const h of erased) expect(store.keys.has(`hirers/${h.id}`)).to.equal(false);
    const [created] = await createAuditService(store).about(new Set([erased[0]!.id]));
    const name = (created?.after as { name?: string } | undefined)?.name;
    expect(name).to.equal('erased');
    expect(oldLog.length).to.be.greaterThan(0);
    await store.close();
  });

  it('when a crash came after the sealed copy was recorded but before it replaced the log, then the next open swaps it in', async () => {
    const { db, hirerName } = await demoDb();
    asBeforeSealing(db);
    const keys = SubjectKeys.load(db);
    const sealed = await writeSealedLog(auditPathFor(db), keys);
    await keys.flush();
    const file = JSON.parse(readFileSync(db, 'utf8'));
    Object.assign(file.meta, {
      auditHash: sealed.head.hash,
      auditOffset: sealed.bytes,
      logSealedAt: '2026-12-07T00:00:00Z',
    });
    writeFileSync(db, JSON.stringify(file));

    const store = await Store.open(db);
    expect(readFileSync(auditPathFor(db), 'utf8')).not.to.include(hirerName);
    expect(existsSync(sealingPathFor(auditPathFor(db)))).to.equal(false);
    await store.close();
    expect(await verifies(db)).to.equal(true);
  });

  it('when a crash came before the sealed copy was recorded, then the copy is discarded and the conversion runs again', async () => {
    const { db, hirerName } = await demoDb();
    asBeforeSealing(db);
    const keys = SubjectKeys.load(db);
    await writeSealedLog(auditPathFor(db), keys);
    writeFileSync(sealingPathFor(auditPathFor(db)), 'half a line', { flag: 'a' });

    const store = await Store.open(db);
    expect(readFileSync(auditPathFor(db), 'utf8')).not.to.include(hirerName);
    await store.close();
    expect(await verifies(db)).to.equal(true);
  });
});
