import { itemAt } from '../../../data/itemAt.js';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { verifyAuditChain } from '../../../data/store/auditLog.js';
import { EvidenceFolder } from '../../../data/store/evidenceFiles.js';
import { Store } from '../../../data/store/store.js';
import { snapshotEvidence } from '../../../jobs/backupEvidence.js';
import {
  type BackupEnvelope,
  backupScheduledJob,
  listBackups,
  readBackup,
  runBackup,
} from '../../../jobs/backupJob.js';
import { premisesFields } from '../../support/records.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('backupjob');

function envelopeOf(file: string): BackupEnvelope {
  return JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
}

describe('Backup job', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    folders.cleanUp();
  });

  async function openStore(): Promise<Store> {
    const store = await Store.open(join(folders.make(), 'dueregard.json'));
    stores.push(store);
    return store;
  }

  it('when more backups exist than `keep`, then the oldest of this database are removed and other files are left alone', async () => {
    const store = await openStore();
    await store.transact('tester', (tx) => tx.insert('premises', premisesFields('P-1')));
    const dir = join(folders.make(), 'backups');
    let t = Date.parse('2026-03-14T07:00:00.000Z');
    const now = () => {
      t += 86_400_000;
      return new Date(t);
    };
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await runBackup(store, { dir, keep: 3, now })).file);
    writeFileSync(join(dir, 'other-backup-20200101T000000000Z.json.gz'), 'not ours');
    writeFileSync(join(dir, 'notes.txt'), 'keep me');
    const last = await runBackup(store, { dir, keep: 3, now });
    expect(last.removed.map((f) => basename(f))).to.deep.equal([basename(itemAt(made, 2))]);
    expect(listBackups(store.path, dir)).to.deep.equal([made[3], made[4], last.file]);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).to.equal('keep me');
    expect(readFileSync(join(dir, 'other-backup-20200101T000000000Z.json.gz'), 'utf8')).to.equal('not ours');
    expect(basename(last.file)).to.equal('dueregard-backup-20260320T070000000Z.json.gz');
  });

  /** An evidence file and its record, as an upload leaves them. */
  async function addEvidence(store: Store, id: string, text: string) {
    const bytes = Buffer.from(text);
    EvidenceFolder.forDatabase(store.path).writeSync(id, bytes);
    await store.transact('tester', (tx) =>
      tx.insert('evidence', {
        id,
        reviewId: 'review-1',
        filename: `${id}.txt`,
        mediaType: 'text/plain',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        description: 'Notes',
        uploadedBy: 'tester@x.test',
      }),
    );
  }

  it('when an evidence file is gone when the backup is taken (removed meanwhile, or lost), then the backup leaves it and its record out, says which and why, and still restores', async () => {
    const store = await openStore();
    await addEvidence(store, 'e-kept', 'kept');
    await addEvidence(store, 'e-gone', 'gone');
    await addEvidence(store, 'e-bad', 'original');
    const folder = EvidenceFolder.forDatabase(store.path);
    unlinkSync(folder.pathOf('e-gone'));
    writeFileSync(folder.pathOf('e-bad'), 'changed on disk');
    const result = await runBackup(store);
    expect(result.evidenceFiles).to.equal(1);
    expect(result.evidenceMissing.map((m) => m.id)).to.deep.equal(['e-gone', 'e-bad']);
    expect(result.evidenceMissing[0]?.reason).to.include('the file is gone');
    expect(result.evidenceMissing[1]?.reason).to.include('does not match the size and SHA-256');
    const env = readBackup(readFileSync(result.file), 'backup');
    expect((env.db.evidence as { id: string }[]).map((e) => e.id)).to.deep.equal(['e-kept']);
    expect(env.evidenceFiles!.map((f) => [f.id, Buffer.from(f.base64, 'base64').toString()])).to.deep.equal([
      ['e-kept', 'kept'],
    ]);
    expect(readdirSync(dirname(store.path)).filter((f) => f.includes('backup-evidence'))).to.deep.equal([]);
  });

  it('when evidence files are pinned for a backup and then removed from the evidence folder, then the pinned copies still read as they were', async () => {
    const store = await openStore();
    await addEvidence(store, 'e-1', 'first file');
    const snapshot = snapshotEvidence(store.path, store.list('evidence'));
    try {
      EvidenceFolder.forDatabase(store.path).remove('e-1');
      expect((await snapshot.read('e-1')).toString()).to.equal('first file');
    } finally {
      snapshot.close();
    }
    expect(readdirSync(dirname(store.path)).filter((f) => f.includes('backup-evidence'))).to.deep.equal([]);
  });

  it('when a killed backup left pinned evidence behind, then the next backup removes it (removed evidence does not linger)', async () => {
    const store = await openStore();
    const stale = join(dirname(store.path), '.dueregard.backup-evidence-999999999-left');
    mkdirSync(stale);
    writeFileSync(join(stale, 'e-old'), 'removed since');
    await runBackup(store);
    expect(existsSync(stale)).to.equal(false);
  });

  it('when two backups are taken in the same millisecond, then both are kept under different names', async () => {
    const store = await openStore();
    const now = () => new Date('2026-03-14T07:00:00.000Z');
    const a = await runBackup(store, { now });
    const b = await runBackup(store, { now });
    expect(a.file).to.not.equal(b.file);
    expect(listBackups(store.path)).to.deep.equal([a.file, b.file]);
  });

  it('when changes are still being saved as the backup starts, then it waits for them and holds every one, with a log that verifies against its database', async () => {
    const store = await openStore();
    const saving = Array.from({ length: 50 }, (_, i) =>
      store.transact('tester', (tx) => tx.insert('premises', premisesFields(`P-${i}`))),
    );
    const result = await runBackup(store);
    await Promise.all(saving);
    const env = envelopeOf(result.file);
    expect((env.db.premises as unknown[]).length).to.equal(50);
    expect(env.counts.premises).to.equal(50);
    expect(env.audit).to.have.length(50);
    expect(env.auditHead.seq).to.equal(50);
    expect(verifyAuditChain(env.audit, env.auditHead).ok).to.equal(true);
    expect(result).to.include({ records: 50, auditEntries: 50 });
  });

  it('when the log runs past the database file (changes acknowledged, the file not yet rewritten), then the backup holds them and leaves out a transaction still being written', async () => {
    const path = join(folders.make(), 'dueregard.json');
    const first = await Store.open(path);
    await first.transact('tester', (tx) => tx.insert('premises', premisesFields('P-1')));
    await first.transact('tester', (tx) => tx.insert('premises', premisesFields('P-2')));
    await first.close();
    const fileText = readFileSync(path, 'utf8');
    const second = await Store.open(path);
    await second.transact('tester', (tx) => tx.insert('premises', premisesFields('P-3')));
    await second.close();
    writeFileSync(path, fileText); // the file as it was before the third change
    appendFileSync(first.auditPath, '{"seq":4,"at":"2026-'); // a change being appended right now

    const env = envelopeOf((await runBackup({ path })).file);
    expect(env.audit.map((e) => e.seq)).to.deep.equal([1, 2, 3]);
    expect(env.auditHead.seq).to.equal(3);
    expect((env.db.premises as { ref: string }[]).map((p) => p.ref)).to.deep.equal(['P-1', 'P-2', 'P-3']);
    expect(readFileSync(path, 'utf8'), 'the backup writes nothing').to.equal(fileText);
  });
});

describe('Backup job for the scheduler', () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    folders.cleanUp();
  });

  it('when the scheduled backup runs, then a backup is written and its time is recorded as the last run', async () => {
    const store = await Store.open(join(folders.make(), 'dueregard.json'));
    stores.push(store);
    const job = backupScheduledJob(store, { now: () => new Date('2026-03-14T02:30:00.000Z') });
    expect(job.name).to.equal('backup');
    expect(job.crons).to.deep.equal(['30 2 * * *']);
    expect(job.lastRun()).to.equal(null);
    await job.run();
    expect(job.lastRun()).to.equal('2026-03-14T02:30:00.000Z');
    expect(listBackups(store.path).map((f) => basename(f))).to.deep.equal([
      'dueregard-backup-20260314T023000000Z.json.gz',
    ]);
    const reopened = JSON.parse(readFileSync(store.path, 'utf8'));
    expect(reopened.meta.jobRuns.backup).to.equal('2026-03-14T02:30:00.000Z');
  });
});
