import { itemAt } from '../../data/itemAt.js';
import { expect } from 'chai';
import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { bookingStatuses } from '../../data/schemas/hallHireSchemas.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

describe('Demo borough: hall hire', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('when the demo is loaded, then there are bookings in every status', () => {
    const statuses = new Set(t.store.list('bookings').map((b) => b.status));
    expect([...statuses].sort()).to.deep.equal([...bookingStatuses].sort());
  });

  it('when the demo is loaded, then a decided booking more than a year past is in the archive, shown in its hirer’s history', async () => {
    expect(t.store.list('bookings').some((b) => b.ref === 'NB-H-0907')).to.equal(false);
    const archived = t.services.bookings.archived.bookings();
    expect(archived.map((b) => b.ref)).to.deep.equal(['NB-H-0907']);
    const c = await t.signIn('coordinator@demo.test');
    const page = await c.get(`/hirers/${itemAt(archived, 0).hirerId}`);
    expect(page.text).to.include('NB-H-0907');
    expect(page.text).to.include('Approved (archived)');
    const shown = await c.get(`/bookings/${itemAt(archived, 0).id}`);
    expect(shown.status).to.equal(200);
    expect(shown.text).to.include('Regular hirer; open rehearsal with no speakers; no concerns.');
  });

  it('when the demo flags are computed, then both booking rules show, at high and critical', () => {
    const flags = t.services.flags.all(t.services.flags.today()).filter((f) => f.subject.type === 'booking');
    const seen = new Set(flags.map((f) => `${f.rule}:${f.severity}`));
    expect([...seen].sort()).to.deep.equal([
      'booking-checks-incomplete:critical',
      'booking-checks-incomplete:high',
      'booking-watchlist-match:critical',
    ]);
  });

  it('when the referred demo booking is screened now, then the matches recorded in the demo are the ones the app finds', () => {
    const b = t.store.list('bookings').find((x) => x.ref === 'NB-H-1005')!;
    const live = t.services.bookings
      .liveMatches(b)
      .map((m) => ({ role: m.role, name: m.name, entryId: m.entry.id, reason: m.reason }));
    const recorded = t.services.bookings
      .screeningsOf(b.id)
      .map((s) =>
        s.matches.map((m) => ({ role: m.role, name: m.name, entryId: m.entryId, reason: m.reason })),
      );
    expect(live).to.have.length(2);
    for (const matches of recorded) expect(matches).to.deep.equal(live);
  });

  it('when the demo bookings were written, then each stores the screen keys the app works out on save', () => {
    for (const b of t.store.list('bookings')) {
      const hirer = t.store.get('hirers', b.hirerId)!;
      expect(b.screenKeys, b.ref).to.deep.equal(screenKeysOf(namesToScreen(hirer, b.speakers)));
    }
  });
});
