import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
import { evidenceFilesFor } from '../../../data/pg/pgEvidenceFiles.js';
import { removeEvidenceOfErasedBookings } from '../../../jobs/evidenceRetention.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { binaryBody, startTestApp, type TestApp } from '../../support/testApp.js';

describe('Retention of evidence on bookings’ due-diligence reviews', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const subjectOf = (reviewId: string) => t.store.get('reviews', reviewId)!.subjectType;
  /** Whether evidence `id`'s bytes are kept, wherever this backend keeps them (folder or `evidence_files`). */
  const stored = (id: string) =>
    evidenceFilesFor(t.store)
      .read(id)
      .then(
        () => true,
        () => false,
      );

  it('when the purge removes a booking’s personal data, then the evidence of its reviews goes too (records, then files) in the same run, the count is logged, and other evidence stays', async () => {
    const all = [...t.store.list('evidence')];
    const onBookings = all.filter((e) => subjectOf(e.reviewId) === 'booking');
    const others = all.filter((e) => subjectOf(e.reviewId) !== 'booking');
    expect(onBookings.length, 'the demo has evidence on a booking review').to.be.greaterThan(0);
    expect(others.length).to.be.greaterThan(0);
    const description = itemAt(onBookings, 0).description;
    for (const e of all) expect(await stored(e.id), e.filename).to.equal(true);

    const now = await runRetention(t.store, { asOf: londonDate(new Date()), retentionYears: 6 });
    expect(now.counts.find((c) => c.collection === 'evidence')).to.equal(undefined);
    expect(t.store.list('evidence')).to.have.length(all.length);

    const later = addMonths(londonDate(new Date()), 12 * 8);
    const result = await runRetention(t.store, { asOf: later, retentionYears: 6 });
    expect(result.counts.find((c) => c.collection === 'evidence')).to.include({ deleted: onBookings.length });
    for (const e of onBookings) {
      expect(t.store.get('evidence', e.id), e.filename).to.equal(undefined);
      expect(await stored(e.id), e.filename).to.equal(false);
    }
    for (const e of others) {
      expect(t.store.get('evidence', e.id)).to.not.equal(undefined);
      expect(await stored(e.id), e.filename).to.equal(true);
    }

    const log = await t.store.auditSource.readAll();
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
    expect(await stored(e.id)).to.equal(false);
  });

  it('when a booking was deleted outright, then the evidence of its reviews goes at the next step', async () => {
    const e = t.store.list('evidence').find((x) => subjectOf(x.reviewId) === 'booking')!;
    const bookingId = t.store.get('reviews', e.reviewId)!.subjectId;
    await t.store.transact('test', (tx) => tx.remove('bookings', bookingId));
    expect(await removeEvidenceOfErasedBookings(t.store)).to.include({ deleted: 1 });
    expect(t.store.get('evidence', e.id)).to.equal(undefined);
  });

  describe('evidence of a booking moved to the archive files', () => {
    /** An evidence file on the demo's archived booking's check, as an upload before the move left it. */
    async function archivedEvidence() {
      const old = t.services.bookings.archived.find(itemAt(t.services.bookings.archived.bookings(), 0).id)!;
      const review = old.reviews.find((r) => r.status === 'submitted')!;
      expect(t.store.get('reviews', review.id), 'the check is archived, not live').to.equal(undefined);
      const bytes = Buffer.from('%PDF-1.4\nhirer letter\n%%EOF\n');
      const id = 'a1b2c3d4-0000-4000-8000-00000000a1c4';
      await evidenceFilesFor(t.store).put(id, bytes);
      expect(await stored(id), 'kept where this backend keeps evidence').to.equal(true);
      const { createHash } = await import('node:crypto');
      await t.store.transact('facilities@demo.test', (tx) =>
        tx.insert('evidence', {
          id,
          reviewId: review.id,
          filename: 'Hirer letter.pdf',
          mediaType: 'application/pdf',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          description: 'Letter from the hirer about the speakers',
          uploadedBy: 'facilities@demo.test',
        }),
      );
      return { booking: old.booking, review, id, bytes };
    }

    it('when the archived booking is opened, then its check lists the evidence, which staff may download and others may not', async () => {
      const { booking, review, id, bytes } = await archivedEvidence();
      const fran = await t.signIn('facilities@demo.test');
      const page = await fran.get(`/bookings/${booking.id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Hirer letter.pdf');
      const href = `/reviews/${review.id}/evidence/${id}/download`;
      expect(page.text).to.include(`href="${href}"`);
      const res = await fran.agent.get(href).buffer(true).parse(binaryBody);
      expect(res.status).to.equal(200);
      expect(res.headers['content-disposition']).to.equal('attachment; filename="Hirer letter.pdf"');
      expect(res.body).to.deep.equal(bytes);
      for (const email of ['libraries@demo.test', 'viewer@demo.test', 'education@demo.test']) {
        expect((await (await t.signIn(email)).get(href)).status, email).to.equal(404);
      }
      expect((await fran.post(`/reviews/${review.id}/evidence/${id}/remove`)).status).to.equal(404);
      expect(t.store.get('evidence', id)).to.not.equal(undefined);
    });

    it('when retention removes the archived booking’s personal data, then its evidence goes too', async () => {
      const { id } = await archivedEvidence();
      const later = addMonths(londonDate(new Date()), 12 * 8);
      const result = await runRetention(t.store, { asOf: later, retentionYears: 6 });
      expect(result.counts.find((c) => c.collection === 'evidence')!.deleted).to.be.greaterThan(0);
      expect(t.store.get('evidence', id)).to.equal(undefined);
      expect(await stored(id)).to.equal(false);
    });
  });
});
