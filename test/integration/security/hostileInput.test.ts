import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { get } from 'node:http';
import request from 'supertest';
import { parseBookingsCsv } from '../../../data/csv/bookingReader.js';
import { parsePremisesCsv } from '../../../data/csv/premisesReader.js';
import { parseWatchlistCsv } from '../../../data/csv/watchlistReader.js';
import { storeBytes } from '../../support/folderBytes.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';
import { LOGIN, pathFor, routePolicy, SPARE_TOKEN_NAME, SPARE_USER_EMAIL } from './routePolicy.js';
import { groupOf } from '../../support/pageParts.js';

/** 40,002 characters that make a backtracking email pattern take seconds: "a@a.a.a.…a.@". */
const HOSTILE_EMAIL = `a@${'a.'.repeat(20_000)}@`;
/** 16,000 words in reverse order: the worst case for sorting a name's words by insertion. */
const HOSTILE_NAME = Array.from({ length: 16_000 }, (_, i) => `w${16_000 - i}`).join(' ');
const HEALTH_BUDGET_MS = 200;
const ANSWER_BUDGET_MS = 1_000;

/** One GET /health on the listening server: how long the answer took (ms). */
function healthOnce(base: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(`${base}/health`, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - started)
          : reject(new Error(`health ${res.statusCode}`)),
      );
    }).on('error', reject);
  });
}

/**
 * Runs `hostile` while asking /health over and over; returns the hostile answer, how long it took, and
 * the slowest /health answer seen meanwhile (at least one is asked while the hostile request is open).
 */
async function whileHealthy<T>(base: string, hostile: () => PromiseLike<T>) {
  let done = false;
  const started = performance.now();
  const pending = Promise.resolve(hostile()).finally(() => {
    done = true;
  });
  const healthTimes: number[] = [];
  const probe = (async () => {
    do healthTimes.push(await healthOnce(base));
    while (!done);
  })();
  const answer = await pending;
  const tookMs = performance.now() - started;
  await probe;
  return { answer, tookMs, slowestHealthMs: Math.max(...healthTimes) };
}

/**
 * Up to three tries of a timed hostile request, passing on the first within both budgets: a hostile value
 * that stalls the server does so every time, while a busy test machine only sometimes delays an answer.
 */
async function timedTries<T>(
  base: string,
  hostile: (attempt: number) => PromiseLike<T>,
): Promise<{ answer: T; tookMs: number; slowestHealthMs: number }> {
  let last: { answer: T; tookMs: number; slowestHealthMs: number } | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    last = await whileHealthy(base, () => hostile(attempt));
    if (last.tookMs < ANSWER_BUDGET_MS && last.slowestHealthMs < HEALTH_BUDGET_MS) return last;
  }
  return last!;
}

describe('Security: hostile input is refused at once and never stalls other requests (SPEC §10)', () => {
  let t: TestApp;
  let server: Server;
  let base: string;
  let coordinator: TestAgent;

  before(async () => {
    t = await startTestApp();
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    coordinator = await t.signIn('coordinator@demo.test');
    // The records routePolicy.ts points the user and token routes at.
    await t.services.users.create('test', { email: SPARE_USER_EMAIL, name: 'Spare Account', role: 'viewer' });
    await t.services.apiTokens.create('test', SPARE_TOKEN_NAME);
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await t.close();
  });

  it('when a 40,000-character email and a 16,000-word name are sent to sign-in, then it answers within a second with field errors while /health stays fast', async () => {
    const agent = request.agent(base);
    const page = await agent.get('/login');
    const csrf = groupOf(/name="_csrf" value="([^"]+)"/, page.text);
    const { answer, tookMs, slowestHealthMs } = await timedTries(base, () =>
      agent.post('/login').type('form').send({ _csrf: csrf, email: HOSTILE_EMAIL, password: HOSTILE_NAME }),
    );
    expect(answer.status).to.equal(400);
    expect(answer.text).to.include('Email address must be 254 characters or fewer');
    expect(answer.text).to.include('Password must be 256 characters or fewer');
    expect(answer.text).to.include('href="#email"');
    expect(tookMs).to.be.below(ANSWER_BUDGET_MS);
    expect(slowestHealthMs).to.be.below(HEALTH_BUDGET_MS);
  });

  it('when every form is sent a 40,000-character email, a 16,000-word name and over-long free text, then each answers 400 naming the fields, nothing changes, and /health stays fast', async () => {
    // The staff app's forms (those that send an anonymous visitor to sign in). The public pages
    // (server/public/) come before it with their own limits and throttles, and their own tests.
    const posts = Object.entries(routePolicy).filter(
      ([k, policy]) => k.startsWith('POST ') && k !== 'POST /login' && policy.expect.anonymous === LOGIN,
    );
    expect(posts.length).to.be.greaterThan(40);
    const before = await storeBytes(t.store, t.dir);
    const wrong: string[] = [];
    for (const [key, policy] of posts) {
      const path = pathFor(t.store, key, policy);
      const { answer, tookMs, slowestHealthMs } = await timedTries(base, () =>
        coordinator.agent
          .post(path)
          .type('form')
          .send({
            _csrf: coordinator.csrf,
            email: HOSTILE_EMAIL,
            name: HOSTILE_NAME,
            notes: 'x'.repeat(6_000),
          }),
      );
      const named =
        answer.text.includes('must be 254 characters or fewer') &&
        answer.text.includes('must be 200 characters or fewer') &&
        answer.text.includes('must be 5,000 characters or fewer');
      // Public pages (hall hire, school returns) answer before any session: a staff session's form with
      // hostile fields gets their own refusal (a body over their limit, a personal link it does not hold),
      // never a 2xx or 5xx; their field limits are tested with their own forms.
      const isPublic = / \/(hire|api\/hire-requests|r\/)/.test(key);
      if (isPublic ? answer.status < 400 || answer.status >= 500 : answer.status !== 400 || !named)
        wrong.push(`${key}: ${answer.status}`);
      if (tookMs >= ANSWER_BUDGET_MS) wrong.push(`${key}: answered in ${Math.round(tookMs)} ms`);
      if (slowestHealthMs >= HEALTH_BUDGET_MS)
        wrong.push(`${key}: /health took ${Math.round(slowestHealthMs)} ms`);
    }
    expect(wrong).to.deep.equal([]);
    expect(await storeBytes(t.store, t.dir)).to.deep.equal(before);
  });

  it('when a booking carries the longest names each field allows, in the worst word order, then it is saved at once while /health stays fast', async () => {
    const words = (n: number) =>
      Array.from({ length: n }, (_, i) => String.fromCharCode(122 - (i % 26))).join(' ');
    const hall = itemAt(t.store.list('halls'), 0);
    const day = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10).split('-');
    const { answer, tookMs, slowestHealthMs } = await timedTries(base, (attempt) =>
      coordinator.post('/bookings', {
        ref: `HOSTILE-${attempt}`,
        hallId: hall.id,
        'start-day': String(Number(day[2])),
        'start-month': String(Number(day[1])),
        'start-year': day[0] ?? '',
        startTime: '18:00',
        endTime: '20:00',
        hirerName: words(100),
        organisation: words(100),
        otherNames: words(2_500),
        'speaker-0-name': words(100),
        'speaker-0-aliases': words(2_500),
        hirerEmail: `${'a'.repeat(120)}@${'b.'.repeat(60)}uk`,
      }),
    );
    expect(answer.status, answer.text.slice(0, 300)).to.equal(303);
    expect(tookMs).to.be.below(ANSWER_BUDGET_MS);
    expect(slowestHealthMs).to.be.below(HEALTH_BUDGET_MS);
  });

  it('when an import file has a 40,000-character email and a 16,000-word name, then each is refused by row and column within a second', () => {
    const bookings = Buffer.from(
      'booking_ref,premises_ref,hall,start,end,event_title,purpose,expected_attendance,open_to_public,hirer_name,organisation,other_names,charity_number,company_number,speakers,booking_officer_email\n' +
        `B-1,NB-001,Main Hall,2027-01-01T10:00,2027-01-01T12:00,,,,,${HOSTILE_NAME},,,,,,a@b.uk\n` +
        `B-2,NB-001,Main Hall,2027-01-01T10:00,2027-01-01T12:00,,,,,Ann,,,,,${HOSTILE_NAME},${HOSTILE_EMAIL}\n`,
    );
    const premises = Buffer.from(
      'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk,site_manager_email\n' +
        `P-1,Hall,,,,,,,,,,${HOSTILE_EMAIL}\n`,
    );
    const watchlist = Buffer.from(`name,aliases,type,source,listed_on\n${HOSTILE_NAME},,person,Test,\n`);
    const started = performance.now();
    const b = parseBookingsCsv(bookings);
    const p = parsePremisesCsv(premises);
    const w = parseWatchlistCsv(watchlist);
    expect(performance.now() - started).to.be.below(ANSWER_BUDGET_MS);
    expect(b.rows).to.deep.equal([]);
    expect(b.errors.map((e) => [e.row, e.column])).to.deep.equal([
      [2, 'hirer_name'],
      [3, 'speakers'],
    ]);
    expect(b.errors[0]?.message).to.include('at most 200');
    expect(p.errors.map((e) => [e.row, e.column])).to.deep.equal([[2, 'site_manager_email']]);
    expect(w.errors.map((e) => [e.row, e.column])).to.deep.equal([[2, 'name']]);
  });
});
