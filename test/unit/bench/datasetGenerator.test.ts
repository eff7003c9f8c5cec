import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import { type CollectionName, collectionSchemas } from '../../../data/dbSchema.js';
import { generateDataset, recordsIn } from '../../bench/datasetGenerator.js';

describe('Benchmark data generator', () => {
  it('when a small dataset is generated, then every record is valid for its collection and ids are unique', () => {
    const db = generateDataset({ premises: 60, bookings: 300, schools: 40, libraries: 12 }, '2026-03-14');
    for (const name of Object.keys(collectionSchemas) as CollectionName[]) {
      const ids = new Set<string>();
      for (const record of db[name]) {
        const parsed = collectionSchemas[name].safeParse(record);
        expect(parsed.success, `${name}: ${parsed.error?.issues[0]?.message}`).to.equal(true);
        ids.add((record as { id: string }).id);
      }
      expect(ids.size, `${name} ids`).to.equal(db[name].length);
    }
    expect(db.premises).to.have.length(60);
    expect(db.schools).to.have.length(40);
    expect(db.libraries).to.have.length(12);
    expect(db.bookings).to.have.length(300);
    expect(db.halls).to.have.length(30);
    expect(recordsIn(db)).to.be.greaterThan(60 + 40 + 12);
  });

  it('when flags are worked out over it, then every family of rules it feeds raises some', () => {
    const db = generateDataset({ premises: 200, bookings: 6000, schools: 200, libraries: 40 }, '2026-03-14');
    const rules = new Set(computeFlags(db, '2026-03-14').map((f) => f.rule));
    for (const rule of [
      'review-overdue',
      'review-due-soon',
      'non-compliant',
      'partially-compliant',
      'action-overdue',
      'spoc-missing',
      'spoc-training-expired',
      'spoc-contact-stale',
      'booking-checks-incomplete',
      'booking-watchlist-match',
    ])
      expect(rules.has(rule as never), rule).to.equal(true);
  });

  it('when generated twice, then the data is the same', () => {
    const scale = { premises: 30, bookings: 0, schools: 30, libraries: 5 };
    expect(generateDataset(scale, '2026-03-14')).to.deep.equal(generateDataset(scale, '2026-03-14'));
  });
});
