import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type CollectionName, collectionSchemas } from '../../../data/dbSchema.js';
import { ArchiveReader, archiveYears } from '../../../data/store/archiveFiles.js';
import { openStore } from '../../../data/store/openStore.js';
import type { Store } from '../../../data/store/store.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import { runBackup } from '../../../jobs/backupJob.js';
import { addPastBookings } from '../../support/archiveFixture.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { REMINDER_AS_OF } from '../../support/reminderFixtures.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

const COLLECTIONS = Object.keys(collectionSchemas) as CollectionName[];
const contentOf = (s: Store) =>
  Object.fromEntries(COLLECTIONS.map((c) => [c, s.list(c).map((r) => s.jsonOf(r))]));
const backupFileIn = (stdout: string) => {
  const m = / to (\S+\.json\.gz) \(/.exec(stdout);
  if (!m?.[1]) throw new Error(`no backup file named in: ${stdout}`);
  return m[1];
};

describe('backup and restore on PostgreSQL, in the file store’s format (either restores into either)', () => {
  let db: TestPgDatabase;
  let t: TestApp;
  let dir: string;

  beforeEach(async () => {
    db = await createTestPgDatabase('backup');
    dir = mkdtempSync(join(tmpdir(), 'dueregard-pgbackup-'));
    t = await startTestApp({ today: REMINDER_AS_OF, config: { databaseUrl: null } });
    await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    t.services.reminders.close();
    await t.store.flushed();
  });
  afterEach(async () => {
    await t.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a file-store backup restores into PostgreSQL, and a PostgreSQL backup back into a new file store, unchanged', async () => {
    const fileBackup = await runCliInProcess(['backup', '--db', t.dbPath, '--dir', dir], {
      DATABASE_URL: '',
    });
    expect(fileBackup.code, fileBackup.stderr).to.equal(0);
    const pgDb = join(dir, 'council.json');
    const restored = await runCliInProcess(['restore', backupFileIn(fileBackup.stdout), '--db', pgDb], {
      DATABASE_URL: db.url,
    });
    expect(restored.code, restored.stderr).to.equal(0);
    expect(restored.stdout).to.include('Restored the PostgreSQL database from');
    expect(restored.stdout).to.include('There was no database before');

    const pgStore = await openStore({ dbPath: pgDb, databaseUrl: db.url }, { write: false });
    try {
      expect(contentOf(pgStore)).to.deep.equal(contentOf(t.store));
    } finally {
      await pgStore.close();
    }
    const verified = await runCliInProcess(['audit', 'verify', '--db', pgDb], { DATABASE_URL: db.url });
    expect(verified.stdout).to.match(/^Audit log intact: \d+ entries\./);
    // The reminders already sent stay sent on PostgreSQL.
    const flagsPg = await runCliInProcess(['checks', '--json', '--as-of', REMINDER_AS_OF, '--db', pgDb], {
      DATABASE_URL: db.url,
    });
    expect(flagsPg.code).to.equal(0);

    const pgBackup = await runCliInProcess(['backup', '--db', pgDb, '--dir', dir], { DATABASE_URL: db.url });
    expect(pgBackup.code, pgBackup.stderr).to.equal(0);
    expect(pgBackup.stdout).to.match(/Backed up \d+ records, \d+ audit entries and [1-9]\d* evidence files/);
    const back = join(dir, 'back', 'dueregard.json');
    const intoFile = await runCliInProcess(['restore', backupFileIn(pgBackup.stdout), '--db', back], {
      DATABASE_URL: '',
    });
    expect(intoFile.code, intoFile.stderr).to.equal(0);
    const fileAgain = await openStore({ dbPath: back, databaseUrl: null }, { write: false });
    try {
      expect(contentOf(fileAgain)).to.deep.equal(contentOf(t.store));
    } finally {
      await fileAgain.close();
    }
    const verifiedFile = await runCliInProcess(['audit', 'verify', '--db', back], { DATABASE_URL: '' });
    expect(verifiedFile.code, verifiedFile.stderr).to.equal(0);
  });

  it('archives go with the backup: restored into the PostgreSQL table, backed up from it (not from local files), and back into files', async () => {
    await addPastBookings(t.store, REMINDER_AS_OF);
    expect((await runArchive(t.store, { asOf: REMINDER_AS_OF })).bookings).to.be.greaterThan(0);
    const years = archiveYears(t.dbPath);
    const archivedIds = (path: string) =>
      new ArchiveReader(path)
        .list('bookings')
        .map((b) => b.id)
        .sort();
    const fileBackup = await runCliInProcess(['backup', '--db', t.dbPath, '--dir', dir], {
      DATABASE_URL: '',
    });
    expect(fileBackup.code, fileBackup.stderr).to.equal(0);
    const pgDb = join(dir, 'council.json');
    const restored = await runCliInProcess(['restore', backupFileIn(fileBackup.stdout), '--db', pgDb], {
      DATABASE_URL: db.url,
    });
    expect(restored.code, restored.stderr).to.equal(0);
    // An instance with an empty folder takes the restored archives from the table.
    const elsewhere = join(dir, 'elsewhere', 'dueregard.json');
    mkdirSync(join(dir, 'elsewhere'));
    const pgStore = await openStore({ dbPath: elsewhere, databaseUrl: db.url }, { write: false });
    try {
      expect(archiveYears(elsewhere)).to.deep.equal(years);
      expect(archivedIds(elsewhere)).to.deep.equal(archivedIds(t.dbPath));
    } finally {
      await pgStore.close();
    }
    // Backed up through a path with no archive files beside it: they come from the table.
    const bare = join(dir, 'bare', 'dueregard.json');
    mkdirSync(join(dir, 'bare'));
    const pgBackup = await runCliInProcess(['backup', '--db', bare, '--dir', dir], { DATABASE_URL: db.url });
    expect(pgBackup.code, pgBackup.stderr).to.equal(0);
    const back = join(dir, 'back', 'dueregard.json');
    const intoFile = await runCliInProcess(['restore', backupFileIn(pgBackup.stdout), '--db', back], {
      DATABASE_URL: '',
    });
    expect(intoFile.code, intoFile.stderr).to.equal(0);
    expect(archiveYears(back)).to.deep.equal(years);
    expect(archivedIds(back)).to.deep.equal(archivedIds(t.dbPath));
  });

  it('the scheduled backup of a running PostgreSQL store takes one snapshot; a restore is refused while a server is connected', async () => {
    const fileBackup = await runCliInProcess(['backup', '--db', t.dbPath, '--dir', dir], {
      DATABASE_URL: '',
    });
    const file = backupFileIn(fileBackup.stdout);
    const pgDb = join(dir, 'council.json');
    expect((await runCliInProcess(['restore', file, '--db', pgDb], { DATABASE_URL: db.url })).code).to.equal(
      0,
    );

    const server = await openStore({ dbPath: pgDb, databaseUrl: db.url });
    try {
      const r = await runBackup(server, { dir });
      expect(r.evidenceFiles).to.equal(t.store.list('evidence').length);
      expect(r.auditEntries).to.equal(server.fileHead.seq);
      const refused = await runCliInProcess(['restore', file, '--db', pgDb], { DATABASE_URL: db.url });
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.include('stop them all before restoring');
    } finally {
      await server.close();
    }
    // Stopped: the restore goes ahead, first backing up what it replaces.
    const again = await runCliInProcess(['restore', file, '--db', pgDb], { DATABASE_URL: db.url });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/The database it replaced is kept in .*\.json\.gz\./);
  });
});
