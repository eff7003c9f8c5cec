import { itemAt } from '../../../data/itemAt.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import type { AuditEntry } from '../../../data/store/auditLog.js';
import { ArchiveReader, archivePathFor, readArchiveFile } from '../../../data/store/archiveFiles.js';
import { Store } from '../../../data/store/store.js';
import { archiveScheduledJob, runArchive } from '../../../jobs/archiveJob.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { createBookingArchive } from '../../../server/hallHire/bookingArchive.js';
import { addPastBookings, OLD_HIRER, OLD_SPEAKER, type PastBookings } from '../../support/archiveFixture.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('archive-job');
const today = londonDate(new Date());
const year3 = Number(addMonths(today, -36).slice(0, 4));

function auditEntries(store: Store): AuditEntry[] {
  return readFileSync(store.auditPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);
}

describe('Archive job: decided bookings more than 12 months past move to per-year files', () => {
  let dbPath: string;
  let store: Store;
  let past: PastBookings;

  beforeEach(async () => {
    dbPath = join(folders.make(), 'dueregard.json');
    store = await Store.open(dbPath);
    past = await addPastBookings(store, today);
  });
  afterEach(async () => {
    await store.close();
    folders.cleanUp();
  });

  it('when the job runs, then each old decided booking moves with its check, action, screening and decision to its year’s file, and the rest stay live', async () => {
    const flagsBefore = computeFlags(store.data, today);
    const r = await runArchive(store, { asOf: today });

    expect(r.bookings).to.equal(3);
    expect(r.heldBack).to.deep.equal({ flagged: 0, openWork: 1 });
    for (const id of [past.approved.id, past.refused.id, past.other.id])
      expect(store.get('bookings', id), id).to.equal(undefined);
    expect(store.get('reviews', past.approved.reviewId)).to.equal(undefined);
    expect(store.get('actions', past.approved.actionId)).to.equal(undefined);
    expect(store.get('bookingScreenings', past.approved.screeningId)).to.equal(undefined);
    expect(store.get('bookingDecisions', past.approved.decisionId)).to.equal(undefined);
    for (const id of [past.undecided.id, past.recent.id, past.openAction.id])
      expect(store.get('bookings', id), id).to.not.equal(undefined);
    expect(store.get('hirers', past.hirerId)).to.not.equal(undefined);

    const file = readArchiveFile(dbPath, year3)!;
    expect(file.records.bookings.map((b) => b.id)).to.include.members([past.approved.id, past.other.id]);
    expect(file.records.reviews.map((x) => x.id)).to.deep.equal([past.approved.reviewId]);
    expect(file.records.actions.map((x) => x.id)).to.deep.equal([past.approved.actionId]);
    expect(file.records.bookingScreenings.map((x) => x.id)).to.deep.equal([past.approved.screeningId]);
    // The flags never needed what moved.
    expect(computeFlags(store.data, today)).to.deep.equal(flagsBefore);
  });

  it('when the move is logged, then it is one entry with the files, counts and ids, and no personal data', async () => {
    const before = auditEntries(store).length;
    await runArchive(store, { asOf: today });
    const added = auditEntries(store).slice(before);
    expect(added).to.have.length(1);
    const e = itemAt(added, 0);
    expect(e.action).to.equal('archive');
    const after = e.after as { bookings: number; files: { file: string; ids: Record<string, string[]> }[] };
    expect(after.bookings).to.equal(3);
    expect(after.files.map((f) => f.file)).to.include('dueregard.archive-' + year3 + '.json');
    expect(after.files.flatMap((f) => f.ids.bookings)).to.include(past.approved.id);
    const text = JSON.stringify(e);
    for (const personal of [OLD_HIRER.name, OLD_SPEAKER, 'Evening ARCH-1', 'Checked the charity register'])
      expect(text).to.not.include(personal);
  });

  it('when the database file was not rewritten after the move (a crash), then opening replays the move from the log', async () => {
    const snapshotBefore = readFileSync(dbPath, 'utf8');
    await runArchive(store, { asOf: today });
    await store.close();
    // The database file as it was before the move: only the log knows of it.
    writeFileSync(dbPath, snapshotBefore);
    store = await Store.open(dbPath);
    expect(store.recovered.transactions).to.be.greaterThan(0);
    expect(store.get('bookings', past.approved.id)).to.equal(undefined);
    expect(store.get('reviews', past.approved.reviewId)).to.equal(undefined);
    expect(store.get('bookings', past.undecided.id)).to.not.equal(undefined);
  });

  it('when the job is killed after writing the archive file but before the live removal, then readers see each booking once and the next run finishes the move without changing the file', async () => {
    const transact = store.transact.bind(store);
    store.transact = (() => Promise.reject(new Error('killed'))) as typeof store.transact;
    let failed: Error | null = null;
    await runArchive(store, { asOf: today }).catch((err) => {
      failed = err;
    });
    store.transact = transact;
    expect(String(failed)).to.include('killed');
    // Both places hold the booking now: live wins, so the archive answers nothing for it.
    expect(readArchiveFile(dbPath, year3)!.records.bookings.map((b) => b.id)).to.include(past.approved.id);
    const archived = createBookingArchive(store, new ArchiveReader(dbPath));
    expect(archived.find(past.approved.id)).to.equal(undefined);
    expect(archived.bookings()).to.deep.equal([]);
    expect(store.get('bookings', past.approved.id)).to.not.equal(undefined);

    const fileBefore = readArchiveFile(dbPath, year3)!.records;
    const r = await runArchive(store, { asOf: today });
    expect(r.bookings).to.equal(3);
    expect(readArchiveFile(dbPath, year3)!.records).to.deep.equal(fileBefore);
    expect(store.get('bookings', past.approved.id)).to.equal(undefined);
    expect(archived.find(past.approved.id)?.booking.ref).to.equal(past.approved.ref);
    expect(
      archived
        .bookings()
        .map((b) => b.ref)
        .sort(),
    ).to.deep.equal(['ARCH-1', 'ARCH-2', 'ARCH-OTHER']);
  });

  it('when a booking changes while its file is written, then it stays live this time, readers show the live one, and the next run moves the new version', async () => {
    const transact = store.transact.bind(store);
    let first = true;
    store.transact = (async (actor: string, fn: Parameters<Store['transact']>[1]) => {
      if (first && actor === 'archive') {
        first = false;
        await transact('facilities@demo.test', (tx) =>
          tx.update('bookings', past.refused.id, { purpose: 'Corrected after the event' }),
        );
      }
      return transact(actor, fn);
    }) as typeof store.transact;
    const r = await runArchive(store, { asOf: today });
    store.transact = transact;
    expect(r.changedMeanwhile).to.equal(1);
    expect(r.bookings).to.equal(2);
    expect(store.get('bookings', past.refused.id)?.purpose).to.equal('Corrected after the event');
    const archived = createBookingArchive(store, new ArchiveReader(dbPath));
    expect(archived.find(past.refused.id)).to.equal(undefined);

    await runArchive(store, { asOf: today });
    expect(store.get('bookings', past.refused.id)).to.equal(undefined);
    expect(archived.find(past.refused.id)?.booking.purpose).to.equal('Corrected after the event');
  });

  it('when the daily job runs from the scheduler, then it moves what is due and records its run for catch-up', async () => {
    const lines: string[] = [];
    const job = archiveScheduledJob(store, { log: (l) => lines.push(l) });
    expect(job.lastRun()).to.equal(null);
    await job.run();
    expect(job.lastRun()).to.be.a('string');
    expect(store.get('bookings', past.approved.id)).to.equal(undefined);
    expect(lines.join('\n')).to.match(/Archive: 3 bookings \(\d+ records\) moved to dueregard\.archive-/);
  });

  it('when it is a dry run, then nothing is written and the counts say what would move', async () => {
    const dbBefore = readFileSync(store.auditPath, 'utf8');
    const r = await runArchive(store, { asOf: today, dryRun: true });
    expect(r.bookings).to.equal(3);
    expect(r.records).to.be.greaterThan(3);
    expect(existsSync(archivePathFor(dbPath, year3))).to.equal(false);
    expect(readFileSync(store.auditPath, 'utf8')).to.equal(dbBefore);
    expect(store.get('bookings', past.approved.id)).to.not.equal(undefined);
  });

  it('when an archive file is damaged, then the job refuses to merge into it and nothing leaves the live data', async () => {
    await runArchive(store, { asOf: today });
    const path = archivePathFor(dbPath, year3);
    const damaged = readFileSync(path, 'utf8').replace('Evening ARCH-1', 'Evening ARCH-X');
    writeFileSync(path, damaged);
    // One more booking old enough to move into that year.
    const more = await store.transact('test', (tx) => {
      const b = tx.insert('bookings', {
        ...store.get('bookings', past.undecided.id)!,
        id: undefined,
        ref: 'ARCH-LATE',
        status: 'cancelled',
      } as never);
      return b as { id: string };
    });
    let failed: Error | null = null;
    await runArchive(store, { asOf: today }).catch((err) => {
      failed = err;
    });
    expect(String(failed)).to.include('is damaged');
    expect(readFileSync(path, 'utf8')).to.equal(damaged);
    expect(store.get('bookings', more.id)).to.not.equal(undefined);
  });

  it('when retention runs past the period, then personal data in the archive files is removed too, the file stays valid and the counts are logged', async () => {
    await runArchive(store, { asOf: today });
    // Seven years on, the three-year-old bookings are past a retention period of 2 years.
    const r = await runRetention(store, { asOf: today, retentionYears: 2 });
    const bookingsCount = r.counts.find((c) => c.collection === 'bookings')!;
    expect(bookingsCount.archived?.redacted).to.equal(2);
    const file = readArchiveFile(dbPath, year3)!;
    const approved = file.records.bookings.find((b) => b.id === past.approved.id)!;
    expect(approved.speakers).to.deep.equal([]);
    expect(approved.eventTitle).to.equal(null);
    expect(approved.personalDataRemoved).to.equal(true);
    expect(JSON.stringify(file)).to.not.include(OLD_SPEAKER);
    const note = auditEntries(store).find((e) => e.action === 'retention' && e.collection === 'bookings')!;
    expect((note.after as { inArchives: unknown }).inArchives).to.deep.equal({ redacted: 2, deleted: 0 });
    expect(JSON.stringify(note)).to.not.include(OLD_SPEAKER);

    const again = await runRetention(store, { asOf: today, retentionYears: 2 });
    expect(again.counts.find((c) => c.collection === 'bookings')!.archived).to.equal(undefined);
  });
});
