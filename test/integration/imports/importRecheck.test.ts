import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import { PgStore } from '../../../data/pg/pgStore.js';
import { importsDirFor } from '../../../server/imports/importPreviews.js';
import { importPremises } from '../../../server/services/premisesImport.js';
import { countsOn, csvFixture, pageText, previewPage, uploadImport } from '../../support/importHelpers.js';
import { TestClock } from '../../support/testClock.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** The premises file's rows as text, with one building's name changed (so the import updates it). */
const premisesFile = (name = 'Hendon Town Hall') => ({
  name: 'premises.csv',
  bytes: Buffer.from(
    'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk,site_manager_email\n' +
      `P-001,${name},,,,,,,,,medium,\nP-002,Burnt Oak Community Centre,,,,,,,,,high,\n`,
    'utf8',
  ),
});

describe('Imports in the browser: apply re-checks, limits and clean-up', function () {
  this.timeout(60_000);
  let t: TestApp;
  let c: TestAgent;
  const clock = new TestClock('2026-06-01T09:00:00Z');

  beforeEach(async () => {
    t = await startTestApp({ now: clock.now, config: { importMaxBytes: 4096 } });
    c = await t.signIn('coordinator@demo.test');
    await c.refreshCsrf('/imports');
  });
  afterEach(() => t.close());

  /** Uploaded files waiting: beside the database, or in PostgreSQL when the app runs on it (`test:pg`). */
  const filesKept = async (): Promise<string[]> => {
    const dir = importsDirFor(t.dbPath);
    const local = existsSync(dir) ? readdirSync(dir) : [];
    if (!(t.store instanceof PgStore)) return local;
    const rows = await t.store.pool.query<{ id: string }>(
      'SELECT id FROM import_previews WHERE bytes IS NOT NULL',
    );
    return [...local, ...rows.rows.map((r) => r.id)];
  };

  async function preview(file = premisesFile()) {
    const res = await uploadImport(c, 'premises', file);
    expect(res.status, res.text).to.equal(303);
    return { location: res.headers.location!, html: await previewPage(c, res.headers.location!) };
  }

  it('when someone changes a record the import would update after the preview, then apply refuses with "preview again", writes nothing, and the new preview applies', async () => {
    await importPremises(t.store, 'test', premisesFile().bytes, false);
    await t.store.transact('test', (tx) =>
      tx.remove('premises', t.store.list('premises').find((p) => p.ref === 'P-002')!.id),
    );
    const { location, html } = await preview(premisesFile('Hendon Town Hall Annexe'));
    expect(countsOn(html)).to.deep.include({ created: 1, updated: 1 });
    // Meanwhile a facilities officer changes the same building.
    const p1 = t.store.list('premises').find((p) => p.ref === 'P-001')!;
    await t.store.transact('facilities@demo.test', (tx) =>
      tx.update('premises', p1.id, { risk: 'high' }, p1.version),
    );
    const before = JSON.stringify(t.store.data);
    const refused = await c.post(`${location}/apply`);
    expect(refused.status).to.equal(409);
    expect(pageText(refused.text)).to.include('changed by someone else since the preview');
    expect(refused.text).to.include('Preview again');
    expect(JSON.stringify(t.store.data)).to.equal(before);
    expect(t.store.list('imports')).to.have.length(0);

    const again = await c.post(`${location}/refresh`);
    expect(again.status).to.equal(303);
    const html2 = await previewPage(c, location);
    expect(countsOn(html2)).to.deep.include({ created: 1, updated: 1 });
    expect((await c.post(`${location}/apply`)).status).to.equal(303);
    const updated = t.store.get('premises', p1.id)!;
    expect(updated).to.include({ name: 'Hendon Town Hall Annexe', risk: 'medium' });
  });

  it('when someone changes a record the import does not touch, then apply still goes ahead', async () => {
    const { location } = await preview();
    const other = t.store.list('premises').find((p) => p.ref !== 'P-001' && p.ref !== 'P-002')!;
    await t.store.transact('facilities@demo.test', (tx) =>
      tx.update('premises', other.id, { ward: 'Somewhere else' }, other.version),
    );
    expect((await c.post(`${location}/apply`)).status).to.equal(303);
    expect(t.store.list('premises').filter((p) => p.ref === 'P-001' || p.ref === 'P-002')).to.have.length(2);
  });

  it('when a preview is applied twice (back button, double click), then it is imported once', async () => {
    const { location } = await preview();
    expect((await c.post(`${location}/apply`)).status).to.equal(303);
    const second = await c.post(`${location}/apply`);
    expect(second.status).to.equal(404);
    expect(t.store.list('imports')).to.have.length(1);
  });

  it('when a role may not import a kind, then the upload is refused before its file is read, and another person cannot see the preview', async () => {
    const facilities = await t.signIn('facilities@demo.test');
    await facilities.refreshCsrf('/imports');
    const refused = await uploadImport(facilities, 'schools', csvFixture('gias_2024_139.csv'));
    expect(refused.status).to.equal(403);
    expect(pageText(refused.text)).to.include('Your role cannot import this kind of file');
    const viewer = await t.signIn('viewer@demo.test');
    expect((await viewer.get('/imports')).status).to.equal(403);
    // Facilities may import premises; the coordinator's preview is not theirs to see or apply.
    const { location } = await preview();
    expect((await facilities.get(location)).status).to.equal(404);
    expect((await facilities.post(`${location}/apply`)).status).to.equal(404);
  });

  it('when the CSRF token is missing, then the file is not read and the answer is 403', async () => {
    const res = await c.agent
      .post('/imports')
      .field('kind', 'premises')
      .attach('file', premisesFile().bytes, { filename: 'premises.csv', contentType: 'text/csv' });
    expect(res.status).to.equal(403);
    expect(
      await t.services.imports.openFor(
        t.store.list('users').find((u) => u.email === 'coordinator@demo.test')!,
      ),
    ).to.have.length(0);
  });

  it('when a file passes IMPORT_MAX_MB, then it is refused as it passes the limit and nothing is kept', async () => {
    const big = { name: 'big.csv', bytes: Buffer.from(`ref,name\n${'P-9,A long name\n'.repeat(400)}`) };
    const res = await uploadImport(c, 'premises', big);
    expect(res.status).to.equal(400);
    expect(pageText(res.text)).to.include('The file must be smaller than');
    expect(await filesKept()).to.deep.equal([]);
    // The kind is free again: the next upload goes ahead.
    expect((await uploadImport(c, 'premises', premisesFile())).status).to.equal(303);
  });

  it('when an import of a kind is being read or applied, then another of that kind is refused and another kind is not', async () => {
    t.services.imports.reserve('premises');
    const busy = await uploadImport(c, 'premises', premisesFile());
    expect(busy.status).to.equal(409);
    expect(pageText(busy.text)).to.include('Another premises import is being read or applied');
    expect((await uploadImport(c, 'training', csvFixture('training.csv'))).status).to.equal(303);
    t.services.imports.release('premises');
    expect((await uploadImport(c, 'premises', premisesFile())).status).to.equal(303);
  });

  it('when a preview is left for an hour, then it is removed with its file', async () => {
    const { location } = await preview();
    expect(await filesKept()).to.have.length(1);
    clock.advanceMinutes(59);
    expect(await t.services.imports.sweep()).to.equal(0);
    clock.advanceMinutes(2);
    expect(await t.services.imports.sweep()).to.equal(1);
    expect(await filesKept()).to.deep.equal([]);
    // Signed in again: the hour also ended the idle session.
    const back = await t.signIn('coordinator@demo.test');
    expect((await back.get(location)).status).to.equal(404);
    expect((await back.post(`${location}/apply`)).status).to.equal(404);
  });

  it('when the upload names no kind or no file, then the form says which', async () => {
    const noFile = await c.agent.post('/imports').field('_csrf', c.csrf).field('kind', 'premises');
    expect(noFile.status).to.equal(400);
    expect(pageText(noFile.text)).to.include('Select a file to import');
    const noKind = await uploadImport(c, 'nonsense', premisesFile());
    expect(noKind.status).to.equal(400);
    expect(pageText(noKind.text)).to.include('Select what you are importing');
  });
});
