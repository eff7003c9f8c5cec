import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { PgStore } from '../../../data/pg/pgStore.js';
import { getTemplate } from '../../../checks/templates/index.js';
import { premisesAudit } from '../../../checks/templates/premisesAudit.js';
import { newBookingForm } from '../../support/bookingForms.js';
import { formFields } from '../../support/formFields.js';
import {
  dayAfterLeadTime,
  hiddenFields,
  hireForm,
  onlineHallId,
  publicCsrf,
} from '../../support/hireRequests.js';
import { createTestPgDatabase, type TestPgDatabase } from '../../support/pgDatabase.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

const BASE_URL = 'https://dueregard.example.gov.uk';
const LINK = /https:\/\/dueregard\.example\.gov\.uk\/r\/([A-Za-z0-9_-]{43})/;
const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

/** Waits (reading memory only) until `seen` holds, or fails after `ms`. */
async function until(what: string, seen: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!seen()) {
    if (Date.now() - start > ms) throw new Error(`Not seen within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Issue 19: a decision made on memory before `store.transact` can be stale on PostgreSQL. The same submit
 * sent at once through two app instances on one database must be recorded exactly once, and both answers
 * must be what a person expects (the confirmation twice), never an error, a 409 or a 500.
 */
describe('The same submit sent at once through two instances on one PostgreSQL database', function () {
  this.timeout(60_000);
  let db: TestPgDatabase;
  let sink: SmtpSink;
  let a: TestApp;
  let b: TestApp;

  /** Live rows of a collection in the database itself (not either instance's memory), containing `text`. */
  async function rowsIn(collection: string, text = ''): Promise<number> {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const r = await client.query<{ n: string }>(
        'SELECT count(*) AS n FROM records WHERE collection = $1 AND body IS NOT NULL AND strpos(body, $2) > 0',
        [collection, text],
      );
      return Number(r.rows[0]?.n ?? 0);
    } finally {
      await client.end();
    }
  }

  /** How many accounts have this email, as a store opened afresh on the database reads them. */
  async function accountsWith(email: string): Promise<number> {
    const reader = await PgStore.open(db.url, {
      path: join(tmpdir(), 'dueregard-reader.json'),
      write: false,
    });
    try {
      return reader.list('users').filter((u) => u.email === email).length;
    } finally {
      await reader.close();
    }
  }

  before(async () => {
    db = await createTestPgDatabase('same_submit');
    sink = await startSmtpSink();
    const config = {
      databaseUrl: db.url,
      smtpUrl: sink.url,
      baseUrl: BASE_URL,
      secureCookies: false,
      reminderRetrySeconds: 0,
    };
    a = await startTestApp({ config });
    // The second reads the demo the first put in the shared database.
    b = await startTestApp({ config, demo: false });
  });
  after(async () => {
    for (const t of [a, b]) {
      t.services.notifications.close();
      t.services.reminders.close();
      await t.close();
    }
    await sink.close();
    await db.drop();
  });

  it('when a hall-hire check-answers page is sent to both at once, then one request is made and both show its confirmation', async () => {
    const agent = request.agent(a.app);
    const page = await agent.get('/hire');
    const cookie = String(page.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    const check = await agent
      .post('/hire')
      .type('form')
      .send({
        _csrf: publicCsrf(page.text),
        ...hireForm(a.store, dayAfterLeadTime(a.store, 3)),
        action: 'continue',
      });
    expect(check.status, errorList(check.text)).to.equal(200);
    const send = { ...hiddenFields(check.text), action: 'send' };
    const before = await rowsIn('hireRequests');

    const [onA, onB] = await Promise.all(
      [a, b].map((t) => request(t.app).post('/hire').set('Cookie', cookie).type('form').send(send)),
    );
    for (const res of [onA, onB]) {
      expect(res?.status, errorList(res?.text ?? '')).to.equal(200);
      expect(res?.text).to.include('Request sent');
    }
    const ref = (html = '') => /(WEB-[A-Z0-9]+)/.exec(html)?.[1];
    expect(ref(onA?.text)).to.be.a('string');
    expect(ref(onB?.text), 'the same reference on both').to.equal(ref(onA?.text));
    expect(await rowsIn('hireRequests'), 'one request recorded').to.equal(before + 1);
  });

  it('when a school submits its return through both at once, then it is submitted once and both show the receipt', async () => {
    const education = await a.signIn('education@demo.test');
    expect((await education.post('/schools/returns', { scope: 'all' })).status).to.equal(303);
    const mail = sink.received.find((m) => m.to.includes('g.lloyd@hillcrest.example.sch.uk'));
    const token = mail ? LINK.exec(mail.decoded)?.[1] : undefined;
    if (!token) throw new Error('no return link sent to the Hillcrest lead');
    const base = `/r/${token}`;
    const onA = () => request(a.app);
    const leads = await onA().post(`${base}/leads`).type('form').send({
      'lead-0-still': 'yes',
      'lead-0-name': 'Gareth Lloyd',
      'lead-0-role': 'dsl',
      'lead-0-email': 'g.lloyd@hillcrest.example.sch.uk',
      'lead-0-phone': '020 7946 0303',
    });
    expect(leads.status, errorList(leads.text)).to.equal(303);
    expect((await onA().post(`${base}/training/done`).type('form').send({})).status).to.equal(303);
    const answers = Object.fromEntries(
      getTemplate('school-audit').questions.map((q) => [`answer-${q.id}`, 'yes']),
    );
    const audit = await onA().post(`${base}/audit`).type('form').send(answers);
    expect(audit.status, errorList(audit.text)).to.equal(303);
    const hillcrest = a.store.list('schools').find((s) => s.urn === '190003');
    const draft = a.store.list('schoolReturns').find((r) => r.schoolId === hillcrest?.id);
    if (draft?.status !== 'draft') throw new Error('no draft return for Hillcrest');
    await until(
      'the draft on the second instance',
      () => b.store.get('schoolReturns', draft.id)?.version === draft.version,
    );
    const reviewsBefore = await rowsIn('reviews');

    const attestation = { 'attest-name': 'Gareth Lloyd', 'attest-role': 'Designated safeguarding lead' };
    const [sentA, sentB] = await Promise.all(
      [a, b].map((t) => request(t.app).post(`${base}/submit`).type('form').send(attestation)),
    );
    for (const res of [sentA, sentB]) {
      expect(res?.status, errorList(res?.text ?? '')).to.equal(303);
      expect(res?.headers.location).to.equal(base);
      const receipt = await request(a.app).get(base);
      expect(receipt.text).to.include('Return submitted');
    }
    expect(await rowsIn('reviews'), 'one audit recorded').to.equal(reviewsBefore + 1);
  });

  it('when a reviewer submits a checked audit through both at once, then it is submitted once and both go to the confirmation', async () => {
    const [franA, franB] = await Promise.all([
      a.signIn('facilities@demo.test'),
      b.signIn('facilities@demo.test'),
    ]);
    const premises = a.store.list('premises').find((p) => p.ref === 'NB-011');
    if (!premises) throw new Error('no demo premises NB-011');
    const started = await franA.post('/reviews/start', {
      subjectType: 'premises',
      subjectId: premises.id,
      from: 'blank',
    });
    const path = String(started.headers.location);
    const id = path.split('/').pop() ?? '';
    const form: Record<string, string | string[]> = {
      ...formFields((await franA.get(path)).text, path),
      intent: 'check',
    };
    for (const q of premisesAudit.questions) form[`answer-${q.id}`] = 'yes';
    const continued = await franA.post(path, form);
    expect(continued.status, errorList(continued.text)).to.equal(303);
    const version = a.store.get('reviews', id)?.version ?? 0;
    await until(
      'the checked draft on the second instance',
      () => b.store.get('reviews', id)?.version === version,
    );

    const pages = await Promise.all([franA.get(`${path}/check`), franB.get(`${path}/check`)]);
    const [sentA, sentB] = await Promise.all(
      [franA, franB].map((fran, i) => {
        const html = pages[i]?.text ?? '';
        return fran.post(path, {
          ...formFields(html.slice(html.lastIndexOf('<form')), path),
          intent: 'submit',
        });
      }),
    );
    for (const res of [sentA, sentB]) {
      expect(res?.status, errorList(res?.text ?? '')).to.equal(303);
      expect(res?.headers.location).to.equal(`${path}/confirmation`);
    }
    await until('the submission on both', () =>
      [a, b].every((t) => t.store.get('reviews', id)?.status === 'submitted'),
    );
    expect(a.store.get('reviews', id)?.version, 'one change made it final').to.equal(version + 1);
    expect(b.store.get('reviews', id)?.version).to.equal(version + 1);
  });

  it('when a new booking with one reference is saved through both at once, then one is made and the other is told the reference is taken', async () => {
    const [staffA, staffB] = await Promise.all([
      a.signIn('facilities@demo.test'),
      b.signIn('facilities@demo.test'),
    ]);
    const form = newBookingForm(onlineHallId(a.store), dayAfterLeadTime(a.store, 40), { ref: 'NB-H-7001' });
    const answers = await Promise.all([staffA.post('/bookings', form), staffB.post('/bookings', form)]);
    expect(
      answers.map((r) => r.status).sort(),
      answers.map((r) => errorList(r.text)).join('\n'),
    ).to.deep.equal([303, 400]);
    const refused = answers.find((r) => r.status === 400);
    expect(errorList(refused?.text ?? '')).to.include('Booking NB-H-7001 already exists');
    expect(await rowsIn('bookings', '"ref":"NB-H-7001"'), 'one booking with the reference').to.equal(1);
  });

  it('when one new account is added through both at once, then one account is made and the other is told it exists', async () => {
    const [coordA, coordB] = await Promise.all([
      a.signIn('coordinator@demo.test'),
      b.signIn('coordinator@demo.test'),
    ]);
    const form = { name: 'Femi Facilities', email: 'femi@northbrook.test', role: 'facilities' };
    const answers = await Promise.all([coordA.post('/users', form), coordB.post('/users', form)]);
    expect(
      answers.map((r) => r.status).sort(),
      answers.map((r) => errorList(r.text)).join('\n'),
    ).to.deep.equal([303, 400]);
    const refused = answers.find((r) => r.status === 400);
    expect(errorList(refused?.text ?? '')).to.include('An account with this email address already exists');
    expect(await accountsWith('femi@northbrook.test'), 'one account').to.equal(1);
  });

  it('when new premises with one reference are saved through both at once, then one is made and the other is told the reference is taken', async () => {
    const [staffA, staffB] = await Promise.all([
      a.signIn('facilities@demo.test'),
      b.signIn('facilities@demo.test'),
    ]);
    const form = { ref: 'UPRN-7001', name: 'Riverside Annexe', postcode: '', uprn: '', risk: '' };
    const answers = await Promise.all([staffA.post('/premises', form), staffB.post('/premises', form)]);
    expect(
      answers.map((r) => r.status).sort(),
      answers.map((r) => errorList(r.text)).join('\n'),
    ).to.deep.equal([303, 400]);
    expect(errorList(answers.find((r) => r.status === 400)?.text ?? '')).to.include(
      'Premises UPRN-7001 already exists',
    );
    expect(await rowsIn('premises', '"ref":"UPRN-7001"'), 'one building with the reference').to.equal(1);
  });
});
