import { expect } from 'chai';
import { formatDate } from '../../../checks/londonDates.js';
import type { Booking } from '../../../data/schemas/hallHireSchemas.js';
import { editForm } from '../../support/bookingForms.js';
import { differences } from '../../support/conflictPage.js';
import { formFields } from '../../support/formFields.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

describe('HTTP: a booking changed since it was opened (SPEC §17: only what differs, in words, input kept)', () => {
  let t: TestApp;
  let facilities: TestAgent;
  let coordinator: TestAgent;
  const byRef = (ref: string) => t.store.list('bookings').find((b) => b.ref === ref) as Booking;

  before(async () => {
    t = await startTestApp();
    facilities = await t.signIn('facilities@demo.test');
    coordinator = await t.signIn('coordinator@demo.test');
  });
  after(() => t.close());

  it('when two people change one booking, then the second sees only the fields that differ, by their labels and in words', async () => {
    const opened = structuredClone(byRef('NB-H-1001'));
    const twoSpeakers = {
      'speaker-0-name': 'Dr A. First',
      'speaker-0-aliases': '',
      'speaker-0-affiliation': '',
      'speaker-1-name': 'B. Second',
      'speaker-1-aliases': 'Bea Second',
      'speaker-1-affiliation': 'Riverside Forum',
    };
    const theirs = editForm(t, opened, {
      ...twoSpeakers,
      'start-day': '21',
      'start-month': '1',
      'start-year': '2027',
      startTime: '19:00',
      endTime: '21:30',
    });
    expect((await coordinator.post(`/bookings/${opened.id}`, theirs)).status).to.equal(303);
    expect(byRef('NB-H-1001').start).to.equal('2027-01-21T19:00');

    const mine = editForm(t, opened, {
      ...twoSpeakers,
      'speaker-1-name': 'B. Second-Person',
      eventTitle: 'Fran’s new title',
      startTime: '18:30',
      endTime: '21:30',
    });
    const res = await facilities.post(`/bookings/${opened.id}`, mine);
    expect(res.status).to.equal(409);
    const rows = differences(res.text);
    const openedDay = formatDate(opened.start.slice(0, 10));
    expect(Object.fromEntries(rows)).to.deep.equal({
      'Date of the event': { yours: openedDay, theirs: '21 January 2027' },
      'Start time': { yours: '6:30pm', theirs: '7pm' },
      'Date it ends': { yours: openedDay, theirs: '21 January 2027' },
      'Event title': { yours: 'Fran’s new title', theirs: opened.eventTitle },
      'Speaker 2 name': { yours: 'B. Second-Person', theirs: 'B. Second' },
    });
    expect(res.text).to.not.match(/2027-01-21|T19:00|Speaker 0|speaker-1-name</);
  });

  it('when someone else moved the booking to another hall, then the conflict shows both halls by name', async () => {
    const opened = structuredClone(byRef('NB-H-1003'));
    const hallName = (id: string) => {
      const hall = t.store.get('halls', id);
      const building = hall && t.store.get('premises', hall.premisesId);
      return `${building?.name} (${building?.ref}) — ${hall?.name}`;
    };
    const other = t.store.list('halls').find((h) => h.id !== opened.hallId && !h.archived);
    if (!other) throw new Error('the demo has one hall');
    const moved = await coordinator.post(`/bookings/${opened.id}`, editForm(t, opened, { hallId: other.id }));
    expect(moved.status, moved.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).to.equal(303);
    const res = await facilities.post(
      `/bookings/${opened.id}`,
      editForm(t, opened, { eventTitle: 'Fran’s title' }),
    );
    expect(res.status).to.equal(409);
    const rows = Object.fromEntries(differences(res.text));
    expect(rows.Hall).to.deep.equal({ yours: hallName(opened.hallId), theirs: hallName(other.id) });
    expect(res.text).to.not.include(other.id);
  });

  it('when the person saves their version from the conflict page, then everything they entered is saved over the latest version', async () => {
    const opened = structuredClone(byRef('NB-H-1002'));
    expect(
      (
        await coordinator.post(
          `/bookings/${opened.id}`,
          editForm(t, opened, { purpose: 'Coordinator’s purpose' }),
        )
      ).status,
    ).to.equal(303);
    const mine = editForm(t, opened, {
      eventTitle: 'Fran’s title',
      purpose: 'Fran’s purpose\non two lines',
      'speaker-0-name': 'Fran’s speaker',
      'speaker-0-aliases': 'F. Speaker',
      'speaker-0-affiliation': '',
    });
    const conflict = await facilities.post(`/bookings/${opened.id}`, mine);
    expect(conflict.status).to.equal(409);
    const { _csrf, ...again } = formFields(conflict.text, `/bookings/${opened.id}`);
    expect(_csrf).to.be.a('string');
    expect(again.version).to.equal(String(byRef('NB-H-1002').version));
    expect({ ...again, version: mine.version }).to.deep.equal(mine);
    const saved = await facilities.post(`/bookings/${opened.id}`, again);
    expect(saved.status).to.equal(303);
    const b = byRef('NB-H-1002');
    expect(b.eventTitle).to.equal('Fran’s title');
    expect(b.purpose).to.equal('Fran’s purpose\non two lines');
    expect(b.speakers.map((s) => s.name)).to.deep.equal(['Fran’s speaker']);
  });

  it('when someone changed the hirer since the booking form was opened, then saving it shows the hirer’s changes instead of replacing them, and the person can then save theirs', async () => {
    const b = byRef('NB-H-1004');
    const page = await facilities.get(`/bookings/${b.id}/edit`);
    expect(page.status).to.equal(200);
    const { _csrf, ...opened } = formFields(page.text, `/bookings/${b.id}`);
    const hirer = t.store.get('hirers', b.hirerId);
    if (!hirer) throw new Error('no hirer');
    expect(opened.hirerVersion).to.equal(String(hirer.version));
    // Only the date of the hirer's last event changes: the form replaces none of it, so it saves.
    await t.store.transact('coordinator@demo.test', (tx) =>
      tx.update('hirers', hirer.id, { lastEventOn: '2030-01-01' }),
    );
    const quiet = await facilities.post(`/bookings/${b.id}`, { ...opened, eventTitle: 'Title one' });
    expect(quiet.status).to.equal(303);
    const { _csrf: _, ...reopened } = formFields(
      (await facilities.get(`/bookings/${b.id}/edit`)).text,
      `/bookings/${b.id}`,
    );
    // Someone else changes the hirer's phone on the hirer's page.
    await t.store.transact('coordinator@demo.test', (tx) =>
      tx.update('hirers', hirer.id, { phone: '020 7946 0999' }),
    );
    const mine = { ...reopened, eventTitle: 'Title two' };
    const res = await facilities.post(`/bookings/${b.id}`, mine);
    expect(res.status).to.equal(409);
    expect(Object.fromEntries(differences(res.text))).to.deep.equal({
      Phone: { yours: String(reopened.hirerPhone || 'Not given'), theirs: '020 7946 0999' },
    });
    expect(t.store.get('hirers', hirer.id)?.phone, 'nothing replaced').to.equal('020 7946 0999');
    expect(byRef('NB-H-1004').eventTitle, 'nothing saved').to.equal('Title one');
    // "Save my version": sent again over the hirer's latest version, it saves what the person entered.
    const { _csrf: token, ...again } = formFields(res.text, `/bookings/${b.id}`);
    expect(token).to.be.a('string');
    expect(again.hirerVersion).to.equal(String(t.store.get('hirers', hirer.id)?.version));
    expect((await facilities.post(`/bookings/${b.id}`, again)).status).to.equal(303);
    expect(byRef('NB-H-1004').eventTitle).to.equal('Title two');
    expect(t.store.get('hirers', hirer.id)?.phone ?? '').to.equal(String(reopened.hirerPhone ?? ''));
  });

  it('when the booking changed only where its form does not look (a cleared watch-list match), then the form still saves; a change to what it shows is refused', async () => {
    const b = byRef('NB-H-1010');
    const { _csrf, ...opened } = formFields(
      (await facilities.get(`/bookings/${b.id}/edit`)).text,
      `/bookings/${b.id}`,
    );
    expect(opened.shown).to.be.a('string');
    await t.store.transact('coordinator@demo.test', (tx) =>
      tx.update('bookings', b.id, { clearedEntryIds: ['a-cleared-match'] }),
    );
    const saved = await facilities.post(`/bookings/${b.id}`, { ...opened, eventTitle: 'Saved over' });
    expect(saved.status).to.equal(303);
    expect(byRef('NB-H-1010')).to.deep.include({
      eventTitle: 'Saved over',
      clearedEntryIds: ['a-cleared-match'],
    });
    // Opened again; someone else changes the purpose the form shows: the save is refused and shown.
    const { _csrf: _, ...again } = formFields(
      (await facilities.get(`/bookings/${b.id}/edit`)).text,
      `/bookings/${b.id}`,
    );
    expect(
      (await coordinator.post(`/bookings/${b.id}`, editForm(t, byRef('NB-H-1010'), { purpose: 'Theirs' })))
        .status,
    ).to.equal(303);
    const stale = await facilities.post(`/bookings/${b.id}`, { ...again, eventTitle: 'Mine' });
    expect(stale.status).to.equal(409);
    expect(Object.fromEntries(differences(stale.text))).to.deep.include({
      'Purpose, theme and agenda': { yours: String(again.purpose), theirs: 'Theirs' },
    });
    expect(byRef('NB-H-1010').eventTitle).to.equal('Saved over');
  });

  it('when the booking was decided while its edit form was open, then the conflict page shows the status as opened and as decided', async () => {
    const b = byRef('NB-H-1004');
    expect(b.status).to.equal('checks-complete');
    const { _csrf, ...opened } = formFields(
      (await facilities.get(`/bookings/${b.id}/edit`)).text,
      `/bookings/${b.id}`,
    );
    expect(opened.status).to.equal('checks-complete');
    // Decided in another tab.
    const decided = await facilities.post(`/bookings/${b.id}/decision`, {
      decision: 'approved',
      rationale: 'Checks complete and nothing of concern',
      version: String(b.version),
    });
    expect(decided.status).to.equal(303);
    const res = await facilities.post(`/bookings/${b.id}`, { ...opened, eventTitle: 'After the decision' });
    expect(res.status).to.equal(409);
    const rows = Object.fromEntries(differences(res.text));
    expect(rows.Status).to.deep.equal({ yours: 'Checks complete', theirs: 'Approved' });
    expect(rows['Event title']?.yours).to.equal('After the decision');
    expect(byRef('NB-H-1004').eventTitle).to.not.equal('After the decision');
  });

  it('when a decision conflicts with a newer one, then the page shows the decisions in words', async () => {
    const b = byRef('NB-H-1003');
    const version = String(b.version);
    const refuse = {
      decision: 'refused',
      rationale: 'Coordinator refused',
      'refused-expression': 'Weighed',
      'refused-equality': 'Considered',
      'refused-alternatives': 'None would do',
      version,
    };
    expect((await coordinator.post(`/bookings/${b.id}/decision`, refuse)).status).to.equal(303);
    const res = await coordinator.post(`/bookings/${b.id}/decision`, {
      decision: 'cancelled',
      rationale: 'Hirer withdrew',
      version,
    });
    expect(res.status).to.equal(409);
    expect(Object.fromEntries(differences(res.text))).to.deep.equal({
      Decision: { yours: 'Cancelled', theirs: 'Refused' },
    });
  });
});
