import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import { periodOf } from '../../../checks/report/reportPeriod.js';
import { archivePathFor, archiveYears } from '../../../data/store/archiveFiles.js';
import { Store } from '../../../data/store/store.js';
import { addPastBookings, OLD_HIRER, OTHER_HIRER, type PastBookings } from '../../support/archiveFixture.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('archive-cli');
const today = londonDate(new Date());
const year3 = Number(addMonths(today, -36).slice(0, 4));

describe('CLI: archive and export hirer', function () {
  this.timeout(60_000);
  let dbPath: string;
  let past: PastBookings;

  beforeEach(async () => {
    dbPath = join(folders.make(), 'dueregard.json');
    const store = await Store.open(dbPath);
    past = await addPastBookings(store, today);
    await store.close();
  });
  afterEach(() => folders.cleanUp());

  it('when archive --dry-run is run, then it says what would move and writes nothing; archive then moves it', async () => {
    const auditBefore = readFileSync(dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8');
    const dry = await runCliInProcess(['archive', '--dry-run', '--db', dbPath]);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include('Dry run, nothing written: would move 3 decided bookings');
    expect(dry.stdout).to.include(`dueregard.archive-${year3}.json: 2 bookings`);
    expect(dry.stdout).to.include('Kept live: 0 with a flag raised, 1 with an open action');
    expect(archiveYears(dbPath)).to.deep.equal([]);
    expect(readFileSync(dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')).to.equal(auditBefore);

    const run = await runCliInProcess(['archive', '--db', dbPath]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Moved 3 decided bookings whose event ended before \d{4}-\d{2}-\d{2}/);
    expect(existsSync(archivePathFor(dbPath, year3))).to.equal(true);
    const again = await runCliInProcess(['archive', '--db', dbPath]);
    expect(again.stdout).to.include('Moved 0 decided bookings');
  });

  it('when the server holds the database, then archive and export hirer exit 3 and change nothing', async () => {
    const server = await Store.open(dbPath);
    try {
      const r = await runCliInProcess(['archive', '--db', dbPath]);
      expect(r.code).to.equal(3);
      expect(r.stderr).to.include('is in use by another process');
      expect((await runCliInProcess(['export', 'hirer', past.hirerId, '--db', dbPath])).code).to.equal(3);
      expect(archiveYears(dbPath)).to.deep.equal([]);
    } finally {
      await server.close();
    }
  });

  it('when the board report is asked for the quarter of archived bookings, then its figures are the same as before the move', async () => {
    const period = periodOf(addMonths(today, -36)).id;
    const report = () => runCliInProcess(['report', '--db', dbPath, '--period', period, '--format', 'csv']);
    const before = await report();
    expect(before.code, before.stderr).to.equal(0);
    expect((await runCliInProcess(['archive', '--db', dbPath])).code).to.equal(0);
    const after = await report();
    expect(after.stdout).to.equal(before.stdout);
    expect(after.stdout).to.match(/Bookings checked before the event,\d+,[1-9]/);
  });

  it('when export hirer is run, then the file holds the hirer and their archived bookings, the export is logged, and an unknown id is refused', async () => {
    expect((await runCliInProcess(['archive', '--db', dbPath])).code).to.equal(0);
    const out = join(folders.make(), 'olive.json');
    const r = await runCliInProcess(['export', 'hirer', past.hirerId, '--out', out, '--db', dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.include(`written to ${out}`);
    const text = readFileSync(out, 'utf8');
    const data = JSON.parse(text);
    expect(data.hirer.email).to.equal(OLD_HIRER.email);
    expect(data.bookings.filter((b: { archived: boolean }) => b.archived)).to.have.length(2);
    expect(text).to.not.include(OTHER_HIRER.name);
    const log = readFileSync(dbPath.replace(/\.json$/, '.audit.jsonl'), 'utf8')
      .trim()
      .split('\n');
    const last = JSON.parse(log.at(-1)!);
    expect(last).to.include({ actor: 'cli', action: 'export', recordId: past.hirerId });

    const toStdout = await runCliInProcess(['export', 'hirer', past.otherHirerId, '--db', dbPath]);
    expect(JSON.parse(toStdout.stdout).hirer.name).to.equal(OTHER_HIRER.name);
    const unknown = await runCliInProcess(['export', 'hirer', 'no-such-hirer', '--db', dbPath]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include('There is no hirer with id no-such-hirer');
    expect((await runCliInProcess(['export', 'hirer', '--db', dbPath])).code).to.equal(2);
  });
});
