import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import { Store } from '../../../data/store/store.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import { addPastBookings, type PastBookings } from '../../support/archiveFixture.js';
import { premisesFields } from '../../support/records.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const today = londonDate(new Date());
const HEADER =
  'booking_ref,premises_ref,hall,start,end,event_title,purpose,expected_attendance,open_to_public,hirer_name,organisation,other_names,charity_number,company_number,speakers,booking_officer_email';

describe('CLI: import bookings never re-creates an archived booking (real archive files)', function () {
  this.timeout(60_000);
  const folders = tempFolders('import-archived');
  let db: string;
  let csv: string;
  let past: PastBookings;

  beforeEach(async () => {
    const dir = folders.make();
    db = join(dir, 'dueregard.json');
    const store = await Store.open(db);
    past = await addPastBookings(store, today);
    const r = await runArchive(store, { asOf: today });
    expect(r.bookings).to.be.at.least(3);
    await store.close();
    const ahead = addDays(today, 30);
    // An old export again: two archived bookings (one in another case, one under a hirer name no longer
    // on record) beside one new booking.
    csv = join(dir, 'bookings.csv');
    writeFileSync(
      csv,
      [
        HEADER,
        `ARCH-1,P-OLD,Main Hall,2023-01-01T18:30,2023-01-01T21:00,Old evening,,40,yes,Olive Archivist,Old Hall Users Group,,,,,`,
        `arch-2,P-OLD,Main Hall,2024-01-01T18:30,2024-01-01T21:00,Old evening,,40,yes,Person Since Removed,,,,,,`,
        `NEW-7,P-OLD,Main Hall,${ahead}T18:30,${ahead}T21:00,New evening,,40,yes,Olive Archivist,Old Hall Users Group,,,,,`,
        '',
      ].join('\n'),
    );
  });
  afterEach(() => folders.cleanUp());

  const liveBookings = () =>
    (JSON.parse(readFileSync(db, 'utf8')) as { bookings: { id: string; ref: string }[] }).bookings;

  it('when a file holds rows of archived bookings, then they are skipped and named, never created as live ones, and the rest is imported', async () => {
    const dry = await runCliInProcess(['import', 'bookings', csv, '--dry-run', '--db', db]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include('created 1, updated 0, unchanged 0, skipped 2');

    const r = await runCliInProcess(['import', 'bookings', csv, '--db', db]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 1, updated 0, unchanged 0, skipped 2');
    expect(r.stdout).to.include(
      'Skipped as already archived (decided, event ended more than 12 months ago; not created again): ARCH-1, arch-2',
    );
    const live = liveBookings();
    expect(live.filter((b) => b.ref.toLowerCase().startsWith('arch-'))).to.deep.equal([]);
    expect(live.some((b) => b.id === past.approved.id || b.id === past.refused.id)).to.equal(false);
    expect(live.filter((b) => b.ref === 'NEW-7')).to.have.length(1);
    // The skipped row's hirer was not written back either.
    const hirers = (JSON.parse(readFileSync(db, 'utf8')) as { hirers: { name: string }[] }).hirers;
    expect(hirers.some((h) => h.name === 'Person Since Removed')).to.equal(false);

    // Importing the same file again changes nothing.
    const again = await runCliInProcess(['import', 'bookings', csv, '--db', db]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include('created 0, updated 0, unchanged 1, skipped 2');
  });

  it('when no booking has been archived, then the same refs are created as before', async () => {
    const other = join(folders.make(), 'fresh.json');
    const store = await Store.open(other);
    await store.transact('test', (tx) => {
      const p = tx.insert(
        'premises',
        premisesFields('P-OLD', { name: 'Old Town Hall', hireableSpace: true }),
      );
      tx.insert('halls', { premisesId: p.id, name: 'Main Hall', capacity: 100, archived: false });
    });
    await store.close();
    const r = await runCliInProcess(['import', 'bookings', csv, '--db', other]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 3, updated 0, unchanged 0, skipped 0');
    expect(r.stdout).to.not.include('already archived');
  });
});
