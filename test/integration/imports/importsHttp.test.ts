import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { setUpDemo } from '../../../server/services/demoSetup.js';
import {
  cliCounts,
  countsOn,
  csvFixture,
  pageText,
  previewPage,
  uploadImport,
} from '../../support/importHelpers.js';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { auditTextOf } from '../../support/storeBackends.js';

const TODAY = '2026-06-01';
const folders = tempFolders('imports-http');

/** Every kind, in an order where each file's references exist (bookings need the premises first). */
const KINDS = [
  { kind: 'premises', good: 'premises.csv', bad: 'premises_bad.csv', fields: {}, cli: [] },
  { kind: 'bookings', good: 'bookings.csv', bad: 'bookings_bad.csv', fields: {}, cli: [] },
  {
    kind: 'watchlist',
    good: 'watchlist_simple.csv',
    bad: 'watchlist_simple_bad.csv',
    fields: { source: 'Home Office proscribed organisations' },
    cli: ['--source', 'Home Office proscribed organisations'],
  },
  { kind: 'libraries', good: 'libraries_schema.csv', bad: 'libraries_bad_rows.csv', fields: {}, cli: [] },
  { kind: 'schools', good: 'gias_2024_139.csv', bad: 'gias_bad_rows.csv', fields: {}, cli: [] },
  { kind: 'training', good: 'training.csv', bad: 'training_bad.csv', fields: {}, cli: [] },
] as const;

/**
 * The data as the server holds it and its audit log on disk (every acknowledged change is in the log; the
 * database file itself is a snapshot written a moment later, so it is not what to compare).
 */
async function onDisk(t: TestApp): Promise<string> {
  await t.store.flushed();
  return JSON.stringify(t.store.data) + (await auditTextOf(t.store));
}

describe('Imports in the browser: every kind through HTTP, the same as the CLI', function () {
  this.timeout(120_000);
  let t: TestApp;
  let c: TestAgent;
  /** A second demo database the CLI imports the same files into, in the same order. */
  let cliDb: string;

  before(async () => {
    t = await startTestApp({ today: TODAY });
    c = await t.signIn('coordinator@demo.test');
    await c.refreshCsrf('/imports');
    cliDb = join(folders.make(), 'cli.json');
    const store = await Store.open(cliDb);
    await setUpDemo(store, { passwordHashCost: 10, today: TODAY });
    await store.close();
  });
  after(async () => {
    await t.close();
    folders.cleanUp();
  });

  for (const k of KINDS) {
    it(`when a bad ${k.kind} file is uploaded, then the preview lists every refused row with row, column and reason, offers no import, and nothing changes`, async () => {
      const before = await onDisk(t);
      const res = await uploadImport(c, k.kind, csvFixture(k.bad), k.fields);
      expect(res.status, res.text).to.equal(303);
      const html = await previewPage(c, res.headers.location!);
      expect(html).to.include('This file cannot be imported');
      expect(html).to.not.include('/apply');
      // The same reasons the CLI gives for the file, each with its row (and column).
      const cli = await runCliInProcess([
        'import',
        k.kind,
        csvFixture(k.bad),
        '--db',
        cliDb,
        '--dry-run',
        ...k.cli,
      ]);
      expect(cli.code).to.equal(1);
      const text = pageText(html);
      const reasons = cli.stderr.trimEnd().split('\n').slice(1);
      expect(reasons.length).to.be.greaterThan(0);
      for (const line of reasons) {
        const m = /^row (\d+)(?:, column "([^"]*)")?: (.*)$/.exec(line)!;
        expect(m, line).to.not.equal(null);
        expect(text).to.include(`${m[1]} ${m[2] ? `${m[2]} ` : '(the whole row) '}${pageText(m[3]!).trim()}`);
      }
      // Applying it anyway is refused.
      const apply = await c.post(`${res.headers.location}/apply`);
      expect(apply.status).to.equal(400);
      expect(await onDisk(t)).to.equal(before);
    });

    it(`when a good ${k.kind} file is uploaded, then the preview shows the counts the CLI prints, and importing applies exactly them`, async () => {
      const res = await uploadImport(c, k.kind, csvFixture(k.good), k.fields);
      expect(res.status, res.text).to.equal(303);
      const location = res.headers.location!;
      const html = await previewPage(c, location);
      const previewed = countsOn(html);
      const cli = await runCliInProcess(['import', k.kind, csvFixture(k.good), '--db', cliDb, ...k.cli]);
      expect(cli.code, cli.stderr).to.equal(0);
      expect(previewed).to.deep.equal(cliCounts(cli.stdout));
      expect(previewed.created + previewed.updated).to.be.greaterThan(0);
      const before = t.store.list('imports').length;
      const apply = await c.post(`${location}/apply`);
      expect(apply.status, apply.text).to.equal(303);
      expect(apply.headers.location).to.equal(location);
      const done = await c.get(location);
      expect(pageText(done.text)).to.include('Imported');
      expect(countsOn(done.text)).to.deep.equal(previewed);
      // Kept in the history with who, which file (its SHA-256) and the counts, and in the audit log.
      const records = t.store.list('imports');
      expect(records.length).to.equal(before + 1);
      const record = records.at(-1)!;
      expect(record).to.include({
        kind: k.kind,
        importedBy: 'coordinator@demo.test',
        filename: k.good,
        via: 'browser',
      });
      expect(record.sha256).to.match(/^[0-9a-f]{64}$/);
      expect(location).to.equal(`/imports/${record.id}`);
      const list = await c.get('/imports');
      expect(pageText(list.text)).to.include(k.good);
      const audit = await t.services.audit.search({ collection: 'imports' });
      expect(JSON.stringify(audit)).to.include(record.id);
      // Both databases now hold the same: the same file again changes nothing in either.
      const again = await uploadImport(c, k.kind, csvFixture(k.good), k.fields);
      const againHtml = await previewPage(c, again.headers.location!);
      expect(countsOn(againHtml)).to.deep.equal(
        cliCounts(
          (
            await runCliInProcess([
              'import',
              k.kind,
              csvFixture(k.good),
              '--db',
              cliDb,
              '--dry-run',
              ...k.cli,
            ])
          ).stdout,
        ),
      );
      expect(againHtml).to.include('Nothing to import');
    });
  }
});
