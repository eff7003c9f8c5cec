import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import request from 'supertest';
import { formatDate } from '../../../checks/londonDates.js';
import { earliestOnlineStart } from '../../../checks/hireRules.js';
import { londonDate } from '../../../checks/londonDates.js';
import {
  dayAfterLeadTime,
  hireForm,
  hireJson,
  onlineHallId,
  publicCsrf,
  sendThroughForm,
} from '../../support/hireRequests.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

const BASE_URL = 'https://halls.example.gov.uk';

async function until<T>(what: string, fn: () => T | undefined, ms = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every text of the watch lists: entry names, aliases and the lists' sources. */
function watchListTexts(t: TestApp): string[] {
  return [
    ...t.store.list('watchlistEntries').flatMap((e) => [e.name, ...e.aliases]),
    ...t.store.list('watchlists').map((l) => l.source),
  ];
}

describe('Hall hire from the public: a request with a watch-listed speaker, refused with a reason for the hirer', () => {
  let t: TestApp;
  let sink: SmtpSink;
  before(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({
      config: { smtpUrl: sink.url, baseUrl: BASE_URL, secureCookies: false, reminderRetrySeconds: 0 },
    });
  });
  after(async () => {
    t.services.notifications.close();
    await t.close();
    await sink.close();
  });

  let bookingId = '';
  let statusPath = '';

  it('when a speaker’s name matches the watch list, then a provisional online booking is made with the match flagged, and the hirer’s acknowledgement names no match', async () => {
    const agent = request.agent(t.app);
    const day = dayAfterLeadTime(t.store);
    const { check, sent } = await sendThroughForm(
      agent,
      hireForm(t.store, day, { 'speaker-0-name': 'Exemplar, Jonny', 'speaker-0-affiliation': '' }),
    );
    expect(check.status).to.equal(200);
    expect(check.text).to.include('Check your answers before sending your request');
    expect(sent.status).to.equal(200);
    expect(sent.text).to.include('Request sent');
    const ref = /Your reference is<br><strong>(WEB-[A-Z0-9]+)<\/strong>/.exec(sent.text)?.[1];
    expect(ref, 'reference on the confirmation').to.be.a('string');

    const booking = t.store.list('bookings').find((b) => b.ref === ref)!;
    bookingId = booking.id;
    expect(booking.status).to.equal('provisional');
    expect(booking.origin).to.equal('online');
    expect(booking.speakers.map((s) => s.name)).to.deep.equal(['Exemplar, Jonny']);
    expect(booking.bookingOfficerEmail).to.equal('facilities@demo.test');
    const screening = t.store.list('bookingScreenings').find((s) => s.bookingId === booking.id)!;
    expect(screening.matches.map((m) => m.entryName)).to.include('Jon Q. Exemplar');
    const flags = t.services.flags.all(londonDate(t.store.now()));
    expect(flags.some((f) => f.rule === 'booking-watchlist-match' && f.subject.id === booking.id)).to.equal(
      true,
    );

    statusPath = groupOf(/href="(\/hire\/[A-Za-z0-9_-]{43})"/, sent.text);
    expect(sent.text).to.include(`${BASE_URL}${statusPath}`);
    const ack = await until('the acknowledgement', () =>
      sink.received.find((m) => m.to.includes('morgan.reader@example.org')),
    );
    expect(ack.subject).to.include(ref!);
    expect(ack.decoded).to.include(`${BASE_URL}${statusPath}`);
    for (const text of watchListTexts(t)) expect(ack.decoded, 'acknowledgement').not.to.include(text);
    expect(ack.decoded).not.to.match(/watch list|screen|match/i);
    // The premises' booking officer hears of the request at once, told a name matches.
    const officer = await until('the booking officer’s email', () =>
      sink.received.find((m) => m.to.includes('facilities@demo.test') && m.subject.includes(ref!)),
    );
    expect(officer.decoded).to.include('A name on it matches the watch list');
  });

  it('when the coordinator refuses it with a reason for the hirer, then the hirer’s email and status page give exactly that reason and nothing of the screening', async () => {
    const coordinator = await t.signIn('coordinator@demo.test');
    const reason = 'The programme does not meet the terms of hire for this hall.';
    const rationale =
      'Speaker matches Jon Q. Exemplar on the proscribed list; internal note: police informed.';
    const page = await coordinator.get(`/bookings/${bookingId}/decision`);
    expect(page.status).to.equal(200);
    const version = groupOf(/name="version" value="(\d+)"/, page.text);
    const refusedWithoutReason = await coordinator.post(`/bookings/${bookingId}/decision`, {
      decision: 'refused',
      rationale,
      expression: 'Weighed.',
      equality: 'Considered.',
      alternatives: 'Conditions would not answer the risk.',
      version,
    });
    expect(refusedWithoutReason.status).to.equal(400);
    expect(refusedWithoutReason.text).to.include('Give the reason the hirer will be told');

    const res = await coordinator.post(`/bookings/${bookingId}/decision`, {
      decision: 'refused',
      rationale,
      reasonForHirer: reason,
      expression: 'Weighed.',
      equality: 'Considered.',
      alternatives: 'Conditions would not answer the risk.',
      version,
    });
    expect(res.status).to.equal(303);
    const decisionEmail = await until('the hirer’s decision email', () =>
      sink.received.find((m) => m.to.includes('morgan.reader@example.org') && m.subject.includes('refused')),
    );
    expect(decisionEmail.decoded).to.include(`The council’s reason: ${reason}`);
    const status = await request(t.app).get(statusPath);
    expect(status.status).to.equal(200);
    expect(status.text).to.include('Refused');
    expect(status.text).to.include(reason);
    for (const received of [decisionEmail.decoded, status.text]) {
      expect(received).not.to.include('internal note');
      expect(received).not.to.include('Weighed.');
      for (const text of watchListTexts(t)) expect(received).not.to.include(text);
    }
    // Everything the hirer was ever sent: no watch-list text in any of it.
    const toHirer = sink.received.filter((m) => m.to.includes('morgan.reader@example.org'));
    expect(toHirer).to.have.length(2);
    for (const m of toHirer) for (const text of watchListTexts(t)) expect(m.decoded).not.to.include(text);
  });

  it('when an unknown or altered status link is opened, then 404 with a page naming no request', async () => {
    const altered = `${statusPath.slice(0, -1)}${statusPath.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [altered, '/hire/not-a-token', `/hire/${'x'.repeat(43)}`]) {
      const res = await request(t.app).get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text).to.include('Page not found');
      expect(res.text).not.to.include('WEB-');
    }
  });

  it('when the status link’s token is looked for in the database, then only its hash is there', () => {
    const token = statusPath.split('/').pop()!;
    const stored = JSON.stringify(t.store.list('hireRequests'));
    expect(stored).not.to.include(token);
  });
});

describe('Hall hire from the public: abuse controls', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { reminderRetrySeconds: 0 } });
  });
  after(async () => {
    t.services.notifications.close();
    await t.close();
  });

  it('when a start inside the lead time is asked for, then it is refused saying the earliest date (form and JSON)', async () => {
    const today = londonDate(t.store.now());
    const earliest = earliestOnlineStart(today);
    const agent = request.agent(t.app);
    const page = await agent.get('/hire');
    const tooSoon = await agent
      .post('/hire')
      .type('form')
      .send({ _csrf: publicCsrf(page.text), ...hireForm(t.store, today), action: 'continue' });
    expect(tooSoon.status).to.equal(400);
    expect(tooSoon.text).to.include(`The event must be on or after ${formatDate(earliest)}`);
    const api = await request(t.app).post('/api/hire-requests').send(hireJson(t.store, today));
    expect(api.status).to.equal(400);
    expect(api.body.errors.start).to.include(formatDate(earliest));
    expect(t.store.list('hireRequests')).to.have.length(0);
  });

  it('when the JSON API gets bad input, then 400 with every field’s error and nothing saved', async () => {
    const res = await request(t.app)
      .post('/api/hire-requests')
      .send({
        hirerName: 'x'.repeat(201),
        hirerEmail: 'not-an-email',
        speakers: [{ affiliation: 'Somewhere' }],
      });
    expect(res.status).to.equal(400);
    expect(Object.keys(res.body.errors)).to.include.members([
      'hallId',
      'start',
      'eventTitle',
      'hirerName',
      'hirerEmail',
      'speakers.0.name',
      'agreeTerms',
    ]);
    expect(res.body.errors.hirerName).to.equal('Your name must be 200 characters or fewer');
    expect(t.store.list('bookings').filter((b) => b.origin === 'online')).to.have.length(0);
  });

  it('when the form is posted without its token, or the honeypot is filled, then nothing is saved', async () => {
    const day = dayAfterLeadTime(t.store);
    const noToken = await request(t.app)
      .post('/hire')
      .type('form')
      .send({ ...hireForm(t.store, day), action: 'send' });
    expect(noToken.status).to.equal(403);
    const agent = request.agent(t.app);
    const { sent } = await sendThroughForm(agent, hireForm(t.store, day, { website: 'http://spam.example' }));
    expect(sent.status).to.equal(400);
    expect(t.store.list('hireRequests')).to.have.length(0);
  });

  it('when the check-answers page is sent twice, then one request is made', async () => {
    const agent = request.agent(t.app);
    const day = dayAfterLeadTime(t.store, 1);
    const page = await agent.get('/hire');
    const check = await agent
      .post('/hire')
      .type('form')
      .send({ _csrf: publicCsrf(page.text), ...hireForm(t.store, day), action: 'continue' });
    expect(check.status, check.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>/)?.[0]).to.equal(200);
    const hidden: Record<string, string> = {};
    for (const m of check.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
      hidden[m[1] ?? ''] = m[2] ?? '';
    const first = await agent
      .post('/hire')
      .type('form')
      .send({ ...hidden, action: 'send' });
    const second = await agent
      .post('/hire')
      .type('form')
      .send({ ...hidden, action: 'send' });
    expect(
      first.status,
      first.text.match(/govuk-error-summary__list[\s\S]*?<\/ul>|<h1[^>]*>[^<]*/)?.[0],
    ).to.equal(200);
    expect(second.status).to.equal(200);
    const ref = (r: request.Response) => /(WEB-[A-Z0-9]+)/.exec(r.text)?.[1];
    expect(ref(second)).to.equal(ref(first));
    expect(t.store.list('hireRequests')).to.have.length(1);
  });

  it('when the JSON API request is sent again with the same Idempotency-Key, then it gets the request it made; other fields make a new one', async () => {
    const before = t.store.list('hireRequests').length;
    const body = hireJson(t.store, dayAfterLeadTime(t.store, 40));
    const send = (key: string, b: object) =>
      request(t.app).post('/api/hire-requests').set('Idempotency-Key', key).send(b);
    const key = '5f0c7c3e-2b1d-4e8a-9a51-0d5c1e7f2a10';
    const first = await send(key, body);
    const again = await send(key, body);
    expect(first.status).to.equal(201);
    expect(first.headers['idempotent-replayed']).to.equal(undefined);
    expect(again.status).to.equal(201);
    expect(again.headers['idempotent-replayed']).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    expect(t.store.list('hireRequests')).to.have.length(before + 1);
    // The same key with other fields (a careless reuse, or a guess at someone's key) reveals nothing.
    const other = await send(key, hireJson(t.store, dayAfterLeadTime(t.store, 42)));
    expect(other.status).to.equal(201);
    expect(other.body.ref).to.not.equal(first.body.ref);
    expect(other.body.statusUrl).to.not.equal(first.body.statusUrl);
    expect(t.store.list('hireRequests')).to.have.length(before + 2);
  });

  it('when the Idempotency-Key is too short, too long or has spaces, then 400 saying so and nothing saved', async () => {
    const before = t.store.list('hireRequests').length;
    for (const key of ['short', 'x'.repeat(256), 'has a space in it']) {
      const res = await request(t.app)
        .post('/api/hire-requests')
        .set('Idempotency-Key', key)
        .send(hireJson(t.store, dayAfterLeadTime(t.store, 41)));
      expect(res.status, key).to.equal(400);
      expect(res.body.error).to.equal(
        'The Idempotency-Key header must be 8 to 255 letters, digits or punctuation marks, without spaces',
      );
    }
    expect(t.store.list('hireRequests')).to.have.length(before);
  });

  it('when one address sends a 6th request within an hour, then it gets 429 and nothing is saved', async () => {
    const before = t.store.list('hireRequests').length;
    const answers: number[] = [];
    for (let i = 0; i < 6 - before; i++) {
      const res = await request(t.app)
        .post('/api/hire-requests')
        .send(hireJson(t.store, dayAfterLeadTime(t.store, 2 + i)));
      answers.push(res.status);
      if (res.status === 201) {
        expect(res.body.ref).to.match(/^WEB-/);
        expect(res.body.statusUrl).to.match(/\/hire\/[A-Za-z0-9_-]{43}$/);
      }
    }
    expect(answers.slice(0, -1).every((s) => s === 201)).to.equal(true);
    expect(answers.at(-1)).to.equal(429);
    expect(t.store.list('hireRequests')).to.have.length(5);
    const form = await sendThroughForm(
      request.agent(t.app),
      hireForm(t.store, dayAfterLeadTime(t.store, 20)),
    );
    expect(form.sent.status).to.equal(429);
  });

  it('when a request made with an Idempotency-Key is sent again after the address reached its limit, then it gets the request it made, and a new one 429', async () => {
    const made = t.store.list('hireRequests').length;
    const body = hireJson(t.store, dayAfterLeadTime(t.store, 40));
    const key = '5f0c7c3e-2b1d-4e8a-9a51-0d5c1e7f2a10';
    const replay = await request(t.app).post('/api/hire-requests').set('Idempotency-Key', key).send(body);
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotent-replayed']).to.equal('true');
    const fresh = await request(t.app)
      .post('/api/hire-requests')
      .set('Idempotency-Key', 'a-key-never-used-before')
      .send(hireJson(t.store, dayAfterLeadTime(t.store, 43)));
    expect(fresh.status).to.equal(429);
    expect(t.store.list('hireRequests')).to.have.length(made);
  });

  it('when a public page is served, then it sets no staff session cookie and shows no staff navigation', async () => {
    const res = await request(t.app).get('/hire');
    expect(res.status).to.equal(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
    expect(cookies.some((c) => c.startsWith('dueregard='))).to.equal(false);
    expect(res.text).not.to.include('govuk-service-navigation');
    expect(res.text).not.to.include('/bookings');
    expect(await t.services.sessions.count()).to.equal(0);
    // A visitor who made a request holds nothing that opens a staff page.
    const visitor = request.agent(t.app);
    await sendThroughForm(visitor, hireForm(t.store, dayAfterLeadTime(t.store, 30)));
    for (const path of ['/bookings', '/', '/hirers/x']) {
      const staff = await visitor.get(path);
      expect(staff.status, path).to.equal(303);
      expect(staff.headers.location).to.match(/^\/login/);
    }
    expect((await visitor.get('/api/flags')).status).to.equal(401);
    expect(onlineHallId(t.store)).to.be.a('string');
  });
});
