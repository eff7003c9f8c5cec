import { readdirSync } from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { hashCalendarToken } from '../../../server/services/calendarService.js';
import { spreadDemoOwners } from '../../support/reminderFixtures.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

/** Unfolds RFC 5545 content lines (CRLF + space continues the line). */
function contentLines(ics: string): string[] {
  return ics
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
}

/** The events of a feed as property maps (name with parameters → value). */
function events(ics: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of contentLines(ics)) {
    if (line === 'BEGIN:VEVENT') current = {};
    else if (line === 'END:VEVENT') {
      out.push(current!);
      current = null;
    } else if (current) {
      const i = line.indexOf(':');
      current[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return out;
}

const feedPath = (url: string) => new URL(url).pathname;

describe('HTTP: reminder log and calendar feeds', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await spreadDemoOwners(t.store);
  });
  after(async () => {
    t.services.reminders.close();
    await t.close();
  });

  describe('/reminders (coordinators)', () => {
    it('when a coordinator opens /reminders, then it shows what the next run will send', async () => {
      const a = await t.signIn('coordinator@demo.test');
      const res = await a.get('/reminders');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('<title>Reminders — Due Regard</title>');
      expect(res.text).to.include('facilities@demo.test');
      expect(res.text).to.include('the next run will send');
      expect(res.text).to.include('No reminders have been sent yet');
    });

    it('when a coordinator opens /reminders, then the schedules are in words and no server folder or cron syntax shows', async () => {
      const a = await t.signIn('coordinator@demo.test');
      const res = await a.get('/reminders');
      expect(res.text).to.include('Each working day at 7am');
      expect(res.text).to.include('Mondays at 7am');
      expect(res.text).to.include('Saved as email files on the server');
      expect(res.text).to.not.include(t.config.reminderCron);
      expect(res.text).to.not.include(t.config.weeklySummaryCron);
      expect(res.text).to.not.include(t.config.outboxDir);
      expect(res.text).to.not.include(t.dir);
    });

    it('when anyone else opens /reminders or posts /reminders/run, then it is 403; anonymous visitors go to sign in', async () => {
      for (const email of [
        'facilities@demo.test',
        'libraries@demo.test',
        'education@demo.test',
        'viewer@demo.test',
      ]) {
        const a = await t.signIn(email);
        expect((await a.get('/reminders')).status, email).to.equal(403);
        expect((await a.post('/reminders/run')).status, email).to.equal(403);
      }
      const anon = await request(t.app).get('/reminders');
      expect(anon.status).to.equal(303);
      expect(anon.headers.location).to.equal('/login?next=%2Freminders');
    });

    it('when a coordinator sends now without SMTP, then the emails are written to the outbox and listed as sent', async () => {
      const a = await t.signIn('coordinator@demo.test');
      const res = await a.post('/reminders/run');
      expect(res.status).to.equal(303);
      expect(readdirSync(t.config.outboxDir).filter((f) => f.endsWith('.eml')).length).to.be.at.least(4);
      const page = await a.get('/reminders');
      expect(page.text).to.include('Reminder run finished');
      expect(page.text).to.include('Nothing is waiting to be sent.');
      expect(page.text).to.match(/\d+ emails sent/);
      expect(t.store.data.meta.jobRuns.reminders).to.be.a('string');
    });
  });

  describe('/account/calendar and /calendar/TOKEN.ics', () => {
    it('when an anonymous visitor opens /account/calendar, then they are sent to sign in', async () => {
      const res = await request(t.app).get('/account/calendar');
      expect(res.status).to.equal(303);
    });

    it('when a user creates a calendar link, then it is shown once and only its hash is stored', async () => {
      const a = await t.signIn('facilities@demo.test');
      const before = await a.get('/account/calendar');
      expect(before.text).to.include('You do not have a calendar link yet');
      const created = await a.post('/account/calendar');
      expect(created.status).to.equal(303);
      const shown = await a.get('/account/calendar');
      const url = /id="calendar-url"[^>]*>([^<]+)</.exec(shown.text)?.[1];
      expect(url).to.match(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
      const token = /\/calendar\/([^/]+)\.ics$/.exec(url!)![1];
      const user = t.store.list('users').find((u) => u.email === 'facilities@demo.test')!;
      expect(user.calendarTokenHash).to.equal(hashCalendarToken(token));
      expect(JSON.stringify(t.store.data)).not.to.include(token);
      const later = await a.get('/account/calendar');
      expect(later.text).not.to.include(token);
      expect(later.text).to.include('You have a calendar link');
    });

    it('when the feed is fetched, then it parses as iCalendar with all-day events, stable UIDs and no session cookie', async () => {
      const a = await t.signIn('facilities@demo.test');
      await a.post('/account/calendar');
      const url = /id="calendar-url"[^>]*>([^<]+)</.exec((await a.get('/account/calendar')).text)![1];
      const res = await request(t.app).get(feedPath(url));
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/calendar; charset=utf-8/);
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(res.headers['cache-control']).to.equal('no-store');
      const ics = res.text;
      expect(ics.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).to.equal(true);
      expect(ics.replace(/\r\n/g, '')).not.to.include('\n');
      const lines = contentLines(ics);
      expect(lines[0]).to.equal('BEGIN:VCALENDAR');
      expect(lines.at(-1)).to.equal('END:VCALENDAR');
      expect(lines).to.include('VERSION:2.0');
      expect(lines.find((l) => l.startsWith('PRODID:'))).to.be.a('string');
      const evs = events(ics);
      const facilitiesItems = t.services.calendar.itemsFor(
        t.store.list('users').find((u) => u.email === 'facilities@demo.test')!,
        t.services.flags.today(),
      );
      expect(evs).to.have.length(facilitiesItems.length).and.length.greaterThan(3);
      for (const e of evs) {
        expect(e.UID).to.match(/^[0-9a-f]{32}@/);
        expect(e['DTSTART;VALUE=DATE']).to.match(/^\d{8}$/);
        expect(e['DTEND;VALUE=DATE']).to.match(/^\d{8}$/);
        expect(e.DTSTAMP).to.match(/^\d{8}T\d{6}Z$/);
        expect(e.SUMMARY).to.be.a('string');
      }
      expect(new Set(evs.map((e) => e.UID)).size).to.equal(evs.length);
      expect(evs.map((e) => e.SUMMARY).join('\n')).to.include('Riverside Community Centre (NB-002)');
      // Hillcrest Youth Centre is the caretaker's, not facilities'.
      expect(evs.map((e) => e.SUMMARY).join('\n')).not.to.include('Hillcrest Youth Centre');
      const again = events((await request(t.app).get(feedPath(url))).text);
      expect(again.map((e) => e.UID)).to.deep.equal(evs.map((e) => e.UID));
    });

    it('when the user regenerates the link, then the old URL is 404 and the new one works; turning it off kills it', async () => {
      const a = await t.signIn('education@demo.test');
      await a.post('/account/calendar');
      const oldUrl = /id="calendar-url"[^>]*>([^<]+)</.exec((await a.get('/account/calendar')).text)![1];
      expect((await request(t.app).get(feedPath(oldUrl))).status).to.equal(200);
      const oldFeed = (await request(t.app).get(feedPath(oldUrl))).text;
      expect(oldFeed).to.include('Brief the education team on the Town Hall hire policy');

      await a.post('/account/calendar');
      const newUrl = /id="calendar-url"[^>]*>([^<]+)</.exec((await a.get('/account/calendar')).text)![1];
      expect(newUrl).not.to.equal(oldUrl);
      expect((await request(t.app).get(feedPath(oldUrl))).status).to.equal(404);
      expect((await request(t.app).get(feedPath(newUrl))).status).to.equal(200);

      await a.post('/account/calendar/revoke');
      expect((await request(t.app).get(feedPath(newUrl))).status).to.equal(404);
      const page = await a.get('/account/calendar');
      expect(page.text).to.include('Your calendar link was turned off');
    });

    it('when a made-up or malformed token is asked for, then it is 404', async () => {
      for (const path of [
        '/calendar/abc.ics',
        `/calendar/${'A'.repeat(43)}.ics`,
        `/calendar/${'A'.repeat(43)}`,
      ]) {
        expect((await request(t.app).get(path)).status, path).to.equal(404);
      }
    });

    it('when the account is deactivated, then its feed is 404', async () => {
      const a = await t.signIn('viewer@demo.test');
      await a.post('/account/calendar');
      const url = /id="calendar-url"[^>]*>([^<]+)</.exec((await a.get('/account/calendar')).text)![1];
      const feed = await request(t.app).get(feedPath(url));
      expect(feed.status).to.equal(200);
      expect(events(feed.text)).to.deep.equal([]);
      const viewer = t.store.list('users').find((u) => u.email === 'viewer@demo.test')!;
      await t.services.users.setActive('test', viewer.id, false);
      expect((await request(t.app).get(feedPath(url))).status).to.equal(404);
    });
  });
});
