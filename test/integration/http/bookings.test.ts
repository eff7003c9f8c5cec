import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { locationOf } from '../../support/pageParts.js';
import { newBookingForm } from '../../support/bookingForms.js';

const QUESTIONS = ['H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'H7', 'H8', 'H9', 'H10', 'H11', 'H12', 'H13', 'H14'];

/** Every personal name and event title in the demo's hall hire, none of which a viewer may see. */
const PERSONAL = [
  'Alex Placeholder',
  'The Example Front Ltd',
  'Example Front',
  'Exemplar',
  'Priya Example',
  'Morgan Demo',
  'Community meeting',
  'Birthday party',
  'Singing workshop',
];

function inDays(n: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

describe('HTTP: hall hire bookings', () => {
  let t: TestApp;
  let facilities: TestAgent;
  let coordinator: TestAgent;
  let viewer: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref) as Booking;
  const hallId = () => {
    const p = t.store.list('premises').find((x) => x.ref === 'NB-002')!;
    return t.store.list('halls').find((h) => h.premisesId === p.id && h.name === 'Main Hall')!.id;
  };

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
    viewer = await t.signIn('viewer@demo.test');
  });
  after(() => t.close());

  function bookingForm(over: Record<string, string> = {}) {
    return newBookingForm(hallId(), inDays(40), over);
  }

  function allAnswers(version: number) {
    const form: Record<string, string> = { version: String(version), intent: 'submit' };
    for (const q of QUESTIONS) form[`answer-${q}`] = 'yes';
    form['answer-H7'] = 'na';
    form['comment-H7'] = 'The hirer is not a charity';
    return form;
  }

  describe('a facilities officer takes a booking from provisional to approved with conditions', () => {
    let id: string;

    it('when the booking form is sent, then the booking is created provisional with its hirer and speaker', async () => {
      const res = await facilities.post('/bookings', bookingForm());
      expect(res.status).to.equal(303);
      const b = byRef('NB-H-9001');
      id = b.id;
      expect(res.headers.location).to.equal(`/bookings/${id}`);
      expect(b.status).to.equal('provisional');
      expect(b.speakers).to.deep.equal([
        { name: 'Dr Q. Author', aliases: [], affiliation: 'Northbrook University' },
      ]);
      expect(b.start).to.equal(`${inDays(40)}T18:30`);
      const hirer = t.store.get('hirers', b.hirerId)!;
      expect(hirer.organisation).to.equal('Northbrook Readers');
      const page = await facilities.get(`/bookings/${id}`);
      expect(page.text).to.include('Provisional');
      expect(page.text).to.include('The checks are not complete');
    });

    it('when they try to approve before the checks are done, then it is refused with a clear message and nothing changes', async () => {
      const before = t.store.revision;
      const res = await facilities.post(`/bookings/${id}/decision`, {
        decision: 'approved',
        rationale: 'Looks fine',
        version: String(byRef('NB-H-9001').version),
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('govuk-error-summary');
      expect(res.text).to.include(
        'You cannot approve this booking yet: its due-diligence checks (H1 to H14) are not complete',
      );
      expect(t.store.revision).to.equal(before);
      expect(byRef('NB-H-9001').status).to.equal('provisional');
    });

    it('when the H1–H14 checklist is submitted complete, then the booking is checks-complete and the screening records the list versions', async () => {
      const start = await facilities.post('/reviews/start', {
        subjectType: 'booking',
        subjectId: id,
        from: 'blank',
      });
      expect(start.status).to.equal(303);
      const reviewId = locationOf(start).split('/').pop()!;
      const form = await facilities.get(`/reviews/${reviewId}`);
      expect(form.text).to.include('Booking due diligence');
      const review = t.store.get('reviews', reviewId)!;
      const res = await facilities.post(`/reviews/${reviewId}`, allAnswers(review.version));
      expect(res.status).to.equal(303);
      const b = byRef('NB-H-9001');
      expect(b.status).to.equal('checks-complete');
      expect(b.checksReviewId).to.equal(reviewId);
      expect(t.store.get('reviews', reviewId)!.answers.H7).to.deep.include({
        answer: 'na',
        reason: 'The hirer is not a charity',
      });
      const screening = t.store.list('bookingScreenings').find((s) => s.reviewId === reviewId)!;
      expect(screening.why).to.equal('checks-submitted');
      expect(screening.lists.map((l) => l.source).sort()).to.deep.equal([
        'Demo proscribed organisations (fictional)',
        'Demo sanctions list (fictional, OFSI layout)',
      ]);
      expect(
        screening.lists.every((l) => l.listVersion === 1 && /^\d{4}-\d{2}-\d{2}$/.test(l.asOf)),
      ).to.equal(true);
      expect(screening.matches).to.deep.equal([]);
    });

    it('when conditions are given without the balancing, then the decision is refused naming each missing part', async () => {
      const res = await facilities.post(`/bookings/${id}/decision`, {
        decision: 'approved-with-conditions',
        rationale: 'Fine with a steward',
        conditions: 'A steward on the door',
        version: String(byRef('NB-H-9001').version),
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Say how freedom of expression and assembly was weighed');
      expect(res.text).to.include('Say how the Equality Act duties were considered');
      expect(res.text).to.include('Say which less restrictive options were weighed');
      expect(res.text).to.include('A steward on the door');
    });

    it('when the decision is complete, then the booking is approved with conditions and the conditions print for on-site staff', async () => {
      const res = await facilities.post(`/bookings/${id}/decision`, {
        decision: 'approved-with-conditions',
        rationale: 'Checks complete; a large open event.',
        conditions: 'A steward on the door throughout\n- No change of speaker without agreement',
        expression: 'The conditions do not limit what is said.',
        equality: 'The same conditions apply to every open event of this size.',
        alternatives: 'Refusal was not needed; stewarding meets the risk.',
        version: String(byRef('NB-H-9001').version),
      });
      expect(res.status).to.equal(303);
      const b = byRef('NB-H-9001');
      expect(b.status).to.equal('approved-with-conditions');
      const d = t.store.get('bookingDecisions', b.decisionId!)!;
      expect(d.conditions).to.deep.equal([
        'A steward on the door throughout',
        'No change of speaker without agreement',
      ]);
      expect(d.decidedBy).to.equal('facilities@demo.test');
      expect(d.checksReviewId).to.equal(b.checksReviewId);
      expect(t.store.get('bookingScreenings', d.screeningId!)!.why).to.equal('decision');
      const sheet = await facilities.get(`/bookings/${id}/conditions`);
      expect(sheet.status).to.equal(200);
      expect(sheet.text).to.include('app-print-sheet');
      expect(sheet.text).to.match(/<li>A steward on the door throughout<\/li>/);
      const page = await facilities.get(`/bookings/${id}`);
      expect(page.text).to.include('Approved with conditions');
      expect(page.text).to.include('Print the conditions for on-site staff');
    });

    it('when the decision form is sent with an old version, then it is refused as changed since opened', async () => {
      const res = await facilities.post(`/bookings/${id}/decision`, {
        decision: 'cancelled',
        rationale: 'Withdrawn',
        version: '1',
      });
      expect(res.status).to.equal(409);
      expect(byRef('NB-H-9001').status).to.equal('approved-with-conditions');
    });

    it('when a speaker is added after approval, then the booking goes back to provisional for its checks', async () => {
      const b = byRef('NB-H-9001');
      const res = await facilities.post(`/bookings/${id}`, {
        ...bookingForm({ 'speaker-1-name': 'New Speaker' }),
        version: String(b.version),
      });
      expect(res.status).to.equal(303);
      const after = byRef('NB-H-9001');
      expect(after.status).to.equal('provisional');
      expect(after.checksReviewId).to.equal(null);
      const page = await facilities.get(`/bookings/${id}`);
      expect(page.text).to.include('so it is provisional until its checks are done again');
    });
  });

  describe('the viewer role', () => {
    it('when a viewer asks for booking, hirer or watch-list pages, then each answers 403', async () => {
      const b = byRef('NB-H-1003');
      for (const path of [
        '/bookings',
        `/bookings/${b.id}`,
        `/hirers/${b.hirerId}`,
        '/watchlist',
        '/bookings/new',
      ]) {
        expect((await viewer.get(path)).status, path).to.equal(403);
      }
    });

    it('when a viewer reads the flags (API and dashboard), then booking flags carry no hirer or speaker data', async () => {
      const api = await viewer.get('/api/flags');
      const bookingFlags = (api.body as { rule: string; subject: { type: string } }[]).filter(
        (f) => f.subject.type === 'booking',
      );
      expect(bookingFlags.map((f) => f.rule)).to.include('booking-watchlist-match');
      const json = JSON.stringify(bookingFlags);
      const dashboard = (await viewer.get('/')).text;
      for (const text of PERSONAL) {
        expect(json, text).to.not.include(text);
        expect(dashboard, text).to.not.include(text);
      }
      expect(json).to.include('Hall booking NB-H-1003');
    });
  });

  describe('a referred booking', () => {
    it('when a facilities officer opens or sends its decision form, then both answer 403 and nothing changes', async () => {
      const b = byRef('NB-H-1005');
      expect((await facilities.get(`/bookings/${b.id}/decision`)).status).to.equal(403);
      const before = t.store.revision;
      const res = await facilities.post(`/bookings/${b.id}/decision`, {
        decision: 'approved',
        rationale: 'Overruling',
        version: String(b.version),
      });
      expect(res.status).to.equal(403);
      expect(t.store.revision).to.equal(before);
      expect(byRef('NB-H-1005').status).to.equal('referred');
    });

    it('when a facilities officer tries to edit it, then it answers 403', async () => {
      expect((await facilities.get(`/bookings/${byRef('NB-H-1005').id}/edit`)).status).to.equal(403);
    });

    it('when the coordinator sees it, then each watch-list match shows the entry, the list and why', async () => {
      const page = await coordinator.get(`/bookings/${byRef('NB-H-1005').id}/decision`);
      expect(page.status).to.equal(200);
      const show = await coordinator.get(`/bookings/${byRef('NB-H-1005').id}`);
      expect(show.text).to.include('Demo proscribed organisations (fictional)');
      expect(show.text).to.include('same words once punctuation and word order are set aside');
    });

    it('when the coordinator refuses it with the balancing, then it is refused and its watch-list flag clears', async () => {
      const b = byRef('NB-H-1005');
      const flagsBefore = (await coordinator.get('/api/flags')).body as {
        rule: string;
        subject: { id: string };
      }[];
      expect(flagsBefore.some((f) => f.rule === 'booking-watchlist-match' && f.subject.id === b.id)).to.equal(
        true,
      );
      const res = await coordinator.post(`/bookings/${b.id}/decision`, {
        decision: 'refused',
        rationale: 'The organisation is on the proscribed list.',
        expression: 'Meeting in support of a proscribed organisation is not protected.',
        equality: 'The refusal rests on the listing, not on any protected characteristic.',
        alternatives: 'Conditions could not make a meeting of a proscribed group lawful.',
        version: String(b.version),
      });
      expect(res.status).to.equal(303);
      const after = byRef('NB-H-1005');
      expect(after.status).to.equal('refused');
      expect(after.clearedEntryIds).to.have.length(2);
      const d = t.store.get('bookingDecisions', after.decisionId!)!;
      expect(d.decidedByRole).to.equal('coordinator');
      expect(d.previousStatus).to.equal('referred');
      const flagsAfter = (await coordinator.get('/api/flags')).body as {
        rule: string;
        subject: { id: string };
      }[];
      expect(flagsAfter.some((f) => f.rule === 'booking-watchlist-match' && f.subject.id === b.id)).to.equal(
        false,
      );
    });
  });

  describe('pages and forms', () => {
    it('when the booking ends before it starts, then the form is shown again with the error and what was typed', async () => {
      const res = await facilities.post('/bookings', bookingForm({ ref: 'NB-H-9002', endTime: '17:00' }));
      expect(res.status).to.equal(400);
      expect(res.text).to.include('The booking must end after it starts');
      expect(res.text).to.include('href="#endTime"');
      expect(res.text).to.include('value="NB-H-9002"');
      expect(byRef('NB-H-9002')).to.equal(undefined);
    });

    it('when a booking reference is already taken, then it is refused', async () => {
      const res = await facilities.post('/bookings', bookingForm({ ref: 'nb-h-1001' }));
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Booking nb-h-1001 already exists');
    });

    it('when a hall is added to premises, then the premises page lists it, and the same name again is refused', async () => {
      const p = t.store.list('premises').find((x) => x.ref === 'NB-011')!;
      const res = await facilities.post(`/premises/${p.id}/halls`, {
        hallName: 'Scout Hall',
        capacity: '60',
      });
      expect(res.status).to.equal(303);
      const page = await facilities.get(`/premises/${p.id}`);
      expect(page.text).to.include('Scout Hall');
      const again = await facilities.post(`/premises/${p.id}/halls`, {
        hallName: 'scout  hall',
        capacity: '',
      });
      expect(again.status).to.equal(400);
      expect(again.text).to.include('This building already has a hall called Scout Hall');
    });

    it('when a booking of a regular hirer is opened, then its history at other venues shows the decisions and conditions', async () => {
      const page = await facilities.get(`/bookings/${byRef('NB-H-1001').id}`);
      expect(page.text).to.include('NB-H-1011');
      expect(page.text).to.include('Two stewards on the doors throughout.');
      expect(page.text).to.include('Northbrook Town Hall — Assembly Room');
      expect(page.text).to.include('Start from the hirer’s last check');
    });

    it('when a regular hirer’s booking starts its checks from their last check, then the answers are copied to confirm', async () => {
      const b = byRef('NB-H-1001');
      const res = await facilities.post('/reviews/start', {
        subjectType: 'booking',
        subjectId: b.id,
        from: 'last',
      });
      expect(res.status).to.equal(303);
      const review = t.store.get('reviews', locationOf(res).split('/').pop()!)!;
      expect(review.startedFrom).to.equal(byRef('NB-H-1006').checksReviewId);
      expect(review.answers.H1).to.deep.include({ answer: 'yes', toConfirm: true });
      // H1 is in the first section (ASK), answered on its own page.
      const form = await facilities.get(`/reviews/${review.id}/section/1`);
      expect(form.text).to.include('Confirm this answer to H1');
    });

    it('when a hirer’s other names change, then their booking waiting for a decision needs its checks again', async () => {
      const b = byRef('NB-H-1004');
      expect(b.status).to.equal('checks-complete');
      const hirer = t.store.get('hirers', b.hirerId)!;
      const res = await facilities.post(`/hirers/${hirer.id}`, {
        hirerName: hirer.name,
        organisation: hirer.organisation ?? '',
        otherNames: 'Hillcrest Interfaith Group',
        charityNumber: hirer.charityNumber ?? '',
        companyNumber: '',
        hirerEmail: hirer.email ?? '',
        hirerPhone: '',
        hirerAddress: '',
        version: String(hirer.version),
      });
      expect(res.status).to.equal(303);
      expect(byRef('NB-H-1004').status).to.equal('provisional');
      expect(byRef('NB-H-1004').screenKeys.map((k) => k.key)).to.include('group hillcrest interfaith');
      const page = await facilities.get(`/hirers/${hirer.id}`);
      expect(page.text).to.include('these bookings need their checks again: NB-H-1004');
    });

    it('when the coordinator opens the watch list, then each list shows its source and as-of date; others get 403', async () => {
      const res = await coordinator.get('/watchlist');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Demo proscribed organisations (fictional)');
      expect(res.text).to.include('Demo sanctions list (fictional, OFSI layout)');
      const list = itemAt(t.store.list('watchlists'), 0);
      const page = await coordinator.get(`/watchlist/${list.id}`);
      expect(page.status).to.equal(200);
      expect((await facilities.get('/watchlist')).status).to.equal(403);
    });

    it('when a loaded list is over 30 days old, then the watch-list page and the booking page say so', async () => {
      await t.store.transact('test', (tx) =>
        tx.insert('watchlists', {
          source: 'Old council list',
          asOf: inDays(-40),
          format: 'simple',
          entryCount: 0,
          importedAt: new Date().toISOString(),
          importedBy: 'coordinator@demo.test',
        }),
      );
      const page = await coordinator.get('/watchlist');
      const row = page.text.slice(page.text.indexOf('Old council list'));
      expect(row.slice(0, row.indexOf('</tr>'))).to.include('Over 30 days old');
      const booking = await facilities.get(`/bookings/${byRef('NB-H-1002').id}`);
      expect(booking.text).to.match(/Old council list \(as of [^)]*\)[^<]*over 30 days old/);
      expect(booking.text).to.not.match(/Demo sanctions list[^<]*over 30 days old/);
    });

    it('when a facilities officer signs in, then the navigation offers Bookings but not Watch list', async () => {
      const page = (await facilities.get('/')).text;
      expect(page).to.include('href="/bookings"');
      expect(page).to.not.include('href="/watchlist"');
      // The coordinator finds it among the Hall hire pages.
      expect((await coordinator.get('/bookings')).text).to.include('href="/watchlist"');
      expect((await facilities.get('/bookings')).text).to.not.include('href="/watchlist"');
    });

    it('when the booking officer opens the dashboard, then their bookings’ flags are there with the booking ref', async () => {
      const page = (await facilities.get('/?type=booking')).text;
      expect(page).to.include('Booking NB-H-1003');
      expect(page).to.include(`/bookings/${byRef('NB-H-1003').id}`);
    });
  });
});
