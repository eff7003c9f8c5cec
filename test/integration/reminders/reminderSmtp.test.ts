import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import type { Config } from '../../../server/config.js';
import { REMINDER_AS_OF, spreadDemoOwners } from '../../support/reminderFixtures.js';
import { readSentLog } from '../../support/sentLog.js';
import { type SmtpSink, startSmtpSink } from '../../support/smtpSink.js';
import { type TestApp, startTestApp } from '../../support/testApp.js';

const BASE_URL = 'https://dueregard.example.gov.uk';

const FACILITIES_ITEMS = [
  'Riverside Community Centre (NB-002)',
  'Eastgate Children’s Centre (NB-005)',
  'St Anne’s Church Hall (council-leased) (NB-008)',
  'Hillcrest Scout Hut (NB-011)',
  'Eastgate Market Hall (NB-012)',
  'Book the Prevent venue-hire briefing for the centre’s volunteers',
  'Add the venue-hire policy clause to the club’s lease',
  'Put in place what question P10 asks for',
  'Put in place what question P11 asks for',
];

async function appWithSmtp(sink: SmtpSink, config: Partial<Config> = {}, now?: () => Date): Promise<TestApp> {
  const t = await startTestApp({
    today: REMINDER_AS_OF,
    now,
    // BASE_URL is https (for the links); the test talks plain http, so no Secure cookies.
    config: {
      smtpUrl: sink.url,
      baseUrl: BASE_URL,
      secureCookies: false,
      reminderRetrySeconds: 0,
      ...config,
    },
  });
  await spreadDemoOwners(t.store);
  return t;
}

const digestsTo = (sink: SmtpSink, to: string) =>
  sink.received.filter((m) => m.to.includes(to) && m.subject.startsWith('Due Regard reminder'));

/** Recipients the fixture sets up (other areas' demo data may add more, e.g. library managers). */
const OWNERS = [
  'caretaker@northbrook.example',
  'coordinator@demo.test',
  'education@demo.test',
  'facilities@demo.test',
];

/** One digest per recipient, the fixture's owners among them, and one weekly summary to the coordinator. */
function expectOneDigestEach(sink: SmtpSink): void {
  const digests = sink.received
    .filter((m) => m.subject.startsWith('Due Regard reminder'))
    .map((m) => m.to.join(','));
  expect(digests.length, digests.join(' ')).to.equal(new Set(digests).size);
  expect(digests).to.include.members(OWNERS);
  const summaries = sink.received.filter((m) => m.subject.startsWith('Due Regard weekly summary'));
  expect(summaries.map((m) => m.to.join(','))).to.deep.equal(['coordinator@demo.test']);
  expect(digests.length + summaries.length).to.equal(sink.received.length);
}

const recipientsOf = (sink: SmtpSink) => sink.received.map((m) => m.to.join(',')).sort();

describe('reminders through a real SMTP server on loopback', () => {
  let sink: SmtpSink;
  let t: TestApp;
  afterEach(async () => {
    t?.services.reminders.close();
    await t?.close();
    await sink?.close();
  });

  it('when the job runs, then each recipient gets one digest listing exactly their items, with links and both parts', async () => {
    sink = await startSmtpSink();
    t = await appWithSmtp(sink);
    const result = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(result.pending).to.deep.equal([]);

    expectOneDigestEach(sink);

    const facilities = itemAt(digestsTo(sink, 'facilities@demo.test'), 0);
    for (const title of FACILITIES_ITEMS) expect(facilities.decoded, title).to.include(title);
    expect(facilities.decoded).not.to.include('Hillcrest Youth Centre');
    expect(facilities.decoded).not.to.include('Brief the education team');
    expect(facilities.decoded).not.to.include('Name a site manager');
    expect(facilities.decoded).to.include('Content-Type: text/plain');
    expect(facilities.decoded).to.include('Content-Type: text/html');
    expect(facilities.decoded).to.match(/https:\/\/dueregard\.example\.gov\.uk\/premises\/[0-9a-f-]{36}/);
    expect(facilities.decoded).to.include('PREMISES');

    const caretaker = itemAt(digestsTo(sink, 'caretaker@northbrook.example'), 0);
    expect(caretaker.decoded).to.include('Hillcrest Youth Centre (NB-003)');
    expect(caretaker.decoded).to.include('Premises audit due by');
    expect(caretaker.subject).to.equal('Due Regard reminder: 1 due soon');

    const education = itemAt(digestsTo(sink, 'education@demo.test'), 0);
    expect(education.decoded).to.include('Brief the education team on the Town Hall hire policy');
    expect(education.decoded).not.to.include('Riverside Community Centre');

    const coordinator = itemAt(digestsTo(sink, 'coordinator@demo.test'), 0);
    expect(coordinator.decoded).to.include('Name a site manager for the Annexe');
    expect(coordinator.decoded).to.include('Due tomorrow, 5 March 2026');
  });

  it('when an item is overdue by more than 14 days, then the escalation reaches the coordinator, naming the owner', async () => {
    sink = await startSmtpSink();
    t = await appWithSmtp(sink);
    await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    const coordinator = itemAt(digestsTo(sink, 'coordinator@demo.test'), 0);
    expect(coordinator.subject).to.match(
      /^Due Regard reminder: \d+ overdue by more than 14 days, .*\d+ due soon$/,
    );
    for (const title of [
      'Riverside Community Centre (NB-002)',
      'Eastgate Children’s Centre (NB-005)',
      'Eastgate Market Hall (NB-012)',
      'Book the Prevent venue-hire briefing for the centre’s volunteers',
    ])
      expect(coordinator.decoded, title).to.include(title);
    expect(coordinator.decoded).to.include('escalated to the Prevent coordinator');
    expect(coordinator.decoded).to.include('Owner: facilities@demo.test');
    // Never reviewed has no date to count 14 days from: the owner is told, the weekly summary lists it.
    expect(coordinator.decoded).not.to.include('Hillcrest Scout Hut');

    const summary = itemAt(
      sink.received.filter((m) => m.subject.startsWith('Due Regard weekly summary')),
      0,
    );
    expect(summary.to).to.deep.equal(['coordinator@demo.test']);
    expect(summary.decoded).to.include('Hillcrest Scout Hut (NB-011)');
    expect(summary.decoded).to.include('Hillcrest Youth Centre (NB-003)');
  });

  it('when the job runs again the same day, then nothing is sent', async () => {
    sink = await startSmtpSink();
    t = await appWithSmtp(sink);
    await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    const first = sink.received.length;
    expectOneDigestEach(sink);
    const again = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(again.planned).to.deep.equal([]);
    expect(sink.received).to.have.length(first);
  });

  it('when the SMTP server is down, then nothing is marked sent, and a later run delivers everything once', async () => {
    sink = await startSmtpSink();
    const port = sink.port;
    t = await appWithSmtp(sink);
    await sink.close();

    const down = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(down.sent).to.deep.equal([]);
    const pendingTo = down.pending.map((p) => p.plan.to).sort();
    expect(pendingTo).to.include.members(OWNERS);
    expect(down.pending).to.have.length(down.planned.length);
    const log = await readSentLog(t.store, t.dbPath);
    expect(log.entries().filter((e) => e.status === 'sent')).to.deep.equal([]);
    expect(log.entries().filter((e) => e.status === 'failed')).to.have.length(pendingTo.length);
    const page = await (await t.signIn('coordinator@demo.test')).get('/reminders');
    expect(page.text).to.include('Not accepted by the mail server');

    sink = await startSmtpSink(port);
    const up = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(up.pending).to.deep.equal([]);
    expect(recipientsOf(sink)).to.deep.equal(pendingTo);
    expectOneDigestEach(sink);
    const third = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(third.planned).to.deep.equal([]);
    expect(sink.received).to.have.length(pendingTo.length);
    const after = await (await t.signIn('coordinator@demo.test')).get('/reminders');
    expect(after.text).to.include('No failed emails are waiting to be sent again');
  });

  it('when the SMTP server refuses for a moment (421), then the run retries with backoff and delivers once', async () => {
    sink = await startSmtpSink();
    // A fixed clock: the retry budget is kept on it, so however slow the machine, the retries happen.
    t = await appWithSmtp(sink, { reminderRetrySeconds: 3 }, () => new Date(`${REMINDER_AS_OF}T07:00:00Z`));
    sink.failNext = 2;
    const result = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(result.pending).to.deep.equal([]);
    expectOneDigestEach(sink);
    expect(sink.received).to.have.length(result.planned.length);
    const log = await readSentLog(t.store, t.dbPath);
    const attempts = log.entries().map((e) => e.attempts);
    expect(attempts.filter((a) => a === 2)).to.have.length(2);
    expect(log.entries().every((e) => e.status === 'sent')).to.equal(true);
  });

  it('when the SMTP server refuses one address for good (550), then the others are sent and only that one waits', async () => {
    sink = await startSmtpSink();
    t = await appWithSmtp(sink, { reminderRetrySeconds: 3 });
    sink.rejectRecipients.add('caretaker@northbrook.example');
    const first = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(first.pending.map((p) => [p.plan.to, p.attempts])).to.deep.equal([
      ['caretaker@northbrook.example', 1],
    ]);
    expect(first.pending[0]?.error).to.include('550');
    expect(sink.received).to.have.length(first.planned.length - 1);
    expect(recipientsOf(sink)).not.to.include('caretaker@northbrook.example');

    sink.rejectRecipients.clear();
    const second = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(second.sent.map((p) => p.plan.to)).to.deep.equal(['caretaker@northbrook.example']);
    expectOneDigestEach(sink);
  });

  it('when a new due date starts the next cycle, then the item is reminded again for it', async () => {
    sink = await startSmtpSink();
    t = await appWithSmtp(sink);
    await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    const action = t.store.list('actions').find((a) => a.ownerEmail === 'education@demo.test')!;
    await t.store.transact('test', (tx) => tx.update('actions', action.id, { dueOn: '2026-03-20' }));
    const again = await t.services.reminders.run({ asOf: REMINDER_AS_OF });
    expect(again.sent.map((p) => p.plan.to)).to.deep.equal(['education@demo.test']);
    expect(digestsTo(sink, 'education@demo.test').at(-1)?.decoded).to.include(
      'Due 20 March 2026 (in 16 days)',
    );
  });
});
