import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { addDays, addMonths, londonDate } from '../../../checks/londonDates.js';
import { periodOf } from '../../../checks/report/reportPeriod.js';
import type { AuditEntry } from '../../../data/store/auditLog.js';
import { archivePathFor } from '../../../data/store/archiveFiles.js';
import { runArchive } from '../../../jobs/archiveJob.js';
import {
  addPastBookings,
  OLD_HIRER,
  OLD_SPEAKER,
  OTHER_HIRER,
  type PastBookings,
} from '../../support/archiveFixture.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';
import { auditTextOf } from '../../support/storeBackends.js';

const today = londonDate(new Date());
const threeYearsAgo = addMonths(today, -36);

async function auditEntries(t: TestApp): Promise<AuditEntry[]> {
  return (await auditTextOf(t.store))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry);
}

describe('Archived bookings through the web app', function () {
  this.timeout(60_000);
  let t: TestApp;
  let past: PastBookings;
  let reportBefore: unknown;

  before(async () => {
    t = await startTestApp({ today });
    past = await addPastBookings(t.store, today);
    reportBefore = t.services.report.build(periodOf(threeYearsAgo).id, today).compliance;
    const r = await runArchive(t.store, { asOf: today });
    expect(r.bookings).to.be.at.least(3);
    expect(t.store.get('bookings', past.approved.id)).to.equal(undefined);
  });
  after(async () => {
    await t?.close();
  });

  it('when a coordinator opens the hirer, then the history lists archived bookings beside live ones', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const res = await c.get(`/hirers/${past.hirerId}`);
    expect(res.status).to.equal(200);
    for (const ref of ['ARCH-1', 'ARCH-2', 'LIVE-RECENT', 'LIVE-UNDECIDED']) expect(res.text).to.include(ref);
    expect(res.text).to.include('Approved (archived)');
    expect(res.text).to.include('Checks complete, nothing of concern');
    expect(res.text).to.include(`/hirers/${past.hirerId}/export`);
    const f = await t.signIn('facilities@demo.test');
    const page = await f.get(`/hirers/${past.hirerId}`);
    expect(page.text).to.include('ARCH-1');
    expect(page.text).to.not.include('/export');
  });

  it('when a live booking of the hirer is opened, then its history shows their archived bookings too', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const res = await c.get(`/bookings/${past.recent.id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/ARCH-1<\/a> \(archived\)/);
  });

  it('when an archived booking is opened, then it is shown read-only with its checks, screening and decision, marked archived', async () => {
    const c = await t.signIn('facilities@demo.test');
    const res = await c.get(`/bookings/${past.approved.id}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Archived');
    expect(res.text).to.include('can no longer be changed');
    expect(res.text).to.include('Checked the charity register');
    expect(res.text).to.include('Checks complete, nothing of concern');
    expect(res.text).to.include(OLD_SPEAKER);
    expect(res.text).to.include('Ask for the speaker list');
    expect(res.text).to.not.include(`/bookings/${past.approved.id}/edit`);
    expect(res.text).to.not.include(`action="/bookings/${past.approved.id}`);
    expect(res.text).to.not.include('action="/reviews/start"');
  });

  it('when anyone tries to change an archived booking, then it is refused with a page saying why, and nothing is written', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const before = await auditTextOf(t.store);
    const id = past.approved.id;
    const answers = [
      await c.get(`/bookings/${id}/edit`),
      await c.post(`/bookings/${id}`, { ref: 'CHANGED', version: '1' }),
      await c.post(`/bookings/${id}/screen`),
      await c.get(`/bookings/${id}/decision`),
      await c.post(`/bookings/${id}/decision`, { decision: 'refused', rationale: 'x', version: '9' }),
    ];
    for (const res of answers) {
      expect(res.status).to.equal(409);
      expect(res.text).to.include('This booking is archived');
      expect(res.text).to.include(
        'Booking ARCH-1 is archived: it was decided and its event ended more than 12 months ago',
      );
    }
    expect(await auditTextOf(t.store)).to.equal(before);
    expect((await c.get('/bookings/no-such-booking/edit')).status).to.equal(404);
  });

  it('when the bookings list is searched, then archived bookings are found only with "include archived", marked as such', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const without = await c.get('/bookings?when=all&q=ARCH-1');
    expect(without.text).to.include('No bookings');
    const withArchived = await c.get('/bookings?when=all&q=ARCH-1&archived=yes');
    expect(withArchived.text).to.include('1 booking');
    expect(withArchived.text).to.include(`/bookings/${past.approved.id}`);
    expect(withArchived.text).to.match(/govuk-tag--grey">\s*Archived/);
    const byHirer = await c.get(`/bookings?when=past&archived=yes&q=${encodeURIComponent(OLD_HIRER.name)}`);
    for (const ref of ['ARCH-1', 'ARCH-2', 'LIVE-UNDECIDED']) expect(byHirer.text).to.include(ref);
  });

  it('when the board report covers the quarter of the archived bookings, then "checked before the event" counts them as before', () => {
    const after = t.services.report.build(periodOf(threeYearsAgo).id, today).compliance;
    expect(after).to.deep.equal(reportBefore);
    const line = (after as { id: string; current: { total: number } | null }[]).find(
      (l) => l.id === 'bookings-checked',
    );
    expect(line?.current?.total).to.be.at.least(2);
  });

  it('when a coordinator exports the hirer, then the download holds their live and archived bookings with checks and log entries, and nothing of another hirer', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const res = await c.get(`/hirers/${past.hirerId}/export`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    expect(res.headers['content-disposition']).to.match(
      /^attachment; filename="hirer-[\w-]+-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = JSON.parse(res.text);
    expect(data.hirer.name).to.equal(OLD_HIRER.name);
    const refs = data.bookings.map((b: { booking: { ref: string } }) => b.booking.ref).sort();
    expect(refs).to.deep.equal(['ARCH-1', 'ARCH-2', 'LIVE-OPEN-ACTION', 'LIVE-RECENT', 'LIVE-UNDECIDED']);
    const arch = data.bookings.find((b: { booking: { ref: string } }) => b.booking.ref === 'ARCH-1');
    expect(arch.archived).to.equal(true);
    expect(arch.archiveFile).to.match(/\.archive-\d{4}\.json$/);
    expect(arch.booking.speakers[0].name).to.equal(OLD_SPEAKER);
    expect(arch.reviews[0].answers.H1.note).to.equal('Checked the charity register');
    expect(arch.decisions[0].id).to.equal(past.approved.decisionId);
    expect(arch.screenings[0].id).to.equal(past.approved.screeningId);
    expect(arch.actions[0].id).to.equal(past.approved.actionId);
    const logged = data.auditEntries as { recordId?: string; action: string; moved?: string[] }[];
    expect(logged.some((e) => e.recordId === past.approved.id && e.action === 'create')).to.equal(true);
    expect(logged.some((e) => e.recordId === past.approved.reviewId)).to.equal(true);
    const move = logged.find((e) => e.action === 'archive')!;
    expect(move.moved).to.include(past.approved.id);
    const text = res.text;
    for (const other of [OTHER_HIRER.name, OTHER_HIRER.email, past.otherHirerId, past.other.id, 'ARCH-OTHER'])
      expect(text).to.not.include(other);

    const note = (await auditEntries(t)).at(-1);
    if (!note) throw new Error('The export was not logged');
    expect(note).to.include({ action: 'export', collection: 'hirers', recordId: past.hirerId });
    expect(note.actor).to.equal('coordinator@demo.test');
    expect(JSON.stringify(note)).to.not.include(OLD_HIRER.name);
  });

  it('when another role asks for the export, then it is refused; an unknown hirer is not found', async () => {
    for (const email of [
      'facilities@demo.test',
      'viewer@demo.test',
      'libraries@demo.test',
      'education@demo.test',
    ]) {
      const u = await t.signIn(email);
      expect((await u.get(`/hirers/${past.hirerId}/export`)).status, email).to.equal(403);
    }
    const c = await t.signIn('coordinator@demo.test');
    expect((await c.get('/hirers/no-such-hirer/export')).status).to.equal(404);
  });

  /** The booking form, filled in for an event six weeks ahead in the fixture's hall. */
  function bookingForm(over: Record<string, string> = {}) {
    const [year = '', month = '', day = ''] = addDays(today, 42).split('-');
    return {
      ref: 'NEW-1',
      hallId: past.hallId,
      'start-day': day,
      'start-month': month,
      'start-year': year,
      startTime: '18:30',
      endTime: '21:00',
      eventTitle: 'Quiz night',
      purpose: 'Fundraising quiz',
      expectedAttendance: '40',
      openToPublic: 'yes',
      hirerName: 'Robin Newhirer',
      organisation: '',
      otherNames: '',
      charityNumber: '',
      companyNumber: '',
      hirerEmail: '',
      hirerPhone: '',
      hirerAddress: '',
      'speaker-0-name': '',
      'speaker-0-aliases': '',
      'speaker-0-affiliation': '',
      bookingOfficerEmail: 'facilities@demo.test',
      ...over,
    };
  }

  it('when a new booking takes the ref of an archived booking (any case), then it is refused on the ref field, what was typed is kept and nothing is saved', async () => {
    const year = threeYearsAgo.slice(0, 4);
    const f = await t.signIn('facilities@demo.test');
    await f.refreshCsrf('/bookings/new');
    const before = await auditTextOf(t.store);
    const res = await f.post('/bookings', bookingForm({ ref: 'arch-1' }));
    expect(res.status).to.equal(400);
    expect(res.text).to.include(
      `Booking reference arch-1 is already used by an archived booking from ${year}`,
    );
    expect(res.text).to.include('href="#ref"');
    expect(res.text).to.include('value="arch-1"');
    expect(res.text).to.include('value="Robin Newhirer"');
    expect(await auditTextOf(t.store)).to.equal(before);
    expect(t.store.list('hirers').some((h) => h.name === 'Robin Newhirer')).to.equal(false);
  });

  it('when a live booking is edited to the ref of an archived booking, then it is refused; keeping its own ref still saves', async () => {
    // ARCH-2's event was two years ago: its file is that year's.
    const year = addMonths(today, -24).slice(0, 4);
    const c = await t.signIn('coordinator@demo.test');
    const live = t.store.get('bookings', past.recent.id)!;
    const [y = '', m = '', d = ''] = live.start.slice(0, 10).split('-');
    const edit = (ref: string, title: string) =>
      bookingForm({
        ref,
        hallId: live.hallId,
        'start-day': d,
        'start-month': m,
        'start-year': y,
        startTime: live.start.slice(11, 16),
        endTime: live.end.slice(11, 16),
        eventTitle: title,
        hirerName: OLD_HIRER.name,
        organisation: OLD_HIRER.organisation,
        hirerEmail: OLD_HIRER.email,
        hirerPhone: '01632 960001',
        hirerAddress: '1 Old Street',
        version: String(live.version),
      });
    await c.refreshCsrf(`/bookings/${live.id}/edit`);
    const refused = await c.post(`/bookings/${live.id}`, edit('ARCH-2', 'Renamed'));
    expect(refused.status).to.equal(400);
    expect(refused.text).to.include(
      `Booking reference ARCH-2 is already used by an archived booking from ${year}`,
    );
    expect(t.store.get('bookings', live.id)!.ref).to.equal(live.ref);
    expect(t.store.get('bookings', live.id)!.version).to.equal(live.version);
    const saved = await c.post(`/bookings/${live.id}`, edit(live.ref, 'Renamed'));
    expect(saved.status, saved.text.slice(0, 2000)).to.equal(303);
    expect(t.store.get('bookings', live.id)!.eventTitle).to.equal('Renamed');
  });

  it('when an archive file is damaged, then the dashboard, the flags and saving a booking still work: only the ref check reads the archive, and it leaves a damaged file out', async () => {
    const year = Number(threeYearsAgo.slice(0, 4));
    const path = archivePathFor(t.dbPath, year);
    const good = readFileSync(path, 'utf8');
    try {
      writeFileSync(path, good.replace('ARCH-1', 'ARCH-9'));
      const c = await t.signIn('coordinator@demo.test');
      expect((await c.get('/')).status).to.equal(200);
      expect((await c.get('/api/flags')).status).to.equal(200);
      await c.refreshCsrf(`/bookings/${past.recent.id}/edit`);
      const res = await c.post(`/bookings/${past.recent.id}/screen`);
      expect(res.status).to.equal(303);
      // The ref check leaves a damaged file out rather than stop new bookings being taken.
      const created = await c.post('/bookings', bookingForm({ ref: 'NEW-WHILE-DAMAGED' }));
      expect(created.status).to.equal(303);
      // A page that reads the archive says the file is damaged rather than showing half the history.
      const hirer = await c.get(`/hirers/${past.hirerId}`);
      expect(hirer.status).to.equal(500);
    } finally {
      writeFileSync(path, good);
    }
  });
});
