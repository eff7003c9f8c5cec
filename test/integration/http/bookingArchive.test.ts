import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { addMonths, londonDate } from '../../../checks/londonDates.js';
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

const today = londonDate(new Date());
const threeYearsAgo = addMonths(today, -36);

function auditEntries(t: TestApp): AuditEntry[] {
  return readFileSync(t.store.auditPath, 'utf8')
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
    const before = readFileSync(t.store.auditPath, 'utf8');
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
    expect(readFileSync(t.store.auditPath, 'utf8')).to.equal(before);
    expect((await c.get('/bookings/no-such-booking/edit')).status).to.equal(404);
  });

  it('when the bookings list is searched, then archived bookings are found only with "include archived", marked as such', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const without = await c.get('/bookings?when=all&q=ARCH-1');
    expect(without.text).to.include('0 bookings');
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

    const note = auditEntries(t).at(-1)!;
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

  it('when an archive file is damaged, then the dashboard, the flags and saving a booking still work: they never read the archive', async () => {
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
      // A page that reads the archive says the file is damaged rather than showing half the history.
      const hirer = await c.get(`/hirers/${past.hirerId}`);
      expect(hirer.status).to.equal(500);
    } finally {
      writeFileSync(path, good);
    }
  });
});
