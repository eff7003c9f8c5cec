import { itemAt } from '../../../data/itemAt.js';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { londonDate } from '../../../checks/londonDates.js';
import {
  ArchiveReader,
  archivePathFor,
  archiveYears,
  emptyArchiveRecords,
  writeArchiveFile,
} from '../../../data/store/archiveFiles.js';
import { restorePaths, stageRestore } from '../../../data/store/restoreSwap.js';
import { Store } from '../../../data/store/store.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import {
  BackupRefusedError,
  type BackupEnvelope,
  restoreBackup,
  runBackup,
} from '../../../jobs/backupJob.js';
import { createBookingArchive } from '../../../server/hallHire/bookingArchive.js';
import { addPastBookings, type PastBookings } from '../../support/archiveFixture.js';
import { bookingRecord, hirerRecord } from '../../support/hallHireRecords.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('archive-backup');
const today = londonDate(new Date());

/** Every file beside the database, with its bytes: to prove a refused restore changed nothing. */
function filesBeside(dbPath: string): Record<string, string> {
  const dir = dirname(dbPath);
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => [d.name, readFileSync(join(dir, d.name), 'base64')]),
  );
}

describe('Backups and restores include the archive files', () => {
  let dbPath: string;
  let past: PastBookings;
  let years: number[];

  beforeEach(async () => {
    dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    past = await addPastBookings(store, today);
    await runArchive(store, { asOf: today });
    await store.close();
    years = archiveYears(dbPath);
    expect(years.length).to.be.greaterThan(0);
  });
  afterEach(() => folders.cleanUp());

  it('when a backup is restored, then the archive files are exactly the backed-up set again, and those replaced are kept', async () => {
    const backup = await runBackup({ path: dbPath });
    const envelope = JSON.parse(gunzipSync(readFileSync(backup.file)).toString('utf8')) as BackupEnvelope;
    expect(Object.keys(envelope.archives ?? {}).map(Number)).to.deep.equal(years);
    const archived = Object.fromEntries(
      years.map((y) => [y, readFileSync(archivePathFor(dbPath, y), 'utf8')]),
    );

    // After the backup: one year's file is lost and a file of another year appears.
    const lost = itemAt(years, 0);
    writeFileSync(archivePathFor(dbPath, lost), '');
    await writeArchiveFile(
      dbPath,
      1999,
      { ...emptyArchiveRecords(), bookings: [bookingRecord('stray', hirerRecord('h'), '1999-01-01')] },
      'x',
    );

    const r = await restoreBackup(dbPath, backup.file);
    expect(archiveYears(dbPath)).to.deep.equal(years);
    for (const y of years)
      expect(JSON.parse(readFileSync(archivePathFor(dbPath, y), 'utf8'))).to.deep.equal(
        JSON.parse(archived[y] ?? ''),
      );
    expect(existsSync(join(r.replacedCopy!, basename(archivePathFor(dbPath, 1999))))).to.equal(true);

    const store = await Store.open(dbPath, { write: false });
    const reader = createBookingArchive(store, new ArchiveReader(dbPath));
    expect(reader.find(past.approved.id)?.booking.ref).to.equal('ARCH-1');
    expect(store.get('bookings', past.approved.id)).to.equal(undefined);
    expect(store.get('bookings', past.undecided.id)).to.not.equal(undefined);
  });

  it('when an archive inside the backup was altered, then the restore is refused naming it and nothing beside the database changes', async () => {
    const backup = await runBackup({ path: dbPath });
    const envelope = JSON.parse(gunzipSync(readFileSync(backup.file)).toString('utf8')) as BackupEnvelope;
    const year = String(itemAt(years, 0));
    const a = envelope.archives?.[year];
    if (!a) throw new Error(`The backup has no archive of ${year}`);
    a.records.bookings[0] = { ...itemAt(a.records.bookings, 0), purpose: 'Altered after the backup' };
    const altered = join(folders.make(), 'altered.json.gz');
    writeFileSync(altered, gzipSync(JSON.stringify(envelope)));
    const before = filesBeside(dbPath);

    let refused: Error | null = null;
    await restoreBackup(dbPath, altered).catch((err) => {
      refused = err;
    });
    expect(refused).to.be.instanceOf(BackupRefusedError);
    expect(String(refused)).to.include(`its archive of ${year} is damaged`);
    expect(filesBeside(dbPath)).to.deep.equal(before);
  });

  it('when an archive file on disk is damaged, then no backup is taken', async () => {
    const path = archivePathFor(dbPath, itemAt(years, 0));
    writeFileSync(path, readFileSync(path, 'utf8').replace('ARCH-', 'ARCX-'));
    let refused: Error | null = null;
    await runBackup({ path: dbPath }).catch((err) => {
      refused = err;
    });
    expect(refused).to.be.instanceOf(BackupRefusedError);
    expect(String(refused)).to.include('is damaged');
    expect(existsSync(join(dirname(dbPath), 'backups'))).to.equal(false);
  });

  it('when a restore was interrupted after its marker, then the next open finishes it, archive files included', async () => {
    const staged = readFileSync(archivePathFor(dbPath, itemAt(years, 0)), 'utf8');
    const db = readFileSync(dbPath, 'utf8');
    const audit = readFileSync(dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8');
    await stageRestore(
      dbPath,
      db,
      audit,
      new Map([[2001, staged.replace(`"year":${itemAt(years, 0)}`, '"year":2001')]]),
    );
    const p = restorePaths(dbPath);
    writeFileSync(
      p.marker,
      JSON.stringify({ db: basename(p.newDb), audit: basename(p.newAudit), archives: [2001] }),
    );
    const store = await Store.open(dbPath);
    await store.close();
    expect(existsSync(p.marker)).to.equal(false);
    // The restored set is the staged one: 2001 only (its checksum covers the records, not the year).
    expect(archiveYears(dbPath)).to.deep.equal([2001]);
  });
});
