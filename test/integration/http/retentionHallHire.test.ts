import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { startTestApp } from '../../support/testApp.js';
import { auditTextOf } from '../../support/storeBackends.js';

describe('Retention of hirers’ and speakers’ personal data (the rules hall hire registers)', () => {
  it('when the scheduled purge runs past the period, then hirers’ names and speakers go, the bookings stay, and only counts are logged', async () => {
    const t = await startTestApp();
    try {
      const bookings = t.store.list('bookings').length;
      expect(t.store.list('bookings').some((b) => b.speakers.length > 0)).to.equal(true);
      const speakerName = itemAt(
        t.store.list('bookings').find((b) => b.speakers.length > 0)!.speakers,
        0,
      ).name;
      const now = await runRetention(t.store, { asOf: londonDate(new Date()), retentionYears: 6 });
      expect(now.total).to.equal(0);

      const later = addMonths(londonDate(new Date()), 12 * 8);
      const result = await runRetention(t.store, { asOf: later, retentionYears: 6 });
      expect(result.total).to.be.greaterThan(0);
      expect(t.store.list('bookings').length).to.equal(bookings);
      expect(t.store.list('bookings').every((b) => b.speakers.length === 0)).to.equal(true);
      expect(t.store.list('hirers').every((h) => h.name === 'Removed')).to.equal(true);
      const log = (await auditTextOf(t.store))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const notes = log.filter((e) => e.action === 'retention');
      expect(notes.length).to.be.greaterThan(0);
      const purge = log.filter((e) => e.actor === 'retention');
      expect(JSON.stringify(purge)).to.not.include(speakerName);
    } finally {
      await t.close();
    }
  });
});
