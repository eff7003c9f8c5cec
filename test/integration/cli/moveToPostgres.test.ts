import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import request from 'supertest';
import { type CollectionName, collectionSchemas } from '../../../data/dbSchema.js';
import { PgStore } from '../../../data/pg/pgStore.js';
import { ArchiveReader, archivePathFor, archiveYears } from '../../../data/store/archiveFiles.js';
import { evidenceDirFor } from '../../../data/store/evidenceFiles.js';
import { openStore } from '../../../data/store/openStore.js';
import { createApp } from '../../../server/app.js';
import { createServices } from '../../../server/services/createServices.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import { addPastBookings } from '../../support/archiveFixture.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { REMINDER_AS_OF } from '../../support/reminderFixtures.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { binaryBody, csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

async function rowCount(url: string, table: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return r.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

const COLLECTION_NAMES = Object.keys(collectionSchemas) as CollectionName[];

describe('move-to-postgres: the demo file store into an empty PostgreSQL database, verified', () => {
  let db: TestPgDatabase;
  let t: TestApp;

  beforeEach(async () => {
    db = await createTestPgDatabase('move');
    // The demo on the file store (whatever backend the suite runs on), with a reminder run in its log.
    t = await startTestApp({ today: REMINDER_AS_OF, config: { databaseUrl: null } });
    expect(t.store.backend).to.equal('file');
    await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    t.services.reminders.close();
    await t.store.flushed();
  });
  afterEach(async () => {
    await t.close();
    await db.drop();
  });

  it('copies everything, verifies it, says so plainly, and the app then serves it with the same flags', async () => {
    const moved = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url });
    expect(moved.stderr).to.equal('');
    expect(moved.code).to.equal(0);
    const evidence = t.store.list('evidence');
    const audit = t.store.data.meta.auditSeq;
    expect(moved.stdout).to.include(`${audit.toLocaleString('en-GB')} audit log entries: the chain verifies`);
    expect(moved.stdout).to.include(`${evidence.length} evidence files`);
    expect(moved.stdout).to.match(/[1-9]\d* reminder log lines/);
    expect(await rowCount(db.url, 'reminder_log')).to.be.greaterThan(0);

    const store = await openStore({ dbPath: t.dbPath, databaseUrl: db.url }, { write: false });
    try {
      expect(store.backend).to.equal('postgres');
      for (const c of COLLECTION_NAMES)
        expect(
          store.list(c).map((r) => store.jsonOf(r)),
          c,
        ).to.deep.equal(t.store.list(c).map((r) => t.store.jsonOf(r)));
      expect(store.fileHead).to.deep.equal({ seq: audit, hash: t.store.data.meta.auditHash });
    } finally {
      await store.close();
    }

    // `checks --json` gives the same flags from both.
    const asOf = ['--as-of', REMINDER_AS_OF];
    const fromFile = await runCliInProcess(['checks', '--json', ...asOf, '--db', t.dbPath], {
      DATABASE_URL: '',
    });
    const fromPg = await runCliInProcess(['checks', '--json', ...asOf, '--db', t.dbPath], {
      DATABASE_URL: db.url,
    });
    expect(fromFile.code).to.equal(0);
    expect(JSON.parse(fromPg.stdout)).to.deep.equal(JSON.parse(fromFile.stdout));
    expect(JSON.parse(fromFile.stdout)).to.have.length.greaterThan(0);
  });

  it('the app on the moved database signs in, shows the dashboard and serves an evidence file byte for byte', async () => {
    expect(
      (await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url })).code,
    ).to.equal(0);
    const config = { ...t.config, databaseUrl: db.url };
    const store = await openStore(config);
    try {
      const app = createApp(createServices(store, config, 'test-secret-0123456789abcdef0123456789'));
      const agent = request.agent(app);
      const login = await agent.get('/login');
      const signedIn = await agent
        .post('/login')
        .type('form')
        .send({
          _csrf: csrfFrom(login.text),
          email: 'coordinator@demo.test',
          password: DEMO_PASSWORD,
          next: '/',
        });
      expect(signedIn.status).to.equal(303);
      expect((await agent.get('/')).status).to.equal(200);
      const file = t.store.list('evidence')[0];
      if (!file) throw new Error('the demo has evidence');
      const res = await agent
        .get(`/reviews/${file.reviewId}/evidence/${file.id}/download`)
        .buffer(true)
        .parse(binaryBody);
      expect(res.status).to.equal(200);
      expect(res.body.length).to.equal(file.size);
    } finally {
      await store.close();
    }
  });

  it('refuses a database that already holds data, and changes nothing in it', async () => {
    expect(
      (await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url })).code,
    ).to.equal(0);
    const records = await rowCount(db.url, 'records');
    const again = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url });
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('already holds Due Regard data');
    expect(await rowCount(db.url, 'records')).to.equal(records);
  });

  it('refuses a file store whose evidence file no longer matches its record, writing nothing', async () => {
    const file = t.store.list('evidence')[0];
    if (!file) throw new Error('the demo has evidence');
    writeFileSync(join(evidenceDirFor(t.dbPath), file.id), 'not what was uploaded');
    const res = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.include('does not match its recorded fingerprint');
    // Checked before anything was written: not even the tables were made.
    expect(await rowCount(db.url, "pg_tables WHERE schemaname = 'public'")).to.equal(0);
  });

  it('carries the archive files into the table, hash-checked, and a new instance with an empty folder gets them', async () => {
    await addPastBookings(t.store, REMINDER_AS_OF);
    const archived = await runArchive(t.store, { asOf: REMINDER_AS_OF });
    expect(archived.bookings).to.be.greaterThan(0);
    const years = archiveYears(t.dbPath);
    const moved = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url });
    expect(moved.stderr).to.equal('');
    expect(moved.stdout).to.include(`${years.length} years of archive, each the same as its file`);
    const dir = mkdtempSync(join(tmpdir(), 'dueregard-move-archives-'));
    const store = await PgStore.open(db.url, { path: join(dir, 'dueregard.json'), follow: false });
    try {
      expect(archiveYears(store.path)).to.deep.equal(years);
      for (const y of years)
        expect(readFileSync(archivePathFor(store.path, y), 'utf8')).to.equal(
          readFileSync(archivePathFor(t.dbPath, y), 'utf8'),
        );
      const ids = (path: string) =>
        new ArchiveReader(path)
          .list('bookings')
          .map((b) => b.id)
          .sort();
      expect(ids(store.path)).to.have.length.of.at.least(archived.bookings);
      expect(ids(store.path)).to.deep.equal(ids(t.dbPath));
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file store whose archive file is damaged, writing nothing', async () => {
    await addPastBookings(t.store, REMINDER_AS_OF);
    await runArchive(t.store, { asOf: REMINDER_AS_OF });
    const year = archiveYears(t.dbPath)[0];
    if (year === undefined) throw new Error('a year was archived');
    const path = archivePathFor(t.dbPath, year);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"bookings":[', '"bookings":[{"id":"x"},'));
    const res = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: db.url });
    expect(res.code).to.equal(1);
    expect(res.stderr).to.include('is damaged');
    expect(await rowCount(db.url, "pg_tables WHERE schemaname = 'public'")).to.equal(0);
  });

  it('without DATABASE_URL, says what to set', async () => {
    const res = await runCliInProcess(['move-to-postgres', '--db', t.dbPath], { DATABASE_URL: '' });
    expect(res.code).to.equal(2);
    expect(res.stderr).to.include('Set DATABASE_URL');
  });
});
