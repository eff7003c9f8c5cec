import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Store } from '../../../data/store/store.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { importBookings } from '../../../server/services/bookingImport.js';
import { importPremises } from '../../../server/services/premisesImport.js';
import { tempFolders } from '../../support/tempFolder.js';

const fixture = (name: string) => readFileSync(join('test/fixtures/csv', name));

describe('Import bookings after retention removed their personal data (real store file)', () => {
  const folders = tempFolders('import-after-retention');
  afterEach(() => folders.cleanUp());

  it('when the same bookings file is imported again, then those rows are skipped and no hirer name comes back', async () => {
    const store = await Store.open(join(folders.make(), 'dueregard.json'));
    try {
      await importPremises(store, 'test', fixture('premises.csv'), false);
      const first = await importBookings(store, 'test', fixture('bookings.csv'), false);
      expect(first.created).to.equal(3);
      const names = store.list('hirers').map((h) => h.name);
      expect(names).to.include('Amina Khan');

      // Long after the events: every booking's and hirer's personal data is removed.
      await runRetention(store, { asOf: '2040-01-01', retentionYears: 6 });
      expect(store.list('bookings').every((b) => b.personalDataRemoved)).to.equal(true);
      const hirersAfterRetention = store.list('hirers').length;

      const again = await importBookings(store, 'test', fixture('bookings.csv'), false);
      expect(again).to.deep.include({ created: 0, updated: 0, skipped: 3 });
      expect(store.list('hirers')).to.have.length(hirersAfterRetention);
      for (const name of names) {
        expect(
          store.list('hirers').some((h) => h.name === name),
          name,
        ).to.equal(false);
      }
    } finally {
      await store.close();
    }
  });
});
