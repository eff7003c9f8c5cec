import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const FIXTURES = 'test/fixtures/csv';
const fixture = (name: string) => join(FIXTURES, name);

/** The database and its audit log, byte for byte. */
function snapshot(db: string): { db: Buffer; audit: Buffer } {
  return { db: readFileSync(db), audit: readFileSync(db.replace(/\.json$/, '.audit.jsonl')) };
}

function readDb(db: string) {
  return JSON.parse(readFileSync(db, 'utf8'));
}

describe('CLI: import bookings and import watchlist (in process)', async function () {
  this.timeout(60_000);
  const folders = tempFolders('hallhire-cli');
  let db: string;
  const cli = (...args: string[]) => runCliInProcess([...args, '--db', db]);

  before(async () => {
    db = join(folders.make(), 'borough.json');
    const r = await cli('import', 'premises', fixture('premises.csv'));
    expect(r.code, r.stderr).to.equal(0);
  });
  after(() => folders.cleanUp());

  it('when a bookings file has an unknown premises, a bad date, an end before its start and a repeated ref, then it is refused whole, every row is listed and the database is byte-for-byte unchanged', async () => {
    const before = snapshot(db);
    expect(before.audit.length).to.be.greaterThan(0);
    const r = await cli('import', 'bookings', fixture('bookings_unknown_premises.csv'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('nothing was written');
    expect(r.stderr).to.include(
      'row 3, column "premises_ref": there are no premises with the reference P-999',
    );
    expect(r.stderr).to.include('row 4, column "end"');
    expect(r.stderr).to.include('row 5, column "booking_ref": B-4003 is already on row 4');
    expect(r.stderr).to.include('row 6, column "start"');
    expect(r.stderr).to.not.include('row 2,');
    const after = snapshot(db);
    expect(after.db.equals(before.db)).to.equal(true);
    expect(after.audit.equals(before.audit)).to.equal(true);
  });

  it('when the reader’s own bad-rows fixture is imported, then it is refused and nothing is written', async () => {
    const before = snapshot(db);
    const r = await cli('import', 'bookings', fixture('bookings_bad.csv'));
    expect(r.code).to.equal(1);
    expect(snapshot(db).db.equals(before.db)).to.equal(true);
  });

  it('when a bookings file is dry-run, then it prints the counts and writes nothing', async () => {
    const before = snapshot(db);
    const r = await cli('import', 'bookings', fixture('bookings.csv'), '--dry-run');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Dry run, nothing written: created 3, updated 0, unchanged 0, skipped 0');
    expect(snapshot(db).db.equals(before.db)).to.equal(true);
  });

  it('when a good bookings file is imported, then bookings are created provisional, new halls made and the officer kept by email', async () => {
    const r = await cli('import', 'bookings', fixture('bookings.csv'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 3, updated 0, unchanged 0, skipped 0');
    expect(r.stdout).to.include('New halls: Hendon Town Hall — Main Hall');
    const data = readDb(db);
    expect(data.bookings.map((b: { status: string }) => b.status)).to.deep.equal([
      'provisional',
      'provisional',
      'provisional',
    ]);
    const b1001 = data.bookings.find((b: { ref: string }) => b.ref === 'B-1001');
    expect(b1001.bookingOfficerEmail).to.equal('bookings@barnet.example.gov.uk');
    expect(b1001.speakers.map((s: { name: string }) => s.name)).to.deep.equal([
      'Imam A. Example',
      'Cllr B. Example',
    ]);
    expect(data.halls).to.have.length(3);
    const hirer = data.hirers.find((h: { id: string }) => h.id === b1001.hirerId);
    expect(hirer).to.deep.include({
      name: 'Amina Khan',
      organisation: 'Hendon Mosque Trust',
      charityNumber: '1123456',
    });
    expect(hirer.otherNames).to.deep.equal(['Hendon Mosque', 'HMT']);
  });

  it('when the same bookings file is imported again, then nothing changes', async () => {
    const before = snapshot(db);
    const r = await cli('import', 'bookings', fixture('bookings.csv'));
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 0, updated 0, unchanged 3, skipped 0');
    expect(snapshot(db).db.equals(before.db)).to.equal(true);
  });

  it('when a watch list in the simple layout is imported with --source, then each source becomes a list with its as-of date', async () => {
    const r = await cli(
      'import',
      'watchlist',
      fixture('watchlist_simple.csv'),
      '--source',
      'Council watch list',
      '--as-of',
      '2026-03-01',
    );
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 3, updated 0, unchanged 0, skipped 0');
    expect(r.stdout).to.include(
      'New list "Home Office proscribed organisations" as of 2026-03-01: 2 entries',
    );
    expect(r.stdout).to.include('New list "Council watch list" as of 2026-03-01: 1 entries');
    const data = readDb(db);
    expect(data.watchlists).to.have.length(2);
    expect(data.watchlistEntries).to.have.length(3);
  });

  it('when the OFSI consolidated list is imported, then its Last Updated date is the as-of date and re-importing changes nothing', async () => {
    const first = await cli('import', 'watchlist', fixture('ofsi_current_last_updated.csv'));
    expect(first.code, first.stderr).to.equal(0);
    expect(first.stdout).to.include('New list "OFSI consolidated list" as of 2026-02-01');
    const before = snapshot(db);
    const again = await cli('import', 'watchlist', fixture('ofsi_current_last_updated.csv'));
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/created 0, updated 0, unchanged \d+, skipped 0/);
    expect(snapshot(db).db.equals(before.db)).to.equal(true);
  });

  it('when a bad watch list is imported, then it is refused with every bad row and nothing is written', async () => {
    const before = snapshot(db);
    const r = await cli('import', 'watchlist', fixture('watchlist_simple_bad.csv'));
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('row 3, column "name"');
    expect(r.stderr).to.include('row 4, column "type"');
    expect(snapshot(db).db.equals(before.db)).to.equal(true);
    expect(snapshot(db).audit.equals(before.audit)).to.equal(true);
  });

  it('when a booking’s organisation and speaker match the lists, then checks --json flags it with the booking ref, and a near miss is not flagged', async () => {
    const list = join(folders.make(), 'demo.csv');
    writeFileSync(
      list,
      'name,aliases,type,source,listed_on\nExample Front,EF,organisation,Demo list,2025-01-01\n',
    );
    expect((await cli('import', 'watchlist', list, '--as-of', '2026-03-02')).code).to.equal(0);
    const r = await cli('import', 'bookings', fixture('bookings_watchlist_match.csv'));
    expect(r.code, r.stderr).to.equal(0);
    const checks = await cli('checks', '--json', '--as-of', '2026-03-16');
    expect(checks.code, checks.stderr).to.equal(0);
    const flags = JSON.parse(checks.stdout) as {
      rule: string;
      severity: string;
      subject: { ref: string };
      message: string;
    }[];
    const match = flags.filter((f) => f.rule === 'booking-watchlist-match');
    expect(match.map((f) => f.subject.ref)).to.deep.equal(['B-3001']);
    expect(match[0]?.severity).to.equal('critical');
    expect(match[0]?.message).to.equal(
      'The organisation’s name matches “Example Front” on the Demo list as of 2 March 2026 and 2 more matches; a coordinator’s decision is needed',
    );
    const lead = flags.find((f) => f.rule === 'booking-checks-incomplete' && f.subject.ref === 'B-3001');
    expect(lead?.severity).to.equal('high');
    expect(lead?.message).to.include('(4 working days away)');
  });

  it('when a watch-list file is re-imported with an entry gone, then the entry is removed and the list version goes up', async () => {
    const data = readDb(db);
    const council = data.watchlists.find((l: { source: string }) => l.source === 'Council watch list');
    const dir = folders.make();
    const file = join(dir, 'council.csv');
    writeFileSync(
      file,
      'name,aliases,type,source,listed_on\nNew Example Group,,organisation,Council watch list,\n',
    );
    const r = await cli('import', 'watchlist', file);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('created 1, updated 0, unchanged 0, skipped 0');
    expect(r.stdout).to.include('Removed 1 no longer on the list');
    const after = readDb(db);
    const list = after.watchlists.find((l: { id: string }) => l.id === council.id);
    expect(list.version).to.equal(council.version + 1);
    expect(
      after.watchlistEntries
        .filter((e: { listId: string }) => e.listId === council.id)
        .map((e: { name: string }) => e.name),
    ).to.deep.equal(['New Example Group']);
  });
});
