import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import { PgStore } from '../../../data/pg/pgStore.js';
import { importsDirFor } from '../../../server/imports/importPreviews.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { countsOn, pageText, previewPage, uploadImport } from '../../support/importHelpers.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';

/** Two premises rows: the demo has neither ref, so the import adds both. */
const premisesFile = (name = 'Hendon Town Hall') => ({
  name: 'premises.csv',
  bytes: Buffer.from(
    'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk,site_manager_email\n' +
      `P-901,${name},,,,,,,,,medium,\nP-902,Burnt Oak Community Centre,,,,,,,,,high,\n`,
    'utf8',
  ),
});

function poolOf(t: TestApp) {
  if (!(t.store instanceof PgStore)) throw new Error('the app runs on PostgreSQL');
  return t.store.pool;
}

/** Waits (bounded) until an instance has caught up with a change the other made. */
async function until(what: string, test: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (test()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within 10 s`);
}

describe('imports with DATABASE_URL: a preview made on one instance is confirmed on another', function () {
  this.timeout(60_000);
  let db: TestPgDatabase;
  let a: TestApp;
  let b: TestApp;
  let onA: TestAgent;
  let onB: TestAgent;
  const clock = new TestClock('2026-06-01T09:00:00Z');

  beforeEach(async () => {
    db = await createTestPgDatabase('imports_http');
    a = await startTestApp({ now: clock.now, config: { databaseUrl: db.url } });
    // The second instance reads the demo the first put in the database.
    b = await startTestApp({ now: clock.now, demo: false, config: { databaseUrl: db.url } });
    onA = await a.signIn('coordinator@demo.test');
    onB = await b.signIn('coordinator@demo.test');
    await onA.refreshCsrf('/imports');
    await onB.refreshCsrf('/imports');
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  async function previewOnA(file = premisesFile()) {
    const res = await uploadImport(onA, 'premises', file);
    expect(res.status, res.text).to.equal(303);
    const location = String(res.headers.location);
    return { location, id: location.split('/').pop() ?? '', html: await previewPage(onA, location) };
  }

  const rows = async (t: TestApp) =>
    (await poolOf(t).query<{ id: string; status: string }>('SELECT id, status FROM import_previews')).rows;
  const added = (t: TestApp) =>
    t.store.list('premises').filter((p) => p.ref === 'P-901' || p.ref === 'P-902');

  it('when a file is previewed on one instance, then the other shows the same preview and confirms it, once', async () => {
    const { location, id, html } = await previewOnA();
    expect(countsOn(html)).to.deep.include({ created: 2, updated: 0 });
    expect(await rows(a)).to.deep.equal([{ id, status: 'ready' }]);
    const folder = importsDirFor(a.dbPath);
    expect(existsSync(folder) ? readdirSync(folder) : [], 'the file is kept in the database').to.deep.equal(
      [],
    );

    const onOther = await previewPage(onB, location);
    expect(countsOn(onOther)).to.deep.include({ created: 2, updated: 0 });
    expect(pageText((await onB.get('/imports')).text)).to.include('premises.csv');

    expect((await onB.post(`${location}/apply`)).status).to.equal(303);
    expect(added(b)).to.have.length(2);
    expect(b.store.list('imports').map((r) => r.id)).to.deep.equal([id]);
    expect(await rows(b), 'the preview and its file are gone').to.deep.equal([]);

    // Confirmed again on the first instance (its back button): nothing more is imported.
    await until('the first instance has the import', () => a.store.list('imports').length === 1);
    expect((await onA.post(`${location}/apply`)).status).to.equal(404);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.store.list('imports')).to.have.length(1);
    expect(added(a)).to.have.length(2);
    expect(b.store.list('imports')).to.have.length(1);
  });

  it('when both instances confirm the same preview at the same moment, then it is imported once', async () => {
    const { location } = await previewOnA();
    const answers = await Promise.all([
      onA.post(`${location}/apply`),
      onB.post(`${location}/apply`),
      onA.post(`${location}/apply`),
      onB.post(`${location}/apply`),
    ]);
    for (const res of answers) {
      expect([303, 404, 409]).to.include(res.status);
      // A confirmation that lost the race is told so, not sent to preview again.
      if (res.status === 409)
        expect(pageText(res.text)).to.include('Another premises import is being read or applied');
    }
    expect(answers.some((res) => res.status === 303)).to.equal(true);
    await until('both instances have the import', () =>
      [a, b].every((t) => t.store.list('imports').length > 0),
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const t of [a, b]) {
      expect(t.store.list('imports')).to.have.length(1);
      expect(added(t)).to.have.length(2);
    }
    const audit = await poolOf(a).query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_log WHERE line LIKE '%"P-901"%'`,
    );
    expect(Number(audit.rows[0]?.n)).to.equal(1);
    expect(await rows(a)).to.deep.equal([]);
  });

  it('when a person uploads again on the other instance, then the new preview replaces the earlier one', async () => {
    const first = await previewOnA();
    const res = await uploadImport(onB, 'premises', premisesFile('Hendon Town Hall Annexe'));
    expect(res.status).to.equal(303);
    const second = String(res.headers.location);
    await previewPage(onB, second);
    const ids = (await rows(a)).map((r) => r.id);
    expect(ids).to.deep.equal([second.split('/').pop()]);
    expect((await onA.get(first.location)).status).to.equal(404);
  });

  it('when a preview is left for an hour, then either instance removes it with its file', async () => {
    const { location } = await previewOnA();
    clock.advanceMinutes(59);
    expect(await b.services.imports.sweep()).to.equal(0);
    clock.advanceMinutes(2);
    expect(await b.services.imports.sweep()).to.equal(1);
    expect(await rows(a)).to.deep.equal([]);
    const back = await a.signIn('coordinator@demo.test');
    expect((await back.get(location)).status).to.equal(404);
    expect((await back.post(`${location}/apply`)).status).to.equal(404);
  });
});
