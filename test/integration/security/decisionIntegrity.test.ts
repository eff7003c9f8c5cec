import { expect } from 'chai';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { editForm } from '../../support/bookingForms.js';
import { storeBytes } from '../../support/folderBytes.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const BALANCING = {
  expression: 'Expression was weighed against the risk the listing shows.',
  equality: 'The decision rests on the listing, not on any protected characteristic.',
  alternatives: 'Conditions could not make the meeting lawful.',
};

describe('Security: decisions belong to the coordinator once a booking is referred or decided by them (SPEC §10)', () => {
  let t: TestApp;
  let facilities: TestAgent;
  let coordinator: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref) as Booking;

  /** The files and records once emails owed by earlier changes (a decision's notification) are written. */
  const settledBytes = async () => {
    await t.services.notifications.idle();
    return storeBytes(t.store, t.dir);
  };

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  describe('a referred booking', () => {
    it('when a facilities officer changes its speakers, then 403 with the reason and nothing changes', async () => {
      const b = byRef('NB-H-1005');
      expect((await facilities.get(`/bookings/${b.id}/edit`)).status).to.equal(403);
      const before = await settledBytes();
      const res = await facilities.post(
        `/bookings/${b.id}`,
        editForm(t, b, { 'speaker-0-name': 'Someone Else', 'speaker-0-aliases': '' }),
      );
      expect(res.status).to.equal(403);
      expect(res.text).to.include('Only the coordinator can decide it');
      expect(await settledBytes()).to.deep.equal(before);
      expect(byRef('NB-H-1005').speakers[0].name).to.equal('Exemplar, Jon Q.');
    });

    it('when a facilities officer edits its hirer at /hirers/ID, then 403 and the hirer is unchanged', async () => {
      const b = byRef('NB-H-1005');
      const h = t.store.get('hirers', b.hirerId)!;
      expect((await facilities.get(`/hirers/${h.id}/edit`)).status).to.equal(403);
      const before = await settledBytes();
      const res = await facilities.post(`/hirers/${h.id}`, {
        hirerName: h.name,
        organisation: h.organisation ?? '',
        otherNames: 'A harmless new name',
        version: String(h.version),
      });
      expect(res.status).to.equal(403);
      expect(res.text).to.include('only the coordinator can change the hirer’s details');
      expect(await settledBytes()).to.deep.equal(before);
      expect(t.store.get('hirers', h.id)).to.deep.equal(h);
    });

    it('when a facilities officer adds a booking for the same hirer with other names, then the form says why and nothing changes', async () => {
      const b = byRef('NB-H-1005');
      const h = t.store.get('hirers', b.hirerId)!;
      const before = await settledBytes();
      const res = await facilities.post(
        '/bookings',
        editForm(t, b, {
          ref: 'NB-H-7001',
          otherNames: 'Renamed Front',
          'speaker-0-name': '',
          'speaker-0-aliases': '',
        }),
      );
      expect(res.status).to.equal(400);
      expect(res.text).to.include('only the coordinator can change their details');
      expect(await settledBytes()).to.deep.equal(before);
      expect(t.store.get('hirers', h.id)).to.deep.equal(h);
    });

    it('when a facilities officer starts its checks, then 403 with the reason', async () => {
      const b = byRef('NB-H-1005');
      const before = await settledBytes();
      const res = await facilities.post('/reviews/start', { subjectType: 'booking', subjectId: b.id });
      expect(res.status).to.equal(403);
      expect(res.text).to.include('Only the coordinator can decide it');
      expect(await settledBytes()).to.deep.equal(before);
    });

    it('when its page is shown to a facilities officer, then it offers no change, no decision and no checks, and says why', async () => {
      const page = await facilities.get(`/bookings/${byRef('NB-H-1005').id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('Only the coordinator can decide it');
      expect(page.text).not.to.include('Change the booking');
      expect(page.text).not.to.include('Start a new check');
      expect(page.text).not.to.include('Record a new decision');
    });
  });

  describe('after the coordinator decided it', () => {
    before(async () => {
      const b = byRef('NB-H-1005');
      const res = await coordinator.post(`/bookings/${b.id}/decision`, {
        decision: 'refused',
        rationale: 'The organisation is on the proscribed list.',
        ...BALANCING,
        version: String(b.version),
      });
      expect(res.status).to.equal(303);
      expect(byRef('NB-H-1005').status).to.equal('refused');
    });

    it('when a facilities officer records a new decision, then 403 and the status and conditions are unchanged', async () => {
      const b = byRef('NB-H-1005');
      expect((await facilities.get(`/bookings/${b.id}/decision`)).status).to.equal(403);
      const decisions = t.store.list('bookingDecisions').length;
      const before = await settledBytes();
      const res = await facilities.post(`/bookings/${b.id}/decision`, {
        decision: 'approved-with-conditions',
        rationale: 'Overturning the refusal',
        conditions: 'Stewards at the door',
        ...BALANCING,
        version: String(b.version),
      });
      expect(res.status).to.equal(403);
      expect(res.text).to.include('The Prevent coordinator recorded a decision on this booking');
      expect(await settledBytes()).to.deep.equal(before);
      const after = byRef('NB-H-1005');
      expect(after.status).to.equal('refused');
      expect(after.decisionId).to.equal(b.decisionId);
      expect(t.store.get('bookingDecisions', after.decisionId!)!.conditions).to.deep.equal([]);
      expect(t.store.list('bookingDecisions')).to.have.length(decisions);
    });

    it('when a facilities officer edits it, then 403', async () => {
      const b = byRef('NB-H-1005');
      const res = await facilities.post(`/bookings/${b.id}`, editForm(t, b, { eventTitle: 'Renamed' }));
      expect(res.status).to.equal(403);
      expect(byRef('NB-H-1005').eventTitle).to.equal('Community meeting');
    });

    it('when the coordinator changes it, then it is saved', async () => {
      const b = byRef('NB-H-1005');
      const res = await coordinator.post(`/bookings/${b.id}`, editForm(t, b, { expectedAttendance: '140' }));
      expect(res.status).to.equal(303);
      expect(byRef('NB-H-1005').expectedAttendance).to.equal(140);
    });
  });

  describe('the decision page sent twice', () => {
    it('when the same decision form is submitted twice, then one decision is recorded and both answers say it is recorded', async () => {
      const b = byRef('NB-H-1004');
      expect(b.status).to.equal('checks-complete');
      const form = {
        decision: 'approved',
        rationale: 'Checks complete with no concerns.',
        version: String(b.version),
      };
      const count = () => t.store.list('bookingDecisions').filter((d) => d.bookingId === b.id).length;
      const before = count();
      const [first, second] = await Promise.all([
        facilities.post(`/bookings/${b.id}/decision`, form),
        facilities.post(`/bookings/${b.id}/decision`, form),
      ]);
      const third = await facilities.post(`/bookings/${b.id}/decision`, form);
      for (const res of [first, second, third]) {
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal(`/bookings/${b.id}`);
      }
      expect(count()).to.equal(before + 1);
      expect(byRef('NB-H-1004').status).to.equal('approved');
    });

    it('when a different decision is sent with the old version, then it is refused as changed since opened', async () => {
      const b = byRef('NB-H-1004');
      const res = await facilities.post(`/bookings/${b.id}/decision`, {
        decision: 'cancelled',
        rationale: 'Hirer cancelled',
        version: String(b.version - 1),
      });
      expect(res.status).to.equal(409);
      expect(byRef('NB-H-1004').status).to.equal('approved');
    });
  });
});
