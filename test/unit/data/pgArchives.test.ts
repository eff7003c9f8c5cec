import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import { PgStore } from '../../../data/pg/pgStore.js';
import {
  ArchiveReader,
  archivePathFor,
  archiveText,
  emptyArchiveRecords,
} from '../../../data/store/archiveFiles.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { addPastBookings, OLD_SPEAKER } from '../../support/archiveFixture.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';

const today = londonDate(new Date());
const year3 = Number(addMonths(today, -36).slice(0, 4));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Waits (memory and local files only) until `seen` holds, or fails after `ms`. */
async function until(seen: () => boolean, ms: number, what: string): Promise<number> {
  const start = Date.now();
  while (!seen()) {
    if (Date.now() - start > ms) throw new Error(`Not seen within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

describe('PostgreSQL archives: the table is the truth, each instance’s files a copy of it', () => {
  let db: TestPgDatabase;
  const dirs: string[] = [];
  const opened: PgStore[] = [];

  /** An instance with its own folder (as each server has its own DUEREGARD_DB). */
  async function instance(dir = folder(), pollMs = 60_000): Promise<PgStore> {
    const store = await PgStore.open(db.url, { path: join(dir, 'dueregard.json'), pollMs });
    opened.push(store);
    return store;
  }
  function folder(): string {
    const dir = mkdtempSync(join(tmpdir(), 'dueregard-pgarchives-'));
    dirs.push(dir);
    return dir;
  }
  async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  beforeEach(async () => {
    db = await createTestPgDatabase('archives');
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await db.drop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('when one instance archives, then the table holds the year and the other instance reads the moved booking from its own files, never missing in between', async () => {
    const a = await instance();
    const b = await instance();
    const past = await addPastBookings(a, today);
    await b.sync();
    const readerB = new ArchiveReader(b.path);
    expect(readerB.years()).to.deep.equal([]);

    // Watch B from before the run: whenever the booking has left B's memory, B's files must have it.
    let gapSeen = false;
    const watching = setInterval(() => {
      if (!b.get('bookings', past.approved.id) && !readerB.get(year3, 'bookings', past.approved.id))
        gapSeen = true;
    }, 1);
    const r = await runArchive(a, { asOf: today });
    const ms = await until(() => b.get('bookings', past.approved.id) === undefined, 5_000, 'the move in B');
    clearInterval(watching);
    expect(r.bookings).to.equal(3);
    expect(gapSeen, 'B lost the booking before its archive file had it').to.equal(false);

    const rows = await sql<{ year: number; body: string; sha256: string }>(
      'SELECT year, body, sha256 FROM archives',
    );
    expect(rows.map((x) => x.year)).to.include(year3);
    for (const row of rows) {
      expect(sha256(row.body)).to.equal(row.sha256);
      expect(readFileSync(archivePathFor(a.path, row.year), 'utf8')).to.equal(row.body);
      expect(readFileSync(archivePathFor(b.path, row.year), 'utf8')).to.equal(row.body);
    }
    expect(readerB.get(year3, 'bookings', past.approved.id)?.id).to.equal(past.approved.id);
    expect(readerB.get(year3, 'reviews', past.approved.reviewId)?.id).to.equal(past.approved.reviewId);
    console.log(`      (the archived booking readable on the other instance after ${ms} ms)`);
  });

  it('when a fresh instance opens with an empty folder, then it has every archive year before it serves', async () => {
    const a = await instance();
    await addPastBookings(a, today);
    await runArchive(a, { asOf: today });
    const c = await instance();
    const years = new ArchiveReader(a.path).years();
    expect(years.length).to.be.greaterThan(0);
    expect(new ArchiveReader(c.path).years()).to.deep.equal(years);
    for (const y of years)
      expect(readFileSync(archivePathFor(c.path, y), 'utf8')).to.equal(
        readFileSync(archivePathFor(a.path, y), 'utf8'),
      );
  });

  it('when a second run adds to a year, then both instances hold the merged year, the earlier records kept', async () => {
    const a = await instance();
    const b = await instance();
    const first = await addPastBookings(a, today);
    await runArchive(a, { asOf: today });
    // B archives the next ones: its merge starts from the table, not from a stale copy of its own.
    const second = await addPastBookings(a, today);
    await b.sync();
    await runArchive(b, { asOf: today });
    await until(() => a.get('bookings', second.approved.id) === undefined, 5_000, 'the second move in A');
    for (const s of [a, b]) {
      const reader = new ArchiveReader(s.path);
      expect(reader.get(year3, 'bookings', first.approved.id), s.path).to.not.equal(undefined);
      expect(reader.get(year3, 'bookings', second.approved.id), s.path).to.not.equal(undefined);
    }
  });

  it('when retention rewrites an archived year on one instance, then the table and the other instance hold the redacted year', async () => {
    const a = await instance();
    const b = await instance();
    const past = await addPastBookings(a, today);
    await runArchive(a, { asOf: today });
    await until(() => b.get('bookings', past.approved.id) === undefined, 5_000, 'the move in B');
    expect(readFileSync(archivePathFor(b.path, year3), 'utf8')).to.include(OLD_SPEAKER);
    // Run on B this time: its rewrite starts from the table and goes there first.
    await runRetention(b, { asOf: today, retentionYears: 2 });
    const body = (await sql<{ body: string }>('SELECT body FROM archives WHERE year = $1', [year3]))[0]?.body;
    expect(body).to.not.include(OLD_SPEAKER);
    await until(
      () => !readFileSync(archivePathFor(a.path, year3), 'utf8').includes(OLD_SPEAKER),
      5_000,
      'the redacted year in A',
    );
    expect(readFileSync(archivePathFor(a.path, year3), 'utf8')).to.equal(body);
    expect(new ArchiveReader(a.path).get(year3, 'bookings', past.approved.id)?.personalDataRemoved).to.equal(
      true,
    );
  });

  it('never deletes or overwrites a local year it did not take from the table; follows the table for years it did', async () => {
    const a = await instance();
    await addPastBookings(a, today);
    await runArchive(a, { asOf: today });
    const dir = folder();
    const path = join(dir, 'dueregard.json');
    // A year only this folder has (not yet copied into PostgreSQL), and a different copy of the table's year.
    const own = archiveText(path, 1999, emptyArchiveRecords(), new Date().toISOString());
    writeFileSync(archivePathFor(path, 1999), own);
    const stale = archiveText(path, year3, emptyArchiveRecords(), new Date().toISOString());
    writeFileSync(archivePathFor(path, year3), stale);
    const c = await instance(dir);
    expect(readFileSync(archivePathFor(path, 1999), 'utf8')).to.equal(own);
    const body = (await sql<{ body: string }>('SELECT body FROM archives WHERE year = $1', [year3]))[0]?.body;
    expect(readFileSync(archivePathFor(path, year3), 'utf8')).to.equal(body);
    const aside = readdirSync(dir).filter((n) => n.startsWith(`dueregard.archive-${year3}.json.replaced-`));
    expect(aside).to.have.length(1);
    expect(readFileSync(join(dir, aside[0] ?? ''), 'utf8')).to.equal(stale);

    // The table loses a year (a restore): the copy taken from it goes, the folder's own year stays.
    await sql('DELETE FROM archives WHERE year = $1', [year3]);
    await c.archives?.sync(c.pool);
    expect(existsSync(archivePathFor(path, year3))).to.equal(false);
    expect(readFileSync(archivePathFor(path, 1999), 'utf8')).to.equal(own);
  });

  it('refuses a damaged year in the table and leaves the local copy as it was', async () => {
    const a = await instance();
    await addPastBookings(a, today);
    await runArchive(a, { asOf: today });
    const before = readFileSync(archivePathFor(a.path, year3), 'utf8');
    const damaged = before.replace('"bookings":[', '"bookings":[{"id":"x"},');
    await sql('UPDATE archives SET body = $1, sha256 = $2 WHERE year = $3', [
      damaged,
      sha256(damaged),
      year3,
    ]);
    let error: Error | null = null;
    await a.archives?.sync(a.pool).catch((err: Error) => {
      error = err;
    });
    expect(String(error)).to.match(/damaged/);
    expect(readFileSync(archivePathFor(a.path, year3), 'utf8')).to.equal(before);
  });
});
