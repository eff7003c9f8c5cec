import { expect } from 'chai';
import { runRetention } from '../../../jobs/retentionJob.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

describe('Audit page of a hirer, sealed in the log, before and after retention erased them', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('when a coordinator opens a hirer’s entries, then the page shows their name, opened from the sealed log', async () => {
    const hirer = t.store.list('hirers')[0]!;
    const c = await t.signIn('coordinator@demo.test');
    const page = await c.get(`/audit?recordId=${hirer.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include(hirer.name);
  });

  it('when retention has erased the hirer, then their entries and the CSV render and say "erased", never the name', async () => {
    const hirer = t.store.list('hirers')[0]!;
    const name = hirer.name;
    await runRetention(t.store, { asOf: '2040-01-01', retentionYears: 6 });
    expect(t.store.get('hirers', hirer.id)?.personalDataRemoved).to.equal(true);
    const c = await t.signIn('coordinator@demo.test');
    const page = await c.get(`/audit?recordId=${hirer.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('erased');
    expect(page.text).not.to.include(name);
    const csv = await c.get(`/audit/export.csv?recordId=${hirer.id}`);
    expect(csv.status).to.equal(200);
    expect(csv.text).to.include('erased');
    expect(csv.text).not.to.include(name);
  });
});
