import { existsSync } from 'node:fs';
import { expect } from 'chai';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import { readAuditEntries } from '../../../data/store/auditLog.js';
import { EvidenceFolder } from '../../../data/store/evidenceFiles.js';
import { removeEvidenceOfErasedBookings } from '../../../jobs/evidenceRetention.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

describe('Retention of evidence on bookings’ due-diligence reviews', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const subjectOf = (reviewId: string) => t.store.get('reviews', reviewId)!.subjectType;

  it('when the purge removes a booking’s personal data, then the evidence of its reviews goes too (records, then files) in the same run, the count is logged, and other evidence stays', async () => {
    const folder = EvidenceFolder.forDatabase(t.dbPath);
    const all = [...t.store.list('evidence')];
    const onBookings = all.filter((e) => subjectOf(e.reviewId) === 'booking');
    const others = all.filter((e) => subjectOf(e.reviewId) !== 'booking');
    expect(onBookings.length, 'the demo has evidence on a booking review').to.be.greaterThan(0);
    expect(others.length).to.be.greaterThan(0);
    const description = onBookings[0].description;

    const now = await runRetention(t.store, { asOf: londonDate(new Date()), retentionYears: 6 });
    expect(now.counts.find((c) => c.collection === 'evidence')).to.equal(undefined);
    expect(t.store.list('evidence')).to.have.length(all.length);

    const later = addMonths(londonDate(new Date()), 12 * 8);
    const result = await runRetention(t.store, { asOf: later, retentionYears: 6 });
    expect(result.counts.find((c) => c.collection === 'evidence')).to.include({ deleted: onBookings.length });
    for (const e of onBookings) {
      expect(t.store.get('evidence', e.id), e.filename).to.equal(undefined);
      expect(existsSync(folder.pathOf(e.id)), e.filename).to.equal(false);
    }
    for (const e of others) {
      expect(t.store.get('evidence', e.id)).to.not.equal(undefined);
      expect(existsSync(folder.pathOf(e.id))).to.equal(true);
    }

    const log = await readAuditEntries(t.store.auditPath);
    const note = log.find((e) => e.action === 'retention' && e.collection === 'evidence');
    expect(note?.after).to.include({ deleted: onBookings.length });
    const erased = log.filter((e) => e.collection === 'evidence' && e.action === 'erase');
    expect(erased.map((e) => e.recordId).sort()).to.deep.equal(onBookings.map((e) => e.id).sort());
    expect(JSON.stringify(erased)).to.not.include(description);

    const again = await runRetention(t.store, { asOf: later, retentionYears: 6 });
    expect(again.counts.find((c) => c.collection === 'evidence')).to.equal(undefined);
  });

  it('when a booking’s personal data was removed by another rule (it is only marked removed), then its evidence goes at the next step', async () => {
    const e = t.store.list('evidence').find((x) => subjectOf(x.reviewId) === 'booking')!;
    const bookingId = t.store.get('reviews', e.reviewId)!.subjectId;
    expect(await removeEvidenceOfErasedBookings(t.store)).to.equal(null);
    await t.store.transact('test', (tx) => tx.update('bookings', bookingId, { personalDataRemoved: true }));
    const count = await removeEvidenceOfErasedBookings(t.store);
    expect(count).to.include({ collection: 'evidence', deleted: 1 });
    expect(t.store.get('evidence', e.id)).to.equal(undefined);
    expect(existsSync(EvidenceFolder.forDatabase(t.dbPath).pathOf(e.id))).to.equal(false);
  });

  it('when a booking was deleted outright, then the evidence of its reviews goes at the next step', async () => {
    const e = t.store.list('evidence').find((x) => subjectOf(x.reviewId) === 'booking')!;
    const bookingId = t.store.get('reviews', e.reviewId)!.subjectId;
    await t.store.transact('test', (tx) => tx.remove('bookings', bookingId));
    expect(await removeEvidenceOfErasedBookings(t.store)).to.include({ deleted: 1 });
    expect(t.store.get('evidence', e.id)).to.equal(undefined);
  });
});
