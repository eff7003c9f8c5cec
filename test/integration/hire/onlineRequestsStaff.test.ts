import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { addMonths } from '../../../checks/londonDates.js';
import { runRetention } from '../../../jobs/retentionJob.js';
import { dayAfterLeadTime, hireJson, onlineHallId } from '../../support/hireRequests.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('Hall hire: online requests on the staff side', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { reminderRetrySeconds: 0 } });
  });
  after(async () => {
    t.services.notifications.close();
    await t.services.notifications.idle();
    await t.close();
  });

  it('when a hirer requests online, then facilities see it in the bookings list marked as an online request, and can filter to those', async () => {
    const made = await request(t.app)
      .post('/api/hire-requests')
      .send(hireJson(t.store, dayAfterLeadTime(t.store)));
    expect(made.status).to.equal(201);
    const facilities = await t.signIn('facilities@demo.test');
    const all = await facilities.get('/bookings?when=all');
    expect(all.text).to.include(made.body.ref);
    expect(all.text).to.match(
      new RegExp(`${made.body.ref}</a> <strong class="govuk-tag govuk-tag--purple">Online request</strong>`),
    );
    const online = await facilities.get('/bookings?when=all&origin=online');
    const refs = [...online.text.matchAll(/>((?:WEB|NB)-[A-Z0-9-]+)<\/a>/g)].map((m) => m[1]);
    expect(refs).to.deep.equal([made.body.ref]);
    const b = t.store.list('bookings').find((x) => x.ref === made.body.ref)!;
    const page = await facilities.get(`/bookings/${b.id}`);
    expect(page.text).to.include('Requested online by the hirer');
  });

  it('when facilities correct an online request’s details, then the change is in the audit log and the booking is screened again', async () => {
    const b = t.store.list('bookings').find((x) => x.origin === 'online')!;
    const facilities = await t.signIn('facilities@demo.test');
    const form = await facilities.get(`/bookings/${b.id}/edit`);
    expect(form.status).to.equal(200);
    const fields: Record<string, string> = {};
    for (const m of form.text.matchAll(
      /<input class="govuk-input[^"]*" id="([^"]+)" name="([^"]+)" type="[^"]+"(?: value="([^"]*)")?/g,
    ))
      fields[m[2] ?? ''] = m[3] ?? '';
    for (const m of form.text.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
      fields[m[1] ?? ''] = m[2] ?? '';
    fields.hallId = b.hallId;
    fields.openToPublic = 'yes';
    fields.version = String(b.version);
    fields['speaker-0-name'] = 'Exemplar, Jonny';
    const before = t.store.list('bookingScreenings').filter((s) => s.bookingId === b.id).length;
    const res = await facilities.post(`/bookings/${b.id}`, fields);
    expect(res.status, res.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).to.equal(303);
    const screenings = t.store.list('bookingScreenings').filter((s) => s.bookingId === b.id);
    expect(screenings.length).to.equal(before + 1);
    expect(screenings.at(-1)!.matches.map((m) => m.entryName)).to.include('Jon Q. Exemplar');
    const entries = await t.services.audit.load(await t.services.audit.search({ recordId: b.id }));
    const change = entries.find((e) => e.action === 'update' && e.actor === 'facilities@demo.test');
    expect(change, 'the correction in the audit log').to.not.equal(undefined);
    expect(JSON.stringify(change!.after)).to.include('Exemplar, Jonny');
  });

  it('when a hall is no longer marked bookable online, then the form does not offer it and a request for it is refused', async () => {
    const hallId = onlineHallId(t.store);
    const hall = t.store.get('halls', hallId)!;
    const facilities = await t.signIn('facilities@demo.test');
    const res = await facilities.post(`/halls/${hallId}`, {
      hallName: hall.name,
      capacity: String(hall.capacity),
      version: String(hall.version),
    });
    expect(res.status).to.equal(303);
    expect(t.store.get('halls', hallId)!.bookableOnline).to.equal(false);
    const formPage = await request(t.app).get('/hire');
    expect(formPage.text).not.to.include(`value="${hallId}"`);
    const refused = await request(t.app)
      .post('/api/hire-requests')
      .send(hireJson(t.store, dayAfterLeadTime(t.store, 3)));
    expect(refused.status).to.equal(400);
    expect(refused.body.errors.hallId).to.equal('Select the hall you want to hire');

    const again = await facilities.post(`/halls/${hallId}`, {
      hallName: hall.name,
      capacity: String(hall.capacity),
      bookableOnline: 'yes',
      version: String(t.store.get('halls', hallId)!.version),
    });
    expect(again.status).to.equal(303);
    expect((await request(t.app).get('/hire')).text).to.include(`value="${hallId}"`);
  });

  it('when the retention period after the event has passed, then the request’s contact address is removed and its status link shows nothing', async () => {
    const made = await request(t.app)
      .post('/api/hire-requests')
      .send(hireJson(t.store, dayAfterLeadTime(t.store, 9)));
    expect(made.status).to.equal(201);
    const statusPath = new URL(made.body.statusUrl).pathname;
    expect((await request(t.app).get(statusPath)).status).to.equal(200);
    const b = t.store.list('bookings').find((x) => x.ref === made.body.ref)!;
    await runRetention(t.store, { asOf: addMonths(b.end.slice(0, 10), 12 * 6 + 1), retentionYears: 6 });
    const stored = t.store.list('hireRequests').find((r) => r.bookingId === b.id)!;
    expect(stored.contactEmail).to.equal(null);
    expect(stored.personalDataRemoved).to.equal(true);
    const gone = await request(t.app).get(statusPath);
    expect(gone.status).to.equal(404);
    expect(gone.text).not.to.include(made.body.ref);
    // Nowhere under the database's folder (database, audit log, outbox, sent log) in a form grep reads.
    await t.store.flushed();
    const email = 'morgan.reader@example.org';
    for (const file of filesUnder(t.dir)) {
      const text = readFileSync(file, 'latin1');
      for (const form of [email, Buffer.from(email).toString('base64')])
        expect(text.includes(form), `${file} holds the hirer's email`).to.equal(false);
    }
  });
});
