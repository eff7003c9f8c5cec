import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import request from 'supertest';
import { addDays, londonDate } from '../../../checks/londonDates.js';
import { getTemplate } from '../../../checks/templates/index.js';
import { ReminderLog, reminderLogPathFor } from '../../../data/store/reminderLog.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const BASE_URL = 'https://returns.example.gov.uk';
const LINK = /https:\/\/returns\.example\.gov\.uk\/r\/([A-Za-z0-9_-]{43})/;

/** The personal link token in the email sent to `to` (the latest one). */
function tokenSentTo(sink: SmtpSink, to: string, subject = 'Annual Prevent return for'): string {
  const mail = sink.received.filter((m) => m.to.includes(to) && m.subject.includes(subject)).at(-1);
  if (!mail) throw new Error(`No email to ${to} with "${subject}"`);
  const m = LINK.exec(mail.decoded);
  if (!m) throw new Error(`No link in the email to ${to}`);
  return m[1]!;
}

/** Every audit question answered "yes" (the form's field names). */
function allYes(): Record<string, string> {
  return Object.fromEntries(getTemplate('school-audit').questions.map((q) => [`answer-${q.id}`, 'yes']));
}

describe('HTTP: schools’ annual return by personal link (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let education: TestAgent;
  let today: string;
  const school = (urn: string) => t.store.list('schools').find((s) => s.urn === urn)!;
  const flagsOf = (urn: string) =>
    t.services.flags
      .all(today)
      .filter((f) => f.subject.type === 'school' && f.subject.ref === urn)
      .map((f) => f.rule)
      .sort();
  const anon = () => request(t.app);

  before(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: sink.url, baseUrl: BASE_URL, secureCookies: false } });
    today = londonDate(t.store.now());
    education = await t.signIn('education@demo.test');
  });
  after(async () => {
    t.services.reminders.close();
    await t.close();
    await sink.close();
  });

  it('when the education team sends the returns, then each current lead with an email gets one email with a personal link, and schools without one are listed as not sent', async () => {
    const res = await education.post('/schools/returns', { scope: 'all' });
    expect(res.status).to.equal(303);
    const leads = [
      'p.shah@northbrook-academy.example.sch.uk',
      't.whitfield@northbrook-academy.example.sch.uk',
      'g.lloyd@hillcrest.example.sch.uk',
      'a.rahman@eastgate6f.example.sch.uk',
    ];
    const invitations = sink.received.filter((m) => m.subject.startsWith('Annual Prevent return for'));
    expect(invitations.map((m) => m.to.join()).sort()).to.deep.equal([...leads].sort());
    for (const m of invitations) expect(m.decoded).to.match(LINK);
    const tokens = invitations.map((m) => LINK.exec(m.decoded)![1]);
    expect(new Set(tokens).size, 'each lead has a link of their own').to.equal(tokens.length);
    // Only hashes are stored: no token appears anywhere in the database or its log.
    const stored = readFileSync(`${t.dbPath.replace(/\.json$/, '')}.audit.jsonl`, 'utf8');
    for (const token of tokens) expect(stored).to.not.include(token);

    const page = await education.get('/schools/returns');
    expect(page.status).to.equal(200);
    const row = (urn: string) => page.text.slice(page.text.indexOf(`id="school-${urn}"`)).split('</tr>')[0]!;
    expect(row('190003')).to.include('Sent');
    expect(row('190002')).to.include('Not sent').and.to.include('No lead email address');
    expect(row('190005')).to.include('Not sent').and.to.include('Add one');
  });

  it('when the link is opened without an account, then it shows the school’s task list and the status becomes opened', async () => {
    const token = tokenSentTo(sink, 'g.lloyd@hillcrest.example.sch.uk');
    const res = await anon().get(`/r/${token}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Hillcrest All-Through School').and.to.include('Annual Prevent return');
    expect(res.text).to.include('govuk-task-list').and.to.include('/r/privacy');
    expect(res.text, 'no staff navigation or sign-in')
      .to.not.include('Sign out')
      .and.to.not.include('href="/schools');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['referrer-policy']).to.equal('same-origin');
    const ret = t.store.list('schoolReturns').find((r) => r.schoolId === school('190003').id)!;
    expect(ret.status).to.equal('opened');
    const log = readFileSync(`${t.dbPath.replace(/\.json$/, '')}.audit.jsonl`, 'utf8');
    expect(log).to.include('g.lloyd@hillcrest.example.sch.uk via return link');
  });

  it('when the school saves a draft and comes back, then its answers are kept and submitting records the audit, the lead, the training and the flags change', async () => {
    const token = tokenSentTo(sink, 'g.lloyd@hillcrest.example.sch.uk');
    const base = `/r/${token}`;
    const hillcrest = school('190003');
    expect(flagsOf('190003')).to.include('spoc-training-expired');

    // The leads task: Gareth Lloyd confirmed with a new phone number.
    const leadsPage = await anon().get(`${base}/leads`);
    expect(leadsPage.text).to.include('Gareth Lloyd');
    const bad = await anon().post(`${base}/leads`).type('form').send({
      'lead-0-still': 'yes',
      'lead-0-name': '',
      'lead-0-role': 'dsl',
      'lead-0-email': 'not an email',
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.include('govuk-error-summary').and.to.include('Enter the full name');
    const okLeads = await anon().post(`${base}/leads`).type('form').send({
      'lead-0-still': 'yes',
      'lead-0-name': 'Gareth Lloyd',
      'lead-0-role': 'dsl',
      'lead-0-email': 'g.lloyd@hillcrest.example.sch.uk',
      'lead-0-phone': '020 7946 0303',
    });
    expect(okLeads.status).to.equal(303);

    // Training: one WRAP session last month, then "no more".
    const lastMonth = addDays(today, -30);
    const [y, m, d] = lastMonth.split('-');
    const leadKey = t.store.list('schoolReturns').find((r) => r.schoolId === hillcrest.id)!.leads![0]!.key;
    const added = await anon().post(`${base}/training`).type('form').send({
      leadKey,
      type: 'wrap',
      'completedOn-day': d,
      'completedOn-month': m,
      'completedOn-year': y,
      evidenceRef: 'WRAP-77',
    });
    expect(added.status).to.equal(303);
    const trainingPage = (await anon().get(`${base}/training`)).text;
    expect(trainingPage).to.include('WRAP-77');
    // Removing it asks first; without "Yes, remove" it stays.
    const removeHref = /href="([^"]+\/training\/[^"]+\/remove)"/.exec(trainingPage)?.[1] ?? '';
    const asked = await anon().get(removeHref);
    expect(asked.status).to.equal(200);
    expect(asked.text).to.include('Remove this training?');
    expect((await anon().post(removeHref).type('form').send({})).text).to.include(
      'Yes, remove this training',
    );
    expect((await anon().get(`${base}/training`)).text).to.include('WRAP-77');
    expect((await anon().post(`${base}/training/done`).type('form').send({})).status).to.equal(303);

    // The audit, half answered: a draft; the task list says so and check-answers refuses to submit.
    const half = Object.fromEntries(Object.entries(allYes()).slice(0, 5));
    expect((await anon().post(`${base}/audit`).type('form').send(half)).status).to.equal(303);
    const back = await anon().get(base);
    expect(back.text).to.include('Your answers so far are saved').and.to.include('In progress');
    const early = await anon()
      .post(`${base}/submit`)
      .type('form')
      .send({ 'attest-name': 'Gareth Lloyd', 'attest-role': 'DSL' });
    expect(early.status).to.equal(400);
    expect(early.text).to.include('Answer every audit question');
    expect(
      t.store
        .list('reviews')
        .filter((r) => r.subjectId === hillcrest.id && r.startedBy.includes('via return link')),
    ).to.have.length(0);

    // Coming back: the saved answers are on the form; the rest answered; submitted with the attestation.
    const form = await anon().get(`${base}/audit`);
    expect(form.text).to.match(/id="answer-S1" name="answer-S1" type="radio" value="yes" checked/);
    expect(
      (
        await anon()
          .post(`${base}/audit`)
          .type('form')
          .send({ ...allYes(), 'answer-S15': 'no', 'comment-S15': 'Planned for spring' })
      ).status,
    ).to.equal(303);
    const check = await anon().get(`${base}/check`);
    expect(check.text).to.include('Check your answers').and.to.include('Planned for spring');
    const noName = await anon()
      .post(`${base}/submit`)
      .type('form')
      .send({ 'attest-name': '', 'attest-role': 'DSL' });
    expect(noName.status).to.equal(400);
    expect(noName.text).to.include('Enter your full name');
    const before = sink.received.length;
    const done = await anon()
      .post(`${base}/submit`)
      .type('form')
      .send({ 'attest-name': 'Gareth Lloyd', 'attest-role': 'Designated safeguarding lead' });
    expect(done.status).to.equal(303);

    const audits = t.store
      .list('reviews')
      .filter(
        (r) =>
          r.subjectId === hillcrest.id && r.status === 'submitted' && r.startedBy.includes('via return link'),
      );
    expect(audits).to.have.length(1);
    expect(audits[0]!.outcome).to.equal('partially-compliant');
    expect(audits[0]!.attestation?.name).to.equal('Gareth Lloyd');
    expect(audits[0]!.facts?.[0]?.value).to.include('return link');
    const lead = t.store
      .list('preventLeads')
      .find((l) => l.schoolId === hillcrest.id && l.name === 'Gareth Lloyd')!;
    expect(lead.contactConfirmedOn).to.equal(today);
    expect(lead.phone).to.equal('020 7946 0303');
    expect(
      t.store
        .list('leadTraining')
        .some((tr) => tr.leadId === lead.id && tr.type === 'wrap' && tr.completedOn === lastMonth),
    ).to.equal(true);
    expect(flagsOf('190003')).to.not.include('spoc-training-expired');
    expect(flagsOf('190003')).to.not.include('review-overdue').and.to.not.include('review-due-soon');
    expect(flagsOf('190003')).to.include('partially-compliant');

    // A copy by email to the lead.
    const receipts = sink.received
      .slice(before)
      .filter((mm) => mm.subject.startsWith('Annual Prevent return received'));
    expect(receipts.map((mm) => mm.to.join())).to.deep.equal(['g.lloyd@hillcrest.example.sch.uk']);
    expect(receipts[0]!.decoded).to.include('Gareth Lloyd').and.to.include('Prevent leads:');

    // The education team sees the audit with where it came from.
    const reviewPage = await education.get(`/reviews/${audits[0]!.id}`);
    expect(reviewPage.text).to.include('By the school through its return link');
    const schoolPage = await education.get(`/schools/${hillcrest.id}`);
    expect(schoolPage.text)
      .to.include('Annual return: Submitted on')
      .and.to.include('By the school through its return link');
  });

  it('when a school whose lead’s contact details were never confirmed submits, then spoc-contact-stale clears at once', async () => {
    const base = `/r/${tokenSentTo(sink, 'a.rahman@eastgate6f.example.sch.uk')}`;
    expect(flagsOf('190004')).to.include('spoc-contact-stale');
    await anon().post(`${base}/leads`).type('form').send({
      'lead-0-still': 'yes',
      'lead-0-name': 'Aisha Rahman',
      'lead-0-role': 'dsl',
      'lead-0-email': 'a.rahman@eastgate6f.example.sch.uk',
    });
    await anon().post(`${base}/audit`).type('form').send(allYes());
    const done = await anon()
      .post(`${base}/submit`)
      .type('form')
      .send({ 'attest-name': 'Aisha Rahman', 'attest-role': 'DSL' });
    expect(done.status).to.equal(303);
    expect(flagsOf('190004')).to.not.include('spoc-contact-stale');
  });

  it('when the link is used after submission, then it shows the receipt only and refuses a second submission', async () => {
    const token = tokenSentTo(sink, 'g.lloyd@hillcrest.example.sch.uk');
    const res = await anon().get(`/r/${token}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.include('Return submitted').and.to.include('PR-');
    expect((await anon().get(`/r/${token}/audit`)).status).to.equal(303);
    const again = await anon()
      .post(`/r/${token}/submit`)
      .type('form')
      .send({ 'attest-name': 'Someone Else', 'attest-role': 'Head' });
    expect(again.status).to.equal(303);
    const hillcrest = school('190003');
    expect(
      t.store
        .list('reviews')
        .filter((r) => r.subjectId === hillcrest.id && r.startedBy.includes('via return link')),
    ).to.have.length(1);
    expect((await education.get('/schools/returns')).text).to.include('Submitted');
    // "Every school" again: the school that has submitted is not asked again this round.
    const mails = sink.received.length;
    const outcome = await t.services.returnSending.send('test', { urns: ['190003'] });
    expect(outcome.sent).to.have.length(0);
    expect(outcome.skipped[0]!.reason).to.match(/^Its return was submitted on/);
    expect(sink.received.length).to.equal(mails);
  });

  it('when a token is altered, unknown or expired, then it answers 404 naming no school', async () => {
    const token = tokenSentTo(sink, 'a.rahman@eastgate6f.example.sch.uk');
    const altered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [`/r/${altered}`, '/r/short', `/r/${altered}/leads`]) {
      const res = await anon().get(path);
      expect(res.status, path).to.equal(404);
      expect(res.text).to.include('This link does not work').and.to.not.include('Eastgate');
    }
    const ret = t.store.list('schoolReturns').find((r) => r.schoolId === school('190004').id)!;
    await t.store.transact('test', (tx) =>
      tx.update('schoolReturns', ret.id, { lastDay: addDays(today, -1) }),
    );
    const expired = await anon().get(`/r/${token}`);
    expect(expired.status).to.equal(404);
    expect(expired.text).to.not.include('Eastgate');
  });

  it('when a form is posted from another site, then it is refused and nothing changes', async () => {
    const token = tokenSentTo(sink, 'p.shah@northbrook-academy.example.sch.uk');
    const before = t.store.revision;
    const res = await anon()
      .post(`/r/${token}/training/done`)
      .set('Origin', 'https://evil.example')
      .type('form')
      .send({});
    expect(res.status).to.equal(403);
    expect(t.store.revision).to.equal(before);
  });

  it('when one address asks for many links that do not open, then it is answered 429 (other addresses are not)', async () => {
    const guess = (ip: string) =>
      anon()
        .get(`/r/${'B'.repeat(43)}`)
        .set('X-Forwarded-For', ip);
    let last = 0;
    for (let i = 0; i < 101; i++) last = (await guess('203.0.113.9')).status;
    expect(last).to.equal(429);
    expect((await guess('198.51.100.7')).status).to.equal(404);
  });

  it('when send again is used, then the school gets a new link and the old one stops working', async () => {
    const old = tokenSentTo(sink, 'p.shah@northbrook-academy.example.sch.uk');
    expect((await anon().get(`/r/${old}`)).status).to.equal(200);
    const res = await education.post('/schools/returns', { resend: '190001' });
    expect(res.status).to.equal(303);
    const fresh = tokenSentTo(sink, 'p.shah@northbrook-academy.example.sch.uk');
    expect(fresh).to.not.equal(old);
    expect((await anon().get(`/r/${old}`)).status).to.equal(404);
    expect((await anon().get(`/r/${fresh}`)).status).to.equal(200);
  });

  it('when a lead’s address is refused by the mail server, then the school shows as bounced', async () => {
    sink.rejectRecipients.add('a.rahman@eastgate6f.example.sch.uk');
    await education.post('/schools/returns', { resend: '190004' });
    sink.rejectRecipients.clear();
    const ret = t.store
      .list('schoolReturns')
      .filter((r) => r.schoolId === school('190004').id)
      .sort((a, b) => b.sentAt.localeCompare(a.sentAt))[0]!;
    expect(ret.status).to.equal('bounced');
    const page = await education.get('/schools/returns');
    expect(page.text.slice(page.text.indexOf('id="school-190004"')).split('</tr>')[0]).to.include('Bounced');
  });

  it('when the link nears its last day, then leads who have not submitted get a reminder at 14 and at 3 days, once each across restarts', async () => {
    const northbrook = school('190001');
    const ret = t.store
      .list('schoolReturns')
      .find((r) => r.schoolId === northbrook.id && r.status !== 'ended')!;
    const reminders = () =>
      sink.received.filter((m) =>
        m.subject.startsWith('Reminder: annual Prevent return for Northbrook Academy'),
      );
    await t.services.returnSending.daily(addDays(ret.lastDay, -20));
    expect(reminders()).to.have.length(0);
    await t.services.returnSending.daily(addDays(ret.lastDay, -14));
    expect(
      reminders()
        .map((m) => m.to.join())
        .sort(),
    ).to.deep.equal([
      'p.shah@northbrook-academy.example.sch.uk',
      't.whitfield@northbrook-academy.example.sch.uk',
    ]);
    await t.services.returnSending.daily(addDays(ret.lastDay, -13));
    expect(reminders()).to.have.length(2);
    // A restart: the sent log is read again from disk.
    const log = ReminderLog.open(reminderLogPathFor(t.dbPath), { write: false });
    expect(log.has(`return:${ret.id}`, 'reminder-14', 'p.shah@northbrook-academy.example.sch.uk')).to.equal(
      true,
    );
    await t.services.returnSending.daily(addDays(ret.lastDay, -3));
    await t.services.returnSending.daily(addDays(ret.lastDay, -2));
    expect(reminders()).to.have.length(4);
    // The reminder's link opens the same return.
    const token = tokenSentTo(sink, 'p.shah@northbrook-academy.example.sch.uk', 'Reminder:');
    const page = await anon().get(`/r/${token}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Northbrook Academy');
  });
});
