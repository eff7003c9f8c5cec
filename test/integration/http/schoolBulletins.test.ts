import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { groupOf } from '../../support/pageParts.js';
import { runSchoolMail } from '../../../server/returns/schoolMailRun.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

const LEADS = [
  'a.rahman@eastgate6f.example.sch.uk',
  'g.lloyd@hillcrest.example.sch.uk',
  'p.shah@northbrook-academy.example.sch.uk',
  't.whitfield@northbrook-academy.example.sch.uk',
];

describe('HTTP: Prevent bulletins to school leads (real SMTP on loopback)', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let education: TestAgent;
  const bulletinMails = (subject: string) => sink.received.filter((m) => m.subject === subject);

  before(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: sink.url, secureCookies: false } });
    education = await t.signIn('education@demo.test');
  });
  after(async () => {
    t.services.reminders.close();
    await t.close();
    await sink.close();
  });

  it('when a bulletin is blank or its subject too long, then it answers 400 with the errors and sends nothing', async () => {
    const blank = await education.post('/schools/bulletins/preview', { subject: '', body: '' });
    expect(blank.status).to.equal(400);
    expect(blank.text).to.include('Enter a subject').and.to.include('Enter the message');
    const long = await education.post('/schools/bulletins', { subject: 'x'.repeat(201), body: 'Hello' });
    expect(long.status).to.equal(400);
    expect(long.text).to.include('Subject must be 200 characters or fewer');
    expect(sink.received).to.have.length(0);
    expect(t.store.list('bulletins')).to.have.length(0);
  });

  it('when a bulletin is previewed and sent, then each current lead gets one message of their own and the history shows the count', async () => {
    const form = await education.get('/schools/bulletins/new');
    const key = groupOf(/name="key" value="([^"]+)"/, form.text);
    const body =
      'Prevent update for the spring term.\n\nThe WRAP dates for March are now open: <book early>.';
    const preview = await education.post('/schools/bulletins/preview', {
      subject: 'Prevent update: spring',
      body,
      key,
    });
    expect(preview.status).to.equal(200);
    expect(preview.text).to.include('Check your bulletin').and.to.include('Send to 4 leads');
    expect(preview.text).to.include('&lt;book early&gt;');
    const sent = await education.post('/schools/bulletins', { subject: 'Prevent update: spring', body, key });
    expect(sent.status).to.equal(303);
    const mails = bulletinMails('Prevent update: spring');
    expect(mails.map((m) => m.to.join()).sort()).to.deep.equal(LEADS);
    expect(mails[0]!.decoded).to.include('The WRAP dates for March are now open');
    // The same form sent again (double click, back button) records and sends nothing more.
    await education.post('/schools/bulletins', { subject: 'Prevent update: spring', body, key });
    expect(bulletinMails('Prevent update: spring')).to.have.length(4);
    expect(t.store.list('bulletins')).to.have.length(1);
    const history = await education.get('/schools/bulletins');
    expect(history.text).to.include('Prevent update: spring');
    expect(history.text).to.match(/govuk-table__cell--numeric">\s*4\s*</);
  });

  it('when the bulletin is sent twice at once (double click, or through two instances), then one is recorded and each lead gets one message', async () => {
    // Straight to the service, both before either is saved: on PostgreSQL each change waits its turn.
    const input = { subject: 'Prevent update: twice', body: 'Sent with a double click.', key: randomUUID() };
    const [first, second] = await Promise.all([
      t.services.bulletins.send('education@demo.test', input),
      t.services.bulletins.send('education@demo.test', input),
    ]);
    expect([first.repeated ?? false, second.repeated ?? false].sort()).to.deep.equal([false, true]);
    expect(second.bulletin.id).to.equal(first.bulletin.id);
    expect(
      bulletinMails('Prevent update: twice')
        .map((m) => m.to.join())
        .sort(),
    ).to.deep.equal(LEADS);
    expect(t.store.list('bulletins').filter((b) => b.subject === 'Prevent update: twice')).to.have.length(1);
  });

  it('when the mail server is busy for one message, then the daily run sends it later, once', async () => {
    sink.failNext = 1;
    await education.post('/schools/bulletins', { subject: 'Prevent update: summer', body: 'Summer dates.' });
    expect(bulletinMails('Prevent update: summer')).to.have.length(3);
    await runSchoolMail(t.services);
    expect(
      bulletinMails('Prevent update: summer')
        .map((m) => m.to.join())
        .sort(),
    ).to.deep.equal(LEADS);
    await runSchoolMail(t.services);
    expect(bulletinMails('Prevent update: summer')).to.have.length(4);
    expect(bulletinMails('Prevent update: spring')).to.have.length(4);
  });
});
