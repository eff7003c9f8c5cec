import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  ArchiveDamagedError,
  ArchiveReader,
  archivePathFor,
  archiveYears,
  emptyArchiveRecords,
  mergeIntoArchive,
  readArchiveFile,
  writeArchiveFile,
} from '../../../data/store/archiveFiles.js';
import { bookingRecord, hirerRecord } from '../../support/hallHireRecords.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('archive-files');
const hirer = hirerRecord('h1');

const adding = (...bookings: ReturnType<typeof bookingRecord>[]) => ({
  bookings: bookings.map((b) => ({ id: b.id, json: JSON.stringify(b) })),
  bookingDecisions: [],
  bookingScreenings: [],
  reviews: [],
  actions: [],
});

describe('Archive files', () => {
  afterEach(() => folders.cleanUp());

  it('when records are merged twice, or a newer copy of one is merged, then each id is held once, in its latest copy', async () => {
    const db = join(folders.make(), 'council.json');
    const a = bookingRecord('a', hirer, '2023-04-01', { status: 'approved' });
    const b = bookingRecord('b', hirer, '2023-05-01', { status: 'refused' });
    await mergeIntoArchive(db, 2023, adding(a, b), '2026-01-01T00:00:00.000Z');
    await mergeIntoArchive(db, 2023, adding(a, b), '2026-01-02T00:00:00.000Z');
    await mergeIntoArchive(
      db,
      2023,
      adding({ ...a, version: 2, purpose: 'Changed' }),
      '2026-01-03T00:00:00.000Z',
    );
    const file = readArchiveFile(db, 2023)!;
    expect(file.records.bookings.map((r) => [r.id, r.version])).to.deep.equal([
      ['a', 2],
      ['b', 1],
    ]);
    expect(file.counts.bookings).to.equal(2);
    expect(archivePathFor(db, 2023)).to.match(/council\.archive-2023\.json$/);
    expect(archiveYears(db)).to.deep.equal([2023]);
  });

  it('when a record in a file was altered, or the file is not JSON, then reading it is refused as damaged', async () => {
    const db = join(folders.make(), 'council.json');
    await writeArchiveFile(
      db,
      2022,
      { ...emptyArchiveRecords(), bookings: [bookingRecord('a', hirer, '2022-01-01')] },
      'x',
    );
    const path = archivePathFor(db, 2022);
    writeFileSync(path, readFileSync(path, 'utf8').replace('Event a', 'Event z'));
    expect(() => readArchiveFile(db, 2022)).to.throw(ArchiveDamagedError, /checksum/);
    writeFileSync(path, '{"format":');
    expect(() => readArchiveFile(db, 2022)).to.throw(ArchiveDamagedError, /not valid JSON/);
  });

  it('when the reader is asked twice, then the file is parsed once; once it is rewritten, the new content is read', async () => {
    const db = join(folders.make(), 'council.json');
    const reader = new ArchiveReader(db);
    expect(reader.list('bookings')).to.deep.equal([]);
    await mergeIntoArchive(db, 2024, adding(bookingRecord('a', hirer, '2024-01-01')), 'x');
    const first = reader.file(2024);
    expect(reader.file(2024)).to.equal(first);
    await mergeIntoArchive(db, 2024, adding(bookingRecord('b', hirer, '2024-02-01')), 'y');
    expect(reader.file(2024)).to.not.equal(first);
    expect(reader.list('bookings').map((b) => b.id)).to.deep.equal(['a', 'b']);
    expect(reader.get(2024, 'bookings', 'b')?.ref).to.equal('B-b');
  });

  it('when the same record is in two year files, then the reader lists it once, in its higher version', async () => {
    const db = join(folders.make(), 'council.json');
    const a = bookingRecord('a', hirer, '2023-12-31');
    await mergeIntoArchive(db, 2023, adding(a), 'x');
    await mergeIntoArchive(db, 2024, adding({ ...a, version: 3, start: '2024-01-01T18:30' }), 'x');
    const reader = new ArchiveReader(db);
    expect(reader.list('bookings').map((b) => [b.id, b.version])).to.deep.equal([['a', 3]]);
    // A year's file gone, the reader forgets what it held.
    const path = archivePathFor(db, 2024);
    renameSync(path, `${path}.moved`);
    expect(reader.list('bookings').map((b) => [b.id, b.version])).to.deep.equal([['a', 1]]);
  });
  it('when refs are looked up, then any case matches, a file written since is seen, the latest version of an id in two files wins, and a damaged file is left out', async () => {
    const db = join(folders.make(), 'council.json');
    const reader = new ArchiveReader(db);
    expect(reader.bookingsByRef('B-a')).to.deep.equal([]);
    await mergeIntoArchive(db, 2023, adding(bookingRecord('a', hirer, '2023-12-31')), 'x');
    expect(reader.bookingsByRef('b-A')).to.deep.equal([{ id: 'a', version: 1, year: 2023 }]);
    await mergeIntoArchive(db, 2023, adding(bookingRecord('b', hirer, '2023-06-01')), 'y');
    expect(reader.bookingsByRef(' B-b ')).to.deep.equal([{ id: 'b', version: 1, year: 2023 }]);
    await mergeIntoArchive(db, 2024, adding({ ...bookingRecord('a', hirer, '2024-01-01'), version: 3 }), 'x');
    expect(reader.bookingsByRef('B-a')).to.deep.equal([{ id: 'a', version: 3, year: 2024 }]);
    const path = archivePathFor(db, 2024);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"B-a"', '"B-z"'));
    expect(reader.bookingsByRef('B-a')).to.deep.equal([{ id: 'a', version: 1, year: 2023 }]);
    expect(reader.bookingsByRef('B-z')).to.deep.equal([]);
  });
});
