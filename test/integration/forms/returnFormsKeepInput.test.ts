import { expect } from 'chai';
import request from 'supertest';
import { getTemplate } from '../../../checks/templates/index.js';
import { choices, formFields, keptFields } from '../../support/formFields.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

const BASE_URL = 'https://returns.example.gov.uk';
const LINK = /https:\/\/returns\.example\.gov\.uk\/r\/([A-Za-z0-9_-]{43})/;
const errorList = (html: string) => /govuk-error-summary__list[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';

/**
 * Issue 20, item 2, on the school's own return by personal link (real SMTP on loopback for the link):
 * each of its forms sent full with one bad field keeps every other value and tick.
 */
describe('HTTP: the school’s return by link keeps what was entered when one field is wrong', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let base = '';
  const anon = () => request(t.app);

  before(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({ config: { smtpUrl: sink.url, baseUrl: BASE_URL, secureCookies: false } });
    const education = await t.signIn('education@demo.test');
    expect((await education.post('/schools/returns', { scope: 'all' })).status).to.equal(303);
    const mail = sink.received.find((m) => m.to.includes('g.lloyd@hillcrest.example.sch.uk'));
    const token = mail ? LINK.exec(mail.decoded)?.[1] : undefined;
    if (!token) throw new Error('no return link sent to the Hillcrest lead');
    base = `/r/${token}`;
  });
  after(async () => {
    t.services.reminders.close();
    await t.close();
    await sink.close();
  });

  async function sendWithOneBad(
    path: string,
    fillFrom: (html: string) => Record<string, string | string[]>,
    bad: Record<string, string>,
    error: string,
  ) {
    const page = await anon().get(path);
    expect(page.status, `GET ${path}`).to.equal(200);
    const action = path;
    const posted = { ...formFields(page.text, action), ...fillFrom(page.text), ...bad };
    const before = JSON.stringify(t.store.data);
    const res = await anon().post(action).type('form').send(posted);
    expect(res.status, `POST ${action}`).to.equal(400);
    const summary = errorList(res.text);
    expect(summary.match(/<li>/g)?.length ?? 0, summary).to.equal(1);
    expect(summary).to.include(error);
    expect(keptFields(res.text, action, posted, Object.keys(bad))).to.deep.equal([]);
    expect(JSON.stringify(t.store.data)).to.equal(before);
  }

  it('when the leads form is sent with a bad email for a new lead, then every other value comes back', async () => {
    await sendWithOneBad(
      `${base}/leads`,
      (html) => ({
        'lead-0-still': 'yes',
        'lead-0-name': 'Gareth Lloyd',
        'lead-0-role': 'dsl',
        'lead-0-email': 'g.lloyd@hillcrest.example.sch.uk',
        'lead-0-phone': '020 7946 0303',
        'new-name': 'Hana Okafor',
        'new-role': choices(html, 'new-role')[0] ?? '',
        'new-phone': '020 7946 0404',
      }),
      { 'new-email': 'not an email' },
      'email',
    );
  });

  it('when a training record is sent with an impossible date, then the type and reference come back', async () => {
    await sendWithOneBad(
      `${base}/training`,
      (html) => ({ leadKey: choices(html, 'leadKey')[0] ?? '', type: 'wrap', evidenceRef: 'WRAP-77' }),
      { 'completedOn-day': '31', 'completedOn-month': '2', 'completedOn-year': '2026' },
      'real date',
    );
  });

  it('when the audit is saved with one note too long, then every answer, note and the notes come back', async () => {
    const fill: Record<string, string> = { notes: 'Filled in by the DSL' };
    for (const q of getTemplate('school-audit').questions) {
      fill[`answer-${q.id}`] = q.naAllowed ? 'na' : 'yes';
      fill[`comment-${q.id}`] = `About ${q.id}`;
    }
    await sendWithOneBad(`${base}/audit`, () => fill, { 'comment-S3': 'x'.repeat(5001) }, '5,000 characters');
  });
});
